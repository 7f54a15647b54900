"""Home's last seven days: a table to read, not to move through.

A Static that renders a Rich table. Textual's DataTable (a cursor, scrolling, its own
module and styles) cost home's first frame more than it gave, for a
table that never takes the focus."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from legcoach.text import visible

HEADERS = ("Day", "Legs", "Check-in", "Run")
LOADING = "Loading your history…"


class WeekTable(Static):
    COMPONENT_CLASSES = {"week-table--header", "week-table--today", "week-table--loading"}
    DEFAULT_CSS = """
    WeekTable {
        height: auto;
        padding: 0 1;
    }
    WeekTable > .week-table--header {
        text-style: bold;
        color: $primary;
    }
    WeekTable > .week-table--today {
        text-style: bold;
    }
    WeekTable > .week-table--loading {
        color: $text-muted;
    }
    """

    def __init__(
        self, rows: Iterable[Sequence[str]] | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.rows: list[list[str]] | None = None if rows is None else [list(r) for r in rows]

    @property
    def loaded(self) -> bool:
        return self.rows is not None

    def set_rows(self, rows: Iterable[Sequence[str]]) -> None:
        self.rows = [list(row) for row in rows]
        self.refresh(layout=True)

    def newest_that_fit(self) -> list[list[str]]:
        """The days the height holds under the header, newest kept: on a short terminal
        the oldest days go, never today."""
        rows = self.rows or []
        fits = self.size.height - 1  # the header
        if self.size.height == 0 or fits >= len(rows):
            return rows  # not laid out yet, or room for all
        return rows[len(rows) - max(1, fits) :]

    def render(self) -> Table | Text:
        if self.rows is None:
            return Text(LOADING, style=self.get_component_rich_style("week-table--loading"))
        table = Table(
            box=None,
            expand=True,
            show_edge=False,
            pad_edge=False,
            header_style=self.get_component_rich_style("week-table--header"),
        )
        for header in HEADERS:
            table.add_column(header, no_wrap=True, overflow="ellipsis")
        today = self.get_component_rich_style("week-table--today")
        for row in self.newest_that_fit():
            # Text, never a str (Rich would read a str as markup), and made visible: the
            # first frame's rows come from a file (the status cache).
            cells = (Text(visible(cell, one_line=True)) for cell in row)
            table.add_row(*cells, style=today if row[0] == "Today" else None)
        return table
