"""Words and numbers as the screens show them (no Textual here, so it is easy to test)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from legcoach.models import Recommendation


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
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"{int(hours * 60)} min"
    if hours < 48:
        whole = int(hours)
        return f"{whole} h {int((hours - whole) * 60):02d} min"
    return f"{hours / 24:.1f} days"


def duration(plan: Recommendation) -> str:
    low, high = plan.duration_min
    return "no run" if high == 0 else f"{low}-{high} min"


def cap(plan: Recommendation) -> str:
    if plan.max_rpe == 0:
        return "No running today."
    parts = [f"RPE ≤ {plan.max_rpe}/10"]
    if plan.max_hr_bpm:
        parts.append(f"heart rate ≤ {plan.max_hr_bpm} bpm ({plan.max_hr_pct}% of max)")
    return " · ".join(parts)


def when(at: datetime, now: datetime) -> str:
    local = at.astimezone(now.tzinfo)
    if local.date() == now.date():
        return f"today {local:%H:%M}"
    if local.date() == (now + timedelta(days=1)).date():
        return f"tomorrow {local:%H:%M}"
    return f"{local:%a %d %b %H:%M}"
