"""The status cache: `legcoach status` answered from one small file, standard library only.

Everything the status line says depends on the clock only through the moments when a
run type unlocks, so the journal stores those moments (a timeline) after every save.
Reading it back needs no pydantic and no TinyDB. The cache records the signature of
every database file it was computed from; if any file changed since (another tool, a
crash between two writes, an edit by hand), the cache is ignored and recomputed.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from legcoach.storage.files import signature_of
from legcoach.storage.layout import SHARD_NAME, shard_dir_of, status_cache_of

CACHE_VERSION = 1
CACHE_LIFETIME = timedelta(days=7)


def status_basis(path: Path) -> dict[str, Any]:
    """The signatures of the manifest and every year file, as JSON-ready lists."""
    shard_dir = shard_dir_of(path)
    try:
        names = sorted(entry.name for entry in shard_dir.iterdir() if SHARD_NAME.match(entry.name))
    except (FileNotFoundError, NotADirectoryError):
        names = []

    def listed(sig: tuple[int, int, int] | None) -> list[int] | None:
        return list(sig) if sig else None

    return {
        "manifest": listed(signature_of(path)),
        "shards": {name: listed(signature_of(shard_dir / name)) for name in names},
    }


def read_fresh_cache(path: Path, now: datetime) -> dict[str, Any] | None:
    """The cached status if it still describes the database as it is now, else None."""
    try:
        cache = json.loads(status_cache_of(path).read_bytes())
        if cache.get("version") != CACHE_VERSION or cache.get("basis") != status_basis(path):
            return None
        computed_at = datetime.fromisoformat(cache["computed_at"])
        if not (computed_at - timedelta(minutes=5) <= now <= computed_at + CACHE_LIFETIME):
            return None
        return cache
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def status_at(cache: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What `legcoach status --json` prints, from a cache (fresh or just computed)."""
    timelines = cache["timelines"]
    chosen = timelines[-1]
    for timeline in timelines:
        until = timeline.get("valid_until")
        if until is None or now < datetime.fromisoformat(until):
            chosen = timeline
            break
    steps = [(datetime.fromisoformat(at), run_type) for at, run_type in chosen["steps"]]
    current = steps[0][1]
    for at, run_type in steps:
        if at <= now:
            current = run_type
    next_unlock = None
    ranks = cache["ladder"]
    for at, run_type in steps:
        if at > now and ranks.index(run_type) > ranks.index(current):
            next_unlock = {
                "run_type": run_type,
                "in_hours": round((at - now).total_seconds() / 3600, 2),
                "at": at.isoformat(),
            }
            break
    last_legs = cache.get("last_legs_at")
    hours = (
        round(max(0.0, (now - datetime.fromisoformat(last_legs)).total_seconds() / 3600), 2)
        if last_legs
        else None
    )
    return {
        "hours_since_legs": hours,
        "run_type_now": current,
        "next_unlock": next_unlock,
        "checked_in_today": chosen.get("checked_in", False),
    }


def format_hours(hours: float) -> str:
    if hours < 1:
        return f"{max(1, round(hours * 60))}m"
    if hours < 48:
        whole = int(hours)
        minutes = round((hours - whole) * 60)
        if minutes == 60:
            whole, minutes = whole + 1, 0
        return f"{whole}h{minutes:02d}m" if whole < 10 and minutes else f"{round(hours)}h"
    return f"{hours / 24:.1f}d"


def status_line(status: dict[str, Any]) -> str:
    """One line for a shell prompt or a tmux status bar."""
    hours = status["hours_since_legs"]
    parts = [f"legs {format_hours(hours)} ago" if hours is not None else "no legs logged"]
    parts.append(f"{status['run_type_now']} now")
    unlock = status["next_unlock"]
    if unlock:
        parts.append(f"{unlock['run_type']} in {format_hours(unlock['in_hours'])}")
    if not status.get("checked_in_today"):
        parts.append("no check-in today")
    return " · ".join(parts)
