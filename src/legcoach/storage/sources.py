"""What each file of the history says about each record, with the version it says it at.

Every device writes only its own folder (`legcoach.json.d/devices/<id>/`): year files
(TinyDB documents: the records of a year in their tables, each with its version `_v`,
and the deletes in the table `removed`), a change log of recent saves, and `device.json`
(its profile edits and its clock). A *claim* is one file's word on one record: (version,
live, what): a live claim's `what` is the record (stored or validated), a delete's is its
trash copy or None. The history is, per record, the claim with the highest (version,
live): the same on every computer that holds the same files, whatever order they came
in (storage/versions.py). A conflict copy a sync tool made of a device's file is read
as one more file of that device: its claims carry their versions, so it merges the same.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legcoach.models import Record
from legcoach.storage.changelog import ChangeLog, Unit
from legcoach.storage.conflicts import original_name
from legcoach.storage.files import APP_ID, CachedJSON, DamagedFile, ForeignFile
from legcoach.storage.lazy import Entry, stored_entry
from legcoach.storage.stamps import DEVICE_FILE, LOG, shard_year
from legcoach.storage.versions import FLOOR, is_version

REMOVED = "removed"
VERSION = "_v"
Claim = tuple[str, bool, Any]  # (version, live, Entry if live else the trash copy or None)
Claims = dict[str, Claim]  # record id -> claim
EMPTY: Claims = {}  # never changed: what a file says of a year it does not hold
Validate = Callable[[Path, str, str, Any], Record]  # (file, table, storage key, doc)


def better(claim: Claim, other: Claim | None) -> bool:
    """Whether `claim` wins over `other`: the later version; at one version (a unit that
    removes and adds the same id: an edit) the record over the delete."""
    return other is None or (claim[0], claim[1]) > (other[0], other[1])


def merge_into(best: Claims, claims: Claims) -> None:
    for record_id, claim in claims.items():
        if better(claim, best.get(record_id)):
            best[record_id] = claim


def strip_version(doc: Any) -> Any:
    if isinstance(doc, dict) and VERSION in doc:
        return {key: value for key, value in doc.items() if key != VERSION}
    return doc


@dataclass
class DeviceFiles:
    """One device's folder as listed: its year files (a year may have conflict copies
    too), its change logs and its device files."""

    device: str
    folder: Path
    years: dict[int, list[Path]] = field(default_factory=dict)
    logs: list[Path] = field(default_factory=list)
    device_files: list[Path] = field(default_factory=list)
    copies: list[Path] = field(default_factory=list)

    def files(self) -> list[Path]:
        return [
            *(p for paths in self.years.values() for p in paths),
            *self.logs,
            *self.device_files,
        ]


def list_device(folder: Path) -> DeviceFiles:
    found = DeviceFiles(folder.name, folder)
    try:
        names = sorted(entry.name for entry in folder.iterdir())
    except OSError:
        return found
    for name in names:
        if name.startswith("."):
            continue  # a temp file of a write in progress (or killed)
        original = original_name(name)
        base = original or name
        path = folder / name
        year = shard_year(base)
        if year is not None:
            found.years.setdefault(year, []).append(path)
        elif base == LOG:
            found.logs.append(path)
        elif base == DEVICE_FILE:
            found.device_files.append(path)
        else:
            continue
        if original is not None:
            found.copies.append(path)
    return found


def check_year_file(path: Path, year: int, data: dict[str, Any], tables: Sequence[str]) -> None:
    """Refuse a year file (a device's or the single-device layout's) that is not ours or
    not the year its name says, or has a table of the wrong shape."""
    meta = data.get("meta")
    meta = meta.get("1") if isinstance(meta, dict) else None
    if not isinstance(meta, dict) or meta.get("app") != APP_ID:
        raise ForeignFile(path, "is not a legcoach history file")
    if meta.get("year") != year:
        raise DamagedFile(path, f"holds year {meta.get('year')}, not {year}")
    for table in (*tables, REMOVED):
        docs = data.get(table, {})
        if not isinstance(docs, dict) or not all(isinstance(d, dict) for d in docs.values()):
            raise DamagedFile(path, f"has a damaged table {table!r}")


class YearFile:
    """A device's year file, its claims per table parsed once per version of the file."""

    def __init__(self, path: Path, year: int) -> None:
        self.file = CachedJSON(path)
        self.year = year
        self._claims: tuple[Any, dict[str, Claims]] = (None, {})
        self._looked_in = -1  # the reader's look (Store._look) in which it was last checked

    @property
    def path(self) -> Path:
        return self.file.path

    def claims(
        self, table: str, tables: Sequence[str], validate: Validate, look: int = -1
    ) -> Claims:
        """The file's claims on the table's records. Within one look (one read or save
        of the store's) the file is checked for changes once, not once per table."""
        cached = self._claims[1].get(table)
        if look >= 0 and look == self._looked_in and cached is not None:
            return cached
        try:
            data = self.file.load()
        except FileNotFoundError:
            return {}
        self._looked_in = look
        if self._claims[0] != self.file.signature:
            check_year_file(self.path, self.year, data, tables)
            self._claims = (self.file.signature, {})
        cached = self._claims[1].get(table)
        if cached is not None:
            return cached
        claims: Claims = {}
        for doc_id, doc in (data.get(table) or {}).items():
            version = doc.get(VERSION, FLOOR)
            if not is_version(version):
                raise DamagedFile(self.path, f"has a record with a damaged version ({doc_id})")
            entry = stored_entry(
                doc,
                table,
                (self.path, doc_id, doc),
                functools.partial(validate, self.path, table, doc_id, doc),
            )
            claim: Claim = (version, True, entry)
            if better(claim, claims.get(entry[1])):
                claims[entry[1]] = claim
        for doc in (data.get(REMOVED) or {}).values():
            record_id, version = doc.get("id"), doc.get(VERSION, FLOOR)
            if doc.get("table") != table or not isinstance(record_id, str):
                continue
            if not is_version(version):
                raise DamagedFile(self.path, f"has a delete with a damaged version ({record_id})")
            trash = doc.get("trash")
            claim = (version, False, trash if isinstance(trash, dict) else None)
            if better(claim, claims.get(record_id)):
                claims[record_id] = claim
        self._claims[1][table] = claims
        return claims


class LogClaims:
    """A device's change log, its claims per (year, table) made once per version."""

    def __init__(self, log: ChangeLog) -> None:
        self.log = log
        self._claims: tuple[int, dict[tuple[int, str], Claims]] = (-1, {})
        self._years: tuple[int, set[int]] = (-1, set())
        self._read_upto: tuple[list[Unit] | None, int] = (None, 0)
        self._looked_in = -1

    def units(self) -> list[Unit]:
        return self.log.load()

    def claims(self, validate: Validate, look: int = -1) -> dict[tuple[int, str], Claims]:
        """Per (year, table), the log's claims. After this process's own append only the
        new unit is read, and only the (year, table) it touches gets a new dict: every
        other year's merge sees the same object and is not redone."""
        if look >= 0 and look == self._looked_in:
            units = self.log.units  # checked for changes in this look already
        else:
            units = self.log.load()
            self._looked_in = look
        if self._claims[0] == self.log.version:
            return self._claims[1]
        previous_list, done = self._read_upto
        if previous_list is units and done <= len(units):
            claims = dict(self._claims[1])
            fresh = units[done:]
        else:
            claims, fresh = {}, units
        touched: set[tuple[int, str]] = set()
        for unit in fresh:
            for year, table, *_ in unit.remove:
                touched.add((year, table))
            for year, table, _ in unit.add:
                touched.add((year, table))
        for key in touched:
            claims[key] = dict(claims.get(key, {}))
        for unit in fresh:
            version = unit.version or FLOOR
            for year, table, record_id, _ in unit.remove:
                trash = unit.trash.get(record_id)
                merge_into(
                    claims.setdefault((year, table), {}), {record_id: (version, False, trash)}
                )
            for year, table, doc in unit.add:
                record = validate(self.log.path, table, str(doc["id"]), doc)
                entry: Entry = (record.when, str(record.id), record)
                merge_into(claims.setdefault((year, table), {}), {entry[1]: (version, True, entry)})
        self._claims = (self.log.version, claims)
        self._read_upto = (units, len(units))
        return claims

    def years(self) -> set[int]:
        units = self.log.load()
        if self._years[0] == self.log.version:
            return self._years[1]
        found: set[int] = set()
        for unit in units:
            found |= {year for year, *_ in unit.remove}
            found |= {year for year, _, _ in unit.add}
        self._years = (self.log.version, found)
        return found


def device_profile(data: Any) -> dict[str, tuple[str, Any]]:
    """A device file's profile fields: field -> (version, value)."""
    doc = ((data or {}).get("profile") or {}).get("1") if isinstance(data, dict) else None
    fields: dict[str, tuple[str, Any]] = {}
    if isinstance(doc, dict):
        for name, item in doc.items():
            if isinstance(item, dict) and is_version(item.get("v")) and "value" in item:
                fields[name] = (item["v"], item["value"])
    return fields


def device_clock(data: Any) -> str:
    doc = ((data or {}).get("clock") or {}).get("1") if isinstance(data, dict) else None
    last = doc.get("last") if isinstance(doc, dict) else None
    return last if isinstance(last, str) and is_version(last) else FLOOR
