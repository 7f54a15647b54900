"""Garmin Connect's bulk export: `DI-Connect-Fitness/*_summarizedActivities.json`.

The activities' own FIT files (in the export's nested zips) carry the runs; this
summary adds what Garmin keeps of strength workouts: per exercise category, the sets,
reps and the heaviest weight. A strength workout whose categories include leg work
becomes a leg session (lifting.Workout decides its kind). Times are epoch
milliseconds (or ISO text), durations milliseconds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from legcoach.importers.fit import LEG_CATEGORIES
from legcoach.importers.lifting import Workout, WorkSet
from legcoach.importers.runs import finite

STRENGTH_TYPES = ("strength_training", "strength", "fitness_equipment")
MAX_SETS = 50  # per category: more is a damaged summary


def is_summarized_activities(document: object) -> bool:
    items = document if isinstance(document, list) else [document]
    return any(isinstance(item, dict) and "summarizedActivitiesExport" in item for item in items)


def _activities(document: object) -> list[dict[str, Any]]:
    items = document if isinstance(document, list) else [document]
    found = []
    for item in items:
        if isinstance(item, dict):
            listed = item.get("summarizedActivitiesExport")
            if isinstance(listed, list):
                found += [a for a in listed if isinstance(a, dict)]
    return found


def _moment(value: object) -> datetime | None:
    number = finite(value) if not isinstance(value, str) else None
    if number is not None and 0 < number < 1e14:
        try:
            return datetime.fromtimestamp(number / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return None


def _type_of(activity: dict[str, Any]) -> str:
    kind = activity.get("activityType")
    if isinstance(kind, dict):
        kind = kind.get("typeKey")
    return str(kind or "").lower()


def strength_workouts(document: object) -> list[Workout]:
    workouts = []
    for activity in _activities(document):
        if _type_of(activity) not in STRENGTH_TYPES:
            continue
        start = _moment(activity.get("startTimeGmt")) or _moment(activity.get("beginTimestamp"))
        if start is None:
            continue
        duration = finite(activity.get("duration"))
        end = start + timedelta(milliseconds=duration) if duration and duration > 0 else None
        sets = []
        for summary in activity.get("summarizedExerciseSets") or []:
            if not isinstance(summary, dict):
                continue
            category = str(summary.get("category") or "").lower()
            count = int(min(MAX_SETS, max(0, finite(summary.get("sets")) or 0)))
            reps = finite(summary.get("reps"))
            per_set = round(reps / count) if reps and count else None
            for _ in range(count):
                sets.append(
                    WorkSet(
                        exercise=category.replace("_", " ") or "exercise",
                        reps=per_set,
                        rpe=None,
                        warmup=False,
                        legs=category in LEG_CATEGORIES,
                    )
                )
        name = str(activity.get("name") or "Strength")
        workouts.append(Workout(start, end, name, sets))
    return workouts
