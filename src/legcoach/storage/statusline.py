"""`legcoach status` from the status line file, with `os` and `time` only.

Prompts and status bars run `legcoach status` every few seconds; bare Python is the
baseline. Reading the JSON cache cost `json` and `datetime`, a sizeable share of that
baseline (benchmarks/ has the figures). So every save also writes `status.line`: the
same timeline as epoch seconds, with each unlock's ISO time written out for `--json`.
The layout (one item a line):

    legcoach-status-line 2
    zone          CET3600.0 (the local zone, as snapshot.zone_of writes it)
    basis         the database's file signatures (stamps.basis_line)
    computed_at   epoch seconds
    last_legs_at  epoch seconds, or -
    checked_in_until  epoch seconds, or -
    answers_until epoch seconds, or - (when the check-in's momentary answers lapse)
    the timeline: steps joined by TAB, each "epoch,run_type,assumes_soreness or -,ISO time"

It is read with the same functions as every other timeline (`legcoach.timeline`).

Anything that does not read exactly so means "no answer": the full path recomputes.
"""

from __future__ import annotations

import os
import time

from legcoach.storage.stamps import basis_line, status_line_name
from legcoach.timeline import LADDER_ORDER, Step, allowed_at, next_unlock_step

TYPE_CHECKING = False  # not typing's: the status line does not import typing
if TYPE_CHECKING:
    from typing import Any

HEADER = "legcoach-status-line 2"
LIFETIME_S = 7 * 86400
EARLY_S = 300  # a clock set back a little still reads the cache


def local_zone() -> str:
    now = time.localtime()
    return f"{now.tm_zone}{float(now.tm_gmtoff)}"


def _moment(text: str) -> float | None:
    return None if text == "-" else _finite(float(text))


def _finite(value: float) -> float:
    """A number read from the file, refused (ValueError: no answer) unless finite."""
    if value != value or value in (_INF, -_INF):
        raise ValueError("not a finite number")
    return value


_INF = float("inf")


def read_status(db: str, now: float) -> dict[str, Any] | None:
    """What `legcoach status --json` prints, or None when the line file does not answer
    (missing, from another database state or zone, too old, or not in this layout)."""
    try:
        with open(status_line_name(db), encoding="utf-8") as handle:
            lines = handle.read().split("\n")
        if len(lines) < 8 or lines[0] != HEADER or lines[1] != local_zone():
            return None
        if lines[2] != basis_line(db):
            return None
        computed_at = _finite(float(lines[3]))
        if not computed_at - EARLY_S <= now <= computed_at + LIFETIME_S:
            return None
        last_legs, checked_until, answers_until = (_moment(line) for line in lines[4:7])
        steps: list[Step] = []
        iso_of: dict[float, str] = {}
        for step in lines[7].split("\t"):
            at, run_type, soreness, iso = step.split(",")
            if run_type not in LADDER_ORDER:
                return None
            moment = _finite(float(at))
            steps.append(Step(moment, run_type, None if soreness == "-" else int(soreness)))  # type: ignore[arg-type]
            iso_of[moment] = iso
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    unlock = next_unlock_step(steps, now)
    return status_document(
        hours_since_legs=(now - last_legs) / 3600 if last_legs is not None else None,
        run_type_now=str(allowed_at(steps, now)),
        unlock=(
            (
                str(unlock.run_type),
                (unlock.at - now) / 3600,  # type: ignore[operator]
                iso_of[unlock.at],  # type: ignore[index]
                unlock.assumes_soreness,
                answers_until is not None and now < answers_until <= unlock.at,  # type: ignore[operator]
            )
            if unlock
            else None
        ),
        checked_in_today=checked_until is not None and now < checked_until,
    )


def status_document(
    *,
    hours_since_legs: float | None,
    run_type_now: str,
    unlock: tuple[str, float, str, int | None, bool] | None,
    checked_in_today: bool,
) -> dict[str, Any]:
    """The one shape of `legcoach status --json` (from the line file or the JSON cache)."""
    return {
        "hours_since_legs": (
            round(max(0.0, hours_since_legs), 2) if hours_since_legs is not None else None
        ),
        "run_type_now": run_type_now,
        "next_unlock": (
            {
                "run_type": unlock[0],
                "in_hours": round(unlock[1], 2),
                "at": unlock[2],
                "assumes_soreness": unlock[3],
                "lasting_only": unlock[4],
            }
            if unlock
            else None
        ),
        "checked_in_today": checked_in_today,
    }


def remove(db: str) -> None:
    try:
        os.unlink(status_line_name(db))
    except OSError:
        pass
