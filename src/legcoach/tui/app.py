"""The legcoach app: routes keys to screens; every decision comes from the journal/coach."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from legcoach.journal import Clock, Journal, local_now
from legcoach.models import CheckIn, LegSession, RunLog
from legcoach.storage.files import StoreError
from legcoach.storage.store import Store


class LegcoachApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "legcoach"
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    @property
    def first_launch(self) -> bool:
        store = self.journal.store
        return self.journal.profile().goal is None and not store.years()

    def on_mount(self) -> None:
        from legcoach.tui.home import HomeScreen

        self.push_screen(HomeScreen(self.journal))
        if self.first_launch:
            self.action_check_in(first_launch=True)

    # --- actions, reachable by key, from the command palette, and from any screen ------

    def action_help(self) -> None:
        from legcoach.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_check_in(self, first_launch: bool = False) -> None:
        from legcoach.tui.checkin import CheckInScreen

        self.push_screen(CheckInScreen(self.journal, first_launch=first_launch), self._checked_in)

    def _checked_in(self, result) -> None:
        if result is None:
            return
        from legcoach.tui.plan import PlanScreen

        assert result.checkin.recommendation is not None
        self.push_screen(
            PlanScreen(self.journal, result.checkin.recommendation, result.checkin, result.replaced)
        )

    def action_plan(self) -> None:
        from legcoach.tui.plan import PlanScreen

        today = self.journal.today()
        if today.checkin is not None and today.checkin.recommendation is not None:
            self.push_screen(PlanScreen(self.journal, today.checkin.recommendation, today.checkin))
        else:
            self.push_screen(PlanScreen(self.journal, today.plan))

    def action_warmup(self) -> None:
        from legcoach.tui.warmup import WarmupScreen

        today = self.journal.today()
        soreness = today.checkin.soreness if today.checkin else None
        self.push_screen(WarmupScreen(self.journal, soreness))

    def action_log_run(self) -> None:
        from legcoach.tui.log import LogRunScreen

        today = self.journal.today()
        plan = today.checkin.recommendation if today.checkin else today.plan
        self.push_screen(LogRunScreen(self.journal, plan), self._saved)

    def action_log_legs(self) -> None:
        from legcoach.tui.log import LogLegsScreen

        self.push_screen(LogLegsScreen(self.journal), self._saved)

    def _saved(self, record: RunLog | LegSession | CheckIn | None) -> None:
        if record is not None:
            self.notify(f"Saved: {record.summary()}.", title="Saved")

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Check in", "Today's pre-run check-in", self.action_check_in)
        yield SystemCommand("Plan", "Today's plan and why", self.action_plan)
        yield SystemCommand("Warm-up", "The guided warm-up", self.action_warmup)
        yield SystemCommand("Log run", "Save the run you did", self.action_log_run)
        yield SystemCommand("Log legs", "Save a leg workout", self.action_log_legs)
        yield SystemCommand("Help", "What this screen does and its keys", self.action_help)


def make_app(store: Store, clock: Clock = local_now) -> LegcoachApp:
    """The one factory, used by the command line and by the tests (with a fake clock)."""
    return LegcoachApp(Journal(store, clock))


def run(db: Path) -> int:
    try:
        store = Store(db)
        store.claim_instance()
    except StoreError as error:
        print(f"legcoach: error: {error}", file=sys.stderr)
        return 1
    try:
        make_app(store).run()
    finally:
        store.close()
    return 0
