"""The time, as something that can be replaced: tests and benchmarks pass their own clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now().astimezone()
