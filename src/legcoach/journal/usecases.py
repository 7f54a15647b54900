"""The use cases that save: each one unit of work, one `Store.commit`."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from legcoach import coach, planner
from legcoach.clock import FUTURE_TOLERANCE
from legcoach.journal.cache import StatusCache
from legcoach.journal.reads import _one_by_id
from legcoach.journal.state import one_look
from legcoach.journal.today import DERIVATION_REUSE
from legcoach.models import (
    CheckIn,
    LegDay,
    LegSession,
    Override,
    Profile,
    Record,
    RunLog,
    SorenessUpdate,
    WeekChange,
    explain,
)
from legcoach.storage.files import StoreError
from legcoach.vocab import Experience


class Contradiction(ValueError):
    """What the user asked would contradict what is saved (one true account of the day)."""


class Invalid(StoreError):
    """The changed record does not validate; the message says which field and why."""


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    replaced: bool


class UseCases(StatusCache):
    """Check in, log, correct, delete, restore: all through `_commit`."""

    def _check_time(self, record: Record, now: datetime) -> None:
        if record.when > now + FUTURE_TOLERANCE:
            raise StoreError(
                f"{record.kind_name} at {record.when.isoformat(timespec='minutes')} is in the "
                "future; nothing was saved."
            )

    @one_look
    def check_in(
        self,
        checkin: CheckIn,
        new_legs: LegSession | None = None,
        goal_for_profile: bool = True,
        experience: Experience | None = None,
    ) -> CheckInResult:
        """Save a check-in, with the leg session it reports and its plan, in one write.

        A leg session within an hour of a saved one is that one (not saved again). A
        second check-in on the same local day replaces the first (keeping its id). The
        goal answered becomes the profile's goal (`goal_for_profile`), and a running
        experience given (the first check-in asks it) the profile's, in the same write."""
        now = self.now()
        self._check_time(checkin, now)
        legs_to_add: list[Record] = []
        if new_legs is not None:
            self._check_time(new_legs, now)
            same = self._same_session(new_legs)
            if same is None:
                legs_to_add.append(new_legs)
            else:
                new_legs = same
            checkin = checkin.model_copy(update={"leg_session_id": new_legs.id})
        previous = self._checkin_same_day(checkin.at, now)
        if previous is not None:
            # The day's earlier red flags stay in its record, shown as cleared.
            earlier = (previous.red_flags | previous.earlier_red_flags) - checkin.red_flags
            checkin = checkin.model_copy(update={"id": previous.id, "earlier_red_flags": earlier})
        profile = self.profile()
        updates: dict[str, Any] = {}
        if goal_for_profile and checkin.goal is not None and checkin.goal != profile.goal:
            updates["goal"] = checkin.goal
        if experience is not None and experience != profile.experience:
            updates["experience"] = experience
        new_profile = profile.model_copy(update=updates) if updates else None
        if checkin.goal is None and profile.goal is not None:
            # The check-in records the goal it was planned with (the profile's).
            checkin = checkin.model_copy(update={"goal": profile.goal})
        derivation = self._derive_for(
            checkin, new_legs if legs_to_add else None, profile=new_profile or profile
        )
        planned = checkin.model_copy(update={"recommendation": derivation.plan})
        # A check-in made now is today's derivation: kept for `today` after the save.
        fresh = abs(checkin.at - now) < DERIVATION_REUSE
        self._commit(
            add=[*legs_to_add, planned],
            remove=[previous] if previous is not None else [],
            profile=new_profile,
            derived=(checkin.at, derivation) if fresh else None,
        )
        return CheckInResult(planned, previous is not None)

    def record_override(self, checkin: CheckIn, override: Override, note: str = "") -> CheckIn:
        """What the user did instead of the plan. "I rested" on a day with a logged run
        would be a second, contradicting account of the day: refused."""
        runs = self._runs_on(checkin.at.astimezone(self.now().tzinfo))
        if override == Override.RESTED and runs:
            raise Contradiction(
                f"You logged a run today ({runs[0].summary()}): delete it in History if "
                "you rested after all."
            )
        updated = checkin.model_copy(update={"override": override, "override_note": note})
        self._commit(add=[updated], remove=[checkin])
        return updated

    def log_legs(self, session: LegSession) -> LegSession:
        """Save a leg session; one within an hour of a saved one is that one (as in the
        check-in): the saved session is returned and nothing is added."""
        self._check_time(session, self.now())
        same = self._same_session(session)
        if same is not None:
            return same
        self._commit(add=[session])
        return session

    def log_run(self, run: RunLog) -> RunLog:
        """Save a run; a "rested" said for that day is withdrawn in the same write."""
        now = self.now()
        self._check_time(run, now)
        same = self._same_run(run)
        if same is not None:
            return same  # typed twice (or retried): the saved run, nothing added
        checkin = self._checkin_same_day(run.at, now)
        add: list[Record] = [run]
        remove: list[Record] = []
        if checkin is not None and checkin.override == Override.RESTED:
            remove.append(checkin)
            add.append(checkin.model_copy(update={"override": None}))
        self._commit(add=add, remove=remove)
        return run

    def update_soreness(self, soreness: int) -> SorenessUpdate:
        """A new soreness reading, saved as its own record: the morning check-in and its
        plan stay as they were; today's plan follows the newest reading."""
        update = SorenessUpdate(at=self.now(), soreness=soreness)
        self._commit(add=[update])
        return update

    def edit(self, record_id: str, changes: dict[str, Any]) -> Record:
        """The record with some fields changed, validated as new input; a check-in gets
        its plan again. Today's plan follows by itself (it is derived from the records)."""
        old = self.find(record_id)
        try:
            new = type(old).model_validate({**old.model_dump(), **changes})
        except ValidationError as error:
            raise Invalid(explain(error)) from None
        self._check_time(new, self.now())
        if isinstance(new, CheckIn):
            new = new.model_copy(update={"recommendation": self.plan_for(new)})
        self._commit(add=[new], remove=[old])
        return new

    def delete(self, record_id: str) -> Record:
        """Remove a record into the trash, from which `restore` brings it back."""
        record = self.find(record_id)
        self._commit(remove=[record], to_trash=[record], deleted_at=self.now())
        return record

    def restore(self, record_id: str) -> Record:
        record = _one_by_id((r for _, r in self._store.trash()), record_id, "in the trash")
        if self._store.has_id(str(record.id)):
            # Saved again since (another device, an import), or a delete or restore cut
            # short between its two writes: one id, one record.
            raise Invalid(
                f"a record with id {str(record.id)[:8]} is in your history again (saved "
                "since it was deleted); nothing was restored, the trash copy is kept"
            )
        self._commit(add=[record], from_trash=[str(record.id)])
        return record

    def save_profile(self, profile: Profile) -> None:
        self._commit(profile=profile)

    def take_week_change(self, change: WeekChange) -> None:
        """A planner suggestion taken: a one-off change to that week (older ones go)."""
        profile = planner.prune_changes(self.profile(), self.now().date())
        self.save_profile(planner.with_change(profile, change))

    def save_leg_days(self, days: Sequence[LegDay]) -> None:
        """The week's leg days (placed by the planner, or chosen); one-off changes to leg
        sessions no longer apply."""
        profile = self.profile()
        week = profile.week.model_copy(update={"leg_days": tuple(days)})
        changes = tuple(c for c in profile.week_changes if c.kind != "legs")
        self.save_profile(profile.model_copy(update={"week": week, "week_changes": changes}))

    def _commit(
        self,
        add: Sequence[Record] = (),
        remove: Sequence[Record] = (),
        profile: Profile | None = None,
        *,
        derived: tuple[datetime, coach.Derivation] | None = None,
        **trash: Any,
    ) -> int:
        """Every write goes through here: one unit of work, then what follows a save.
        `derived`: today's derivation the save already made (a check-in made now)."""
        added = self._store.commit(add, remove, profile, **trash)
        self.revision += 1
        self._forget_derived([*add, *remove])
        self._derived = (self.revision, *derived) if derived is not None else None
        self._seen = self.change_token()
        self._refresh_cache_soon()
        if self.on_save is not None:
            self.on_save()
        return added
