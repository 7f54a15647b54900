"""`legcoach status` from the status line file, with `os` and `time` only.

Prompts and status bars run `legcoach status` every few seconds; bare Python is the
baseline. Reading the JSON cache cost `json` and `datetime` (3 ms of 21 on the machine
we measure on, where `python -c pass` is 11 and the pip launcher's own `import re` is
6 more). So every save also writes `status.line`: the same timelines as epoch seconds,
with each unlock's ISO time written out for `--json`. The layout (one item a line):

    legcoach-status-line 1
    zone          CET3600.0 (the local zone, as snapshot.zone_of writes it)
    basis         the database's file signatures (stamps.basis_line)
    computed_at   epoch seconds
    last_legs_at  epoch seconds, or -
    checked_in_until  epoch seconds, or -
    one line per timeline: valid_until (or -), then TAB, then steps joined by TAB,
        each step "epoch,run_type,assumes_soreness or -,ISO time"

Anything that does not read exactly so means "no answer": the full path recomputes.
"""

from __future__ import annotations

import os
import time

from legcoach.storage.stamps import basis_line, status_line_name
from legcoach.timeline import LADDER_ORDER, rank

TYPE_CHECKING = False  # not typing's: the status line does not import typing
if TYPE_CHECKING:
    from typing import Any

HEADER = "legcoach-status-line 1"
LIFETIME_S = 7 * 86400
EARLY_S = 300  # a clock set back a little still reads the cache


def local_zone() -> str:
    now = time.localtime()
    return f"{now.tm_zone}{float(now.tm_gmtoff)}"


def _moment(text: str) -> float | None:
    return None if text == "-" else float(text)


def read_status(db: str, now: float) -> dict[str, Any] | None:
    """What `legcoach status --json` prints, or None when the line file does not answer
    (missing, from another database state or zone, too old, or not in this layout)."""
    try:
        with open(status_line_name(db), encoding="utf-8") as handle:
            lines = handle.read().split("\n")
        if len(lines) < 7 or lines[0] != HEADER or lines[1] != local_zone():
            return None
        if lines[2] != basis_line(db):
            return None
        computed_at = float(lines[3])
        if not computed_at - EARLY_S <= now <= computed_at + LIFETIME_S:
            return None
        last_legs, checked_until = _moment(lines[4]), _moment(lines[5])
        timelines: list[tuple[float | None, list[tuple[float, str, int | None, str]]]] = []
        for line in lines[6:]:
            if not line:
                continue
            until, *steps = line.split("\t")
            parsed: list[tuple[float, str, int | None, str]] = []
            for step in steps:
                at, run_type, soreness, iso = step.split(",")
                if run_type not in LADDER_ORDER:
                    return None
                parsed.append(
                    (float(at), run_type, None if soreness == "-" else int(soreness), iso)
                )
            if not parsed:
                return None
            timelines.append((_moment(until), parsed))
        if not timelines:
            return None
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    chosen = timelines[-1][1]
    for valid_until, timeline in timelines:
        if valid_until is None or now < valid_until:
            chosen = timeline
            break
    allowed = chosen[0][1]
    for starts, name, _, _ in chosen:
        if starts <= now:
            allowed = name
    unlock = next(
        (step for step in chosen if step[0] > now and rank(step[1]) > rank(allowed)),
        None,
    )
    return {
        "hours_since_legs": (
            round(max(0.0, (now - last_legs) / 3600), 2) if last_legs is not None else None
        ),
        "run_type_now": allowed,
        "next_unlock": (
            {
                "run_type": unlock[1],
                "in_hours": round((unlock[0] - now) / 3600, 2),
                "at": unlock[3],
                "assumes_soreness": unlock[2],
            }
            if unlock
            else None
        ),
        "checked_in_today": checked_until is not None and now < checked_until,
    }


def remove(db: str) -> None:
    try:
        os.unlink(status_line_name(db))
    except OSError:
        pass
