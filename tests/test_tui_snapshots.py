"""How the screens look at 60x20, 80x24 and 120x40, with fixed data and a fixed clock
(SVG snapshots); the themes, the warm-up and the edit dialog at 80x24.

Update after an intended change with `pytest tests/test_tui_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from legcoach.models import CheckIn, Fuel, Goal, RunLog, RunType
from legcoach.tui.app import LegcoachApp
from legcoach.tui.warmup import WarmupScreen
from tests.conftest import NOW, FakeClock
from tests.tui_helpers import app_with, journal_of, screen_of

SIZE = (80, 24)
# The small terminal, the default one and a tall one: what matters fits all three.
SIZES = pytest.mark.parametrize(
    "size", [(60, 20), (80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}"
)


@pytest.fixture
def app(db_path: Path, clock: FakeClock) -> LegcoachApp:
    app = app_with(db_path, clock, goal=Goal.ENDURANCE, legs_hours=30)
    journal = journal_of(app)
    journal.log_run(RunLog(at=NOW - timedelta(days=3), run_type=RunType.EASY, minutes=40, rpe=4))
    journal.check_in(
        CheckIn(at=NOW - timedelta(days=2), soreness=2, sleep=4, fuel=Fuel.MEAL, warmup=True)
    )
    return app


@SIZES
def test_home(app: LegcoachApp, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app, terminal_size=size)


@SIZES
def test_checkin_soreness_step(app: LegcoachApp, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app, press=["c", "1", "enter", "4"], terminal_size=size)


@SIZES
def test_plan(app: LegcoachApp, snap_compare: Any, size: tuple[int, int]) -> None:
    keys = [
        "c",
        "1",
        "enter",
        "4",
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
        "enter",
    ]
    assert snap_compare(app, press=keys, terminal_size=size)


def test_warmup(app: LegcoachApp, snap_compare: Any) -> None:
    async def open_warmup_and_advance(pilot: Pilot[None]) -> None:
        await pilot.press("w")
        clock = journal_of(app).clock
        assert isinstance(clock, FakeClock)
        clock.advance(seconds=95)
        screen_of(app, WarmupScreen).tick()
        await pilot.pause()

    assert snap_compare(app, run_before=open_warmup_and_advance, terminal_size=SIZE)


@pytest.fixture
def app_with_history(app: LegcoachApp, db_path: Path) -> LegcoachApp:
    from tests.test_tui_timer_history import fill_history

    fill_history(db_path, days=70)
    return app


@SIZES
def test_timer(app: LegcoachApp, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app, press=["t"], terminal_size=size)


@SIZES
def test_history_table(
    app_with_history: LegcoachApp, snap_compare: Any, size: tuple[int, int]
) -> None:
    assert snap_compare(app_with_history, press=["h"], terminal_size=size)


@SIZES
def test_history_trend(
    app_with_history: LegcoachApp, snap_compare: Any, size: tuple[int, int]
) -> None:
    async def open_trend(pilot: Pilot[None]) -> None:
        await pilot.press("h", "2")
        # The tab fills when first shown (the chart library is imported then): wait
        # until its charts are there, however long the machine takes.
        for _ in range(500):  # a bound, never a hang: a missing chart fails the snapshot
            if pilot.app.screen.query("#trend-weeks"):
                break
            await pilot.pause()
        await pilot.pause()

    assert snap_compare(app_with_history, run_before=open_trend, terminal_size=size)


@SIZES
def test_history_weeks(
    app_with_history: LegcoachApp, snap_compare: Any, size: tuple[int, int]
) -> None:
    assert snap_compare(app_with_history, press=["h", "3"], terminal_size=size)


@pytest.mark.parametrize("theme", ["legcoach-dark", "legcoach-light", "legcoach-high-contrast"])
def test_home_in_each_shipped_theme(app: LegcoachApp, theme: str, snap_compare: Any) -> None:
    async def use_theme(pilot: Pilot[None]) -> None:
        pilot.app.theme = theme
        await pilot.pause()

    assert snap_compare(app, run_before=use_theme, terminal_size=SIZE)


@SIZES
def test_settings(app: LegcoachApp, snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app, press=["s", "enter"], terminal_size=size)


def test_edit_a_record(app: LegcoachApp, snap_compare: Any) -> None:
    assert snap_compare(app, press=["h", "e"], terminal_size=SIZE)
