"""The recovery timeline read at a moment: what is allowed now and what unlocks next.

Standard library only, and light: the coach builds a timeline (the moments at which the
hardest allowed run type changes); the status cache stores it; the CLI, home and the
timer all read it through these functions, so "allowed now" and "next unlock" are
computed in one place and hours are written one way. `legcoach status` reads it every
few seconds, so this module imports no dataclasses and no enums: run types are compared
by their place on the ladder, whether they are `RunType` members or their plain names.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing is a cost the status line avoids
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from typing import Any

    from legcoach.vocab import RunType

# The ladder's order by name; `vocab.RunType` declares the same names in the same order
# (tests/test_timeline_ladder checks).
LADDER_ORDER: tuple[str, ...] = ("rest", "walk", "recovery", "easy", "steady", "quality")
_RANK = {name: rank for rank, name in enumerate(LADDER_ORDER)}


def rank(run_type: str) -> int:
    return _RANK[str(run_type)]


class Step:
    """From `at` on (until the next step), `run_type` is the hardest run allowed.

    `assumes_soreness`: the soreness this step's run type relies on having fallen to
    (None when the step does not depend on soreness falling)."""

    __slots__ = ("assumes_soreness", "at", "run_type")

    def __init__(self, at: datetime, run_type: RunType, assumes_soreness: int | None = None):
        self.at = at
        self.run_type = run_type
        self.assumes_soreness = assumes_soreness

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Step) and (self.at, str(self.run_type), self.assumes_soreness) == (
            other.at,
            str(other.run_type),
            other.assumes_soreness,
        )

    def __repr__(self) -> str:
        return f"Step({self.at!r}, {str(self.run_type)!r}, {self.assumes_soreness!r})"


class Unlock:
    __slots__ = ("assumes_soreness", "at", "in_hours", "lasting_only", "run_type")

    def __init__(
        self,
        run_type: RunType,
        at: datetime,
        in_hours: float,
        assumes_soreness: int | None = None,
        lasting_only: bool = False,
    ):
        self.run_type = run_type
        self.at = at
        self.in_hours = in_hours
        self.assumes_soreness = assumes_soreness
        self.lasting_only = lasting_only

    def conditions(self) -> list[str]:
        return unlock_conditions(self.assumes_soreness, self.lasting_only)


def unlock_conditions(assumes_soreness: int | None, lasting_only: bool) -> list[str]:
    """What an unlock rests on, in the words every screen and the CLI use."""
    said = []
    if assumes_soreness is not None:
        said.append(f"if soreness is down to {assumes_soreness}")
    if lasting_only:
        said.append("judged on legs and soreness alone")
    return said


def allowed_at(steps: Sequence[Step], now: Any) -> RunType:
    """The hardest run type allowed at `now` (the first step's before it starts)."""
    current = steps[0].run_type
    for step in steps:
        if step.at <= now:
            current = step.run_type
    return current


def next_unlock_step(steps: Sequence[Step], now: Any) -> Step | None:
    """The first later step with a harder run type than the one allowed now. Moments
    may be datetimes or epoch seconds (the status line's), as long as they compare."""
    current = rank(allowed_at(steps, now))
    for step in steps:
        if step.at > now and rank(step.run_type) > current:
            return step
    return None


def next_unlock(
    steps: Sequence[Step], now: datetime, answers_until: datetime | None = None
) -> Unlock | None:
    """The next unlock; `answers_until`: when the check-in's momentary answers lapse (an
    unlock at or after it is judged on what lasts)."""
    step = next_unlock_step(steps, now)
    if step is None:
        return None
    return Unlock(
        step.run_type,
        step.at,
        (step.at - now).total_seconds() / 3600,
        step.assumes_soreness,
        answers_until is not None and now < answers_until <= step.at,
    )


def first_allowed(steps: Sequence[Step]) -> dict[str, Step | None]:
    """For each run type above rest (by name), the first step that allows it (None: not on
    the clock)."""
    return {
        name: next((step for step in steps if rank(step.run_type) >= rank(name)), None)
        for name in LADDER_ORDER[1:]
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
