"""How legs recover after a leg session: intensity, time windows and soreness over time.

Pure functions, no I/O. The coach reads the windows and projected soreness from here;
the recovery timer and `legcoach status` read the coach's timeline built on them.

Sources (see docs/coaching.md):
- Intensity from session RPE: hard >= 7 or heavy eccentric / new exercises, light <= 4;
  light sessions shift every window ~24 h earlier, moderate ~12 h (rule table synthesis).
  Plyometric work counts as hard whatever its RPE: jumps load tendons and impair
  explosive strength most (Schumann et al. 2022), which a session RPE under-reads.
- Damaging kinds (eccentric, new exercises, plyometric) give the largest and latest
  damage: soreness peaks 24-72 h and 2-3/10 at 48 h is the peak, not recovery (Tufano
  et al. 2012); knee position sense stays impaired up to 48 h (Torres et al. 2010). After
  a hard one, quality waits until 72 h (QUALITY_HOLD_HOURS).
- Accumulated load: a hard session within 48 h after another hard one extends its
  windows by 24 h (a 40-60 min session leaves stress for several days: Doma et al. 2019).
- DOMS rises over the first day and peaks at 24-72 h, fading by 5-7 days; after the peak
  Tufano et al. 2012 (JSCR 26:2777) fall from 2.6/10 at 48 h to 1.1/10 at 96 h, a
  half-life of about 40 h.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from legcoach.models import LegKind, LegSession

HARD_RPE = 7
LIGHT_RPE = 4
HARD_KINDS = frozenset({LegKind.ECCENTRIC, LegKind.NEW_EXERCISES, LegKind.PLYOMETRIC})
DAMAGING_KINDS = HARD_KINDS
QUALITY_HOLD_HOURS = 72.0
ACCUMULATION_GAP_HOURS = 48.0
ACCUMULATION_HOURS = 24.0


class Intensity(StrEnum):
    LIGHT = "light"
    MODERATE = "moderate"
    HARD = "hard"


# How many hours earlier every recovery window opens, by session intensity.
WINDOW_SHIFT_HOURS = {Intensity.HARD: 0.0, Intensity.MODERATE: 12.0, Intensity.LIGHT: 24.0}


def intensity_of(rpe: int | None, kind: LegKind | None) -> Intensity:
    """Unknown effort counts as hard: the cautious reading, said as such by the coach.
    Eccentric and new exercises count as hard at any effort (their damage is under-read
    by RPE: Nosaka, Newton & Sacco 2005); jump drills only from RPE 5 on: light drills
    are light, and the kind lengthens the window of a hard session (quality hold)."""
    if kind == LegKind.PLYOMETRIC and rpe is not None and rpe <= LIGHT_RPE:
        return Intensity.LIGHT
    if rpe is None or rpe >= HARD_RPE or kind in HARD_KINDS:
        return Intensity.HARD
    if rpe <= LIGHT_RPE:
        return Intensity.LIGHT
    return Intensity.MODERATE


@dataclass(frozen=True)
class LegLoad:
    """The facts about a leg session that recovery depends on.

    `extra_hours`: how much longer its windows last because it came soon after another
    hard session (accumulated load); 0 for a session on its own."""

    ended_at: datetime
    rpe: int | None
    kind: LegKind | None = None
    extra_hours: float = 0.0

    @classmethod
    def of(cls, session: LegSession) -> LegLoad:
        return cls(session.ended_at, session.rpe, session.kind)

    @property
    def intensity(self) -> Intensity:
        return intensity_of(self.rpe, self.kind)

    @property
    def holds_quality(self) -> bool:
        """A hard session of a damaging kind: quality waits until QUALITY_HOLD_HOURS."""
        return self.kind in DAMAGING_KINDS and self.intensity == Intensity.HARD

    def hours_at(self, at: datetime) -> float:
        return max(0.0, (at - self.ended_at).total_seconds() / 3600)

    def effective_hours_at(self, at: datetime) -> float:
        """Hours since the session as if it had been hard and on its own: lighter sessions
        count as older, a session on top of another as younger."""
        return self.hours_at(at) + WINDOW_SHIFT_HOURS[self.intensity] - self.extra_hours

    def when_effective(self, effective_hours: float) -> datetime:
        """The moment at which `effective_hours_at` reaches the given value."""
        real = max(0.0, effective_hours - WINDOW_SHIFT_HOURS[self.intensity] + self.extra_hours)
        return self.ended_at + timedelta(hours=real)

    def quality_hold_ends(self) -> datetime | None:
        if not self.holds_quality:
            return None
        return self.ended_at + timedelta(hours=QUALITY_HOLD_HOURS + self.extra_hours)


def accumulated(loads: list[LegLoad]) -> list[LegLoad]:
    """The sessions oldest first, each hard one that came within 48 h after another hard
    one given 24 h more (two hard sessions close together recover as one bigger one)."""
    ordered = sorted(loads, key=lambda load: load.ended_at)
    result: list[LegLoad] = []
    for load in ordered:
        close = any(
            earlier.intensity == Intensity.HARD
            and timedelta(0)
            < load.ended_at - earlier.ended_at
            <= timedelta(hours=ACCUMULATION_GAP_HOURS)
            for earlier in result
        )
        if close and load.intensity == Intensity.HARD:
            load = replace(load, extra_hours=ACCUMULATION_HOURS)
        result.append(load)
    return result


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
        """Soreness is held until the last session's DOMS peak has passed: also a reading
        from before that session (a new session never makes the legs less sore)."""
        if leg is None:
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

    A reading from before the last leg session is a floor for it: held until that
    session's peak has passed, then decaying (more leg work never lowers soreness).
    """
    if reading is None:
        return None
    return decay.project(reading.value, reading.at, leg, at)


# --- The personal recovery rate --------------------------------------------------------

# Learnt from the readings people give: two leg days, each with two soreness readings
# (check-ins or updates) between 1 and 7 days after it. Soreness already falls from
# 24 h after eccentric work (2.9 at 24 h, 2.6 at 48 h, 2.0 at 72 h: Tufano et al. 2012).
MIN_FIT_SESSIONS = 2
MIN_HALF_LIFE, MAX_HALF_LIFE = 12.0, 120.0
FIT_FROM_HOURS = 24.0
FIT_WINDOW_HOURS = 7 * 24.0


def fit_decay(
    sessions: list[list[tuple[float, float]]],
    *,
    base: SorenessDecay = DEFAULT_DECAY,
    min_sessions: int = MIN_FIT_SESSIONS,
) -> SorenessDecay | None:
    """The user's own soreness half-life from (hours after a leg session, soreness) pairs.

    Only readings 24 h to 7 days after a session count (before, soreness may still rise). Each
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
            if soreness > 0 and FIT_FROM_HOURS <= hours <= FIT_WINDOW_HOURS
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


def usable_fit_sessions(sessions: list[list[tuple[float, float]]]) -> int:
    """How many leg days have the two readings a fit needs (to say how many more it needs)."""
    return sum(
        1
        for readings in sessions
        if len({h for h, s in readings if s > 0 and FIT_FROM_HOURS <= h <= FIT_WINDOW_HOURS}) >= 2
    )
