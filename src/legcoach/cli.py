"""The command line. Bare `legcoach` opens the app; the subcommands never import Textual,
so a shell prompt or a tmux status line can call `legcoach status` every few seconds.

Exit status: 0 done, 1 a problem at run time (damaged or locked database, failed save),
2 a bad option (the message names it and says what is allowed).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legcoach import __version__
from legcoach.clock import FUTURE_TOLERANCE
from legcoach.launch import bare_app_db
from legcoach.parsing import MAX_AGO, parse_duration, parse_moment, parse_whole
from legcoach.text import problem_in, visible
from legcoach.vocab import (
    LEG_MINUTES_RANGE,
    LOGGABLE_RUN_TYPES,
    MAX_HR_RANGE,
    RPE_RANGE,
    RUN_MINUTES_RANGE,
    SCALE_RANGE,
    SORENESS_RANGE,
    Fuel,
    Goal,
    LegKind,
    LegsFelt,
    RecordKind,
    Units,
    choices,
    widest_range,
)

if TYPE_CHECKING:
    from legcoach.journal import Journal
    from legcoach.models import Recommendation

EPILOG = """\
Your history lives in the platform's user data directory (see `legcoach --help` on
--db); LEGCOACH_DB or --db PATH points legcoach at another file.

examples:
  legcoach                                   open the app (check-in, plan, timer, history)
  legcoach log-legs --ago 3h --rpe 8 --kind heavy-strength
  legcoach advise --soreness 4 --hours-since-legs 30 --leg-rpe 8 --goal endurance
  legcoach checkin --soreness 3 --sleep 4 --fuel meal --warmup
  legcoach log-run --type easy --minutes 35 --rpe 4 --legs fine
  legcoach today                             today's saved plan and when each run unlocks
  legcoach status                            one line for a prompt or tmux status bar
  legcoach history --since 2026-01-01 --csv > history.csv
"""


# --- option types: each rejects a bad value with a message naming what is allowed -----


def _int_range(low: int, high: int, what: str = "a whole number") -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = parse_whole(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {what} from {low} to {high} (got {text!r})")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {what} from {low} to {high} (got {value})")
        return value

    return parse


def _hours(text: str) -> float:
    try:
        if not text.strip().isascii():
            raise ValueError(text)
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of hours, 0 or more (got {text!r})")
    if not 0 <= value <= MAX_AGO.total_seconds() / 3600 or value != value:
        raise argparse.ArgumentTypeError(f"must be a number of hours from 0 to 87600 (got {text})")
    return value


def _duration(text: str) -> timedelta:
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def _moment(text: str) -> datetime:
    try:
        return parse_moment(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def _day(text: str) -> date:
    try:
        if not text.strip().isascii():
            raise ValueError(text)
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date like 2026-01-31 (got {text!r})")
    if not 1970 <= value.year < 9999:  # beyond these the date arithmetic overflows
        raise argparse.ArgumentTypeError(f"must be a date from 1970 on (got {text!r})")
    return value


def _note(text: str) -> str:
    if len(text) > 500:
        raise argparse.ArgumentTypeError(f"must be at most 500 characters (got {len(text)})")
    problem = problem_in(text)
    if problem:
        raise argparse.ArgumentTypeError(f"{problem}; newline and tab are the only controls kept")
    return text


def _path(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    if "\x00" in text:
        raise argparse.ArgumentTypeError("must not contain a NUL character")
    return text


# --- the parser -----------------------------------------------------------------------


def _add_db(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=_path,
        default=default,
        help="the history file (default: $LEGCOACH_DB, else the user data dir)",
    )


def _add_when(parser: argparse.ArgumentParser, what: str) -> None:
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--at", type=_moment, metavar="ISO", help=f"when {what} (default: now)")
    when.add_argument(
        "--ago", type=_duration, metavar="DURATION", help=f"how long ago {what}, e.g. 3h or 1d2h"
    )


def _add_answers(parser: argparse.ArgumentParser) -> None:
    """The check-in questions, shared by `advise` and `checkin`."""
    parser.add_argument(
        "--soreness",
        type=_int_range(*SORENESS_RANGE),
        required=True,
        metavar="0-10",
        help="leg soreness now, 0 (none) to 10 (worst)",
    )
    legs = parser.add_mutually_exclusive_group()
    legs.add_argument(
        "--hours-since-legs",
        type=_hours,
        metavar="H",
        help="hours since the last leg workout (default: from your history)",
    )
    legs.add_argument("--no-legs", action="store_true", help="no recent leg workout")
    parser.add_argument(
        "--leg-rpe",
        type=_int_range(*RPE_RANGE),
        metavar="1-10",
        help="effort of that leg workout (unknown counts as hard)",
    )
    parser.add_argument("--leg-kind", choices=choices(LegKind), help="kind of leg workout")
    parser.add_argument(
        "--goal",
        choices=choices(Goal),
        help="training goal (default: your profile's; `checkin` saves it as your profile's goal)",
    )
    parser.add_argument(
        "--fuel", choices=choices(Fuel), help="carbs since the leg workout / before the run"
    )
    parser.add_argument("--shaky", action="store_true", help="red flag: shaky or trembling legs")
    parser.add_argument("--uncoordinated", action="store_true", help="red flag: poor coordination")
    parser.add_argument("--pain", action="store_true", help="red flag: sharp or joint pain")
    parser.add_argument(
        "--sleep", type=_int_range(*SCALE_RANGE), metavar="1-5", help="sleep quality"
    )
    parser.add_argument(
        "--energy", type=_int_range(*SCALE_RANGE), metavar="1-5", help="energy level"
    )
    parser.add_argument(
        "--stress",
        type=_int_range(*SCALE_RANGE),
        metavar="1-5",
        help="stress, 1 (calm) to 5 (very stressed); 4 or more drops a rung like poor sleep",
    )
    parser.add_argument(
        "--warmup",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether you will warm up first",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legcoach",
        description="Should I run today, and how hard? A coach for people who lift legs and run. "
        "With no command, opens the app.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"legcoach {__version__}")
    _add_db(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        child = sub.add_parser(name, help=help_text, description=help_text)
        _add_db(child, argparse.SUPPRESS)
        child.set_defaults(command_parser=child)
        return child

    for name, (help_text, add_options) in _SUBCOMMANDS.items():
        add_options(command(name, help_text))
    return parser


def _advise_options(advise: argparse.ArgumentParser) -> None:
    _add_answers(advise)
    advise.add_argument(
        "--max-hr", type=_int_range(*MAX_HR_RANGE), metavar="BPM", help="max heart rate"
    )
    advise.add_argument("--json", action="store_true", help="print one JSON object")


def _checkin_options(checkin: argparse.ArgumentParser) -> None:
    _add_answers(checkin)
    _add_when(checkin, "you checked in")
    checkin.add_argument("--json", action="store_true", help="print the plan as JSON")


def _log_legs_options(legs: argparse.ArgumentParser) -> None:
    _add_when(legs, "it ended")
    legs.add_argument(
        "--rpe",
        type=_int_range(*RPE_RANGE),
        required=True,
        metavar="1-10",
        help="how hard it was, 1-10",
    )
    legs.add_argument("--kind", choices=choices(LegKind), help="what kind of session")
    legs.add_argument(
        "--minutes",
        type=_int_range(*LEG_MINUTES_RANGE),
        metavar="MIN",
        help="how long it took ({}-{})".format(*LEG_MINUTES_RANGE),
    )
    legs.add_argument("--note", type=_note, default="", help="a note")


def _log_run_options(run: argparse.ArgumentParser) -> None:
    _add_when(run, "it ended")
    run.add_argument(
        "--type",
        dest="run_type",
        choices=[t.value for t in LOGGABLE_RUN_TYPES],
        required=True,
        help="run type (a walk counts too)",
    )
    run.add_argument(
        "--minutes",
        type=_int_range(*RUN_MINUTES_RANGE),
        required=True,
        metavar="MIN",
        help="how long ({}-{})".format(*RUN_MINUTES_RANGE),
    )
    run.add_argument("--rpe", type=_int_range(*RPE_RANGE), required=True, metavar="1-10")
    run.add_argument(
        "--legs", dest="legs_felt", choices=choices(LegsFelt), help="how the legs felt"
    )
    run.add_argument("--note", type=_note, default="", help="a note")


def _status_options(status: argparse.ArgumentParser) -> None:
    status.add_argument(
        "--json",
        action="store_true",
        help="keys: hours_since_legs, run_type_now, next_unlock (run_type, in_hours, at, "
        "assumes_soreness), checked_in_today",
    )


def _today_options(today: argparse.ArgumentParser) -> None:
    today.add_argument(
        "--json",
        action="store_true",
        help="keys: date, checked_in, checkin_at, plan (as advise --json), run_type_now, "
        "next_unlock, unlocks (run_type, at or null, allowed, assumes_soreness), runs_today",
    )


def _history_options(history: argparse.ArgumentParser) -> None:
    form = history.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="a JSON list")
    form.add_argument(
        "--csv",
        action="store_true",
        help="CSV with a header row (cells a spreadsheet would run as a formula get a leading ')",
    )
    history.add_argument("--since", type=_day, metavar="DATE", help="only from this date on")
    history.add_argument(
        "--kind", choices=choices(RecordKind), action="append", help="only this kind (repeatable)"
    )
    history.add_argument(
        "--limit", type=_int_range(1, 10_000_000), metavar="N", help="at most N rows"
    )


def _export_options(export: argparse.ArgumentParser) -> None:
    export.add_argument("path", metavar="PATH", type=_path)
    export.add_argument("--format", choices=("json", "csv"), help="default: from the file name")


def _import_options(imp: argparse.ArgumentParser) -> None:
    imp.add_argument(
        "paths",
        metavar="PATH",
        nargs="+",
        type=_path,
        help="files or folders (scanned recursively): FIT, GPX, TCX (also .gz), Strong or "
        "Hevy CSV, a legcoach JSON export",
    )
    imp.add_argument(
        "--prefer-import",
        action="store_true",
        help="when a record is saved with the same id but other content, take the imported "
        "one (default: keep the saved one and report the conflict)",
    )
    imp.add_argument(
        "--dry-run", action="store_true", help="show what would be imported; change nothing"
    )


def _edit_options(edit: argparse.ArgumentParser) -> None:
    edit.add_argument("id", metavar="ID", help="the record's id, as `history --json` prints it")
    edit.add_argument(
        "--at", type=_moment, metavar="ISO", help="when (a run or legs: when it ended)"
    )
    edit.add_argument("--rpe", type=_int_range(*RPE_RANGE), metavar="1-10")
    edit.add_argument(
        "--minutes",
        type=_int_range(*widest_range("minutes")),
        metavar="MIN",
        help="leg sessions {}-{}, runs {}-{}".format(*LEG_MINUTES_RANGE, *RUN_MINUTES_RANGE),
    )
    edit.add_argument("--kind", choices=choices(LegKind), help="leg sessions")
    edit.add_argument(
        "--type", dest="run_type", choices=[t.value for t in LOGGABLE_RUN_TYPES], help="runs"
    )
    edit.add_argument("--legs", dest="legs_felt", choices=choices(LegsFelt), help="runs")
    edit.add_argument("--note", type=_note, help="leg sessions and runs")
    edit.add_argument("--soreness", type=_int_range(*SORENESS_RANGE), metavar="0-10")
    edit.add_argument("--sleep", type=_int_range(*SCALE_RANGE), metavar="1-5", help="check-ins")
    edit.add_argument("--energy", type=_int_range(*SCALE_RANGE), metavar="1-5", help="check-ins")
    edit.add_argument("--stress", type=_int_range(*SCALE_RANGE), metavar="1-5", help="check-ins")
    edit.add_argument("--fuel", choices=choices(Fuel), help="check-ins")
    edit.add_argument("--goal", choices=choices(Goal), help="check-ins")
    edit.add_argument("--warmup", action=argparse.BooleanOptionalAction, default=None)


def _id_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the record's id (or its first 6+ characters)")


def _profile_options(profile: argparse.ArgumentParser) -> None:
    profile.add_argument("--goal", choices=choices(Goal))
    hr = profile.add_mutually_exclusive_group()
    hr.add_argument("--max-hr", type=_int_range(*MAX_HR_RANGE), metavar="BPM")
    hr.add_argument("--no-max-hr", action="store_true", help="forget the max heart rate")
    profile.add_argument(
        "--units", choices=choices(Units), help="how distances are shown: km (metric) or mi"
    )
    profile.add_argument("--json", action="store_true")


_SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "advise": ("print today's recommendation without saving anything", _advise_options),
    "checkin": ("answer the daily check-in and save it with its plan", _checkin_options),
    "log-legs": ("save a leg workout", _log_legs_options),
    "log-run": ("save a run (or walk) you did", _log_run_options),
    "today": (
        "today's plan and timeline as the app's plan screen shows them (nothing is asked)",
        _today_options,
    ),
    "status": ("one line: time since legs, run allowed now, next unlock", _status_options),
    "history": (
        "list saved leg sessions, check-ins, soreness updates and runs, newest first",
        _history_options,
    ),
    "export": ("write the whole history to a file (JSON, or CSV for .csv)", _export_options),
    "import": (
        "add runs from watch files (FIT, GPX, TCX), leg days from Strong or Hevy, or a "
        "legcoach export; the same records again add nothing",
        _import_options,
    ),
    "profile": ("show or change your profile (goal, max heart rate, units)", _profile_options),
    "edit": (
        "correct a saved record: legcoach edit ID --FIELD VALUE ... (a check-in is planned again)",
        _edit_options,
    ),
    "delete": ("move a saved record to the trash (restore brings it back)", _id_options),
    "restore": ("bring a deleted record back from the trash", _id_options),
}


# --- running it -----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    from legcoach import paths

    argv = sys.argv[1:] if argv is None else list(argv)
    if any("\udc80" <= char <= "\udcff" for arg in argv for char in arg):
        # Bytes that are not UTF-8 (decoded by Python as surrogate escapes).
        print("legcoach: error: an argument is not valid UTF-8 text", file=sys.stderr)
        return 2
    bare, db_option = bare_app_db(argv)
    if bare:
        return _run_guarded(lambda: _open_app(paths.db_path(db_option)))
    parser = build_parser()
    args = parser.parse_args(argv)
    db = paths.db_path(args.db)
    if args.command is None:
        return _run_guarded(lambda: _open_app(db))
    if args.command == "status":
        return _run_guarded(lambda: _status(db, args))
    return _run_guarded(lambda: _COMMANDS[args.command](db, args))


def _run_guarded(command: Callable[[], int]) -> int:
    try:
        return command()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # one clear line, never a traceback
        return fail(error)


def fail(error: Exception) -> int:
    from pydantic import ValidationError

    from legcoach.errors import Locked, StoreError

    if isinstance(error, ValidationError):
        # A value the options let through but the record refuses (e.g. a time that is
        # 1970 locally but 1969 in UTC): a bad value, said in words.
        from legcoach.models import explain

        print(f"legcoach: error: {visible(explain(error), one_line=True)}", file=sys.stderr)
        return 2
    if isinstance(error, Locked):
        message = f"{error}; try again in a moment."
    elif isinstance(error, StoreError):
        message = str(error)
    elif isinstance(error, OSError):
        message = f"{error.filename or 'file'}: {error.strerror or error}"
    else:
        message = f"unexpected error: {type(error).__name__}: {error}"
    # Paths and file contents in the message are outside text: never a terminal escape.
    print(f"legcoach: error: {visible(message, one_line=True)}", file=sys.stderr)
    return 1


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
    from legcoach.launch import status_line

    print(json.dumps(status) if args.json else status_line(status))
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


def _answers(args: argparse.Namespace, journal: Journal | None, at: datetime):
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


def _print_plan(plan: Recommendation, as_json: bool) -> None:
    from legcoach.timeline import format_hours

    if as_json:
        print(json.dumps(plan.to_public_json()))
        return
    low, high = plan.duration_min
    title = plan.run_type.label.upper()
    length = f", {low}-{high} min" if high else ""
    print(f"Today: {title}{length}")
    hr = f" · heart rate <= {plan.max_hr_bpm} bpm" if plan.max_hr_bpm else ""
    if plan.max_rpe:
        print(f"Cap: RPE <= {plan.max_rpe}/10{hr}. {plan.talk_test}")
    else:
        print(plan.talk_test)
    print("Why:")
    for reason in plan.reasons:
        print(f"  {'*' if reason.binding else '-'} {reason}")
    if plan.cautions:
        print("Before you go:" if plan.duration_min[1] else "Instead:")
        for caution in plan.cautions:
            print(f"  ! {caution}")
    if plan.next_unlock:
        unlock = plan.next_unlock
        terms = "".join(f", {term}" for term in unlock.conditions())
        print(
            f"Next: {unlock.run_type.value} unlocks in {format_hours(unlock.in_hours)} "
            f"({unlock.at.astimezone():%a %H:%M}{terms})"
        )


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
    _print_plan(plan, args.json)
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
            "runs_today": [run.summary() for run in today.runs],
        }
        print(json.dumps(document, allow_nan=False))
        return 0
    if today.checkin is None:
        print("No check-in today: this plan uses only your history (legcoach checkin).")
    else:
        print(f"Checked in at {today.checkin.at.astimezone(now.tzinfo):%H:%M}.")
    if today.changed:
        print(f"Plan {today.changed}.")
    _print_plan(plan, False)
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
        print(f"Done today: {visible(run.summary(), one_line=True)}")
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
    _print_plan(stored.recommendation, args.json)
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
    _journal(db).log_legs(session)
    print(f"Saved {session.summary()} ({session.ended_at:%a %d %b %H:%M}).")
    return 0


def _cmd_log_run(db: Path, args: argparse.Namespace) -> int:
    from legcoach.models import RunLog

    run = RunLog(
        at=_when(args),
        run_type=args.run_type,
        minutes=args.minutes,
        rpe=args.rpe,
        legs_felt=args.legs_felt,
        note=args.note,
    )
    _journal(db).log_run(run)
    print(f"Saved {run.summary()} ({run.at:%a %d %b %H:%M}).")
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
                [{"record": r.kind_name.value, **r.model_dump(mode="json")} for r in records]
            )
        )
    elif args.csv:
        write_csv((r.to_row() for r in records), sys.stdout)
    else:
        shown = 0
        for record in records:
            summary = visible(record.summary(units), one_line=True)  # type: ignore[attr-defined]
            note = getattr(record, "note", "")
            note_text = f"  “{visible(note, one_line=True)}”" if note else ""
            print(
                f"{record.when.astimezone():%Y-%m-%d %H:%M}  {record.kind_name.value:<8} "
                f"{summary}{note_text}"
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
    with _progress(len(paths)) as advance:
        run = journal.import_paths(
            paths, prefer_import=args.prefer_import, dry_run=args.dry_run, progress=advance
        )
    for result in run.files:
        line = run.line_for(result, dry_run=args.dry_run)
        # Files that could not be read are errors: on stderr, like every other error.
        out = sys.stderr if result.error else sys.stdout
        # Sport names and parser messages come from the file: plain text, like the path.
        print(f"{visible(result.path, one_line=True)}: {visible(line, one_line=True)}", file=out)
    report = run.report
    verb = "Would import" if args.dry_run else "Imported"
    unreadable = f"; {run.unreadable} could not be read" if run.unreadable else ""
    print(
        f"{verb} {report.added} new records from {len(run.files)} files "
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


@contextlib.contextmanager
def _progress(count: int) -> Iterator[Callable[[Path], None] | None]:
    """A progress bar on a terminal for long imports (Rich's, which Textual brings)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=None)
        yield lambda path: bar.advance(task)


def _cmd_profile(db: Path, args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {}
    if args.goal:
        changes["goal"] = args.goal
    if args.max_hr:
        changes["max_hr"] = args.max_hr
    if args.no_max_hr:
        changes["max_hr"] = None
    if args.units:
        changes["units"] = args.units
    journal = _journal(db, create=bool(changes))
    profile = journal.profile()
    if changes:
        profile = profile.model_validate({**profile.model_dump(), **changes})
        journal.save_profile(profile)
    if args.json:
        print(profile.model_dump_json())
    else:
        goal = profile.goal.label if profile.goal else "not set"
        hr = f"{profile.max_hr} bpm" if profile.max_hr else "not set"
        print(f"goal: {goal}\nmax heart rate: {hr}\nunits: {profile.units.value}")
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
    print(
        f"Updated: {visible(new.summary(), one_line=True)} ({new.when.astimezone():%a %d %b %H:%M})."
    )
    return 0


def _cmd_delete(db: Path, args: argparse.Namespace) -> int:
    record = _journal(db, create=False).delete(args.id)
    print(
        f"Deleted: {visible(record.summary(), one_line=True)} "  # type: ignore[attr-defined]
        f"({record.when.astimezone():%a %d %b %H:%M}). "
        f"`legcoach restore {str(record.id)[:8]}` brings it back."
    )
    return 0


def _cmd_restore(db: Path, args: argparse.Namespace) -> int:
    record = _journal(db, create=False).restore(args.id)
    print(f"Restored: {visible(record.summary(), one_line=True)}.")  # type: ignore[attr-defined]
    return 0


_COMMANDS: dict[str, Callable[[Path, argparse.Namespace], int]] = {
    "edit": _cmd_edit,
    "delete": _cmd_delete,
    "restore": _cmd_restore,
    "advise": _cmd_advise,
    "today": _cmd_today,
    "checkin": _cmd_checkin,
    "log-legs": _cmd_log_legs,
    "log-run": _cmd_log_run,
    "history": _cmd_history,
    "export": _cmd_export,
    "import": _cmd_import,
    "profile": _cmd_profile,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
