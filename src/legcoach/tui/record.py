"""One record in full, and the export dialog: History's two dialogs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from legcoach import history
from legcoach.models import CheckIn, Record
from legcoach.tui import format as fmt
from legcoach.tui.plan import PlanView
from legcoach.tui.safe import plain
from legcoach.tui.widgets.footer import Footer
from legcoach.vocab import Units

if TYPE_CHECKING:
    pass


class RecordScreen(ModalScreen[None]):
    """One record in full, in words; a check-in with the plan it produced. Scrolls with
    the arrows, j/k, PageUp/PageDown, Home and End."""

    CSS_PATH = ["history.tcss", "plan.tcss"]

    BINDINGS = [
        Binding("escape,enter", "dismiss", "Close", id="record.close"),
        Binding("j", "scroll('down')", "Down", show=False, id="record.down"),
        Binding("k", "scroll('up')", "Up", show=False, id="record.up"),
    ]

    def __init__(self, record: Record, now: datetime, units: Units = Units.METRIC) -> None:
        super().__init__()
        self.record = record
        self.now = now
        self.units = units

    def compose(self) -> ComposeResult:
        record = self.record
        with VerticalScroll(id="record"):
            yield Static(
                Content.from_markup(
                    "[b]$summary[/b]\n$when",
                    summary=record.summary(fmt.units_of(self.app)),
                    when=f"{record.when.astimezone(self.now.tzinfo):%A %d %B %Y, %H:%M}",
                ),
                id="record-title",
            )
            lines = history.described(record, self.units)
            yield Static(plain("\n".join(lines) or "(no details)"), id="record-fields")
            if isinstance(record, CheckIn) and record.recommendation is not None:
                yield Static("[b]The plan it produced[/b]")
                yield PlanView(record.recommendation, record.at, id="record-plan")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#record", VerticalScroll).focus()

    def action_scroll(self, direction: str) -> None:
        scroller = self.query_one("#record", VerticalScroll)
        if direction == "down":
            scroller.scroll_down()
        else:
            scroller.scroll_up()


class ExportScreen(ModalScreen[Path | None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="export.cancel")]

    def __init__(self, default: Path, shown: str = "") -> None:
        """`shown`: what a filtered view shows ("runs since 01 Nov 2026"), so the dialog
        can say that the export holds every record, not only those."""
        super().__init__()
        self.default = default
        self.shown = shown

    def compose(self) -> ComposeResult:
        with Vertical(id="export"):
            scope = (
                f"\nEvery record is written, not only the {self.shown} shown." if self.shown else ""
            )
            yield Static(
                "[b]Export your history[/b]\nA .csv name writes CSV; anything else JSON." + scope
            )
            yield Input(str(self.default), id="export-path")
            yield Label("", id="export-error")
        yield Footer(compact=True, show_command_palette=False)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.query_one("#export-error", Label).update("Type a file name.")
            return
        self.dismiss(Path(text).expanduser())
