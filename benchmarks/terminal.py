"""Driving a real terminal (tmux) from a benchmark: start a command in a fresh pane,
wait until text shows, press keys, read a process's peak memory.

Times are wall clock from the moment tmux was asked to start the pane, read by polling
`capture-pane` every few milliseconds: the same for legcoach and its baseline, so the
ratio holds even though the absolute figures include tmux's own latency.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

WIDTH, HEIGHT = 80, 24
SESSION = "legcoach-bench"
MINIMAL = """
from textual.app import App
from textual.binding import Binding
from textual.widgets import Footer, Static

class Minimal(App):
    BINDINGS = [Binding("q", "quit", "Quit")]

    def compose(self):
        yield Static("Allowed now")
        yield Footer()

Minimal().run()
"""


# The memory floor under legcoach's figure: the same minimal app with pydantic (a fixed
# runtime dependency of the project) imported and one model built, as any model does.
MINIMAL_WITH_PYDANTIC = (
    """
from pydantic import BaseModel

class Reading(BaseModel):
    soreness: int

Reading(soreness=0)
"""
    + MINIMAL
)


KEEPER = "legcoach-bench-keeper"


def keep_server() -> None:
    """A session that outlives each measured one: when the last session goes, the tmux
    server exits, and a pane started while it shuts down never shows anything."""
    tmux("new-session", "-d", "-s", KEEPER, "sleep 3600")


def release_server() -> None:
    tmux("kill-session", "-t", KEEPER)


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", SESSION)


def start(command: str) -> float:
    """A fresh pane running `command` (then a marker, then a pause so the pane stays);
    returns the monotonic time it was started at."""
    tmux("kill-session", "-t", SESSION)
    began = time.monotonic()
    tmux(
        "new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "-s", SESSION,
        f"{command}; echo BENCH-EXITED; sleep 60",
    )  # fmt: skip
    return began


def stop() -> None:
    tmux("kill-session", "-t", SESSION)


def wait_for(patterns: list[re.Pattern[str]], since: float, limit: float = 30) -> float:
    """Seconds from `since` until every pattern shows on the screen at once."""
    while time.monotonic() - since < limit:
        text = screen()
        if all(pattern.search(text) for pattern in patterns):
            return time.monotonic() - since
        time.sleep(0.003)
    raise TimeoutError(f"{[p.pattern for p in patterns]} never showed:\n{screen()}")


def press(*keys: str, settle: float = 0.4) -> None:
    for key in keys:
        tmux("send-keys", "-t", SESSION, key)
        time.sleep(settle)


def app_pid() -> int:
    """The pid of the process the pane's shell runs (the app)."""
    shell = int(tmux("display-message", "-p", "-t", SESSION, "#{pane_pid}").strip())
    for _ in range(200):
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.01)
    raise RuntimeError("the pane's command never started")


def peak_mib(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def write_minimal(folder: Path, *, with_pydantic: bool = False) -> Path:
    path = folder / ("minimal_pydantic_app.py" if with_pydantic else "minimal_app.py")
    path.write_text(MINIMAL_WITH_PYDANTIC if with_pydantic else MINIMAL)
    return path
