"""Runs are load too: which runs were hard, which were races, and what follows them.

Pure, like recovery.py. The coach reads a run as hard when its type is steady or
quality (typed, or read from its heart rate on import), when it was run at RPE 7 or
more, when it was long for this person (over 90 min, or over 1.5x their usual run),
or when the legs felt heavy, sore or painful after it. Hard days are followed by easy
days (Foster 1998; Daniels); a race needs about one easy day per 3 km raced (Daniels'
rule of thumb). The Weeks tab calls a run hard by the same test (`is_hard_run`).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from legcoach.models import LegsFelt, RunLog, RunType

HARD_RUN_TYPES = frozenset({RunType.STEADY, RunType.QUALITY})
HARD_RUN_RPE = 7
LONG_RUN_MINUTES = 90
LONG_RUN_FACTOR = 1.5
TIRED_LEGS = frozenset({LegsFelt.HEAVY, LegsFelt.SORE, LegsFelt.PAINFUL})
# A race effort: a hard run at RPE 9-10 of 20 minutes or more (a 5k and up).
RACE_RPE = 9
RACE_MINUTES = 20
KM_PER_EASY_DAY = 3.0
# Without a distance, a race is counted at 5 min/km: a little short for most racers, so
# the easy days it asks for are never more than the race needs... nor far fewer.
RACE_MINUTES_PER_KM = 5.0
# How far back the usual run is measured (within the history the coach reads).
USUAL_RUN_WINDOW = timedelta(days=14)


def usual_minutes(runs: Iterable[RunLog], at: datetime) -> float | None:
    """The median length of this person's runs in the two weeks before `at` (None
    with fewer than three)."""
    recent = [run.minutes for run in runs if at - USUAL_RUN_WINDOW <= run.at < at]
    return statistics.median(recent) if len(recent) >= 3 else None


def hard_because(run: RunLog, usual: float | None = None) -> str | None:
    """Why a run counts as hard ('quality run', 'RPE 8', 'long: 150 min', 'legs felt
    heavy'), or None for an easy one."""
    if run.run_type in HARD_RUN_TYPES:
        return f"{run.run_type.value} run"
    if run.rpe is not None and run.rpe >= HARD_RUN_RPE:
        return f"RPE {run.rpe}"
    if run.minutes > LONG_RUN_MINUTES or (usual and run.minutes > LONG_RUN_FACTOR * usual):
        return f"long: {run.minutes} min"
    if run.legs_felt in TIRED_LEGS:
        return f"legs felt {run.legs_felt.value}"
    return None


def is_hard_run(run: RunLog, usual: float | None = None) -> bool:
    return hard_because(run, usual) is not None


@dataclass(frozen=True)
class RunLoad:
    """A hard run as the coach weighs it."""

    ended_at: datetime
    summary: str  # 'quality run, 95 min at RPE 9'
    why: str  # hard_because
    race_km: float | None = None  # a race effort: its distance (estimated without one)
    imported: bool = False  # read from a watch file rather than typed

    def hours_at(self, at: datetime) -> float:
        return (at - self.ended_at).total_seconds() / 3600

    @property
    def easy_days(self) -> int:
        """Days of easy running a race asks for (0 for a hard run that was no race)."""
        return math.ceil(self.race_km / KM_PER_EASY_DAY) if self.race_km else 0

    @property
    def race_easy_until(self) -> datetime | None:
        days = self.easy_days
        return self.ended_at + timedelta(days=days) if days else None


def race_km(run: RunLog) -> float | None:
    """A race effort's distance in km (from the file, else estimated from its minutes)."""
    if run.rpe is None or run.rpe < RACE_RPE or run.minutes < RACE_MINUTES:
        return None
    if run.run_type is not None and run.run_type not in HARD_RUN_TYPES:
        return None
    if run.distance_m:
        return run.distance_m / 1000
    return run.minutes / RACE_MINUTES_PER_KM


# A hard run weighs on the next 48 h; a race on up to two weeks (a marathon: 14 easy days).
HARD_RUN_WEIGHS = timedelta(hours=48)
RACE_WEIGHS = timedelta(days=15)


def hard_runs(runs: Iterable[RunLog], at: datetime) -> tuple[RunLoad, ...]:
    """Every hard run before `at` that still weighs on it, oldest first: hard runs of
    the last 48 h, and races whose easy days are not over."""
    ordered = sorted(runs, key=lambda run: run.at)
    loads = []
    for run in ordered:
        if run.at > at or at - run.at > RACE_WEIGHS:
            continue
        km = race_km(run)
        if km is None and at - run.at > HARD_RUN_WEIGHS:
            continue
        # The usual run is measured only when type, effort and length leave it open.
        why = hard_because(run) or (
            hard_because(run, usual_minutes(ordered, run.at))
            if run.minutes > LONG_RUN_MINUTES / LONG_RUN_FACTOR
            else None
        )
        if why is None:
            continue
        loads.append(RunLoad(run.at, run.summary(), why, km, run.source is not None))
    return tuple(loads)
