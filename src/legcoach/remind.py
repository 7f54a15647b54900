"""Reminders without the app open: what `legcoach remind` says, and how it reaches you.

Meant for cron or a systemd user timer. What to say is decided from the status (the
same one `legcoach status` prints) and a small per-device note of what was last said,
so an unlock is told once; saying it goes through the desktop's own notifier
(`notify-send`, or `osascript` on macOS) and falls back to the terminal's notification
escape (OSC 9, with the bell). Nothing to say, nothing said.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from legcoach.errors import StoreError
from legcoach.text import visible
from legcoach.timeline import rank

TIMER_NAME = "legcoach-remind"
EVERY_MINUTES = 30


@dataclass(frozen=True)
class Reminder:
    title: str
    body: str


def what_to_say(
    status: dict[str, Any],
    now: datetime,
    last_told: dict[str, Any],
    *,
    from_time: time | None = None,
    only_without_checkin: bool = False,
) -> tuple[Reminder | None, dict[str, Any]]:
    """(the reminder, or None; the note to keep for next time)."""
    today = now.date().isoformat()
    if last_told.get("day") != today:
        last_told = {}  # a new day: the nudge is due again
    nudged = bool(last_told.get("nudged"))
    allowed = str(status["run_type_now"])
    note = {"day": today, "allowed": allowed, "nudged": nudged}
    if not status.get("checked_in_today"):
        if nudged or (from_time is not None and now.time() < from_time):
            return None, note
        return Reminder("Check in before your run", "legcoach: no check-in yet today."), {
            **note,
            "nudged": True,
        }
    if only_without_checkin:
        return None, note
    before = last_told.get("allowed")
    if isinstance(before, str) and _higher(allowed, before):
        return Reminder(
            f"{allowed.capitalize()} unlocks now", f"legcoach: {allowed} is allowed now."
        ), note
    return None, note


def _higher(allowed: str, before: str) -> bool:
    try:
        return rank(allowed) > rank(before)
    except KeyError:
        return False


def read_note(path: Path) -> dict[str, Any]:
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return note if isinstance(note, dict) else {}


def write_note(path: Path, note: dict[str, Any]) -> None:
    from legcoach.storage.files import atomic_write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, json.dumps(note).encode("utf-8"), durable=False)
    except (OSError, StoreError):
        pass  # a reminder told twice is better than none


def deliver(reminder: Reminder, *, write: Callable[[str], object] | None = None) -> str:
    """Say it through the desktop's notifier, else the terminal; returns how."""
    title, body = visible(reminder.title, one_line=True), visible(reminder.body, one_line=True)
    if shutil.which("notify-send"):
        done = subprocess.run(["notify-send", title, body], capture_output=True, timeout=10)
        if done.returncode == 0:
            return "notify-send"
    if sys.platform == "darwin" and shutil.which("osascript"):
        script = f"display notification {json.dumps(body)} with title {json.dumps(title)}"
        done = subprocess.run(["osascript", "-e", script], capture_output=True, timeout=10)
        if done.returncode == 0:
            return "osascript"
    out = write or sys.stdout.write
    if write is None and sys.stdout.isatty():
        out(f"\x1b]9;{title}: {body}\x07\a")  # OSC 9, then the bell
        return "terminal"
    out(f"{title}: {body}\n")  # cron mails it; a log keeps it
    return "text"


def systemd_units(command: str) -> dict[str, str]:
    """The user service and timer that run `legcoach remind` every half hour."""
    return {
        f"{TIMER_NAME}.service": (
            "[Unit]\nDescription=legcoach reminders (check in, unlocks)\n\n"
            f"[Service]\nType=oneshot\nExecStart={command}\n"
        ),
        f"{TIMER_NAME}.timer": (
            "[Unit]\nDescription=legcoach reminders every half hour\n\n"
            f"[Timer]\nOnCalendar=*:0/{EVERY_MINUTES}\nPersistent=true\n\n"
            "[Install]\nWantedBy=timers.target\n"
        ),
    }


def crontab_line(command: str) -> str:
    return f"*/{EVERY_MINUTES} * * * * {command}"


def units_dir(environ: dict[str, str] | os._Environ[str]) -> Path:
    config = environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return Path(config) / "systemd" / "user"
