"""Export and import: the whole history to a file, and files into it in one unit of work."""

import csv
import io
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from legcoach.clock import FUTURE_TOLERANCE
from legcoach.coach import RUNG_PLANS
from legcoach.journal.usecases import UseCases
from legcoach.models import (
    CSV_COLUMNS,
    RECORD_TYPES,
    Export,
    LegSession,
    Profile,
    Record,
    RunLog,
    RunType,
    explain,
)
from legcoach.planner import WeekPlan
from legcoach.storage.files import StoreError, atomic_write_bytes
from legcoach.text import csv_cell


@dataclass
class ImportReport:
    added: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    deleted: int = 0  # records you deleted: never imported again (restore brings them back)


@dataclass
class ImportRun:
    """What an import read, file by file, and what it saved."""

    files: list[Any] = field(default_factory=list)  # importers.FileResult
    report: ImportReport = field(default_factory=ImportReport)
    new_ids: set[str] = field(default_factory=set)
    deleted_ids: set[str] = field(default_factory=set)
    merged: dict[str, Any] = field(default_factory=dict)  # read id -> the saved session

    @property
    def unreadable(self) -> int:
        return sum(1 for f in self.files if f.error)


class Transfer(UseCases):
    """Writes exports, reads imports and merges them by record id."""

    def export_to(self, target: Path, fmt: str | None = None) -> tuple[int, str]:
        """Write the whole history (JSON, or CSV for .csv); returns (records, format).
        Never over the database's own files (resolved, links followed)."""
        self._refuse_own_file(target)
        fmt = fmt or ("csv" if target.suffix.lower() == ".csv" else "json")
        records = sorted(self.records(), key=lambda r: r.when)
        if fmt == "csv":
            buffer = io.StringIO()
            write_csv((r.to_row() for r in records), buffer)
            payload = buffer.getvalue().encode("utf-8")
        else:
            document = Export.of(records, self.profile(), self.now())
            payload = document.model_dump_json(indent=1).encode("utf-8")
        self._write_out(target, payload)
        return len(records), fmt

    def write_calendar(self, target: Path, plan: WeekPlan) -> int:
        """The week plan as an iCalendar file, with today's unlocks in its days; returns
        the number of events. Never over the database's own files."""
        from legcoach.ics import calendar_bytes

        self._refuse_own_file(target)
        now = self.now()
        end = datetime.combine(plan.start, datetime.min.time(), now.tzinfo) + timedelta(
            days=plan.days
        )
        unlocks = [step for step in self.today().steps[1:] if now < step.at < end]
        self._write_out(target, calendar_bytes(plan, unlocks, now))
        return len(plan.plans) + len(unlocks)

    def _refuse_own_file(self, target: Path) -> None:
        if self._is_own_file(target):
            raise StoreError(
                f"{target} is one of the database's own files; choose another path. "
                "Nothing was written."
            )

    @staticmethod
    def _write_out(target: Path, payload: bytes) -> None:
        """A file written for the user (an export, a calendar), whole or not at all."""
        try:
            atomic_write_bytes(target, payload)
        except OSError as error:
            raise StoreError(f"could not write {target}: {error.strerror or error}") from None

    def _is_own_file(self, target: Path) -> bool:
        """The database file, anything in its folder of year files, or a file beside it
        named after it (its lock, backups, status cache)."""
        db = self.path.resolve()
        where = target.expanduser().resolve()
        folder = self._store.shard_dir.resolve()
        beside = where.parent == db.parent and where.name.startswith(db.name + ".")
        return where in (db, folder) or folder in where.parents or beside

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
        from legcoach.importers import FileResult, expand, read_all

        now = self.now()
        max_hr = self.profile().max_hr
        run = ImportRun()
        sports: dict[str, str] = {}
        for found in expand(paths):
            if isinstance(found, tuple):
                run.files.append(FileResult(found[0], error=found[1]))
                continue
            item = found.path
            if progress is not None:
                progress(item)
            for result in read_all(item, max_hr, scanned=found.scanned, sports=sports):
                sports.update(result.sports)  # Strava's activities.csv comes before its files
                if result.export is not None:
                    self._export_records(result, run.report)
                kept = []
                for record in result.records:
                    if record.when > now + FUTURE_TOLERANCE:
                        run.report.refused.append(
                            f"{result.path.name}: {record.kind_name.value} dated in the "
                            f"future ({record.when.isoformat(timespec='minutes')})"
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
        saved = self._store.saved_matching(r for result in run.files for r in result.records)
        deleted = self._store.deleted_matching(r for result in run.files for r in result.records)
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
                if old is None and key in deleted:
                    # Deleted by you: an import of the same folder never brings it back.
                    report.deleted += 1
                    run.deleted_ids.add(key)
                elif old is None:
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
        from_devices = {
            str(r.id) for result in run.files if result.kind != "legcoach" for r in result.records
        }
        add = self._with_estimated_effort(add, from_devices)
        add, remove = self._one_per_session(run, add, remove, from_devices)
        report.added = len(add) - len(remove)
        if dry_run or not (add or remove or profile):
            return
        self._commit(add=add, remove=remove, profile=profile)

    def _with_estimated_effort(self, add: list[Record], from_devices: set[str]) -> list[Record]:
        """Imported runs without an effort get one, said to be estimated: the RPE cap of
        the run type heart rate gave, or, without heart rate, a run type and RPE from
        the pace against this person's own easy pace (the median of their easy runs with
        a distance in the last 90 days). Without either, the effort stays unknown."""
        runs = [
            r for r in add if isinstance(r, RunLog) and str(r.id) in from_devices and r.rpe is None
        ]
        if not runs:
            return add
        easy_pace = self._usual_easy_pace(min(r.at for r in runs))
        estimated: dict[str, Record] = {}
        for run in runs:
            run_type = run.run_type
            if run_type is None and easy_pace and run.distance_m:
                run_type = pace_run_type(run.minutes / (run.distance_m / 1000), easy_pace)
            if run_type is None or run_type == RunType.WALK:
                continue
            estimated[str(run.id)] = run.model_copy(
                update={
                    "run_type": run_type,
                    "rpe": RUNG_PLANS[run_type].max_rpe,  # the run type's own RPE cap
                    "estimated": True,
                }
            )
        return [estimated.get(str(r.id), r) for r in add]

    def _usual_easy_pace(self, before: datetime) -> float | None:
        """Minutes per km of this person's easy and recovery runs (median), if 3 or more."""
        paces = [
            r.minutes / (r.distance_m / 1000)
            for r in self._store.records(RunLog, since=before - timedelta(days=90), until=before)
            if r.run_type in (RunType.EASY, RunType.RECOVERY)
            and r.distance_m
            and r.distance_m > 500
        ]
        return statistics.median(paces) if len(paces) >= 3 else None

    def _one_per_session(
        self, run: ImportRun, add: list[Record], remove: list[Record], from_devices: set[str]
    ) -> tuple[list[Record], list[Record]]:
        """Records read from devices and apps that overlap a saved one (or one read before
        them) in time and kind are the same session: a typed record keeps what the
        person typed and gains what the device measured; a second device's copy adds
        nothing."""
        candidates = [
            r for r in add if str(r.id) in from_devices and isinstance(r, RunLog | LegSession)
        ]
        if not candidates:
            return add, remove
        since = min(r.when for r in candidates) - timedelta(days=1)
        until = max(r.when for r in candidates) + timedelta(days=1)
        known: list[RunLog | LegSession] = [
            *self._store.records(RunLog, since=since, until=until),
            *self._store.records(LegSession, since=since, until=until),
        ]
        removed_ids = {str(r.id) for r in remove}
        known = [r for r in known if str(r.id) not in removed_ids]
        kept: list[Record] = []
        for record in add:
            twin = (
                next((k for k in known if same_session(k, record)), None)
                if record in candidates
                else None
            )
            if twin is None:
                kept.append(record)
                if isinstance(record, RunLog | LegSession):
                    known.append(record)
                continue
            run.new_ids.discard(str(record.id))
            run.merged[str(record.id)] = twin
            if twin.source is None and isinstance(record, RunLog | LegSession):
                # Typed: keep what was typed, add what was measured.
                merged = merged_with_device(twin, record)
                if merged != twin:
                    if twin in kept:
                        kept[kept.index(twin)] = merged
                    else:
                        remove.append(twin)
                        kept.append(merged)
                    known[known.index(twin)] = merged
        return kept, remove


def pace_run_type(pace: float, easy_pace: float) -> RunType:
    """A run's type from its pace (min/km) against the person's easy pace: 15 % faster
    is quality, 5 % steady, within 10 % slower easy, slower still recovery."""
    speed = easy_pace / pace  # above 1: faster than easy
    if speed >= 1.15:
        return RunType.QUALITY
    if speed >= 1.05:
        return RunType.STEADY
    if speed >= 0.9:
        return RunType.EASY
    return RunType.RECOVERY


# Two records are one session when they overlap by this share of the shorter one, or
# start within SAME_START of each other (two watches on one run start a second apart).
SAME_SESSION_OVERLAP = 0.5
SAME_START = timedelta(minutes=2)
USUAL_LEG_MINUTES = 60


def span(record: RunLog | LegSession) -> tuple[datetime, datetime]:
    if isinstance(record, RunLog):
        start = record.started_at or record.at - timedelta(minutes=record.minutes)
        return start, record.at
    minutes = record.minutes or USUAL_LEG_MINUTES
    return record.ended_at - timedelta(minutes=minutes), record.ended_at


def same_session(a: RunLog | LegSession, b: Record) -> bool:
    """The same real session recorded twice (typed and from a watch, or two devices)."""
    if not isinstance(b, RunLog | LegSession) or type(a) is not type(b):
        return False
    if isinstance(a, RunLog) and isinstance(b, RunLog):
        walks = (a.run_type == RunType.WALK, b.run_type == RunType.WALK)
        if walks[0] != walks[1]:
            return False
    (a0, a1), (b0, b1) = span(a), span(b)
    if abs(a0 - b0) <= SAME_START:
        return True
    overlap = (min(a1, b1) - max(a0, b0)).total_seconds()
    shorter = min((a1 - a0).total_seconds(), (b1 - b0).total_seconds())
    return shorter > 0 and overlap >= SAME_SESSION_OVERLAP * shorter


def merged_with_device(
    typed: RunLog | LegSession, measured: RunLog | LegSession
) -> RunLog | LegSession:
    """A typed record with what a device measured added: exact times, distance, heart
    rate, minutes; what the person typed (effort, type, legs felt, kind, note) stays."""
    if isinstance(typed, RunLog) and isinstance(measured, RunLog):
        # The first device's times stand; a second device adds only what is missing.
        timed = typed.started_at is not None
        return typed.model_copy(
            update={
                "at": typed.at if timed else measured.at,
                "started_at": typed.started_at if timed else measured.started_at,
                "minutes": typed.minutes if timed else measured.minutes,
                "distance_m": typed.distance_m or measured.distance_m,
                "avg_hr": typed.avg_hr or measured.avg_hr,
                "max_hr": typed.max_hr or measured.max_hr,
                "run_type": typed.run_type or measured.run_type,
                "sport": typed.sport or measured.sport,
            }
        )
    if isinstance(typed, LegSession) and isinstance(measured, LegSession):
        return typed.model_copy(
            update={
                "minutes": typed.minutes or measured.minutes,
                "kind": typed.kind or measured.kind,
                "rpe": typed.rpe if typed.rpe is not None else measured.rpe,
            }
        )
    return typed


def write_csv(rows: Iterable[dict[str, Any]], out: Any) -> None:
    """CSV for a spreadsheet: formula-like cells and control characters neutralised."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
