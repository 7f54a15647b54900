"""From what a watch recorded to a run legcoach understands: sport, run type, identity.

The run type comes from heart rate and the profile's max heart rate: the run is the
lowest rung whose heart-rate cap covers 90 % of its moving time. The caps are the
app's own (coach.RUNG_PLANS, % of max HR): recovery 70, easy 79 (Daniels' easy pace,
65-79 %), steady 87, quality above. Without heart rate, or without a max heart rate
in the profile, the intensity is unknown and the run is saved as such.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from legcoach.models import LegSession, RunLog
from legcoach.text import without_controls
from legcoach.vocab import MAX_HR_PERCENT, RunType

# Rung caps in % of max HR, the plan's own (vocab.MAX_HR_PERCENT): a run at or under
# a rung's cap is that rung; above steady's it was quality.
HR_CAPS: tuple[tuple[int, RunType], ...] = tuple(
    (percent, rung)
    for rung, percent in MAX_HR_PERCENT.items()
    if percent is not None and RunType.RECOVERY <= rung <= RunType.STEADY
)
COVERED_SHARE = 0.9
# Samples further apart than this are a pause, not moving time.
PAUSE = timedelta(seconds=30)
IMPORT_NAMESPACE = uuid.UUID("6f1f6a52-2b8e-4d7e-9a43-3a1c9b1f0e11")

RUN_WORDS = ("run", "jog", "treadmill", "trail", "track")
WALK_WORDS = ("walk", "hik", "trek")


UNKNOWN_SPORTS = ("", "generic", "unknown sport", "other", "all", "none")
MAX_DISTANCE_M = 1_000_000
MAX_ACTIVITY_SECONDS = (
    7 * 24 * 3600
)  # longer than any activity: a damaged value  # the record's own bound (models.RunLog.distance_m)
# A run's pace when the file does not say the sport: 6.5-22 km/h (a slow jog to a fast
# 10 km). A hike at 3.5 km/h or a ride at 25 km/h is not read as a run.
RUN_SPEED_KMH = (6.5, 22.0)


def sport_kind(sport: str | None) -> str:
    """'run', 'walk', 'other', or 'unknown' (the file does not say: FIT 'generic', a GPX
    track without a type or a sport word in its name) from a sport name as files spell it
    (FIT 'running', TCX 'Running', GPX 'running', 'trail_running', 'Walking' ...)."""
    word = (sport or "").strip().lower()
    if word in UNKNOWN_SPORTS:
        return "unknown"
    if any(w in word for w in WALK_WORDS):
        return "walk"
    if any(w in word for w in RUN_WORDS):
        return "run"
    return "other"


def stable_id(kind: str, source: str, start: datetime) -> uuid.UUID:
    """The same activity imported again (from any newer export) gets the same id: the
    source and the start instant, to the second, whatever the file's time zone."""
    return uuid.uuid5(IMPORT_NAMESPACE, f"{kind}:{source}:{round(start.timestamp())}")


def classify(samples: Sequence[tuple[datetime, int]], max_hr: int | None) -> RunType | None:
    """The run type from heart-rate samples, or None when it cannot be known."""
    if not max_hr or len(samples) < 2:
        return None
    weighted: list[tuple[float, float]] = []  # (% of max HR, seconds)
    for (at, hr), (next_at, _) in itertools.pairwise(samples):
        gap = next_at - at
        if hr and timedelta(0) < gap <= PAUSE:
            weighted.append((100 * hr / max_hr, gap.total_seconds()))
    total = sum(seconds for _, seconds in weighted)
    if total < 60:
        return None
    weighted.sort()
    covered = 0.0
    level = weighted[-1][0]
    for percent, seconds in weighted:
        covered += seconds
        if covered >= COVERED_SHARE * total:
            level = percent
            break
    for cap, run_type in HR_CAPS:
        if level <= cap:
            return run_type
    return RunType.QUALITY


def moving_seconds(times: Sequence[datetime]) -> float:
    return sum(
        gap.total_seconds()
        for a, b in itertools.pairwise(times)
        if timedelta(0) < (gap := b - a) <= PAUSE
    )


def clean(text: str | None, limit: int = 60) -> str | None:
    """Text from a file, fit to keep on one line: control and bidi characters removed,
    length capped."""
    if not text:
        return None
    return without_controls(str(text), keep_lines=False).strip()[:limit] or None


@dataclass
class Activity:
    """One activity as any format describes it."""

    source: str
    sport: str | None
    start: datetime
    end: datetime
    timer_seconds: float | None = None
    distance_m: float | None = None
    avg_hr: int | None = None
    max_hr: int | None = None
    samples: Sequence[tuple[datetime, int]] = ()
    notes: list[str] = field(default_factory=list)  # what was left out of the file, said
    strength: Any = None  # a watch's strength session with leg sets (lifting.Workout)

    def speed_kmh(self) -> float | None:
        seconds = self.timer_seconds or (self.end - self.start).total_seconds()
        if not self.distance_m or seconds <= 0:
            return None
        return self.distance_m / 1000 / (seconds / 3600)

    def to_run(self, max_hr_profile: int | None) -> RunLog | LegSession | str:
        """A run (or walk), a leg session (a watch's strength session with leg sets), or
        why it was skipped."""
        if self.strength is not None:
            session: LegSession | str = self.strength.to_leg_session(self.source)
            return session
        kind = sport_kind(self.sport)
        if kind == "other":
            return f"skipped: {clean(self.sport) or 'unknown sport'}"
        seconds = self.timer_seconds or (self.end - self.start).total_seconds()
        minutes = round(seconds / 60)
        if minutes < 1:
            return "skipped: shorter than a minute"
        if kind == "unknown":
            # Only running is a run: an activity of no stated sport is one at a run's pace.
            speed = self.speed_kmh()
            what = (
                f"a {clean(self.sport)} activity"
                if self.sport
                else "an activity of no stated sport"
            )
            if speed is None:
                return f"skipped: {what} without a distance, not read as a run"
            low, high = RUN_SPEED_KMH
            if not low <= speed <= high:
                return f"skipped: {what} at {speed:.1f} km/h, not a run's pace"
        distance = self.distance_m
        if distance is not None and not 0 < distance <= MAX_DISTANCE_M:
            # A damaged total (a FIT file's 42,949 km): the run stays, its distance goes.
            self.notes.append(
                f"left out a distance of {distance / 1000:,.0f} km: no run is that long"
            )
            distance = None
        run_type = RunType.WALK if kind == "walk" else classify(self.samples, max_hr_profile)
        hrs = [hr for _, hr in self.samples if hr]
        avg = self.avg_hr or (round(sum(hrs) / len(hrs)) if hrs else None)
        peak = self.max_hr or (max(hrs) if hrs else None)
        return RunLog(
            id=stable_id("run", self.source, self.start),
            source=self.source,
            at=self.end,
            started_at=self.start,
            run_type=run_type,
            minutes=min(minutes, 1440),
            distance_m=round(distance, 1) if distance else None,
            avg_hr=avg if avg and 20 <= avg <= 260 else None,
            max_hr=peak if peak and 20 <= peak <= 260 else None,
            sport=clean(self.sport),
        )


def words_for(records: Sequence[object]) -> str:
    """'1 run', '2 runs and 1 walk', '3 leg sessions, 7 check-ins and 1 soreness update'."""
    from legcoach.models import CheckIn, LegSession, SorenessUpdate

    def count(test: Callable[[object], bool]) -> int:
        return sum(1 for r in records if test(r))

    kinds = (
        (count(lambda r: isinstance(r, RunLog) and r.run_type != RunType.WALK), "run"),
        (count(lambda r: isinstance(r, RunLog) and r.run_type == RunType.WALK), "walk"),
        (count(lambda r: isinstance(r, LegSession)), "leg session"),
        (count(lambda r: isinstance(r, CheckIn)), "check-in"),
        (count(lambda r: isinstance(r, SorenessUpdate)), "soreness update"),
    )
    parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in kinds if n]
    if not parts:
        return "nothing"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
