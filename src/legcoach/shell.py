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


# The default fits tmux's status-right-length of 40; --short fits 24.
STATUS_WIDTH = 40
SHORT_WIDTH = 24
STATUS_FIELDS = ("since", "now", "next", "in", "checkin")


def status_fields(status: dict[str, Any]) -> dict[str, str]:
    """The words a status line is made of (`status --format` names them)."""
    from legcoach.timeline import format_hours

    hours = status["hours_since_legs"]
    unlock = status["next_unlock"]
    return {
        "since": format_hours(hours) if hours is not None else "-",
        "now": status["run_type_now"],
        "next": unlock["run_type"] if unlock else "",
        "in": format_hours(unlock["in_hours"]) if unlock else "",
        "checkin": "checked in" if status.get("checked_in_today") else "check in",
    }


def format_problem(form: str) -> str | None:
    """Why a `status --format` cannot be used, or None when every field is known."""
    from string import Formatter

    try:
        names = [name for _, name, spec, _ in Formatter().parse(form) if name is not None]
    except ValueError as error:
        return f"not a format ({error})"
    unknown = [name for name in names if name not in STATUS_FIELDS]
    if unknown:
        return f"unknown field {{{unknown[0]}}}; the fields are " + ", ".join(
            "{" + field + "}" for field in STATUS_FIELDS
        )
    return None


def status_line(status: dict[str, Any], style: str = "default") -> str:
    """One line for a shell prompt or a tmux status bar: the most it can say within
    STATUS_WIDTH ('default') or SHORT_WIDTH ('short'), or a user's `--format`."""
    words = status_fields(status)
    if style not in ("default", "short"):
        return style.format_map(words)
    legs = f"legs {words['since']}" if words["since"] != "-" else "no legs logged"
    unlock = f"{words['next']} in {words['in']}" if words["next"] else ""
    todo = "" if status.get("checked_in_today") else "no check-in today"
    mark = f"L{words['since']} {words['now']}" if words["since"] != "-" else words["now"]
    initial = f"{words['next'][:1].upper()} {words['in']}" if words["next"] else ""
    legs_ago = f"{legs} ago" if words["since"] != "-" else legs
    now_word = f"{words['now']} now"
    # From the most said to the least: the first that fits is the line.
    candidates = [
        _joined(" · ", legs_ago, now_word, unlock, todo),
        _joined(" · ", legs_ago, now_word, unlock),
        _joined(" · ", legs, now_word, unlock),
        _joined(" · ", legs, words["now"], unlock),
        _joined("·", f"{mark}{' !' if todo else ''}", initial),
        _joined("·", mark, initial),
    ]
    width = SHORT_WIDTH if style == "short" else STATUS_WIDTH
    start = 4 if style == "short" else 0
    return next((line for line in candidates[start:] if len(line) <= width), candidates[-1])


def _joined(separator: str, *parts: str) -> str:
    return separator.join(part for part in parts if part)
