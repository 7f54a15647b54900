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
import shutil
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from pydantic import ValidationError
from tinydb import Query, TinyDB
from tinydb.storages import Storage

from legcoach.models import (
    RECORD_TYPES,
    CheckIn,
    LegSession,
    Profile,
    Record,
    explain,
)
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
)
from legcoach.storage.layout import (
    META_ID,
    SCHEMA,
    check_manifest,
    claim_instance,
    is_blank_new,
    shard_dir_of,
    status_cache_of,
    years_of,
)
from legcoach.storage.snapshot import status_basis

TABLES = tuple(RECORD_TYPES)
TABLE_OF: dict[type[Record], str] = {model: table for table, model in RECORD_TYPES.items()}

RecordT = TypeVar("RecordT", bound=Record)


class _CachedStorage(Storage):
    """TinyDB storage over a `CachedJSON`: reads from memory, writes atomically."""

    def __init__(self, file: CachedJSON, blank: Callable[[], dict[str, Any]]) -> None:
        self._file = file
        self._blank = blank

    def read(self) -> dict[str, Any]:
        try:
            return self._file.load()
        except FileNotFoundError:
            self._file.data = self._blank()
            return self._file.data

    def write(self, data: dict[str, Any]) -> None:
        self._file.save(data)


class Store:
    """The user's history. Reads never lock; every write holds the database lock."""

    def __init__(self, path: Path, *, create: bool = True, lock_timeout: float = 10.0) -> None:
        self.path = Path(path).expanduser()
        self.shard_dir = shard_dir_of(self.path)
        self.lock_timeout = lock_timeout
        self._write_lock = FileLock(
            self.path.with_name(self.path.name + ".lock"),
            f"{self.path} is busy: another legcoach is saving to it",
        )
        self._instance_lock: FileLock | None = None
        self._manifest = CachedJSON(self.path)
        self._shards: dict[int, CachedJSON] = {}
        self._validated: dict[tuple[int, str], tuple[Any, list[Record]]] = {}
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
            backup = self._free_name(f".schema{schema}.bak")
            shutil.copy2(self.path, backup)
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

    def _free_name(self, suffix: str) -> Path:
        candidate = self.path.with_name(self.path.name + suffix)
        number = 1
        while candidate.exists():
            number += 1
            candidate = self.path.with_name(f"{self.path.name}{suffix}.{number}")
        return candidate

    # --- locking ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        ensure_private_dir(self.shard_dir)
        with self._write_lock.held(self.lock_timeout):
            yield

    def claim_instance(self) -> None:
        """Refuse a second interactive app on the same database (the CLI may still save)."""
        self._instance_lock = claim_instance(self.path)

    def close(self) -> None:
        if self._instance_lock:
            self._instance_lock.release()
            self._instance_lock = None

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
        storage = _CachedStorage(file, self._blank_shard(year))
        if file.path.exists():
            self._check_shard(file, year)
        return TinyDB(storage=lambda: storage)

    def _check_shard(self, file: CachedJSON, year: int) -> None:
        data = file.load()
        meta = (data.get("meta") or {}).get(META_ID)
        if not isinstance(meta, dict) or meta.get("app") != APP_ID:
            raise ForeignFile(file.path, "is not a legcoach history file")
        if meta.get("year") != year:
            raise DamagedFile(file.path, f"holds year {meta.get('year')}, not {year}")

    def _raw(self, year: int, table: str) -> dict[str, Any]:
        db = self._db(year)
        try:
            return db.storage.read().get(table) or {}
        finally:
            db.close()

    def _validate(
        self, model: type[RecordT], raw: Any, path: Path, table: str, doc_id: str
    ) -> RecordT:
        try:
            return model.model_validate(raw)
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
        for year in years:
            if since is not None and year < since.year - 1:
                if newest_first:
                    return
                continue
            if until is not None and year > until.year + 1:
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

    def last_leg_session(self, before: datetime | None = None) -> LegSession | None:
        return self.last(LegSession, before)

    def latest_checkin(self) -> CheckIn | None:
        return self.last(CheckIn)

    def checkin_on(self, day: date) -> CheckIn | None:
        for checkin in self._models(day.year, "checkins"):
            if checkin.day == day:  # type: ignore[attr-defined]
                return checkin  # type: ignore[return-value]
        return None

    def find(self, model: type[RecordT], record_id: UUID) -> RecordT | None:
        for record in self.records(model):
            if record.id == record_id:
                return record
        return None

    def count(self, model: type[Record]) -> int:
        return sum(len(self._raw(year, TABLE_OF[model])) for year in self.years())

    def all_ids(self) -> set[str]:
        """Every record id, read without validation (for idempotent import)."""
        return {
            str(doc.get("id"))
            for year in self.years()
            for table in TABLES
            for doc in self._raw(year, table).values()
        }

    # --- writing ----------------------------------------------------------------------

    def _require_manifest(self) -> None:
        if not self.path.exists() or self._is_blank_new_file():
            self._create()

    def add(self, record: Record) -> None:
        """Save a new leg session, check-in or run."""
        self._require_manifest()
        with self._writing():
            db = self._db(record.when.year)
            db.table(TABLE_OF[type(record)]).insert(record.model_dump(mode="json"))

    def save_checkin(self, checkin: CheckIn) -> tuple[CheckIn, bool]:
        """Save the day's check-in; a second one the same day replaces the first.

        Returns the stored check-in (keeping the first one's id) and whether it replaced one.
        """
        self._require_manifest()
        with self._writing():
            db = self._db(checkin.day.year)
            table = db.table("checkins")
            same_day = table.search(Query().at.test(lambda at: at[:10] == checkin.day.isoformat()))
            if same_day:
                stored = checkin.model_copy(update={"id": UUID(same_day[0]["id"])})
                table.update(
                    lambda doc: (doc.clear(), doc.update(stored.model_dump(mode="json"))),
                    doc_ids=[same_day[0].doc_id],
                )
                return stored, True
            table.insert(checkin.model_dump(mode="json"))
            return checkin, False

    def replace(self, record: Record) -> None:
        """Overwrite a saved record that has the same id and the same year."""
        self._require_manifest()
        with self._writing():
            table = self._db(record.when.year).table(TABLE_OF[type(record)])
            updated = table.update(
                lambda doc: (doc.clear(), doc.update(record.model_dump(mode="json"))),
                Query().id == str(record.id),
            )
            if not updated:
                raise StoreError(f"no saved record with id {record.id} to update")

    def save_profile(self, profile: Profile) -> None:
        self._require_manifest()
        with self._writing():
            data = self._manifest_data()
            self._manifest.save({**data, "profile": {META_ID: profile.model_dump(mode="json")}})

    def import_records(self, records: Iterable[Record]) -> int:
        """Add records whose id is not saved yet; importing the same file twice adds nothing."""
        self._require_manifest()
        with self._writing():
            return self._insert_new(list(records))

    def _insert_new(self, records: list[Record]) -> int:
        known = self.all_ids()
        by_shard: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for record in records:
            if str(record.id) in known:
                continue
            known.add(str(record.id))
            key = (record.when.year, TABLE_OF[type(record)])
            by_shard.setdefault(key, []).append(record.model_dump(mode="json"))
        for (year, table), docs in sorted(by_shard.items()):
            self._db(year).table(table).insert_multiple(docs)
        return sum(len(docs) for docs in by_shard.values())

    # --- the status cache -------------------------------------------------------------

    def basis(self) -> dict[str, Any]:
        """What the status cache was computed from: changes whenever any saved file does."""
        return status_basis(self.path)

    def write_status_cache(self, data: dict[str, Any]) -> None:
        """Best effort: the cache is disposable, so a failure here never fails a save."""
        with contextlib.suppress(OSError):
            ensure_private_dir(self.shard_dir)
            atomic_write_bytes(status_cache_of(self.path), encode(data))


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
    "status_basis",
]
