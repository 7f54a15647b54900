"""The history on disk: the only code that touches TinyDB.

Layout (schema 3), safe in a folder that a sync tool (Syncthing, Dropbox, Nextcloud)
shares between computers: every file is written by one device only, so no two devices
ever change the same file, and reading merges every device's files by record id
(storage/sources.py, storage/versions.py):

    legcoach.json                       the manifest: app id, schema (written once)
    legcoach.json.d/devices/<id>/2026.json  one device's records of a year (TinyDB:
                                        leg_sessions, checkins, runs, ..., and removed)
    legcoach.json.d/devices/<id>/changes.jsonl  its recent saves, one line each
    legcoach.json.d/devices/<id>/device.json    its profile edits and its clock
    legcoach.json.d/2026.json, changes.jsonl    the single-device layout (schema 2):
                                        read as the history's floor, never written again

and on each computer, outside the data folder (stamps.local_dir_name): the write lock,
the open app's marker and the status cache.

A save appends one line to the device's change log and fsyncs it: one small durable
write, whatever the history. Every ~50 saves (and for a large unit such as an import)
the log is folded into the device's year files, each written atomically. Records are
stored as the models' JSON plus their version, validated on the way back in; the model's
own UUID is the record's identity (used for the merge and for idempotent import).
"""

from __future__ import annotations

import bisect
import contextlib
import filecmp
import functools
import hashlib
import heapq
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.storages import Storage

from legcoach.models import RECORD_TYPES, STORED, Profile, Record, explain
from legcoach.storage import statusline
from legcoach.storage.changelog import LOG_LIMIT, ChangeLog, Unit
from legcoach.storage.files import (
    APP_ID,
    CachedJSON,
    DamagedFile,
    FileLock,
    ForeignFile,
    Locked,
    NewerSchema,
    StoreError,
    atomic_write_bytes,
    encode,
    ensure_private_dir,
    remove_leftover_temp_files,
    signature_of,
)
from legcoach.storage.layout import (
    META_ID,
    SCHEMA,
    check_manifest,
    is_blank_new,
    shard_dir_of,
    status_cache_of,
    years_of,
)
from legcoach.storage.lazy import YearRecords, aware_time, stored_time
from legcoach.storage.legacy import SingleDeviceFiles
from legcoach.storage.sources import (
    EMPTY,
    REMOVED,
    VERSION,
    Claims,
    DeviceFiles,
    LogClaims,
    Validate,
    YearFile,
    device_clock,
    device_profile,
    list_device,
    merge_into,
    strip_version,
)
from legcoach.storage.stamps import (
    DEVICE_FILE,
    DEVICES,
    LOG,
    local_dir_name,
    state_home,
)
from legcoach.storage.versions import FLOOR, ms_of, next_version, this_device

TABLES = tuple(RECORD_TYPES)
SHARD_SLACK = timedelta(days=1)
TABLE_OF: dict[type[Record], str] = {model: table for table, model in RECORD_TYPES.items()}
# A unit this large (an import, a migration) goes straight into the year files.
DIRECT_WRITE_RECORDS = 64

RecordT = TypeVar("RecordT", bound=Record)
T = TypeVar("T")


class _CachedStorage(Storage):
    """TinyDB storage over a `CachedJSON`: reads from memory, writes atomically.

    Inside a unit of work (`pending` is a dict) a write only marks the file: the store
    saves each touched file once when the unit commits."""

    def __init__(
        self,
        file: CachedJSON,
        blank: Callable[[], dict[str, Any]],
        pending: dict[Path, CachedJSON] | None,
    ) -> None:
        self._file = file
        self._blank = blank
        self._pending = pending

    def read(self) -> dict[str, Any]:
        if self._pending is not None and self._file.path in self._pending:
            assert self._file.data is not None
            return self._file.data
        try:
            return self._file.load()
        except FileNotFoundError:
            self._file.data = self._blank()
            return self._file.data

    def write(self, data: dict[str, Any]) -> None:
        if self._pending is None:
            self._file.save(data)
        else:
            self._file.data = data
            self._pending[self._file.path] = self._file


class Store:
    """The user's history. Reads never lock and write nothing; every write holds this
    device's write lock and writes only this device's files."""

    def __init__(
        self,
        path: Path,
        *,
        create: bool = True,
        lock_timeout: float = 10.0,
        device: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # Resolved once: a database reached through a link keeps every file of its own
        # beside the real file, never beside the link.
        self.path = Path(path).expanduser().resolve()
        self.shard_dir = shard_dir_of(self.path)
        self.devices_dir = self.shard_dir / DEVICES
        self.local_dir = Path(local_dir_name(self.path))
        self.device = device or this_device(state_home())
        self.own_dir = self.devices_dir / self.device
        self.lock_timeout = lock_timeout
        self._clock = clock
        self._write_lock = FileLock(
            self.local_dir / "write.lock",
            f"{self.path} is busy: another legcoach is saving to it",
        )
        self._manifest = CachedJSON(self.path)
        # The single-device layout (schema 2): its year files and change log, read as the
        # history's floor (every record at version FLOOR), never written again.
        self._legacy = SingleDeviceFiles(self.shard_dir, TABLES, self._validate)
        # Every device's folder, listed again when a folder's signature changes.
        self._listing: tuple[Any, list[DeviceFiles]] = (None, [])
        self._device_names: tuple[Any, list[str], list[str]] = (None, [], [])
        self._looked = False  # devices() listed since the last _look()
        self._holding_look = False  # within one_look: reads look no more
        self._look_number = 0
        self._own_prefix = os.fspath(self.own_dir) + os.sep
        self._single_years: tuple[Any, list[int]] = (None, [])
        self._years_held: tuple[Any, list[int]] = (None, [])
        self._checked_records: dict[tuple[Path, Any, Any], Record] = {}
        self._profile_cache: tuple[Any, dict[str, tuple[str, Any]]] = (None, {})
        self._year_files: dict[Path, YearFile] = {}
        self._logs: dict[Path, LogClaims] = {}
        self._device_files: dict[Path, CachedJSON] = {}
        self._own_log = self._log_at(self.own_dir / LOG)
        self._merged: dict[tuple[int, str], tuple[tuple[int, ...], list[Any], YearRecords, Claims]]
        self._merged = {}
        # Within one look, each (year, table)'s view as first read: a plan's hundreds of
        # reads of the same years stop checking every device's files for each. Dropped
        # by every write (its reads after see it) and by the next look.
        self._views_in_look: tuple[int, dict[tuple[int, str], tuple[YearRecords, Claims]]]
        self._views_in_look = (-1, {})
        self._pending: dict[Path, CachedJSON] | None = None
        self._seen = FLOOR  # the latest version read: the next save's comes after it
        self.last_version: str | None = None  # of this store's latest save
        self.unreadable: dict[Path, str] = {}  # another device's files that did not read
        self.absorbed = 0  # records saved again from sync tools' conflict copies
        self._open(create)

    # --- opening, validation and migration ------------------------------------------

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def _open(self, create: bool) -> None:
        if self._is_blank_new_file():
            if not create:
                return
            self._create()
        schema = check_manifest(self.path, self._manifest.load())
        if schema < SCHEMA:
            self._migrate(schema)
        self.absorbed = self.absorb_conflict_copies()

    def _is_blank_new_file(self) -> bool:
        return is_blank_new(self.path)

    def _create(self) -> None:
        ensure_private_dir(self.path.parent)
        with self._writing():
            if self._is_blank_new_file():  # another process may have created it meanwhile
                # The same bytes on every computer: two that start a history in a synced
                # folder at once make no conflict.
                self._manifest.save({"meta": {META_ID: {"app": APP_ID, "schema": SCHEMA}}})

    def _manifest_data(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"meta": {META_ID: {"app": APP_ID, "schema": SCHEMA}}, "profile": {}}
        data = self._manifest.load()
        check_manifest(self.path, data)
        return data

    def _migrate(self, schema: int) -> None:
        """Bring an older database up to date, after keeping a copy of the old file.

        Schema 2 to 3 rewrites only the manifest's version: the single-device files stay
        as they are and are read as the floor of the history. A kill at any point leaves
        either schema in place, each complete."""
        with self._writing():
            remove_leftover_temp_files(self.path.parent)
            data = self._manifest.load()
            if data["meta"][META_ID].get("schema") != schema:
                return  # migrated by another process while we waited
            self._keep_backup(f".schema{schema}.bak")
            if schema == 1:
                self._migrate_1(data)
                data = self._manifest.load()
            manifest = {key: value for key, value in data.items() if key not in TABLES}
            manifest["meta"] = {META_ID: {**data["meta"][META_ID], "schema": SCHEMA}}
            self._manifest.save(manifest)
            for cache in ("status.json", "status.line"):
                # Schema 2's status cache, in the data folder: this computer's is kept
                # in its state folder now (a cache is never worth syncing).
                with contextlib.suppress(OSError):
                    (self.shard_dir / cache).unlink()

    def _migrate_1(self, data: dict[str, Any]) -> None:
        # Schema 1 kept every record in the one file: they go into this device's year
        # files first (at the floor version, as old as the single-device history), the
        # manifest last: a kill in between leaves schema 1 in place and the next open
        # repeats the (idempotent) move.
        records: list[Record] = []
        for table, model in RECORD_TYPES.items():
            for doc_id, raw in (data.get(table) or {}).items():
                records.append(self._validate(model, raw, self.path, table, doc_id))
        unit, _ = self._unit_for(records, ())
        if unit.add:
            unit.version = FLOOR
            self._fold(unit)

    def _keep_backup(self, suffix: str) -> None:
        """One copy of the file before a migration: a migration that fails (a damaged
        record) and is tried again on every run does not pile up copies."""
        candidate = self.path.with_name(self.path.name + suffix)
        number = 1
        while candidate.exists():
            if filecmp.cmp(candidate, self.path, shallow=False):
                return
            number += 1
            candidate = self.path.with_name(f"{self.path.name}{suffix}.{number}")
        shutil.copy2(self.path, candidate)

    # --- locking ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        ensure_private_dir(self.local_dir)
        try:
            with self._write_lock.held(self.lock_timeout):
                yield
        finally:
            self._views_in_look = (-1, {})

    # --- the files --------------------------------------------------------------------

    def _log_at(self, path: Path) -> LogClaims:
        if path not in self._logs:
            self._logs[path] = LogClaims(ChangeLog(path, TABLES))
        return self._logs[path]

    def devices(self) -> list[DeviceFiles]:
        """Every device's folder (this one's too once it saved), listed again only when a
        folder changes: a file added, renamed or removed changes its folder's mtime."""
        if self._looked:
            return self._listing[1]
        top = signature_of(self.devices_dir)
        if top is not None and self._device_names[0] != top:
            try:
                names = sorted(e.name for e in os.scandir(self.devices_dir) if e.is_dir())
            except OSError:
                names = []
            folder = os.fspath(self.devices_dir)
            self._device_names = (top, names, [os.path.join(folder, n) for n in names])
        names, paths = self._device_names[1:] if top is not None else ([], [])
        key = tuple(signature_of(path) for path in paths)
        if self._listing[0] != (top, key):
            self._listing = ((top, key), [list_device(self.devices_dir / name) for name in names])
        self._looked = True
        return self._listing[1]

    def change_token(self) -> tuple[Any, ...]:
        """Changes whenever a history file changes, here or arriving from another device:
        a file written whole is renamed into its folder (the folder's signature
        changes), a log grows in place (its own signature). A few stats, nothing read."""
        self._look()
        logs = [path for device in self.devices() for path in device.logs]
        return (
            signature_of(self.path),
            signature_of(self.shard_dir),
            signature_of(self._legacy.log.path),
            self._listing[0],
            *(signature_of(path) for path in logs),
        )

    def _look(self, *, fresh: bool = False) -> None:
        """Look at the folders and files again when next read: once per read or save,
        not once per year and table it reads; within `one_look`, once for all its reads.
        A save looks `fresh` always: it writes what the folder holds under its lock."""
        if self._holding_look and not fresh:
            return
        self._looked = False
        self._look_number += 1

    @contextlib.contextmanager
    def one_look(self) -> Iterator[None]:
        """The reads within look at the folders once: a plan's hundreds of reads are of
        one state of the history (another process's save is seen by the next one). A
        save inside looks again, and the reads after it see it."""
        if self._holding_look:
            yield
            return
        self._look()
        self._holding_look = True
        try:
            yield
        finally:
            self._holding_look = False

    def years(self) -> list[int]:
        """The years that hold records, newest first. Within one look (a plan asks ~70
        times) the same answer, not read again: a save looks afresh (`_look`)."""
        self._look()
        held = self._holding_look and self._pending is None
        if held and self._years_held[0] == self._look_number:
            return list(self._years_held[1])
        found = set(self._single_device_years())
        found |= self._legacy.logged_years()
        for device in self.devices():
            found |= set(device.years)
        for log in self._log_paths():
            none: set[int] = set()
            found |= self._readable(log, self._log_at(log).years, none)
        years = sorted(found, reverse=True)
        self._years_held = (self._look_number, years) if held else (None, [])
        return list(years)

    def _log_paths(self) -> list[Path]:
        """Every device's change logs, this device's among them even before its folder
        is listed again (its first save made the folder after the listing)."""
        logs = [path for device in self.devices() for path in device.logs]
        if self._own_log.log.path not in logs:
            logs.append(self._own_log.log.path)
        return logs

    def _single_device_years(self) -> list[int]:
        """The schema-2 year files' years, listed again only when their folder changes
        (reads ask for the years many times per plan)."""
        folder = signature_of(self.shard_dir)
        if self._single_years[0] != folder or folder is None:
            self._single_years = (folder, years_of(self.path))
        return self._single_years[1]

    def _readable(self, path: Path, read: Callable[[], T], empty: T) -> T:
        """Another device's file as read, or `empty` (and it is named in `unreadable`)
        when it does not read: one damaged file from elsewhere never hides the rest.
        This device's own files and the single-device ones raise as always."""
        if os.fspath(path).startswith(self._own_prefix):
            return read()
        try:
            value = read()
        except (StoreError, OSError) as error:
            self.unreadable[path] = str(error)
            return empty
        self.unreadable.pop(path, None)
        return value

    def _validate(
        self, model: type[RecordT], raw: Any, path: Path, table: str, doc_id: str
    ) -> RecordT:
        try:
            return model.model_validate(strip_version(raw), context=STORED)
        except ValidationError as error:
            raise DamagedFile(
                path, f"has a record that does not validate ({table} #{doc_id}: {explain(error)})"
            ) from None

    def _validate_stored(self, path: Path, table: str, doc_id: str, doc: Any) -> Record:
        return self._validate(RECORD_TYPES[table], doc, path, table, doc_id)

    def _models(self, year: int, table: str) -> YearRecords:
        """A year's records of one table, as every file holds them merged, sorted oldest
        first, each validated when first read (cached)."""
        return self._merged_view(year, table)[0]

    def _merged_view(self, year: int, table: str) -> tuple[YearRecords, Claims]:
        """The year's records (live) and every record id's winning claim. Recomputed only
        when a file that holds the year changed; each file's claims are kept per version
        of that file, so a device's file that did not change is not read again."""
        held = self._holding_look and self._pending is None
        if held and self._views_in_look[0] == self._look_number:
            view = self._views_in_look[1].get((year, table))
            if view is not None:
                return view
        view = self._merged_view_now(year, table)
        if held:
            if self._views_in_look[0] != self._look_number:
                self._views_in_look = (self._look_number, {})
            self._views_in_look[1][(year, table)] = view
        return view

    def _merged_view_now(self, year: int, table: str) -> tuple[YearRecords, Claims]:
        validate: Validate = self._validate_stored
        base = self._legacy.models(year, table, self._look_number)
        claims = [self._readable(path, read, EMPTY) for path, read in self._sources(year, table)]
        # Each part is a file's own cached object, the same object for as long as the
        # file does not change: the merge is redone only when one did.
        parts: list[Any] = [base, *claims]
        key = tuple(id(part) for part in parts)
        cached = self._merged.get((year, table))
        if cached is not None and cached[0] == key:
            return cached[2], cached[3]
        best = _merge(base, claims)
        entries = [claim[2] for claim in best.values() if claim[1]]

        known = self._checked_records

        def check(item: Any) -> Record:
            # A record at a version is the same record whatever merge it is read in:
            # validated once, not again each time a save redoes the year's merge.
            path, doc_id, doc = item
            key = (path, doc.get("id"), doc.get(VERSION))
            record = known.get(key)
            if record is None:
                record = known[key] = validate(path, table, doc_id, doc)
            return record

        records = YearRecords(entries, check)
        seen = max((claim[0] for claim in best.values()), default=FLOOR)
        self._seen = max(self._seen, seen)
        self._merged[(year, table)] = (key, parts, records, best)  # parts kept: ids stay theirs
        return records, best

    def _sources(self, year: int, table: str) -> list[tuple[Path, Callable[[], Claims]]]:
        """Each device file that may hold the year's records of the table, and how to
        read its claims."""
        validate: Validate = self._validate_stored
        look = self._look_number
        sources: list[tuple[Path, Callable[[], Claims]]] = []
        for device in self.devices():
            for path in device.years.get(year, []):
                file = self._year_file(path, year)
                sources.append(
                    (path, functools.partial(file.claims, table, TABLES, validate, look))
                )
        for path in self._log_paths():
            log = self._log_at(path)
            sources.append((path, functools.partial(_claims_of, log, validate, year, table, look)))
        return sources

    def _year_file(self, path: Path, year: int) -> YearFile:
        if path not in self._year_files:
            self._year_files[path] = YearFile(path, year)
        return self._year_files[path]

    # --- reading ----------------------------------------------------------------------

    def _profile_fields(self, skip: Path | None = None) -> dict[str, tuple[str, Any]]:
        """Every profile field's latest value: field -> (version, value); `skip`: as if
        that file were not there. Kept until one of the files that hold it changes."""
        key = None
        if skip is None:
            key = (
                signature_of(self.path),
                *(signature_of(path) for device in self.devices() for path in device.device_files),
                *(self._log_version(path) for path in self._log_paths()),
            )
            if self._profile_cache[0] == key:
                return self._profile_cache[1]
        fields = self._merged_profile(skip)
        if key is not None:
            self._profile_cache = (key, fields)
        return fields

    def _log_version(self, path: Path) -> Any:
        log = self._log_at(path).log
        try:
            log.load()
        except (StoreError, OSError):
            return None
        return (path, log.version)

    def _merged_profile(self, skip: Path | None) -> dict[str, tuple[str, Any]]:
        fields: dict[str, tuple[str, Any]] = {}
        if self.path.exists():
            raw = (self._manifest_data().get("profile") or {}).get(META_ID)
            if isinstance(raw, dict):
                fields = {name: (FLOOR, value) for name, value in raw.items()}

        def offer(name: str, version: str, value: Any) -> None:
            if name not in fields or version > fields[name][0]:
                fields[name] = (version, value)

        for device in self.devices():
            for path in device.device_files:
                if path == skip:
                    continue
                empty: dict[str, Any] = {}
                data = self._readable(path, self._device_file(path).load, empty)
                for name, (version, value) in device_profile(data).items():
                    offer(name, version, value)
        for path in self._log_paths():
            if path == skip:
                continue
            nothing: list[Unit] = []
            for unit in self._readable(path, self._log_at(path).units, nothing):
                for name, value in unit.profile.items():
                    offer(name, unit.version or FLOOR, value)
        if fields:
            self._seen = max(self._seen, max(version for version, _ in fields.values()))
        return fields

    def _device_file(self, path: Path) -> CachedJSON:
        if path not in self._device_files:
            self._device_files[path] = CachedJSON(path)
        return self._device_files[path]

    def profile(self) -> Profile:
        self._look()
        fields = self._profile_fields()
        if not fields:
            return Profile()
        known = set(Profile.model_fields)
        raw = {name: value for name, (_, value) in fields.items() if name in known}
        try:
            return Profile.model_validate(raw)
        except ValidationError as error:
            raise DamagedFile(self.path, f"has an invalid profile ({explain(error)})") from None

    def records(
        self,
        model: type[RecordT],
        *,
        newest_first: bool = True,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Iterator[RecordT]:
        """Records of one kind in time order, read a year at a time and only as needed."""
        return self.records_of(  # type: ignore[return-value]
            [model], newest_first=newest_first, since=since, until=until
        )

    def records_of(
        self,
        models: Sequence[type[Record]],
        *,
        newest_first: bool = True,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Iterator[Record]:
        """Records of several kinds in one time order, read a year at a time and only as
        needed: a kind with no records this year never makes the others wait while it
        reads every older year (History's first page read all ten years' files)."""
        tables = [TABLE_OF[model] for model in models]
        # A record is filed under its year in its own offset, which is at most a day away
        # from any other offset's: only a range within a day of New Year reads a
        # neighbouring year (so a damaged old year never blocks today's saves).
        first_year = (since - SHARD_SLACK).year if since is not None else None
        last_year = (until + SHARD_SLACK).year if until is not None else None
        years = [
            year
            for year in self.years()
            if (first_year is None or year >= first_year)
            and (last_year is None or year <= last_year)
        ]
        if not newest_first:
            years.reverse()
        carried: list[Record] = []
        for year in years:
            streams: list[Iterable[Record]] = [carried]
            for table in tables:
                records = self._models(year, table)
                # Sorted by time: the range is found by bisection on the times alone, and
                # only the records read are validated.
                first = 0 if since is None else bisect.bisect_left(records.keys, since)
                end = len(records) if until is None else bisect.bisect_right(records.keys, until)
                streams.append(records.between(first, end, newest_first=newest_first))
            # Records within a day of this year's edge towards the next year read may
            # belong after some of that year's (another offset): they wait for it.
            if newest_first:
                edge = datetime(year, 1, 1, tzinfo=UTC) + SHARD_SLACK
            else:
                edge = datetime(year + 1, 1, 1, tzinfo=UTC) - SHARD_SLACK
            waiting: list[Record] = []
            for record in heapq.merge(*streams, key=_when, reverse=newest_first):
                if waiting or (record.when < edge if newest_first else record.when >= edge):
                    waiting.append(record)
                else:
                    yield record
            carried = waiting
        yield from carried

    def fingerprint(self, since: datetime, until: datetime) -> str:
        """Changes whenever a record dated in [since, until] may have changed, read from
        file signatures and the change logs alone (nothing parsed or validated): what
        `since`..`until` hold can be cached against it across processes."""
        self._look()
        digest = hashlib.sha256(f"{since.isoformat()}|{until.isoformat()}".encode())
        first, last = (since - SHARD_SLACK).year, (until + SHARD_SLACK).year
        for year in self._single_device_years():
            if first <= year <= last:
                digest.update(f"|{year}:{signature_of(self._legacy.file(year).path)}".encode())
        for device in self.devices():
            for year, paths in device.years.items():
                if first <= year <= last:
                    for path in paths:
                        digest.update(f"|{path.name}@{device.device}:{signature_of(path)}".encode())
        logs = [self._legacy.log, *(self._log_at(path).log for path in self._log_paths())]
        for log in logs:
            nothing: list[Unit] = []
            units = self._readable(log.path, log.load, nothing)
            digest.update(f"|log:{log.path.parent.name}".encode())
            for unit in units:
                # A record's own time is exact: a save of today's never touches a window
                # that ends yesterday (so the day's fit survives the day's saves).
                for year, table, record_id, removed_at in unit.remove:
                    when = aware_time(removed_at)
                    if first <= year <= last and (when is None or since <= when <= until):
                        digest.update(f"|-{table}:{record_id}:{unit.version}".encode())
                for _, table, doc in unit.add:
                    when = stored_time(doc, table)
                    if when is None or since <= when <= until:
                        digest.update(f"|+{table}:{unit.version}:".encode() + encode(doc))
        return digest.hexdigest()

    def last(self, model: type[RecordT], before: datetime | None = None) -> RecordT | None:
        return next(self.records(model, until=before), None)

    def has_id(self, record_id: str) -> bool:
        """A record with this id is in the history, in any year (nothing validated)."""
        self._look()
        return any(
            record_id in self._saved_ids(year, table) for year in self.years() for table in TABLES
        )

    def saved_matching(self, records: Iterable[Record]) -> dict[str, Record]:
        """The saved records with these records' ids, looked up where a save would look
        (their year and table, as `commit` does), and only those validated: an import
        into a long history read and validated all of it to find a few."""
        self._look()
        wanted = _ids_by_place(records)
        found: dict[str, Record] = {}
        years = set(self.years())
        for (year, table), ids in wanted.items():
            if year not in years:
                continue
            models = self._models(year, table)
            for index, record_id in enumerate(models.ids):
                if record_id in ids:
                    found[record_id] = models[index]
        return found

    def saved_by_id(self) -> dict[str, Record]:
        """Every record by id (for import: what is new, the same, or in conflict)."""
        return {
            str(record.id): record
            for year in self.years()
            for table in TABLES
            for record in self._models(year, table)
        }

    # --- writing ----------------------------------------------------------------------

    def _require_manifest(self) -> None:
        if not self.path.exists() or self._is_blank_new_file():
            self._create()

    def _last_saved(self, device_files: Iterable[Path], logs: Iterable[Path]) -> str:
        """A device's latest version: its device file's clock (as far as its year files
        go) or its log's last save, whichever is later."""
        last = FLOOR
        for path in device_files:
            empty: dict[str, Any] = {}
            data = self._readable(path, functools.partial(self._load_or_empty, path), empty)
            last = max(last, device_clock(data))
        for path in logs:
            nothing: list[Unit] = []
            units = self._readable(path, self._log_at(path).units, nothing)
            last = max([last, *(unit.version or FLOOR for unit in units)])
        return last

    def _load_or_empty(self, path: Path) -> dict[str, Any]:
        try:
            return self._device_file(path).load()
        except FileNotFoundError:
            return {}

    def commit(
        self,
        add: Sequence[Record] = (),
        remove: Sequence[Record] = (),
        profile: Profile | None = None,
        *,
        to_trash: Sequence[Record] = (),
        from_trash: Sequence[str] = (),
        deleted_at: datetime | None = None,
    ) -> int:
        """One unit of work, under this device's lock, in one append to its change log
        (or, for a large unit, straight into its year files): remove records (a delete:
        kept as a version of its own, so an older edit elsewhere cannot bring it back),
        add records, set the profile's changed fields, each at one new version. Adding a
        record whose id is already in the history (and not removed) adds nothing, so a
        retry after a failure never duplicates. Returns how many records were added.

        A restore (`from_trash`) is the record added again at a version later than its
        delete's. Any failure before the append leaves every file as it was."""
        self._require_manifest()
        with self._writing():
            self._look(fresh=True)
            remove_leftover_temp_files(self.own_dir)
            self._own_log.log.load()
            unit, added = self._unit_for(add, remove)
            kept = {str(record.id): record for record in to_trash}
            stamp = (deleted_at or datetime.now(UTC)).isoformat()
            for record_id, record in kept.items():
                unit.trash[record_id] = {
                    "deleted_at": stamp,
                    "record": record.model_dump(mode="json"),
                }
            if from_trash:
                self._trash_claims()  # what a restore supersedes is seen before its version
            if profile is not None:
                current = self._profile_fields()
                for name, value in profile.model_dump(mode="json").items():
                    if name not in current or current[name][1] != value:
                        unit.profile[name] = value
            if not (unit.add or unit.remove or unit.profile):
                return added
            own_last = self._last_saved([self.own_dir / DEVICE_FILE], [self._own_log.log.path])
            after = max(own_last, self._seen)
            unit.version = next_version(int(self._clock() * 1000), after, self.device)
            self._ensure_own_dir()
            line = unit.line()
            if len(line) > LOG_LIMIT // 4:
                # Too large for the log to be read back: straight into the year files.
                self._fold(unit)
            else:
                self._own_log.log.append(unit, line)
            self._seen = max(self._seen, unit.version)
            self.last_version = unit.version
            if len(unit.add) + len(unit.remove) > DIRECT_WRITE_RECORDS or (
                self._own_log.log.needs_fold()
            ):
                # Saved already; folding is housekeeping, tried again by the next save.
                with contextlib.suppress(StoreError, OSError):
                    self._fold()
        return added

    def absorb_conflict_copies(self) -> int:
        """Save what sync tools' conflict copies of the single-device layout's files hold
        and the history does not (storage/conflicts.py); returns how many records. (A
        device's own files never conflict; a copy of one is read like the file itself.)
        Skipped, to be done at the next open, while another process is saving."""
        from legcoach.storage import conflicts

        found = conflicts.find(self.path, self.shard_dir, LOG)
        if not found.all():
            return 0
        known = {str(key) for key in self.deleted_ids()}
        for copy in found.manifest_copies:
            with contextlib.suppress(StoreError, OSError, ValueError):
                known |= conflicts.trash_ids(copy)  # deleted on either device stays deleted
        candidates: list[Record] = []
        for copy in found.log_copies:
            log = ChangeLog(copy, TABLES)
            with contextlib.suppress(StoreError, OSError, ValueError):
                for unit in log.load():
                    for _, table, doc in unit.add:
                        candidates += self._absorbable(table, doc)
        for copy in found.year_copies:
            with contextlib.suppress(StoreError, OSError, ValueError):
                for table, doc in conflicts.year_documents(copy, TABLES):
                    candidates += self._absorbable(table, doc)
        fresh = {str(r.id): r for r in candidates if str(r.id) not in known}
        waited, self.lock_timeout = self.lock_timeout, 0.0  # never wait on another's save
        try:
            added = self.commit(add=list(fresh.values())) if fresh else 0
        except Locked:
            return 0
        finally:
            self.lock_timeout = waited
        for copy in found.all():
            with contextlib.suppress(OSError):
                conflicts.set_aside(copy)
        return added

    def _absorbable(self, table: str, doc: dict[str, Any]) -> list[Record]:
        model = RECORD_TYPES.get(table)
        if model is None:
            return []
        try:
            return [model.model_validate(strip_version(doc))]
        except ValidationError:
            return []  # a damaged record in a copy: the copy is kept, set aside

    def _trash_claims(self) -> dict[str, tuple[str, str, dict[str, Any]]]:
        """The deletes that hold: record id -> (version, table, trash copy), for records
        deleted with a copy kept and not in the history again (in any year: an edit
        that moved a record to another year deletes it from the first)."""
        live: set[str] = set()
        found: dict[str, tuple[str, str, dict[str, Any]]] = {}
        for record_id, entry in self._single_device_trash().items():
            if isinstance(entry, dict):
                found[str(record_id)] = (FLOOR, str(entry.get("table")), entry)
        for year in self.years():
            for table in TABLES:
                _, best = self._merged_view(year, table)
                for record_id, (version, is_live, what) in best.items():
                    if is_live:
                        live.add(record_id)
                    elif isinstance(what, dict) and (
                        record_id not in found or version > found[record_id][0]
                    ):
                        found[record_id] = (version, table, what)
        return {key: value for key, value in found.items() if key not in live}

    def _single_device_trash(self) -> dict[str, Any]:
        """The schema-2 manifest's trash (id -> entry): the floor of the trash."""
        if not self.path.exists():
            return {}
        return self._manifest_data().get("trash") or {}

    def deleted_matching(self, records: Iterable[Record]) -> set[str]:
        """Which of these records' ids are deleted, looked up where their delete would be
        (their year and table, as `saved_matching` looks), nothing validated: an import
        into a long history no longer merged every year to find a few deletes."""
        self._look()
        wanted = _ids_by_place(records)
        found: set[str] = set()
        legacy = self._single_device_trash()
        years = set(self.years())
        for (year, table), ids in wanted.items():
            best = self._merged_view(year, table)[1] if year in years else {}
            for record_id in ids:
                claim = best.get(record_id)
                if claim is not None:
                    if not claim[1]:
                        found.add(record_id)
                elif record_id in legacy:
                    found.add(record_id)
        return found

    def deleted_ids(self) -> set[str]:
        """The ids of the records in the trash (read, not validated: an import checks
        each record it reads against them)."""
        self._look()
        return set(self._trash_claims())

    def trash(self) -> list[tuple[datetime, Record]]:
        """Deleted records, newest deletion first (kept until restored)."""
        self._look()
        found = []
        for record_id, (_, table, entry) in self._trash_claims().items():
            try:
                model = RECORD_TYPES[table]
                record = self._validate(model, entry["record"], self.path, "trash", record_id)
                found.append((datetime.fromisoformat(entry["deleted_at"]), record))
            except (KeyError, TypeError, ValueError):
                raise DamagedFile(self.path, f"has a damaged trash entry ({record_id})") from None
        return sorted(found, key=lambda pair: pair[0], reverse=True)

    def _unit_for(self, add: Sequence[Record], remove: Sequence[Record]) -> tuple[Unit, int]:
        """The unit to save: every removal, and the additions whose id is not saved (in
        their year and table) once the removals are done. Reads ids only, unvalidated."""
        unit = Unit()
        ids: dict[tuple[int, str], set[str]] = {}

        def saved(key: tuple[int, str]) -> set[str]:
            if key not in ids:
                ids[key] = self._saved_ids(*key)
            return ids[key]

        for record in remove:
            key = (record.when.year, TABLE_OF[type(record)])
            unit.remove.append((*key, str(record.id), record.when.isoformat()))
            saved(key).discard(str(record.id))
        for record in add:
            key = (record.when.year, TABLE_OF[type(record)])
            if str(record.id) not in saved(key):
                saved(key).add(str(record.id))
                unit.add.append((*key, record.model_dump(mode="json")))
        return unit, len(unit.add)

    def _saved_ids(self, year: int, table: str) -> set[str]:
        return set(self._models(year, table).ids)  # the ids alone: nothing validated

    def _own_shard(self, year: int) -> CachedJSON:
        return self._year_file(self.own_dir / f"{year}.json", year).file

    def _blank_shard(self, year: int) -> Callable[[], dict[str, Any]]:
        return lambda: {
            "meta": {META_ID: {"app": APP_ID, "schema": SCHEMA, "year": year}},
            **{table: {} for table in (*TABLES, REMOVED)},
        }

    def _db(self, year: int) -> TinyDB:
        """A fresh TinyDB over this device's cached year file."""
        file = self._own_shard(year)
        storage = _CachedStorage(file, self._blank_shard(year), self._pending)
        return TinyDB(storage=lambda: storage)

    def _fold(self, extra: Unit | None = None) -> None:
        """Write this device's change log (and `extra`) into its year files and its
        device file, each once, then remove the log (lock held). A kill part way leaves
        the log, whose replay over what was written gives the same history (each claim
        carries its version): nothing is lost or doubled."""
        self._ensure_own_dir()
        units = [*self._own_log.log.units, *([extra] if extra else [])]
        records: dict[tuple[int, str], dict[str, dict[str, Any] | None]] = {}
        deletes: dict[int, dict[str, dict[str, Any] | None]] = {}
        profile: dict[str, dict[str, Any]] = {}
        last = FLOOR
        for unit in units:  # in the order saved, which is the order of their versions
            version = unit.version or FLOOR
            last = max(last, version)
            for year, table, record_id, when in unit.remove:
                records.setdefault((year, table), {})[record_id] = None
                tombstone: dict[str, Any] = {
                    "id": record_id,
                    "table": table,
                    "when": when,
                    VERSION: version,
                }
                if record_id in unit.trash:
                    tombstone["trash"] = unit.trash[record_id]
                deletes.setdefault(year, {})[record_id] = tombstone
            for year, table, doc in unit.add:
                records.setdefault((year, table), {})[doc["id"]] = {**doc, VERSION: version}
                deletes.setdefault(year, {})[doc["id"]] = None
            for name, value in unit.profile.items():
                profile[name] = {"v": version, "value": value}
        self._pending = {}
        try:
            for (year, table), changes in records.items():
                self._apply(self._db(year).table(table), changes)
            for year, changes in deletes.items():
                self._apply(self._db(year).table(REMOVED), changes)
            device_path = self.own_dir / DEVICE_FILE
            device = self._device_file(device_path)
            data = self._load_or_empty(device_path) or {
                "meta": {META_ID: {"app": APP_ID, "schema": SCHEMA, "device": self.device}}
            }
            fields = dict(((data.get("profile") or {}).get(META_ID)) or {})
            fields.update(profile)
            clock = max(device_clock(data), last)
            updated = {**data, "profile": {META_ID: fields}, "clock": {META_ID: {"last": clock}}}
            for file in self._pending.values():
                assert file.data is not None
                file.save(file.data)
            if updated != data:
                device.save(updated)  # last: its clock says how far the year files are
        except BaseException:
            for file in self._pending.values():
                file.forget()  # changed in place and not (all) saved: the disk is the truth
            self._own_log.log.forget()
            raise
        finally:
            self._pending = None
            self._look(fresh=True)  # this device's folder has new files: list it again
        self._own_log.log.remove()

    def _ensure_own_dir(self) -> None:
        # The own folder is inside the other two: once it is there, one stat says so
        # (three mkdirs that each fail with "exists" cost a save more than its lookups).
        if os.path.isdir(self.own_dir):
            return
        for folder in (self.shard_dir, self.devices_dir, self.own_dir):
            ensure_private_dir(folder)

    @staticmethod
    def _apply(target: Any, changes: dict[str, dict[str, Any] | None]) -> None:
        """Each id's document replaced by its new one (None: removed), in one read of the
        table and one write: an import of a thousand records is not a thousand rewrites."""
        stale = [doc.doc_id for doc in target.all() if doc.get("id") in changes]
        if stale:
            target.remove(doc_ids=stale)
        fresh = [doc for doc in changes.values() if doc is not None]
        if fresh:
            target.insert_multiple(fresh)

    def fold(self) -> None:
        """Move this device's change log into its year files now."""
        with self._writing():
            if self._own_log.log.load():
                self._fold()

    # --- the doctor -------------------------------------------------------------------

    def survey(self) -> Survey:
        """Every file read once (so every file that does not read is named): the devices
        seen and when each last saved, conflict copies and which of them another file
        makes redundant, and the database's size."""
        self._look()
        invalid: dict[Path, str] = {}
        for year in self.years():
            for table in TABLES:
                records = self._models(year, table)
                for index in range(len(records)):
                    try:
                        records[index]  # validated: a record that does not is named
                    except DamagedFile as error:
                        invalid.setdefault(error.path, str(error))
        self._profile_fields()
        from legcoach.storage import conflicts

        legacy = conflicts.find(self.path, self.shard_dir, LOG)
        copies = legacy.all()
        copies += self._absorbed_copies()
        removable = list(self._absorbed_copies())
        devices: list[DeviceSeen] = []
        size = _size(self.path) + sum(
            _size(self.shard_dir / name)
            for name in ([LOG] + [f"{year}.json" for year in self._single_device_years()])
        )
        for device in self.devices():
            files = device.files()
            last = self._last_saved(device.device_files, device.logs)
            bytes_used = sum(_size(path) for path in files)
            size += bytes_used
            millis = ms_of(last)
            devices.append(
                DeviceSeen(
                    device=device.device,
                    this=device.device == self.device,
                    last_saved=None
                    if millis is None
                    else datetime.fromtimestamp(millis / 1000, UTC),
                    files=len(files),
                    size=bytes_used,
                )
            )
            for copy in device.copies:
                copies.append(copy)
                if self._redundant(copy, device):
                    removable.append(copy)
        return Survey(
            device=self.device,
            devices=devices,
            unreadable={**self.unreadable, **invalid},
            copies=sorted(set(copies)),
            removable=sorted(set(removable)),
            size=size,
        )

    def _absorbed_copies(self) -> list[Path]:
        """Conflict copies of the single-device files already saved again (set aside)."""
        from legcoach.storage.conflicts import ABSORBED

        found: list[Path] = []
        for folder in (self.shard_dir, self.path.parent):
            with contextlib.suppress(OSError):
                found += sorted(p for p in folder.iterdir() if p.name.endswith(ABSORBED))
        return found

    def _redundant(self, copy: Path, device: DeviceFiles) -> bool:
        """Whether the history is the same without this copy: every claim it makes,
        another file makes too, or outdoes."""
        if copy in self.unreadable:
            return False
        if copy in device.device_files:
            return self._profile_fields(skip=copy) == self._profile_fields()
        years = [y for y, paths in device.years.items() if copy in paths]
        if copy in device.logs:
            years = sorted(self._log_at(copy).years())
        for year in years:
            for table in TABLES:
                _, best = self._merged_view(year, table)
                without = _merge(
                    self._legacy.models(year, table),
                    (
                        self._readable(path, read, EMPTY)
                        for path, read in self._sources(year, table)
                        if path != copy
                    ),
                )
                if {k: v[:2] for k, v in without.items()} != {k: v[:2] for k, v in best.items()}:
                    return False
        return True

    def tidy(self) -> list[Path]:
        """Remove the conflict copies the history does not need (checked again now)."""
        removed = []
        for path in self.survey().removable:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
        return removed

    # --- the status cache -------------------------------------------------------------

    def write_status_cache(self, data: dict[str, Any]) -> None:
        """Best effort: the cache is disposable, so a failure here never fails a save.
        Written twice, on this computer only (never into a synced folder): JSON (home's
        first frame, the full status path) and as plain lines for `legcoach status`
        (storage/statusline.py)."""
        from legcoach.storage.snapshot import write_status_line

        with contextlib.suppress(OSError, StoreError):
            ensure_private_dir(self.local_dir)
            atomic_write_bytes(status_cache_of(self.path), encode(data), durable=False)
            write_status_line(self.path, data)

    def remove_status_cache(self) -> None:
        with contextlib.suppress(OSError):
            status_cache_of(self.path).unlink()
        statusline.remove(str(self.path))


@dataclass
class DeviceSeen:
    device: str
    this: bool
    last_saved: datetime | None
    files: int
    size: int


@dataclass
class Survey:
    """What `legcoach doctor` reports."""

    device: str
    devices: list[DeviceSeen]
    unreadable: dict[Path, str]
    copies: list[Path]
    removable: list[Path]
    size: int


def _ids_by_place(records: Iterable[Record]) -> dict[tuple[int, str], set[str]]:
    """The records' ids by (year, table): where a save or a delete of each is filed."""
    wanted: dict[tuple[int, str], set[str]] = {}
    for record in records:
        wanted.setdefault((record.when.year, TABLE_OF[type(record)]), set()).add(str(record.id))
    return wanted


def _merge(base: YearRecords, parts: Iterable[Claims]) -> Claims:
    """Per record id the winning claim: the single-device records at the floor, then
    every device file's claims (sources.better)."""
    best: Claims = {entry[1]: (FLOOR, True, entry) for entry in base.entries()}
    for part in parts:
        merge_into(best, part)
    return best


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _claims_of(log: LogClaims, validate: Validate, year: int, table: str, look: int) -> Claims:
    return log.claims(validate, look).get((year, table), EMPTY)


def _when(record: Record) -> datetime:
    return record.when


__all__ = [
    "SCHEMA",
    "DamagedFile",
    "ForeignFile",
    "Locked",
    "NewerSchema",
    "Store",
    "StoreError",
]
