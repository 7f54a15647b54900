"""Key-press latency in a real terminal: from `send-keys` until the answering screen's
text is on screen, alternating with a minimal Textual app that pushes a screen with
one Static on a key (the baseline), at 80x24.

    python benchmarks/keys.py [--years 10] [--rounds 11]

Each key is pressed from home and answered by its screen; Escape goes back (measured
too). Reports medians and each ratio against the minimal app's push. Run alone or from
benchmarks/run.py.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import terminal  # noqa: E402

PYTHON = sys.executable
LEGCOACH = str(Path(PYTHON).with_name("legcoach"))

PUSH_APP = """
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

class Pushed(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self):
        yield Static("Pushed screen")
        yield Footer()

class Minimal(App):
    BINDINGS = [Binding("x", "push", "Push"), Binding("q", "quit", "Quit")]

    def compose(self):
        yield Static("Allowed now")
        yield Footer()

    def action_push(self):
        self.push_screen(Pushed())

Minimal().run()
"""

HOME = [re.compile("Allowed now"), re.compile(r"│ Today\s+\S")]
# Each key from home, and the text its screen shows once it has answered.
KEYS: dict[str, list[re.Pattern[str]]] = {
    "c": [re.compile(r"Step 1 of"), re.compile(r"1\. ")],
    "p": [re.compile("Today's plan"), re.compile("Why")],
    "t": [re.compile("Recovery timer"), re.compile("Timeline"), re.compile("allowed")],
    "r": [re.compile("What did you actually run")],
    "g": [re.compile("How long ago did the leg workout end")],
    "h": [re.compile("Records"), re.compile(r"\d{2}:\d{2}")],
    "k": [re.compile("Your week"), re.compile(r"ok|conflict|not set")],
}


def measure(db: Path, rounds: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="legcoach-keys-"))
    push_app = folder / "push_app.py"
    push_app.write_text(PUSH_APP)
    base: list[float] = []
    base_back: list[float] = []
    ours: dict[str, list[float]] = {key: [] for key in KEYS}
    back: dict[str, list[float]] = {key: [] for key in KEYS}
    terminal.keep_server()
    try:
        for _ in range(rounds):
            began = terminal.start(f"{PYTHON} {push_app}")
            terminal.wait_for([re.compile("Allowed now")], began)
            time.sleep(0.3)
            pressed = time.monotonic()
            terminal.press("x", settle=0)
            base.append(terminal.wait_for([re.compile("Pushed screen")], pressed))
            pressed = time.monotonic()
            terminal.press("Escape", settle=0)
            base_back.append(terminal.wait_for([re.compile("Allowed now")], pressed))
            terminal.stop()

            began = terminal.start(f"{LEGCOACH} --db {db}")
            terminal.wait_for(HOME, began)
            time.sleep(1.5)  # the history open and the screens prepared, as after start-up
            for key, patterns in KEYS.items():
                pressed = time.monotonic()
                terminal.press(key, settle=0)
                ours[key].append(terminal.wait_for(patterns, pressed))
                time.sleep(0.2)
                pressed = time.monotonic()
                terminal.press("Escape", settle=0)
                back[key].append(terminal.wait_for(HOME, pressed))
                time.sleep(0.2)
            terminal.stop()
    finally:
        terminal.stop()
        terminal.release_server()
    push = statistics.median(base)
    result: dict[str, Any] = {
        "minimal_push_s": push,
        "minimal_back_s": statistics.median(base_back),
        "keys": {},
    }
    for key in KEYS:
        o = statistics.median(ours[key])
        b = statistics.median(back[key])
        result["keys"][key] = {
            "s": o,
            "ratio": o / push,
            "escape_s": b,
            "escape_ratio": b / result["minimal_back_s"],
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args(argv)
    from run import build  # the same history as the other benchmarks

    with tempfile.TemporaryDirectory(prefix="legcoach-keys-db-") as tmp:
        db = Path(tmp) / "legcoach.json"
        build(db, args.years)
        result = measure(db, args.rounds)
    print(f"minimal app's push: {result['minimal_push_s'] * 1000:.0f} ms")
    for key, row in result["keys"].items():
        print(
            f"  {key}: {row['s'] * 1000:6.0f} ms  {row['ratio']:5.1f}x   "
            f"Escape back {row['escape_s'] * 1000:5.0f} ms {row['escape_ratio']:4.1f}x"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
