"""The single-device layout (schema 2), read only: the history's floor since schema 3.

Its year files (`legcoach.json.d/YYYY.json`) and change log (`changes.jsonl`) stay where
they are after the move-over and are never written again; every record in them is at the
lowest version (versions.FLOOR), so any device's later save of a record wins over it.
Replaying its log is the schema-2 rule: remove the ids, then add each record whose id is
not there (lazy.overlaid).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from legcoach.models import RECORD_TYPES, Record
from legcoach.storage.changelog import ChangeLog
from legcoach.storage.files import CachedJSON, signature_of
from legcoach.storage.lazy import YearRecords, overlaid, year_records
from legcoach.storage.sources import check_year_file
from legcoach.storage.stamps import LOG

Ops = dict[tuple[int, str], list[tuple[str, Record | None]]]
Validate = Callable[[type[Record], Any, Path, str, str], Record]  # model, doc, file, table, key


class SingleDeviceFiles:
    """The schema-2 files beside a database, each view cached by its file's signature."""

    def __init__(self, shard_dir: Path, tables: Sequence[str], validate: Validate) -> None:
        self.shard_dir = shard_dir
        self.tables = tuple(tables)
        self._validate = validate
        self.log = ChangeLog(shard_dir / LOG, self.tables)
        self._files: dict[int, CachedJSON] = {}
        self._views: dict[tuple[int, str], tuple[Any, YearRecords]] = {}
        self._checked: dict[int, Any] = {}
        self._empty: dict[tuple[int, str], YearRecords] = {}
        self._ops: tuple[int, Ops] = (-1, {})
        self._overlaid: dict[tuple[int, str], tuple[YearRecords, int, YearRecords]] = {}
        self._looked: dict[tuple[int, str], tuple[int, YearRecords]] = {}

    def file(self, year: int) -> CachedJSON:
        if year not in self._files:
            self._files[year] = CachedJSON(self.shard_dir / f"{year}.json")
        return self._files[year]

    def logged_years(self) -> set[int]:
        return {year for unit in self.log.load() for year, _, _ in unit.add}

    def models(self, year: int, table: str, look: int = -1) -> YearRecords:
        """The year file's table with the log replayed; the same object while neither
        changes (the merged views are keyed on their parts' identities). Within one
        look (Store._look) the files are checked once."""
        seen = self._looked.get((year, table))
        if look >= 0 and seen is not None and seen[0] == look:
            return seen[1]
        records = self._models(year, table)
        self._looked[(year, table)] = (look, records)
        return records

    def _models(self, year: int, table: str) -> YearRecords:
        ops = self._log_ops().get((year, table))
        base = self._year(year, table)
        if not ops:
            return base
        cached = self._overlaid.get((year, table))
        if cached and cached[0] is base and cached[1] == self.log.version:
            return cached[2]
        records = overlaid(base, ops)
        self._overlaid[(year, table)] = (base, self.log.version, records)
        return records

    def _log_ops(self) -> Ops:
        units = self.log.load()
        if self._ops[0] == self.log.version:
            return self._ops[1]
        ops: Ops = {}
        for unit in units:
            for year, table, record_id, _ in unit.remove:
                ops.setdefault((year, table), []).append((record_id, None))
            for year, table, doc in unit.add:
                record = self._validate(
                    RECORD_TYPES[table], doc, self.log.path, table, str(doc["id"])
                )
                ops.setdefault((year, table), []).append((str(doc["id"]), record))
        self._ops = (self.log.version, ops)
        return ops

    def _year(self, year: int, table: str) -> YearRecords:
        file = self.file(year)
        key = (year, table)
        cached = self._views.get(key)
        if cached and cached[0] == signature_of(file.path):
            return cached[1]
        model = RECORD_TYPES[table]

        def validate(doc_id: str, doc: Any) -> Record:
            return self._validate(model, doc, file.path, table, doc_id)

        if not file.path.exists():
            empty = self._empty.get(key)
            if empty is None:
                empty = self._empty[key] = year_records({}, table, validate)
            return empty
        data = file.load()
        if self._checked.get(year) != file.signature:
            check_year_file(file.path, year, data, self.tables)
            self._checked[year] = file.signature
        records = year_records(data.get(table) or {}, table, validate)
        self._views[key] = (file.signature, records)
        return records
