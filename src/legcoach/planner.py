"""The week planner: the key runs and leg days of a week, each judged by the rule table
that answers "today", run forward in time.

Pure, like the coach: the journal hands it a `Judge` (what `advise` would say at a
moment, had the planned sessions before it been logged, on a good morning) and the
planner never judges a run any other way, so a week plan and the daily answer cannot
disagree. What the planner adds is what only a week shows:

- **Leg days against the runs that matter.** Run first and lift at least 6 h later on a
  hard day (Robineau et al. 2016; Doma & Deakin 2013); hard legs the day after a hard run
  make two hard days in a row (Foster 1998). Hard legs before a key run are the coach's
  own finding: the run is marked, naming the session that holds it back.
- **Races and tapers** (Bosquet et al. 2007; Daniels): no eccentric, new or plyometric
  work in the last 14 days, the last heavy leg session 7-10 days out, running volume
  down 20-50 % over the last three weeks while intensity stays; the days after are easy
  in proportion to the distance (the coach's race rule, from the planned race).
- **Suggestions that are checked.** Every suggestion is a one-week change that has been
  planned through: it resolves its conflict and creates no new one.
- **Leg days placed** for a goal (Balsalobre-Fernández et al. 2016 for endurance;
  Wilson et al. 2012 for muscle).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from legcoach.coach import LONG_RUN_MINUTES, Judgement
from legcoach.models import (
    LegDay,
    LegKind,
    LegSession,
    Profile,
    Race,
    RunLog,
    RunType,
    WeekChange,
    Weekday,
    WeekTemplate,
)
from legcoach.recovery import DAMAGING_KINDS, LIGHT_RPE, Intensity, intensity_of
from legcoach.runload import KM_PER_EASY_DAY, RACE_MINUTES_PER_KM, RACE_WEIGHS
from legcoach.vocab import Fuel, Goal

R = RunType

# The morning a plan assumes: fed, slept well, warmed up, no red flag (what a person can
# arrange); soreness is the recovery model's projection for that moment.
GOOD_MORNING: dict[str, object] = {
    "fuel": Fuel.MEAL,
    "sleep": 4,
    "energy": 4,
    "stress": 2,
    "warmup": True,
}


class SessionKind(StrEnum):
    LONG_RUN = "long-run"
    QUALITY = "quality"
    EASY = "easy"
    LEGS = "legs"
    RACE = "race"

    @property
    def label(self) -> str:
        return SESSION_LABELS[self]


SESSION_LABELS = {
    SessionKind.LONG_RUN: "long run",
    SessionKind.QUALITY: "quality session",
    SessionKind.EASY: "easy run",
    SessionKind.LEGS: "leg session",
    SessionKind.RACE: "race",
}
# The run type each planned run needs the coach to allow at its time.
NEEDS: dict[SessionKind, RunType] = {
    SessionKind.LONG_RUN: R.EASY,
    SessionKind.QUALITY: R.QUALITY,
    SessionKind.EASY: R.EASY,
    SessionKind.RACE: R.QUALITY,
}
HARD_RUNS = frozenset({SessionKind.LONG_RUN, SessionKind.QUALITY, SessionKind.RACE})
# What a planned session is, once done, as the coach reads a logged one.
RUN_MINUTES = {
    SessionKind.LONG_RUN: (LONG_RUN_MINUTES[0] + LONG_RUN_MINUTES[1]) // 2,
    SessionKind.QUALITY: 60,
    SessionKind.EASY: 40,
}
RUN_RPE = {
    SessionKind.LONG_RUN: 5,
    SessionKind.QUALITY: 8,
    SessionKind.EASY: 4,
    SessionKind.RACE: 9,
}
LEG_MINUTES = 60
LEG_RPE: dict[LegKind | None, int] = {
    LegKind.HEAVY_STRENGTH: 8,
    LegKind.ECCENTRIC: 8,
    LegKind.VOLUME: 7,
    LegKind.PLYOMETRIC: 7,
    LegKind.NEW_EXERCISES: 7,
    LegKind.MIXED: 7,
    None: 7,
}
LIGHT_LEG_RPE = LIGHT_RPE

# Lift at least this long after a hard run on the same day (Robineau et al. 2016).
RUN_THEN_LIFT = timedelta(hours=6)
LATEST_LIFT = time(22, 0)
# The taper (Bosquet et al. 2007): running volume by days to the race, intensity kept.
TAPER = ((7, 0.5), (14, 0.7), (21, 0.8))
NO_DAMAGING_DAYS = 14  # no eccentric, new or plyometric work this close to a race
LAST_HEAVY_DAYS = 7  # the last heavy leg session 7-10 days before it
WEEK_DAYS = 7
# How far back a planned session may hold a later one back (a race: its easy days).
CAUSE_WINDOW = timedelta(days=4)


def taper_factor(day: date, race: Race | None) -> float:
    """The share of usual running volume planned on `day` before a race."""
    if race is None or day >= race.on:
        return 1.0
    out = (race.on - day).days
    return next((factor for days, factor in TAPER if out <= days), 1.0)


@dataclass(frozen=True)
class Planned:
    """One session of the week: what is planned, when, and what it is once done."""

    kind: SessionKind
    at: datetime  # the planned start
    minutes: int
    on: date  # the day of the template (or race) it comes from: its identity in a week
    leg_kind: LegKind | None = None
    rpe: int = 5
    race: Race | None = None
    taper: float = 1.0

    @property
    def key(self) -> tuple[str, date]:
        return (self.kind.value, self.on)

    @property
    def ends(self) -> datetime:
        return self.at + timedelta(minutes=self.minutes)

    @property
    def is_hard(self) -> bool:
        if self.kind == SessionKind.LEGS:
            return intensity_of(self.rpe, self.leg_kind) == Intensity.HARD
        return self.kind in HARD_RUNS

    def record(self) -> RunLog | LegSession:
        """The record this session is once done (what the coach reads from then on)."""
        if self.kind == SessionKind.LEGS:
            return LegSession(
                ended_at=self.ends, rpe=self.rpe, kind=self.leg_kind, minutes=self.minutes
            )
        run_type = R.EASY if self.kind in (SessionKind.EASY, SessionKind.LONG_RUN) else R.QUALITY
        distance = self.race.km * 1000 if self.race else None
        return RunLog(
            at=self.at, run_type=run_type, minutes=self.minutes, rpe=self.rpe, distance_m=distance
        )

    def describe(self) -> str:
        """'quality session, 42 min (taper 70%)', 'heavy strength legs, 60 min'."""
        if self.kind == SessionKind.LEGS:
            kind = f"{self.leg_kind.label} legs" if self.leg_kind else "leg session"
            light = " (light)" if self.rpe <= LIGHT_LEG_RPE else ""
            return f"{kind}{light}, {self.minutes} min"
        if self.kind == SessionKind.RACE and self.race:
            return f"race: {self.race.label}"
        taper = f" (taper {self.taper:.0%})" if self.taper < 1 else ""
        return f"{self.kind.label}, {self.minutes} min{taper}"

    def when(self) -> str:
        """'Mon 18:00', in the planner's zone (the session's own)."""
        return self.at.strftime("%a %H:%M")

    def name(self) -> str:
        """'heavy strength legs Mon 18:00': a session named in a reason or suggestion."""
        if self.kind == SessionKind.LEGS:
            what = f"{self.leg_kind.label} legs" if self.leg_kind else "legs"
        else:
            what = "the race" if self.kind == SessionKind.RACE else self.kind.label
        return f"{what} {self.when()}"


def sessions(profile: Profile, start: date, days: int, tz: tzinfo) -> list[Planned]:
    """The sessions of `days` days from `start`: the week template, the race, the taper,
    and the one-off changes taken, in time order."""
    week, race = profile.week, profile.race
    planned: list[Planned] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        weekday = Weekday.of(day)
        taper = taper_factor(day, race)
        at = datetime.combine(day, week.run_time, tz)
        if race is not None and race.on == day:
            minutes = max(20, round(race.km * RACE_MINUTES_PER_KM * 1.1))
            planned.append(
                Planned(
                    SessionKind.RACE,
                    datetime.combine(day, race.start, tz),
                    minutes,
                    day,
                    rpe=RUN_RPE[SessionKind.RACE],
                    race=race,
                )
            )
        else:
            for kind, on in (
                (SessionKind.LONG_RUN, week.long_run == weekday),
                (SessionKind.QUALITY, weekday in week.quality_days),
                (SessionKind.EASY, weekday in week.easy_days),
            ):
                if on:
                    minutes = max(20, round(RUN_MINUTES[kind] * taper))
                    planned.append(Planned(kind, at, minutes, day, rpe=RUN_RPE[kind], taper=taper))
                    break  # one key run a day
        for leg_day in week.leg_days:
            if leg_day.day == weekday:
                planned.append(
                    Planned(
                        SessionKind.LEGS,
                        datetime.combine(day, week.leg_time, tz),
                        LEG_MINUTES,
                        day,
                        leg_kind=leg_day.kind,
                        rpe=LEG_RPE[leg_day.kind],
                    )
                )
    return sorted(_changed(planned, profile.week_changes, profile.week, tz), key=_order)


def _order(session: Planned) -> tuple[datetime, bool, str, date]:
    # A total order: two sessions planned at one moment are judged one after the other.
    return (session.at, session.kind == SessionKind.LEGS, session.kind.value, session.on)


def _changed(
    planned: Iterable[Planned], changes: Sequence[WeekChange], week: WeekTemplate, tz: tzinfo
) -> Iterable[Planned]:
    by_key = {(change.kind, change.on): change for change in changes}
    for session in planned:
        change = by_key.get(session.key)
        if change is None:
            yield session
            continue
        if change.skip:
            continue
        moved = session
        if change.to is not None or change.at is not None:
            day = change.to or session.on
            usual = week.leg_time if session.kind == SessionKind.LEGS else week.run_time
            moved = replace(moved, at=datetime.combine(day, change.at or usual, tz))
        if change.rpe is not None:
            # A light session drops the jumps, eccentrics and new exercises.
            light = change.rpe <= LIGHT_LEG_RPE and moved.leg_kind in DAMAGING_KINDS
            moved = replace(moved, rpe=change.rpe, leg_kind=None if light else moved.leg_kind)
        yield moved


# --- Judging the week ------------------------------------------------------------------

# What the coach says at `at` with these planned sessions (those before it) logged, on a
# good morning, and the soreness it assumed then.
Judge = Callable[[datetime, Sequence[RunLog | LegSession]], tuple[Judgement, int | None]]


@dataclass(frozen=True)
class Suggestion:
    text: str
    change: WeekChange


@dataclass(frozen=True)
class SessionPlan:
    session: Planned
    allowed: RunType | None  # what the coach allows at its time (None for leg sessions)
    ok: bool
    why: tuple[str, ...]
    cause: Planned | None = None  # the earlier planned session that causes a conflict
    suggestion: Suggestion | None = None
    soreness: int | None = None  # what the judgement assumed


@dataclass(frozen=True)
class WeekPlan:
    start: date
    plans: tuple[SessionPlan, ...]
    goal: Goal | None = None
    notes: tuple[str, ...] = ()  # what the week as a whole says (a race, a goal)
    days: int = WEEK_DAYS

    @property
    def conflicts(self) -> int:
        return sum(not plan.ok for plan in self.plans)

    def conflicted(self) -> set[tuple[str, date]]:
        return {plan.session.key for plan in self.plans if not plan.ok}

    def by_day(self) -> list[tuple[date, list[SessionPlan]]]:
        grouped: dict[date, list[SessionPlan]] = {
            self.start + timedelta(days=offset): [] for offset in range(self.days)
        }
        for plan in self.plans:
            grouped.setdefault(plan.session.at.date(), []).append(plan)
        return sorted(grouped.items())


@dataclass
class Planner:
    """Plans a week for a profile, judging each session with `judge`."""

    profile: Profile
    judge: Judge
    tz: tzinfo
    days: int = WEEK_DAYS
    since: datetime | None = None  # sessions planned before this (now) are past
    _memo: dict[
        tuple[datetime, tuple[tuple[str, date, datetime, int], ...]], tuple[Judgement, int | None]
    ] = field(default_factory=dict)

    def planned(self, start: date) -> list[Planned]:
        """The sessions the week from `start` plans, those already past left out."""
        planned = sessions(self.profile, start, self.days, self.tz)
        if self.since is not None:
            planned = [p for p in planned if p.at >= self.since]
        return planned

    def plan(self, start: date, *, suggest: bool = True) -> WeekPlan:
        planned = self.planned(start)
        judged = self._judge_all(planned)
        if suggest:
            judged = [
                replace(plan, suggestion=self._suggest(plan, planned, judged, start))
                if not plan.ok
                else plan
                for plan in judged
            ]
        return WeekPlan(start, tuple(judged), self.profile.goal, self._notes(start), self.days)

    # -- one session

    def _judged(self, at: datetime, before: Sequence[Planned]) -> tuple[Judgement, int | None]:
        key = (at, tuple((p.kind.value, p.on, p.at, p.rpe) for p in before))
        if key not in self._memo:
            self._memo[key] = self.judge(at, [p.record() for p in before])
        return self._memo[key]

    def _judgement(self, at: datetime, before: Sequence[Planned]) -> Judgement:
        return self._judged(at, before)[0]

    def _judge_all(self, planned: Sequence[Planned]) -> list[SessionPlan]:
        return [self._judge_one(session, planned) for session in planned]

    def _judge_one(self, session: Planned, planned: Sequence[Planned]) -> SessionPlan:
        before = [p for p in planned if _order(p) < _order(session)]
        if session.kind == SessionKind.LEGS:
            return self._judge_legs(session, before)
        judgement, soreness = self._judged(session.at, before)
        ok = _fits(session, judgement)
        why = _reasons_of(session, judgement)
        cause = None if ok else self._cause(session, before)
        if cause is not None:
            why = (f"{cause.name()} holds it back", *why)
        return SessionPlan(
            session,
            judgement.plan.run_type,
            ok,
            why,
            cause,
            soreness=soreness,
        )

    def _cause(self, session: Planned, before: Sequence[Planned]) -> Planned | None:
        """The earlier planned session without which this one would fit (the nearest
        first); when only several hard ones together do, the nearest of them."""
        recent = [
            p
            for p in before
            if session.at - p.at <= (RACE_WEIGHS if p.kind == SessionKind.RACE else CAUSE_WINDOW)
        ]
        for candidate in reversed(recent):
            without = [p for p in before if p is not candidate]
            if _fits(session, self._judgement(session.at, without)):
                return candidate
        # Several hard ones together (removing the easy runs too would make days off).
        hard = [p for p in recent if p.is_hard]
        untouched = [p for p in before if p not in hard]
        if hard and _fits(session, self._judgement(session.at, untouched)):
            return hard[-1]
        return None

    def _judge_legs(self, session: Planned, before: Sequence[Planned]) -> SessionPlan:
        """A leg session's own conflicts: the taper, lifting soon after a hard run, and two
        hard days in a row."""
        race = self.profile.race
        if race is not None and session.at.date() < race.on:
            out = (race.on - session.at.date()).days
            if out <= NO_DAMAGING_DAYS and session.leg_kind in DAMAGING_KINDS:
                return SessionPlan(
                    session,
                    None,
                    False,
                    (
                        f"{out} days before your {race.label} race: no eccentric, new or "
                        f"plyometric work in the last {NO_DAMAGING_DAYS} days",
                    ),
                )
            if out < LAST_HEAVY_DAYS and session.is_hard:
                return SessionPlan(
                    session,
                    None,
                    False,
                    (
                        f"{out} days before your {race.label} race: the last heavy leg "
                        "session goes 7-10 days before it",
                    ),
                )
        if race is not None and session.at.date() >= race.on:
            after = (session.at.date() - race.on).days
            easy_days = math.ceil(race.km / KM_PER_EASY_DAY)
            if after < easy_days:
                return SessionPlan(
                    session,
                    None,
                    False,
                    (
                        f"{after} days after your {race.label} race: about one easy day per "
                        f"3 km raced ({easy_days} days), leg work waits too",
                    ),
                )
        same_day = [
            p
            for p in before
            if p.kind in HARD_RUNS and p.at.date() == session.at.date() and p.at <= session.at
        ]
        for run in same_day:
            if session.at - run.ends < RUN_THEN_LIFT:
                return SessionPlan(
                    session,
                    None,
                    False,
                    (f"lift at least 6 h after the {run.kind.label} ({run.name()})",),
                    run,
                )
        if session.is_hard:
            eve = session.at.date() - timedelta(days=1)
            yesterday = [p for p in before if p.kind in HARD_RUNS and p.at.date() == eve]
            if yesterday and not same_day:
                run = yesterday[-1]
                return SessionPlan(
                    session,
                    None,
                    False,
                    (
                        f"hard legs the day after the {run.kind.label} ({run.name()}) "
                        "make two hard days in a row",
                    ),
                    run,
                )
        why = ["fits the week"]
        if same_day:
            why = [f"lifted 6 h or more after the {same_day[-1].kind.label}: one hard day"]
        return SessionPlan(session, None, True, tuple(why))

    # -- suggestions

    def _suggest(
        self,
        conflict: SessionPlan,
        planned: Sequence[Planned],
        judged: Sequence[SessionPlan],
        start: date,
    ) -> Suggestion | None:
        before = {plan.session.key for plan in judged if not plan.ok}
        for text, change in self._candidates(conflict, planned, start):
            trial = replace(self, profile=with_change(self.profile, change))
            tried = trial.plan(start, suggest=False)
            after = tried.conflicted()
            # It resolves this conflict (a leg session skipped resolves its own) and
            # creates no new one.
            if conflict.session.key not in after and after <= before:
                return Suggestion(text, change)
        return None

    def _candidates(
        self, conflict: SessionPlan, planned: Sequence[Planned], start: date
    ) -> Iterable[tuple[str, WeekChange]]:
        session, cause, tz = conflict.session, conflict.cause, self.tz
        end = start + timedelta(days=self.days)
        days = [start + timedelta(days=i) for i in range(self.days)]

        def busy(day: date, legs: bool) -> bool:
            """The day already holds a session of the same family (a run, or legs)."""
            return any(p.at.date() == day and (p.kind == SessionKind.LEGS) == legs for p in planned)

        def move(
            target: Planned, day: date, at: time | None = None
        ) -> list[tuple[str, WeekChange]]:
            """Moving a session to a day free of its kind (never two runs on one day)."""
            if busy(day, target.kind == SessionKind.LEGS):
                return []
            moment = datetime.combine(day, at or target.at.timetz().replace(tzinfo=None), tz)
            if self.since is not None and moment < self.since:
                return []  # a day gone, or an hour of today already past
            return [
                (
                    f"move the {target.name()} to {moment:%a %H:%M}",
                    WeekChange(kind=target.kind.value, on=target.on, to=day, at=at),
                )
            ]

        def run_then_lift(legs: Planned, run: Planned) -> tuple[str, WeekChange] | None:
            if legs.at.date() != run.at.date() and busy(run.at.date(), legs=True):
                return None
            lift = max(
                run.ends + RUN_THEN_LIFT, datetime.combine(run.at.date(), legs.at.time(), tz)
            )
            if lift.date() != run.at.date() or lift.time() > LATEST_LIFT:
                return None
            lift_at = lift.time().replace(second=0, microsecond=0)
            return (
                f"lift {lift:%a %H:%M}, at least 6 h after the {run.kind.label}",
                WeekChange(kind=legs.kind.value, on=legs.on, to=run.at.date(), at=lift_at),
            )

        if session.kind == SessionKind.LEGS:
            if cause is not None and (found := run_then_lift(session, cause)) is not None:
                yield found
            for day in days:
                if day != session.at.date() and start <= day < end:
                    yield from move(session, day)
            if session.leg_kind in DAMAGING_KINDS or session.rpe > LIGHT_LEG_RPE:
                yield (
                    f"keep the {session.name()} light (RPE {LIGHT_LEG_RPE} or less, no jumps, "
                    "eccentrics or new exercises)",
                    WeekChange(kind=session.kind.value, on=session.on, rpe=LIGHT_LEG_RPE),
                )
            yield (
                f"skip the {session.name()} this week",
                WeekChange(kind=session.kind.value, on=session.on, skip=True),
            )
            return
        if session.kind == SessionKind.RACE:
            if cause is not None and cause.kind == SessionKind.LEGS:
                for day in days:
                    if day < cause.at.date():
                        yield from move(cause, day)
                yield (
                    f"skip the {cause.name()} this week",
                    WeekChange(kind=cause.kind.value, on=cause.on, skip=True),
                )
            return
        if (
            cause is not None
            and cause.kind == SessionKind.LEGS
            and (found := run_then_lift(cause, session)) is not None
        ):
            yield found
        for offset in (1, 2, 3):
            day = session.at.date() + timedelta(days=offset)
            if day < end:
                yield from move(session, day)
        if cause is not None and cause.kind == SessionKind.LEGS:
            for day in days:
                if day != cause.at.date():
                    yield from move(cause, day)
            yield (
                f"keep the {cause.name()} light (RPE {LIGHT_LEG_RPE} or less)",
                WeekChange(kind=cause.kind.value, on=cause.on, rpe=LIGHT_LEG_RPE),
            )
        if cause is not None and cause.kind != SessionKind.RACE:
            yield (
                f"skip the {cause.name()} this week",
                WeekChange(kind=cause.kind.value, on=cause.on, skip=True),
            )

    def _notes(self, start: date) -> tuple[str, ...]:
        notes = []
        race = self.profile.race
        if race is not None:
            out = (race.on - start).days
            if 0 <= out <= 21:
                notes.append(
                    f"{race.label} race {race.on:%a %d %b}: taper, running volume down "
                    "20-50 % over the last three weeks, intensity kept (Bosquet et al. 2007)"
                )
            elif out < 0 and out > -15:
                notes.append(
                    f"after your {race.label} race: about one easy day per 3 km raced (Daniels)"
                )
        goal, week = self.profile.goal, self.profile.week
        runs = len(week.quality_days) + len(week.easy_days) + (week.long_run is not None)
        if goal == Goal.MUSCLE and runs > MUSCLE_MAX_RUNS:
            notes.append(
                f"building muscle: {runs} runs a week is more than the {MUSCLE_MAX_RUNS} "
                "that leave the legs to grow; keep them 20-30 min and easy (Wilson et al. 2012)"
            )
        return tuple(notes)


MUSCLE_MAX_RUNS = 3


def _fits(session: Planned, judgement: Judgement) -> bool:
    if judgement.plan.run_type < NEEDS[session.kind]:
        return False
    return session.kind != SessionKind.LONG_RUN or judgement.long_run_ok


def _reasons_of(session: Planned, judgement: Judgement) -> tuple[str, ...]:
    plan = judgement.plan
    binding = [reason.text for reason in plan.reasons if reason.binding]
    if _fits(session, judgement):
        return (f"{plan.run_type.value} allowed then",)
    if session.kind == SessionKind.LONG_RUN and plan.run_type >= R.EASY:
        return (
            "a long run wants fresh legs, no hard legs within 48 h and no hard run within 36 h",
            *binding,
        )
    return (f"only {plan.run_type.value} allowed then", *binding)


def with_change(profile: Profile, change: WeekChange) -> Profile:
    """The profile with a one-off change to a week (replacing one for the same session)."""
    kept = [c for c in profile.week_changes if (c.kind, c.on) != (change.kind, change.on)]
    return profile.model_copy(update={"week_changes": (*kept, change)})


def take(profile: Profile, suggestion: Suggestion) -> Profile:
    """The profile with a suggestion taken (a one-off change to that week)."""
    return with_change(profile, suggestion.change)


def key_run_clash(
    long_run: str | None, quality_days: Iterable[str], easy_days: Iterable[str]
) -> str | None:
    """'Tuesday is both a quality day and an easy day' when a day holds two key runs
    (a day holds one: the long run, a quality day or an easy day), else None."""
    seen: dict[str, str] = {}
    runs = [("long run", [long_run] if long_run else []), ("quality day", quality_days)]
    runs.append(("easy day", easy_days))
    for what, days in runs:
        for day in days:
            if day in seen:
                return f"{Weekday(day).label} is both a {seen[day]} and a {what}"
            seen[day] = what
    return None


def prune_changes(profile: Profile, today: date) -> Profile:
    """The profile without one-off changes to weeks that are over."""
    kept = tuple(c for c in profile.week_changes if max(c.on, c.to or c.on) >= today)
    return (
        profile
        if kept == profile.week_changes
        else profile.model_copy(update={"week_changes": kept})
    )


# --- Placing leg days -------------------------------------------------------------------

# The kind of leg day each goal wants (Balsalobre-Fernández et al. 2016: heavy, low-rep
# strength improves running economy; Wilson et al. 2012: muscle wants volume).
GOAL_LEG_KIND: dict[Goal | None, LegKind] = {
    Goal.ENDURANCE: LegKind.HEAVY_STRENGTH,
    Goal.MUSCLE: LegKind.VOLUME,
    Goal.FAT_LOSS: LegKind.MIXED,
    Goal.FITNESS: LegKind.MIXED,
    None: LegKind.MIXED,
}


GOAL_LEG_WHY: dict[Goal, str] = {
    Goal.ENDURANCE: "short, heavy and low-rep: strength that improves running economy",
    Goal.MUSCLE: "volume for muscle; the runs stay short and easy",
}
GOAL_LEG_WHY_ANY = "strength and volume mixed"


@dataclass(frozen=True)
class Placement:
    days: tuple[LegDay, ...]
    why: tuple[str, ...]
    plan: WeekPlan


def place_leg_days(planner: Planner, count: int, start: date) -> Placement:
    """The `count` leg days that fit best around the key runs: fewest conflicts, then the
    most hours from the hard runs, then spread through the week."""
    profile = planner.profile
    goal = profile.goal
    kind = GOAL_LEG_KIND.get(goal, LegKind.MIXED)
    long_run = profile.week.long_run
    best: tuple[tuple[float, ...], tuple[LegDay, ...], WeekPlan] | None = None
    for chosen in itertools.combinations(list(Weekday), count):
        legs = tuple(LegDay(day=day, kind=kind) for day in chosen)
        week = profile.week.model_copy(update={"leg_days": legs})
        # Two weeks: a week repeats, so Sunday's legs weigh on next Tuesday's intervals.
        trial = replace(
            planner,
            profile=profile.model_copy(update={"week": week, "week_changes": ()}),
            days=2 * WEEK_DAYS,
        )
        plan = trial.plan(start, suggest=False)
        # Fewest conflicts; then the long run's day kept to the long run; then room
        # before the hard runs; then spread through the week.
        score = (
            plan.conflicts,
            sum(day == long_run for day in chosen),
            -_hours_from_hard_runs(plan),
            -_spread(chosen),
        )
        if best is None or score < best[0]:
            best = (score, legs, plan)
    assert best is not None
    _, legs, plan = best
    why = tuple(_why_placed(day, plan, goal) for day in legs)
    first_week = replace(
        plan,
        plans=tuple(p for p in plan.plans if p.session.on < start + timedelta(days=WEEK_DAYS)),
        days=WEEK_DAYS,
    )
    return Placement(legs, why, first_week)


def _legs_of(plan: WeekPlan) -> list[SessionPlan]:
    return [p for p in plan.plans if p.session.kind == SessionKind.LEGS]


def _hours_from_hard_runs(plan: WeekPlan) -> float:
    runs = [p.session for p in plan.plans if p.session.kind in HARD_RUNS]
    total = 0.0
    for legs in _legs_of(plan):
        after = [r.at for r in runs if r.at > legs.session.ends]
        if after:
            total += min(72.0, (min(after) - legs.session.ends).total_seconds() / 3600)
        else:
            total += 72.0
    return total


def _spread(days: Sequence[Weekday]) -> int:
    numbers = sorted(day.number for day in days)
    if len(numbers) < 2:
        return 7
    gaps = [b - a for a, b in itertools.pairwise(numbers)] + [numbers[0] + 7 - numbers[-1]]
    return min(gaps)


def _why_placed(day: LegDay, plan: WeekPlan, goal: Goal | None) -> str:
    legs = next(p for p in _legs_of(plan) if Weekday.of(p.session.on) == day.day)
    runs = [p.session for p in plan.plans if p.session.kind in HARD_RUNS]
    after = [r for r in runs if r.at > legs.session.ends]
    kind = day.kind.label if day.kind else "legs"
    goal_why = GOAL_LEG_WHY.get(goal, "strength and volume mixed") if goal else GOAL_LEG_WHY_ANY
    if after:
        nxt = min(after, key=lambda r: r.at)
        hours = (nxt.at - legs.session.ends).total_seconds() / 3600
        room = f"{hours:.0f} h before the {nxt.name()}"
    else:
        room = "no key run after it"
    status = "" if legs.ok else f" (still: {legs.why[0]})"
    return f"{day.day.label}: {kind}, {room}; {goal_why}{status}"


# --- What scripts read -------------------------------------------------------------------


def numbered_suggestions(plan: WeekPlan) -> list[SessionPlan]:
    """The conflicts with a suggestion, in the order they are shown and numbered (1 on)."""
    return [p for p in plan.plans if not p.ok and p.suggestion is not None]


def to_public_json(plan: WeekPlan) -> dict[str, object]:
    """`week --json`: the contract scripts read (README)."""
    numbers = {id(p): n for n, p in enumerate(numbered_suggestions(plan), start=1)}
    out_days = []
    for day, plans in plan.by_day():
        runs = [p for p in plans if p.allowed is not None]
        assumes: dict[str, object] = {
            key: value.value if isinstance(value, StrEnum) else value
            for key, value in GOOD_MORNING.items()
        }
        assumes["red_flags"] = []
        assumes["soreness"] = runs[0].soreness if runs else None
        out_days.append(
            {
                "date": day.isoformat(),
                "assumes": assumes,
                "sessions": [
                    {
                        "kind": p.session.kind.value,
                        "at": p.session.at.isoformat(),
                        "planned": p.session.describe(),
                        "allowed": p.allowed.value if p.allowed is not None else None,
                        "ok": p.ok,
                        "why": list(p.why),
                        "cause": p.cause.name() if p.cause else None,
                        "suggestion": p.suggestion.text if p.suggestion else None,
                        "take": numbers.get(id(p)),
                    }
                    for p in plans
                ],
            }
        )
    return {
        "from": plan.start.isoformat(),
        "days": out_days,
        "conflicts": plan.conflicts,
        "notes": list(plan.notes),
    }
