"""Start an app headless and report when its screen is drawn (used by run.py).

    startup_probe.py minimal             one Static and one Footer: the baseline
    startup_probe.py legcoach DB_PATH    the real `legcoach` command

Each writes "frame" to stdout once the first frame is drawn, and the legcoach probe
"loaded" once the history is open and shown too; then the app exits. The parent times
each line from the moment it started the process.
"""

from __future__ import annotations

import sys


def mark(what: str) -> None:
    sys.__stdout__.write(what + "\n")
    sys.__stdout__.flush()


def minimal() -> None:
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
            self.exit()

    Minimal().run(headless=True)


def legcoach(db: str) -> None:
    # The real command line path, with two changes only: headless, and reporting (then
    # exiting) once the home dashboard has drawn its first frame and its full history.
    from legcoach import cli
    from legcoach.tui import app as app_module
    from legcoach.tui.home import HomeScreen

    on_mount, on_ready = HomeScreen.on_mount, HomeScreen.on_journal_ready

    def mounted(self: HomeScreen) -> None:
        on_mount(self)
        self.call_after_refresh(mark, "frame")

    def ready(self: HomeScreen) -> None:
        on_ready(self)
        self.call_after_refresh(lambda: (mark("loaded"), self.app.exit()))

    HomeScreen.on_mount = mounted  # type: ignore[method-assign]
    HomeScreen.on_journal_ready = ready  # type: ignore[method-assign]
    original_run = app_module.LegcoachApp.run
    app_module.LegcoachApp.run = lambda self, **kw: original_run(self, headless=True)  # type: ignore[method-assign]
    sys.exit(cli.main(["--db", db]))


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        minimal()
    else:
        legcoach(sys.argv[2])
