"""Words and numbers as the screens show them (no Textual here, so it is easy to test)."""

from __future__ import annotations

from datetime import datetime, timedelta

from legcoach.vocab import Units


def countdown(delta: timedelta) -> str:
    """'18:04:09' under a day, '2d 06:04' beyond."""
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}:{minutes:02d}"
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"


def ago(delta: timedelta) -> str:
    # A session saved a few minutes ahead of the clock (allowed) is "0 min" ago, not "-5".
    hours = max(0.0, delta.total_seconds()) / 3600
    if hours < 1:
        return f"{int(hours * 60)} min"
    if hours < 48:
        whole = int(hours)
        return f"{whole} h {int((hours - whole) * 60):02d} min"
    return f"{hours / 24:.1f} days"


def when(at: datetime, now: datetime) -> str:
    local = at.astimezone(now.tzinfo)
    if local.date() == now.date():
        return f"today {local:%H:%M}"
    if local.date() == (now + timedelta(days=1)).date():
        return f"tomorrow {local:%H:%M}"
    if local.date() == (now - timedelta(days=1)).date():
        return f"yesterday {local:%H:%M}"
    return f"{local:%a %d %b %H:%M}"


def units_of(app: object) -> Units:
    """The units every distance on screen is written in: the profile's (the app's)."""
    found = getattr(app, "units", Units.METRIC)
    return found if isinstance(found, Units) else Units.METRIC


def clipped(text: str, width: int) -> str:
    """The text in `width` columns: whole if it fits, else cut at a word where one ends
    near the edge, and marked with "…" so a cut never reads as the whole."""
    if len(text) <= width:
        return text
    cut = text[: max(1, width - 1)]
    space = cut.rfind(" ")
    if space >= width * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,·-") + "…"
