"""Where a database's files are and how to tell ours from anything else. Standard library
only: `legcoach status` and the app's pre-flight use it before pydantic is imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from legcoach.storage.files import (
    APP_ID,
    DamagedFile,
    FileLock,
    ForeignFile,
    NewerSchema,
    ensure_private_dir,
    read_json,
)
from legcoach.storage.stamps import (
    history_files,
    local_dir_name,
    shard_dir_name,
    shard_year,
    status_cache_name,
)

SCHEMA = 3
META_ID = "1"


def shard_dir_of(path: Path) -> Path:
    return Path(shard_dir_name(path))


def status_cache_of(path: Path) -> Path:
    return Path(status_cache_name(path))


def years_of(path: Path) -> list[int]:
    """The years that hold records, newest first."""
    try:
        names = [entry.name for entry in shard_dir_of(path).iterdir()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted((year for name in names if (year := shard_year(name)) is not None), reverse=True)


def is_blank_new(path: Path) -> bool:
    """A missing file, or an empty one with no history beside it (e.g. from mktemp)."""
    if not path.exists():
        return True
    return path.is_file() and path.stat().st_size == 0 and not history_files(path)


def check_manifest(path: Path, data: Any) -> int:
    """The schema version of a legcoach manifest; raises for anything else."""
    meta = data.get("meta") if isinstance(data, dict) else None
    if not (isinstance(meta, dict) and isinstance(meta.get(META_ID), dict)):
        raise ForeignFile(path)
    if meta[META_ID].get("app") != APP_ID:
        raise ForeignFile(path)
    schema = meta[META_ID].get("schema")
    if type(schema) is not int or schema < 1:  # not a bool: True is an int to Python
        raise DamagedFile(path, "has no valid schema version")
    if schema > SCHEMA:
        raise NewerSchema(path, schema, SCHEMA)
    return schema


def preflight(path: Path) -> dict[str, Any]:
    """Refuse a damaged, foreign or too-new database before anything else starts.

    Returns the manifest (empty for a new database), e.g. for the saved theme."""
    if is_blank_new(path):
        return {}
    data = read_json(path)
    check_manifest(path, data)
    return data


def saved_theme(manifest: dict[str, Any]) -> str | None:
    profile = (manifest.get("profile") or {}).get(META_ID) or {}
    theme = profile.get("theme")
    return theme if isinstance(theme, str) else None


def claim_instance(path: Path) -> FileLock:
    """Hold the 'app is open' lock: a second app on the same database on this computer
    is refused. Kept on this computer (never in a synced folder): an app open on another
    computer never blocks this one, whose saves go to files of its own."""
    local = Path(local_dir_name(path))
    ensure_private_dir(local)
    lock = FileLock(
        local / "open.lock",
        f"legcoach is already open on {path} in another terminal",
    )
    lock.acquire(timeout=0)
    return lock
