"""The training journal: what the CLI and the app do with the history.

Joins the store (what was saved) with the coach (what it means now). Every save goes
through here so that the status cache for `legcoach status` is refreshed with it.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from legcoach import coach
from legcoach.clock import Clock, local_now
from legcoach.models import (
    CSV_COLUMNS,
    KIND_TYPES,
    LADDER,
    CheckIn,
    Export,
    LegSession,
    Override,
    Profile,
    Recommendation,
    RunLog,
    explain,
)
from legcoach.recovery import DEFAULT_DECAY, SorenessDecay, fit_decay
from legcoach.storage.files import StoreError, atomic_write_bytes
from legcoach.storage.snapshot import CACHE_VERSION, status_at
from legcoach.storage.store import Store

HISTORY_WINDOW = timedelta(days=8)
# The personal recovery rate is fitted to the last half year of leg days.
PERSONAL_FIT_WINDOW = timedelta(days=182)


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

    @functools.cached_property
    def decay(self) -> SorenessDecay:
        """The user's own soreness decay once the history allows a fit, else the default."""
        return self.personal_decay() or DEFAULT_DECAY

    def personal_decay(self) -> SorenessDecay | None:
        since = self.now() - PERSONAL_FIT_WINDOW
        sessions = list(self.store.records(LegSession, since=since, newest_first=False))
        checkins = list(self.store.records(CheckIn, since=since, newest_first=False))
        readings: list[list[tuple[float, float]]] = []
        for index, session in enumerate(sessions):
            end = sessions[index + 1].ended_at if index + 1 < len(sessions) else None
            readings.append(
                [
                    ((c.at - session.ended_at).total_seconds() / 3600, float(c.soreness))
                    for c in checkins
                    if c.soreness is not None
                    and c.at > session.ended_at
                    and (end is None or c.at < end)
                ]
            )
        return fit_decay(readings)

    def _forget_decay(self) -> None:
        self.__dict__.pop("decay", None)

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
        self._forget_decay()
        self.refresh_status_cache()
        return stored, replaced

    def record_override(self, checkin: CheckIn, override: Override, note: str = "") -> CheckIn:
        updated = checkin.model_copy(update={"override": override, "override_note": note})
        self.store.replace(updated)
        self.refresh_status_cache()
        return updated

    def log_legs(self, session: LegSession) -> None:
        self.store.add(session)
        self._forget_decay()
        self.refresh_status_cache()

    def log_run(self, run: RunLog) -> None:
        self.store.add(run)
        self.refresh_status_cache()

    def save_profile(self, profile: Profile) -> None:
        self.store.save_profile(profile)
        self.refresh_status_cache()

    # --- export and import ---------------------------------------------------------------

    def export_to(self, target: Path, fmt: str | None = None) -> tuple[int, str]:
        """Write the whole history (JSON, or CSV for .csv); returns (records, format)."""
        fmt = fmt or ("csv" if target.suffix.lower() == ".csv" else "json")
        records = [
            record
            for model in KIND_TYPES.values()
            for record in self.store.records(model, newest_first=False)
        ]
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(r.to_row() for r in sorted(records, key=lambda r: r.when))
            payload = buffer.getvalue().encode("utf-8")
        else:
            document = Export.of(records, self.profile(), self.now())
            payload = document.model_dump_json(indent=1).encode("utf-8")
        try:
            atomic_write_bytes(target, payload)
        except OSError as error:
            raise StoreError(f"could not write {target}: {error.strerror or error}") from None
        return len(records), fmt

    def import_from(self, source: Path) -> tuple[int, int]:
        """Add the records of a JSON export not saved yet; returns (added, already saved)."""
        try:
            raw = source.read_bytes()
        except OSError as error:
            raise StoreError(f"cannot read {source}: {error.strerror or error}") from None
        try:
            document = Export.model_validate_json(raw)
        except ValidationError as error:
            problem = (
                "is not valid JSON"
                if any(e["type"] == "json_invalid" for e in error.errors())
                else f"is not a legcoach export ({explain(error)[:300]})"
            )
            raise StoreError(f"{source} {problem}; nothing was imported.") from None
        records = document.records()
        added = self.store.import_records(records)
        if document.profile and self.profile() == Profile():
            self.store.save_profile(document.profile)
        self._forget_decay()
        self.refresh_status_cache()
        return added, len(records) - added

    def update_soreness(self, soreness: int) -> CheckIn:
        """A new soreness reading: today's check-in changes (or starts) with it."""
        now = self.now()
        today = self.store.checkin_on(now.date())
        base = (
            today.model_copy(update={"soreness": soreness, "at": now, "recommendation": None})
            if today
            else CheckIn(at=now, soreness=soreness)
        )
        return self.check_in(base)[0]

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
