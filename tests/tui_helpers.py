"""Driving the app in tests: a temporary database, a fake clock, real key presses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from legcoach.journal import Journal
from legcoach.models import Goal, LegKind, LegSession, Profile
from legcoach.tui.app import LegcoachApp, make_app
from legcoach.tui.widgets.week import WeekTable
from tests.conftest import NOW, FakeClock

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


def app_with(
    db: Path, clock: FakeClock, *, goal: Goal | None = Goal.ENDURANCE, legs_hours: float | None = 30
) -> LegcoachApp:
    journal = Journal.open(db, clock)
    if goal is not None:
        journal.save_profile(Profile(goal=goal))
    if legs_hours is not None:
        journal.log_legs(
            LegSession(
                ended_at=NOW - timedelta(hours=legs_hours), rpe=8, kind=LegKind.HEAVY_STRENGTH
            )
        )
    return make_app(journal)


def journal_of(app: LegcoachApp) -> Journal:
    assert app.journal is not None
    return app.journal


async def press(pilot: Pilot[None], *keys: str) -> None:
    """Each key as a person presses it: the next one once the app has taken the last
    (a key that opens a screen is followed by one meant for that screen)."""
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def settle(pilot: Pilot[None], done: Callable[[], bool], rounds: int = 50) -> None:
    """Pause until `done()` holds. A key that moves a cursor, whose highlight then loads
    rows, is a chain of messages: each pause sees one more link through, and how many
    are through after one pause depends on how busy the machine is. Counted in rounds,
    never in seconds; the caller asserts the condition after."""
    for _ in range(rounds):
        if done():
            return
        await pilot.pause()


def text_of(app: LegcoachApp, selector: str) -> str:
    """What the widget shows; for a container, its Statics' text, a line each."""
    widget = app.screen.query_one(selector)
    if isinstance(widget, Static):
        return str(widget.render())
    return "\n".join(str(child.render()) for child in widget.query(Static))


class Toasts(list[Any]):
    """Every notification the app shows, collected through `run_test(message_hook=...)`."""

    def __call__(self, message: object) -> None:
        from textual.notifications import Notify

        if isinstance(message, Notify):
            self.append(message.notification)

    def messages(self) -> list[str]:
        return [toast.message for toast in self]


def week_rows(app: LegcoachApp) -> list[list[str]]:
    """Home's week table, as drawn (its rows are there once home has drawn them)."""
    rows = app.screen.query_one("#week-table", WeekTable).rows
    assert rows is not None, "home's week is not drawn yet"
    return rows


def screen_of(app: LegcoachApp, kind: type[ScreenT]) -> ScreenT:
    """The screen on top, checked to be of the kind the test drives."""
    assert isinstance(app.screen, kind), type(app.screen).__name__
    return app.screen


async def prepare_every_screen(app: LegcoachApp) -> None:
    """What the idle app does a moment after start-up, done now and waited for. The
    app's own timer may start the same exclusive worker meanwhile, cancelling ours: then
    the newer one is waited for."""
    from textual.worker import WorkerCancelled

    app._prepare_screens()
    for _ in range(5):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue
    await app.workers.wait_for_complete()
