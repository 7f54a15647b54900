"""The app with real key presses (Pilot), a temporary database and a fake clock."""

from __future__ import annotations

import errno
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Digits, Input, Markdown

from legcoach.journal import Journal
from legcoach.models import (
    CheckIn,
    Experience,
    Goal,
    LegSession,
    Override,
    RedFlag,
    RunLog,
    RunType,
)
from legcoach.storage.layout import claim_instance
from legcoach.storage.store import Store
from legcoach.tui.app import make_app
from legcoach.tui.checkin import CheckInScreen
from legcoach.tui.help import HelpScreen
from legcoach.tui.home import HomeScreen
from legcoach.tui.plan import PlanScreen
from legcoach.tui.warmup import WarmupScreen
from legcoach.tui.wizard import WizardScreen
from tests.conftest import NOW, FakeClock, own_dir
from tests.tui_helpers import Toasts, app_with, press, screen_of, text_of, week_rows

# A daily check-in, typed as a user would: no new legs, soreness 3, no red flags, keep
# the goal, a meal, sleep 4, energy 4, stress 2, will warm up.
DAILY = [
    "1",
    "enter",
    "3",
    "enter",
    "enter",
    "enter",
    "3",
    "enter",
    "4",
    "enter",
    "4",
    "enter",
    "2",
    "enter",
    "1",
    "enter",
    "enter",  # when: now
]


async def test_first_launch_to_first_saved_checkin(db_path: Path, clock: FakeClock) -> None:
    app = make_app(Journal.open(db_path, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CheckInScreen)
        assert "Step 1 of" in text_of(app, "#wizard-step")
        # Goal: build muscle; new to running; a leg workout 20 hours ago at RPE 8,
        # heavy strength.
        await press(pilot, "2", "enter", "1", "enter")
        await press(pilot, "2", "enter", "2", "0", "enter", "8", "enter", "1", "enter")
        # Soreness 5, no red flags, some carbs (snack), sleep 3, energy 3, stress 2,
        # warm-up yes.
        await press(
            pilot, "5", "enter", "enter", "2", "enter", "enter", "enter", "enter", "enter", "enter"
        )
        assert isinstance(app.screen, PlanScreen)
        assert "RECOVERY RUN" in text_of(app, ".plan-title")

    store = Store(db_path)
    assert store.profile().goal == Goal.MUSCLE
    assert store.profile().experience == Experience.NEW  # saved with the first check-in
    legs = store.last(LegSession)
    assert legs is not None and legs.rpe == 8 and legs.ended_at == NOW - timedelta(hours=20)
    checkin = store.last(CheckIn)
    assert checkin is not None and checkin.soreness == 5 and checkin.leg_session_id == legs.id
    assert checkin.recommendation is not None
    assert checkin.recommendation.run_type == RunType.RECOVERY


async def test_daily_checkin_is_read_back_from_the_file(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "No check-in yet" in text_of(app, "#today")
        await press(pilot, "c", *DAILY)
        assert isinstance(app.screen, PlanScreen)
        assert "EASY RUN" in text_of(app, ".plan-title")
        await press(pilot, "escape")
        assert "Plan: Easy run" in text_of(app, "#today")

    Store(db_path).fold()  # from the change log into the year file, to read it raw
    raw = json.loads((own_dir(db_path) / "2026.json").read_text())
    (saved,) = raw["checkins"].values()
    assert saved["soreness"] == 3 and saved["sleep"] == 4 and saved["fuel"] == "meal"
    assert saved["goal"] == "endurance" and saved["warmup"] is True
    assert saved["recommendation"]["run_type"] == "easy"


async def test_escape_goes_back_step_by_step_and_saves_nothing(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c", "1", "enter", "7", "enter")
        wizard = screen_of(app, WizardScreen)
        assert "Step 3 of" in text_of(app, "#wizard-step")
        await press(pilot, "escape")
        assert "Step 2 of" in text_of(app, "#wizard-step")
        assert wizard.current.answer() == 7  # the answer is still there going back
        await press(pilot, "escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        # Home is the bottom of the stack: more escapes (or a stray pop) never leave an
        # empty screen behind it.
        await press(pilot, "escape", "escape")
        assert app.screen_stack == [app.screen]
    assert Store(db_path).last(CheckIn) is None


async def test_an_invalid_answer_is_explained_in_place_and_nothing_saved(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c", "2", "enter")  # yes, a new leg workout
        await press(pilot, "9", "9", "9", "9", "9", "enter")
        error = app.screen.query_one("#q-legs_ago .question-error")
        assert "out of range" in text_of(app, "#q-legs_ago .question-error")
        assert error.region.bottom <= 24  # on screen, right under the field
        await press(pilot, "enter")
        assert "How long ago" in text_of(app, "#q-legs_ago .question-title")
        await press(pilot, *["backspace"] * 5, "enter")
        assert "Type hours ago" in text_of(app, "#q-legs_ago .question-error")
        await press(pilot, "escape", "escape", "escape")
        assert isinstance(app.screen, HomeScreen)
    store = Store(db_path)
    assert store.last(CheckIn) is None and len(list(store.records(LegSession))) == 1


async def test_a_second_checkin_the_same_day_updates_it_and_says_so(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c", *DAILY, "escape")
        clock.advance(hours=2)
        await press(pilot, "c", "1", "enter", "8", "enter")
        assert text_of(app, "#q-red_flags .flags-ticked") == "Nothing ticked."
        await press(pilot, "1")
        assert text_of(app, "#q-red_flags .flags-ticked") == "Ticked: shaky or trembling legs"
        await press(pilot, "enter")
        await press(
            pilot, "enter", "3", "enter", "4", "enter", "4", "enter", "2", "enter", "1", "enter"
        )
        await press(pilot, "enter")  # when: now
        assert "Updated today's check-in" in text_of(app, "#plan-note")
        assert "SHAKY" not in text_of(app, ".plan-title")
        assert "REST DAY" in text_of(app, ".plan-title")
    checkins = list(Store(db_path).records(CheckIn))
    assert len(checkins) == 1
    assert checkins[0].red_flags == frozenset({RedFlag.SHAKY_LEGS})
    assert checkins[0].recommendation is not None
    assert checkins[0].recommendation.run_type == RunType.REST


async def test_an_override_is_recorded_with_the_checkin(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c", *DAILY, "a")
        # "I ran anyway" opens the run's log at once: the run is what tomorrow needs.
        assert type(app.screen).__name__ == "LogRunScreen"
        await press(pilot, "escape")
        assert "you ran anyway" in text_of(app, "#plan-note")
        await press(pilot, "r")
    last = Store(db_path).last(CheckIn)
    assert last is not None and last.override == Override.RESTED


async def test_a_failed_save_is_reported_and_the_answers_kept(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    toasts = Toasts()
    app = app_with(db_path, clock)

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    async with app.run_test(message_hook=toasts, size=(80, 24)) as pilot:
        monkeypatch.setattr(os, "fsync", disk_full)
        await press(pilot, "c", *DAILY)
        assert isinstance(app.screen, CheckInScreen)  # still there, answers intact
        assert any("No space left" in n.message for n in toasts)
        monkeypatch.undo()
    assert Store(db_path).last(CheckIn) is None


async def test_warm_up_runs_on_the_clock_pauses_and_skips(db_path: Path, clock: FakeClock) -> None:
    toasts = Toasts()
    app = app_with(db_path, clock)
    async with app.run_test(message_hook=toasts, size=(80, 24)) as pilot:
        await press(pilot, "c", *DAILY, "w")  # soreness 3: the sore-legs sequence
        screen = app.screen
        assert isinstance(screen, WarmupScreen)
        assert "drop a rung" in text_of(app, "#warmup-sore")
        assert "1/6  Brisk walk" in text_of(app, "#warmup-drill")
        clock.advance(seconds=100)
        screen.tick()
        assert screen.query_one("#warmup-countdown", Digits).value == "3:20"
        await press(pilot, "space")  # pause: the clock moves, the drill does not
        clock.advance(seconds=500)
        screen.tick()
        assert "PAUSED" in text_of(app, "#warmup-drill")
        assert screen.query_one("#warmup-countdown", Digits).value == "3:20"
        await press(pilot, "space", "n")  # resume, skip the walk
        assert "2/6  Leg swings" in text_of(app, "#warmup-drill")
        assert "– Brisk walk (5:00) skipped" in text_of(app, "#warmup-list")
        clock.advance(seconds=10_000)
        screen.tick()
        await pilot.pause()
        assert "Warm-up done" in text_of(app, "#warmup-drill")
        assert any("Warm-up done" in n.message for n in toasts)


async def test_a_run_is_logged_and_feeds_the_next_plan(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=100)
    async with app.run_test(size=(80, 24)) as pilot:
        # Run type: quality (5th of walk..quality), 50 minutes, RPE 8, legs heavy, no
        # distance, no note, now.
        await press(pilot, "r", "5", "enter", "5", "0", "enter", "8", "enter", "3", "enter")
        await press(pilot, "enter", "enter", "enter")
        assert isinstance(app.screen, HomeScreen)
        assert "quality 50′ RPE 8" in str(week_rows(app)[6])
        await press(
            pilot,
            "c",
            *DAILY[:2],
            "0",
            "enter",
            "enter",
            "enter",
            "enter",
            "4",
            "enter",
            "4",
            "enter",
            "2",
            "enter",
            "1",
            "enter",
            "enter",
        )
        plan_text = text_of(app, ".plan-reasons")
        # A second run on a hard day is an easy double at most (Foster 1998; Daniels).
        assert "quality run" in plan_text and "EASY RUN" in text_of(app, ".plan-title")
    (run,) = Store(db_path).records(RunLog)
    assert (run.run_type, run.minutes, run.rpe, run.legs_felt and run.legs_felt.value) == (
        RunType.QUALITY,
        50,
        8,
        "heavy",
    )


async def test_home_counts_down_and_moves_on_at_the_unlock(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = screen_of(app, HomeScreen)
        assert "30 h 00 min" in text_of(app, "#recovery")
        # No check-in yet: soreness unknown, so 30 h after hard legs is the easy window.
        assert "Easy run" in text_of(app, "#recovery")
        assert "steady" in text_of(app, "#recovery")
        assert "18:00:00" in text_of(app, "#recovery")
        clock.advance(hours=17, minutes=59, seconds=30)
        home.tick()
        assert "00:00:30" in text_of(app, "#recovery")
        clock.advance(seconds=31)
        home.tick()
        assert "Steady run" in text_of(app, "#recovery")


async def test_help_and_palette_list_the_screens_actions(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "question_mark")
        help_text = app.screen.query_one(Markdown).source
        assert "`c` Check-in" in help_text and "`q` Quit" in help_text
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Check in", "Plan", "Warm-up", "Log run", "Log legs", "Theme"} <= titles
        await press(pilot, "p")
        assert isinstance(app.screen, PlanScreen)
        assert "No check-in today" in text_of(app, "#plan-note")
        await press(pilot, "escape", "q")
    assert app.return_code == 0


def test_a_second_app_on_the_same_database_is_refused(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from legcoach.tui.app import run

    first = claim_instance(db_path)
    try:
        assert run(db_path) == 1
    finally:
        first.release()
    err = capsys.readouterr().err.strip()
    assert err.startswith("legcoach: error:") and "already open" in err and "\n" not in err


def test_a_damaged_database_stops_the_app_with_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from legcoach.tui.app import run

    db_path.parent.mkdir(parents=True)
    db_path.write_text("{ not json")
    assert run(db_path) == 1
    assert "is damaged" in capsys.readouterr().err
    assert db_path.read_text() == "{ not json"


async def test_start_up_draws_from_the_status_cache_then_loads_the_history(
    db_path: Path, clock: FakeClock
) -> None:
    from legcoach.journal import Journal
    from legcoach.tui.app import LegcoachApp

    app_with(db_path, clock)  # a profile and hard legs 30 h ago
    Journal(Store(db_path), clock).refresh_status_cache()
    app = LegcoachApp(db_path, clock=clock)  # the command line's way: no journal yet
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Easy run" in text_of(app, "#recovery")  # from the cache, first frame
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.journal is not None
        assert "No check-in yet" in text_of(app, "#today")
        assert "RPE 8" in text_of(app, "#recovery")  # only the loaded history knows this
        assert not app.screen.query("#week-loading")  # the placeholder gave way to the week
        assert len(week_rows(app)) == 7


async def test_help_explains_the_screen_and_lists_its_own_keys(
    db_path: Path, clock: FakeClock
) -> None:
    from textual.widgets import Markdown

    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(Markdown).source
        assert text.startswith("# Home") and "hardest run allowed" in text
        for key in ("`c` Check-in", "`t` Timer", "`h` History", "`q` Quit", "`?` Help"):
            assert key in text
        assert "Focus Next" not in text and "Copy selected text" not in text
        await press(pilot, "escape", "t", "question_mark")
        text = app.screen.query_one(Markdown).source
        assert text.startswith("# Timer") and "`s` Soreness update" in text
        assert "`c` Check-in" not in text  # home's keys are not the timer's


@pytest.mark.parametrize(
    ("typed", "hours"), [("1.5", 1.5), ("90m", 1.5), ("2h30", 2.5), ("2d", 48.0), ("1d6", 30.0)]
)
async def test_durations_are_saved_as_typed(
    db_path: Path, clock: FakeClock, typed: str, hours: float
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "g", *[KEY_OF.get(c, c) for c in typed])
        shown = app.screen.query_one("#q-legs_ago Input", Input).value
        assert shown == typed  # what is shown is what is read
        await press(pilot, "enter", "7", "enter", "1", "enter")
        assert isinstance(app.screen, HomeScreen)
    (legs,) = Store(db_path).records(LegSession)
    assert legs.ended_at == NOW - timedelta(hours=hours)


KEY_OF = {".": "full_stop", ":": "colon", " ": "space", "-": "minus"}


async def test_a_checkin_and_a_run_entered_at_an_earlier_time(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c", *DAILY[:-1], "ctrl+u")
        for char in "yesterday 18:00":
            await pilot.press(KEY_OF.get(char, char))
        await press(pilot, "enter")
        assert isinstance(app.screen, PlanScreen)
        await press(pilot, "escape", "r", "3", "enter", "3", "0", "enter", "4", "enter", "2")
        await press(pilot, "enter", "enter", "enter")  # legs felt; no distance, no note
        await press(pilot, *[KEY_OF.get(c, c) for c in "2h ago"], "enter")
        assert isinstance(app.screen, HomeScreen)
    (checkin,) = Store(db_path).records(CheckIn)
    assert checkin.at == (NOW - timedelta(days=1)).replace(hour=18, minute=0)
    (run,) = Store(db_path).records(RunLog)
    assert run.at == NOW - timedelta(hours=2) and run.minutes == 30


def test_a_time_a_little_ahead_of_the_clock_is_zero_minutes_ago() -> None:
    """Times up to 15 minutes ahead are accepted (another device's clock): counted from
    zero, never "-6 min"."""
    from legcoach.tui import format as fmt

    assert fmt.ago(timedelta(minutes=-6)) == "0 min"
    assert fmt.ago(timedelta(hours=3, minutes=5)) == "3 h 05 min"


async def test_a_key_pressed_in_the_first_frame_is_acted_on(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 26 item 1: home draws before the history is open; a key pressed then was
    lost. It is kept and acted on once the history opens."""
    from legcoach.tui.app import LegcoachApp
    from legcoach.tui.history import HistoryScreen

    journal = Journal.open(db_path, clock)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=30), rpe=8))
    journal.save_profile(journal.profile().model_copy(update={"goal": Goal.ENDURANCE}))
    monkeypatch.setattr(LegcoachApp, "_load_journal", lambda self: None)  # still loading
    app = LegcoachApp(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "h")
        assert app.journal is None and isinstance(app.screen, HomeScreen)
        app._journal_opened(Journal.open(db_path, clock))  # what the loading thread hands over
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_the_plan_says_what_was_done_after_a_run_is_logged_from_it(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c", *DAILY)
        assert "Done today" not in text_of(app, "#plan-note")
        # Log the run from the plan: recovery, 25 minutes, RPE 3, legs fresh, no
        # distance, no note, ended now.
        await press(pilot, "l", "2", "enter", "2", "5", "enter", "3", "enter", "1", "enter")
        await press(pilot, "enter", "enter", "enter")
        assert type(app.screen).__name__ == "PlanScreen"
        assert "Done today: recovery run 25 min" in text_of(app, "#plan-note")
