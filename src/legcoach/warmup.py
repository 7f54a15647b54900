"""The guided warm-up: drills from data (data/warmup.json) and a clock-driven run through them.

Warming up before running on sore legs is guide point 6; on sore legs the warm-up
decides: if stiffness does not ease, drop a rung. Pure: the caller passes the time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources

SORE_FROM = 3  # soreness (0-10) from which the longer, gentler sequence is used


@dataclass(frozen=True)
class Drill:
    name: str
    seconds: int
    cue: str


@cache
def _drill_sets() -> dict[str, tuple[Drill, ...]]:
    raw = json.loads(resources.files("legcoach").joinpath("data/warmup.json").read_text("utf-8"))
    return {
        name: tuple(Drill(**drill) for drill in drills)
        for name, drills in raw.items()
        if isinstance(drills, list)
    }


def drills_for(soreness: float | None, *, rest_day: bool = False) -> tuple[Drill, ...]:
    """The run warm-up (longer and gentler on sore legs), or on a rest day a walk and
    mobility routine instead: no jog, no lunges."""
    if rest_day:
        return _drill_sets()["rest_day"]
    sore = soreness is not None and soreness >= SORE_FROM
    return _drill_sets()["sore_legs" if sore else "standard"]


@dataclass(frozen=True)
class WarmupState:
    index: int  # the drill under way; len(drills) when finished
    remaining: float  # seconds left in that drill
    elapsed: float  # seconds of warm-up done, skips included
    paused: bool


@dataclass
class WarmupRun:
    """Where a warm-up is at any moment; pausing stops the clock, skipping ends a drill."""

    drills: tuple[Drill, ...]
    started_at: datetime
    _banked: float = 0.0  # seconds run before the current stretch
    _running_since: datetime | None = None
    _skipped: float = 0.0  # seconds jumped over by skipping
    _ends: list[float] = field(default_factory=list)
    skipped: set[int] = field(default_factory=set)  # drills ended early with skip()

    def __post_init__(self) -> None:
        self._running_since = self.started_at
        total = 0.0
        for drill in self.drills:
            total += drill.seconds
            self._ends.append(total)

    @property
    def total_seconds(self) -> float:
        return self._ends[-1] if self._ends else 0.0

    def _position(self, now: datetime) -> float:
        running = (now - self._running_since).total_seconds() if self._running_since else 0.0
        return min(self.total_seconds, self._banked + max(0.0, running) + self._skipped)

    def state(self, now: datetime) -> WarmupState:
        position = self._position(now)
        for index, end in enumerate(self._ends):
            if position < end:
                return WarmupState(index, end - position, position, self.paused)
        return WarmupState(len(self.drills), 0.0, self.total_seconds, self.paused)

    @property
    def paused(self) -> bool:
        return self._running_since is None

    def is_finished(self, now: datetime) -> bool:
        return self.state(now).index >= len(self.drills)

    def pause(self, now: datetime) -> None:
        if self._running_since is not None:
            self._banked += max(0.0, (now - self._running_since).total_seconds())
            self._running_since = None

    def resume(self, now: datetime) -> None:
        if self._running_since is None:
            self._running_since = now

    def toggle(self, now: datetime) -> None:
        self.resume(now) if self.paused else self.pause(now)

    def skip(self, now: datetime) -> None:
        """End the current drill now and start the next."""
        state = self.state(now)
        if state.index < len(self.drills):
            self._skipped += state.remaining
            self.skipped.add(state.index)
