"""The status cache: `legcoach status` answered from one small file, standard library only.

This module owns the cache: its shape, building it from timelines, checking that it
still describes the database (and has the shape it should), and reading it at a moment.
Everything the status line says depends on the clock only through the moments when a
run type unlocks, so the journal hands over those moments (timelines) after every save.
The cache records the signature (inode, mtime, size, ctime) of every database file and
the local time zone it was computed in; if anything changed since, it is recomputed.
"""

from __future__ import annotations

import json
import os
from datetime import date, datetime, timedelta

from legcoach.clock import day_label
from legcoach.storage import statusline
from legcoach.storage.stamps import (
    basis_line,
    status_cache_name,
    status_line_name,
)
from legcoach.storage.statusline import status_document
from legcoach.timeline import LADDER_ORDER, Step, allowed_at, next_unlock

TYPE_CHECKING = False  # not typing's: importing typing is a cost the status line avoids
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Any

# Imports here stay light (no pathlib, dataclasses, pydantic): `legcoach status` reads
# the cache through this module every few seconds.
CACHE_VERSION = 10
CACHE_LIFETIME = timedelta(days=7)
_RUN_TYPES = frozenset(LADDER_ORDER)


def zone_of(now: datetime) -> str:
    """The local zone as the cache keys it: a move to another zone recomputes."""
    offset = now.utcoffset()
    return f"{now.tzname()}{offset.total_seconds() if offset is not None else ''}"


def build_cache(
    path: Path,
    now: datetime,
    steps: Sequence[Step],
    answers_until: datetime | None,
    last_legs_at: datetime | None,
    checked_in_until: datetime | None,
    week: Sequence[tuple[date, Sequence[str]]] | None = None,
    today: dict[str, Any] | None = None,
    fit: dict[str, Any] | None = None,
    empty_day: Sequence[str] = ("·", "·", "·"),
    records_after: bool = False,
    last_legs_detail: str | None = None,
) -> dict[str, Any]:
    """The cache document: today's timeline (each moment judged as `advise` will judge
    it), when the check-in's momentary answers lapse, and until when today counts as
    checked in (local midnight).
    `records_after`: some record is dated after `now` (within the future margin), so
    the words for today hold for today only."""
    return {
        "version": CACHE_VERSION,
        "basis": basis_line(path),
        "zone": zone_of(now),
        "computed_at": now.isoformat(),
        "last_legs_at": last_legs_at.isoformat() if last_legs_at else None,
        # "RPE 8, heavy strength": home's recovery panel says it in its first frame.
        "last_legs_detail": last_legs_detail,
        "checked_in_until": checked_in_until.isoformat() if checked_in_until else None,
        # Home's week as words, for its first frame (checked by home before use): each
        # day's cells and an empty day's, so a later day's week can be drawn from it.
        "week": {
            "day": now.date().isoformat(),
            "days": [[day.isoformat(), *cells] for day, cells in week or []],
            "empty": list(empty_day),
        },
        "records_after": records_after,
        # Home's Today panel in words, until the plan can next change (`cached_today`).
        "today": today,
        # The day's personal recovery fit and what it was computed from (`cached_fit`).
        "fit": fit,
        "answers_until": answers_until.isoformat() if answers_until else None,
        "steps": [
            [step.at.isoformat(), str(step.run_type), step.assumes_soreness] for step in steps
        ],
    }


def status_line_text(cache: dict[str, Any]) -> str:
    """The cache as `storage/statusline.py` reads it: plain numbers, no JSON."""

    def epoch(iso: str | None) -> str:
        return "-" if iso is None else repr(datetime.fromisoformat(iso).timestamp())

    lines = [
        statusline.HEADER,
        cache["zone"],
        cache["basis"],
        epoch(cache["computed_at"]),
        epoch(cache["last_legs_at"]),
        epoch(cache["checked_in_until"]),
        epoch(cache["answers_until"]),
        "\t".join(
            f"{epoch(at)},{run_type},{'-' if soreness is None else soreness},{at}"
            for at, run_type, soreness in cache["steps"]
        ),
    ]
    return "\n".join(lines) + "\n"


def write_status_line(db: str | os.PathLike[str], cache: dict[str, Any]) -> None:
    """The line file from the JSON cache: after every save, and when a fresh JSON cache
    answered while the line file did not (damaged or removed). Best effort."""
    from pathlib import Path

    from legcoach.storage.files import StoreError, atomic_write_bytes

    try:
        text = status_line_text(cache)
        target = Path(status_line_name(db))
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write_bytes(target, text.encode("utf-8"), durable=False)
    except (OSError, StoreError, KeyError, TypeError, ValueError):
        pass


def _valid_shape(cache: Any) -> bool:
    """Every key `status_at` reads, with the type it needs: a cache of the wrong shape
    (hand-edited, from another version) is recomputed, never trusted."""
    if not isinstance(cache, dict) or not isinstance(cache.get("steps"), list):
        return False
    if not isinstance(cache.get("zone"), str) or not isinstance(cache.get("basis"), str):
        return False
    if not cache["steps"] or not isinstance(cache.get("computed_at"), str):
        return False
    for key in ("last_legs_at", "checked_in_until", "answers_until"):
        if not isinstance(cache.get(key), (str, type(None))):
            return False
    for step in cache["steps"]:
        if not (isinstance(step, list) and len(step) == 3 and isinstance(step[0], str)):
            return False
        if step[1] not in _RUN_TYPES or type(step[2]) not in (int, type(None)):
            return False
    return True


def read_fresh_cache(path: str | os.PathLike[str], now: datetime) -> dict[str, Any] | None:
    """The cached status if it still describes the database as it is now, else None."""
    try:
        with open(status_cache_name(path), "rb") as handle:
            cache = json.loads(handle.read())
        if not isinstance(cache, dict) or cache.get("version") != CACHE_VERSION:
            return None
        if cache.get("zone") != zone_of(now) or cache.get("basis") != basis_line(path):
            return None
        if not _valid_shape(cache):
            return None
        computed_at = datetime.fromisoformat(cache["computed_at"])
        if not (computed_at - timedelta(minutes=5) <= now <= computed_at + CACHE_LIFETIME):
            return None
        status_at(cache, now)  # every date in it parses
        return cache
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def _moment(iso: str | None) -> datetime | None:
    return datetime.fromisoformat(iso) if iso is not None else None


def status_at(cache: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What `legcoach status --json` prints, from a cache (fresh or just computed): the
    cached timeline read with the one reader of timelines (`legcoach.timeline`)."""
    steps = [
        Step(datetime.fromisoformat(at), run_type, soreness)
        for at, run_type, soreness in cache["steps"]
    ]
    unlock = next_unlock(steps, now, _moment(cache.get("answers_until")))
    last_legs = _moment(cache.get("last_legs_at"))
    checked_until = _moment(cache.get("checked_in_until"))
    return status_document(
        hours_since_legs=(now - last_legs).total_seconds() / 3600 if last_legs else None,
        run_type_now=str(allowed_at(steps, now)),
        unlock=(
            (
                str(unlock.run_type),
                unlock.in_hours,
                unlock.at.isoformat(),
                unlock.assumes_soreness,
                unlock.lasting_only,
            )
            if unlock
            else None
        ),
        checked_in_today=bool(checked_until and now < checked_until),
    )


def cached_fit(path: str | os.PathLike[str], key: str) -> dict[str, Any] | None:
    """The recovery fit a save left in the cache, if it was computed from the same
    records (`key`: Store.fingerprint of its window and the day). Checked for shape and
    range, never trusted beyond that."""
    try:
        with open(status_cache_name(path), "rb") as handle:
            cache = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    fit = cache.get("fit") if isinstance(cache, dict) else None
    if not isinstance(fit, dict) or fit.get("key") != key:
        return None
    half_life, peak, based_on = (
        fit.get("half_life_hours"),
        fit.get("peak_hours"),
        fit.get("based_on"),
    )
    if not (
        isinstance(half_life, (int, float))
        and isinstance(peak, (int, float))
        and type(based_on) is int
        and not isinstance(half_life, bool)
        and not isinstance(peak, bool)
    ):
        return None
    if not (1 <= half_life <= 1000 and 0 <= peak <= 500 and 0 <= based_on <= 100_000):
        return None
    return {"half_life_hours": float(half_life), "peak_hours": float(peak), "based_on": based_on}


def serves_home(path: str | os.PathLike[str], now: datetime) -> bool:
    """The cache can draw home's whole first frame at `now`."""
    cache = read_fresh_cache(path, now)
    return cached_week(cache, now.date()) is not None and cached_today(cache, now)[0]


def _quiet_since(cache: dict[str, Any], day: str) -> bool:
    """Nothing was saved after the cache was computed on `day`, an earlier day: a later
    day's week and Today panel follow from it (the basis check already said no file
    changed since)."""
    week = cache.get("week")
    return cache.get("records_after") is False and isinstance(week, dict) and week.get("day") == day


def cached_today(cache: dict[str, Any] | None, now: datetime) -> tuple[bool, dict[str, str] | None]:
    """(usable, words) of home's Today panel as the last save left them: usable while it
    is the same local day and the plan has not changed since (None words: no check-in).
    On a later day with nothing saved since, there is no check-in yet today."""
    today = (cache or {}).get("today")
    if not isinstance(today, dict) or not isinstance(today.get("day"), str):
        return False, None
    if today["day"] < now.date().isoformat():
        return (True, None) if _quiet_since(cache or {}, today["day"]) else (False, None)
    if today["day"] != now.date().isoformat():
        return False, None
    until = today.get("valid_until")
    try:
        if until is not None and not (
            isinstance(until, str) and now < datetime.fromisoformat(until)
        ):
            return False, None
    except ValueError:
        return False, None
    words = today.get("words")
    if words is None:
        return True, None
    if not isinstance(words, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in words.items()
    ):
        return False, None
    return True, words


def cached_week(cache: dict[str, Any] | None, today: date) -> list[list[str]] | None:
    """Home's week rows (label, legs, check-in, runs) for `today`, from the cells the
    last save left: that day's week, or a later day's when nothing was saved since
    (its newer days are empty). None if the cells are not well formed."""
    week = (cache or {}).get("week")
    if not isinstance(week, dict) or not isinstance(week.get("day"), str):
        return None
    days, no_records = week.get("days"), week.get("empty")
    if not isinstance(days, list) or not isinstance(no_records, list) or not _cells(no_records, 3):
        return None
    if not all(_cells(day, 4) for day in days):
        return None
    try:
        computed_on = date.fromisoformat(week["day"])
    except ValueError:
        return None
    if today < computed_on or (today > computed_on and not _quiet_since(cache or {}, week["day"])):
        return None
    cells: dict[str, list[str]] = {day[0]: day[1:] for day in days}
    shown = [today - timedelta(days=back) for back in range(6, -1, -1)]
    if any(day <= computed_on and day.isoformat() not in cells for day in shown):
        return None
    return [[day_label(day, today), *cells.get(day.isoformat(), no_records)] for day in shown]


def _cells(value: Any, count: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == count
        and all(isinstance(cell, str) for cell in value)
    )
