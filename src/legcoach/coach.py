"""The coach: today's run on the ladder, from the check-in, the last leg session and history.

Every rule is a row of `RULES`. A rule that fires either sets a *ceiling* (the hardest
run type it allows) or *drops* the result a rung; the plan is the lowest ceiling,
lowered by the largest drop. Because each ceiling only ever falls as soreness rises or
a red flag is added, and only ever rises as hours pass, the plan keeps those promises by
construction (tests/test_coach_properties.py checks them).

Sources are cited next to each rule; docs/coaching.md explains the rules and lists them.

What a check-in says lasts as long as it is true: red flags hold until a new check-in
clears them; answers about the moment (fuel, warm-up, sleep, energy, stress) hold for
ANSWERS_HOLD after the check-in; leg sessions and soreness (decaying) are what the
timeline projects onto later days. A case is judged at any moment with only what still
holds then (`situation_at`), so the plan now, the timeline and every promised unlock are
one derivation (`derive`): a promise made now is what `advise` will say at that moment.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any
from uuid import UUID

from legcoach.clock import FUTURE_TOLERANCE
from legcoach.models import (
    CheckIn,
    LegKind,
    LegSession,
    NextUnlock,
    Profile,
    Reason,
    Recommendation,
    RunLog,
)
from legcoach.recovery import (
    DAMAGING_KINDS,
    DEFAULT_DECAY,
    QUALITY_HOLD_HOURS,
    WINDOW_SHIFT_HOURS,
    Intensity,
    LegLoad,
    SorenessDecay,
    SorenessReading,
    accumulated,
    soreness_now,
)
from legcoach.runload import RunLoad, hard_runs
from legcoach.timeline import Step, format_hours, next_unlock
from legcoach.vocab import MAX_HR_PERCENT, Experience, Fuel, Goal, RedFlag, RunType

R = RunType

RULES_VERSION = 3
TIMELINE_HORIZON = timedelta(days=14)
QUALITY_SPACING_HOURS = 48.0
# Every leg session of the last week counts, not only the last one.
LEG_LOOKBACK = timedelta(days=7)
# Momentary answers (fuel, warm-up, sleep, energy, stress) describe the hours around the
# check-in: they count until the next check-in or this long after it, not until midnight.
ANSWERS_HOLD = timedelta(hours=12)
# Hard runs (runload.py): under 12 h after one, a second run that day is an easy double;
# the next day is easy; quality waits 48 h (hard-easy: Foster 1998; Daniels).
RUN_WINDOWS: tuple[tuple[float, RunType, int | None, str], ...] = (
    (12, R.EASY, 30, "a second run on a hard day: an easy double at most, 30 min"),
    (36, R.EASY, None, "hard days are followed by easy days"),
    (QUALITY_SPACING_HOURS, R.STEADY, None, "keep 48 h between hard runs"),
)
# After 6 days or more with nothing logged, the first 3 days back hold no quality.
BREAK_DAYS = 6
BREAK_EASIER_DAYS = 3
# Newcomers keep to easy running for their first weeks (guide point 5).
NEW_RUNNER_WEEKS = 6
# A long run for an endurance goal on a fresh day: minutes at easy pace.
LONG_RUN_MINUTES = (90, 150)
# Three hard leg days in a week is a pattern an endurance runner should cut back.
LEG_DAYS_PATTERN = 3

# The window after legs in which "no carbs since the leg session" matters (refuelling:
# Thomas, Erdman & Burke 2016; guide point 7).
REFUEL_HOURS = 24.0


# --- What each rung means -------------------------------------------------------------


@dataclass(frozen=True)
class RungPlan:
    minutes: tuple[int, int]
    max_rpe: int
    talk_test: str
    max_hr_pct: int | None


# Caps: talk test below the first ventilatory threshold (Persinger et al. 2004); easy pace
# about 65-79 % of max HR (Daniels); recovery runs RPE 2-3, flat, no strides.
RUNG_PLANS: dict[RunType, RungPlan] = {
    rung: RungPlan(minutes, rpe, talk, MAX_HR_PERCENT[rung])
    for rung, (minutes, rpe, talk) in {
        R.REST: ((0, 0), 0, "No run. An unhurried walk is fine if it feels good."),
        R.WALK: ((20, 40), 2, "Walk only: breathing easy enough to sing."),
        R.RECOVERY: ((20, 30), 3, "Full sentences with ease. Flat route, no strides, no hills."),
        R.EASY: ((30, 50), 4, "You can speak in full sentences throughout."),
        R.STEADY: ((40, 60), 6, "Short sentences only; comfortably hard at most."),
        R.QUALITY: ((40, 75), 8, "As planned: only a few words at a time in the hard parts."),
    }.items()
}

# Goal-specific durations (guide point 4): endurance runners run longer, fat loss likes a
# longer easy aerobic run; a muscle goal keeps every run short (see the goal rules).
GOAL_MINUTES: dict[Goal, dict[RunType, tuple[int, int]]] = {
    Goal.ENDURANCE: {R.EASY: (30, 60), R.STEADY: (45, 75), R.QUALITY: (45, 90)},
    Goal.FAT_LOSS: {R.WALK: (30, 50), R.EASY: (30, 60)},
}


# --- The situation the rules look at --------------------------------------------------


@dataclass(frozen=True)
class Break:
    """Days off before the latest return: the first days back are easier."""

    days: int  # how long the gap was
    back_at: datetime  # the first activity after it (now, when none yet)

    @property
    def easier_until(self) -> datetime:
        return self.back_at + timedelta(days=BREAK_EASIER_DAYS)


@dataclass(frozen=True)
class Case:
    """Everything known that does not change with the clock."""

    legs: tuple[LegLoad, ...]  # the last week's leg sessions, oldest first
    soreness: SorenessReading | None
    red_flags: frozenset[RedFlag] = frozenset()
    goal: Goal | None = None
    fuel: Fuel | None = None
    sleep: int | None = None
    energy: int | None = None
    stress: int | None = None
    warmup: bool | None = None
    history: tuple[RunLog | LegSession, ...] = ()
    max_hr: int | None = None
    decay: SorenessDecay = DEFAULT_DECAY
    checkin_at: datetime | None = None  # the check-in the answers come from
    answers_until: datetime | None = None  # when the momentary answers stop counting
    runs: tuple[RunLoad, ...] = ()  # the hard runs of the last weeks, oldest first
    experience: Experience | None = None
    new_runner_until: datetime | None = None  # a newcomer's easy-only weeks end then
    back_from_break: Break | None = None  # the first days back after days off
    # The last run or leg session, when nothing has been logged since: from BREAK_DAYS
    # after it, the days off are a break whose first day back is whenever the plan is read.
    idle_since: datetime | None = None
    race_on: date | None = None  # the race on the calendar (the profile's)

    @property
    def leg(self) -> LegLoad | None:
        """The latest leg session (its DOMS peak governs the soreness projection)."""
        return self.legs[-1] if self.legs else None

    @cached_property
    def lasting(self) -> Case:
        """Only what lasts beyond the moment: legs, soreness, red flags, goal."""
        return self.but(
            fuel=None, sleep=None, energy=None, stress=None, warmup=None, answers_until=None
        )

    @cached_property
    def held(self) -> Case:
        """The same case with soreness held where it was reported (no decay)."""
        return self.but(decay=_HELD)

    def but(self, **changes: Any) -> Case:
        """`dataclasses.replace` without its field-by-field `__init__`: a save's timeline
        copies the case at every moment it judges (a break, the answers lapsing), and
        replace was a sixth of a derivation. The cached views are not carried over."""
        if not changes.keys() <= _CASE_FIELDS:
            raise TypeError(f"not fields of Case: {sorted(changes.keys() - _CASE_FIELDS)}")
        copy = object.__new__(Case)
        values = copy.__dict__
        for name in _CASE_FIELDS:
            values[name] = self.__dict__[name]
        values.update(changes)
        return copy

    @property
    def break_starts(self) -> datetime | None:
        """When the days off since the last activity become a break, if nothing is logged."""
        return self.idle_since + timedelta(days=BREAK_DAYS) if self.idle_since else None

    def holding_at(self, at: datetime) -> Case:
        """What still holds at `at`: the momentary answers only until they expire, and
        days off that have become a break by then."""
        case = self
        if self.answers_until is not None and at >= self.answers_until:
            case = self.lasting
        if self.idle_since is not None and (starts := self.break_starts) and at >= starts:
            days = (at - self.idle_since).days
            case = case.but(back_from_break=Break(days, at), idle_since=None)
        return case

    def answers_lapsed_at(self, at: datetime) -> bool:
        """The check-in's momentary answers no longer count at `at` (only what lasts)."""
        return self.checkin_at is not None and self.holding_at(at).answers_until is None


_CASE_FIELDS = frozenset(item.name for item in fields(Case))


@dataclass(frozen=True)
class Situation:
    """A case seen at one moment: hours since legs and soreness move with the clock."""

    case: Case
    at: datetime
    leg: LegLoad | None  # the session whose window limits most now
    hours: float | None  # real hours since that session
    effective_hours: float | None  # as if it had been hard and on its own (recovery.py)
    quality_held: bool  # a hard damaging session is under 72 h old
    soreness: float | None
    soreness_estimated: bool
    hard_run: RunLoad | None = None  # the hard run whose window limits most now
    run_ceiling: tuple[RunType, int | None, str] | None = None  # its (ceiling, minutes, why)

    @property
    def intensity(self) -> Intensity | None:
        return self.leg.intensity if self.leg else None


def situation_at(case: Case, at: datetime) -> Situation:
    case = case.holding_at(at)
    # A session dated a little ahead (another device's clock, within the margin every
    # door accepts) binds at once, as just ended; its unlocks still count from its time.
    loads = [load for load in case.legs if load.ended_at <= at + FUTURE_TOLERANCE]
    binding = min(loads, key=lambda load: load.effective_hours_at(at), default=None)
    soreness = soreness_now(case.soreness, case.leg, at, case.decay)
    hard_run, run_ceiling = _run_window(case, at)
    return Situation(
        case=case,
        at=at,
        hard_run=hard_run,
        run_ceiling=run_ceiling,
        leg=binding,
        hours=binding.hours_at(at) if binding else None,
        effective_hours=binding.effective_hours_at(at) if binding else None,
        quality_held=any(
            (end := load.quality_hold_ends()) is not None and at < end for load in loads
        ),
        soreness=soreness,
        soreness_estimated=(
            soreness is not None
            and case.soreness is not None
            and (at - case.soreness.at) > timedelta(hours=1)
        ),
    )


def _run_window(
    case: Case, at: datetime
) -> tuple[RunLoad | None, tuple[RunType, int | None, str] | None]:
    """The hard run that limits most at `at`, and its (ceiling, max minutes, why)."""
    best: tuple[RunLoad, tuple[RunType, int | None, str]] | None = None
    best_key: tuple[RunType, int] | None = None
    for load in case.runs:
        hours = load.hours_at(at)
        if hours < -FUTURE_TOLERANCE.total_seconds() / 3600:
            continue
        found: tuple[RunType, int | None, str] | None = None
        until = load.race_easy_until
        if until is not None and at < until:
            found = (
                R.EASY,
                None,
                f"a race of about {load.race_km:.0f} km: about one easy day per 3 km raced, "
                f"so easy running for {load.easy_days} days",
            )
        else:
            found = next(
                (
                    (ceiling, minutes, why)
                    for upper, ceiling, minutes, why in RUN_WINDOWS
                    if hours < upper
                ),
                None,
            )
        if found is None:
            continue
        # The lowest ceiling limits most; at the same ceiling, the shorter cap.
        key = (found[0], found[1] if found[1] is not None else 10_000)
        if best_key is None or key < best_key:
            best, best_key = (load, found), key
    return (best[0], best[1]) if best else (None, None)


# --- The rule table -------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """What one rule concluded for one situation."""

    rule: Rule
    ceiling: RunType | None
    text: str
    drop: int = 0
    max_minutes: int | None = None
    minutes: tuple[int, int] | None = None
    caution: str | None = None
    caution_if_binding: bool = False  # the caution matters only when this rule decides


@dataclass(frozen=True)
class Rule:
    id: str
    factor: str
    source: str
    answer: Callable[[Situation], str]
    decide: Callable[[Situation], Finding | None] = field(repr=False)


def _legs_answer(s: Situation) -> str:
    leg = s.leg
    if leg is None or s.hours is None:
        return "Leg session: none logged"
    effort = f"RPE {leg.rpe}" if leg.rpe is not None else "effort not given"
    kind = f", {leg.kind.label}" if leg.kind else ""
    stacked = ", on top of another hard session" if leg.extra_hours else ""
    return f"Legs {format_hours(s.hours)} ago ({effort}, {leg.intensity.value}{kind}{stacked})"


def _soreness_answer(s: Situation) -> str:
    if s.soreness is None:
        return "Soreness: not given"
    if s.soreness_estimated:
        return f"Soreness ~{s.soreness:.0f}/10 (estimated from your last check-in)"
    return f"Soreness {s.soreness:.0f}/10"


def _finding(rule_id: str) -> Callable[..., Finding]:
    def make(ceiling: RunType | None, text: str, **extra: object) -> Finding:
        return Finding(RULE_BY_ID[rule_id], ceiling, text, **extra)  # type: ignore[arg-type]

    return make


def _red_flag(
    flag: RedFlag, text: str | Callable[[Situation], str], caution: str | None = None
) -> Callable[[Situation], Finding | None]:
    def decide(s: Situation) -> Finding | None:
        if flag not in s.case.red_flags:
            return None
        said = text(s) if callable(text) else text
        return _finding(f"red-flag:{flag.value}")(R.REST, said, caution=caution)

    return decide


def _coordination_text(s: Situation) -> str:
    if s.leg is not None and s.hours is not None and s.hours < 72:
        return "knee position sense stays impaired up to 48 h after hard leg work: stumbling risk"
    return "poor coordination makes a stumble likely: no run today"


# Leg-session windows in effective hours (hard-session hours; lighter sessions count as
# older). Hour bounds are the rule table's judgement; see recovery.py for the shift.
# A recovery run is for blood flow, not fitness: light movement after legs won't hurt and
# may help (guide points 1 and 6; the benefit is small: Tufano 2012, Fares et al. 2022).
LEG_WINDOWS: tuple[tuple[float, RunType, tuple[int, int] | None, str, str], ...] = (
    (
        6,
        R.RECOVERY,
        (15, 30),
        "under 6 h after hard legs",
        "only a short recovery run: light movement won't hurt and may help",
    ),
    (
        24,
        R.RECOVERY,
        (20, 30),
        "within a day of hard legs",
        "keep to a recovery run: light movement won't hurt and may help",
    ),
    (48, R.EASY, None, "a day or two after hard legs", "an easy run is fine"),
    (72, R.STEADY, None, "two to three days after hard legs", "a steady run is fine"),
    (math.inf, R.QUALITY, None, "three days or more after hard legs", "run as planned"),
)


def _window_text(s: Situation, when: str, verdict: str) -> str:
    """The window in words; a lighter session is not called hard, and says why it is
    further along than the clock shows."""
    leg = s.leg
    if leg is None or leg.intensity == Intensity.HARD:
        return f"{when}: {verdict}"
    shift = WINDOW_SHIFT_HOURS[leg.intensity]
    return (
        f"a {leg.intensity.value} session recovers ~{shift:.0f} h sooner than hard legs: {verdict}"
    )


# The morning after a session a trained lifter is used to: an easy run, not only a
# recovery run (Palmer & Sleivert 2001). Hard sessions up to this RPE, on their own.
USED_TO_RPE = 8
# The hours after a session (on the clock, not shifted by intensity) it applies from, and
# the day within which a second session rules it out.
USED_TO_FROM_HOURS = 6
USED_TO_ALONE_HOURS = 24


def _used_to_lifting(s: Situation) -> bool:
    """6-24 h after one ordinary leg session (not eccentric, new or jumps; RPE known and
    8 or less), no other leg session within a day, and no newcomer."""
    leg = s.leg
    if (
        leg is None
        or s.hours is None
        or s.hours < USED_TO_FROM_HOURS
        or s.case.experience == Experience.NEW
    ):
        return False
    if leg.rpe is None or leg.rpe > USED_TO_RPE or leg.kind in DAMAGING_KINDS or leg.extra_hours:
        return False
    within_a_day = [load for load in s.case.legs if 0 <= load.hours_at(s.at) < USED_TO_ALONE_HOURS]
    return len(within_a_day) <= 1


def _leg_window(s: Situation) -> Finding | None:
    make = _finding("legs")
    if s.effective_hours is None:
        return make(None, "no leg session logged, so no leg-recovery limit")
    _, ceiling, minutes, when, verdict = next(
        row for row in LEG_WINDOWS if s.effective_hours < row[0]
    )
    text = _window_text(s, when, verdict)
    if ceiling == R.EASY and s.soreness is not None and s.soreness > 3:
        # 24-48 h allows easy only with low soreness (rule table).
        return make(R.RECOVERY, _window_text(s, when, "still sore, so a recovery run"))
    if s.quality_held and ceiling >= R.STEADY:
        # Eccentric, new and plyometric work: damage peaks late (Tufano et al. 2012; Torres
        # et al. 2010); quality waits until 72 h after a hard one.
        kind = s.leg.kind.label if s.leg and s.leg.kind else "damaging"
        return make(
            R.STEADY,
            f"{kind} work hits hardest 24-72 h later: quality waits until "
            f"{QUALITY_HOLD_HOURS:.0f} h after it",
        )
    fresh = s.soreness is not None and s.soreness <= 2
    slept_well = s.case.sleep is not None and s.case.sleep >= 4
    if ceiling == R.RECOVERY and fresh and _used_to_lifting(s):
        # Runners used to lifting: running economy 1.6 % worse 8 h after a whole-body
        # session and normal at 24 h, heart rate and effort unchanged (Palmer & Sleivert
        # 2001); low-to-moderate running after legs is fine (guide point 1). The longer
        # windows of untrained people (Doma et al. 2019) stay with newcomers.
        return make(
            R.EASY,
            _window_text(s, when, "fresh legs and used to lifting, so an easy run is fine"),
        )
    if ceiling == R.STEADY and fresh and slept_well:
        return make(
            R.QUALITY, _window_text(s, when, "fresh legs and good sleep, so quality is allowed")
        )
    return make(ceiling, text, minutes=minutes)


# Soreness bands (0-10): higher soreness, lower ceiling. Soreness 7+ means walk only
# (rule table); muscle damage lowers shock absorption and torque, so going hard early
# raises injury risk (Cheung, Hume & Maxwell 2003).
SORENESS_BANDS: tuple[tuple[float, RunType, str], ...] = (
    (6, R.WALK, "high soreness: walk only, sore muscles absorb impact poorly"),
    (5, R.RECOVERY, "marked soreness: recovery pace only"),
    (3, R.EASY, "moderate soreness: nothing harder than easy"),
    (2, R.STEADY, "a little soreness left: steady at most, quality wants fresh legs"),
)
SORENESS_THRESHOLDS = tuple(threshold for threshold, _, _ in SORENESS_BANDS)


def _soreness(s: Situation) -> Finding | None:
    make = _finding("soreness")
    if s.soreness is None:
        return make(R.STEADY, "without knowing how your legs feel, no quality session")
    for threshold, ceiling, text in SORENESS_BANDS:
        if s.soreness > threshold:
            return make(ceiling, text)
    return make(None, "legs feel fresh")


def _goal(s: Situation) -> Finding | None:
    make = _finding("goal")
    goal = s.case.goal
    if goal == Goal.MUSCLE:
        if s.effective_hours is not None and s.effective_hours < 6:
            # Running right after lifting blunted strength gains (Robineau et al. 2016).
            return make(
                R.WALK, "running this soon after lifting blunts strength gains: walk or skip"
            )
        # Running interferes with hypertrophy more than cycling (Wilson et al. 2012).
        return make(
            R.EASY,
            "running costs energy balance and muscle gains: keep it short and easy",
            max_minutes=30,
        )
    if goal == Goal.ENDURANCE:
        return make(None, "running is your priority")
    if goal == Goal.FAT_LOSS:
        return make(None, "aerobic running helps, leg day or not, at whatever today allows")
    return None


def _fuel(s: Situation) -> Finding | None:
    """Refuelling matters after legs and before hard sessions (guide point 7; Thomas,
    Erdman & Burke 2016: 1-1.2 g/kg/h for the first hours when the next demanding session
    is close). A fasted easy run with no leg session behind it is normal: no rule."""
    if s.case.fuel != Fuel.NONE:
        return None
    make = _finding("fuel")
    recent = [load for load in s.case.legs if load.hours_at(s.at) < REFUEL_HOURS]
    if recent:
        return make(
            R.EASY,
            "none since the leg session: keep it short and easy",
            max_minutes=30,
            caution="Eat some carbs first (a banana, toast or a sports drink) and leave 30-60 min.",
        )
    return make(
        R.STEADY,
        "a hard session needs fuel, so steady at most",
        caution="For a hard session, eat carbs 1-4 h before it.",
        caution_if_binding=True,
    )


READINESS_LABELS = {"sleep": "poor sleep", "energy": "low energy", "stress": "high stress"}


def _is_low(answer: str, value: int | None) -> bool:
    """Sleep and energy are low at 1-2 of 5; stress (1 calm - 5 very stressed) at 4-5."""
    if value is None:
        return False
    return value >= 4 if answer == "stress" else value <= 2


def _readiness(answer: str, label: str) -> Callable[[Situation], Finding | None]:
    # Poor sleep, low energy or high stress drops one rung (the Hooper questionnaire asks
    # sleep, fatigue, stress and soreness: Hooper & Mackinnon 1995; McLean et al. 2010;
    # subjective measures track load well: Saw, Main & Gastin 2016). They read the same
    # readiness, so together they still drop one rung, and the reason says so.
    def decide(s: Situation) -> Finding | None:
        if not _is_low(answer, getattr(s.case, answer)):
            return None
        also = [
            other
            for key, other in READINESS_LABELS.items()
            if key != answer and _is_low(key, getattr(s.case, key))
        ]
        together = f" (with {' and '.join(also)}: one rung in all)" if also else ""
        return _finding(answer)(None, f"{label}: one rung down{together}", drop=1)

    return decide


def _warmup(s: Situation) -> Finding | None:
    if s.case.warmup is not False:
        return None
    make = _finding("warmup")
    caution = "Warm up for 5-10 minutes before you start, even on a short run."
    if s.soreness is not None and s.soreness > 3:
        return make(R.RECOVERY, "sore legs and no warm-up: recovery pace only", caution=caution)
    # The answer line already says "Warm-up: not planned": the reason says what it means.
    return make(
        R.STEADY, "cold legs take hard efforts badly: nothing harder than steady", caution=caution
    )


def _recent_runs(s: Situation) -> Finding | None:
    """Runs are load too: a hard run (or a race) holds the next runs down (runload.py)."""
    if s.run_ceiling is not None:
        ceiling, minutes, why = s.run_ceiling
        return _finding("history")(ceiling, why, max_minutes=minutes)
    unknown = _recent_unknown_run(s)
    if unknown is not None:
        # Imported without heart rate: how hard it was is not known, and the plan says so
        # rather than guessing either way.
        return _finding("history")(
            None, "how hard it was is unknown (no heart rate to read): it was not counted"
        )
    return None


def _back_from_break(s: Situation) -> Finding | None:
    gap = s.case.back_from_break
    if gap is None or s.at >= gap.easier_until:
        return None
    return _finding("break")(
        R.STEADY,
        f"back after {gap.days} days off: easier first days, no quality until "
        f"{gap.easier_until.astimezone(s.at.tzinfo):%a %H:%M}",
    )


# The day before a race: an easy shake-out, the legs kept fresh for it (Bosquet et al.
# 2007: in a taper intensity stays but the last days are light; Daniels).
RACE_EVE_MINUTES = (20, 30)


def _race_ahead(s: Situation) -> Finding | None:
    race = s.case.race_on
    if race is None or s.at.date() != race - timedelta(days=1):
        return None
    return _finding("race")(
        R.EASY,
        "your race is tomorrow: an easy shake-out at most, keep the legs fresh for it",
        minutes=RACE_EVE_MINUTES,
    )


def _new_runner(s: Situation) -> Finding | None:
    if s.case.experience != Experience.NEW:
        return None
    until = s.case.new_runner_until
    if until is not None and s.at >= until:
        return None
    return _finding("experience")(
        R.EASY,
        f"your first {NEW_RUNNER_WEEKS} weeks of running: easy runs only, the habit "
        "before the intensity",
    )


def _recent_unknown_run(s: Situation) -> RunLog | None:
    runs = [
        r
        for r in s.case.history
        if isinstance(r, RunLog)
        and r.run_type is None
        and timedelta(0) <= s.at - r.at < timedelta(hours=QUALITY_SPACING_HOURS)
    ]
    return max(runs, key=lambda r: r.at, default=None)


def _history_answer(s: Situation) -> str:
    run = s.hard_run
    if run is not None and s.run_ceiling is not None:
        ago = format_hours(max(0.0, run.hours_at(s.at)))
        imported = ", imported" if run.imported else ""
        return f"Run {ago} ago ({run.summary}{imported}; hard: {run.why})"
    unknown = _recent_unknown_run(s)
    assert unknown is not None
    return f"Run {format_hours((s.at - unknown.at).total_seconds() / 3600)} ago ({unknown.origin})"


RULES: tuple[Rule, ...] = (
    Rule(
        "red-flag:shaky-legs",
        "red flag",
        "Guide point 3; Cheung, Hume & Maxwell 2003",
        lambda s: "Red flag: shaky or trembling legs",
        _red_flag(RedFlag.SHAKY_LEGS, "trembling legs give way easily: no run today"),
    ),
    Rule(
        "red-flag:poor-coordination",
        "red flag",
        "Guide point 3; Torres et al. 2010",
        lambda s: "Red flag: poor coordination",
        _red_flag(RedFlag.POOR_COORDINATION, _coordination_text),
    ),
    Rule(
        "red-flag:sharp-pain",
        "red flag",
        "Guide point 3",
        lambda s: "Red flag: sharp or joint pain",
        _red_flag(
            RedFlag.SHARP_PAIN,
            "sharp or joint pain is not ordinary soreness: no run today",
            caution="If sharp or joint pain lasts or returns, have it checked by a physio or doctor.",
        ),
    ),
    Rule(
        "legs",
        "leg session",
        "Rule table; Robineau et al. 2016; Doma et al. 2019; eccentric, new and plyometric "
        "work: Tufano et al. 2012, Torres et al. 2010",
        _legs_answer,
        _leg_window,
    ),
    Rule(
        "soreness",
        "soreness",
        "Rule table; Tufano et al. 2012; Cheung et al. 2003",
        _soreness_answer,
        _soreness,
    ),
    Rule(
        "goal",
        "goal",
        "Guide point 4; Wilson et al. 2012; Robineau et al. 2016",
        lambda s: f"Goal: {s.case.goal.label}" if s.case.goal else "Goal: not set",
        _goal,
    ),
    Rule(
        "fuel",
        "fuel",
        "Guide point 7; Thomas, Erdman & Burke 2016",
        lambda s: "Fuel: no carbs",
        _fuel,
    ),
    Rule(
        "sleep",
        "sleep",
        "Hooper & Mackinnon 1995; McLean et al. 2010",
        lambda s: f"Sleep {s.case.sleep}/5",
        _readiness("sleep", READINESS_LABELS["sleep"]),
    ),
    Rule(
        "energy",
        "energy",
        "Hooper & Mackinnon 1995; McLean et al. 2010",
        lambda s: f"Energy {s.case.energy}/5",
        _readiness("energy", READINESS_LABELS["energy"]),
    ),
    Rule(
        "stress",
        "stress",
        "Hooper & Mackinnon 1995; McLean et al. 2010",
        lambda s: f"Stress {s.case.stress}/5",
        _readiness("stress", READINESS_LABELS["stress"]),
    ),
    Rule("warmup", "warm-up", "Guide point 6", lambda s: "Warm-up: not planned", _warmup),
    Rule(
        "history",
        "history",
        "Hard-easy spacing: Foster 1998; Daniels (one easy day per 3 km raced)",
        _history_answer,
        _recent_runs,
    ),
    Rule(
        "break",
        "break",
        "Nosaka, Newton & Sacco 2005; progression after a break (Impellizzeri et al. 2020)",
        lambda s: (
            f"Back after {s.case.back_from_break.days} days off"
            if s.case.back_from_break
            else "No break"
        ),
        _back_from_break,
    ),
    Rule(
        "race",
        "race",
        "Bosquet et al. 2007 (taper); Daniels",
        lambda s: f"Race on {s.case.race_on:%a %d %b}" if s.case.race_on else "No race",
        _race_ahead,
    ),
    Rule(
        "experience",
        "experience",
        "Guide point 5; Doma et al. 2019 (untrained people recover more slowly)",
        lambda s: f"Experience: {s.case.experience.label}" if s.case.experience else "",
        _new_runner,
    ),
)
RULE_BY_ID = {rule.id: rule for rule in RULES}


# --- Evaluation -----------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    run_type: RunType
    findings: tuple[Finding, ...]
    ceiling: RunType
    drop: int


def evaluate(s: Situation) -> Verdict:
    findings = tuple(f for rule in RULES if (f := rule.decide(s)) is not None)
    ceiling = min((f.ceiling for f in findings if f.ceiling is not None), default=R.QUALITY)
    drop = max((f.drop for f in findings), default=0)
    run_type = ceiling
    if drop and ceiling >= R.RECOVERY:
        # A readiness drop lowers a run, but a walk stays a walk.
        run_type = max(ceiling.lowered(drop), R.WALK)
    return Verdict(run_type, findings, ceiling, drop)


def _is_binding(f: Finding, verdict: Verdict) -> bool:
    if f.drop:
        return verdict.run_type < verdict.ceiling
    return f.ceiling is not None and f.ceiling == verdict.ceiling and verdict.ceiling < R.QUALITY


def _minutes(verdict: Verdict, case: Case) -> tuple[int, int]:
    run_type = verdict.run_type
    low, high = RUNG_PLANS[run_type].minutes
    if run_type == R.REST:
        return (0, 0)
    if case.goal in GOAL_MINUTES:
        low, high = GOAL_MINUTES[case.goal].get(run_type, (low, high))
    for f in verdict.findings:
        if f.minutes and f.ceiling == run_type:
            low, high = f.minutes
    caps = [f.max_minutes for f in verdict.findings if f.max_minutes]
    if caps:
        high = min(high, *caps)
        low = min(low, high - 10) if high > 10 else min(low, high)
    return (low, high)


def _rest_cautions(verdict: Verdict, s: Situation) -> list[str]:
    """A rest day says only what is true on a rest day: what to do instead, and when
    to check again. No run cautions (fuel for a run, a run warm-up)."""
    cautions = [f.caution for f in verdict.findings if f.caution and f.ceiling == R.REST]
    if RedFlag.SHARP_PAIN not in s.case.red_flags:
        cautions.append(
            "An unhurried walk and gentle mobility (hip circles, leg swings, calf "
            "stretches) instead of a run, if they feel good."
        )
    if RedFlag.SHAKY_LEGS in s.case.red_flags and s.case.fuel == Fuel.NONE:
        cautions.append(
            "Shaky legs and nothing eaten: eat something with carbs now and check in "
            "again in an hour."
        )
    else:
        cautions.append("Check in again tomorrow: the plan moves once the red flag has cleared.")
    return cautions


def _cautions(verdict: Verdict, s: Situation) -> list[str]:
    run_type = verdict.run_type
    if run_type == R.REST:
        return _rest_cautions(verdict, s)
    cautions = [
        f.caution
        for f in verdict.findings
        if f.caution and (not f.caution_if_binding or _is_binding(f, verdict))
    ]
    if s.case.warmup is not False and run_type == R.WALK:
        cautions.append("Start slowly: the first 5 minutes at an unhurried pace.")
    elif s.case.warmup is not False:
        cautions.append("Warm up for 5-10 minutes first: brisk walk, leg swings, hip circles.")
        if s.soreness is not None and s.soreness >= 3 and run_type > R.WALK:
            cautions.append(
                "Your legs are sore, so the warm-up decides: if the stiffness does not ease, "
                "drop a rung."
            )
    if run_type in (R.RECOVERY, R.EASY):
        cautions.append("Easy means easy: if you cannot talk in full sentences, slow down or walk.")
    if _legs_blunt_running(verdict, s):
        cautions.append(
            "Three or more hard leg days this week: running is your priority, so one or two "
            "short heavy sessions a week are enough (cut leg volume)."
        )
    if (long_run := _long_run(verdict, s)) is not None:
        cautions.append(
            f"A long run fits today: {long_run[0]}-{long_run[1]} min at easy pace "
            "(full sentences throughout), if your plan has one."
        )
    monotony = weekly_monotony(s.case.history, s.at)
    if monotony is not None and monotony > 2.0:
        cautions.append(
            f"This week's training is very uniform (monotony {monotony:.1f} > 2.0): "
            "make easy days easier and hard days rarer."
        )
    return cautions


def _legs_blunt_running(verdict: Verdict, s: Situation) -> bool:
    """For an endurance goal, the week's pattern: three or more hard leg days in the last
    seven (guide point 4: a marathoner cuts leg work back), said on any day of it, not
    after every single leg session."""
    if s.case.goal != Goal.ENDURANCE:
        return False
    week = [
        load
        for load in s.case.legs
        if load.intensity == Intensity.HARD and timedelta(0) <= s.at - load.ended_at <= LEG_LOOKBACK
    ]
    return len(week) >= LEG_DAYS_PATTERN


def _long_run(verdict: Verdict, s: Situation) -> tuple[int, int] | None:
    """An endurance goal needs its long run (2 h or more) on a day that allows it."""
    if s.case.goal != Goal.ENDURANCE or not long_run_fits(verdict.run_type, s):
        return None
    return LONG_RUN_MINUTES


def long_run_fits(run_type: RunType, s: Situation) -> bool:
    """A day that allows a long run: fresh legs, no hard legs within 48 h and no hard run
    within 36 h, a run of easy or more, not in the first days back or a newcomer's weeks."""
    if run_type < R.EASY:
        return False
    if s.soreness is None or s.soreness > 2:
        return False
    if s.effective_hours is not None and s.effective_hours < 48:
        return False
    gap = s.case.back_from_break
    if s.run_ceiling is not None or (gap is not None and s.at < gap.easier_until):
        return False
    return s.case.experience != Experience.NEW


def weekly_monotony(history: Iterable[RunLog | LegSession], at: datetime) -> float | None:
    """Mean / SD of the last 7 days' session-RPE load (Foster 1998), when there is enough."""
    start = at - timedelta(days=7)
    daily = [0.0] * 7
    sessions = 0
    for record in history:
        load = record.load
        if load is None or not (start < record.when <= at):
            continue
        daily[min(6, int((record.when - start).total_seconds() // 86400))] += load
        sessions += 1
    if sessions < 4:
        return None
    # Plain arithmetic, not `statistics.pstdev`: its exact fractions cost more than the
    # rest of the caution, on every save, for seven sums of whole numbers.
    mean = sum(daily) / 7
    spread = math.sqrt(sum((load - mean) ** 2 for load in daily) / 7)
    return mean / spread if spread else math.inf


def _claimed(f: Finding, plan: RunType) -> str:
    """A reason states only what the final plan allows: a rule that would allow more
    than the plan says what it saw, and that it is not what limits today."""
    if f.ceiling is None or f.ceiling <= plan:
        return f.text
    seen = f.text.split(":", 1)[0] if ":" in f.text else f.rule.factor
    if f.ceiling == R.QUALITY:
        return f"{seen}: no limit from this today"
    return f"{seen}: {f.ceiling.label.lower()} at most, not what limits today"


def _reasons(verdict: Verdict, s: Situation) -> list[Reason]:
    """Only reasons that hold: a drop is named only when it lowered the plan, and a rest
    day lists only what explains the rest."""
    reasons = []
    for f in verdict.findings:
        binding = _is_binding(f, verdict)
        if f.drop and not binding:
            continue  # e.g. poor sleep when soreness already capped the plan at a walk
        if verdict.run_type == R.REST and not binding:
            continue
        reasons.append(
            Reason(
                factor=f.rule.factor,
                answer=f.rule.answer(s),
                text=_claimed(f, verdict.run_type),
                source=f.rule.source,
                binding=binding,
            )
        )
    # What decided the plan first, then what else the coach weighed, in table order.
    return sorted(reasons, key=lambda r: not r.binding)


def _plan(verdict: Verdict, s: Situation, next_unlock: NextUnlock | None) -> Recommendation:
    rung = RUNG_PLANS[verdict.run_type]
    max_hr = s.case.max_hr
    reasons = _reasons(verdict, s)
    if s.case.answers_lapsed_at(s.at):
        assert s.case.checkin_at is not None
        day = s.case.checkin_at.astimezone(s.at.tzinfo).strftime("%a %d %b %H:%M")
        held = " and its red flag (until a new check-in clears it)" if s.case.red_flags else ""
        reasons.append(
            Reason(
                factor="check-in",
                answer=f"Last check-in: {day}",
                text=f"only your soreness trend{held} still counts: check in for a full plan",
            )
        )
    return Recommendation(
        run_type=verdict.run_type,
        duration_min=_minutes(verdict, s.case),
        max_rpe=rung.max_rpe,
        talk_test=rung.talk_test,
        max_hr_pct=rung.max_hr_pct,
        max_hr_bpm=round(max_hr * rung.max_hr_pct / 100) if max_hr and rung.max_hr_pct else None,
        reasons=reasons,
        cautions=_cautions(verdict, s),
        next_unlock=next_unlock,
        made_at=s.at,
        rules_version=RULES_VERSION,
    )


# --- Timeline: when does each run type unlock? ----------------------------------------


def _crossing_points(at: datetime) -> list[datetime]:
    # The crossing itself (so the timeline agrees with a fresh evaluation at that very
    # moment) and a second later, in case float rounding left it a hair above.
    return [at, at + timedelta(seconds=1)]


def change_points(case: Case, start: datetime, horizon: timedelta) -> list[datetime]:
    """Every moment at which some rule's answer may change as the clock runs."""
    points: list[datetime] = []
    if case.answers_until is not None:
        points += _crossing_points(case.answers_until)
    for load in case.legs:
        points += [load.when_effective(upper) for upper, *_ in LEG_WINDOWS[:-1]]
        if (hold_ends := load.quality_hold_ends()) is not None:
            points.append(hold_ends)
        points.append(load.ended_at + timedelta(hours=REFUEL_HOURS))
        points += [
            load.ended_at + timedelta(hours=hours)
            for hours in (USED_TO_FROM_HOURS, USED_TO_ALONE_HOURS)
        ]
    if case.soreness and soreness_now(case.soreness, case.leg, start, case.decay) is not None:
        for threshold in SORENESS_THRESHOLDS:
            crossing = case.decay.falls_to(
                case.soreness.value, threshold, case.soreness.at, case.leg
            )
            if crossing:
                points += _crossing_points(crossing)
    for run in case.runs:
        points += [run.ended_at + timedelta(hours=upper) for upper, *_ in RUN_WINDOWS]
        if (until := run.race_easy_until) is not None:
            points.append(until)
    if case.back_from_break is not None:
        points.append(case.back_from_break.easier_until)
    if (starts := case.break_starts) is not None:
        points += _crossing_points(starts)
    if case.race_on is not None:  # the race's eve, from midnight to midnight
        eve = datetime.combine(case.race_on - timedelta(days=1), time(0), start.tzinfo)
        points += [eve, eve + timedelta(days=1)]
    if case.new_runner_until is not None:
        points.append(case.new_runner_until)
    end = start + horizon
    return sorted({p for p in points if start < p <= end})


# Soreness that stays where it was reported (for "does this unlock need it to fall?").
_HELD = SorenessDecay(half_life_hours=math.inf)


def _step(case: Case, at: datetime) -> Step:
    """The run type allowed at `at`, and the soreness it assumes has fallen by then."""
    return _judged(case, at)[0]


def _judged(case: Case, at: datetime) -> tuple[Step, Verdict, Situation]:
    situation = situation_at(case, at)
    verdict = evaluate(situation)
    run_type = verdict.run_type
    assumes = None
    reported = case.soreness
    if (
        situation.soreness is not None
        and reported is not None
        and situation.soreness < reported.value - 1e-9  # it has fallen: does that matter?
    ):
        held = evaluate(situation_at(case.held, at)).run_type
        if held < run_type:
            # Soreness thresholds are whole numbers, so the whole number a person would
            # report then (rounded up) gives the same plan as the projection.
            assumes = math.ceil(situation.soreness - 1e-9)
    return Step(at, run_type, assumes), verdict, situation


def timeline(case: Case, start: datetime, horizon: timedelta = TIMELINE_HORIZON) -> list[Step]:
    """The run type allowed from `start` on, and each later moment it changes. Each
    moment is judged with what still holds then (the check-in's momentary answers until
    they expire), so `advise` at that moment says the same."""
    return list(_steps(case, start, horizon))


def _steps(
    case: Case, start: datetime, horizon: timedelta, first: Step | None = None
) -> Iterator[Step]:
    last = first or _step(case, start)
    yield last
    for point in change_points(case, start, horizon):
        step = _step(case, point)
        if step.run_type != last.run_type:
            last = step
            yield step


def next_unlock_of(steps: Sequence[Step], now: datetime, case: Case) -> NextUnlock | None:
    unlock = next_unlock(steps, now, case.answers_until)
    if unlock is None:
        return None
    return NextUnlock(
        run_type=unlock.run_type,
        at=unlock.at,
        in_hours=unlock.in_hours,
        assumes_soreness=unlock.assumes_soreness,
        lasting_only=unlock.lasting_only,
    )


class Derivation:
    """Today at one moment, derived once: the plan (its next unlock read off the
    timeline) and the timeline every screen, the CLI and the status line show.

    The timeline is walked as far as it is read: a save needs it only up to the next
    unlock (its plan's promise); the rest is walked when a screen or the status cache
    first reads `steps`, from the same walk, so both can never disagree."""

    def __init__(
        self,
        plan: Recommendation,
        walked: list[Step],
        rest: Iterator[Step],
        answers_until: datetime | None,
    ) -> None:
        self.plan = plan
        self._walked = walked
        self._rest: Iterator[Step] | None = rest
        self.answers_until = answers_until

    @property
    def steps(self) -> list[Step]:
        if self._rest is not None:
            self._walked.extend(self._rest)
            self._rest = None
        return self._walked


@dataclass(frozen=True)
class Judgement:
    """A planned moment judged: the plan `advise` gives then, and whether it allows a
    long run (the planner's long-run days)."""

    plan: Recommendation
    long_run_ok: bool


def judge(case: Case, at: datetime) -> Judgement:
    """The plan at `at` without its timeline (the planner judges many moments)."""
    _, verdict, situation = _judged(case, at)
    return Judgement(_plan(verdict, situation, None), long_run_fits(verdict.run_type, situation))


def derive(case: Case, now: datetime) -> Derivation:
    first, verdict, situation = _judged(case, now)
    walk = _steps(case, now, TIMELINE_HORIZON, first)
    walked = [next(walk)]
    # To the first step harder than now: the plan's next unlock (the moments judged are
    # the ones every later reading of the timeline continues from).
    if walked[0].run_type < R.QUALITY:  # at the top of the ladder nothing unlocks
        for step in walk:
            walked.append(step)
            if step.run_type > walked[0].run_type:
                break
    plan = _plan(verdict, situation, next_unlock_of(walked, now, case))
    until = case.answers_until if case.answers_until and now < case.answers_until else None
    return Derivation(plan, walked, walk, until)


# --- The public entry points ----------------------------------------------------------


def _leg_loads(
    last_legs: LegSession | LegLoad | None,
    history: Sequence[RunLog | LegSession],
    now: datetime,
    returning: frozenset[UUID] = frozenset(),
) -> tuple[LegLoad, ...]:
    """Every leg session of the last week (the given one and the history's), with the
    load of sessions close together accumulated."""

    # Keyed by record id: two sessions may end at the same minute, and the given session
    # is often also in the history.
    def load_of(session: LegSession) -> LegLoad:
        load = LegLoad.of(session)
        if session.id in returning and load.kind not in DAMAGING_KINDS:
            # The first session after weeks off: the repeated-bout protection has faded
            # (Nosaka, Newton & Sacco 2005), so it counts like new exercises.
            load = replace(load, kind=LegKind.NEW_EXERCISES)
        return load

    def recent(ended_at: datetime) -> bool:
        return now - LEG_LOOKBACK <= ended_at <= now + FUTURE_TOLERANCE

    loads: dict[object, LegLoad] = {
        record.id: load_of(record)
        for record in history
        if isinstance(record, LegSession) and recent(record.ended_at)
    }
    # The given session counts only within the week: a 37-day-old one is no "last leg
    # session" for today's plan.
    if isinstance(last_legs, LegSession) and recent(last_legs.ended_at):
        loads[last_legs.id] = load_of(last_legs)
    elif isinstance(last_legs, LegLoad) and recent(last_legs.ended_at):
        loads[("given", last_legs.ended_at)] = last_legs
    return tuple(accumulated(list(loads.values())))


def make_case(
    checkin: CheckIn | None,
    last_legs: LegSession | LegLoad | None,
    now: datetime,
    history: Sequence[RunLog | LegSession] = (),
    *,
    profile: Profile | None = None,
    decay: SorenessDecay = DEFAULT_DECAY,
    soreness: SorenessReading | None = None,
    first_seen: datetime | None = None,
    back_from_break: Break | None = None,
    idle_since: datetime | None = None,
    returning: frozenset[UUID] = frozenset(),
) -> Case:
    """Gather what is known at `now`.

    The check-in's red flags hold until a newer check-in; its momentary answers (fuel,
    warm-up, sleep, energy, stress) until ANSWERS_HOLD after it (`Case.answers_until`).
    `soreness`, when newer than the check-in's, is the reading that counts (a soreness
    update). `first_seen` (the first record) bounds a newcomer's easy weeks;
    `back_from_break` is the latest return after days off; `idle_since`, the last
    activity when nothing has been logged since (days off run on); `returning`, the ids of leg
    sessions that came after weeks without one."""
    goal = profile.goal if profile else None
    experience = profile.experience if profile else None
    legs = _leg_loads(last_legs, history, now, returning)
    max_hr = profile.max_hr if profile else None
    common: dict[str, Any] = {
        "legs": legs,
        "history": tuple(history),
        "max_hr": max_hr,
        "decay": decay,
        "runs": hard_runs((r for r in history if isinstance(r, RunLog)), now + FUTURE_TOLERANCE),
        "experience": experience,
        "new_runner_until": (
            (first_seen or now) + timedelta(weeks=NEW_RUNNER_WEEKS)
            if experience == Experience.NEW
            else None
        ),
        "back_from_break": back_from_break,
        "idle_since": idle_since,
        "race_on": profile.race.on if profile and profile.race else None,
    }
    if checkin is None:
        return Case(soreness=soreness, goal=goal, **common)
    reading = (
        SorenessReading(checkin.soreness, checkin.at) if checkin.soreness is not None else None
    )
    if soreness is not None and (reading is None or soreness.at > reading.at):
        reading = soreness
    return Case(
        soreness=reading,
        red_flags=checkin.red_flags,
        goal=checkin.goal or goal,  # a check-in's goal is the profile's goal from then on
        fuel=checkin.fuel,
        sleep=checkin.sleep,
        energy=checkin.energy,
        stress=checkin.stress,
        warmup=checkin.warmup,
        checkin_at=checkin.at,
        answers_until=checkin.at + ANSWERS_HOLD,
        **common,
    )


def advise(case: Case, now: datetime) -> Recommendation:
    return derive(case, now).plan


def recommend(
    checkin: CheckIn | None,
    last_legs: LegSession | LegLoad | None,
    now: datetime,
    history: Sequence[RunLog | LegSession] = (),
    *,
    profile: Profile | None = None,
    decay: SorenessDecay = DEFAULT_DECAY,
) -> Recommendation:
    """Today's plan: the run type, how long, how hard, why, and what unlocks next."""
    return advise(make_case(checkin, last_legs, now, history, profile=profile, decay=decay), now)
