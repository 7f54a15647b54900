"""The commands: each reads its options, calls the journal, prints through `output`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legcoach.cli.output import import_line, import_progress, print_plan, saved_line
from legcoach.clock import FUTURE_TOLERANCE
from legcoach.text import visible
from legcoach.vocab import SHORT_ID

if TYPE_CHECKING:
    from legcoach.journal import Journal
    from legcoach.models import CheckIn, LegSession
    from legcoach.recovery import LegLoad


def _open_app(db: Path) -> int:
    from legcoach.tui.app import exit_now, run

    exit_now(run(db))


def _status(db: Path, args: argparse.Namespace) -> int:
    from legcoach.glance import read_fresh_cache, status_at, write_status_line

    now = datetime.now().astimezone()
    cache = read_fresh_cache(db.resolve(), now)
    # The cache answers without pydantic; when stale, the journal recomputes and rewrites
    # it. Here the quick line file did not answer (the launcher tried it first): renew it.
    if cache:
        write_status_line(db.resolve(), cache)
    status = status_at(cache, now) if cache else _journal(db, create=False).status()
    from legcoach.shell import status_line

    style = "short" if args.short else args.format or "default"
    print(json.dumps(status, allow_nan=False) if args.json else status_line(status, style))
    return 0


def _journal(db: Path, create: bool = True) -> Journal:
    from legcoach.journal import Journal

    return Journal.open(db, create=create)


def _when(args: argparse.Namespace) -> datetime:
    now = datetime.now().astimezone()
    if args.at is not None:
        if args.at > now + FUTURE_TOLERANCE:
            args.command_parser.error(
                f"argument --at: is in the future ({args.at.isoformat(timespec='minutes')})"
            )
        return args.at
    return now - args.ago if args.ago is not None else now


def _answers(
    args: argparse.Namespace, journal: Journal | None, at: datetime
) -> tuple[CheckIn, LegSession | LegLoad | None]:
    """Build the check-in and the leg session it speaks of from the options."""
    from legcoach.models import CheckIn, LegSession, RedFlag
    from legcoach.recovery import LegLoad

    parser = args.command_parser
    if args.leg_rpe is not None and args.hours_since_legs is None:
        parser.error("argument --leg-rpe: needs --hours-since-legs (the workout it rates)")
    if args.leg_kind is not None and args.hours_since_legs is None:
        parser.error("argument --leg-kind: needs --hours-since-legs (the workout it describes)")
    legs: LegSession | LegLoad | None = None
    if args.hours_since_legs is not None:
        ended_at = at - timedelta(hours=args.hours_since_legs)
        legs = (
            LegSession(ended_at=ended_at, rpe=args.leg_rpe, kind=args.leg_kind)
            if args.leg_rpe is not None
            else LegLoad(ended_at, None, args.leg_kind)  # effort unknown: counted as hard
        )
    elif not args.no_legs and journal is not None:
        legs = journal.last_leg_session(before=at)
    flags = {
        flag
        for flag, given in (
            (RedFlag.SHAKY_LEGS, args.shaky),
            (RedFlag.POOR_COORDINATION, args.uncoordinated),
            (RedFlag.SHARP_PAIN, args.pain),
        )
        if given
    }
    checkin = CheckIn(
        at=at,
        soreness=args.soreness,
        red_flags=frozenset(flags),
        goal=args.goal,
        fuel=args.fuel,
        sleep=args.sleep,
        energy=args.energy,
        stress=args.stress,
        warmup=args.warmup,
    )
    return checkin, legs


def _cmd_advise(db: Path, args: argparse.Namespace) -> int:
    from legcoach.journal import plan_without_history

    needs_store = args.hours_since_legs is None and not args.no_legs
    journal = _journal(db, create=False) if needs_store or db.exists() else None
    now = datetime.now().astimezone()
    checkin, legs = _answers(args, journal, now)
    if journal is None:
        plan = plan_without_history(checkin, legs, max_hr=args.max_hr)
    else:
        # The leg session given (or denied) on the command line stands in for the saved
        # ones; otherwise the saved ones count, as for `checkin`.
        plan = journal.advise(checkin, "saved" if needs_store else legs, max_hr=args.max_hr)
    print_plan(plan, args.json)
    return 0


def _cmd_today(db: Path, args: argparse.Namespace) -> int:
    from legcoach.timeline import first_allowed, format_hours

    journal = _journal(db, create=False)
    today = journal.today()
    now = today.now
    plan = today.plan
    if args.json:
        document = {
            "date": now.date().isoformat(),
            "checked_in": today.checkin is not None,
            "checkin_at": today.checkin.at.isoformat() if today.checkin else None,
            "plan": plan.to_public_json(),
            "run_type_now": today.allowed_at(now).value,
            "next_unlock": plan.to_public_json()["next_unlock"],
            "unlocks": [
                {
                    "run_type": rung,
                    "at": step.at.isoformat() if step else None,
                    "allowed": step is not None and step.at <= now,
                    "assumes_soreness": step.assumes_soreness if step else None,
                }
                for rung, step in first_allowed(today.steps).items()
            ],
            "runs_today": [run.summary(journal.profile().units) for run in today.runs],
        }
        print(json.dumps(document, allow_nan=False))
        return 0
    if today.checkin is None:
        print("No check-in today: this plan uses only your history (legcoach checkin).")
    else:
        print(f"Checked in at {today.checkin.at.astimezone(now.tzinfo):%H:%M}.")
    if today.changed:
        print(f"Plan {today.changed}.")
    print_plan(plan, False)
    print("Timeline:")
    for rung, step in first_allowed(today.steps).items():
        if step is not None and step.at <= now:
            print(f"  {rung:<9} allowed now")
        elif step is not None:
            print(
                f"  {rung:<9} {step.at.astimezone(now.tzinfo):%a %H:%M} "
                f"(in {format_hours((step.at - now).total_seconds() / 3600)})"
            )
        else:
            print(f"  {rung:<9} not by time alone")
    for run in today.runs:
        print(f"Done today: {visible(run.summary(journal.profile().units), one_line=True)}")
    return 0


def _cmd_checkin(db: Path, args: argparse.Namespace) -> int:
    from legcoach.models import LegSession

    if args.hours_since_legs is not None and args.leg_rpe is None:
        args.command_parser.error(
            "argument --leg-rpe: is required with --hours-since-legs when saving"
        )
    journal = _journal(db)
    checkin, legs = _answers(args, journal, _when(args))
    new_legs = legs if isinstance(legs, LegSession) and args.hours_since_legs is not None else None
    result = journal.check_in(checkin, new_legs)
    stored = result.checkin
    assert stored.recommendation is not None
    if result.replaced and not args.json:
        print(f"Updated today's check-in ({stored.day:%a %d %b}) instead of adding another.")
    print_plan(stored.recommendation, args.json)
    return 0


def _cmd_log_legs(db: Path, args: argparse.Namespace) -> int:
    from legcoach.models import LegSession

    session = LegSession(
        ended_at=_when(args),
        rpe=args.rpe,
        kind=args.kind,
        minutes=args.minutes,
        note=args.note,
    )
    print(saved_line(session, _journal(db).log_legs(session)))
    return 0


def _cmd_log_run(db: Path, args: argparse.Namespace) -> int:
    from legcoach.models import RunLog
    from legcoach.parsing import parse_distance
    from legcoach.vocab import Units

    journal = _journal(db)
    distance = None
    units = journal.profile().units
    if args.distance is not None:
        imperial = units == Units.IMPERIAL
        try:
            distance = parse_distance(args.distance, imperial=imperial)
        except ValueError as problem:
            args.command_parser.error(f"argument --distance: {problem}")
    run = RunLog(
        at=_when(args),
        run_type=args.run_type,
        minutes=args.minutes,
        rpe=args.rpe,
        legs_felt=args.legs_felt,
        note=args.note,
        distance_m=distance,
    )
    print(saved_line(run, journal.log_run(run), units))
    return 0


def _cmd_history(db: Path, args: argparse.Namespace) -> int:
    from itertools import islice

    from legcoach.journal import write_csv

    journal = _journal(db, create=False)
    units = journal.profile().units
    since = datetime.combine(args.since, datetime.min.time()).astimezone() if args.since else None
    records = islice(journal.records(args.kind, since=since), args.limit)
    if args.json:
        # JSON escapes every control character itself: the export stays exact.
        print(
            json.dumps(
                [{"record": r.kind_name.value, **r.model_dump(mode="json")} for r in records],
                allow_nan=False,
            )
        )
    elif args.csv:
        write_csv((r.to_row() for r in records), sys.stdout)
    else:
        shown = 0
        for record in records:
            summary = visible(record.summary(units), one_line=True)
            note = getattr(record, "note", "")
            note_text = f"  “{visible(note, one_line=True)}”" if note else ""
            print(
                f"{str(record.id)[:SHORT_ID]}  {record.when.astimezone():%Y-%m-%d %H:%M}  "
                f"{record.kind_name.value:<8} {summary}{note_text}"
            )
            shown += 1
        if not shown:
            print("No history yet. Log a leg workout with `legcoach log-legs --rpe N`.")
    return 0


def _cmd_export(db: Path, args: argparse.Namespace) -> int:
    target = Path(args.path).expanduser()
    count, fmt = _journal(db, create=False).export_to(target, args.format)
    print(f"Exported {count} records to {visible(target, one_line=True)} ({fmt}).")
    return 0


def _cmd_import(db: Path, args: argparse.Namespace) -> int:
    paths = [Path(text).expanduser() for text in args.paths]
    journal = _journal(db)
    with import_progress(len(paths)) as advance:
        run = journal.import_paths(
            paths, prefer_import=args.prefer_import, dry_run=args.dry_run, progress=advance
        )
    for result in run.files:
        line = import_line(run, result, dry_run=args.dry_run)
        # Files that could not be read are errors: on stderr, like every other error.
        out = sys.stderr if result.error else sys.stdout
        # Sport names and parser messages come from the file: plain text, like the path.
        print(f"{visible(result.path, one_line=True)}: {visible(line, one_line=True)}", file=out)
    report = run.report
    verb = "Would import" if args.dry_run else "Imported"
    unreadable = f"; {run.unreadable} could not be read" if run.unreadable else ""
    if report.deleted:
        unreadable = (
            f"; {report.deleted} you deleted, kept out (restore brings one back)" + unreadable
        )
    files = len(run.files)
    records = "record" if report.added == 1 else "records"
    print(
        f"{verb} {report.added} new {records} from {files} file{'' if files == 1 else 's'} "
        f"({report.unchanged} already saved{unreadable})."
    )
    if report.conflicts:
        first = ", ".join(report.conflicts[:3]) + ("…" if len(report.conflicts) > 3 else "")
        kept = (
            "took the imported ones from legcoach exports"
            if args.prefer_import
            else "kept the saved ones; --prefer-import takes a legcoach export's"
        )
        print(
            f"{len(report.conflicts)} conflicts (saved with the same id, other content: "
            f"{first}); {kept}."
        )
    for line in report.refused:
        print(f"refused: {visible(line, one_line=True)}")
    return 1 if report.refused or run.unreadable else 0


def _cmd_profile(db: Path, args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    if args.goal:
        changes["goal"] = args.goal
    if args.experience:
        changes["experience"] = args.experience
    if args.max_hr:
        changes["max_hr"] = args.max_hr
    if args.no_max_hr:
        changes["max_hr"] = None
    if args.units:
        changes["units"] = args.units
    week = _week_changes(args)
    if args.race:
        day, km = args.race
        changes["race"] = {"on": day, "km": km}
    if args.no_race:
        changes["race"] = None
    journal = _journal(db, create=bool(changes or week))
    profile = journal.profile()
    if changes or week:
        merged_week = {**profile.week.model_dump(), **week}
        _refuse_double_days(args, merged_week)
        profile = profile.model_validate({**profile.model_dump(), **changes, "week": merged_week})
        journal.save_profile(profile)
    if args.json:
        print(profile.model_dump_json())
    else:
        from legcoach.cli.output import week_template_lines

        goal = profile.goal.label if profile.goal else "not set"
        experience = profile.experience.label if profile.experience else "not set"
        hr = f"{profile.max_hr} bpm" if profile.max_hr else "not set"
        print(
            f"goal: {goal}\nexperience: {experience}\nmax heart rate: {hr}\n"
            f"units: {profile.units.value}\ntheme: {visible(profile.theme or 'legcoach-dark', one_line=True)}"
        )
        for line in week_template_lines(profile):
            print(line)
    return 0


def _week_changes(args: argparse.Namespace) -> dict[str, Any]:
    week: dict[str, Any] = {}
    if args.long_run:
        week["long_run"] = args.long_run
    if args.no_long_run:
        week["long_run"] = None
    for name in ("quality_days", "easy_days", "run_time", "leg_time"):
        if getattr(args, name) is not None:
            week[name] = getattr(args, name)
    if args.leg_days is not None:
        week["leg_days"] = [{"day": day, "kind": kind} for day, kind in args.leg_days]
    return week


def _refuse_double_days(args: argparse.Namespace, week: dict[str, Any]) -> None:
    """A day holds one key run: the long run, a quality day or an easy day."""
    from legcoach.planner import key_run_clash

    clash = key_run_clash(week["long_run"], week["quality_days"], week["easy_days"])
    if clash:
        args.command_parser.error(
            f"{clash}: one key run a day (change the other with its option, or 'none')"
        )


def _cmd_week(db: Path, args: argparse.Namespace) -> int:
    from legcoach import planner
    from legcoach.cli.output import print_week

    journal = _journal(db, create=bool(args.take or args.save))
    if args.save and not args.suggest_legs:
        args.command_parser.error("argument --save: only with --suggest-legs N")
    if journal.profile().week.is_empty and not args.suggest_legs:
        print(
            "Your week is not set yet. Say what it holds, for example:\n"
            "  legcoach profile --long-run sun --quality-days tue,thu --easy-days wed,sat "
            "--leg-days mon:heavy-strength,fri"
        )
        return 0
    days = 7 * args.weeks
    if args.suggest_legs:
        placed = journal.place_leg_days(args.suggest_legs, args.start)
        if args.save:
            journal.save_leg_days(placed.days)
        if args.json:
            print(
                json.dumps(
                    {
                        "leg_days": [
                            {"day": d.day.value, "kind": d.kind.value if d.kind else None}
                            for d in placed.days
                        ],
                        "why": list(placed.why),
                        "saved": bool(args.save),
                        "week": planner.to_public_json(placed.plan),
                    },
                    allow_nan=False,
                )
            )
            return 0
        print(f"Leg days that fit your week best ({len(placed.days)}):")
        for why in placed.why:
            print(f"  {visible(why)}")
        left = [p for p in placed.plan.plans if not p.ok]
        if left:
            print(f"Still in conflict with them ({len(left)}):")
            for p in left:
                print(f"  {p.session.name()}: {p.why[0]}")
        print(
            "Saved as your leg days."
            if args.save
            else f"Save them with: legcoach week --suggest-legs {args.suggest_legs} --save"
        )
        return 0
    plan = journal.week_plan(args.start, days=days)
    if args.take:
        numbered = planner.numbered_suggestions(plan)
        if not 1 <= args.take <= len(numbered):
            args.command_parser.error(
                f"argument --take: no suggestion {args.take} (this week has {len(numbered)})"
            )
        chosen = numbered[args.take - 1]
        assert chosen.suggestion is not None
        journal.take_week_change(chosen.suggestion.change)
        print(f"Taken: {chosen.suggestion.text}.")
        plan = journal.week_plan(args.start, days=days)
    if args.ics:
        count = journal.write_calendar(Path(args.ics), plan)
        print(
            f"Wrote {count} events to {visible(args.ics)}.",
            file=sys.stderr if args.json else sys.stdout,
        )
    if args.json:
        print(json.dumps(planner.to_public_json(plan), allow_nan=False))
    elif not args.ics or args.take:
        print_week(plan)
    return 0


def _cmd_whatif(db: Path, args: argparse.Namespace) -> int:
    from legcoach.cli.output import print_whatif
    from legcoach.models import LegSession

    journal = _journal(db, create=False)
    at = args.at or datetime.now().astimezone()
    session = LegSession(ended_at=at, rpe=args.rpe, kind=args.kind, minutes=args.minutes)
    answer = journal.whatif(session)
    if args.json:
        print(json.dumps(answer.to_public_json(), allow_nan=False))
    else:
        print_whatif(answer)
    return 0


# `edit` options named otherwise than the field they change (the time is always --at).
EDIT_OPTION = {"ended_at": "at"}
EDIT_FLAG = {"run_type": "type", "legs_felt": "legs"}


def _cmd_edit(db: Path, args: argparse.Namespace) -> int:
    from legcoach.models import EDITABLE_FIELDS

    journal = _journal(db, create=False)
    record = journal.find(args.id)
    allowed = {EDIT_OPTION.get(field, field): field for field in EDITABLE_FIELDS[record.kind_name]}
    every_option = {EDIT_OPTION.get(f, f) for fields in EDITABLE_FIELDS.values() for f in fields}
    given = {
        option: value for option in every_option if (value := getattr(args, option)) is not None
    }
    if not given:
        args.command_parser.error("say what to change, e.g. --rpe 7 (see legcoach edit --help)")
    wrong = sorted(option for option in given if option not in allowed)
    if wrong:
        flags = ", ".join(f"--{EDIT_FLAG.get(option, option)}" for option in wrong)
        args.command_parser.error(f"{flags} does not apply to a {record.kind_name.value} record")
    if "at" in given and given["at"] > datetime.now().astimezone() + FUTURE_TOLERANCE:
        args.command_parser.error("argument --at: is in the future")
    new = journal.edit(str(record.id), {allowed[option]: value for option, value in given.items()})
    units = journal.profile().units
    print(
        f"Updated: {visible(new.summary(units), one_line=True)} "
        f"({new.when.astimezone():%a %d %b %H:%M})."
    )
    return 0


def _cmd_doctor(db: Path, args: argparse.Namespace) -> int:
    """Devices, files that did not read, conflict copies, size. Exit 1 when a file did
    not read (the user has to look at it), else 0."""
    journal = _journal(db, create=False)
    if not journal.exists:
        print(f"No history at {visible(db, one_line=True)} yet: nothing to check.")
        return 0
    removed = journal.tidy() if args.tidy else []
    survey = journal.survey()
    if args.json:
        print(
            json.dumps(
                {
                    "device": survey.device,
                    "devices": [
                        {
                            "device": d.device,
                            "this": d.this,
                            "last_saved": d.last_saved.isoformat() if d.last_saved else None,
                            "files": d.files,
                            "bytes": d.size,
                        }
                        for d in survey.devices
                    ],
                    "unreadable": {str(path): why for path, why in survey.unreadable.items()},
                    "conflict_copies": [str(path) for path in survey.copies],
                    "redundant_copies": [str(path) for path in survey.removable],
                    "removed": [str(path) for path in removed],
                    "bytes": survey.size,
                }
            )
        )
        return 1 if survey.unreadable else 0
    print(f"History: {visible(journal.path, one_line=True)} ({_size_text(survey.size)})")
    print(f"This computer saves as device {survey.device}.")
    if not survey.devices:
        print("No device has saved yet (only the single-device files are there).")
    for device in survey.devices:
        when = (
            f"{device.last_saved.astimezone():%a %d %b %Y %H:%M}" if device.last_saved else "never"
        )
        this = " (this computer)" if device.this else ""
        print(
            f"  device {visible(device.device, one_line=True)}{this}: last saved {when}, "
            f"{device.files} {'file' if device.files == 1 else 'files'}, "
            f"{_size_text(device.size)}"
        )
    for path in removed:
        print(f"Removed {visible(path.name, one_line=True)}: every save in it is in another file.")
    if survey.copies:
        print(
            f"{len(survey.copies)} conflict copies (a sync tool's; their saves are read like "
            "any other file's):"
        )
        for path in survey.copies:
            fate = (
                "redundant, `legcoach doctor --tidy` removes it"
                if path in survey.removable
                else "holds saves no other file has, kept"
            )
            print(f"  {visible(path, one_line=True)}: {fate}")
    if survey.unreadable:
        print(f"{len(survey.unreadable)} files need you (each says what is wrong with it):")
        for why in survey.unreadable.values():
            print(f"  {visible(why, one_line=True)}")
        return 1
    print("All is well.")
    return 0


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1_048_576:.1f} MiB" if size >= 1_048_576 else f"{size / 1024:.0f} KiB"


def _cmd_delete(db: Path, args: argparse.Namespace) -> int:
    journal = _journal(db, create=False)
    record = journal.delete(args.id)
    print(
        f"Deleted: {visible(record.summary(journal.profile().units), one_line=True)} "
        f"({record.when.astimezone():%a %d %b %H:%M}). "
        f"`legcoach restore {str(record.id)[:8]}` brings it back."
    )
    return 0


def _cmd_restore(db: Path, args: argparse.Namespace) -> int:
    journal = _journal(db, create=False)
    record = journal.restore(args.id)
    print(f"Restored: {visible(record.summary(journal.profile().units), one_line=True)}.")
    return 0


# The record ids a shell offers after edit, delete and restore: plain history's first column.
IDS_COMMAND = "legcoach history --limit 200 2>/dev/null | cut -d' ' -f1"


def _cmd_completion(db: Path, args: argparse.Namespace) -> int:
    """The completion script, generated from the parser by shtab (imported only here)."""
    import shtab

    from legcoach.cli.options import build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions if parser._subparsers else []
    for action in commands:
        assert isinstance(action.choices, dict)
        for name, child in action.choices.items():
            for option in child._actions:
                if option.dest == "id" and name in ("edit", "delete", "restore"):
                    option.complete = shtab.cmd(IDS_COMMAND)
    print(shtab.complete(parser, args.shell))
    return 0


MAN_SECTIONS = {
    "exit status": (
        "0 done. 1 a problem at run time: a damaged or foreign database file, a database "
        "busy in another process, a failed save, an import with refused records. 2 a bad "
        "option or value: the message names it and says what is allowed."
    ),
    "files": (
        "The history: legcoach.json (the schema) and legcoach.json.d/devices/ID/, one "
        "folder per computer that saves, written by that computer alone (a TinyDB file a "
        "year, changes.jsonl, device.json), in the user data directory "
        "(~/.local/share/legcoach on Linux); safe in a Syncthing or Dropbox folder. Per "
        "computer, never synced: the state directory's legcoach/ (device-id, and per "
        "database the write lock, the open marker, status.json and status.line). "
        "Themes: the user config directory's legcoach/themes/*.toml."
    ),
    "environment": (
        "LEGCOACH_DB: the database file to use (as --db). XDG_DATA_HOME, XDG_CONFIG_HOME "
        "and XDG_STATE_HOME move the data, config and state directories. NO_COLOR: no "
        "colour in the app."
    ),
}


def _cmd_remind(db: Path, args: argparse.Namespace) -> int:
    from legcoach import remind
    from legcoach.paths import reminder_note_path

    command = f"{sys.executable} -m legcoach --db {db.resolve()} remind"
    if args.at is not None:
        command += f" --at {args.at:%H:%M}"
    if args.if_no_checkin:
        command += " --if-no-checkin"
    if args.install_timer or args.remove_timer:
        return _remind_timer(remind, command, install=args.install_timer)
    now = datetime.now().astimezone()
    status = _journal(db, create=False).status()
    note_path = reminder_note_path()
    reminder, note = remind.what_to_say(
        status,
        now,
        remind.read_note(note_path),
        from_time=args.at,
        only_without_checkin=args.if_no_checkin,
    )
    remind.write_note(note_path, note)
    if reminder is not None:
        remind.deliver(reminder)
    return 0


def _remind_timer(remind: Any, command: str, *, install: bool) -> int:
    import os
    import shutil

    folder = remind.units_dir(os.environ)
    units = remind.systemd_units(command)
    if not install:
        removed = [name for name in units if (folder / name).exists()]
        for name in removed:
            (folder / name).unlink()
        print(f"Removed {', '.join(removed)}." if removed else "No legcoach timer was installed.")
        if removed:
            print(f"Then: systemctl --user disable --now {remind.TIMER_NAME}.timer")
        return 0
    if shutil.which("systemctl") is None:
        print("No systemd here; add this line with `crontab -e`:")
        print(remind.crontab_line(command))
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in units.items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"Wrote {', '.join(units)} to {folder}.")
    print(
        f"Then: systemctl --user daemon-reload && systemctl --user enable --now {remind.TIMER_NAME}.timer"
    )
    return 0


def _cmd_help(db: Path, args: argparse.Namespace) -> int:
    """The manual page, generated from the same parser (argparse-manpage, imported here
    only), with the exit statuses, the files on disk and the environment."""
    from argparse_manpage.manpage import Manpage

    from legcoach import __version__
    from legcoach.cli.options import build_parser

    page = Manpage(
        build_parser(),
        _data={
            "project_name": "legcoach",
            "version": __version__,
            "manual_section": 1,
            "manual_title": "legcoach manual",
            "description": "a terminal coach for people who lift legs and run",
        },
    )
    for heading, text in MAN_SECTIONS.items():
        page.add_section(heading, "=", text)
    print(str(page))
    return 0


_COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {
    "edit": _cmd_edit,
    "delete": _cmd_delete,
    "doctor": _cmd_doctor,
    "restore": _cmd_restore,
    "completion": _cmd_completion,
    "help": _cmd_help,
    "remind": _cmd_remind,
    "advise": _cmd_advise,
    "today": _cmd_today,
    "checkin": _cmd_checkin,
    "log-legs": _cmd_log_legs,
    "log-run": _cmd_log_run,
    "history": _cmd_history,
    "export": _cmd_export,
    "import": _cmd_import,
    "profile": _cmd_profile,
    "week": _cmd_week,
    "whatif": _cmd_whatif,
}
