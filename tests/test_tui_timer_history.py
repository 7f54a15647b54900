"""The recovery timer, the history screen and themes, driven with keys and a fake clock."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import weakref
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widgets import DataTable, Digits, Static, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from legcoach.journal import Journal
from legcoach.models import CheckIn, LegSession, RunLog, RunType, SorenessUpdate
from legcoach.storage.store import Store
from legcoach.timeline import first_allowed
from legcoach.tui.app import make_app
from legcoach.tui.history import FIRST_PAGE, PAGE, HistoryScreen
from legcoach.tui.home import HomeScreen
from legcoach.tui.record import RecordScreen
from legcoach.tui.timer import TimerScreen
from legcoach.tui.weeks import fill_weeks
from legcoach.tui.widgets.chart import Chart
from legcoach.vocab import Units
from tests.conftest import NOW, FakeClock
from tests.tui_helpers import (
    Toasts,
    app_with,
    journal_of,
    prepare_every_screen,
    press,
    screen_of,
    settle,
    text_of,
)


async def test_timer_counts_down_across_an_unlock_and_notifies(
    db_path: Path, clock: FakeClock
) -> None:
    toasts = Toasts()
    app = app_with(db_path, clock, legs_hours=30)  # hard legs: steady unlocks at 48 h
    async with app.run_test(message_hook=toasts, size=(80, 24)) as pilot:
        await press(pilot, "t")
        timer = app.screen
        assert isinstance(timer, TimerScreen)
        assert "30 h 00 min" in text_of(app, "#timer-since")
        assert timer.query_one("#timer-countdown", Digits).value == "18:00:00"
        assert "✓ easy" in text_of(app, "#timer-timeline")
        clock.advance(hours=17, minutes=59, seconds=58)
        timer.tick()
        assert timer.query_one("#timer-countdown", Digits).value == "00:00:02"
        assert not toasts
        clock.advance(seconds=3)
        timer.tick()
        await pilot.pause()
        assert any("Steady run unlocked" in n.message for n in toasts)
        assert "Steady run" in text_of(app, "#timer-next")
        assert "✓ steady" in text_of(app, "#timer-timeline")


async def test_a_long_session_keeps_no_closed_screen_or_old_footer_keys(
    db_path: Path, clock: FakeClock
) -> None:
    """A person who keeps the app open and peeks at the timer and the plan all day: each
    closed screen is released, and home's footer keeps only the keys it shows (both were
    held by Textual watchers, ~1.3 MiB a visit)."""
    app = app_with(db_path, clock, legs_hours=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        closed: list[weakref.ref[Any]] = []
        old_keys = [weakref.ref(key) for key in home.query("FooterKey")]
        assert old_keys
        for keys in (["t"], ["p"], ["c"], ["t"]):
            await press(pilot, *keys)
            assert app.screen is not home
            closed.append(weakref.ref(app.screen))
            await press(pilot, "escape")
            assert app.screen is home
        app.notice_outside_changes()  # nothing changed: the screens are not pruned by a redraw
        await pilot.pause()
        gc.collect()
        # The last one closed may still sit in a callback asyncio has scheduled (with the
        # context it was scheduled in) until that runs; the earlier ones are gone.
        assert [ref() for ref in closed[:-1]] == [None] * 3
        # Home's keys are the same on each return: the footer shows the keys it composed
        # first (composing them again for nothing cost a third of some keys' time).
        assert all((key := ref()) is not None and key.is_attached for ref in old_keys)


async def test_a_soreness_update_moves_the_timeline_at_once(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock, legs_hours=30)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "t")
        before = unlock_times(screen_of(app, TimerScreen))
        await press(pilot, "s", "8", "enter")
        timer = app.screen
        assert isinstance(timer, TimerScreen)
        after = unlock_times(timer)
        assert after[RunType.EASY] > NOW and before[RunType.EASY] <= NOW  # easy is gone
        assert after[RunType.STEADY] > before[RunType.STEADY]
        assert "Walk" in text_of(app, "#timer-next")
    (update,) = Store(db_path).records(SorenessUpdate)
    assert update.soreness == 8


def unlock_times(timer: TimerScreen) -> dict[str, datetime]:
    return {
        rung: step.at if step else datetime.max.replace(tzinfo=NOW.tzinfo)
        for rung, step in first_allowed(timer.steps).items()
    }


async def test_the_timer_says_which_recovery_rate_it_uses(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "t")
        assert "published average" in text_of(app, "#timer-basis")
        await press(pilot, "escape")
        records: list[LegSession | CheckIn | RunLog] = []
        for days_ago in (40, 30, 20):
            ended = NOW - timedelta(days=days_ago)
            records.append(LegSession(ended_at=ended, rpe=8))
            for hours, soreness in ((52, 6), (76, 4), (100, 2)):
                records.append(CheckIn(at=ended + timedelta(hours=hours), soreness=soreness))
        Store(db_path).commit(records)  # as another process would save them
        app.notice_outside_changes()
        await press(pilot, "t")
        assert "based on your last 3 leg days" in text_of(app, "#timer-basis")


def fill_history(db: Path, days: int) -> None:
    """Seed a history as another process (an import) would."""
    records: list[CheckIn | LegSession | RunLog] = []
    for day in range(days, 0, -1):
        at = NOW - timedelta(days=day)
        records.append(CheckIn(at=at, soreness=day % 7, sleep=3, energy=4))
        records.append(LegSession(ended_at=at + timedelta(hours=10), rpe=8, minutes=50))
        records.append(RunLog(at=at + timedelta(hours=2), run_type=RunType.EASY, minutes=30, rpe=4))
    Store(db).commit(records)


async def test_history_pages_filters_and_opens_a_record(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    fill_history(db_path, days=400)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "h")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#history-table", DataTable)
        assert table.row_count == FIRST_PAGE  # 1,200 saved, one screenful read
        assert screen.rows[0].when >= screen.rows[-1].when
        await press(pilot, "ctrl+end")
        await settle(pilot, lambda: table.row_count > FIRST_PAGE)
        assert table.row_count == FIRST_PAGE + PAGE  # more as the cursor nears the end
        await press(pilot, "f")  # leg workouts only
        assert {r.kind_name for r in screen.rows} == {"legs"}
        await press(pilot, "f", "f")  # runs
        assert {r.kind_name for r in screen.rows} == {"run"}
        await press(pilot, "f", "d")  # everything, since a date
        for key in "2026-11-20":
            await pilot.press(key)
        await press(pilot, "enter")
        assert len(screen.rows) == 15 and all(
            r.when.date().isoformat() >= "2026-11-20" for r in screen.rows
        )
        await press(pilot, "d", "ctrl+u")
        for key in "20x6":
            await pilot.press(key)
        await press(pilot, "enter")
        assert "Not a day" in text_of(app, "#history-since-error")
        assert "(got '20x6')" in text_of(app, "#history-since-error")
        await press(pilot, "d", "ctrl+u")
        for key in "3d":  # as `history --since` takes it: the last three days
            await pilot.press(key)
        await press(pilot, "enter")
        since = (NOW - timedelta(days=3)).date()
        assert screen.rows and all(r.when.date() >= since for r in screen.rows)
        assert text_of(app, "#history-since-error") == ""
        await press(pilot, "ctrl+home", "enter")  # the table has the focus again
        assert isinstance(app.screen, RecordScreen)
        newest = screen.rows[0]
        assert newest.summary() in text_of(app, "#record-title")
        assert f"{newest.when:%A %d %B %Y, %H:%M}" in text_of(app, "#record-title")
        assert "Effort: RPE 8/10" in text_of(app, "#record-fields")


async def test_history_trend_and_weeks(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    fill_history(db_path, days=60)
    Store(db_path).commit(
        [RunLog(at=NOW - timedelta(days=3, hours=-20), run_type=RunType.QUALITY, minutes=40, rpe=8)]
    )
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()  # the history written above, seen now, not mid-test
        await press(pilot, "h", "2")
        charts = app.screen.query(PlotextPlot)
        assert [c.id for c in charts] == ["trend-soreness", "trend-readiness", "trend-weeks"]
        header = str(app.screen.query("#trend Static").first().render())
        # The window (56 days back from 08:00) holds a check-in on each of days 56..1 back.
        assert "56 readings" in header and "30 Sep -> 24 Nov 2026" in header
        await press(pilot, "3")
        weeks = app.screen.query_one("#weeks-table", DataTable)
        assert weeks.row_count == 8
        # Legs end at 18:00 each day here, so the 04:00 quality run came 10 h after them.
        assert "quality run at RPE 8, 10 h after hard legs" in text_of(app, "#weeks-notes")
        assert app.focused is app.screen.query_one("#weeks")  # 1-3 move the keys into the tab
        await press(pilot, "1", "enter")  # back on records, Enter opens the newest at once
        assert isinstance(app.screen, RecordScreen)


async def test_history_reads_its_weeks_before_the_tab_is_asked_for(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The weeks are read once, while the records page shows: the Trend and Weeks keys
    then draw from what was read (and a new day reads them again)."""
    fill_history(db_path, days=20)
    reads: list[object] = []
    original = Journal._read_weeks

    def counted(self: Journal, *args: Any) -> Any:
        reads.append(args)
        return original(self, *args)

    monkeypatch.setattr(Journal, "_read_weeks", counted)
    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()
        await press(pilot, "h")
        assert len(reads) == 1  # read ahead, before 2 or 3 was pressed
        await press(pilot, "2", "3")
        assert len(reads) == 1 and app.screen.query_one("#weeks-table", DataTable).row_count == 8
        await press(pilot, "escape")
        clock.advance(days=1)
        await press(pilot, "h", "3")
        assert len(reads) == 2


async def test_history_builds_its_trend_and_weeks_while_the_records_show(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the records page is on screen, the Trend and Weeks tabs are built hidden and
    each chart drawn once, at the width it is shown with (the scroll bar's room kept):
    2 and 3 then show them and draw nothing again, and neither do the repaints after."""
    fill_history(db_path, days=20)
    drawn_at: list[Size] = []
    original = Chart._draw

    def counted(self: Chart, size: Size) -> Any:
        drawn_at.append(size)
        return original(self, size)

    monkeypatch.setattr(Chart, "_draw", counted)
    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()
        await press(pilot, "h")
        screen = app.screen
        await settle(pilot, lambda: bool(screen.query("#weeks-table")))
        assert screen.query_one(TabbedContent).active == "tab-records"
        assert len(drawn_at) == 3  # soreness, readiness, the weeks' bars
        assert screen.query_one("#weeks-table", DataTable).row_count == 8  # built ahead too
        await press(pilot, "2")
        charts = list(screen.query(Chart))
        assert [c.size for c in charts] == drawn_at
        assert {size.width for size in drawn_at} == {78}
        await press(pilot, "end", "home", "3", "2")
        assert len(drawn_at) == 3
        assert screen.query_one("#weeks-table", DataTable).row_count == 8


async def test_history_goes_on_building_its_tabs_when_shown_again(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Building the tabs ahead stops while History is covered (a record, home); shown
    again, it goes on, so 2 and 3 still find them built."""
    fill_history(db_path, days=20)
    building = HistoryScreen._build_tabs_ahead
    monkeypatch.setattr(HistoryScreen, "_build_tabs_ahead", lambda self: None)  # left at once
    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()
        await press(pilot, "h")
        screen = app.screen
        assert not screen.query(Chart) and not screen.query("#weeks-table")
        monkeypatch.setattr(HistoryScreen, "_build_tabs_ahead", building)
        await press(pilot, "enter", "escape")  # a record, and back
        await settle(pilot, lambda: bool(screen.query("#weeks-table")))
        assert len(screen.query(Chart)) == 3 and screen.query_one(TabbedContent).active == (
            "tab-records"
        )


async def test_building_the_tabs_ahead_gives_way_to_a_key(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key that arrives while History builds its tabs goes first: the next step
    waits for a pause after it, instead of running at each hop of the key's way up."""
    import legcoach.tui.history as history_module

    fill_history(db_path, days=5)
    ran: list[str] = []
    app = app_with(db_path, clock, legs_hours=None)

    def first() -> None:
        ran.append("first")
        app.keys_pressed += 1  # as a key arriving during a step counts itself

    def steps(self: HistoryScreen) -> Any:
        yield first
        yield lambda: ran.append("second")

    monkeypatch.setattr(HistoryScreen, "_steps_ahead", steps)
    monkeypatch.setattr(history_module, "AHEAD_AFTER_A_KEY_SECONDS", 3600)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()
        await press(pilot, "h")
        assert ran == ["first"]  # the second waits for the pause after the key
        monkeypatch.setattr(history_module, "AHEAD_AFTER_A_KEY_SECONDS", 0.001)
        await press(pilot, "escape", "h")  # shown again: the building goes on
        await settle(pilot, lambda: "second" in ran)
        assert ran[:1] == ["first"] and "second" in ran


async def test_quitting_while_history_builds_its_tabs_exits_cleanly(
    db_path: Path, clock: FakeClock
) -> None:
    """Quit right after History's first frame, while its tabs are being built: the
    building stops, no step meets a closing screen (it raised MountError)."""
    fill_history(db_path, days=20)
    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()
        await pilot.pause()
        app.action_history()
        app.screen.call_after_refresh(app.exit)
        await pilot.pause()
    assert app.return_code == 0


async def test_the_weeks_table_built_hidden_is_measured_before_it_is_shown(
    db_path: Path, clock: FakeClock
) -> None:
    """DataTable measures its rows when next idle, after a message; nothing else is
    sent to a table in a hidden tab, so the tab sends one, and the table shows with its
    rows in its first frame. (Pilot's pauses message every widget, so this test turns
    the loop without them.)"""
    fill_history(db_path, days=20)
    journal = Journal.open(db_path, clock)

    class HiddenTab(App[None]):
        def compose(self) -> ComposeResult:
            with TabbedContent():
                with TabPane("Shown"):
                    yield Static("shown")
                with TabPane("Weeks"):
                    yield VerticalScroll(id="box")

    app = HiddenTab()
    async with app.run_test(size=(80, 24)):
        await fill_weeks(app.query_one("#box", VerticalScroll), journal)
        table = app.query_one("#weeks-table", DataTable)
        for _ in range(50):  # turns of the loop, not time
            if table.virtual_size.height:
                break
            await asyncio.sleep(0)
        assert table.virtual_size.height == 9 and table.size.height == 0  # 8 weeks, hidden


async def test_history_is_kept_between_visits_and_catches_up_on_return(
    db_path: Path, clock: FakeClock
) -> None:
    """Coming back keeps your place; what was saved meanwhile (here, in another screen
    of this app, which no file watch sees), new units and a new day are there at once."""
    app = app_with(db_path, clock, legs_hours=None)
    fill_history(db_path, days=20)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()
        await press(pilot, "h", "down", "down", "down")
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        table = screen.query_one("#history-table", DataTable)
        third_newest = screen.rows[3]
        await press(pilot, "enter", "escape")  # a record and back: nothing reloads
        assert table.cursor_row == 3
        await press(pilot, "escape", "h")
        assert app.screen is screen and table.cursor_row == 3
        assert isinstance(screen, HistoryScreen) and screen.rows[3] is third_newest

        await press(pilot, "escape")
        journal = journal_of(app)
        journal.log_run(RunLog(at=clock.now, run_type=RunType.EASY, minutes=31, distance_m=5000))
        await press(pilot, "h")
        assert app.screen is screen and table.cursor_row == 0
        assert "31 min" in str(table.get_row_at(0)[2]) and "5.0 km" in str(table.get_row_at(0)[2])

        await press(pilot, "escape")
        journal.save_profile(journal.profile().model_copy(update={"units": Units.IMPERIAL}))
        await press(pilot, "h")
        assert "3.1 mi" in str(table.get_row_at(0)[2])

        await press(pilot, "3", "escape")
        weeks = screen.query_one("#weeks-table", DataTable)
        newest_week = str(weeks.get_row_at(weeks.row_count - 1)[0])
        clock.advance(days=7)
        await press(pilot, "h")
        weeks = screen.query_one("#weeks-table", DataTable)
        assert str(weeks.get_row_at(weeks.row_count - 1)[0]) != newest_week  # back from today
        app.action_history()  # from the palette while it is showing: nothing stacks up
        await pilot.pause()
        assert app.screen is screen and app.screen_stack.count(screen) == 1

        # Another process saves while History is kept away from the screen, on its weeks.
        await press(pilot, "escape")
        Store(db_path).commit([RunLog(at=clock.now, run_type=RunType.QUALITY, minutes=44, rpe=8)])
        app.notice_outside_changes()
        await pilot.pause()
        await press(pilot, "h")
        assert app.screen is screen and len(screen.query("#weeks-table")) == 1
        await press(pilot, "1")
        assert "quality run, 44 min" in str(table.get_row_at(0)[2])


async def test_export_from_history_then_import_adds_nothing_twice(
    db_path: Path, clock: FakeClock, tmp_path: Path
) -> None:
    toasts = Toasts()
    app = app_with(db_path, clock, legs_hours=None)
    fill_history(db_path, days=10)
    target = tmp_path / "out.json"
    async with app.run_test(message_hook=toasts, size=(80, 24)) as pilot:
        await press(pilot, "h", "x", "ctrl+u")
        for key in str(target):
            await pilot.press(key)
        await press(pilot, "enter")
        await app.workers.wait_for_complete()  # the export runs off the UI thread
        await pilot.pause()
        assert any("All 30 records written" in n.message for n in toasts)
    assert len(json.loads(target.read_text())["checkins"]) == 10
    journal = Journal.open(tmp_path / "fresh.json", clock)
    first = journal.import_paths([target]).report
    assert (first.added, first.unchanged, first.conflicts) == (30, 0, [])
    again = journal.import_paths([target]).report
    assert (again.added, again.unchanged, again.conflicts) == (0, 30, [])


async def test_a_theme_switch_is_remembered_across_a_restart(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "legcoach-dark"
        app.theme = "legcoach-light"
        await pilot.pause()
    assert Store(db_path).profile().theme == "legcoach-light"
    again = make_app(Journal.open(db_path, clock))
    async with again.run_test(size=(80, 24)):
        assert again.theme == "legcoach-light"


async def test_a_broken_user_theme_is_skipped_with_a_message(
    db_path: Path, clock: FakeClock, tmp_path: Path
) -> None:
    toasts = Toasts()
    themes = tmp_path / "my-themes"
    themes.mkdir()
    (themes / "good.toml").write_text('name = "mine"\nprimary = "#123456"\n')
    (themes / "bad-colour.toml").write_text('name = "oops"\nprimary = "not-a-colour"\n')
    (themes / "bad-toml.toml").write_text("name = [unclosed\n")
    app = make_app(journal_of(app_with(db_path, clock)), user_themes=themes)
    async with app.run_test(message_hook=toasts, size=(80, 24)) as pilot:
        await pilot.pause()
        assert "mine" in app.available_themes and "oops" not in app.available_themes
        (warning,) = [n for n in toasts if n.title == "Theme files skipped"]
        assert "bad-colour.toml primary is not a colour" in warning.message
        assert "bad-toml.toml is not valid TOML" in warning.message
        assert isinstance(app.screen, HomeScreen)


async def test_an_unknown_saved_theme_falls_back_with_a_message(
    db_path: Path, clock: FakeClock
) -> None:
    toasts = Toasts()
    journal = journal_of(app_with(db_path, clock))
    journal.save_profile(journal.profile().model_copy(update={"theme": "gone"}))
    app = make_app(Journal.open(db_path, clock))
    async with app.run_test(message_hook=toasts, size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "legcoach-dark"
        assert any("'gone' is not available" in n.message for n in toasts)


async def test_no_color_is_respected(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        assert isinstance(app.screen, HomeScreen)


async def test_another_process_saving_while_the_weeks_or_trend_tab_is_open(
    db_path: Path, clock: FakeClock
) -> None:
    """The open tab refills from the new history: the old table and charts are gone
    before the new ones come (a new table used to meet the old one's id and crash)."""
    app = app_with(db_path, clock, legs_hours=None)
    fill_history(db_path, days=20)
    async with app.run_test(size=(80, 24)) as pilot:
        for tab in ("3", "2"):
            await press(pilot, "h", tab)
            for minutes in (30, 45):
                Store(db_path).commit(
                    [
                        RunLog(
                            at=clock.now - timedelta(hours=minutes / 60),
                            run_type=RunType.EASY,
                            minutes=minutes,
                            rpe=4,
                        )
                    ]
                )
                app.notice_outside_changes()
                await pilot.pause()
                await pilot.pause()
            if tab == "3":
                assert len(app.screen.query("#weeks-table")) == 1
            else:
                assert [c.id for c in app.screen.query(PlotextPlot)] == [
                    "trend-soreness",
                    "trend-readiness",
                    "trend-weeks",
                ]
            await press(pilot, "escape")


async def test_screens_opened_after_the_app_prepared_them_parse_no_styles(
    db_path: Path, clock: FakeClock
) -> None:
    """Once the idle app has imported and styled its screens, opening one adds no
    stylesheet source (a new one makes Textual parse them all again mid-open)."""
    app = app_with(db_path, clock)
    fill_history(db_path, days=10)
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()
        await prepare_every_screen(app)
        await pilot.pause()
        prepared = set(app.stylesheet.source)
        # The screens' own .tcss and the compound widgets' parts are among them.
        assert any(path.endswith("history.tcss") for path, _ in prepared)
        assert any(name == "Underline.DEFAULT_CSS" for _, name in prepared)
        for keys in (
            ["h", "2", "3", "1", "enter", "escape", "x", "escape", "escape"],
            ["t", "escape"],
            ["c", "escape"],
            ["r", "escape"],
            ["g", "escape"],
            ["w", "escape"],
            ["s", "escape"],
            ["p", "escape"],
            ["k", "escape"],
        ):
            await press(pilot, *keys)
            added = set(app.stylesheet.source) - prepared
            assert not added, (keys, added)
        assert isinstance(app.screen, HomeScreen)


# Run in a fresh interpreter: in the suite's, earlier tests have imported everything.
FIRST_VISITS = """
import asyncio, json, sys
from pathlib import Path
from tests.conftest import FakeClock
from tests.test_tui_timer_history import fill_history
from tests.tui_helpers import app_with, prepare_every_screen, press

async def main(db):
    fill_history(db, days=10)
    app = app_with(db, FakeClock())
    imported = {}
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()
        await prepare_every_screen(app)
        await pilot.pause()
        for keys in json.loads(sys.argv[2]):
            before = set(sys.modules)
            await press(pilot, *keys)
            imported[" ".join(keys)] = sorted(set(sys.modules) - before)
    print(json.dumps(imported))

asyncio.run(main(Path(sys.argv[1])))
"""


def test_screens_opened_after_the_app_prepared_them_import_nothing(tmp_path: Path) -> None:
    """Once the idle app has prepared its screens, a key that opens one imports no
    module (an import is paid by the person who pressed it), down to what rich
    imports on first use (a table's markup, a chart's colours)."""
    keys = [
        ["k", "escape"],
        ["h"],
        ["2", "3", "1", "enter", "escape", "e", "escape", "escape"],
        ["t", "escape"],
        ["c", "escape"],
        ["r", "escape"],
        ["g", "escape"],
        ["p", "escape"],
    ]
    done = subprocess.run(
        [sys.executable, "-c", FIRST_VISITS, str(tmp_path / "legcoach.json"), json.dumps(keys)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, "LEGCOACH_DB": str(tmp_path / "legcoach.json")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = json.loads(done.stdout.strip().splitlines()[-1])
    assert imported == {" ".join(k): [] for k in keys}


async def test_an_unlock_is_told_on_any_screen(db_path: Path, clock: FakeClock) -> None:
    """Issue 25 item 4: the open app notifies on every unlock, not only in the timer."""
    toasts = Toasts()
    app = app_with(db_path, clock, legs_hours=30)  # steady unlocks at 48 h
    async with app.run_test(message_hook=toasts, size=(80, 24)) as pilot:
        await pilot.pause()
        clock.advance(hours=18, seconds=1)
        app.notice_outside_changes()  # what the app's once-a-second check calls
        await pilot.pause()
        assert [n.message for n in toasts if "unlocked" in n.message] == ["Steady run unlocked."]
