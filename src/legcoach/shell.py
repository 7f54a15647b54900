"""What the launcher and the full command line share, standard library only: whether
the command line only opens the app, and the status line's words. The command line
never imports the launcher; the launcher imports the command line only to hand over."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: the status fast path does not import typing
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any


def bare_app_db(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Whether the command line only opens the app (`legcoach [--db PATH]`), and the db.

    The app's start-up is measured in milliseconds: importing the command line (argparse
    and every subcommand's options) just to find there is no subcommand costs about 6.
    """
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db":
        value = argv[1]
    elif len(argv) == 1 and argv[0].startswith("--db="):
        value = argv[0][5:]
    else:
        return False, None
    # Anything unusual (empty, an option, a NUL) goes through argparse for its message.
    ordinary = value.strip() and not value.startswith("-") and "\x00" not in value
    return (True, value) if ordinary else (False, None)


def status_line(status: dict[str, Any]) -> str:
    """One line for a shell prompt or a tmux status bar."""
    from legcoach.timeline import format_hours

    hours = status["hours_since_legs"]
    parts = [f"legs {format_hours(hours)} ago" if hours is not None else "no legs logged"]
    parts.append(f"{status['run_type_now']} now")
    unlock = status["next_unlock"]
    if unlock:
        parts.append(f"{unlock['run_type']} in {format_hours(unlock['in_hours'])}")
    if not status.get("checked_in_today"):
        parts.append("no check-in today")
    return " · ".join(parts)
