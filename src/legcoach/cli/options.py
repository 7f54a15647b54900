"""The parser: every command, its options, and the types that refuse a bad value."""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NoReturn

from legcoach import __version__
from legcoach.parsing import (
    MAX_AGO,
    month_first,
    parse_ahead,
    parse_day,
    parse_day_ahead,
    parse_duration,
    parse_leg_days,
    parse_race,
    parse_weekday,
    parse_weekdays,
    parse_when,
    parse_whole,
)
from legcoach.text import problem_in
from legcoach.vocab import (
    LEG_MINUTES_RANGE,
    LOGGABLE_RUN_TYPES,
    MAX_HR_RANGE,
    RACE_DISTANCES,
    RACE_KM_RANGE,
    RPE_RANGE,
    RUN_MINUTES_RANGE,
    SCALE_RANGE,
    SORENESS_RANGE,
    Experience,
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
    pass


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
    """A moment as the check-in's time answers take it: ISO, '18:00', 'yesterday 18:00',
    'monday 19:00', '2h ago' (one parser for the app and the command line)."""
    try:
        return parse_when(text, datetime.now().astimezone())
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def _ahead(text: str) -> datetime:
    try:
        return parse_ahead(text, datetime.now().astimezone())
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def _day(text: str) -> date:
    import os

    try:
        value = parse_day(text, date.today(), month_first_dates=month_first(os.environ))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))
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
    when.add_argument(
        "--at",
        type=_moment,
        metavar="WHEN",
        help=f"when {what} (default: now): 2026-12-01T18:30, 18:30, yesterday 18:30, monday 19:00",
    )
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


class Parser(argparse.ArgumentParser):
    """argparse, with errors that teach: a mistyped command gets the nearest one, and
    every usage error ends with where the help is."""

    def error(self, message: str) -> NoReturn:
        wrong = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if wrong:
            given, listed = wrong.group(1), re.findall(r"'([^']*)'", wrong.group(2))
            near = difflib.get_close_matches(given, listed, n=1, cutoff=0.6)
            if near:
                message = f"{message.split(':', 1)[0]}: unknown {given!r}; did you mean {near[0]}?"
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\nSee '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="legcoach",
        description="Should I run today, and how hard? A coach for people who lift legs and run. "
        "With no command, opens the app.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"legcoach {__version__}")
    _add_db(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

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
    run.add_argument(
        "--distance",
        metavar="DIST",
        help="how far: 10k, 10 km, 6.2mi, 5000m (a bare number in your profile's units)",
    )
    run.add_argument("--note", type=_note, default="", help="a note")


def _status_format(text: str) -> str:
    from legcoach.shell import format_problem

    problem = format_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return text


def _status_options(status: argparse.ArgumentParser) -> None:
    form = status.add_mutually_exclusive_group()
    form.add_argument(
        "--short", action="store_true", help="at most 24 columns, e.g. 'L34h easy·Q 14h'"
    )
    form.add_argument(
        "--format",
        type=_status_format,
        metavar="FORMAT",
        help="your own line from {since} {now} {next} {in} {checkin}, e.g. '{now} ({since})'",
    )
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


def _clock_time(text: str) -> Any:
    from datetime import time

    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a time of day like 07:30 (got {text!r})")


def _remind_options(remind: argparse.ArgumentParser) -> None:
    remind.add_argument(
        "--at", type=_clock_time, metavar="HH:MM", help="nudge to check in only from this time on"
    )
    remind.add_argument(
        "--if-no-checkin", action="store_true", help="only the check-in nudge, no unlock news"
    )
    timer = remind.add_mutually_exclusive_group()
    timer.add_argument(
        "--install-timer",
        action="store_true",
        help="write a systemd user timer that reminds every half hour (or print the crontab line)",
    )
    timer.add_argument("--remove-timer", action="store_true", help="take that timer out again")


def _help_options(help_parser: argparse.ArgumentParser) -> None:
    help_parser.add_argument(
        "topic", choices=["man"], help="man: the manual page (legcoach help man | man -l -)"
    )


def _completion_options(completion: argparse.ArgumentParser) -> None:
    completion.add_argument("shell", choices=["bash", "zsh", "fish"], help="your shell")


def _history_options(history: argparse.ArgumentParser) -> None:
    form = history.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="a JSON list")
    form.add_argument(
        "--csv",
        action="store_true",
        help="CSV with a header row (cells a spreadsheet would run as a formula get a leading ')",
    )
    history.add_argument(
        "--since",
        type=_day,
        metavar="DAY",
        help="only from this day on: 2026-12-19, your locale's 19/12/2026 (or 12/19/2026), "
        "yesterday, monday, last week, 7d, 2w",
    )
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


def _doctor_options(doctor: argparse.ArgumentParser) -> None:
    doctor.add_argument(
        "--tidy",
        action="store_true",
        help="remove the sync tools' conflict copies whose every save another file holds",
    )
    doctor.add_argument("--json", action="store_true", help="print one JSON object")


def _id_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the record's id (or its first 6+ characters)")


def _profile_options(profile: argparse.ArgumentParser) -> None:
    profile.add_argument("--goal", choices=choices(Goal))
    profile.add_argument(
        "--experience",
        choices=choices(Experience),
        help="how long you have run: new keeps your runs easy for the first six weeks",
    )
    hr = profile.add_mutually_exclusive_group()
    hr.add_argument("--max-hr", type=_int_range(*MAX_HR_RANGE), metavar="BPM")
    hr.add_argument("--no-max-hr", action="store_true", help="forget the max heart rate")
    profile.add_argument(
        "--units", choices=choices(Units), help="how distances are shown: km (metric) or mi"
    )
    week = profile.add_argument_group(
        "the week (what `legcoach week` plans)", "Days as mon,tue,...; 'none' for no days."
    )
    week.add_argument("--long-run", type=_weekday, metavar="DAY", help="the long run's day")
    week.add_argument("--no-long-run", action="store_true", help="no long run in the week")
    week.add_argument(
        "--quality-days", type=_weekdays, metavar="DAYS", help="days of intervals or tempo"
    )
    week.add_argument("--easy-days", type=_weekdays, metavar="DAYS", help="days of easy runs")
    week.add_argument(
        "--leg-days",
        type=_leg_days,
        metavar="DAYS[:KIND]",
        help=f"leg days, each with its kind if known ({', '.join(choices(LegKind))}): "
        "mon:heavy-strength,thu",
    )
    week.add_argument(
        "--run-time", type=_clock_time, metavar="HH:MM", help="when you run (default 07:00)"
    )
    week.add_argument(
        "--leg-time", type=_clock_time, metavar="HH:MM", help="when you lift (default 18:00)"
    )
    race = week.add_mutually_exclusive_group()
    race.add_argument(
        "--race",
        type=_race,
        metavar="DATE[:DISTANCE]",
        help=f"a race ahead: its date and distance ({', '.join(RACE_DISTANCES)} or km; "
        "default half): 2027-04-18:marathon",
    )
    race.add_argument("--no-race", action="store_true", help="forget the race")
    profile.add_argument("--json", action="store_true")


def _weekday(text: str) -> str:
    try:
        return parse_weekday(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def _weekdays(text: str) -> tuple[str, ...]:
    try:
        return parse_weekdays(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def _leg_days(text: str) -> tuple[tuple[str, str | None], ...]:
    try:
        return parse_leg_days(text, choices(LegKind))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def _race(text: str) -> tuple[date, float]:
    import os

    try:
        return parse_race(
            text,
            date.today(),
            RACE_DISTANCES,
            RACE_KM_RANGE,
            month_first_dates=month_first(os.environ),
        )
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def _future_day(text: str) -> date:
    import os

    try:
        return parse_day_ahead(text, date.today(), month_first_dates=month_first(os.environ))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error))


def _week_options(week: argparse.ArgumentParser) -> None:
    week.add_argument(
        "--from",
        dest="start",
        type=_future_day,
        metavar="DATE",
        help="the first day (default today)",
    )
    week.add_argument(
        "--weeks", type=_int_range(1, 8), default=1, metavar="N", help="how many weeks (1-8)"
    )
    week.add_argument(
        "--suggest-legs",
        type=_int_range(1, 4),
        metavar="N",
        help="place N leg days around the key runs for your goal (shown; saved with --save)",
    )
    week.add_argument(
        "--save", action="store_true", help="with --suggest-legs: save those leg days"
    )
    week.add_argument(
        "--take",
        type=_int_range(1, 99),
        metavar="N",
        help="take suggestion N (a one-off change to that week)",
    )
    week.add_argument(
        "--ics", type=_path, metavar="PATH", help="write the plan as an iCalendar file"
    )
    week.add_argument("--json", action="store_true", help="print one JSON object")


def _whatif_options(whatif: argparse.ArgumentParser) -> None:
    whatif.add_argument("what", choices=["legs"], help="what you might do: legs")
    whatif.add_argument(
        "--at",
        type=_ahead,
        metavar="TIME",
        help="when the session would end (default now): 18:30, tomorrow 18:30, in 3h",
    )
    whatif.add_argument("--rpe", type=_int_range(*RPE_RANGE), default=8, metavar="1-10")
    whatif.add_argument("--kind", choices=choices(LegKind))
    whatif.add_argument("--minutes", type=_int_range(*LEG_MINUTES_RANGE), default=60, metavar="MIN")
    whatif.add_argument("--json", action="store_true", help="print one JSON object")


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
    "profile": (
        "show or change your profile (goal, running experience, max heart rate, units, "
        "the week's key runs and leg days, a race)",
        _profile_options,
    ),
    "edit": (
        "correct a saved record: legcoach edit ID --FIELD VALUE ... (a check-in is planned again)",
        _edit_options,
    ),
    "week": (
        "the next 7 days as your week holds them (see profile): each key run and leg day "
        "at its time, what the coach will allow then, conflicts and checked suggestions",
        _week_options,
    ),
    "whatif": (
        "what a leg session would do to the next days and the week's key runs (nothing is saved)",
        _whatif_options,
    ),
    "delete": ("move a saved record to the trash (restore brings it back)", _id_options),
    "remind": (
        "for cron or a systemd timer: a desktop notification when a check-in is due or a "
        "run type unlocks (nothing when there is nothing to say)",
        _remind_options,
    ),
    "help": ("print the manual page, for `man -l -` or your man path", _help_options),
    "completion": (
        "print the shell completion script for bash, zsh or fish (see the README)",
        _completion_options,
    ),
    "restore": ("bring a deleted record back from the trash", _id_options),
    "doctor": (
        "check the history's files: the devices that save to it and when each last did, "
        "files that do not read, sync tools' conflict copies, the size (exit 1 when a "
        "file needs you)",
        _doctor_options,
    ),
}
