"""The daily loop a person keeps using: records you can fix, settings in the app, charts
that tell the truth, screens that fit, and a record detail that scrolls."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Footer, Input
from textual_plotext import PlotextPlot

from legcoach.journal import Journal
from legcoach.models import (
    CheckIn,
    Experience,
    LegSession,
    Profile,
    RunLog,
    RunType,
    SorenessUpdate,
)
from legcoach.storage.store import Store
from legcoach.tui.edit import ConfirmDelete, EditScreen
from legcoach.tui.history import HistoryScreen
from legcoach.tui.home import HomeScreen
from legcoach.tui.record import RecordScreen
from legcoach.vocab import Units
from tests.conftest import NOW, FakeClock
from tests.test_cli import cli
from tests.tui_helpers import Toasts, app_with, journal_of, press, settle, text_of, week_rows

KEY_OF = {".": "full_stop", ":": "colon", " ": "space", "-": "minus"}


async def type_text(pilot: Pilot[None], text: str) -> None:
    for char in text:
        await pilot.press(KEY_OF.get(char, char))
    await pilot.pause()


async def test_edit_a_record_in_history(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "h", "e")
        assert isinstance(app.screen, EditScreen)
        rpe = app.screen.query_one("#edit-rpe", Input)
        rpe.focus()
        rpe.value = "11"
        await press(pilot, "ctrl+s")
        assert "rpe must be between 1 and 10" in text_of(app, "#edit-error")
        rpe.value = "5"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#history-table", DataTable)
        assert "RPE 5" in str(table.get_row_at(0))
    (legs,) = Store(db_path).records(LegSession)
    assert legs.rpe == 5


async def test_delete_asks_first_and_u_brings_it_back(db_path: Path, clock: FakeClock) -> None:
    toasts = Toasts()
    app = app_with(db_path, clock, legs_hours=30)
    async with app.run_test(size=(80, 24), message_hook=toasts) as pilot:
        await press(pilot, "h", "delete")
        assert isinstance(app.screen, ConfirmDelete)
        await press(pilot, "n")
        assert len(list(Store(db_path).records(LegSession))) == 1
        await press(pilot, "delete", "y")
        assert list(Store(db_path).records(LegSession)) == []
        assert any("u brings it back" in m for m in toasts.messages())
        assert "Nothing saved" in str(
            app.screen.query_one("#history-table", DataTable).get_row_at(0)
        )
        await press(pilot, "u")
        assert len(list(Store(db_path).records(LegSession))) == 1


async def test_editing_todays_checkin_replans_today(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=100)
    journal = journal_of(app)
    journal.check_in(CheckIn(at=NOW, soreness=1, sleep=4))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "h", "e")
        # The same fields as `legcoach edit` allows for a check-in (models.EDITABLE_FIELDS).
        assert app.screen.query("#edit-goal")
        sore = app.screen.query_one("#edit-soreness", Input)
        sore.value = "8"
        await press(pilot, "ctrl+s", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert "Walk" in text_of(app, "#today")
    (checkin,) = Store(db_path).records(CheckIn)
    assert checkin.soreness == 8 and checkin.recommendation is not None
    assert checkin.recommendation.run_type == RunType.WALK


def test_edit_delete_and_restore_on_the_command_line(db_path: Path) -> None:
    cli("log-run", "--type", "easy", "--minutes", "30", "--rpe", "4", "--ago", "2h")
    (run,) = json.loads(cli("history", "--json").stdout)
    short = run["id"][:8]
    done = cli("edit", short, "--minutes", "45", "--type", "steady", "--note", "hills")
    assert "steady run, 45 min" in done.stdout
    wrong = cli("edit", short, "--soreness", "3", check=False)
    assert wrong.returncode == 2 and "--soreness does not apply to a run" in wrong.stderr
    assert cli("edit", "ffffffff", "--rpe", "3", check=False).returncode == 1
    cli("delete", short)
    assert json.loads(cli("history", "--json").stdout) == []
    cli("restore", short)
    (back,) = json.loads(cli("history", "--json").stdout)
    assert (back["minutes"], back["run_type"], back["note"]) == (45, "steady", "hills")


async def test_settings_in_the_app(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    journal.log_run(
        RunLog(at=NOW - timedelta(hours=3), run_type=RunType.EASY, minutes=30, distance_m=5000)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "s", "3", "enter")  # goal: fat loss
        await press(pilot, "3", "enter")  # an experienced runner
        await type_text(pilot, "188")
        await press(pilot, "enter", "2", "enter", "2", "enter")  # imperial; 2nd theme
        assert isinstance(app.screen, HomeScreen)
        assert app.theme != "legcoach-dark"
        await press(pilot, "h")
        assert "3.1 mi" in str(app.screen.query_one("#history-table", DataTable).get_row_at(0))
    profile = Store(db_path).profile()
    assert (profile.goal, profile.max_hr, profile.units) == ("fat-loss", 188, Units.IMPERIAL)
    assert profile.experience == Experience.EXPERIENCED
    assert "3.1 mi" in cli("history").stdout


async def test_the_trend_with_no_one_and_many_readings(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "h", "2")
        assert "No soreness readings" in str(app.screen.query("#trend Static").first().render())
        assert [c.id for c in app.screen.query(PlotextPlot)] == ["trend-weeks"]
    journal.check_in(CheckIn(at=NOW - timedelta(days=12), soreness=5))
    async with app_with(db_path, clock, goal=None, legs_hours=None).run_test(
        size=(80, 24)
    ) as pilot:
        await press(pilot, "h", "2")
        header = str(pilot.app.screen.query("#trend Static").first().render())
        assert "1 reading," in header and "13 Nov 2026" in header and "->" not in header


async def test_home_shows_every_run_of_the_day(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    journal.log_run(RunLog(at=NOW - timedelta(hours=2), run_type=RunType.EASY, minutes=25, rpe=4))
    journal.log_run(
        RunLog(at=NOW - timedelta(hours=1), run_type=RunType.RECOVERY, minutes=30, rpe=3)
    )
    async with app.run_test(size=(80, 24)):
        row = str(week_rows(app)[6])
        assert "easy 25′" in row and "recovery 30′" in row


async def test_the_footers_fit_at_60_by_20(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        keys = [str(child.render()) for child in footer.children]
        text = " ".join(str(child.render()) for child in footer.query("FooterKey"))
        assert "History" in text and "Quit" in text, keys
        assert sum(child.size.width for child in footer.query("FooterKey")) <= 60


async def test_end_goes_to_the_last_record_and_home_to_the_first(
    db_path: Path, clock: FakeClock
) -> None:
    from tests.test_tui_timer_history import fill_history

    app = app_with(db_path, clock, legs_hours=None)
    fill_history(db_path, days=50)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "h")
        await settle(pilot, lambda: bool(app.screen.query("#history-table")))
        table = app.screen.query_one("#history-table", DataTable)
        await press(pilot, "end")
        await settle(pilot, lambda: table.cursor_row == 149)
        assert table.row_count == 150 and table.cursor_row == 149
        await press(pilot, "home")
        assert table.cursor_row == 0


async def test_the_record_detail_scrolls_with_the_keyboard(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=30)
    journal = journal_of(app)
    journal.check_in(CheckIn(at=NOW, soreness=6, sleep=1, energy=1, fuel="none", warmup=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "h", "enter")
        assert isinstance(app.screen, RecordScreen)
        scroller = app.screen.query_one("#record")
        assert scroller.max_scroll_y > 0  # more than one screen: the reasons are below
        await press(pilot, "j", "j")
        assert scroller.scroll_y > 0
        await press(pilot, "end")
        assert scroller.scroll_y == scroller.max_scroll_y
        fields = text_of(app, "#record-fields")
        assert "Warm-up: not planned" in fields and "Carbs: none yet" in fields


async def test_the_wizard_step_count_does_not_jump(db_path: Path, clock: FakeClock) -> None:
    from legcoach.tui.app import make_app

    app = make_app(Journal.open(db_path, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = text_of(app, "#wizard-step")
        await press(pilot, "1", "enter")
        second = text_of(app, "#wizard-step")
        assert first.split(" of ")[1] == second.split(" of ")[1]
        await press(pilot, "2", "enter")  # yes, a leg workout: the total stays
        assert text_of(app, "#wizard-step").split(" of ")[1] == first.split(" of ")[1]


def test_a_soreness_update_is_listed_beside_the_checkin(db_path: Path, clock: FakeClock) -> None:
    journal = Journal.open(db_path, clock)
    journal.check_in(CheckIn(at=NOW, soreness=6))
    clock.advance(hours=5)
    journal.update_soreness(3)
    listing = cli("history").stdout
    assert "soreness update, 3/10" in listing and "check-in, soreness 6/10" in listing
    assert {r.kind_name.value for r in journal.records()} == {"checkin", "soreness"}
    assert isinstance(next(journal.records(["soreness"])), SorenessUpdate)


def test_units_go_with_the_profile(db_path: Path, clock: FakeClock) -> None:
    journal = Journal.open(db_path, clock)
    journal.save_profile(Profile(units=Units.IMPERIAL))
    run = RunLog(at=NOW, run_type=RunType.EASY, minutes=30, distance_m=8046.72)
    assert "5.0 mi" in run.summary(Units.IMPERIAL) and "8.0 km" in run.summary()


async def test_the_edit_dialog_focuses_its_first_field_and_offers_choices(
    db_path: Path, clock: FakeClock
) -> None:
    """Enumerations are chosen, never typed; only loggable run types are offered."""
    from textual.widgets import Select

    app = app_with(db_path, clock, legs_hours=None)
    journal_of(app).log_run(RunLog(at=NOW - timedelta(hours=2), run_type=RunType.EASY, minutes=30))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "h", "e")
        assert isinstance(app.screen, EditScreen)
        assert app.screen.focused is app.screen.query_one("#edit-at")
        run_type = app.screen.query_one("#edit-run_type", Select)
        offered = {value for _, value in run_type._options if value is not Select.NULL}
        assert RunType.REST not in offered and RunType.QUALITY in offered
        assert run_type.value == RunType.EASY
        run_type.value = RunType.STEADY
        await press(pilot, "ctrl+s")
    (run,) = Store(db_path).records(RunLog)
    assert run.run_type == RunType.STEADY
