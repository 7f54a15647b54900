"""The history on disk: the only code that touches TinyDB.

Layout (schema 2), built for years of daily use:

    legcoach.json             the manifest: app id, schema version, profile
    legcoach.json.d/2026.json one TinyDB file per calendar year: leg_sessions, checkins, runs
    legcoach.json.d/status.json  a disposable cache for `legcoach status`
    legcoach.json.lock        held while writing, so two processes never lose each other's saves

A save rewrites one year (a few hundred KB at most), never the whole history, and each
write is atomic (files.atomic_write_bytes). Records are stored as the models' JSON and
validated on the way back in; the TinyDB document id is only a storage key, the model's
own UUID is the record's identity (used for idempotent import).
"""

from __future__ import annotations

import contextlib
import filecmp
import shutil
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from tinydb import Query, TinyDB
from tinydb.storages import Storage

from legcoach.models import RECORD_TYPES, STORED, Profile, Record, explain
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

TABLES = tuple(RECORD_TYPES)
SHARD_SLACK = timedelta(days=1)
TABLE_OF: dict[type[Record], str] = {model: table for table, model in RECORD_TYPES.items()}

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
        self._validated: dict[tuple[int, str], tuple[Any, list[Record]]] = {}
        self._pending: dict[Path, CachedJSON] | None = None
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
        """The years that hold records, newest first."""
        return years_of(self.path)

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

    def _models(self, year: int, table: str) -> list[Record]:
        """A year's records of one table, validated and sorted oldest first (cached)."""
        file = self._shard_file(year)
        if not file.path.exists():
            return []
        raw = self._raw(year, table)
        key = (year, table)
        cached = self._validated.get(key)
        if cached and cached[0] == file.signature:
            return cached[1]
        model = RECORD_TYPES[table]
        records = [self._validate(model, doc, file.path, table, i) for i, doc in raw.items()]
        records.sort(key=lambda record: record.when)
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
        table = TABLE_OF[model]
        years = self.years()
        if not newest_first:
            years.reverse()
        # A record is filed under its year in its own offset, which is at most a day away
        # from any other offset's: only a range within a day of New Year reads a
        # neighbouring year (so a damaged old year never blocks today's saves).
        first_year = (since - SHARD_SLACK).year if since is not None else None
        last_year = (until + SHARD_SLACK).year if until is not None else None
        for year in years:
            if first_year is not None and year < first_year:
                if newest_first:
                    return
                continue
            if last_year is not None and year > last_year:
                if newest_first:
                    continue
                return
            records = self._models(year, table)
            for record in reversed(records) if newest_first else records:
                if since is not None and record.when < since:
                    continue
                if until is not None and record.when > until:
                    continue
                yield record  # type: ignore[misc]

    def last(self, model: type[RecordT], before: datetime | None = None) -> RecordT | None:
        return next(self.records(model, until=before), None)

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
        records, and save the profile; each touched file is written once, the manifest
        last. Adding a record whose id is already saved (and not removed) adds nothing,
        so a retry after a failure never duplicates. Returns how many records were added.

        Any failure before the writes leaves every file as it was."""
        self._require_manifest()
        with self._writing():
            added = self._write_unit(add, remove)
            if profile is not None or to_trash or from_trash:
                data = self._manifest_data()
                trash = dict(data.get("trash") or {})
                for record in to_trash:
                    trash[str(record.id)] = {
                        "table": TABLE_OF[type(record)],
                        "deleted_at": (deleted_at or datetime.now(UTC)).isoformat(),
                        "record": record.model_dump(mode="json"),
                    }
                for record_id in from_trash:
                    trash.pop(record_id, None)
                updated = {**data, "trash": trash}
                if profile is not None:
                    updated["profile"] = {META_ID: profile.model_dump(mode="json")}
                self._manifest.save(updated)
        return added

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

    def _apply(self, add: Sequence[Record], remove: Sequence[Record]) -> tuple[int, dict]:
        """The changes made in memory; returns how many were added, and per (year, table)
        the ids removed and the records added (to update the validated cache)."""
        changes: dict[tuple[int, str], tuple[set[str], list[Record]]] = {}
        for record in remove:
            key = (record.when.year, TABLE_OF[type(record)])
            self._db(key[0]).table(key[1]).remove(Query().id == str(record.id))
            changes.setdefault(key, (set(), []))[0].add(str(record.id))
        by_shard: dict[tuple[int, str], list[Record]] = {}
        for record in add:
            by_shard.setdefault((record.when.year, TABLE_OF[type(record)]), []).append(record)
        added = 0
        for (year, table), records in sorted(by_shard.items()):
            target = self._db(year).table(table)
            saved = {str(doc.get("id")) for doc in target.all()}
            new = []
            for record in records:
                if str(record.id) not in saved:
                    saved.add(str(record.id))
                    new.append(record)
            if new:
                target.insert_multiple(record.model_dump(mode="json") for record in new)
                changes.setdefault((year, table), (set(), []))[1].extend(new)
                added += len(new)
        return added, changes

    def _write_unit(self, add: Sequence[Record], remove: Sequence[Record]) -> int:
        """Apply the changes in memory, then save each touched file once (lock held)."""
        self._pending = {}
        try:
            before = {
                year: self._shard_file(year).signature
                for year in {record.when.year for record in (*add, *remove)}
            }
            added, changes = self._apply(add, remove)
            for file in self._pending.values():
                assert file.data is not None
                file.save(file.data)
        except BaseException:
            for file in self._pending.values():
                file.forget()  # changed in place and not (all) saved: the disk is the truth
            raise
        finally:
            self._pending = None
        self._update_validated(changes, before)
        return added

    def _update_validated(self, changes: dict, before: dict[int, Any]) -> None:
        """Keep the validated records of the year files just written, instead of
        validating whole years again on the next read: in the tables written, what was
        removed goes and what was added comes; the other tables are as they were."""
        for key, cached in list(self._validated.items()):
            year = key[0]
            if year not in before:
                continue
            signature = self._shard_file(year).signature
            if cached[0] != before[year] or signature is None:
                del self._validated[key]  # not what we read before writing: read it again
                continue
            removed, new = changes.get(key, (set(), []))
            records = [r for r in cached[1] if str(r.id) not in removed] + new
            records.sort(key=lambda record: record.when)
            self._validated[key] = (signature, records)

    def _insert_new(self, records: list[Record]) -> int:
        """Migration only: add the records not saved yet, within the current lock."""
        known = set(self.saved_by_id())
        return self._write_unit([r for r in records if str(r.id) not in known], ())

    # --- the status cache -------------------------------------------------------------

    def write_status_cache(self, data: dict[str, Any]) -> None:
        """Best effort: the cache is disposable, so a failure here never fails a save."""
        with contextlib.suppress(OSError, StoreError):
            ensure_private_dir(self.shard_dir)
            atomic_write_bytes(status_cache_of(self.path), encode(data))

    def remove_status_cache(self) -> None:
        with contextlib.suppress(OSError):
            status_cache_of(self.path).unlink()


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
