"""How legs recover after a leg session: intensity, time windows and soreness over time.

Pure functions, no I/O. The coach reads the windows and projected soreness from here;
the recovery timer and `legcoach status` read the coach's timeline built on them.

Sources (see shared/coaching/EVIDENCE.md):
- Intensity from session RPE: hard >= 7 or heavy eccentric / new exercises, light <= 4;
  light sessions shift every window ~24 h earlier, moderate ~12 h (rule table synthesis).
- DOMS rises over the first day and peaks at 24-72 h, fading by 5-7 days; after the peak
  Tufano et al. 2012 (JSCR 26:2777) fall from 2.6/10 at 48 h to 1.1/10 at 96 h, a
  half-life of about 40 h.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from legcoach.models import LegKind, LegSession

HARD_RPE = 7
LIGHT_RPE = 4
HARD_KINDS = frozenset({LegKind.ECCENTRIC, LegKind.NEW_EXERCISES})


class Intensity(StrEnum):
    LIGHT = "light"
    MODERATE = "moderate"
    HARD = "hard"


# How many hours earlier every recovery window opens, by session intensity.
WINDOW_SHIFT_HOURS = {Intensity.HARD: 0.0, Intensity.MODERATE: 12.0, Intensity.LIGHT: 24.0}


def intensity_of(rpe: int | None, kind: LegKind | None) -> Intensity:
    """Unknown effort counts as hard: the cautious reading, said as such by the coach."""
    if rpe is None or rpe >= HARD_RPE or kind in HARD_KINDS:
        return Intensity.HARD
    if rpe <= LIGHT_RPE:
        return Intensity.LIGHT
    return Intensity.MODERATE


@dataclass(frozen=True)
class LegLoad:
    """The facts about the last leg session that recovery depends on."""

    ended_at: datetime
    rpe: int | None
    kind: LegKind | None = None

    @classmethod
    def of(cls, session: LegSession) -> LegLoad:
        return cls(session.ended_at, session.rpe, session.kind)

    @property
    def intensity(self) -> Intensity:
        return intensity_of(self.rpe, self.kind)

    def hours_at(self, at: datetime) -> float:
        return max(0.0, (at - self.ended_at).total_seconds() / 3600)

    def effective_hours_at(self, at: datetime) -> float:
        """Hours since the session as if it had been hard: lighter sessions count as older."""
        return self.hours_at(at) + WINDOW_SHIFT_HOURS[self.intensity]

    def when_effective(self, effective_hours: float) -> datetime:
        """The moment at which `effective_hours_at` reaches the given value."""
        real = max(0.0, effective_hours - WINDOW_SHIFT_HOURS[self.intensity])
        return self.ended_at + timedelta(hours=real)


@dataclass(frozen=True)
class SorenessDecay:
    """Soreness after a leg session: held until the DOMS peak has passed, then decaying.

    Holding (never projecting a rise or an early fall) keeps the projection cautious:
    soreness reported a few hours after the session may still climb until the peak.
    """

    half_life_hours: float = 40.0
    peak_hours: float = 48.0
    based_on: int = 0  # leg days behind a personal fit; 0 for the published default

    @property
    def is_personal(self) -> bool:
        return self.based_on > 0

    def decay_start(self, reported_at: datetime, leg: LegLoad | None) -> datetime:
        if leg is None or reported_at < leg.ended_at:
            return reported_at
        return max(reported_at, leg.ended_at + timedelta(hours=self.peak_hours))

    def project(
        self, soreness: float, reported_at: datetime, leg: LegLoad | None, at: datetime
    ) -> float:
        start = self.decay_start(reported_at, leg)
        if at <= start:
            return float(soreness)
        hours = (at - start).total_seconds() / 3600
        return soreness * 0.5 ** (hours / self.half_life_hours)

    def falls_to(
        self, soreness: float, threshold: float, reported_at: datetime, leg: LegLoad | None
    ) -> datetime | None:
        """When projected soreness first reaches `threshold` (None if it already has)."""
        if soreness <= threshold:
            return None
        if threshold <= 0:
            return None  # exponential decay never reaches zero
        start = self.decay_start(reported_at, leg)
        hours = self.half_life_hours * math.log2(soreness / threshold)
        return start + timedelta(hours=hours)


DEFAULT_DECAY = SorenessDecay()


@dataclass(frozen=True)
class SorenessReading:
    value: int
    at: datetime


def soreness_now(
    reading: SorenessReading | None,
    leg: LegLoad | None,
    at: datetime,
    decay: SorenessDecay = DEFAULT_DECAY,
) -> float | None:
    """The best estimate of soreness at `at`, or None when nothing is known.

    A reading from before the last leg session says nothing about that session.
    """
    if reading is None:
        return None
    if leg is not None and reading.at < leg.ended_at:
        return None
    return decay.project(reading.value, reading.at, leg, at)


# --- The personal recovery rate --------------------------------------------------------

MIN_FIT_SESSIONS = 3
MIN_HALF_LIFE, MAX_HALF_LIFE = 12.0, 120.0
FIT_WINDOW_HOURS = 7 * 24.0


def fit_decay(
    sessions: list[list[tuple[float, float]]],
    *,
    base: SorenessDecay = DEFAULT_DECAY,
    min_sessions: int = MIN_FIT_SESSIONS,
) -> SorenessDecay | None:
    """The user's own soreness half-life from (hours after a leg session, soreness) pairs.

    Only readings after the DOMS peak count (before it soreness may still rise). Each
    session keeps its own starting soreness; the decay rate is shared: a least-squares
    slope of log-soreness against hours, taken within sessions and pooled. None when
    fewer than `min_sessions` sessions have two usable readings, or no decay shows.
    """
    numerator = denominator = 0.0
    used = 0
    for readings in sessions:
        points = [
            (hours, math.log(soreness))
            for hours, soreness in readings
            if soreness > 0 and base.peak_hours <= hours <= base.peak_hours + FIT_WINDOW_HOURS
        ]
        if len(points) < 2:
            continue
        mean_t = sum(t for t, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        spread = sum((t - mean_t) ** 2 for t, _ in points)
        if spread == 0:
            continue
        numerator += sum((t - mean_t) * (y - mean_y) for t, y in points)
        denominator += spread
        used += 1
    if used < min_sessions or denominator == 0 or numerator >= 0:
        return None
    half_life = math.log(2) / (-numerator / denominator)
    return SorenessDecay(
        half_life_hours=min(MAX_HALF_LIFE, max(MIN_HALF_LIFE, half_life)),
        peak_hours=base.peak_hours,
        based_on=used,
    )
