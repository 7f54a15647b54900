"""Key-press latency in a real terminal: from `send-keys` until the answering screen's
text is on screen, at 80x24, each round alternating legcoach with a bare Textual app
(benchmarks/floors.py) that answers the same keys with screens of the same Textual
widgets and nothing of legcoach's.

    python benchmarks/keys.py [--years 10] [--rounds 11]

What a person does, in order: the check-in (c, each step's Enter, the last Enter to
the plan with its reasons), the plan, the timer, the week, logging a run and a leg
workout (to the toast and home's updated week), History (the first visit, the Trend
and Weeks tabs, Enter on a record, e on it, coming back), and Escape back from each.

Targets (`target_of`): each key within 2x the bare app's push of a screen with one
Static; where the key's own floor (the same Textual widgets, composed bare) already
stands above that, within 1.25x its floor; History's first visit within 1.25x its
first page in a bare DataTable, whatever the push, unless History's own widgets
composed bare (TabbedContent, the filter's Input, the table) already stand above that,
then within 1.25x them (the issue's rule, said in the table); the Trend tab (charts)
within 3x the push. Run alone or from benchmarks/run.py, which fails on a missed target.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import terminal  # noqa: E402

PYTHON = sys.executable
LEGCOACH = str(Path(PYTHON).with_name("legcoach"))
FLOORS = str(HERE / "floors.py")
PAUSE = 0.15  # between keys, as a person leaves; each key finds the app idle

# The baseline of every key, as in the issue: a minimal app pushing one Static.
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
STEP = re.compile(r"Step 1 of (\d+)")


def shows(*texts: str) -> list[re.Pattern[str]]:
    return [re.compile(text) for text in texts]


@dataclass(frozen=True)
class Measure:
    """One row of the table: legcoach's key, and what it is held to."""

    name: str
    floor: str | None = None  # the bare app's measure of the same widgets
    times_push: float = 2.0  # the target against the minimal push
    baseline: str = "push"  # "pop" for Escape
    floor_always: bool = False  # held to 1.25x its floor even under 2x the push
    # Its own Textual widgets composed bare (the rule): where they already stand
    # above the target, the key is held to 1.25x them instead, and the table says so.
    own_widgets: str | None = None


MEASURES = [
    Measure("c: the first check-in question", floor="wizard"),
    Measure("check-in: Enter to the next question", floor="wizard step"),
    Measure("check-in: the last Enter to the plan and its reasons", floor="wizard to plan"),
    Measure("p: the plan with its reasons", floor="plan"),
    Measure("t: the timer with its unlock list", floor="timer"),
    Measure("k: the week", floor="week"),
    Measure("r: log a run, the first question", floor="wizard"),
    Measure("g: log legs, the first question", floor="wizard"),
    Measure("log: Enter to the next question", floor="wizard step"),
    Measure("log: the last Enter to the toast and home's week", floor="save"),
    Measure(
        "h: History, the first visit",
        floor="records",
        floor_always=True,
        own_widgets="history widgets",
    ),
    Measure("h: History, coming back", floor="history widgets, coming back"),
    Measure("2: the Trend tab (charts)", floor="trend tab", times_push=3.0),
    Measure("3: the Weeks tab", floor="weeks tab"),
    Measure("Enter: a record's detail", floor="detail"),
    Measure("e: the edit dialog", floor="edit"),
    Measure("Escape back to home (each screen)", baseline="pop"),
]


class Round:
    """One process in the terminal: keys pressed, each answer timed into `times`."""

    def __init__(self, times: dict[str, list[float]]) -> None:
        self.times = times

    def key(self, key: str, patterns: list[re.Pattern[str]], measure: str | None = None) -> str:
        pressed = time.monotonic()
        terminal.press(key, settle=0)
        took = terminal.wait_for(patterns, pressed)
        if measure is not None:
            self.times[measure].append(took)
        time.sleep(PAUSE)
        return terminal.screen()

    def steps(
        self, first_screen: str, step: str, last: list[re.Pattern[str]], save: str, typed: str = ""
    ) -> None:
        """Enter through a wizard's defaults (`typed` first, for a question with none):
        each step to the next, the last to `last`."""
        found = STEP.search(first_screen)
        assert found, first_screen
        count = int(found.group(1))
        for character in typed:
            terminal.press(character, settle=PAUSE)
        for number in range(2, count + 1):
            self.key("Enter", shows(f"Step {number} of {count}"), step)
        self.key("Enter", last, save)


def legcoach_round(db: Path, times: dict[str, list[float]], command: str = LEGCOACH) -> None:
    began = terminal.start(f"{command} --db {db}")
    terminal.wait_for(HOME, began)
    time.sleep(1.5)  # the history open and the screens prepared, as after start-up
    r = Round(times)
    back = "Escape back to home (each screen)"

    first = r.key("c", shows(r"Step 1 of", r"1\. "), "c: the first check-in question")
    r.steps(
        first,
        "check-in: Enter to the next question",
        shows("Today's plan", "Why"),
        "check-in: the last Enter to the plan and its reasons",
    )
    r.key("Escape", HOME, back)
    r.key("p", shows("Today's plan", "Why"), "p: the plan with its reasons")
    r.key("Escape", HOME, back)
    r.key("t", shows("Recovery timer", "Timeline", "allowed"), "t: the timer with its unlock list")
    r.key("Escape", HOME, back)
    r.key("k", shows("Your week", r"ok|conflict|not set"), "k: the week")
    r.key("Escape", HOME, back)
    for key, text, name, typed in (
        ("r", "What did you actually run", "r: log a run, the first question", ""),
        ("g", "How long ago did the leg workout end", "g: log legs, the first question", "2"),
    ):
        first = r.key(key, shows(text, "Step 1 of"), name)
        r.steps(
            first,
            "log: Enter to the next question",
            [*HOME, re.compile("Saved: ")],
            "log: the last Enter to the toast and home's week",
            typed,
        )
        time.sleep(6)  # the toast gone
    records = shows("Records", r"\d{2}:\d{2}  ")
    r.key("h", records, "h: History, the first visit")
    r.key("2", shows("Soreness 0-10"), "2: the Trend tab (charts)")
    r.key("3", shows(r"Week +Mon"), "3: the Weeks tab")
    r.key("1", shows("Showing"))
    r.key("Enter", shows("Source: "), "Enter: a record's detail")
    r.key("Escape", shows("Showing"))
    r.key("e", shows(r"Edit \w", r"When +\d"), "e: the edit dialog")
    r.key("Escape", shows("Showing"))
    r.key("Escape", HOME, back)
    r.key("h", records, "h: History, coming back")
    r.key("Escape", HOME, back)
    terminal.stop()


def minimal_round(push_app: Path, times: dict[str, list[float]]) -> None:
    began = terminal.start(f"{PYTHON} {push_app}")
    home = shows("Allowed now")
    terminal.wait_for(home, began)
    time.sleep(0.3)
    r = Round(times)
    for _ in range(2):
        r.key("x", shows("Pushed screen"), "push")
        r.key("Escape", home, "pop")
    terminal.stop()


def floors_round(times: dict[str, list[float]]) -> None:
    """Every key twice in one process, timed the second time: a floor is what the
    widgets cost once Textual has met their classes (their default CSS parsed), as
    legcoach's screens are met while it is idle after start-up."""
    began = terminal.start(f"{PYTHON} {FLOORS}")
    terminal.wait_for(shows("Allowed now"), began)
    time.sleep(0.5)
    floors_keys(Round(defaultdict(list)))
    floors_keys(Round(times))
    terminal.stop()


def floors_keys(r: Round) -> None:
    home = shows("Allowed now")
    first = r.key("c", shows("Step 1 of 10", r"1\. "), "wizard")
    r.steps(first, "wizard step", shows("Today's plan", "Why"), "wizard to plan")
    r.key("Escape", home)
    r.key("p", shows("Today's plan", "Why"), "plan")
    r.key("Escape", home)
    r.key("t", shows("Recovery timer", "Timeline", "allowed"), "timer")
    r.key("Escape", home)
    r.key("k", shows("Your week", "ok"), "week")
    r.key("Escape", home)
    first = r.key("r", shows("Step 1 of 7"))
    r.steps(first, "wizard step", [*home, re.compile("Saved: ")], "save")
    time.sleep(6)  # the toast gone
    r.key("h", shows("Records", r"\d{2}:\d{2}  "), "records")
    r.key("Enter", shows("Field 0"), "detail")
    r.key("Escape", shows("Records"))
    r.key("e", shows(r"Edit \w", r"When +\d"), "edit")
    r.key("Escape", shows("Records"))
    r.key("Escape", home)
    r.key("H", shows("Records", "Weeks", r"\d{2}:\d{2}  "), "history widgets")
    r.key("2", shows("Soreness 0-10"), "trend tab")
    r.key("3", shows(r"Week +Mon"), "weeks tab")
    r.key("Escape", home)
    # Kept between visits: filled in the first pass, shown again in the second.
    r.key("J", shows("Records", r"\d{2}:\d{2}  "), "history widgets, coming back")
    r.key("3", shows(r"Week +Mon"))
    r.key("1", shows(r"\d{2}:\d{2}  "))
    r.key("Escape", home)


def target_of(
    measure: Measure, base: float, floor: float | None, own: float | None = None
) -> tuple[float, str]:
    """The time a measure must come within, and the target in words."""
    target, said = measure.times_push * base, f"{measure.times_push:g}x the {measure.baseline}"
    if floor is not None and (measure.floor_always or floor > target):
        target, said = 1.25 * floor, "1.25x its floor"
    if own is not None and own > target:
        target, said = 1.25 * own, "1.25x own widgets"
    return target, said


def measure(db: Path, rounds: int, before: str | None = None) -> dict[str, Any]:
    """Medians of `rounds` rounds, each the minimal app, the floors and legcoach in turn;
    with `before` (another install's `legcoach`), that one too, on its own copy of the
    history, so a change is measured against what it changed in the same run."""
    ours: dict[str, list[float]] = defaultdict(list)
    bare: dict[str, list[float]] = defaultdict(list)
    earlier: dict[str, list[float]] = defaultdict(list)
    if before is not None:
        before_db = db.parent.with_name(db.parent.name + "-before") / db.name
        shutil.copytree(db.parent, before_db.parent)
    push_app = Path(tempfile.mkdtemp(prefix="legcoach-keys-")) / "push_app.py"
    push_app.write_text(PUSH_APP)
    terminal.keep_server()
    try:
        for _ in range(rounds):
            minimal_round(push_app, bare)
            floors_round(bare)
            if before is not None:
                legcoach_round(before_db, earlier, before)
            legcoach_round(db, ours)
    finally:
        terminal.stop()
        terminal.release_server()
    median = {name: statistics.median(values) for name, values in bare.items()}
    rows: list[dict[str, Any]] = []
    for m in MEASURES:
        s = statistics.median(ours[m.name])
        base = median[m.baseline]
        floor = median[m.floor] if m.floor else None
        own = median[m.own_widgets] if m.own_widgets else None
        target, said = target_of(m, base, floor, own)
        rows.append(
            {
                "measure": m.name,
                "s": s,
                "baseline_s": base,
                "baseline": f"minimal app's {m.baseline}",
                "ratio": s / base,
                "floor_s": floor,
                "floor_ratio": s / floor if floor else None,
                "target": said,
                "target_s": target,
                "met": s <= target,
                "samples": len(ours[m.name]),
                "own_widgets": m.own_widgets,
                "own_widgets_s": own,
                "before_s": statistics.median(earlier[m.name]) if before else None,
            }
        )
    return {"rounds": rounds, "rows": rows, "floors_s": median}


def print_rows(result: dict[str, Any]) -> None:
    for row in result["rows"]:
        if row["own_widgets_s"]:
            print(f"  ({row['own_widgets']} composed bare: {row['own_widgets_s'] * 1000:.0f} ms)")
        floor = (
            f"floor {row['floor_s'] * 1000:5.0f} ms {row['floor_ratio']:4.2f}x"
            if row["floor_s"]
            else " " * 21
        )
        was = f"(was {row['before_s'] * 1000:4.0f}) " if row.get("before_s") else ""
        print(
            f"  {row['measure']:<52} {was}{row['s'] * 1000:5.0f} ms  "
            f"{row['baseline'][-4:]} {row['baseline_s'] * 1000:4.0f} ms {row['ratio']:4.1f}x  "
            f"{floor}  target {row['target']:<16} {'met' if row['met'] else 'MISSED'}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument(
        "--before",
        metavar="LEGCOACH",
        help="another install's legcoach command, measured in the same rounds (before/after)",
    )
    args = parser.parse_args(argv)
    from run import build  # the same history as the other benchmarks

    with tempfile.TemporaryDirectory(prefix="legcoach-keys-db-") as tmp:
        db = Path(tmp) / "legcoach.json"
        build(db, args.years, plan=True)  # `k` shows a week, as for anyone who presses it
        result = measure(db, args.rounds, args.before)
    print_rows(result)
    Path(HERE / "keys.json").write_text(json.dumps(result, indent=1))
    return 0 if all(row["met"] for row in result["rows"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
