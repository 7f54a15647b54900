"""The week ahead: the planner judged with the journal's own cases, and "what if?"."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from legcoach import coach, planner
from legcoach.journal.state import one_look
from legcoach.journal.today import Derivations
from legcoach.models import CheckIn, LegSession, Profile, RunLog
from legcoach.recovery import Intensity, LegLoad, soreness_now
from legcoach.timeline import Step, allowed_at
from legcoach.vocab import RunType

# Within 72 h of hard legs a planned morning never assumes less soreness than this: the
# model projects a reading, and a plan must not count on legs fresher than typical.
PLANNED_SORENESS_FLOOR = 2
FLOOR_HOURS = 72


@dataclass(frozen=True)
class WhatIf:
    """A leg session that is not saved, and what it would do."""

    session: LegSession
    before: list[Step]  # today's timeline as saved
    after: list[Step]  # with the session logged
    days: list[tuple[date, RunType, RunType]]  # each day's run time: before, after
    week_before: planner.WeekPlan
    week_after: planner.WeekPlan

    def allowed_after(self, at: datetime) -> RunType:
        return allowed_at(self.after, at)

    def key_sessions(self) -> list[tuple[planner.SessionPlan, bool]]:
        """Each planned session of the week (runs and legs), with whether it was ok
        before the session (the `after` plan is the one shown)."""
        ok_before = {plan.session.key: plan.ok for plan in self.week_before.plans}
        return [(plan, ok_before.get(plan.session.key, True)) for plan in self.week_after.plans]

    def to_public_json(self) -> dict[str, object]:
        return {
            "session": {
                "ended_at": self.session.ended_at.isoformat(),
                "rpe": self.session.rpe,
                "kind": self.session.kind.value if self.session.kind else None,
                "minutes": self.session.minutes,
            },
            "days": [
                {
                    "date": day.isoformat(),
                    "allowed_before": before.value,
                    "allowed_after": after.value,
                }
                for day, before, after in self.days
            ],
            "key_sessions": [
                {
                    "date": plan.session.at.date().isoformat(),
                    "at": plan.session.at.isoformat(),
                    "kind": plan.session.kind.value,
                    "ok_before": ok_before,
                    "ok_after": plan.ok,
                }
                for plan, ok_before in self.key_sessions()
            ],
            "timeline_after": [
                {"at": step.at.isoformat(), "run_type": str(step.run_type)} for step in self.after
            ],
        }


class Planning(Derivations):
    """The planner judges every planned moment with the case logging the planned sessions
    before it would make: the daily answer and the week plan cannot disagree."""

    def planned_checkin(self, at: datetime, planned: Sequence[RunLog | LegSession] = ()) -> CheckIn:
        """The check-in a plan assumes at `at`: a good morning, with the soreness the
        recovery model projects then (never below 2/10 within 72 h of hard legs)."""
        sessions = [
            r
            for r in (
                *planned,
                *self._store.records(LegSession, since=at - timedelta(days=7), until=at),
            )
            if isinstance(r, LegSession) and r.ended_at <= at
        ]
        latest = max(sessions, key=lambda r: r.ended_at, default=None)
        projected = soreness_now(
            self.latest_soreness(at), LegLoad.of(latest) if latest else None, at, self.decay
        )
        soreness = 0 if projected is None else math.ceil(projected - 1e-9)
        if any(
            LegLoad.of(r).intensity == Intensity.HARD
            and (at - r.ended_at) < timedelta(hours=FLOOR_HOURS)
            for r in sessions
        ):
            soreness = max(soreness, PLANNED_SORENESS_FLOOR)
        return CheckIn.model_validate(
            {"at": at, "soreness": min(10, soreness), **planner.GOOD_MORNING}
        )

    def week_planner(
        self,
        profile: Profile | None = None,
        *,
        days: int = planner.WEEK_DAYS,
        with_legs: LegSession | None = None,
    ) -> planner.Planner:
        """The planner for the weeks ahead, from now on; `with_legs`: a leg session judged
        as if it had been saved (what-if)."""
        now = self.now()
        profile = planner.prune_changes(profile or self.profile(), now.date())
        extra = [with_legs] if with_legs else []

        def judge(
            at: datetime, planned: Sequence[RunLog | LegSession]
        ) -> tuple[coach.Judgement, int | None]:
            done = [*(r for r in extra if r.ended_at <= at), *planned]
            checkin = self.planned_checkin(at, done)
            case = self.case(at, checkin, profile=profile, planned=done)
            return coach.judge(case, at), checkin.soreness

        assert now.tzinfo is not None  # the clock is aware
        return planner.Planner(profile, judge, now.tzinfo, days=days, since=now)

    @one_look
    def week_plan(
        self, start: date | None = None, *, days: int = planner.WEEK_DAYS, suggest: bool = True
    ) -> planner.WeekPlan:
        """The `days` days from `start` (today): every planned session from now on,
        judged, with a checked suggestion for each conflict (`suggest`).

        Without suggestions it is kept until the history, the profile or the sessions
        still ahead change: each is judged at its own time from those alone, so it is
        the plan derived afresh (tests/test_planner), made ready before the week screen
        asks. With them it is planned afresh: a suggestion never moves a session into
        the past, so it depends on the time of day too."""
        week_planner = self.week_planner(days=days)
        start = start or self.now().date()
        if suggest:
            return week_planner.plan(start)
        ahead = week_planner.planned(start)
        key = (start, days, week_planner.tz, week_planner.profile, ahead)
        return self._kept("week plan", key, lambda: week_planner.plan(start, suggest=False))

    @one_look
    def place_leg_days(self, count: int, start: date | None = None) -> planner.Placement:
        """The `count` leg days that fit the week's key runs best for the goal."""
        return planner.place_leg_days(self.week_planner(), count, start or self.now().date())

    @one_look
    def whatif(self, session: LegSession, *, days: int = 3) -> WhatIf:
        """What a leg session would do, without saving it: today's timeline before and
        after, each day's run time, and the planned key sessions of the week."""
        now = self.now()
        before = self.today().steps  # the one derivation of today, not a second one
        # Until the session ends nothing changes; from then on, the case logging it makes.
        ends = max(now, session.ended_at)
        after = [step for step in before if step.at < ends] + coach.derive(
            self.case(ends, planned=[session]), ends
        ).steps
        run_time = self.profile().week.run_time
        first = datetime.combine(now.date(), run_time, now.tzinfo)
        if first < now:
            first += timedelta(days=1)
        moments = [first + timedelta(days=offset) for offset in range(days)]
        rows = [(m.date(), allowed_at(before, m), allowed_at(after, m)) for m in moments]
        return WhatIf(
            session,
            before,
            after,
            rows,
            self.week_plan(now.date(), suggest=False),
            self.week_planner(with_legs=session).plan(now.date(), suggest=False),
        )
