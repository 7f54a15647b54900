"""Typed answers read as the person typed them, and shown back as plain text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from legcoach.models import LegSession
from tests.conftest import NOW, FakeClock
from tests.tui_helpers import app_with, journal_of, press


async def type_text(pilot: object, text: str) -> None:
    for key in text:
        await pilot.press(key)  # type: ignore[attr-defined]


async def test_markup_pasted_into_a_field_is_shown_as_typed(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        await press(pilot, "enter")  # the run type
        from textual import events
        from textual.widgets import Input

        field = next(w for w in app.screen.query(Input) if w.display and w.region.area)
        field.post_message(events.Paste("[/]q12m"))  # pasted, as people do
        await pilot.pause()
        field.value = "[/]q12m"
        await press(pilot, "enter")
        assert app.is_running
        errors = " ".join(str(label.render()) for label in app.screen.query(".question-error"))
        assert "[/]q12m" in errors


async def test_log_legs_takes_a_time_of_day_and_words(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "g")
        await type_text(pilot, "yesterday 19:30")
        await press(pilot, "enter", "enter", "enter")  # when, effort, kind
        await press(pilot, "enter")
    (session,) = [r for r in journal.records() if isinstance(r, LegSession)]
    assert session.ended_at == (NOW - timedelta(days=1)).replace(hour=19, minute=30)


async def test_ten_min_ago_is_read(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "g")
        await type_text(pilot, "10 min ago")
        await press(pilot, "enter", "enter", "enter")
        await press(pilot, "enter")
    (session,) = [r for r in journal.records() if isinstance(r, LegSession)]
    assert session.ended_at == NOW - timedelta(minutes=10)


async def test_help_titles_are_words_and_a_skipped_warm_up_says_so(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c")
        await press(pilot, "question_mark")
        assert "Check in" in str(app.screen.query_one("Markdown").source)  # type: ignore[attr-defined]
        await press(pilot, "escape", "escape")
        await press(pilot, "w")
        drills = len(app.screen.run.drills)  # type: ignore[attr-defined]
        await press(pilot, *["n"] * drills)
        app.screen.tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert "Warm-up skipped" in str(app.screen.query_one("#warmup-drill").render())


def test_a_check_in_records_the_goal_it_was_planned_with(db_path: Path, clock: FakeClock) -> None:
    from legcoach.journal import Journal
    from legcoach.models import CheckIn, Goal, Profile

    journal = Journal.open(db_path, clock)
    journal.save_profile(Profile(goal=Goal.ENDURANCE))
    saved = journal.check_in(CheckIn(at=NOW, soreness=2)).checkin
    assert saved.goal == Goal.ENDURANCE


async def test_the_check_in_says_which_legs_are_logged_already(
    db_path: Path, clock: FakeClock
) -> None:
    from legcoach.models import LegKind

    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    journal.log_legs(
        LegSession(ended_at=NOW - timedelta(hours=13), rpe=8, kind=LegKind.HEAVY_STRENGTH)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c")
        shown = " ".join(str(w.render()) for w in app.screen.query("Static, Label"))
        assert "Another leg workout since that one?" in shown
        assert "Logged: heavy strength legs" in shown and "RPE 8" in shown
        await press(pilot, "enter")  # No: nothing more to log
        assert "How sore" in " ".join(str(w.render()) for w in app.screen.query("Static, Label"))
    assert len([r for r in journal.records() if isinstance(r, LegSession)]) == 1


def test_a_typed_run_has_a_distance_and_a_pace(db_path: Path) -> None:
    from tests.test_cli import bad, cli, error_line

    done = cli("log-run", "--type", "easy", "--minutes", "55", "--rpe", "4", "--distance", "10k")
    assert "10.0 km (5:30 /km)" in done.stdout
    cli("profile", "--units", "imperial")
    done = cli(
        "log-run",
        "--type",
        "easy",
        "--minutes",
        "50",
        "--rpe",
        "4",
        "--distance",
        "5",
        "--ago",
        "3h",
    )
    assert "5.0 mi (10:00 /mi)" in done.stdout  # a bare number in the profile's unit
    assert "a distance like 10k" in error_line(
        bad("log-run", "--type", "easy", "--minutes", "5", "--rpe", "4", "--distance", "far").stderr
    )


async def test_the_app_logs_a_run_with_distance_and_note(db_path: Path, clock: FakeClock) -> None:
    from legcoach.models import RunLog

    app = app_with(db_path, clock)
    journal = journal_of(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "r")
        await press(pilot, "enter")  # run type
        await type_text(pilot, "50")
        await press(pilot, "enter", "enter", "enter")  # minutes, effort, legs felt
        await type_text(pilot, "10k")
        await press(pilot, "enter")
        await type_text(pilot, "track [b]6x800[/b]")
        await press(pilot, "enter", "enter")  # the note, when
    (run,) = [r for r in journal.records() if isinstance(r, RunLog)]
    assert run.distance_m == 10_000 and run.note == "track [b]6x800[/b]"


def hostile_themes(folder: Path) -> None:
    import os

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nested.toml").write_text(
        'name = "nested"\nprimary = "#ffffff"\nx = ' + "[" * 2000 + "]" * 2000
    )
    (folder / "css.toml").write_text(
        'name = "css"\nprimary = "#ffffff"\n[variables]\n"border" = "red; } Screen { display: none"\n'
    )
    (folder / "markup.toml").write_text('name = "a-evil[/]"\nprimary = "#ffffff"\n')
    (folder / "escape.toml").write_text('name = "bell\\u001b]0;x\\u0007"\nprimary = "#ffffff"\n')
    (folder / "big.toml").write_text('name = "big"\nprimary = "#ffffff"\n#' + "x" * 100_000)
    os.mkfifo(folder / "pipe.toml")
    (folder / "fine.toml").write_text('name = "Fine one"\nprimary = "#336699"\n')


def test_hostile_theme_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    from legcoach.tui.themes import load_themes

    folder = tmp_path / "themes"
    hostile_themes(folder)
    loaded = load_themes(folder)
    assert [t.name for t in loaded.themes] == ["Fine one"]
    assert len(loaded.failed) == 6
    reasons = " ".join(loaded.failed)
    for said in (
        "nested too deeply",
        "plain value",
        "needs a name",
        "not a regular file",
        "too large",
    ):
        assert said in reasons


async def test_the_app_starts_and_answers_beside_hostile_themes(
    db_path: Path, clock: FakeClock
) -> None:
    from legcoach.paths import user_themes_dir

    hostile_themes(user_themes_dir())
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "s")  # settings lists the themes
        assert app.is_running
        await press(pilot, "escape", "q")
    assert app.return_code in (0, None)


@pytest.mark.parametrize("size", [(1, 1), (8, 20), (19, 30), (40, 5)])
async def test_any_size_shows_something_and_never_crashes(
    db_path: Path, clock: FakeClock, size: tuple[int, int]
) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in ["c", "escape", "h", "escape", "t", "escape", "k", "escape", "question_mark"]:
            await press(pilot, key)
        app.notify("easy unlocks now: a run of up to 45 minutes", title="Unlock")
        await pilot.pause()
        assert app.is_running
        assert "Larger, please" in str(app.screen.query_one("#too-small").render())


async def test_a_check_in_survives_the_terminal_shrinking_to_8_columns(
    db_path: Path, clock: FakeClock
) -> None:
    from legcoach.tui.checkin import CheckInScreen

    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c")
        await pilot.resize_terminal(8, 20)
        await pilot.pause()
        assert app.is_running
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)


async def test_distances_are_in_the_profiles_units_everywhere(
    db_path: Path, clock: FakeClock
) -> None:
    from legcoach.models import Profile, RunLog, RunType, Units

    app = app_with(db_path, clock)
    journal = journal_of(app)
    journal.save_profile(journal.profile().model_copy(update={"units": Units.IMPERIAL}))
    journal.log_run(
        RunLog(
            at=NOW - timedelta(hours=3),
            run_type=RunType.QUALITY,
            minutes=60,
            rpe=8,
            distance_m=10_800,
        )
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "h")
        await press(pilot, "enter")  # the run's detail
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "6.7 mi" in shown and "km" not in shown
    del Profile


@pytest.mark.parametrize(
    ("row", "screen"),
    [
        ("Home", "legcoach.tui.home:HomeScreen"),
        ("Week", "legcoach.tui.week:WeekScreen"),
        ("Plan", "legcoach.tui.plan:PlanScreen"),
    ],
)
def test_the_readme_names_exactly_the_keys_a_screen_binds(row: str, screen: str) -> None:
    """Every key the README's screen table names is a binding of that screen (shown in
    its footer or, hidden there, in `?`), and every binding of it is in the README."""
    import importlib
    import re

    module, name = screen.split(":")
    cls = getattr(importlib.import_module(module), name)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    line = next(line for line in readme.splitlines() if line.startswith(f"| {row} |"))
    keys_cell = line.rstrip(" |").rsplit(" | ", 1)[-1]
    named = {k for k in re.findall(r"`([^`]+)`", keys_cell) if len(k) == 1}
    bound = {key for binding in cls.BINDINGS for key in binding.key.split(",") if len(key) == 1}
    assert named == bound, (row, named ^ bound)
