"""Quitting, as a person feels it: from `q` to the process's exit, in a real terminal.

    python benchmarks/quit_terminal.py [--rounds 5]

Runs legcoach in tmux at 80x24 on a fresh history with a few weeks in it, visits every
screen (timer, the three history tabs and a record, the plan, settings), presses `q`
and times until the shell prints a marker; alternates with a minimal Textual app (one
Static and a Footer) quit the same way. Medians and the ratio; needs tmux.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
LEGCOACH = str(Path(PYTHON).with_name("legcoach"))
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
VISIT = [
    "t",
    "Escape",
    "h",
    "2",
    "3",
    "1",
    "Enter",
    "Escape",
    "Escape",
    "p",
    "Escape",
    "s",
    "Escape",
]


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def wait_for(session: str, text: str, limit: float = 30) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if text in tmux("capture-pane", "-p", "-t", session):
            return
        time.sleep(0.005)
    raise TimeoutError(text)


def quit_time(command: str, visit: list[str]) -> float:
    session = "legcoach-quit-bench"
    tmux("kill-session", "-t", session)
    tmux(
        "new-session",
        "-d",
        "-x",
        "80",
        "-y",
        "24",
        "-s",
        session,
        f"{command}; echo QUIT-DONE; sleep 60",
    )
    try:
        wait_for(session, "Allowed now")
        time.sleep(1.0)  # the history has loaded
        for key in visit:
            tmux("send-keys", "-t", session, key)
            time.sleep(0.5)
        began = time.monotonic()
        tmux("send-keys", "-t", session, "q")
        wait_for(session, "QUIT-DONE")
        return time.monotonic() - began
    finally:
        tmux("kill-session", "-t", session)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "legcoach.json"
        env = {**os.environ, "LEGCOACH_DB": str(db)}
        for days in range(1, 22):
            subprocess.run(
                [
                    LEGCOACH,
                    "log-run",
                    "--type",
                    "easy",
                    "--minutes",
                    "30",
                    "--rpe",
                    "4",
                    "--ago",
                    f"{days}d",
                ],
                env=env,
                check=True,
                capture_output=True,
            )
        subprocess.run(
            [LEGCOACH, "profile", "--goal", "endurance"], env=env, check=True, capture_output=True
        )
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL)
        ours, base = [], []
        for _ in range(args.rounds):
            base.append(quit_time(f"{PYTHON} {minimal}", []))
            ours.append(quit_time(f"LEGCOACH_DB={db} {LEGCOACH}", VISIT))
    o, b = statistics.median(ours), statistics.median(base)
    print(f"quit after every screen: legcoach {o:.3f} s, minimal app {b:.3f} s: {o / b:.2f}x")


if __name__ == "__main__":
    main()
