"""Driving the app in tests: a temporary database, a fake clock, real key presses."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from legcoach.models import Goal, LegKind, LegSession, Profile
from legcoach.storage.store import Store
from legcoach.tui.app import LegcoachApp, make_app
from tests.conftest import NOW, FakeClock


def app_with(
    db: Path, clock: FakeClock, *, goal: Goal | None = Goal.ENDURANCE, legs_hours: float | None = 30
) -> LegcoachApp:
    store = Store(db)
    if goal is not None:
        store.save_profile(Profile(goal=goal))
    if legs_hours is not None:
        store.add(
            LegSession(
                ended_at=NOW - timedelta(hours=legs_hours), rpe=8, kind=LegKind.HEAVY_STRENGTH
            )
        )
    return make_app(store, clock)


async def press(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
    await pilot.pause()


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())
