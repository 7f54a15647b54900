"""The floors under legcoach's key-press latency: a Textual app with nothing of
legcoach's, whose keys push screens made of the same Textual widgets as legcoach's
screens, with text of the same size (run by keys.py in tmux, beside legcoach).

    c  a wizard: a step label, a ProgressBar, a question (Statics, an OptionList, a
       Label) in a ContentSwitcher; Enter mounts the next question; after the last,
       the plan floor (as the check-in's save shows the plan)
    r  the same wizard, seven steps; after the last, back home with a toast
    p  the plan: Statics in Grids in a VerticalScroll
    t  the timer: Statics, a ProgressBar, Digits
    k  the week: Statics and a DataTable of seven rows
    h  the first page of records in a DataTable (the floor History is held to);
       Enter opens a record (a ModalScreen: a check-in's fields and the plan's widgets,
       as the newest record after a check-in is), e an edit dialog (Labels, Inputs,
       Selects)
    H  History's own widgets (TabbedContent, the filter's Input, the records table);
       2 switches to the Trend pane (textual-plotext charts) and 3 to the Weeks pane,
       each filled when first shown
    J  the same, kept between visits (installed), as legcoach keeps History
"""

from __future__ import annotations

import gc
from datetime import datetime, timedelta

from rich.table import Table
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer as TextualTimer
from textual.widgets import (
    ContentSwitcher,
    DataTable,
    Digits,
    Footer,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Select,
    Static,
    TabbedContent,
    TabPane,
)

PAGE = 40  # History's first page

CSS = """
.title { dock: top; height: 1; background: $panel; padding: 0 1; }
.box { border: heavy $accent; text-align: center; }
.items { grid-size: 2; grid-columns: 3 1fr; grid-rows: auto; height: auto; }
.question { height: auto; }
OptionList { height: auto; max-height: 10; }
Horizontal { height: auto; }
.panel { border: round $primary; padding: 0 1; height: auto; }
#home-top { layout: grid; grid-size: 2; grid-rows: auto; height: auto; }
.week { height: 1fr; }
.filters > Static { width: 1fr; padding: 1 1 0 1; }
.filters > Input { width: 34; }
#weeks-box DataTable { height: auto; }
#trend-box PlotextPlot { height: 9; margin-bottom: 1; }
Vertical { height: auto; }
Horizontal > Vertical { width: 36; }
Horizontal > Static { width: 1fr; }
ProgressBar Bar { width: 1fr; }
DataTable { height: 1fr; }
ModalScreen { align: center middle; }
.dialog { width: 76; height: auto; border: round $accent; padding: 0 1; }
.record { max-height: 90%; }
.field { width: 14; }
.fields { height: auto; max-height: 18; }
.row { height: 2; }
"""


def rows(count: int) -> list[tuple[str, str, str]]:
    start = datetime(2026, 12, 1, 18, 0)
    return [
        (
            f"{start - timedelta(hours=8 * i):%a %d %b %Y %H:%M}",
            "run",
            f"easy run, {30 + i % 9} min at RPE {1 + i % 9}, legs fine",
        )
        for i in range(count)
    ]


def question(number: int) -> Vertical:
    return Vertical(
        Static(f"Question number {number}: how is it going today?"),
        Static("Arrows or a digit to choose, Enter to continue."),
        OptionList(*[f"{n}. Answer number {n}" for n in range(1, 4)]),
        Label(""),
        classes="question",
        id=f"q{number}",
    )


class Wizard(Screen[bool]):
    BINDINGS = [
        Binding("enter", "next", "Continue", priority=True),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, steps: int) -> None:
        super().__init__()
        self.steps = steps
        self.step = 1

    def compose(self) -> ComposeResult:
        yield Static("floor · Check-in", classes="title")
        with Vertical():
            yield Label(f"Step 1 of {self.steps}", id="step")
            yield ProgressBar(total=self.steps, show_eta=False, show_percentage=False)
            with ContentSwitcher(initial="q1"):
                yield question(1)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(ProgressBar).update(progress=1)
        self.query_one(OptionList).focus()

    async def action_next(self) -> None:
        if self.step == self.steps:
            self.dismiss(True)
            return
        self.step += 1
        switcher = self.query_one(ContentSwitcher)
        await switcher.mount(question(self.step))
        switcher.current = f"q{self.step}"
        self.query_one("#step", Label).update(f"Step {self.step} of {self.steps}")
        self.query_one(ProgressBar).update(progress=self.step)
        self.query_one(f"#q{self.step} OptionList").focus()


class PlanBody(VerticalScroll):
    """The plan's widgets, as legcoach's PlanView is made (the plan screen, and a
    check-in's record under its fields)."""

    def compose(self) -> ComposeResult:
        yield Static("[b]EASY RUN[/b]   30-50 min", classes="box")
        yield Static("[b]Cap[/b]  RPE 4\n[b]Talk test[/b]  full sentences")
        with Vertical():
            yield Static("[b]Why[/b]")
            with Grid(classes="items"):
                for n in range(4):
                    yield Static("·")
                    yield Static(f"Answer {n} — the reason the answer number {n} gave")
        with Vertical():
            yield Static("[b]Before you go[/b]")
            with Grid(classes="items"):
                for n in range(2):
                    yield Static("!")
                    yield Static(f"Caution number {n}: warm up for five to ten minutes")
        yield Static("[b]Next[/b]  steady unlocks tomorrow 06:00 (in 23h)")


class Plan(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("w", "bell", "Warm-up")]

    def compose(self) -> ComposeResult:
        yield Static("floor · Today's plan", classes="title")
        yield Static("Checked in at 07:00.")
        yield PlanBody()
        yield Footer(compact=True, show_command_palette=False)


class Timer(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Static("floor · Recovery timer", classes="title")
        with Vertical():
            yield Static("Since the leg workout: 10 h 20 min")
            yield ProgressBar(total=100, show_eta=False, show_percentage=False)
            with Horizontal():
                with Vertical():
                    yield Static("Next: steady in")
                    yield Digits("25:39:12")
                yield Static(
                    "Timeline\n"
                    + "\n".join(f"  run type {n}  allowed in {n * 6} h" for n in range(6))
                )
            yield Static("Based on the leg workout yesterday 18:00, RPE 5.")
        yield Footer(compact=True, show_command_palette=False)


class Week(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Static("floor · Your week", classes="title")
        yield Static("Plan: not set; ok")
        table: DataTable[str] = DataTable(cursor_type="row")
        table.add_columns("Day", "Key run", "Legs", "Done", "Check")
        for n in range(7):
            table.add_row(f"Day {n}", "easy 40′", "legs", "run 30′", "ok")
        yield table
        yield Static("Wednesday: nothing planned.")
        yield Footer(compact=True, show_command_palette=False)


class Detail(ModalScreen[None]):
    """A check-in's record, as History opens the newest one after a morning's check-in:
    its title and fields, then the plan it produced, in one scrolling dialog."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog record"):
            yield Static(
                "[b]check-in, soreness 2/10 -> easy 30-50 min[/b]\nThursday 03 December 2026"
            )
            yield Static("\n".join(f"Field {n}: value {n}" for n in range(9)))
            yield Static("[b]The plan it produced[/b]")
            yield PlanBody()
        yield Footer(compact=True, show_command_palette=False)


class Edit(ModalScreen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("[b]Edit[/b] easy run, 30 min at RPE 4, legs fine")
            with VerticalScroll(classes="fields"):
                for n, label in enumerate(
                    ["When", "Type", "Minutes", "Effort (RPE)", "Legs felt", "Note", "Source"]
                ):
                    with Horizontal(classes="row"):
                        yield Label(label, classes="field")
                        if n in (1, 4, 6):
                            yield Select(
                                [("Easy run", 1), ("Steady run", 2)], value=1, compact=True
                            )
                        else:
                            yield Input(f"2026-12-02 04:{n}0", compact=True)
            yield Label("")
            yield Static("Enter on the last field or ctrl+s saves; Escape cancels.")
        yield Footer(compact=True, show_command_palette=False)


def charts() -> list[Static]:
    """The Trend pane's charts (textual-plotext, as legcoach draws them): two line charts
    of 57 daily readings and a bar chart of eight weeks, each under a line of text."""
    from textual_plotext import PlotextPlot

    made: list[Static] = []
    for title, top in (("Soreness 0-10, 57 readings", 10), ("Readiness 1-5", 5)):
        plot = PlotextPlot()
        days = list(range(57))
        plot.plt.plot(days, [1 + (d * 7) % top for d in days], marker="●")
        plot.plt.xlim(0, 57)
        plot.plt.xticks([0, 14, 28, 42, 56], ["07 Oct", "21 Oct", "04 Nov", "18 Nov", "02 Dec"])
        plot.plt.ylim(0, top)
        made += [Static(title), plot]  # type: ignore[list-item]
    bars = PlotextPlot()
    bars.plt.bar(list(range(1, 9)), [93, 252, 301, 350, 369, 238, 287, 336], width=0.6)
    for position in range(1, 9):
        bars.plt.text("L7", position, 380, alignment="center")
    made += [Static("Running minutes per week"), bars]  # type: ignore[list-item]
    return made


def records_table() -> DataTable[str]:
    table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True)
    table.add_columns("When", "What", "Details")
    table.add_rows(rows(PAGE))
    return table


class Records(Screen[None]):
    """The floor History's first visit is held to (as in run.py's headless probe)."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "detail", "Open", priority=True),
        Binding("e", "edit", "Edit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Records")
        yield records_table()
        yield Footer(compact=True, show_command_palette=False)

    def action_detail(self) -> None:
        self.app.push_screen(Detail())

    def action_edit(self) -> None:
        self.app.push_screen(Edit())


class Tabs(Screen[None]):
    """History's own widgets, composed bare: a title, TabbedContent, the filter line
    (a Static and an Input), a Label, the records' first page; the Weeks pane filled
    when first shown (a DataTable of eight weeks and Statics), as History fills it."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("1", "tab('records')", "Records"),
        Binding("2", "tab('trend')", "Trend"),
        Binding("3", "tab('weeks')", "Weeks"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("floor · History", classes="title")
        with TabbedContent():
            with TabPane("Records", id="records"):
                with Horizontal(classes="filters"):
                    yield Static("Showing everything")
                    yield Input(placeholder="since: 2w, monday, 2026-11-01")
                yield Label("")
                yield records_table()
            with TabPane("Trend", id="trend"):
                yield VerticalScroll(id="trend-box")
            with TabPane("Weeks", id="weeks"):
                yield VerticalScroll(id="weeks-box")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    async def action_tab(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane
        trend = self.query_one("#trend-box", VerticalScroll)
        if pane == "trend" and not trend.children:
            await trend.mount_all(charts())
        box = self.query_one("#weeks-box", VerticalScroll)
        if pane == "weeks" and not box.children:
            table: DataTable[str] = DataTable(cursor_type="none", zebra_stripes=True)
            table.add_columns(
                "Week", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Run", "Dist", "Load", ""
            )
            for n in range(8):
                table.add_row(f"{n:02} Nov", *["L6 S"] * 7, "93′", "14.2 km", "2150", "⚠")
            verdicts = Static(
                "\n".join(f"{n:02} Nov: hard-easy kept · 2 leg days" for n in range(4))
            )
            legend = Static(
                "L8 = leg workout at RPE 8 (L? effort unknown); runs: W walk, R recovery, E "
                "easy, S steady, Q quality, ? intensity unknown. Run: running minutes, Dist: "
                "their distance where it was logged. Load = RPE x minutes.\n"
                "No hard run came within 24 h after hard legs in these weeks."
            )
            await box.mount_all([table, verdicts, legend])


def week_table() -> Table:
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False)
    for header in ("Day", "Legs", "Check-in", "Run"):
        table.add_column(header, no_wrap=True)
    for n in range(7):
        table.add_row(f"Day {n:02}", "RPE 6", "sore 2 → easy", "steady 32′ RPE 5")
    table.add_row("Today", "·", "·", "·", style="bold")
    return table


class Home(Screen[None]):
    """Home as legcoach's is made: a title, two bordered panels in a grid, the week as
    a Rich table in a Static, a Footer of eight keys (its own, as home's are)."""

    BINDINGS = [
        *[
            Binding(key, f"app.push('{key}')", name)
            for key, name in zip(
                "cprgtkh",
                ["Check-in", "Plan", "Run", "Legs", "Timer", "Week", "History"],
                strict=True,
            )
        ],
        *[Binding(key, f"app.push('{key}')", show=False) for key in "HJ"],
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("floor · Home", classes="title")
        with Grid(id="home-top"):
            yield Static(
                "Last leg workout 10 h 20 min ago\n(RPE 5, heavy strength)\n"
                "Allowed now: Easy run\nNext: steady in 1d 01:39",
                classes="panel",
            )
            yield Static("No check-in yet today.\n\nPress c to check in.", classes="panel")
        yield Static(week_table(), classes="panel week")
        yield Footer(compact=True, show_command_palette=False)


class Floors(App[None]):
    """The collector's full passes wait for a pause in the keys, as legcoach's do
    (IdleCollector): otherwise one lands on whichever key crosses Python's count (a
    floor's wizard step took 150-186 ms once a round against 45 for the others)."""

    CSS = CSS
    _collect_soon: TextualTimer | None = None  # a key before on_mount finds it too

    def on_mount(self) -> None:
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, 1_000_000_000)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if self._collect_soon is not None:
                self._collect_soon.stop()
            self._collect_soon = self.set_timer(1.5, gc.collect)
        await super().on_event(event)

    def get_default_screen(self) -> Screen[None]:
        return Home()

    def action_push(self, what: str) -> None:
        if what == "c":
            self.push_screen(Wizard(10), lambda done: self.push_screen(Plan()))
        elif what in ("r", "g"):
            self.push_screen(Wizard(7), lambda done: self.notify("Saved: a run", title="Saved"))
        elif what == "J":
            if not self.is_screen_installed("kept"):
                self.install_screen(Tabs(), "kept")
            self.push_screen("kept")
        else:
            screens = {"p": Plan, "t": Timer, "k": Week, "h": Records, "H": Tabs}
            self.push_screen(screens[what]())


if __name__ == "__main__":
    Floors().run()
