"""Strava's bulk export: `activities.csv` beside the `activities/` folder of files.

Two things only it knows: a "Weight Training" or "Workout" whose name or description
says legs is a leg session (Strava keeps no sets), and the sport of an activity whose
file says none (an old GPX without a type): its row's "Activity Type", by the file's
name (`Filename`: activities/123.gpx.gz). The rows' dates are UTC, written as Strava
writes them ("Nov 20, 2026, 6:30:00 AM"), read with python-dateutil.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from legcoach.importers.lifting import MAX_CELL, MAX_WORKOUT_SECONDS, _rows
from legcoach.importers.runs import clean, finite, stable_id
from legcoach.models import LegSession
from legcoach.vocab import LEG_MINUTES_RANGE, in_range

STRENGTH_TYPES = ("weight training", "workout", "crossfit", "strength training")
# Words that say a strength session was legs, in the languages people name them in.
LEG_WORDS = re.compile(
    r"\b(legs?|leg day|squats?|lunges?|deadlifts?|beine|beintag|kniebeugen?|jambes|"
    r"piernas|gambe|benen|glutes?|hamstrings?|quads?)\b",
    re.IGNORECASE,
)


def is_activities_csv(header: str) -> bool:
    first = header.lower()
    return "activity id" in first and "activity type" in first and "activity date" in first


def _date(text: str) -> datetime | None:
    text = text.strip()
    if not text or len(text) > MAX_CELL or not re.search(r"[0-9]{4}", text):
        return None
    from dateutil import parser

    try:
        moment = parser.parse(text)
    except (ValueError, OverflowError):
        return None
    if not 1970 <= moment.year <= 2200:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def read(text: str) -> tuple[list[LegSession | str], dict[str, str]]:
    """Leg sessions (or why a strength row was skipped), and each file's sport by its
    name (the last part of `Filename`, without .gz)."""
    _, rows = _rows(text)
    found: list[LegSession | str] = []
    sports: dict[str, str] = {}
    for row in rows:
        kind = (row.get("activity type") or "").strip()
        filename = (row.get("filename") or "").strip()
        if filename and kind:
            sports[filename.rsplit("/", 1)[-1].removesuffix(".gz").lower()] = kind
        if kind.lower() not in STRENGTH_TYPES:
            continue
        words = f"{row.get('activity name', '')} {row.get('activity description', '')}"
        if not LEG_WORDS.search(words[:2000]):
            found.append("skipped: a strength session that does not say legs")
            continue
        start = _date(row.get("activity date", ""))
        if start is None:
            continue
        seconds = finite(row.get("elapsed time"))
        minutes = round(seconds / 60) if seconds and 60 <= seconds <= MAX_WORKOUT_SECONDS else None
        end = start + timedelta(minutes=minutes or 0)
        found.append(
            LegSession(
                id=stable_id("legs", "strava", start),
                source="strava",
                ended_at=end,
                rpe=None,  # Strava keeps no effort for it: counted as unknown (hard)
                minutes=minutes if minutes and in_range(minutes, LEG_MINUTES_RANGE) else None,
                note=clean(row.get("activity name"), 500) or "",
            )
        )
    return found, sports
