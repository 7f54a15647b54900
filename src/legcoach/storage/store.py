"""The history on disk: the only code that touches TinyDB.

Layout (schema 2), built for years of daily use:

    legcoach.json             the manifest: app id, schema version, profile
    legcoach.json.d/2026.json one TinyDB file per calendar year: leg_sessions, checkins, runs
    legcoach.json.d/changes.jsonl  recent saves, one line each (storage/changelog.py)
    legcoach.json.d/status.json  a disposable cache: home's first frame, the status
    legcoach.json.d/status.line  the same status as plain numbers (storage/statusline.py)
    legcoach.json.lock        held while writing, so two processes never lose each other's saves

A save appends one line to the change log and fsyncs it: one small durable write,
whatever the history. Every ~50 saves (and for a large unit such as an import) the log
is folded into the year files, each written atomically (files.atomic_write_bytes). Records are stored as the models' JSON and
validated on the way back in; the TinyDB document id is only a storage key, the model's
own UUID is the record's identity (used for idempotent import).
"""

from __future__ import annotations

import bisect
import contextlib
import filecmp
import hashlib
import heapq
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from tinydb import Query, TinyDB
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
    change_log_of,
    check_manifest,
    is_blank_new,
    shard_dir_of,
    status_cache_of,
    years_of,
)
from legcoach.storage.lazy import YearRecords, aware_time, overlaid, stored_time, year_records

TABLES = tuple(RECORD_TYPES)
SHARD_SLACK = timedelta(days=1)
TABLE_OF: dict[type[Record], str] = {model: table for table, model in RECORD_TYPES.items()}
# A unit this large (an import, a migration) goes straight into the year files.
DIRECT_WRITE_RECORDS = 64

RecordT = TypeVar("RecordT", bound=Record)


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
    """The user's history. Reads never lock; every write holds the database lock."""

    def __init__(self, path: Path, *, create: bool = True, lock_timeout: float = 10.0) -> None:
        # Resolved once: a database reached through a link keeps every file of its own
        # (year files, lock, cache) beside the real file, never beside the link.
        self.path = Path(path).expanduser().resolve()
        self.shard_dir = shard_dir_of(self.path)
        self.lock_timeout = lock_timeout
        self._write_lock = FileLock(
            self.path.with_name(self.path.name + ".lock"),
            f"{self.path} is busy: another legcoach is saving to it",
        )
        self._manifest = CachedJSON(self.path)
        self._shards: dict[int, CachedJSON] = {}
        self._validated: dict[tuple[int, str], tuple[Any, YearRecords]] = {}
        self._checked: dict[int, Any] = {}
        self._years: tuple[Any, list[int]] = (
            None,
            [],
        )  # year -> the signature whose shape was checked
        self._log = ChangeLog(change_log_of(self.path), TABLES)
        self._log_records: tuple[int, dict[tuple[int, str], list[tuple[str, Record | None]]]]
        self._log_records = (-1, {})
        self._overlaid: dict[tuple[int, str], tuple[Any, Any, YearRecords]] = {}
        self._pending: dict[Path, CachedJSON] | None = None
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
        self._remove_leftovers()
        self.absorbed = self.absorb_conflict_copies()

    def _remove_leftovers(self) -> None:
        """Temp files from a write that was killed; only when no other process writes."""
        if not self.shard_dir.is_dir():
            return
        try:
            with self._write_lock.held(0):
                remove_leftover_temp_files(self.shard_dir)
                remove_leftover_temp_files(self.path.parent)
        except (Locked, OSError):
            pass  # someone is saving: their temp file is not a leftover

    def _is_blank_new_file(self) -> bool:
        return is_blank_new(self.path)

    def _create(self) -> None:
        ensure_private_dir(self.path.parent)
        with self._writing():
            if self._is_blank_new_file():  # another process may have created it meanwhile
                self._manifest.save(
                    {
                        "meta": {META_ID: {"app": APP_ID, "schema": SCHEMA, "created_at": _now()}},
                        "profile": {},
                    }
                )

    def _manifest_data(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"meta": {META_ID: {"app": APP_ID, "schema": SCHEMA}}, "profile": {}}
        data = self._manifest.load()
        check_manifest(self.path, data)
        return data

    def _migrate(self, schema: int) -> None:
        """Bring an older database up to date, after keeping a copy of the old file."""
        with self._writing():
            data = self._manifest.load()
            if data["meta"][META_ID].get("schema") != schema:
                return  # migrated by another process while we waited
            self._keep_backup(f".schema{schema}.bak")
            if schema == 1:
                self._migrate_1_to_2(data)

    def _migrate_1_to_2(self, data: dict[str, Any]) -> None:
        # Schema 1 kept every record in the one file; schema 2 splits them by year so a
        # save rewrites one year only. Records go in first, the manifest last: a crash in
        # between leaves schema 1 in place and the next open repeats the (idempotent) move.
        records: list[Record] = []
        for table, model in RECORD_TYPES.items():
            for doc_id, raw in (data.get(table) or {}).items():
                records.append(self._validate(model, raw, self.path, table, doc_id))
        self._insert_new(records)
        manifest = {key: value for key, value in data.items() if key not in TABLES}
        manifest["meta"] = {META_ID: {**data["meta"][META_ID], "schema": SCHEMA}}
        self._manifest.save(manifest)

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
        ensure_private_dir(self.shard_dir)
        with self._write_lock.held(self.lock_timeout):
            yield

    # --- shards -----------------------------------------------------------------------

    def years(self) -> list[int]:
        """The years that hold records (in a year file or the change log), newest first."""
        # Listed again only when the folder changes (a file added or removed changes its
        # mtime): reads ask for the years many times per plan.
        folder = signature_of(self.shard_dir)
        if self._years[0] != folder or folder is None:
            self._years = (folder, years_of(self.path))
        years = list(self._years[1])
        logged = {year for unit in self._log.load() for year, _, _ in unit.add}
        if logged - set(years):
            return sorted(logged | set(years), reverse=True)
        return years

    def _shard_file(self, year: int) -> CachedJSON:
        if year not in self._shards:
            self._shards[year] = CachedJSON(self.shard_dir / f"{year}.json")
        return self._shards[year]

    def _blank_shard(self, year: int) -> Callable[[], dict[str, Any]]:
        return lambda: {
            "meta": {META_ID: {"app": APP_ID, "schema": SCHEMA, "year": year}},
            **{table: {} for table in TABLES},
        }

    def _db(self, year: int) -> TinyDB:
        """A fresh TinyDB over the cached shard: no stale ids or query caches across processes."""
        file = self._shard_file(year)
        storage = _CachedStorage(file, self._blank_shard(year), self._pending)
        if file.path.exists() and not (self._pending and file.path in self._pending):
            self._check_shard(file, year)
        return TinyDB(storage=lambda: storage)

    def _check_shard(self, file: CachedJSON, year: int) -> None:
        data = file.load()
        if self._checked.get(year) == file.signature:
            return
        meta = data.get("meta")
        meta = meta.get(META_ID) if isinstance(meta, dict) else None
        if not isinstance(meta, dict) or meta.get("app") != APP_ID:
            raise ForeignFile(file.path, "is not a legcoach history file")
        if meta.get("year") != year:
            raise DamagedFile(file.path, f"holds year {meta.get('year')}, not {year}")
        for table in TABLES:
            docs = data.get(table, {})
            if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
                raise DamagedFile(file.path, f"has a damaged table {table!r}")
        self._checked[year] = file.signature

    def _raw(self, year: int, table: str) -> dict[str, Any]:
        db = self._db(year)
        try:
            data = db.storage.read() or {}
            return data.get(table) or {}
        finally:
            db.close()

    def _validate(
        self, model: type[RecordT], raw: Any, path: Path, table: str, doc_id: str
    ) -> RecordT:
        try:
            return model.model_validate(raw, context=STORED)
        except ValidationError as error:
            raise DamagedFile(
                path, f"has a record that does not validate ({table} #{doc_id}: {explain(error)})"
            ) from None

    def _models(self, year: int, table: str) -> YearRecords:
        """A year's records of one table, as the year file and the change log have them
        together, sorted oldest first, each validated when first read (cached)."""
        # The log first, then the year file: a fold between the two reads then shows its
        # units twice, which replaying makes harmless, never not at all.
        ops = self._log_ops().get((year, table))
        base = self._year_models(year, table)
        if not ops:
            return base
        key = (year, table)
        cached = self._overlaid.get(key)
        if cached and cached[0] is base and cached[1] == self._log.version:
            return cached[2]
        records = overlaid(base, ops)
        self._overlaid[key] = (base, self._log.version, records)
        return records

    def _log_ops(self) -> dict[tuple[int, str], list[tuple[str, Record | None]]]:
        """The change log per (year, table), in order: (id, None) removes, (id, record)
        adds unless the id is there. Validated once per version of the log."""
        units = self._log.load()
        if self._log_records[0] == self._log.version:
            return self._log_records[1]
        ops: dict[tuple[int, str], list[tuple[str, Record | None]]] = {}
        for unit in units:
            for year, table, record_id, _ in unit.remove:
                ops.setdefault((year, table), []).append((record_id, None))
            for year, table, doc in unit.add:
                record = self._validate(
                    RECORD_TYPES[table], doc, self._log.path, table, str(doc["id"])
                )
                ops.setdefault((year, table), []).append((str(doc["id"]), record))
        self._log_records = (self._log.version, ops)
        return ops

    def _year_models(self, year: int, table: str) -> YearRecords:
        """A year file's records of one table, sorted oldest first (cached); each is
        validated the first time it is read (storage/lazy.py)."""
        file = self._shard_file(year)
        key = (year, table)
        cached = self._validated.get(key)
        if cached and cached[0] == signature_of(file.path):
            return cached[1]
        model = RECORD_TYPES[table]

        def validate(doc_id: str, doc: Any) -> Record:
            return self._validate(model, doc, file.path, table, doc_id)

        if not file.path.exists():
            return year_records({}, table, validate)
        records = year_records(self._raw(year, table), table, validate)
        self._validated[key] = (file.signature, records)
        return records

    # --- reading ----------------------------------------------------------------------

    def profile(self) -> Profile:
        if not self.path.exists():
            return Profile()
        raw = (self._manifest_data().get("profile") or {}).get(META_ID)
        if raw is None:
            return Profile()
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
        file signatures and the change log alone (nothing parsed or validated): what
        `since`..`until` hold can be cached against it across processes."""
        digest = hashlib.sha256(f"{since.isoformat()}|{until.isoformat()}".encode())
        first, last = (since - SHARD_SLACK).year, (until + SHARD_SLACK).year
        for year in self.years():
            if first <= year <= last:
                digest.update(f"|{year}:{signature_of(self._shard_file(year).path)}".encode())
        for unit in self._log.load():
            # A record's own time is exact: a save of today's never touches a window that
            # ends yesterday (so the day's fit survives the day's saves).
            for year, table, record_id, removed_at in unit.remove:
                when = aware_time(removed_at)
                if first <= year <= last and (when is None or since <= when <= until):
                    digest.update(f"|-{table}:{record_id}".encode())
            for _, table, doc in unit.add:
                when = stored_time(doc, table)
                if when is None or since <= when <= until:
                    digest.update(f"|+{table}:".encode() + encode(doc))
        return digest.hexdigest()

    def last(self, model: type[RecordT], before: datetime | None = None) -> RecordT | None:
        return next(self.records(model, until=before), None)

    def has_id(self, record_id: str) -> bool:
        """A record with this id is saved, in any year (ids only, nothing validated)."""
        return any(
            record_id in self._saved_ids(year, table) for year in self.years() for table in TABLES
        )

    def saved_matching(self, records: Iterable[Record]) -> dict[str, Record]:
        """The saved records with these records' ids, looked up where a save would look
        (their year and table, as `commit` does), and only those validated: an import
        into a long history read and validated all of it to find a few."""
        wanted: dict[tuple[int, str], set[str]] = {}
        for record in records:
            wanted.setdefault((record.when.year, TABLE_OF[type(record)]), set()).add(str(record.id))
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
        """One unit of work: under one lock, remove records (by id, from their year), add
        records, and save the profile; the records go in one append to the change log (or,
        for a large unit, straight into the year files), the manifest last. Adding a
        record whose id is already saved (and not removed) adds nothing, so a retry after
        a failure never duplicates. Returns how many records were added.

        Any failure before the writes leaves every file as it was."""
        self._require_manifest()
        with self._writing():
            self._log.load()
            unit, added = self._unit_for(add, remove)
            before: dict[str, Any] | None = None
            updated: dict[str, Any] | None = None
            if profile is not None or to_trash or from_trash:
                before = self._manifest_data()
                trash = dict(before.get("trash") or {})
                for record in to_trash:
                    trash[str(record.id)] = {
                        "table": TABLE_OF[type(record)],
                        "deleted_at": (deleted_at or datetime.now(UTC)).isoformat(),
                        "record": record.model_dump(mode="json"),
                    }
                for record_id in from_trash:
                    trash.pop(record_id, None)
                updated = {**before, "trash": trash}
                if profile is not None:
                    updated["profile"] = {META_ID: profile.model_dump(mode="json")}
            # The order makes a kill at any point safe. A record in the trash and in the
            # history is in the history (restore refuses its trash copy; an import finds
            # it saved): so a delete writes its trash copy first and then removes the
            # record, and a restore adds the record first and then drops the trash copy
            # (housekeeping once the record is back).
            restoring = bool(from_trash)
            try:
                if updated is not None and not restoring:
                    # Inside the try: a save that fails after its rename (the folder's
                    # fsync) has replaced the manifest, and must be put back too.
                    self._manifest.save(updated)
                if unit.add or unit.remove:
                    if len(unit.line()) > LOG_LIMIT // 4:
                        # Too large for the log to be read back: straight into the year files.
                        self._fold(unit)
                    else:
                        # Durable in the log first: a fold that fails half way (a full
                        # disk, a kill) leaves the whole unit in the log, which every
                        # reader replays: all of it is saved, or none.
                        self._log.append(unit)
            except BaseException:
                if before is not None and not restoring:
                    with contextlib.suppress(StoreError, OSError):
                        self._manifest.save(before)
                raise
            if updated is not None and restoring:
                # The record is back; a trash copy a failure here leaves behind is
                # refused by restore (the record is in the history).
                with contextlib.suppress(StoreError, OSError):
                    self._manifest.save(updated)
            if len(unit.add) + len(unit.remove) > DIRECT_WRITE_RECORDS or self._log.needs_fold():
                # Saved already; folding is housekeeping, tried again by the next save.
                with contextlib.suppress(StoreError, OSError):
                    self._fold()
        return added

    def absorb_conflict_copies(self) -> int:
        """Save what sync tools' conflict copies of this history's files hold and the
        history does not (storage/conflicts.py); returns how many records. Skipped, to
        be done at the next open, while another process is saving."""
        from legcoach.storage import conflicts

        found = conflicts.find(self.path, self.shard_dir, change_log_of(self.path).name)
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
            return [model.model_validate(doc)]
        except ValidationError:
            return []  # a damaged record in a copy: the copy is kept, set aside

    def deleted_ids(self) -> set[str]:
        """The ids of the records in the trash (read, not validated: an import checks
        each record it reads against them)."""
        if not self.path.exists():
            return set()
        return {str(key) for key in (self._manifest_data().get("trash") or {})}

    def trash(self) -> list[tuple[datetime, Record]]:
        """Deleted records, newest deletion first (kept in the manifest until restored)."""
        if not self.path.exists():
            return []
        entries = self._manifest_data().get("trash") or {}
        found = []
        for record_id, entry in entries.items():
            try:
                model = RECORD_TYPES[entry["table"]]
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

    def _fold(self, extra: Unit | None = None) -> None:
        """Write the change log (and `extra`) into the year files, each file once, then
        remove the log (lock held). The validated view of each table written is kept."""
        units = [*self._log.units, *([extra] if extra else [])]
        touched = {(year, table) for unit in units for year, table, *_ in unit.remove}
        touched |= {(year, table) for unit in units for year, table, _ in unit.add}
        self._log.stage(units)  # read as if appended, to know the tables' views after
        self._pending = {}
        try:
            views = {key: self._models(*key) for key in touched}
            ids: dict[tuple[int, str], set[str]] = {}
            for unit in units:
                for year, table, record_id, _ in unit.remove:
                    self._db(year).table(table).remove(Query().id == record_id)
                    ids.pop((year, table), None)
                for year, table, doc in unit.add:
                    target = self._db(year).table(table)
                    if (year, table) not in ids:
                        ids[(year, table)] = {str(d.get("id")) for d in target.all()}
                    if doc["id"] not in ids[(year, table)]:
                        target.insert(doc)
                        ids[(year, table)].add(doc["id"])
            for file in self._pending.values():
                assert file.data is not None
                file.save(file.data)
        except BaseException:
            for file in self._pending.values():
                file.forget()  # changed in place and not (all) saved: the disk is the truth
            self._log.forget()
            raise
        finally:
            self._pending = None
        self._log.remove()
        self._overlaid.clear()
        for key, records in views.items():
            self._validated[key] = (self._shard_file(key[0]).signature, records)

    def fold(self) -> None:
        """Move the change log into the year files now (e.g. before copying them)."""
        with self._writing():
            if self._log.load():
                self._fold()

    def _insert_new(self, records: list[Record]) -> int:
        """Migration only: add the records not saved yet, within the current lock."""
        unit, added = self._unit_for(records, ())
        if unit.add:
            self._fold(unit)
        return added

    # --- the status cache -------------------------------------------------------------

    def write_status_cache(self, data: dict[str, Any]) -> None:
        """Best effort: the cache is disposable, so a failure here never fails a save.
        Written twice: JSON (home's first frame, the full status path) and as plain
        lines for `legcoach status` (storage/statusline.py)."""
        from legcoach.storage.snapshot import write_status_line

        with contextlib.suppress(OSError, StoreError):
            ensure_private_dir(self.shard_dir)
            atomic_write_bytes(status_cache_of(self.path), encode(data), durable=False)
            write_status_line(self.path, data)

    def remove_status_cache(self) -> None:
        with contextlib.suppress(OSError):
            status_cache_of(self.path).unlink()
        statusline.remove(str(self.path))


def _when(record: Record) -> datetime:
    return record.when


def _now() -> str:
    return datetime.now(UTC).isoformat()


__all__ = [
    "SCHEMA",
    "DamagedFile",
    "ForeignFile",
    "Locked",
    "NewerSchema",
    "Store",
    "StoreError",
]
