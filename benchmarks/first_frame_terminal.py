"""The whole home, as a person sees it: from starting `legcoach` in a real terminal
(tmux, 80x24) until the week table shows today's row, against a minimal Textual app
(one Static and a Footer) until its text shows. Alternating, medians.

    python benchmarks/first_frame_terminal.py [--years 10] [--rounds 7]

The history is synthetic daily data (benchmarks/run.py's); one `legcoach status` first
writes the status cache, as any save does.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quit_terminal import MINIMAL, tmux
from run import LEGCOACH, PYTHON, build_history

TODAYS_ROW = re.compile(r"│ Today\s+\S")


def shown_after(command: str, ready: re.Pattern[str], limit: float = 30) -> float:
    session = "legcoach-frame-bench"
    tmux("kill-session", "-t", session)
    began = time.monotonic()
    tmux("new-session", "-d", "-x", "80", "-y", "24", "-s", session, f"{command}; sleep 60")
    try:
        while time.monotonic() - began < limit:
            if ready.search(tmux("capture-pane", "-p", "-t", session)):
                return time.monotonic() - began
            time.sleep(0.005)
        raise TimeoutError(command)
    finally:
        tmux("kill-session", "-t", session)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "legcoach.json"
        build_history(db, args.years)
        env = {**os.environ, "LEGCOACH_DB": str(db)}
        subprocess.run([LEGCOACH, "status"], env=env, check=True, capture_output=True)
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL)
        ours, base = [], []
        for _ in range(args.rounds):
            base.append(shown_after(f"{PYTHON} {minimal}", re.compile("Allowed now")))
            ours.append(shown_after(f"LEGCOACH_DB={db} {LEGCOACH}", TODAYS_ROW))
    o, b = statistics.median(ours), statistics.median(base)
    print(
        f"whole home (week with today's row), {args.years} years: legcoach {o:.3f} s, "
        f"minimal app {b:.3f} s: {o / b:.2f}x"
    )


if __name__ == "__main__":
    main()
