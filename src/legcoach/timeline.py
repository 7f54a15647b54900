"""The recovery timeline read at a moment: what is allowed now and what unlocks next.

Standard library only. The coach builds a timeline (the moments at which the hardest
allowed run type changes); the status cache stores it; the CLI, home and the timer all
read it through these functions, so "allowed now" and "next unlock" are computed in
one place and hours are written one way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from legcoach.vocab import LADDER, RunType


@dataclass(frozen=True)
class Step:
    """From `at` on (until the next step), `run_type` is the hardest run allowed.

    `assumes_soreness`: the soreness this step's run type relies on having fallen to
    (None when the step does not depend on soreness falling)."""

    at: datetime
    run_type: RunType
    assumes_soreness: int | None = None


@dataclass(frozen=True)
class Unlock:
    run_type: RunType
    at: datetime
    in_hours: float
    assumes_soreness: int | None = None


def allowed_at(steps: Sequence[Step], now: datetime) -> RunType:
    """The hardest run type allowed at `now` (the first step's before it starts)."""
    current = steps[0].run_type
    for step in steps:
        if step.at <= now:
            current = step.run_type
    return current


def next_unlock(steps: Sequence[Step], now: datetime) -> Unlock | None:
    """The first later step with a harder run type than the one allowed now."""
    current = allowed_at(steps, now)
    for step in steps:
        if step.at > now and step.run_type > current:
            return Unlock(
                step.run_type,
                step.at,
                (step.at - now).total_seconds() / 3600,
                step.assumes_soreness,
            )
    return None


def first_allowed(steps: Sequence[Step]) -> dict[RunType, Step | None]:
    """For each run type above rest, the first step that allows it (None: not on the clock)."""
    return {
        rung: next((step for step in steps if step.run_type >= rung), None) for rung in LADDER[1:]
    }


def format_hours(hours: float) -> str:
    """'45m', '2h30m', '18h', '3.5d': one way of writing hours for every output."""
    if hours < 1:
        return f"{max(1, round(hours * 60))}m"
    if hours < 48:
        whole = int(hours)
        minutes = round((hours - whole) * 60)
        if minutes == 60:
            whole, minutes = whole + 1, 0
        return f"{whole}h{minutes:02d}m" if whole < 10 and minutes else f"{round(hours)}h"
    return f"{hours / 24:.1f}d"


def hours_between(start: datetime, end: datetime) -> float:
    return (end - start) / timedelta(hours=1)
