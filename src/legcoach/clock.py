"""The time, as something that can be replaced: tests and benchmarks pass their own clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

Clock = Callable[[], datetime]

# How far ahead of this clock a saved time may be (another device's clock, a typed time
# a little ahead): one margin for the journal, the command line and the app's forms.
FUTURE_TOLERANCE = timedelta(minutes=15)


def local_now() -> datetime:
    return datetime.now().astimezone()


def day_label(day: date, today: date) -> str:
    """A day as home's week names it: 'Today' or 'Tue 24'."""
    return "Today" if day == today else f"{day:%a %d}"
