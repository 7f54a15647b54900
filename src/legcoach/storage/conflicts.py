"""Conflict copies left by file-sync tools: recognised by name, so nothing saved is lost.

When two computers change the same file before a sync tool has carried one change to
the other, the tool keeps one version under the file's name and the other as a
*conflict copy*: Syncthing's `changes.sync-conflict-20261201-101010-ABCDEFG.jsonl`,
Dropbox's `changes (Jane's conflicted copy 2026-12-01).jsonl`, Nextcloud's `changes
(conflicted copy 2026-12-01 101010).jsonl`, OneDrive's `changes-LAPTOP.jsonl`, iCloud's
`changes 2.jsonl`.

Since schema 3 every file has one writer, so copies are rare (two computers sharing one
device id); a copy in a device's folder is read like the file itself (its saves carry
their versions: storage/sources.py). Copies of the single-device files of schema 2 are
absorbed: the records the history lacks (nor has deleted) are saved again, as one unit
of work, and the copy is renamed `*.absorbed` (kept, never read again) until `legcoach
doctor --tidy` removes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legcoach.storage.files import StoreError, read_regular_file

# '<stem>.sync-conflict-<date>-<time>-<device><suffix>', '<stem> (<...>conflicted copy<...>)<suffix>'
_SYNCTHING = re.compile(r"\.sync-conflict-[0-9]{8}-[0-9]{6}-[A-Z0-9]{3,}$")
_CONFLICTED = re.compile(r" \([^()]*conflicted copy[^()]*\)$", re.IGNORECASE)
# OneDrive's '<stem>-<COMPUTER NAME><suffix>' and iCloud Drive's '<stem> 2<suffix>', for
# the names legcoach writes only: on any other name they would match far too much.
_OURS = r"(?P<stem>changes|device|legcoach|[0-9]{4})"
_ONEDRIVE = re.compile(_OURS + r"-[A-Za-z0-9][A-Za-z0-9-]{0,62}$")
_ICLOUD = re.compile(_OURS + r" [0-9]{1,3}$")
COPY_LIMIT = 64 * 1024 * 1024
ABSORBED = ".absorbed"


def original_name(name: str) -> str | None:
    """'changes.jsonl' for 'changes.sync-conflict-20261201-101010-ABCDEFG.jsonl' (or
    a Dropbox or Nextcloud conflicted copy's name); None for any other name."""
    if name.endswith(ABSORBED):
        return None
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        return None
    for pattern in (_SYNCTHING, _CONFLICTED):
        match = pattern.search(stem)
        if match:
            return f"{stem[: match.start()]}.{suffix}"
    for pattern in (_ONEDRIVE, _ICLOUD):
        match = pattern.fullmatch(stem)
        if match:
            return f"{match['stem']}.{suffix}"
    return None


@dataclass
class Found:
    log_copies: list[Path] = field(default_factory=list)
    year_copies: list[Path] = field(default_factory=list)
    manifest_copies: list[Path] = field(default_factory=list)

    def all(self) -> list[Path]:
        return [*self.log_copies, *self.year_copies, *self.manifest_copies]


def find(manifest: Path, shard_dir: Path, log_name: str) -> Found:
    found = Found()
    for folder, wanted in ((shard_dir, None), (manifest.parent, manifest.name)):
        try:
            names = sorted(entry.name for entry in folder.iterdir())
        except OSError:
            continue
        for name in names:
            original = original_name(name)
            if original is None:
                continue
            path = folder / name
            if wanted is not None:
                if original == wanted:
                    found.manifest_copies.append(path)
            elif original == log_name:
                found.log_copies.append(path)
            elif re.fullmatch(r"[0-9]{4}\.json", original):
                found.year_copies.append(path)
    return found


def year_documents(path: Path, tables: tuple[str, ...]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, record JSON) of a year file's copy (a TinyDB document), unvalidated."""
    data = json.loads(read_regular_file(path, COPY_LIMIT, follow=False))
    if not isinstance(data, dict):
        raise StoreError(f"{path} is not a legcoach year file")
    for table in tables:
        docs = data.get(table)
        if isinstance(docs, dict):
            for doc in docs.values():
                if isinstance(doc, dict):
                    yield table, doc


def trash_ids(path: Path) -> set[str]:
    data = json.loads(read_regular_file(path, COPY_LIMIT, follow=False))
    trash = data.get("trash") if isinstance(data, dict) else None
    return {str(key) for key in trash} if isinstance(trash, dict) else set()


def set_aside(path: Path) -> None:
    path.rename(path.with_name(path.name + ABSORBED))
