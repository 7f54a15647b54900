"""The change log: recent saves appended to one small file, so a save costs one fsync.

A year file holds a year of records (~600 KB of daily use); rewriting it on every save
made a save 25x the cost of one durable write of a small file. Instead each unit of work
is appended as one JSON line to `legcoach.json.d/changes.jsonl` and fsynced; readers lay
the log over the year files; once the log passes `FOLD_BYTES`, the next save folds it
into the year files (each written atomically) and removes it.

Replaying a unit is: remove its ids, then add each record whose id is not there. Replay
is idempotent (a record's state depends only on the last unit that removed it and the
adds after), so a fold killed after writing the year files but before removing the log
loses nothing and duplicates nothing: the next reader simply replays the log again.

A kill during an append leaves a last line without its newline (or with NUL bytes from a
size extended before the data was written): that unit was never acknowledged, so it is
ignored, and the next save cuts it off before appending. Any other damage is reported.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legcoach.storage.files import (
    DamagedFile,
    ForeignFile,
    SaveFailed,
    StoreError,
    fsync_dir,
    read_regular_file,
)
from legcoach.storage.stamps import Signature, signature_of
from legcoach.storage.versions import is_version

_UNIT_KEYS = {"remove", "add", "v", "trash", "profile"}
FOLD_BYTES = 64 * 1024  # ~50 check-ins: folding is then a rare, amortised year write
LOG_LIMIT = 64 * 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

Removal = tuple[int, str, str, str | None]  # year, table, record id, its time (ISO)
Addition = tuple[int, str, dict[str, Any]]  # year, table, the record as JSON


@dataclass
class Unit:
    """One saved unit of work, as it is replayed: removals first, then additions.

    A device's unit also has its version (storage/versions.py), the trash copies of the
    records it deletes (id -> {"deleted_at", "record"}) and the profile fields it sets."""

    remove: list[Removal] = field(default_factory=list)
    add: list[Addition] = field(default_factory=list)
    version: str | None = None
    trash: dict[str, dict[str, Any]] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)

    def line(self) -> bytes:
        payload: dict[str, Any] = {
            "remove": [list(r) for r in self.remove],
            "add": [list(a) for a in self.add],
        }
        if self.version is not None:
            payload["v"] = self.version
        if self.trash:
            payload["trash"] = self.trash
        if self.profile:
            payload["profile"] = self.profile
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _unit_of(raw: Any, tables: Sequence[str]) -> Unit | None:
    """A parsed line as a unit, or None if it does not have the shape of one."""
    if not isinstance(raw, dict) or not {"remove", "add"} <= set(raw) <= _UNIT_KEYS:
        return None
    removals, additions = raw["remove"], raw["add"]
    if not isinstance(removals, list) or not isinstance(additions, list):
        return None
    version, trash, profile = raw.get("v"), raw.get("trash", {}), raw.get("profile", {})
    if version is not None and not is_version(version):
        return None
    if not isinstance(trash, dict) or not all(isinstance(t, dict) for t in trash.values()):
        return None
    if not isinstance(profile, dict):
        return None
    unit = Unit(version=version, trash=trash, profile=profile)
    for item in removals:
        if not (isinstance(item, list) and len(item) in (3, 4)):
            return None
        year, table, record_id, when = (*item, None) if len(item) == 3 else item
        if type(year) is not int or table not in tables or not isinstance(record_id, str):
            return None
        if not isinstance(when, (str, type(None))):
            return None
        unit.remove.append((year, table, record_id, when))
    for item in additions:
        if not (isinstance(item, list) and len(item) == 3):
            return None
        year, table, doc = item
        if type(year) is not int or table not in tables or not isinstance(doc, dict):
            return None
        if not isinstance(doc.get("id"), str):
            return None
        unit.add.append((year, table, doc))
    return unit


class ChangeLog:
    """The log file, parsed once and re-read only when its signature changes."""

    def __init__(self, path: Path, tables: Sequence[str]) -> None:
        self.path = path
        self.tables = tuple(tables)
        self.units: list[Unit] = []
        self.signature: Signature | None = None
        self.size = 0
        self._good_bytes = 0  # where the last whole line ends (a torn tail starts there)
        self._loaded = False
        self.version = 0  # changes whenever `units` does: the key of the readers' caches

    def load(self) -> list[Unit]:
        """The acknowledged units, oldest first (reloaded if another process wrote)."""
        current = signature_of(self.path)
        if self._loaded and current == self.signature:
            return self.units
        if current is None:
            if self.units or not self._loaded:
                self.version += 1
            self.units, self.signature, self.size, self._good_bytes = [], None, 0, 0
            self._loaded = True
            return self.units
        try:
            raw = read_regular_file(self.path, LOG_LIMIT, follow=False)
        except StoreError as error:
            raise ForeignFile(self.path, str(error).removeprefix(f"{self.path} ").rstrip("."))
        self.units, self._good_bytes = self._parse(raw)
        self.signature, self.size, self._loaded = current, len(raw), True
        self.version += 1
        return self.units

    def _parse(self, raw: bytes) -> tuple[list[Unit], int]:
        units: list[Unit] = []
        end = raw.rfind(b"\n") + 1
        body = raw[:end]  # after the last newline: a torn, unacknowledged append
        lines = body.split(b"\n")[:-1] if body else []
        if lines and b"\x00" in lines[-1]:
            # Zeros where an unacknowledged append's data never reached the disk.
            end -= len(lines[-1]) + 1
            lines.pop()
        for number, line in enumerate(lines, 1):
            try:
                unit = _unit_of(json.loads(line), self.tables)
            except (ValueError, UnicodeDecodeError):
                unit = None
            if unit is None:
                raise DamagedFile(
                    self.path,
                    f"has a damaged change on line {number}",
                    "It holds your latest saves: keep a copy, remove that line, and try again.",
                )
            units.append(unit)
        return units, end

    def append(self, unit: Unit, line: bytes | None = None) -> None:
        """Append one unit durably (the caller holds the write lock and has loaded);
        `line` is the unit's, when the caller encoded it already."""
        line = unit.line() if line is None else line
        created = self.signature is None
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | _NOFOLLOW, 0o600)
        except OSError as error:
            raise SaveFailed(self.path, error) from error
        try:
            if os.fstat(fd).st_size != self._good_bytes:
                os.ftruncate(fd, self._good_bytes)  # an unacknowledged, torn last line
            os.lseek(fd, self._good_bytes, os.SEEK_SET)  # not pwrite: Windows has none
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.EIO, f"wrote {written} of {len(line)} bytes")
            os.fsync(fd)
        except OSError as error:
            # Not acknowledged, so not saved: cut off whatever reached the file.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self._good_bytes)
            raise SaveFailed(self.path, error) from error
        finally:
            os.close(fd)
        if created:
            try:
                fsync_dir(self.path.parent)
            except OSError as error:
                # The new file's name may not last: not acknowledged, so not kept.
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
                raise SaveFailed(self.path, error) from error
        self.units.append(unit)
        self.version += 1
        self._good_bytes += len(line)
        self.size = self._good_bytes
        self.signature = signature_of(self.path)

    def remove(self) -> None:
        """After a fold: the year files hold every unit now."""
        try:
            os.unlink(self.path)
            fsync_dir(self.path.parent)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise SaveFailed(self.path, error) from error
        self.units, self.signature, self.size, self._good_bytes = [], None, 0, 0
        self.version += 1

    def stage(self, units: list[Unit]) -> None:
        """Read as if these units were appended (while folding them into the year files)."""
        self.units = units
        self.version += 1

    def needs_fold(self) -> bool:
        return self.size >= FOLD_BYTES

    def forget(self) -> None:
        """After a failed fold: read the file again."""
        self._loaded = False
        self.units = []
        self.version += 1
