"""The one derivation of today: the case the coach judges, the plan, the timeline."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from legcoach import coach
from legcoach.history import Day
from legcoach.journal.fit import PersonalFit
from legcoach.journal.state import start_of_next_day
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
from legcoach.vocab import RecordKind, RunType

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
    ) -> coach.Case:
        """What the coach needs at `at`: a check-in being made (or the latest saved),
        the leg session that counts, and the newest soreness reading. `given_legs`
        (advise's --hours-since-legs or --no-legs) stands in for every saved leg session."""
        latest = checkin if checkin is not None else self.latest_checkin(at)
        history = self.history_before(at) + ([new_legs] if new_legs else [])
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
        return coach.make_case(
            latest,
            last_legs,
            at,
            history,
            profile=profile or self.profile(),
            decay=self.decay,
            soreness=soreness,
        )

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
        case = self.case(checkin.at, checkin, given_legs=given_legs, profile=profile)
        return coach.derive(case, checkin.at).plan

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

    def plan_for(self, checkin: CheckIn, new_legs: LegSession | None = None) -> Recommendation:
        """The plan a check-in produces, judged at the moment it was made."""
        return self._derive_for(checkin, new_legs).plan

    def _derive_for(self, checkin: CheckIn, new_legs: LegSession | None = None) -> coach.Derivation:
        return coach.derive(self.case(checkin.at, checkin, new_legs=new_legs), checkin.at)


def plan_without_history(
    checkin: CheckIn, legs: LegSession | LegLoad | None, *, max_hr: int | None = None
) -> Recommendation:
    """`advise` with no database yet: the same derivation over an empty history."""
    case = coach.make_case(checkin, legs, checkin.at, profile=Profile(max_hr=max_hr))
    return coach.derive(case, checkin.at).plan
