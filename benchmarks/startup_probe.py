"""Start an app headless and report when its screen is drawn (used by run.py).

    startup_probe.py minimal             one Static and one Footer: the baseline
    startup_probe.py legcoach DB_PATH    the real `legcoach` command
    startup_probe.py history DB_PATH     then open the history screen ("history" mark)
    startup_probe.py empty DB_PATH       then open an empty screen instead (its baseline)
    startup_probe.py again DB_PATH       open history, go back, then open it again ("history")
    startup_probe.py table DB_PATH       then open the least a records screen can be: the
                                         first page in Textual's DataTable, and a Footer
    startup_probe.py idle SECONDS        the minimal app left idle: prints its CPU seconds
    startup_probe.py timer DB SECONDS    the recovery timer left open: prints its CPU seconds

Each writes "frame" to stdout once the first frame is drawn, and the legcoach probe
"loaded" once the history is open and shown too; then the app exits. The parent times
each line from the moment it started the process.
"""

from __future__ import annotations

import sys


def mark(what: str) -> None:
    sys.__stdout__.write(what + "\n")
    sys.__stdout__.flush()


def idle_then_exit(app, seconds: float) -> None:
    """Measure the CPU the app uses while nothing happens for `seconds`."""
    import time

    started = time.process_time()

    def done() -> None:
        mark(f"cpu {time.process_time() - started:.4f}")
        app.exit()

    app.set_timer(seconds, done)


def minimal(idle: float | None = None) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("legcoach")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            mark("frame")
            if idle is None:
                self.exit()
            else:
                idle_then_exit(self, idle)

    Minimal().run(headless=True)


def legcoach(db: str, then: str | None = None, idle: float = 0.0) -> None:
    # The real command line path, with two changes only: headless, and reporting (then
    # exiting) once the home dashboard has drawn its first frame and its full history.
    from legcoach import cli
    from legcoach.tui import app as app_module
    from legcoach.tui.home import HomeScreen

    on_mount, on_ready = HomeScreen.on_mount, HomeScreen._journal_opened

    def mounted(self: HomeScreen) -> None:
        on_mount(self)
        self.call_after_refresh(mark, "frame")

    def ready(self: HomeScreen) -> None:
        on_ready(self)
        self.call_after_refresh(mark, "loaded")
        if then is None:
            self.call_after_refresh(self.app.exit)
        elif then == "history":
            # As a person would: press h on a home screen that has finished drawing.
            self.set_timer(0.5, lambda: open_history(self.app))
        elif then == "empty":
            self.set_timer(0.5, lambda: open_empty(self.app))
        elif then == "again":
            self.set_timer(0.5, lambda: visit_history(self.app))
        elif then == "table":
            self.set_timer(0.5, lambda: open_table(self.app))
        elif then == "tabs":
            self.set_timer(0.5, lambda: open_tabs(self.app))
        else:
            self.call_after_refresh(open_timer, self.app)

    def open_history(app) -> None:
        from legcoach.tui.history import HistoryScreen

        mount = HistoryScreen.on_mount

        def mounted_history(screen: HistoryScreen) -> None:
            mount(screen)
            screen.call_after_refresh(lambda: (mark("history"), app.exit()))

        HistoryScreen.on_mount = mounted_history  # type: ignore[method-assign]
        mark("open")
        app.action_history()

    def visit_history(app) -> None:
        """A first visit (it composes the screen), back home, then the measured return."""
        app.action_history()
        app.set_timer(0.5, lambda: (app.pop_screen(), app.set_timer(0.5, reopen)))

        def reopen() -> None:
            mark("open")
            app.action_history()
            app.screen.call_after_refresh(lambda: (mark("history"), app.exit()))

    def first_page_rows(app) -> list[tuple[str, str, str]]:
        """History's first page of rows as the bare floors show it."""
        from legcoach.tui.history import FIRST_PAGE
        from legcoach.tui.safe import cell

        assert app.journal is not None
        records = list(zip(range(FIRST_PAGE), app.journal.records(), strict=False))
        return [
            (f"{r.when:%a %d %b %Y %H:%M}", r.kind_name.value, cell(r.summary()))
            for _, r in records
        ]

    def open_table(app) -> None:
        """A floor under the history's figure: its first page of rows in a DataTable with
        a Footer, and nothing else (no title, tabs, filters or record lookups)."""
        from textual.screen import Screen
        from textual.widgets import DataTable, Footer

        rows = first_page_rows(app)

        class Table(Screen[None]):
            def compose(self):
                yield DataTable(cursor_type="row", zebra_stripes=True)
                yield Footer()

            def on_mount(self) -> None:
                table = self.query_one(DataTable)
                table.add_columns("When", "What", "Details")
                table.add_rows(rows)
                self.call_after_refresh(lambda: (mark("history"), app.exit()))

        mark("open")
        app.push_screen(Table())

    def open_tabs(app) -> None:
        """History's own Textual widgets, composed bare (the issue's rule for a screen
        whose widgets already stand above its target): a title, TabbedContent, the
        filter line (a Static and an Input), a Label, the same first page, the Trend and
        Weeks panes empty, a Footer; nothing of legcoach's."""
        from textual.containers import Horizontal, VerticalScroll
        from textual.screen import Screen
        from textual.widgets import DataTable, Footer, Input, Label, Static, TabbedContent, TabPane

        rows = first_page_rows(app)

        class Tabs(Screen[None]):
            def compose(self):
                yield Static("History")
                with TabbedContent():
                    with TabPane("Records"):
                        with Horizontal():
                            yield Static("Showing everything")
                            yield Input(placeholder="since: 2w, monday, 2026-11-01")
                        yield Label("")
                        yield DataTable(cursor_type="row", zebra_stripes=True)
                    with TabPane("Trend"):
                        yield VerticalScroll()
                    with TabPane("Weeks"):
                        yield VerticalScroll()
                yield Footer()

            def on_mount(self) -> None:
                table = self.query_one(DataTable)
                table.add_columns("When", "What", "Details")
                table.add_rows(rows)
                table.focus()
                self.call_after_refresh(lambda: (mark("history"), app.exit()))

        mark("open")
        app.push_screen(Tabs())

    def open_empty(app) -> None:
        """The baseline for opening history: an empty screen pushed the same way."""
        from textual.screen import Screen
        from textual.widgets import Static

        class Empty(Screen[None]):
            def compose(self):
                yield Static("empty")

            def on_mount(self) -> None:
                self.call_after_refresh(lambda: (mark("history"), app.exit()))

        mark("open")
        app.push_screen(Empty())

    def open_timer(app) -> None:
        app.action_timer()
        # Measured once the app has settled: the screens' one-time preparation (imports
        # and styles, 0.3 s after the history opens) is not the timer's idle cost.
        app.set_timer(1.0, lambda: idle_then_exit(app, idle))

    HomeScreen.on_mount = mounted  # type: ignore[method-assign]
    HomeScreen._journal_opened = ready  # type: ignore[method-assign]
    original_run = app_module.LegcoachApp.run
    app_module.LegcoachApp.run = lambda self, **kw: original_run(self, headless=True)  # type: ignore[method-assign]
    sys.exit(cli.main(["--db", db]))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "minimal":
        minimal()
    elif mode == "idle":
        minimal(idle=float(sys.argv[2]))
    elif mode == "legcoach":
        legcoach(sys.argv[2])
    elif mode == "history":
        legcoach(sys.argv[2], then="history")
    elif mode in ("empty", "again", "table", "tabs"):
        legcoach(sys.argv[2], then=mode)
    else:
        legcoach(sys.argv[2], then="timer", idle=float(sys.argv[3]))
