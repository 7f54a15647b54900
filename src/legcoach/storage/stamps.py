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
    """The folder beside the database that holds the year files."""
    return os.fspath(db) + ".d"


DEVICES = "devices"  # in the year folder: one folder per device, written by it alone
LOG = "changes.jsonl"
DEVICE_FILE = "device.json"


def devices_dir_name(db: str | os.PathLike[str]) -> str:
    return os.path.join(shard_dir_name(db), DEVICES)


def state_home() -> str:
    """This computer's own state folder, never inside a synced one: XDG_STATE_HOME (or
    ~/.local/state) on Linux, platformdirs' answer elsewhere."""
    import sys

    if sys.platform.startswith("linux"):
        chosen = os.environ.get("XDG_STATE_HOME", "").strip()
        return chosen if os.path.isabs(chosen) else os.path.expanduser("~/.local/state")
    from platformdirs import user_state_dir

    return os.path.dirname(user_state_dir("legcoach", appauthor=False))


def local_dir_name(db: str | os.PathLike[str]) -> str:
    """Where this computer keeps its own state for one database (the write lock, the
    open app's marker, the status cache): outside the data folder, so a synced folder
    only ever carries history, and reading writes nothing into it. Named after the
    database's real path, escaped (no hashing: hashlib alone costs `status` 12 ms)."""
    real = os.path.realpath(os.fspath(db))
    name = real.replace("%", "%25").replace(os.sep, "%2F").replace(":", "%3A")
    if len(name) > 200:
        import zlib

        name = f"{name[-180:]}-{zlib.crc32(real.encode('utf-8', 'surrogateescape')):08x}"
    return os.path.join(state_home(), "legcoach", "databases", name)


def status_line_name(db: str | os.PathLike[str]) -> str:
    """The status cache again, as a few lines of plain numbers: `legcoach status` reads
    it with no json and no datetime (storage/statusline.py)."""
    return os.path.join(local_dir_name(db), "status.line")


def history_files(db: str | os.PathLike[str]) -> list[str]:
    """Every file that holds history, sorted: the single-device layout's year files and
    change log, and every file in every device's folder (conflict copies included)."""
    folder = shard_dir_name(db)
    found: list[str] = []
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return found
    found += [os.path.join(folder, n) for n in names if n == LOG or shard_year(n) is not None]
    devices = devices_dir_name(db)
    try:
        device_names = os.listdir(devices)
    except (FileNotFoundError, NotADirectoryError):
        device_names = []
    for device in device_names:
        inside = os.path.join(devices, device)
        try:
            found += [os.path.join(inside, n) for n in os.listdir(inside) if not n.startswith(".")]
        except (FileNotFoundError, NotADirectoryError):
            continue
    return sorted(found)


def basis_line(db: str | os.PathLike[str]) -> str:
    """The signatures of the manifest and every history file, as one line: any save, on
    this computer or arriving from another, changes it. The status cache (both forms)
    is keyed on it."""
    top = shard_dir_name(db)
    parts = [f"manifest:{signature_of(db)}"]
    parts += [f"{os.path.relpath(p, top)}:{signature_of(p)}" for p in history_files(db)]
    return ";".join(parts).replace(" ", "")


def status_cache_name(db: str | os.PathLike[str]) -> str:
    return os.path.join(local_dir_name(db), "status.json")


def shard_year(name: str) -> int | None:
    """2026 for '2026.json'; None for any other name (the cache, temp files)."""
    stem, dot, suffix = name.partition(".")
    if dot and suffix == "json" and len(stem) == 4 and stem.isascii() and stem.isdigit():
        return int(stem)
    return None
