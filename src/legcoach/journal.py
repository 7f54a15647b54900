"""The training journal: the one door to the history, for the CLI and the app alike.

Joins the store (what was saved) with the coach (what it means now). Each use case is
one unit of work here (`check_in`, `log_legs`, `log_run`, `update_soreness`,
`record_override`, `save_profile`, `import_from`): everything it depends on is read and
checked first, then one `Store.commit` (one lock, each touched file written once), then
one refresh of the status cache. A failure before the commit saves nothing; once the
commit has succeeded the use case succeeds (the cache is disposable), so a retry never
duplicates a record.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from legcoach import coach
from legcoach.clock import FUTURE_TOLERANCE, Clock, local_now
from legcoach.history import Day, Week, today_words, week_cells, weeks
from legcoach.models import (
    CSV_COLUMNS,
    KIND_TYPES,
    RECORD_TYPES,
    CheckIn,
    Export,
    LegSession,
    Override,
    Profile,
    Recommendation,
    Record,
    RunLog,
    SorenessUpdate,
    explain,
)
from legcoach.recovery import (
    DEFAULT_DECAY,
    LegLoad,
    SorenessDecay,
    SorenessReading,
    fit_decay,
    usable_fit_sessions,
)
from legcoach.storage.files import StoreError, atomic_write_bytes, signature_of
from legcoach.storage.layout import change_log_of
from legcoach.storage.snapshot import build_cache, cached_fit, serves_home, status_at
from legcoach.storage.store import Store
from legcoach.text import csv_cell
from legcoach.timeline import Step, Unlock, allowed_at, next_unlock
from legcoach.vocab import RecordKind, RunType

HISTORY_WINDOW = timedelta(days=8)
# How far back a soreness update is looked for when there is no check-in at all.
SORENESS_LOOKBACK = timedelta(days=30)
# The personal recovery rate is fitted to the last half year of leg days.
PERSONAL_FIT_WINDOW = timedelta(days=182)
# A leg session given in a check-in that ended within this of a saved one is that one:
# the same rule for the app and the CLI, and what keeps a retried check-in from
# saving the session twice.
SAME_SESSION = timedelta(hours=1)


def start_of_next_day(at: datetime) -> datetime:
    return datetime.combine(at.date() + timedelta(days=1), datetime.min.time(), at.tzinfo)


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


class Contradiction(ValueError):
    """What the user asked would contradict what is saved (one true account of the day)."""


class NotFound(StoreError):
    """No saved record matches the id given."""


class Invalid(StoreError):
    """The changed record does not validate; the message says which field and why."""


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    replaced: bool


@dataclass
class ImportReport:
    added: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass
class ImportRun:
    """What an import read, file by file, and what it saved."""

    files: list[Any] = field(default_factory=list)  # importers.FileResult
    report: ImportReport = field(default_factory=ImportReport)
    new_ids: set[str] = field(default_factory=set)

    @property
    def unreadable(self) -> int:
        return sum(1 for f in self.files if f.error)

    def line_for(self, result: Any, *, dry_run: bool = False) -> str:
        """'imported 1 run', '1 run already saved', 'skipped: cycling', 'error: ...'."""
        from legcoach.importers.runs import words_for

        if result.error:
            return f"error: {result.error}"
        new = [r for r in result.records if str(r.id) in self.new_ids]
        old = [r for r in result.records if str(r.id) not in self.new_ids]
        parts = []
        if new:
            parts.append(f"{'would import' if dry_run else 'imported'} {words_for(new)}")
        if old:
            parts.append(f"{words_for(old)} already saved")
        counts: dict[str, int] = {}
        for reason in result.skipped:
            counts[reason] = counts.get(reason, 0) + 1
        parts += [
            reason if count == 1 else f"{reason} ({count} workouts or sessions)"
            for reason, count in counts.items()
        ]
        return "; ".join(parts) or "nothing to import"


class Journal:
    def __init__(self, store: Store, clock: Clock = local_now) -> None:
        self._store = store
        self.clock = clock
        self._seen = self.change_token()
        # Bumped by every save, here or in another process (once noticed): a view kept
        # between visits compares it to know whether it is still current.
        self.revision = 0
        self._decay: tuple[datetime, SorenessDecay] | None = None
        self._decay_key = ""
        self._cache_stale = False
        # How the status cache is refreshed after a save: at once (the CLI), or handed to
        # the app to run after the screen has shown the result (`settle`).
        self.later: Callable[[Callable[[], None]], Any] | None = None
        # Told after every save of this journal's (the app derives today again).
        self.on_save: Callable[[], None] | None = None
        # (revision, moment, derivation) a save left: today's, if nothing changed since.
        self._derived: tuple[int, datetime, coach.Derivation] | None = None

    @classmethod
    def open(cls, path: Path, clock: Clock = local_now, *, create: bool = True) -> Journal:
        return cls(Store(path, create=create), clock)

    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def exists(self) -> bool:
        return self._store.exists

    def now(self) -> datetime:
        return self.clock()

    # --- noticing other processes' writes ------------------------------------------------

    def change_token(self) -> tuple[Any, ...]:
        """Changes whenever any process saves: the change log (a save appends to it), the
        year folder (a fold renames files into it), the manifest, and this and last
        year's files (the inode changes on a save)."""
        year = self.now().year
        shards = self._store.shard_dir
        return (
            signature_of(change_log_of(self.path)),
            signature_of(shards),
            signature_of(self.path),
            signature_of(shards / f"{year}.json"),
            signature_of(shards / f"{year - 1}.json"),
        )

    def changed_elsewhere(self) -> bool:
        """Whether the history changed since this journal last looked (cheap: five stats)."""
        token = self.change_token()
        if token == self._seen:
            return False
        self._seen = token
        self.revision += 1
        self._forget_derived()
        return True

    def _forget_derived(self, written: Iterable[Record] | None = None) -> None:
        """Drop what was derived from the history: all of it after another process's
        write (`written` unknown), else only if a write reaches before today (the
        personal rate learns from readings up to yesterday)."""
        if self._decay is None:
            return
        if written is None or any(record.when < self._decay[0] for record in written):
            self._decay = None

    # --- reading ---------------------------------------------------------------------

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
            today = checkin.local_day(now) == now.date()  # type: ignore[attr-defined]
            if checkin.at > now and not today:
                continue
            return checkin if today else None  # type: ignore[return-value]
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
        # no updates read every year file back to the first (23 MiB at 10 years).
        since = checkin.at if checkin is not None else before - SORENESS_LOOKBACK
        update = next(self._store.records(SorenessUpdate, since=since, until=before), None)
        readings = [
            SorenessReading(record.soreness, record.at)  # type: ignore[attr-defined]
            for record in (checkin, update)
            if record is not None and record.soreness is not None  # type: ignore[attr-defined]
        ]
        return max(readings, key=lambda reading: reading.at, default=None)

    @property
    def decay(self) -> SorenessDecay:
        """The user's own soreness decay once the history allows a fit, else the default.
        Learnt from readings before today, so today's saves leave it as it is (and every
        process computes the same one); computed once a day."""
        today = self._start_of_today()
        if self._decay is None or self._decay[0] != today:
            # The fit validates half a year of records (7 ms of every command): another
            # process may have left today's, computed from the same records, in the cache.
            key = self._store.fingerprint(*self._fit_window())
            cached = cached_fit(self.path, key)
            decay = SorenessDecay(**cached) if cached else self.personal_decay() or DEFAULT_DECAY
            self._decay = (today, decay)
            self._decay_key = key
        return self._decay[1]

    def _fit_window(self) -> tuple[datetime, datetime]:
        until = self._start_of_today() - timedelta(microseconds=1)
        return until - PERSONAL_FIT_WINDOW, until

    def _fit_for_cache(self) -> dict[str, Any]:
        decay = self.decay
        return {
            "key": self._decay_key,
            "half_life_hours": decay.half_life_hours,
            "peak_hours": decay.peak_hours,
            "based_on": decay.based_on,
        }

    def _start_of_today(self) -> datetime:
        now = self.now()
        return datetime.combine(now.date(), datetime.min.time(), now.tzinfo)

    def personal_decay(self) -> SorenessDecay | None:
        return fit_decay(self._fit_readings())

    def leg_days_with_enough_readings(self) -> int:
        """How many recent leg days the personal rate can learn from (to say what it needs)."""
        return usable_fit_sessions(self._fit_readings())

    def _fit_readings(self) -> list[list[tuple[float, float]]]:
        since, until = self._fit_window()
        sessions = sorted(
            self._store.records(LegSession, since=since, until=until), key=lambda s: s.when
        )
        readings_all = sorted(
            (
                (r.at, float(r.soreness))  # type: ignore[attr-defined]
                for r in self.records(
                    [RecordKind.CHECKIN, RecordKind.SORENESS], since=since, until=until
                )
                if r.soreness is not None  # type: ignore[attr-defined]
            ),
        )
        # Each session's readings are those after it and before the next session: found by
        # bisection in the time-sorted readings (a scan per session was quadratic, 20 ms
        # of every save with a year of daily check-ins).
        times = [at for at, _ in readings_all]
        readings: list[list[tuple[float, float]]] = []
        for index, session in enumerate(sessions):
            first = bisect.bisect_right(times, session.ended_at)
            last = (
                bisect.bisect_left(times, sessions[index + 1].ended_at)
                if index + 1 < len(sessions)
                else len(times)
            )
            readings.append(
                [
                    ((at - session.ended_at).total_seconds() / 3600, soreness)
                    for at, soreness in readings_all[first:last]
                ]
            )
        return readings

    def history_before(self, at: datetime) -> list[RunLog | LegSession]:
        since = at - HISTORY_WINDOW
        runs = list(self._store.records(RunLog, since=since, until=at))
        legs = list(self._store.records(LegSession, since=since, until=at))
        return [*runs, *legs]

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

    def _runs_on(self, at: datetime) -> list[RunLog]:
        """The runs logged on `at`'s local day."""
        start = datetime.combine(at.date(), datetime.min.time(), at.tzinfo)
        return list(self._store.records(RunLog, since=start, until=start_of_next_day(at)))  # type: ignore[arg-type]

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
        today = self.now().date()
        start = today - timedelta(days=today.weekday()) - timedelta(weeks=last)
        since = datetime.combine(start, datetime.min.time(), self.now().tzinfo)
        return weeks(
            self._store.records(LegSession, since=since),  # type: ignore[arg-type]
            self._store.records(RunLog, since=since),  # type: ignore[arg-type]
            self._store.records(CheckIn, since=since),  # type: ignore[arg-type]
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

    # --- saving: one unit of work each --------------------------------------------------

    def _check_time(self, record: Record, now: datetime) -> None:
        if record.when > now + FUTURE_TOLERANCE:
            raise StoreError(
                f"{record.kind_name} at {record.when.isoformat(timespec='minutes')} is in the "
                "future; nothing was saved."
            )

    def _same_session(self, session: LegSession) -> LegSession | None:
        window = (session.ended_at - SAME_SESSION, session.ended_at + SAME_SESSION)
        for saved in self._store.records(LegSession, since=window[0], until=window[1]):
            return saved  # type: ignore[return-value]
        return None

    def _checkin_same_day(self, at: datetime, now: datetime) -> CheckIn | None:
        day = at.astimezone(now.tzinfo).date()
        for checkin in self._store.records(
            CheckIn, since=at - timedelta(days=2), until=at + timedelta(days=2)
        ):
            if checkin.local_day(now) == day:  # type: ignore[attr-defined]
                return checkin  # type: ignore[return-value]
        return None

    def check_in(
        self,
        checkin: CheckIn,
        new_legs: LegSession | None = None,
        goal_for_profile: bool = True,
    ) -> CheckInResult:
        """Save a check-in, with the leg session it reports and its plan, in one write.

        A leg session within an hour of a saved one is that one (not saved again). A
        second check-in on the same local day replaces the first (keeping its id). The
        goal answered becomes the profile's goal (`goal_for_profile`)."""
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
            checkin = checkin.model_copy(update={"id": previous.id})
        derivation = self._derive_for(checkin, new_legs if legs_to_add else None)
        planned = checkin.model_copy(update={"recommendation": derivation.plan})
        profile = self.profile()
        new_profile = None
        if goal_for_profile and checkin.goal is not None and checkin.goal != profile.goal:
            new_profile = profile.model_copy(update={"goal": checkin.goal})
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
        self._check_time(session, self.now())
        self._commit(add=[session])
        return session

    def log_run(self, run: RunLog) -> RunLog:
        """Save a run; a "rested" said for that day is withdrawn in the same write."""
        now = self.now()
        self._check_time(run, now)
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

    # --- fixing records -----------------------------------------------------------------

    def find(self, record_id: str) -> Record:
        """A record by its id (as `history --json` prints it) or a unique start of it."""
        return _one_by_id(self.records(), record_id, "saved")

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
        self._commit(add=[record], from_trash=[str(record.id)])
        return record

    def save_profile(self, profile: Profile) -> None:
        self._commit(profile=profile)

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

    def _refresh_cache_soon(self) -> None:
        """The status cache is stale: refresh it at once, or hand that to `later`."""
        self._cache_stale = True
        if self.later is None:
            self.settle()
        else:
            self.later(self.settle)

    def settle(self) -> None:
        """Refresh the status cache if a save left it stale (the app runs this after the
        screen has shown the save; it also runs before the app exits)."""
        if not self._cache_stale:
            return
        self._cache_stale = False
        unchanged = self.change_token() == self._seen
        self.refresh_status_cache()
        if unchanged:  # our own cache write is not another process's save
            self._seen = self.change_token()

    # --- export and import ---------------------------------------------------------------

    def export_to(self, target: Path, fmt: str | None = None) -> tuple[int, str]:
        """Write the whole history (JSON, or CSV for .csv); returns (records, format)."""
        fmt = fmt or ("csv" if target.suffix.lower() == ".csv" else "json")
        records = sorted(self.records(), key=lambda r: r.when)
        if fmt == "csv":
            buffer = io.StringIO()
            write_csv((r.to_row() for r in records), buffer)
            payload = buffer.getvalue().encode("utf-8")
        else:
            document = Export.of(records, self.profile(), self.now())
            payload = document.model_dump_json(indent=1).encode("utf-8")
        try:
            atomic_write_bytes(target, payload)
        except OSError as error:
            raise StoreError(f"could not write {target}: {error.strerror or error}") from None
        return len(records), fmt

    def import_paths(
        self,
        paths: Iterable[Path],
        *,
        prefer_import: bool = False,
        dry_run: bool = False,
        progress: Callable[[Path], None] | None = None,
    ) -> ImportRun:
        """Read every file (folders recursively), then save all good records in one unit
        of work. One bad file never stops the others. Records are matched by id: a
        legcoach export keeps its ids, an activity's id comes from its source and start
        time, so importing the same activity again (or a newer export that overlaps an
        older one) adds nothing. A saved record that differs from the imported one (e.g.
        edited in legcoach) is kept; `prefer_import` takes a legcoach export's version."""
        from legcoach.importers import FileResult, expand, read

        now = self.now()
        max_hr = self.profile().max_hr
        run = ImportRun()
        for found in expand(paths):
            if isinstance(found, tuple):
                run.files.append(FileResult(found[0], error=found[1]))
                continue
            item = found.path
            if progress is not None:
                progress(item)
            result = read(item, max_hr, scanned=found.scanned)
            if result.export is not None:
                self._export_records(result, run.report)
            kept = []
            for record in result.records:
                if record.when > now + FUTURE_TOLERANCE:
                    run.report.refused.append(
                        f"{item.name}: {record.kind_name.value} dated in the future "
                        f"({record.when.isoformat(timespec='minutes')})"
                    )
                else:
                    kept.append(record)
            result.records = kept
            run.files.append(result)
        self._merge(run, prefer_import=prefer_import, dry_run=dry_run)
        return run

    def _export_records(self, result: Any, report: ImportReport) -> None:
        """A legcoach JSON export, checked record by record."""
        document = result.export
        for table, model in RECORD_TYPES.items():
            items = document.get(table) or []
            if not isinstance(items, list):
                result.error = f"a damaged {table!r} list"
                return
            for number, item in enumerate(items, 1):
                label = f"{table} #{number}" + (
                    f" ({item.get('id')})" if isinstance(item, dict) and item.get("id") else ""
                )
                try:
                    result.records.append(model.model_validate(item))
                except ValidationError as error:
                    report.refused.append(f"{result.path.name}: {label}: {explain(error)}")
        if isinstance(document.get("profile"), dict):
            try:
                result.export = {"profile": Profile.model_validate(document["profile"])}
            except ValidationError as error:
                report.refused.append(f"{result.path.name}: profile: {explain(error)}")
                result.export = {}

    def _merge(self, run: ImportRun, *, prefer_import: bool, dry_run: bool) -> None:
        report = run.report
        saved = self._store.saved_by_id()
        add: list[Record] = []
        remove: list[Record] = []
        seen: set[str] = set()
        profile = None
        blank_profile = self.profile() == Profile()
        for result in run.files:
            if result.export and blank_profile:
                profile = result.export.get("profile")
            for record in result.records:
                key = str(record.id)
                if key in seen:
                    continue
                seen.add(key)
                old = saved.get(key)
                if old is None:
                    add.append(record)
                    run.new_ids.add(key)
                elif old == record:
                    report.unchanged += 1
                else:
                    report.conflicts.append(key)
                    # Only a legcoach export's record may replace a saved one, and only
                    # when asked: a record edited in legcoach is never overwritten by a
                    # watch file or a lifting app.
                    if prefer_import and result.kind == "legcoach":
                        remove.append(old)
                        add.append(record)
        report.added = len(add) - len(remove)
        if dry_run or not (add or remove or profile):
            return
        self._commit(add=add, remove=remove, profile=profile)

    # --- status -----------------------------------------------------------------------

    def status_cache(self) -> dict[str, Any]:
        """Today's derivation, for `status` and home's first frame without the journal."""
        today = self.today()
        now = today.now
        last_legs = today.last_legs
        week = [(day.day, week_cells(day)) for day in today.week]
        records_after = next(iter(self.records(since=now + timedelta(microseconds=1))), None)
        return build_cache(
            self.path,
            now,
            today.steps,
            today.answers_until,
            last_legs.ended_at if last_legs else None,
            start_of_next_day(now) if today.checkin else None,
            week,
            self._today_for_cache(today),
            self._fit_for_cache(),
            empty_day=week_cells(Day(now.date())),
            records_after=records_after is not None,
            last_legs_detail=last_legs.effort_and_kind if last_legs else None,
        )

    def _today_for_cache(self, today: Today) -> dict[str, Any]:
        """Home's Today panel in words, and until when they hold: the next moment the
        plan can change (an unlock, the answers expiring) or midnight."""
        now = today.now
        return {
            "day": now.date().isoformat(),
            "valid_until": today.valid_until.isoformat(),
            "words": today_words(today.checkin, today.plan, today.changed, now),
        }

    def keep_status_cache(self) -> None:
        """Rebuild the status cache (through `later`, as after a save) if it cannot draw
        home's whole first frame now: on a day the history was not opened, or after
        `legcoach status` answered from its line file alone. The next start draws at once."""
        if not self.exists or serves_home(self.path, self.now()):
            return
        self._refresh_cache_soon()

    def refresh_status_cache(self) -> None:
        """Best effort: a save that succeeded never fails because of the cache. When it
        cannot be computed (e.g. another year's file is damaged) it is removed, so the
        next `status` recomputes and names the problem."""
        try:
            self._store.write_status_cache(self.status_cache())
        except (StoreError, OSError):
            self._store.remove_status_cache()

    def status(self) -> dict[str, Any]:
        cache = self.status_cache()
        if self.exists:
            self._store.write_status_cache(cache)
        return status_at(cache, self.now())


def plan_without_history(
    checkin: CheckIn, legs: LegSession | LegLoad | None, *, max_hr: int | None = None
) -> Recommendation:
    """`advise` with no database yet: the same derivation over an empty history."""
    case = coach.make_case(checkin, legs, checkin.at, profile=Profile(max_hr=max_hr))
    return coach.derive(case, checkin.at).plan


def _one_by_id(records: Iterable[Record], record_id: str, where: str) -> Record:
    """The one record whose id is `record_id` or starts with it (6 characters at least)."""
    wanted = record_id.strip().lower()
    if len(wanted) < 6:
        raise NotFound(f"an id needs at least 6 characters (got {record_id!r})")
    matches = [r for r in records if str(r.id).startswith(wanted)]
    if not matches:
        raise NotFound(f"no record {where} has the id {record_id!r}")
    if len(matches) > 1:
        raise NotFound(f"{record_id!r} starts {len(matches)} ids: give more of it")
    return matches[0]


def write_csv(rows: Iterable[dict[str, Any]], out: Any) -> None:
    """CSV for a spreadsheet: formula-like cells and control characters neutralised."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
