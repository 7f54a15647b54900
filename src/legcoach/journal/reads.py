"""Reading the history: records, the latest of each kind, the week, a record by id."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from legcoach.clock import FUTURE_TOLERANCE
from legcoach.errors import UsageProblem
from legcoach.history import Day, Week, weeks
from legcoach.journal.state import (
    HISTORY_WINDOW,
    SAME_SESSION,
    SORENESS_LOOKBACK,
    start_of_next_day,
)
from legcoach.journal.watch import Watching
from legcoach.models import (
    KIND_TYPES,
    CheckIn,
    LegSession,
    Profile,
    Record,
    RunLog,
    SorenessUpdate,
)
from legcoach.recovery import (
    SorenessReading,
)
from legcoach.storage.files import StoreError
from legcoach.storage.store import RecordT
from legcoach.vocab import MIN_ID, RecordKind


class NotFound(StoreError):
    """No saved record matches the id given."""


class Reads(Watching):
    """The reads every screen and command makes, a year at a time."""

    def profile(self) -> Profile:
        return self._store.profile()

    def has_history(self) -> bool:
        return bool(self._store.years())

    def records(
        self,
        kinds: Iterable[RecordKind | str] | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Iterator[Record]:
        """Records of the given kinds (default: all), newest first, read a year at a time."""
        chosen = dict.fromkeys(RecordKind(k) for k in kinds) if kinds else list(RecordKind)
        models = [KIND_TYPES[kind] for kind in chosen]
        return self._store.records_of(models, since=since, until=until)

    def last_leg_session(self, before: datetime | None = None) -> LegSession | None:
        """The latest leg session ended by `before`, or a little after it (up to
        FUTURE_TOLERANCE: another device's clock, a time typed a few minutes on). Such a
        session binds at once (the coach counts it as just ended): before, for those
        minutes the plan was whatever no legs allow and home said none was logged."""
        return self._store.last(LegSession, None if before is None else before + FUTURE_TOLERANCE)

    def todays_checkin(self, now: datetime | None = None) -> CheckIn | None:
        """The latest check-in made today where the user is now. One dated a little ahead
        (up to FUTURE_TOLERANCE, as every door accepts) counts at once, as the plan does;
        one dated ahead into tomorrow is tomorrow's."""
        now = now or self.now()
        for checkin in self._store.records(
            CheckIn, until=now + FUTURE_TOLERANCE, since=now - timedelta(days=2)
        ):
            today = checkin.local_day(now) == now.date()
            if checkin.at > now and not today:
                continue
            return checkin if today else None
        return None

    def latest_checkin(self, before: datetime) -> CheckIn | None:
        """The latest check-in by `before`, or a little after it (as for leg sessions):
        its answers, red flags first, count at once, not from its time on."""
        return self._store.last(CheckIn, before + FUTURE_TOLERANCE)

    def latest_soreness(self, before: datetime) -> SorenessReading | None:
        """The newest soreness reading: a check-in's or a later soreness update's."""
        checkin = self.latest_checkin(before)
        # Only an update newer than the latest check-in can count; without any check-in,
        # a month back is plenty (soreness halves every ~40 h). Unbounded, a history with
        # no updates read every year file back to the first (all of a long history held in memory).
        since = checkin.at if checkin is not None else before - SORENESS_LOOKBACK
        update = next(self._store.records(SorenessUpdate, since=since, until=before), None)
        readings = [
            SorenessReading(record.soreness, record.at)
            for record in (checkin, update)
            if record is not None and record.soreness is not None
        ]
        return max(readings, key=lambda reading: reading.at, default=None)

    def history_before(self, at: datetime) -> list[RunLog | LegSession]:
        since = at - HISTORY_WINDOW
        runs = list(self._store.records(RunLog, since=since, until=at))
        legs = list(self._store.records(LegSession, since=since, until=at))
        return [*runs, *legs]

    def _runs_on(self, at: datetime) -> list[RunLog]:
        """The runs logged on `at`'s local day."""
        start = datetime.combine(at.date(), datetime.min.time(), at.tzinfo)
        return list(self._store.records(RunLog, since=start, until=start_of_next_day(at)))

    def week(self, now: datetime) -> list[Day]:
        """The last seven days, oldest first, each with its leg sessions, check-in and runs."""
        first = now.date() - timedelta(days=6)
        since = datetime.combine(first, datetime.min.time(), now.tzinfo)
        days = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range(7)}
        for record in sorted(
            self.records(
                [RecordKind.LEGS, RecordKind.CHECKIN, RecordKind.RUN], since=since, until=now
            ),
            key=lambda r: r.when,
        ):
            day = days.get(record.when.astimezone(now.tzinfo).date())
            if day is None:
                continue
            if isinstance(record, LegSession):
                day.legs.append(record)
            elif isinstance(record, RunLog):
                day.runs.append(record)
            elif isinstance(record, CheckIn):
                day.checkin = record
        return list(days.values())

    def weeks(self, last: int) -> list[Week]:
        """The last `last` weeks, a row each; kept until the history changes or the day
        does (the Trend tab and the Weeks tab both show them)."""
        today = self.now().date()
        return list(self._kept("weeks", (today, last), lambda: self._read_weeks(today, last)))

    def _read_weeks(self, today: date, last: int) -> list[Week]:
        start = today - timedelta(days=today.weekday()) - timedelta(weeks=last)
        since = datetime.combine(start, datetime.min.time(), self.now().tzinfo)
        return weeks(
            self._store.records(LegSession, since=since),
            self._store.records(RunLog, since=since),
            self._store.records(CheckIn, since=since),
            last=last,
            today=today,
        )

    def soreness_trend(self, days: int) -> list[tuple[datetime, int]]:
        """Every soreness reading (check-ins and updates) of the last `days` days, oldest first."""
        since = self.now() - timedelta(days=days)
        return sorted(
            (r.when, r.soreness)  # type: ignore[attr-defined]
            for r in self.records([RecordKind.CHECKIN, RecordKind.SORENESS], since=since)
            if r.soreness is not None  # type: ignore[attr-defined]
        )

    def find(self, record_id: str) -> Record:
        """A record by its id (as `history --json` prints it) or a unique start of it."""
        return _one_by_id(self.records(), record_id, "saved")

    def _same_session(self, session: LegSession) -> LegSession | None:
        """A saved leg session ending within an hour of this one: the same session."""
        return next(self._saved_near(LegSession, session.ended_at), None)

    def _same_run(self, run: RunLog) -> RunLog | None:
        """A saved run of the same type ending within an hour of this one: the same run."""
        return next(
            (r for r in self._saved_near(RunLog, run.at) if r.run_type == run.run_type), None
        )

    def _saved_near(self, model: type[RecordT], at: datetime) -> Iterator[RecordT]:
        """Saved records of one kind within SAME_SESSION of `at`."""
        return self._store.records(model, since=at - SAME_SESSION, until=at + SAME_SESSION)

    def _checkin_same_day(self, at: datetime, now: datetime) -> CheckIn | None:
        day = at.astimezone(now.tzinfo).date()
        for checkin in self._store.records(
            CheckIn, since=at - timedelta(days=2), until=at + timedelta(days=2)
        ):
            if checkin.local_day(now) == day:
                return checkin
        return None


class BadId(NotFound, UsageProblem):
    """An id too short, or the start of several: a usage error, with the candidates."""


def _one_by_id(records: Iterable[Record], record_id: str, where: str) -> Record:
    """The one record whose id is `record_id` or starts with it (6 characters at least)."""
    wanted = record_id.strip().lower()
    if len(wanted) < MIN_ID:
        raise BadId(f"an id needs at least {MIN_ID} characters (got {record_id!r})")
    matches = [r for r in records if str(r.id).startswith(wanted)]
    if not matches:
        raise NotFound(f"no record {where} has the id {record_id!r}")
    if len(matches) > 1:
        shown = ", ".join(
            f"{str(r.id)[:12]} ({r.kind_name.value} {r.when:%Y-%m-%d})" for r in matches[:5]
        )
        raise BadId(f"{record_id!r} starts {len(matches)} ids: give more of it ({shown})")
    return matches[0]
