"""History: every record (paged, filterable), the soreness trend and the weeks side by side.

Ten years of records stay smooth because nothing is read before it is shown: the table
pulls records a page at a time from the store's newest-first iterators, and the trend
and weeks read only their last few weeks.
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    DataTable,
    Input,
    Label,
    Static,
    TabbedContent,
    TabPane,
)

from legcoach.errors import StoreError
from legcoach.models import SOURCE_LABELS, Record
from legcoach.parsing import month_first, parse_day
from legcoach.tui import format as fmt
from legcoach.tui.messages import HistoryChanged
from legcoach.tui.record import ExportScreen, RecordScreen
from legcoach.tui.safe import cell, notify_plain, plain
from legcoach.tui.screen import AppScreen
from legcoach.tui.widgets.footer import Footer
from legcoach.tui.widgets.title import TitleBar
from legcoach.vocab import Units

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from legcoach.journal import Journal

PAGE = 100
# The first page fills a tall terminal and no more (the table measures every row it
# holds): the next pages come as the cursor nears the end.
FIRST_PAGE = 40
FILTERS = ("all", "legs", "checkin", "run")
NOTHING_SAVED = "Nothing saved here yet."
FILTER_LABELS = {"all": "everything", "legs": "leg workouts", "checkin": "check-ins", "run": "runs"}


class RecordsTable(DataTable[object]):
    """The records table: End and Home go to the last and first record (loading the rest
    of the history first), not sideways as a DataTable's own End does."""

    BINDINGS = [
        Binding("end", "screen.last_row", "Last record", show=False),
        Binding("home", "screen.first_row", "First record", show=False),
    ]


# Beside Details: When (21 characters) and What (7), each cell padded by one on both
# sides, Details' own padding and the vertical scroll bar.
DETAILS_BESIDE = 23 + 9 + 2 + 2

# How long building the tabs ahead waits after a key: the key's screen drawn first.
AHEAD_AFTER_A_KEY_SECONDS = 0.1
FOCUS_IN_TAB = {"tab-records": "#history-table", "tab-trend": "#trend", "tab-weeks": "#weeks"}


class HistoryScreen(AppScreen[None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("f", "next_filter", "Kind", id="history.filter"),
        Binding("d", "focus_since", "Since", id="history.since"),
        Binding("x", "export", "Export", id="history.export"),
        Binding("e", "edit", "Edit", id="history.edit"),
        Binding("delete", "delete", "Delete", id="history.delete"),
        # Shown only when it would act (check_action): the footer says what works here.
        Binding("u", "undo", "Undo", id="history.undo"),
        Binding("1", "tab('tab-records')", "Records tab", show=False, id="history.records"),
        Binding("2", "tab('tab-trend')", "Trend tab", show=False, id="history.trend"),
        Binding("3", "tab('tab-weeks')", "Weeks tab", show=False, id="history.weeks"),
        Binding("escape", "back", "Back", id="history.back"),
    ]
    HELP = (
        "Everything you saved, newest first. **Enter** opens a record (a check-in shows the "
        "plan it produced), **f** switches between everything, leg workouts, check-ins and "
        "runs, **d** filters from a date on. **e** edits the record under the cursor, "
        "**Delete** deletes it after asking (**u** brings it back; so does `legcoach restore ID`), "
        "**Home** and **End** go to the first and last record. "
        "**1**, **2**, **3** switch tabs. The tabs show your soreness trend and your "
        "weeks side by side, with each week's load (RPE x minutes) and a note when a hard "
        "run came within 24 h after hard legs. **x** exports (JSON or CSV). Coming back "
        "to History keeps your place, filter and tab; anything saved meanwhile is there."
    )

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self.kind = "all"
        self.since: date | None = None
        self.rows: list[Record] = []
        self._source: Iterator[Record] | None = None
        self._exhausted = False
        # Each Trend or Weeks pane built, until the history changes, with its mount while
        # that may still be going on (built ahead or clicked): its key waits for it, so
        # the tab comes whole in one frame.
        self._built: dict[str, AwaitMount | None] = {}
        self._deleted: list[str] = []  # ids deleted here, newest last, for u
        # Kept between visits (the app installs it): what it was drawn from, and whether
        # it is being shown again, when it catches up with saves made elsewhere meanwhile.
        self._drawn_from: tuple[int, date, Units] | None = None
        self.coming_back = False
        self._details_fit = 60

    def compose(self) -> ComposeResult:
        yield TitleBar("History")
        with TabbedContent(id="history-tabs"):
            with TabPane("Records", id="tab-records"):
                with Horizontal(id="history-filters"):
                    yield Static("", id="history-kind")
                    yield Input(placeholder="since: 2w, monday, 2026-11-01", id="history-since")
                yield Label("", id="history-since-error")
                yield RecordsTable(id="history-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Trend", id="tab-trend"):
                yield VerticalScroll(id="trend")
            with TabPane("Weeks", id="tab-weeks"):
                # One scrolling page: the weeks' table whole, then the verdicts and notes.
                yield VerticalScroll(id="weeks")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#history-table", DataTable)
        table.add_columns("When", "What", "Details")
        self._details_fit = self._details_width()
        self.reload_records()
        table.focus()
        # The tabs are built ahead from on_screen_resume, which comes on this first show too.

    def _build_tabs_ahead(self) -> None:
        """Build the Trend and Weeks tabs, hidden, once the records page is on screen,
        and draw the charts: their keys then only show them, and History's first frame
        pays for neither. In a worker, a step at a time, so that leaving History or
        quitting cancels it (a step must not meet a screen being closed), and a key
        pressed meanwhile waits for one step (at most some 25 ms), not for them all."""
        if self._may_build_ahead():
            self._build_ahead()

    def _steps_ahead(self) -> Iterator[Callable[[], object]]:
        yield partial(self._shown_whole, "tab-trend")
        from legcoach.tui.trend import drawings_ahead

        yield from drawings_ahead(self.query_one("#trend", VerticalScroll))
        yield partial(self._shown_whole, "tab-weeks")

    def _may_build_ahead(self) -> bool:
        # Shown and the app not on its way out; covered, it goes on when shown again.
        return self.is_current and self.is_attached and self.app.return_code is None

    @work(exclusive=True, group="history-ahead")
    async def _build_ahead(self) -> None:
        keys_seen = self.app.keys_pressed
        for step in self._steps_ahead():
            await asyncio.sleep(0)  # a key that has arrived is counted before the check
            while self.app.keys_pressed != keys_seen:
                # It is on its way up through the widgets, a message at a time: it goes
                # first, and the building goes on after a pause.
                keys_seen = self.app.keys_pressed
                await asyncio.sleep(AHEAD_AFTER_A_KEY_SECONDS)
            if not self._may_build_ahead():
                return  # a tab's key builds what is missing
            try:
                if inspect.isawaitable(done := step()):
                    await done
            except StoreError:
                return  # met again, and told, by the tab's key

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Edit and Delete act on the records table, Undo on a delete made here: each
        is in the footer only where and when it works."""
        if action in ("edit", "delete"):
            return self.query_one(TabbedContent).active == "tab-records"
        if action == "undo":
            return bool(self._deleted)
        return True

    def _details_width(self) -> int:
        """The Details column's share of the screen: what is left beside When and What
        (with the cells' padding and the scroll bar), so a long summary ends in "…"
        on screen instead of running off it."""
        return max(12, self.size.width - DETAILS_BESIDE)

    def on_resize(self) -> None:
        fit = self._details_width()
        if fit != self._details_fit:
            self._details_fit = fit
            self._redraw_rows()

    def _redraw_rows(self) -> None:
        """The rows already read, drawn again for a new width (nothing is read again)."""
        table = self.query_one("#history-table", DataTable)
        row = table.cursor_row
        table.clear()
        units = self.journal.profile().units
        for index, record in enumerate(self.rows):
            self._add_row(table, record, index, units)
        if not self.rows and self._exhausted:
            table.add_row("", "", NOTHING_SAVED)
        self._cursor_near(row)

    def _cursor_near(self, row: int) -> None:
        """The cursor back on `row`, or the last row if the table is shorter now."""
        table = self.query_one("#history-table", DataTable)
        table.move_cursor(row=min(row, max(0, table.row_count - 1)))

    def _now_drawing_from(self) -> tuple[int, date, Units]:
        """The journal's revision, the day (the trend and weeks count back from it) and
        the units (the records' summaries use them)."""
        return (self.journal.revision, self.journal.now().date(), self.journal.profile().units)

    async def on_screen_resume(self) -> None:
        """Shown again: whatever was saved since (a check-in, a run, new units, a new
        day) is there before the first frame, as on a first visit. Building the tabs
        ahead goes on where leaving stopped it (nothing is built twice)."""
        if self.coming_back:
            self.coming_back = False
            if self._drawn_from != self._now_drawing_from():
                await self._history_changed()  # which builds them ahead again
                return
        # Back from a record or a dialog of its own, or from home with nothing changed.
        self.call_after_refresh(self._build_tabs_ahead)

    @on(HistoryChanged)
    async def _history_changed(self) -> None:
        """Another process saved: show it (the trend and weeks refill when next shown).
        The old charts and table are gone before the new ones come: mounted while the
        removal was still pending, a new table met the old one's id (DuplicateIds)."""
        self.reload_records()
        active = self.query_one(TabbedContent).active
        focus_was_in_tab = self.focused is not None and any(
            node.id == active for node in self.focused.ancestors_with_self
        )
        for pane in ("tab-trend", "tab-weeks"):
            if pane in self._built:
                del self._built[pane]
                await self.query_one(f"#{pane} > *").remove_children()
        if active in ("tab-trend", "tab-weeks"):
            await self._shown_whole(active)
            if focus_was_in_tab or self.focused is None:
                self.call_after_refresh(self._focus_in, active)  # the keys stay in the tab
        self.call_after_refresh(self._build_tabs_ahead)

    @on(TabbedContent.TabActivated, "#history-tabs")
    def tab_shown(self, event: TabbedContent.TabActivated) -> None:
        """A tab clicked before it was built ahead is built now (by key, it is whole
        before it shows)."""
        self.refresh_bindings()  # Edit and Delete belong to the records tab
        self._fill(event.pane.id)

    def _fill(self, pane: str | None) -> None:
        """The Trend or Weeks pane filled, once until the history changes."""
        fill = {"tab-trend": self.show_trend, "tab-weeks": self.show_weeks}.get(pane or "")
        if fill is not None and pane is not None and pane not in self._built:
            self._built[pane] = fill()

    async def _shown_whole(self, pane: str) -> None:
        """The pane's widgets built and mounted, if they are not yet (built ahead, the
        mount may still be going on)."""
        self._fill(pane)
        if (mounting := self._built.get(pane)) is not None:
            await mounting
            if self._built.get(pane) is mounting:
                self._built[pane] = None

    # --- records ----------------------------------------------------------------------

    def _records(self) -> Iterator[Record]:
        since = (
            datetime.combine(self.since, datetime.min.time(), self.journal.now().tzinfo)
            if self.since
            else None
        )
        return self.journal.records(None if self.kind == "all" else [self.kind], since=since)

    def _shown(self) -> tuple[str, str]:
        """What the view shows, in words: ('leg workouts', ' since 01 Nov 2026')."""
        return FILTER_LABELS[self.kind], f" since {self.since:%d %b %Y}" if self.since else ""

    def reload_records(self) -> None:
        label, since = self._shown()
        self.query_one("#history-kind", Static).update(f"Showing [b]{label}[/b]{since}")
        self.query_one("#history-table", DataTable).clear()
        self.rows = []
        self._drawn_from = self._now_drawing_from()
        self._source = self._records()
        self._exhausted = False
        self.load_more(FIRST_PAGE)

    def load_more(self, page: int = PAGE) -> None:
        if self._exhausted or self._source is None:
            return
        table = self.query_one("#history-table", DataTable)
        units = self.journal.profile().units
        for added, record in enumerate(self._source, 1):
            self.rows.append(record)
            self._add_row(table, record, len(self.rows) - 1, units)
            if added >= page:
                return
        self._exhausted = True
        if not self.rows:
            table.add_row("", "", NOTHING_SAVED)

    def _add_row(self, table: DataTable[object], record: Record, index: int, units: Units) -> None:
        details = record.summary(units) + (
            f" · {SOURCE_LABELS[record.source].split()[0]}" if record.source else ""
        )
        table.add_row(
            f"{record.when.astimezone(self.journal.now().tzinfo):%a %d %b %Y %H:%M}",
            record.kind_name.value,
            cell(fmt.clipped(details, self._details_fit)),
            key=str(index),
        )

    @on(DataTable.RowHighlighted, "#history-table")
    def near_the_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= len(self.rows) - 10:
            self.load_more()

    @on(DataTable.RowSelected, "#history-table")
    def open_record(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None and int(event.row_key.value) < len(self.rows):
            record = self.rows[int(event.row_key.value)]
            units = self.journal.profile().units
            self.app.push_screen(RecordScreen(record, self.journal.now(), units))

    def _selected(self) -> Record | None:
        table = self.query_one("#history-table", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def action_edit(self) -> None:
        from legcoach.tui.edit import EditScreen

        record = self._selected()
        if record is not None:
            self.app.push_screen(EditScreen(self.journal, record), self._edited)

    async def _edited(self, record: Record | None) -> None:
        if record is not None:
            notify_plain(self, f"Updated: {record.summary(fmt.units_of(self.app))}.", title="Saved")
            await self._changed()

    def action_delete(self) -> None:
        from legcoach.tui.edit import ConfirmDelete

        record = self._selected()
        if record is None:
            return

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.journal.delete(str(record.id))
            except StoreError as error:
                notify_plain(self, error, title="Not deleted", severity="error", timeout=15)
                return
            self._deleted.append(str(record.id))
            self.refresh_bindings()
            notify_plain(
                self,
                f"Deleted: {record.summary(fmt.units_of(self.app))}. u brings it back.",
                title="Deleted",
            )
            await self._changed()

        self.app.push_screen(ConfirmDelete(record), confirmed)

    async def action_undo(self) -> None:
        if not self._deleted:
            notify_plain(self, "Nothing deleted here to bring back.", title="Undo")
            return
        try:
            record = self.journal.restore(self._deleted.pop())
        except StoreError as error:
            self.refresh_bindings()
            notify_plain(self, error, title="Not restored", severity="error", timeout=15)
            return
        self.refresh_bindings()
        notify_plain(self, f"Restored: {record.summary(fmt.units_of(self.app))}.", title="Undo")
        await self._changed()

    async def _changed(self) -> None:
        """After an edit, a delete or an undo: the table and the tabs show the new state."""
        row = self.query_one("#history-table", DataTable).cursor_row
        await self._history_changed()
        self._cursor_near(row)

    def action_last_row(self) -> None:
        while not self._exhausted:
            self.load_more()
        table = self.query_one("#history-table", DataTable)
        table.move_cursor(row=max(0, table.row_count - 1))

    def action_first_row(self) -> None:
        self.query_one("#history-table", DataTable).move_cursor(row=0)

    async def action_tab(self, tab: str) -> None:
        # Filled and mounted while still hidden, then shown: the tab comes in one frame,
        # not an empty pane first and its charts or table a refresh later (a table shown
        # before its mount ends draws its rows a frame late).
        await self._shown_whole(tab)
        self.query_one(TabbedContent).active = tab
        # Into the tab's content, so arrows and Enter work there at once (hiding the
        # records table otherwise leaves nothing focused).
        self.call_after_refresh(self._focus_in, tab)

    def _focus_in(self, tab: str) -> None:
        for target in self.query(FOCUS_IN_TAB[tab]):
            target.focus(scroll_visible=False)

    def action_next_filter(self) -> None:
        self.kind = FILTERS[(FILTERS.index(self.kind) + 1) % len(FILTERS)]
        self.reload_records()

    def action_focus_since(self) -> None:
        self.query_one(TabbedContent).active = "tab-records"
        self.query_one("#history-since", Input).focus()

    @on(Input.Submitted, "#history-since")
    def since_given(self, event: Input.Submitted) -> None:
        error = self.query_one("#history-since-error", Label)
        text = event.value.strip()
        try:
            # The days `history --since` takes, read by the same parser.
            today = self.journal.now().date()
            self.since = (
                parse_day(text, today, month_first_dates=month_first(os.environ)) if text else None
            )
        except ValueError as problem:
            error.update(plain(f"Not a day: {problem}."))
            return
        if self.since is not None and self.since.year < 1970:
            error.update(plain(f"{text!r} is before 1970: legcoach keeps nothing earlier."))
            self.since = None
            return
        error.update("")
        self.reload_records()
        self.query_one("#history-table", DataTable).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#history-table", DataTable).focus()
        else:
            self.app.pop_screen()

    # --- trend and weeks --------------------------------------------------------------

    def show_trend(self) -> AwaitMount:
        from legcoach.tui.trend import fill_trend

        return fill_trend(self.query_one("#trend", VerticalScroll), self.journal)

    def show_weeks(self) -> AwaitMount:
        from legcoach.tui.weeks import fill_weeks

        return fill_weeks(self.query_one("#weeks", VerticalScroll), self.journal)

    # --- export -----------------------------------------------------------------------

    def action_export(self) -> None:
        default = Path.home() / f"legcoach-export-{self.journal.now():%Y-%m-%d}.json"
        filtered = self.kind != "all" or self.since is not None
        shown = "".join(self._shown()) if filtered else ""
        self.app.push_screen(ExportScreen(default, shown), self._export_to)

    def _export_to(self, target: Path | None) -> None:
        if target is not None:
            notify_plain(self, f"Exporting your whole history to {target}…", title="Export")
            self._export_in_background(target)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export_in_background(self, target: Path) -> None:
        """Off the UI thread: a long history takes most of a second to write."""
        try:
            count, kind = self.journal.export_to(target)
        except StoreError as error:
            self.app.call_from_thread(
                notify_plain, self, error, title="Not exported", severity="error", timeout=15
            )
            return
        self.app.call_from_thread(
            notify_plain,
            self,
            f"All {count} records written to {target} ({kind}).",
            title="Exported",
        )
