"""The one derivation of today: the case the coach judges, the plan, the timeline."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from legcoach import coach
from legcoach.clock import FUTURE_TOLERANCE
from legcoach.history import Day
from legcoach.journal.fit import PersonalFit
from legcoach.journal.state import one_look, start_of_next_day
from legcoach.models import (
    CheckIn,
    LegSession,
    Profile,
    Recommendation,
    RunLog,
)
from legcoach.recovery import (
    LegLoad,
)
from legcoach.timeline import Step, Unlock, allowed_at, next_unlock
from legcoach.vocab import Experience, RecordKind, RunType

# The first leg session after this long without one counts like new exercises: the
# repeated-bout protection fades with weeks off (smaller at 4 and 8 weeks, partly lost
# after 8: Nosaka, Newton & Sacco 2005); six weeks is the cautious reading.
RETURNING_GAP = timedelta(weeks=6)
# How far back a break is measured (a longer one is said as this long).
BREAK_LOOKBACK = timedelta(days=90)

# A derivation made by a save (the check-in's own plan) serves as today's for this long
# after it, while nothing else was saved: a save derives today once.
DERIVATION_REUSE = timedelta(minutes=1)


@dataclass(frozen=True)
class Today:
    """What the coach knows right now: the one derivation of today that home, the plan,
    the timer, `advise`, `checkin`, `today` and `status` all read."""

    now: datetime
    last_legs: LegSession | None
    checkin: CheckIn | None  # today's, if done
    plan: Recommendation  # today's plan as of now: derived from everything known
    steps: list[Step]  # the timeline: what is allowed from now on, judged as advise will
    changed: str | None = None  # why the plan differs from the one the check-in produced
    runs: tuple[RunLog, ...] = ()  # runs logged today
    answers_until: datetime | None = None  # when the check-in's momentary answers lapse
    week: tuple[Day, ...] = ()  # the last seven days, oldest first

    @property
    def valid_until(self) -> datetime:
        """When this derivation should be made again with nothing saved: the next moment
        the timeline changes, or local midnight (a new day, no check-in yet)."""
        changes = [step.at for step in self.steps if step.at > self.now]
        return min([*changes, start_of_next_day(self.now)])

    def allowed_at(self, at: datetime) -> RunType:
        return allowed_at(self.steps, at)

    def next_unlock(self, at: datetime) -> Unlock | None:
        return next_unlock(self.steps, at, self.answers_until)


class Derivations(PersonalFit):
    """Today, derived once per change, and the plans a check-in would produce."""

    def case(
        self,
        at: datetime,
        checkin: CheckIn | None = None,
        *,
        new_legs: LegSession | None = None,
        given_legs: LegSession | LegLoad | Literal["saved"] | None = "saved",
        profile: Profile | None = None,
        planned: Sequence[RunLog | LegSession] = (),
    ) -> coach.Case:
        """What the coach needs at `at`: a check-in being made (or the latest saved),
        the leg session that counts, and the newest soreness reading. `given_legs`
        (advise's --hours-since-legs or --no-legs) stands in for every saved leg session.
        `planned`: sessions not saved, judged as if they had been (the planner's, and
        what-if's), so the case is the one logging them would make."""
        latest = checkin if checkin is not None else self.latest_checkin(at)
        done = [r for r in planned if r.when <= at + FUTURE_TOLERANCE]
        extra = [*done, *([new_legs] if new_legs else [])]
        history = self.history_before(at) + extra
        new_legs = max(
            (r for r in extra if isinstance(r, LegSession)), key=lambda r: r.ended_at, default=None
        )
        last_legs: LegSession | LegLoad | None
        if given_legs == "saved":
            last_legs = self.last_leg_session(before=at)
            if new_legs is not None and (
                last_legs is None or new_legs.ended_at > last_legs.ended_at
            ):
                last_legs = new_legs
        else:
            last_legs = given_legs
            history = [record for record in history if not isinstance(record, LegSession)]
        soreness = None if checkin is not None else self.latest_soreness(at)
        profile = profile or self.profile()
        return coach.make_case(
            latest,
            last_legs,
            at,
            history,
            profile=profile,
            decay=self.decay,
            soreness=soreness,
            first_seen=self._first_seen(extra) if profile.experience == Experience.NEW else None,
            **self.days_off(at, history),
            returning=self._returning_leg_sessions(at, history, extra),
        )

    def _first_seen(self, extra: Sequence[RunLog | LegSession]) -> datetime | None:
        moments = [m for m in (self.first_seen(), *(r.when for r in extra)) if m is not None]
        return min(moments, default=None)

    def days_off(self, at: datetime, history: Sequence[RunLog | LegSession]) -> dict[str, Any]:
        """The case's days off: `back_from_break`, the latest return after BREAK_DAYS or
        more with nothing logged (runs and leg sessions), if recent enough to matter (the
        first days back are easier); `idle_since`, the last activity when nothing has been
        logged in the days a return counts for (the days off run on with the clock, so
        the coach sees a break begin, and every later reading says the same)."""
        moments = sorted(record.when for record in history if record.when <= at + FUTURE_TOLERANCE)
        since = at - timedelta(days=coach.BREAK_EASIER_DAYS)
        returns = [m for m in moments if m >= since]
        if not returns:
            latest = moments[-1] if moments else self._latest_activity(at, BREAK_LOOKBACK)
            if latest is not None:
                return {"idle_since": latest}
            if not self._history_reaches(at - BREAK_LOOKBACK):
                return {}  # nothing logged before: no break to come back from
            return {"idle_since": at - BREAK_LOOKBACK}  # days off beyond the look-back
        # The activity before the recent ones: the gap before the first day back.
        first_back = returns[0]
        before = [m for m in moments if m < first_back]
        if before:
            previous: datetime | None = before[-1]
        else:
            previous = self._latest_activity(first_back, BREAK_LOOKBACK)
            if previous is None and self._history_reaches(first_back - BREAK_LOOKBACK):
                previous = first_back - BREAK_LOOKBACK
        found: dict[str, Any] = {"idle_since": returns[-1]}
        if previous is not None and (gap := (first_back - previous).days) >= coach.BREAK_DAYS:
            found["back_from_break"] = coach.Break(gap, first_back)
        return found

    def _latest_activity(self, before: datetime, within: timedelta) -> datetime | None:
        """The latest run or leg session in the `within` before `before` (bounded: a
        damaged file years back never stops today's plan). Kept until the history
        changes: today's plan and the save that follows ask the same."""
        return self._kept(
            "latest activity",
            (before.date(), within),
            lambda: self._read_latest_activity(before, within),
        )

    def _read_latest_activity(self, before: datetime, within: timedelta) -> datetime | None:
        latest = next(
            self.records(
                [RecordKind.RUN, RecordKind.LEGS],
                since=before - within,
                until=before - timedelta(microseconds=1),
            ),
            None,
        )
        return latest.when if latest is not None else None

    def _history_reaches(self, moment: datetime) -> bool:
        """Something was logged in the year before `moment`: the history goes back that
        far (bounded, so a damaged file years back is never read for it)."""
        earlier = self.records(since=moment - timedelta(days=365), until=moment)
        return next(earlier, None) is not None

    def _returning_leg_sessions(
        self,
        at: datetime,
        history: Sequence[RunLog | LegSession],
        extra: Sequence[RunLog | LegSession] = (),
    ) -> frozenset[UUID]:
        """Leg sessions of the last week that came after RETURNING_GAP or more without
        one: the first after a long break counts like new exercises."""
        sessions = sorted(
            (
                r
                for r in history
                if isinstance(r, LegSession) and at - coach.LEG_LOOKBACK <= r.ended_at
            ),
            key=lambda r: r.ended_at,
        )
        returning = set()
        unsaved = [r.ended_at for r in extra if isinstance(r, LegSession)]
        for session in sessions:
            since = session.ended_at - RETURNING_GAP
            previous = next(
                self._store.records(
                    LegSession, since=since, until=session.ended_at - timedelta(microseconds=1)
                ),
                None,
            ) or next((m for m in unsaved if since <= m < session.ended_at), None)
            if previous is None and self._history_reaches(session.ended_at - RETURNING_GAP):
                returning.add(session.id)
        return frozenset(returning)

    def first_seen(self) -> datetime | None:
        """When the history starts: the first record's time."""
        years = self._store.years()
        if not years:
            return None
        first = years[0]
        return min(
            (
                r.when
                for r in self.records(
                    since=datetime(first, 1, 1, tzinfo=UTC),
                    until=datetime(first + 1, 1, 2, tzinfo=UTC),
                )
            ),
            default=None,
        )

    @one_look
    def today(self) -> Today:
        """Today, derived once per change: the derivation a save just made is reused."""
        now = self.now()
        kept = self._derived
        if (
            kept is not None
            and kept[0] == self.revision
            and kept[1] <= now < kept[1] + DERIVATION_REUSE
        ):
            derivation = kept[2]
        else:
            derivation = coach.derive(self.case(now), now)
            self._derived = (self.revision, now, derivation)
        checkin = self.todays_checkin(now)
        return Today(
            now=now,
            last_legs=self.last_leg_session(before=now),
            checkin=checkin,
            plan=derivation.plan,
            steps=derivation.steps,
            changed=self._why_changed(checkin, derivation.plan, now),
            runs=tuple(self._runs_on(now)),
            answers_until=derivation.answers_until,
            week=tuple(self.week(now)),
        )

    @one_look
    def advise(
        self,
        checkin: CheckIn,
        given_legs: LegSession | LegLoad | Literal["saved"] | None = "saved",
        *,
        max_hr: int | None = None,
    ) -> Recommendation:
        """The plan a check-in would produce, built exactly as `check_in` builds it (the
        personal recovery rate included); nothing is saved."""
        profile = self.profile()
        if max_hr is not None:
            profile = profile.model_copy(update={"max_hr": max_hr})
        return self._derive_for(checkin, given_legs=given_legs, profile=profile).plan

    def _why_changed(
        self, checkin: CheckIn | None, plan: Recommendation, now: datetime
    ) -> str | None:
        """Why today's plan is no longer the one the check-in produced, in words."""
        if checkin is None or checkin.recommendation is None:
            return None
        if checkin.recommendation.run_type == plan.run_type:
            return None
        since = checkin.at + timedelta(seconds=1)
        newer = next(
            self.records(
                [RecordKind.LEGS, RecordKind.RUN, RecordKind.SORENESS], since=since, until=now
            ),
            None,
        )
        if newer is None:
            return f"updated since the check-in at {checkin.at.astimezone(now.tzinfo):%H:%M} as time passed"
        what = {
            RecordKind.LEGS: "the leg session",
            RecordKind.RUN: "the run",
            RecordKind.SORENESS: "the soreness update",
        }[newer.kind_name]
        return f"updated after {what} at {newer.when.astimezone(now.tzinfo):%H:%M}"

    @one_look
    def plan_for(self, checkin: CheckIn, new_legs: LegSession | None = None) -> Recommendation:
        """The plan a check-in produces, judged at the moment it was made."""
        return self._derive_for(checkin, new_legs).plan

    def _derive_for(
        self,
        checkin: CheckIn,
        new_legs: LegSession | None = None,
        *,
        given_legs: LegSession | LegLoad | Literal["saved"] | None = "saved",
        profile: Profile | None = None,
    ) -> coach.Derivation:
        """The derivation a check-in makes, judged at the moment it was made."""
        case = self.case(
            checkin.at, checkin, new_legs=new_legs, given_legs=given_legs, profile=profile
        )
        return coach.derive(case, checkin.at)


def plan_without_history(
    checkin: CheckIn, legs: LegSession | LegLoad | None, *, max_hr: int | None = None
) -> Recommendation:
    """`advise` with no database yet: the same derivation over an empty history."""
    case = coach.make_case(checkin, legs, checkin.at, profile=Profile(max_hr=max_hr))
    return coach.derive(case, checkin.at).plan
