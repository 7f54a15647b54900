"""Reading what people type: durations and moments. Shared by the CLI and the app.

Each parser raises ValueError with a message that says what is allowed.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

MAX_AGO = timedelta(days=3650)
_DURATION = re.compile(r"(\d+(?:\.\d+)?)([dhm])")
_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}


def parse_duration(text: str, *, bare_unit: str | None = None) -> timedelta:
    """'90m', '2h', '1h30m', '1d6h'; with `bare_unit`, a plain number means that unit."""
    compact = text.strip().lower().replace(" ", "")
    if bare_unit and re.fullmatch(r"\d+(?:\.\d+)?", compact):
        compact += bare_unit
    parts = _DURATION.findall(compact)
    if not compact or "".join(amount + unit for amount, unit in parts) != compact:
        raise ValueError(f"must be a duration like 90m, 2h, 1h30m or 1d6h (got {text!r})")
    total = sum((float(amount) * _UNITS[unit] for amount, unit in parts), timedelta())
    if total > MAX_AGO:
        raise ValueError(f"must be at most 3650d (got {text!r})")
    return total


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date and time; without a zone it is local time."""
    stripped = text.strip()
    try:
        value = datetime.fromisoformat(stripped.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(f"must be a date and time like 2026-11-24T18:30 (got {text!r})") from None
    if len(stripped) <= 10:
        raise ValueError(f"needs a time of day too, like {stripped}T18:30 (got {text!r})")
    return value if value.tzinfo else value.astimezone()
