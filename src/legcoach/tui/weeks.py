"""History's Weeks tab: the last eight weeks, a row each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from legcoach.journal import Journal


from legcoach import history
from legcoach.models import distance_text
from legcoach.tui.trend import DAY, WEEKS_SHOWN

RUN_LETTERS = {
    "walk": "W",
    "recovery": "R",
    "easy": "E",
    "steady": "S",
    "quality": "Q",
    "rest": "-",
}


def fill_weeks(box: VerticalScroll, journal: Journal) -> AwaitMount:
    """Eight weeks side by side: each day's leg sessions and runs, the week's load."""
    rows = journal.weeks(WEEKS_SHOWN)
    table: DataTable[str] = DataTable(id="weeks-table", cursor_type="none", zebra_stripes=True)
    units = journal.profile().units
    table.add_columns(
        "Week", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Run", "Dist", "Load", ""
    )
    for week in rows:
        metres = sum(r.distance_m or 0 for r in week.runs)
        cells = []
        for day in week.days:
            efforts = [s.rpe for s in day.legs if s.rpe is not None]
            parts = [f"L{max(efforts)}" if efforts else "L?"] if day.legs else []
            parts += [RUN_LETTERS[r.run_type.value] if r.run_type else "?" for r in day.runs]
            cells.append(" ".join(parts) or "·")
        table.add_row(
            f"{week.start:{DAY}}",
            *cells,
            f"{week.run_minutes}′" if week.runs else "·",
            distance_text(metres, units) if metres else "·",
            str(week.load),
            "⚠" if week.notes else "",
        )
    notes = [note for week in rows for note in week.notes]
    goal, today = journal.profile().goal, journal.now().date()
    verdicts = Static(
        "\n".join(
            f"{week.start:{DAY}}: {history.week_verdict(week, goal, today)}" for week in rows[:4]
        ),
        id="weeks-verdicts",
    )
    legend = Static(
        "L8 = leg workout at RPE 8 (L? effort unknown); runs: W walk, R recovery, E easy, "
        "S steady, Q quality, ? intensity unknown. Run: running minutes, Dist: their "
        "distance where it was logged. Load = RPE x minutes.\n"
        + (
            "\n".join(f"⚠ {note}: keep hard runs 24 h clear of hard legs" for note in notes[:4])
            if notes
            else "No hard run came within 24 h after hard legs in these weeks."
        ),
        id="weeks-notes",
    )
    mounting = box.mount(table, verdicts, legend)
    # DataTable measures its rows when it is next idle, and a widget is idle only after
    # a message: built hidden (History builds this tab ahead), the table would get its
    # first one when shown, and draw its rows a frame late. This one has it measured now.
    table.call_later(_measured)
    return mounting


def _measured() -> None:
    """Nothing: the message itself is the point (see fill_weeks)."""
