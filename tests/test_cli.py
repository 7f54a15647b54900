"""The installed `legcoach` command, run as a user's shell would run it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

BIN = Path(sys.executable).with_name("legcoach")
LEGCOACH = str(BIN) if BIN.exists() else shutil.which("legcoach")


def cli(
    *args: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    assert LEGCOACH, "legcoach is not installed in this environment"
    done = subprocess.run(
        [LEGCOACH, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def error_line(stderr: str) -> str:
    """The one line that says what is wrong (argparse's usage comes before it, the
    pointer to --help after it)."""
    lines = [line for line in stderr.strip().splitlines() if ": error: " in line]
    assert len(lines) == 1, stderr
    return lines[0]


def bad(*args: str) -> subprocess.CompletedProcess[str]:
    done = cli(*args, check=False)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done


def test_version_and_help() -> None:
    assert cli("--version").stdout.startswith("legcoach ")
    text = cli("--help").stdout
    for command in (
        "advise",
        "checkin",
        "log-legs",
        "log-run",
        "status",
        "history",
        "export",
        "import",
        "--db",
        "LEGCOACH_DB",
    ):
        assert command in text
    for command in (
        "advise",
        "checkin",
        "log-legs",
        "log-run",
        "status",
        "history",
        "export",
        "import",
        "profile",
    ):
        assert "usage: legcoach " + command in cli(command, "--help").stdout


def test_python_dash_m_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "legcoach", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout == cli("--version").stdout


def test_advise_json_contract_and_saves_nothing(db_path: Path) -> None:
    done = cli(
        "advise",
        "--soreness",
        "3",
        "--hours-since-legs",
        "30",
        "--leg-rpe",
        "9",
        "--goal",
        "endurance",
        "--fuel",
        "meal",
        "--sleep",
        "4",
        "--json",
    )
    plan = json.loads(done.stdout)
    assert plan["run_type"] == "easy"
    assert plan["duration_min"] == [30, 60]
    assert plan["max_rpe"] == 4
    assert plan["reasons"] and all(isinstance(r, str) for r in plan["reasons"])
    assert isinstance(plan["cautions"], list)
    assert plan["next_unlock"]["run_type"] in ("steady", "quality")
    assert plan["next_unlock"]["in_hours"] == pytest.approx(18, abs=0.1)
    assert not db_path.exists()


@pytest.mark.parametrize("flag", ["--shaky", "--pain", "--uncoordinated"])
def test_advise_on_a_red_flag_is_rest_and_says_why(flag: str) -> None:
    plan = json.loads(cli("advise", "--soreness", "1", "--no-legs", flag, "--json").stdout)
    assert plan["run_type"] == "rest"
    assert plan["next_unlock"] is None
    assert any("Red flag" in reason for reason in plan["reasons"])


def test_advise_text_names_the_plan_and_the_reasons() -> None:
    out = cli("advise", "--soreness", "8", "--hours-since-legs", "20", "--leg-rpe", "8").stdout
    assert out.startswith("Today: WALK, 20-40 min")
    assert "Soreness 8/10" in out and "RPE <= 2" in out


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["advise", "--soreness", "11"], "--soreness"),
        (["advise", "--soreness", "x"], "--soreness"),
        (["advise"], "--soreness"),
        (["advise", "--soreness", "2", "--sleep", "0"], "--sleep"),
        (["advise", "--soreness", "2", "--goal", "bulk"], "--goal"),
        (["advise", "--soreness", "2", "--hours-since-legs", "-3"], "--hours-since-legs"),
        (["advise", "--soreness", "2", "--leg-rpe", "5"], "--leg-rpe"),
        (["advise", "--soreness", "2", "--no-legs", "--hours-since-legs", "3"], "--no-legs"),
        (["log-legs", "--rpe", "11"], "--rpe"),
        (["log-legs", "--rpe", "5", "--at", "2026-02-30T10:00"], "--at"),
        (["log-legs", "--rpe", "5", "--at", "yesterday"], "--at"),
        (["log-legs", "--rpe", "5", "--at", "2026-11-01"], "--at"),
        (["log-legs", "--rpe", "5", "--at", "2999-01-01T10:00"], "future"),
        (["log-legs", "--rpe", "5", "--ago", "3 weeks"], "--ago"),
        (["log-run", "--type", "sprint", "--minutes", "30", "--rpe", "5"], "--type"),
        (["log-run", "--type", "easy", "--minutes", "0", "--rpe", "5"], "--minutes"),
        (["history", "--since", "2026-13-01"], "--since"),
        (["checkin", "--soreness", "3", "--hours-since-legs", "4"], "--leg-rpe"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_values_exit_2_naming_the_option(args: list[str], names: Any, db_path: Path) -> None:
    done = bad(*args)
    last_line = error_line(done.stderr)
    assert last_line.startswith("legcoach")
    assert names in last_line
    assert not db_path.exists() or args[0] == "checkin"


def test_log_status_checkin_history_round_trip(db_path: Path) -> None:
    cli("log-legs", "--ago", "30h", "--rpe", "8", "--kind", "heavy-strength", "--minutes", "60")
    status = json.loads(cli("status", "--json").stdout)
    assert status["hours_since_legs"] == pytest.approx(30, abs=0.05)
    assert status["run_type_now"] == "easy"
    assert status["next_unlock"]["run_type"] == "steady"
    assert status["next_unlock"]["in_hours"] == pytest.approx(18, abs=0.05)
    line = cli("status").stdout.strip()
    assert "legs 30h ago" in line and "easy now" in line and "\n" not in line

    cli("checkin", "--soreness", "7", "--sleep", "3", "--fuel", "meal", "--warmup")
    again = cli("checkin", "--soreness", "2", "--sleep", "4", "--fuel", "meal", "--warmup")
    assert "Updated today's check-in" in again.stdout
    assert json.loads(cli("status", "--json").stdout)["checked_in_today"] is True
    cli("log-run", "--type", "easy", "--minutes", "35", "--rpe", "4", "--legs", "fine")

    rows = json.loads(cli("history", "--json").stdout)
    assert [row["record"] for row in rows] == ["run", "checkin", "legs"]
    assert rows[1]["soreness"] == 2 and rows[1]["recommendation"]["run_type"] == "easy"
    csv_text = cli("history", "--csv", "--kind", "run").stdout.splitlines()
    assert csv_text[0].startswith("record,id,when") and len(csv_text) == 2
    assert cli("history", "--since", "2999-01-01").stdout.startswith("No history")


def test_db_option_and_environment_pick_the_file(tmp_path: Path, db_path: Path) -> None:
    other = tmp_path / "elsewhere.json"
    cli("--db", str(other), "log-legs", "--rpe", "4")
    cli("log-run", "--db", str(other), "--type", "walk", "--minutes", "20", "--rpe", "2")
    assert other.exists() and not db_path.exists()
    assert len(json.loads(cli("history", "--json", env={"LEGCOACH_DB": str(other)}).stdout)) == 2


def test_export_then_import_twice_adds_nothing(tmp_path: Path, db_path: Path) -> None:
    cli("log-legs", "--ago", "2d", "--rpe", "7")
    cli("checkin", "--soreness", "3")
    export = tmp_path / "out.json"
    cli("export", str(export))
    fresh = tmp_path / "fresh.json"
    first = cli("--db", str(fresh), "import", str(export)).stdout
    second = cli("--db", str(fresh), "import", str(export)).stdout
    assert "Imported 2 new" in first and "Imported 0 new" in second
    assert cli("--db", str(fresh), "history", "--json").stdout == cli("history", "--json").stdout
    csv_out = tmp_path / "out.csv"
    cli("export", str(csv_out))
    assert csv_out.read_text().startswith("record,id,when")


@pytest.mark.parametrize("content", [b"\x00garbage", b'{"meta": {"1": {"app": "legc', b"{}"])
def test_a_damaged_database_gives_one_line_and_is_kept(db_path: Path, content: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    for args in (
        ["status"],
        ["log-legs", "--rpe", "5"],
        ["history"],
        ["checkin", "--soreness", "1"],
    ):
        done = cli(*args, check=False)
        assert done.returncode == 1
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        assert str(db_path) in done.stderr
    assert db_path.read_bytes() == content


def test_importing_a_foreign_file_changes_nothing(tmp_path: Path, db_path: Path) -> None:
    cli("log-legs", "--rpe", "5")
    before = cli("history", "--json").stdout
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": 1}')
    done = cli("import", str(junk), check=False)
    assert done.returncode == 1 and "not a legcoach export" in done.stderr
    assert cli("history", "--json").stdout == before


def test_status_without_a_database_creates_nothing(db_path: Path) -> None:
    assert "no legs logged" in cli("status").stdout
    assert not db_path.exists()


def test_profile_sets_the_goal_used_by_advise(db_path: Path) -> None:
    cli("profile", "--goal", "muscle", "--max-hr", "190")
    assert json.loads(cli("profile", "--json").stdout)["goal"] == "muscle"
    plan = json.loads(cli("advise", "--soreness", "0", "--no-legs", "--json").stdout)
    assert plan["run_type"] == "easy" and plan["duration_min"][1] <= 30
    assert plan["max_hr_bpm"] == 150


def test_the_app_fast_path_takes_only_a_bare_command_or_db() -> None:
    from legcoach.shell import bare_app_db

    assert bare_app_db([]) == (True, None)
    assert bare_app_db(["--db", "x.json"]) == (True, "x.json")
    assert bare_app_db(["--db=x.json"]) == (True, "x.json")
    for argv in (
        ["--help"],
        ["status"],
        ["--db", "x", "status"],
        ["--db", "--help"],
        ["--version"],
        ["--db="],
    ):
        assert bare_app_db(argv)[0] is False


def test_one_margin_for_a_time_ahead_of_the_clock(db_path: Path) -> None:
    """A time up to 15 minutes ahead (another device's clock) is saved by every door;
    beyond it, each refuses in one line. It was 5 minutes in the command line and the
    app's forms, 15 in the journal."""
    from datetime import datetime, timedelta

    from legcoach.clock import FUTURE_TOLERANCE
    from legcoach.parsing import parse_when

    now = datetime.now().astimezone().replace(microsecond=0)
    soon = (now + timedelta(minutes=10)).isoformat()
    late = (now + FUTURE_TOLERANCE + timedelta(minutes=5)).isoformat()
    assert parse_when(soon, now) == now + timedelta(minutes=10)
    with pytest.raises(ValueError, match="in the future"):
        parse_when(late, now)
    assert cli("log-legs", "--rpe", "5", "--at", soon).returncode == 0
    refused = cli("log-legs", "--rpe", "5", "--at", late, check=False)
    assert refused.returncode == 2 and "future" in refused.stderr
    last = error_line(refused.stderr)
    assert last.startswith("legcoach log-legs: error:") and "Traceback" not in refused.stderr


def test_logging_the_same_session_twice_saves_it_once() -> None:
    """Issue 26 item 2: a leg session (or a run of the same type) within an hour of a
    saved one is that one, as in the check-in; the second command says so, exit 0."""
    first = cli("log-legs", "--ago", "2h", "--rpe", "8", "--kind", "heavy-strength")
    again = cli("log-legs", "--ago", "2h", "--rpe", "8", "--kind", "heavy-strength")
    assert first.stdout.startswith("Saved ") and again.stdout.startswith("Already saved")
    cli("log-run", "--ago", "1h", "--type", "easy", "--minutes", "30", "--rpe", "4")
    twice = cli("log-run", "--ago", "1h", "--type", "easy", "--minutes", "30", "--rpe", "4")
    assert twice.stdout.startswith("Already saved")
    rows = json.loads(cli("history", "--json").stdout)
    assert [r["record"] for r in rows].count("legs") == 1
    assert [r["record"] for r in rows].count("run") == 1


@given(
    st.none() | st.floats(0, 24 * 400),
    st.sampled_from(["rest", "walk", "recovery", "easy", "steady", "quality"]),
    st.none()
    | st.tuples(
        st.sampled_from(["walk", "recovery", "easy", "steady", "quality"]), st.floats(0.01, 24 * 14)
    ),
    st.booleans(),
)
def test_the_status_line_fits_its_width_in_every_state(
    hours: float | None, now: str, unlock: tuple[str, float] | None, checked_in: bool
) -> None:
    """Issue 25 item 5: the default fits tmux's status-right-length of 40, --short 24."""
    from legcoach.shell import SHORT_WIDTH, STATUS_WIDTH, status_line

    status = {
        "hours_since_legs": hours,
        "run_type_now": now,
        "next_unlock": {"run_type": unlock[0], "in_hours": unlock[1]} if unlock else None,
        "checked_in_today": checked_in,
    }
    assert len(status_line(status)) <= STATUS_WIDTH
    assert len(status_line(status, "short")) <= SHORT_WIDTH


def test_status_short_and_format_from_the_fast_path_and_the_full_one(db_path: Path) -> None:
    cli("log-legs", "--rpe", "8", "--ago", "10h")
    fast = cli("status", "--short").stdout  # from status.line
    for cache in db_path.parent.glob("**/status.*"):
        cache.unlink()
    full = cli("status", "--short").stdout  # recomputed through the journal
    assert fast == full and fast.startswith("L10h recovery")
    assert cli("status", "--format", "{now}|{since}|{checkin}").stdout == "recovery|10h|check in\n"
    refused = bad("status", "--format", "{soreness}")
    assert "unknown field {soreness}" in refused.stderr


def test_a_mistyped_command_is_told_the_nearest_and_every_usage_error_the_help() -> None:
    """Issue 25 item 7: errors and help that teach."""
    typo = bad("lgo-run")
    assert "did you mean log-run?" in typo.stderr
    assert typo.stderr.rstrip().endswith("See 'legcoach --help'.")
    wrong = bad("log-run", "--type", "sprint", "--minutes", "30", "--rpe", "4")
    assert wrong.stderr.rstrip().endswith("See 'legcoach log-run --help'.")


def test_plain_history_shows_short_ids_that_edit_and_delete_take(db_path: Path) -> None:
    """Issue 25 item 6: no --json needed to find an id; an ambiguous one is a usage error
    listing the candidates."""
    from datetime import datetime, timedelta
    from uuid import UUID

    from legcoach.models import LegSession
    from legcoach.storage.store import Store

    cli("log-legs", "--rpe", "5", "--ago", "3h")
    line = cli("history").stdout.splitlines()[0]
    short = line.split()[0]
    assert len(short) == 8 and "legs" in line
    assert cli("edit", short, "--rpe", "6").returncode == 0
    assert cli("delete", short).returncode == 0
    twins = [
        LegSession(
            id=UUID(f"abcdef{n}0-0000-4000-8000-000000000000"),
            ended_at=datetime.now().astimezone() - timedelta(days=n),
            rpe=5,
        )
        for n in (1, 2)
    ]
    Store(db_path).commit(twins)
    ambiguous = bad("delete", "abcdef")
    assert "starts 2 ids" in ambiguous.stderr and "abcdef10-000" in ambiguous.stderr
    assert (
        "too short" not in bad("delete", "abc").stderr
        and "at least 6" in bad("delete", "abc").stderr
    )


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("today", "2026-12-17"),
        ("yesterday", "2026-12-16"),
        ("7d", "2026-12-10"),
        ("2w", "2026-12-03"),
        ("3 days ago", "2026-12-14"),
        ("monday", "2026-12-14"),
        ("thursday", "2026-12-17"),
        ("last week", "2026-12-07"),
        ("2026-12-01", "2026-12-01"),
    ],
)
def test_days_as_people_say_them(said: str, expected: str) -> None:
    from datetime import date

    from legcoach.parsing import parse_day

    assert parse_day(said, date(2026, 12, 17)).isoformat() == expected  # a Thursday


def test_the_local_date_form_follows_the_locale() -> None:
    """Issue 25 item 6: 19/12/2026 where the day comes first, 12/19/2026 where the month does."""
    from datetime import date

    from legcoach.parsing import month_first, parse_day

    today = date(2026, 12, 30)
    british = month_first({"LANG": "en_GB.UTF-8"})
    american = month_first({"LC_TIME": "en_US.UTF-8", "LANG": "en_GB.UTF-8"})
    assert not british and american
    assert parse_day("19/12/2026", today, month_first_dates=british) == date(2026, 12, 19)
    assert parse_day("12/19/2026", today, month_first_dates=american) == date(2026, 12, 19)
    with pytest.raises(ValueError, match="19/12/2026"):
        parse_day("12/19/2026", today, month_first_dates=british)
    with pytest.raises(ValueError, match="longer than any date"):
        parse_day("7" * 5000 + "d", today)


def test_history_since_takes_the_forms_people_type() -> None:
    cli("log-legs", "--rpe", "5", "--ago", "50h")
    assert "legs" in cli("history", "--since", "7d").stdout
    assert cli("history", "--since", "today").stdout.startswith("No history yet")
    british = cli("history", "--since", "01/01/2026", env={"LC_ALL": "en_GB.UTF-8"})
    assert "legs" in british.stdout
    refused = bad("history", "--since", "the other day")
    assert "say a day like" in refused.stderr


def test_shell_completion_scripts_complete_commands_run_types_and_ids(db_path: Path) -> None:
    """Issue 25 item 2: generated from the parser (shtab); bash loads it and completes a
    run type after --type and the short ids of saved records after delete."""
    if shutil.which("bash") is None:
        pytest.skip("no bash here")
    cli("log-legs", "--rpe", "5", "--ago", "2h")
    short = cli("history").stdout.split()[0]
    script = cli("completion", "bash").stdout
    assert "_shtab_legcoach" in script
    probe = (
        f"source <({LEGCOACH} completion bash); complete -p legcoach; "
        'COMP_WORDS=(legcoach log-run --type ""); COMP_CWORD=3; '
        '_shtab_legcoach legcoach "" --type; echo "types: ${COMPREPLY[*]}"; '
        'COMP_WORDS=(legcoach delete ""); COMP_CWORD=2; '
        '_shtab_legcoach legcoach "" delete; echo "ids: ${COMPREPLY[*]}"'
    )
    bin_dir = str(Path(str(LEGCOACH)).parent)
    done = subprocess.run(
        ["bash", "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
    )
    assert "complete -o bashdefault -F _shtab_legcoach legcoach" in done.stdout, done.stderr
    assert "types: walk recovery easy steady quality" in done.stdout
    assert f"ids: {short}" in done.stdout
    for shell in ("zsh", "fish"):
        assert "legcoach" in cli("completion", shell).stdout


def test_the_man_page_comes_from_the_parser_and_renders_cleanly(tmp_path: Path) -> None:
    """Issue 25 item 3: with the exit statuses, the files on disk and the environment."""
    page = cli("help", "man").stdout
    for heading in ("EXIT STATUS", "FILES", "ENVIRONMENT", "SYNOPSIS"):
        assert f".SH {heading}" in page or f".SH\n{heading}" in page, heading
    for command in ("advise", "today", "status", "completion"):
        assert command in page
    if shutil.which("man") is None:
        pytest.skip("no man here")
    source = tmp_path / "legcoach.1"
    source.write_text(page)
    shown = subprocess.run(
        ["man", "--warnings", "-l", str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"},
    )
    assert shown.returncode == 0 and "EXIT STATUS" in shown.stdout
    assert shown.stderr.strip() == "", shown.stderr


def test_times_name_a_weekday_as_people_do() -> None:
    """Issue 25 item 6 / 26 item 8: 'monday 19:00' is the last Monday's evening."""
    from datetime import UTC, datetime

    from legcoach.parsing import parse_when

    thursday_noon = datetime(2026, 12, 17, 12, 0, tzinfo=UTC)
    assert parse_when("monday 19:00", thursday_noon) == datetime(2026, 12, 14, 19, 0, tzinfo=UTC)
    assert parse_when("thursday 08:00", thursday_noon) == datetime(2026, 12, 17, 8, 0, tzinfo=UTC)
    assert parse_when("thursday 19:00", thursday_noon) == datetime(2026, 12, 10, 19, 0, tzinfo=UTC)
