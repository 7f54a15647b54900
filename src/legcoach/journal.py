"""The training journal: what the CLI and the app do with the history.

Joins the store (what was saved) with the coach (what it means now). Every save goes
through here so that the status cache for `legcoach status` is refreshed with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from legcoach import coach
from legcoach.clock import Clock, local_now
from legcoach.models import LADDER, CheckIn, LegSession, Override, Profile, Recommendation, RunLog
from legcoach.recovery import DEFAULT_DECAY, SorenessDecay
from legcoach.storage.snapshot import CACHE_VERSION, status_at
from legcoach.storage.store import Store

HISTORY_WINDOW = timedelta(days=8)


def start_of_next_day(at: datetime) -> datetime:
    return datetime.combine(at.date() + timedelta(days=1), datetime.min.time(), at.tzinfo)


@dataclass(frozen=True)
class Today:
    """What the coach knows right now, as the home screen and `status` show it."""

    now: datetime
    last_legs: LegSession | None
    checkin: CheckIn | None  # today's, if done
    plan: Recommendation
    steps: list[coach.Step]


class Journal:
    def __init__(self, store: Store, clock: Clock = local_now) -> None:
        self.store = store
        self.clock = clock

    def now(self) -> datetime:
        return self.clock()

    @property
    def decay(self) -> SorenessDecay:
        return DEFAULT_DECAY

    def profile(self) -> Profile:
        return self.store.profile()

    def history_before(self, at: datetime) -> list[RunLog | LegSession]:
        since = at - HISTORY_WINDOW
        runs = list(self.store.records(RunLog, since=since, until=at))
        legs = list(self.store.records(LegSession, since=since, until=at))
        return [*runs, *legs]

    def case(self, at: datetime, checkin: CheckIn | None = None) -> coach.Case:
        latest = checkin if checkin is not None else self.store.latest_checkin()
        return coach.make_case(
            latest,
            self.store.last_leg_session(before=at),
            at,
            self.history_before(at),
            profile=self.profile(),
            decay=self.decay,
        )

    def today(self) -> Today:
        now = self.now()
        case = self.case(now)
        latest = self.store.latest_checkin()
        todays = latest if latest and latest.day == now.date() else None
        return Today(
            now=now,
            last_legs=self.store.last_leg_session(before=now),
            checkin=todays,
            plan=coach.advise(case, now),
            steps=coach.timeline(case, now),
        )

    def plan_for(self, checkin: CheckIn) -> Recommendation:
        """The plan a check-in produces, judged at the moment it was made."""
        return coach.advise(self.case(checkin.at, checkin), checkin.at)

    # --- saving -----------------------------------------------------------------------

    def check_in(self, checkin: CheckIn) -> tuple[CheckIn, bool]:
        """Save a check-in with its plan; a second one the same day replaces the first."""
        planned = checkin.model_copy(update={"recommendation": self.plan_for(checkin)})
        stored, replaced = self.store.save_checkin(planned)
        self.refresh_status_cache()
        return stored, replaced

    def record_override(self, checkin: CheckIn, override: Override, note: str = "") -> CheckIn:
        updated = checkin.model_copy(update={"override": override, "override_note": note})
        self.store.replace(updated)
        self.refresh_status_cache()
        return updated

    def log_legs(self, session: LegSession) -> None:
        self.store.add(session)
        self.refresh_status_cache()

    def log_run(self, run: RunLog) -> None:
        self.store.add(run)
        self.refresh_status_cache()

    def save_profile(self, profile: Profile) -> None:
        self.store.save_profile(profile)
        self.refresh_status_cache()

    # --- status -----------------------------------------------------------------------

    def status_cache(self) -> dict[str, Any]:
        """Timelines for today (with today's answers) and for after midnight (without)."""
        now = self.now()
        latest = self.store.latest_checkin()
        timelines = []
        if latest is not None and latest.day == now.date():
            case = self.case(now)
            until = start_of_next_day(now)
            timelines.append(self._cache_timeline(coach.timeline(case, now), until, True))
            later = until
        else:
            later = now
        tomorrow = self.case(later)
        timelines.append(self._cache_timeline(coach.timeline(tomorrow, later), None, False))
        last_legs = self.store.last_leg_session(before=now)
        return {
            "version": CACHE_VERSION,
            "basis": self.store.basis(),
            "computed_at": now.isoformat(),
            "ladder": [run_type.value for run_type in LADDER],
            "last_legs_at": last_legs.ended_at.isoformat() if last_legs else None,
            "timelines": timelines,
        }

    @staticmethod
    def _cache_timeline(
        steps: list[coach.Step], valid_until: datetime | None, checked_in: bool
    ) -> dict[str, Any]:
        return {
            "valid_until": valid_until.isoformat() if valid_until else None,
            "checked_in": checked_in,
            "steps": [[step.at.isoformat(), step.run_type.value] for step in steps],
        }

    def refresh_status_cache(self) -> dict[str, Any]:
        cache = self.status_cache()
        self.store.write_status_cache(cache)
        return cache

    def status(self) -> dict[str, Any]:
        cache = self.status_cache()
        if self.store.exists:
            self.store.write_status_cache(cache)
        return status_at(cache, self.now())
