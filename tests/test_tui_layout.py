"""What the screens show at 60x20, 80x24 and 120x40 (issue 26 items 5, 9, 13, 14): the
charts' axes, History's footer and export, the weeks' distance, panels that line up,
details cut with "…" rather than off the screen."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.widgets import DataTable
from textual_plotext import PlotextPlot

from legcoach.models import CheckIn, LegSession, RunLog, RunType, Units
from legcoach.tui.app import LegcoachApp
from legcoach.tui.history import HistoryScreen
from legcoach.tui.trend import axis_start, day_ticks, minute_ticks
from legcoach.tui.widgets.chart import Chart
from legcoach.tui.widgets.week import WeekTable
from tests.conftest import NOW, FakeClock
from tests.test_tui_timer_history import fill_history
from tests.tui_helpers import app_with, journal_of, press, screen_of, text_of

SIZES = pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)], ids=str)


def drawn(chart: PlotextPlot) -> list[str]:
    """The chart as the terminal gets it (80 columns), lines without colour codes."""
    chart.plt.plotsize(78, 13)
    return [re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip() for line in chart.plt.build().splitlines()]


def footer_keys(app: LegcoachApp) -> str:
    return " ".join(str(key.render()) for key in app.screen.query("FooterKey"))


@pytest.mark.parametrize("highest", [0, 1, 44, 60, 428, 1000, 2999])
def test_the_minutes_axis_has_whole_round_ticks_over_the_highest_week(highest: int) -> None:
    top, ticks = minute_ticks(highest)
    assert top >= highest and ticks[0] == 0 and ticks[-1] == top
    step = ticks[1] - ticks[0]
    assert step in (15, 30, 60, 120, 180, 300, 600) and 2 <= len(ticks) <= 7
    assert all(b - a == step for a, b in itertools.pairwise(ticks))


@pytest.mark.parametrize("width", [40, 60, 80, 120, 200])
@pytest.mark.parametrize("span", [7.0, 10.5, 21.0, 56.0])
def test_date_ticks_are_even_and_fit_the_width(span: float, width: int) -> None:
    ticks = day_ticks(span, width)
    assert ticks[0] == 0 and ticks[-1] <= span
    assert len({b - a for a, b in itertools.pairwise(ticks)}) <= 1  # evenly spaced
    assert len(ticks) * 9 <= max(width - 8, 18)  # "28 Oct" and a gap each


def test_a_new_history_is_charted_from_its_first_reading() -> None:
    window = NOW - timedelta(days=56)
    first = NOW - timedelta(days=20, hours=3)
    start = axis_start(window, NOW, [first])
    assert start.date() == first.date() and start.hour == 0
    # An old history keeps the eight weeks; a day-old one still shows a week.
    assert axis_start(window, NOW, [NOW - timedelta(days=400)]).date() == window.date()
    assert (
        axis_start(window, NOW, [NOW - timedelta(hours=5)]).date()
        == (NOW - timedelta(days=7)).date()
    )


async def test_a_chart_draws_what_textual_plotext_draws_at_its_size() -> None:
    """Chart keeps its drawing and can draw ahead at a size; what it draws is what
    PlotextPlot itself draws at that size, in every theme (a library change that
    parted the two would show here)."""

    class Two(App[None]):
        CSS = "PlotextPlot { height: 9; width: 61; }"

        def compose(self) -> ComposeResult:
            for plot in (Chart(id="kept"), PlotextPlot(id="library")):
                plot.plt.plot([0, 3, 7, 12], [2, 8, 5, 1], marker="●")
                plot.plt.ylim(0, 10)
                yield plot

    app = Two()
    async with app.run_test(size=(70, 24)) as pilot:
        kept, library = app.query_one("#kept", Chart), app.query_one("#library", PlotextPlot)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            assert kept.size == library.size == Size(61, 9)
            assert kept.render().markup == library.render().markup  # type: ignore[union-attr]
        kept.draw_ahead(40)
        assert kept._drawn is not None and kept._drawn[0] == (Size(40, 9), "textual-light", "auto")


async def test_trend_charts_are_dated_alike_and_do_not_label_empty_weeks(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    fill_history(db_path, days=20)  # three weeks of data, not eight
    async with app.run_test(size=(80, 24)) as pilot:
        app.notice_outside_changes()
        await press(pilot, "h", "2")
        for _ in range(500):
            if app.screen.query("#trend-weeks"):
                break
            await pilot.pause()
        await pilot.pause()
        sore = drawn(app.screen.query_one("#trend-soreness", PlotextPlot))
        weeks = drawn(app.screen.query_one("#trend-weeks", PlotextPlot))
    first_day = (NOW - timedelta(days=20)).date()
    dates = re.compile(r"[0-9]{2} [A-Z][a-z]{2}")
    sore_dates, week_dates = dates.findall(sore[-1]), dates.findall(weeks[-1])
    assert sore_dates[0] == f"{first_day:%d %b}"  # the axis starts at the data
    assert sore[-1].split() == [part for d in sore_dates for part in d.split()]  # one form
    assert week_dates and weeks[-1].split() == [p for d in week_dates for p in d.split()]
    assert "L0" not in "".join(weeks)  # nothing over a week without legs
    assert all(re.fullmatch(r"[0-9]+", line.split("┤")[0].strip()) for line in weeks if "┤" in line)


async def test_history_footer_shows_each_key_where_it_works(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    fill_history(db_path, days=10)
    async with app.run_test(size=(100, 30)) as pilot:
        app.notice_outside_changes()
        await press(pilot, "h")
        keys = footer_keys(app)
        assert "Edit" in keys and "Delete" in keys and "Undo" not in keys
        await press(pilot, "2")
        keys = footer_keys(app)
        assert "Edit" not in keys and "Delete" not in keys
        await press(pilot, "e")  # does nothing on the Trend tab
        assert isinstance(app.screen, HistoryScreen)
        await press(pilot, "1", "delete", "y")
        await pilot.pause()
        assert "Undo" in footer_keys(app)  # a delete made here can be undone
        await press(pilot, "u")
        assert "Undo" not in footer_keys(app)


async def test_exporting_a_filtered_view_says_every_record_is_written(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    fill_history(db_path, days=3)
    async with app.run_test(size=(100, 30)) as pilot:
        app.notice_outside_changes()
        await press(pilot, "h", "x")
        assert "not only" not in text_of(app, "#export Static")
        await press(pilot, "escape", "f", "x")
        assert "Every record is written, not only the leg workouts shown" in text_of(
            app, "#export Static"
        )


async def test_the_weeks_tab_shows_running_minutes_and_distance_in_your_units(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    journal.save_profile(journal.profile().model_copy(update={"units": Units.IMPERIAL}))
    journal.log_run(
        RunLog(at=NOW - timedelta(hours=30), run_type=RunType.EASY, minutes=50, distance_m=8046.72)
    )
    journal.log_run(RunLog(at=NOW - timedelta(hours=6), run_type=RunType.EASY, minutes=20))
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "h", "3")
        table = app.screen.query_one("#weeks-table", DataTable)
        labels = [str(column.label) for column in table.columns.values()]
        row = [str(cell) for cell in table.get_row_at(0)]
    assert row[labels.index("Run")] == "70′"
    assert row[labels.index("Dist")] == "5.0 mi"


@SIZES
async def test_history_details_fit_the_screen_and_say_when_cut(
    db_path: Path, clock: FakeClock, size: tuple[int, int]
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    journal.log_legs(
        LegSession(ended_at=NOW - timedelta(hours=3), rpe=8, minutes=75, note="x" * 60)
    )
    async with app.run_test(size=size) as pilot:
        await press(pilot, "h")
        table = app.screen.query_one("#history-table", DataTable)
        details = str(table.get_row_at(0)[2])
        full = screen_of(app, HistoryScreen).rows[0].summary()
        assert details == full or (details.endswith("…") and full.startswith(details[:-1]))
        assert table.virtual_size.width <= table.size.width  # nothing runs off to the right


@SIZES
async def test_home_panels_line_up_and_today_is_in_the_week(
    db_path: Path, clock: FakeClock, size: tuple[int, int]
) -> None:
    app = app_with(db_path, clock, legs_hours=30)
    journal = journal_of(app)
    journal.check_in(CheckIn(at=NOW - timedelta(minutes=5), soreness=3, sleep=4, energy=4))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        recovery = app.screen.query_one("#recovery").region
        today = app.screen.query_one("#today").region
        assert recovery.height == today.height and recovery.y == today.y
        week = app.screen.query_one("#week-table", WeekTable)
        assert week.rows is not None and week.rows[-1][0] == "Today"
        shown = week.newest_that_fit()
        assert shown[-1][0] == "Today" and len(shown) >= 5  # the oldest days give way
        assert week.content_region.height >= len(shown) + 1  # they and the header fit
        assert week.region.bottom <= size[1] - 1  # above the footer
        if size[1] >= 24:
            assert shown == week.rows  # the whole week where there is room


# Answers step by step (each a list of keys ending in Enter): no leg workout, or one
# logged in the check-in (when, how hard, what kind), then the same nine questions.
NO_LEGS = [["1", "enter"]]
WITH_LEGS = [["2", "enter"], ["2", "0", "enter"], ["8", "enter"], ["1", "enter"]]
THE_REST = [
    ["3", "enter"],
    ["enter"],
    ["enter"],
    ["3", "enter"],
    ["4", "enter"],
    ["4", "enter"],
    ["2", "enter"],
    ["1", "enter"],
    ["enter"],
]


@pytest.mark.parametrize("legs", [NO_LEGS, WITH_LEGS], ids=["no legs", "legs logged"])
async def test_the_step_count_never_jumps_and_the_bar_fills(
    db_path: Path, clock: FakeClock, legs: list[list[str]]
) -> None:
    from textual.widgets import ProgressBar

    app = app_with(db_path, clock, legs_hours=None)
    seen: list[tuple[int, int]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c")
        for keys in [*legs, *THE_REST]:
            match = re.match(r"Step (\d+) of (\d+)", text_of(app, "#wizard-step"))
            assert match is not None
            seen.append((int(match[1]), int(match[2])))
            bar = app.screen.query_one(ProgressBar)
            last = (bar.progress, bar.total)
            await press(pilot, *keys)
    assert {total for _, total in seen} == {10}  # one total from the first step to the last
    numbers = [number for number, _ in seen]
    assert numbers == sorted(numbers) and numbers[0] == 1 and numbers[-1] == 10
    assert last == (10, 10)  # full at the last step


async def test_unticked_red_flag_boxes_are_empty_without_colour(
    db_path: Path, clock: FakeClock
) -> None:
    from legcoach.tui.wizard import TickList

    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c", "1", "enter", "3", "enter", "2")  # tick the second flag
        flags = app.screen.query_one(TickList)
        lines = [flags.render_line(y).text for y in range(3)]
    boxes = [line[:3] for line in lines]
    assert boxes[1] != boxes[0] == boxes[2]  # told apart by the glyph itself
    assert "X" in boxes[1] and "X" not in boxes[0]
