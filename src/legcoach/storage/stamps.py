"""A database's file names and file signatures, with nothing but `os`.

`legcoach status` runs every few seconds from prompts and status bars: it reads the
status cache and checks these signatures without loading the rest of the storage code.
"""

from __future__ import annotations

import os

Signature = tuple[int, int, int, int]  # a builtin generic: no typing import needed


def signature_of(path: str | os.PathLike[str]) -> Signature | None:
    """Inode, mtime, size and ctime: an atomic replace changes the inode, and an edit in
    place changes the ctime even when the mtime is put back (nobody can set the ctime)."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size, st.st_ctime_ns)


def shard_dir_name(db: str | os.PathLike[str]) -> str:
    """The folder beside the database that holds one file per year."""
    return os.fspath(db) + ".d"


def change_log_name(db: str | os.PathLike[str]) -> str:
    """Recent saves, appended one line each until they are folded into the year files."""
    return os.path.join(shard_dir_name(db), "changes.jsonl")


def status_line_name(db: str | os.PathLike[str]) -> str:
    """The status cache again, as a few lines of plain numbers: `legcoach status` reads
    it with no json and no datetime (storage/statusline.py)."""
    return os.path.join(shard_dir_name(db), "status.line")


def basis_line(db: str | os.PathLike[str]) -> str:
    """The signatures of the manifest, every year file and the change log, as one line:
    any save changes it. The status cache (both forms) is keyed on it."""
    folder = shard_dir_name(db)
    log = os.path.basename(change_log_name(db))
    try:
        names = sorted(
            name for name in os.listdir(folder) if name == log or shard_year(name) is not None
        )
    except (FileNotFoundError, NotADirectoryError):
        names = []
    parts = [f"manifest:{signature_of(db)}"]
    parts += [f"{name}:{signature_of(os.path.join(folder, name))}" for name in names]
    return ";".join(parts).replace(" ", "")


def status_cache_name(db: str | os.PathLike[str]) -> str:
    return os.path.join(shard_dir_name(db), "status.json")


def shard_year(name: str) -> int | None:
    """2026 for '2026.json'; None for any other name (the cache, temp files)."""
    stem, dot, suffix = name.partition(".")
    if dot and suffix == "json" and len(stem) == 4 and stem.isascii() and stem.isdigit():
        return int(stem)
    return None
