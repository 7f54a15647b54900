"""The personal recovery rate, on synthetic histories with a known soreness half-life."""

from __future__ import annotations

from datetime import timedelta

import pytest

from legcoach.journal import Journal
from legcoach.models import CheckIn, LegSession
from legcoach.recovery import DEFAULT_DECAY, fit_decay
from legcoach.storage.store import Store
from tests.conftest import NOW


def readings(half_life: float, start: float, hours=(50, 70, 90, 120)) -> list[tuple[float, float]]:
    return [(h, start * 0.5 ** ((h - 48) / half_life)) for h in hours]


@pytest.mark.parametrize("half_life", [20.0, 30.0, 55.0, 90.0])
def test_the_fit_recovers_a_known_half_life(half_life: float) -> None:
    fit = fit_decay([readings(half_life, s) for s in (8, 6, 5, 9)])
    assert fit is not None and fit.based_on == 4 and fit.is_personal
    assert fit.half_life_hours == pytest.approx(half_life, rel=1e-6)


def test_each_session_keeps_its_own_starting_soreness() -> None:
    # Very different starting points must not bias the shared rate.
    fit = fit_decay([readings(30, 2), readings(30, 9.5), readings(30, 5)])
    assert fit is not None and fit.half_life_hours == pytest.approx(30, rel=1e-6)


def test_whole_number_answers_still_give_a_close_rate() -> None:
    rounded = [[(h, round(s)) for h, s in readings(30, start)] for start in (8, 7, 9, 6, 8)]
    fit = fit_decay(rounded)
    assert fit is not None and fit.half_life_hours == pytest.approx(30, rel=0.2)


def test_too_little_data_or_no_decay_keeps_the_default() -> None:
    assert fit_decay([readings(30, 8)]) is None  # one session only
    assert fit_decay([[(60, 5)], [(70, 4)], [(80, 3)]]) is None  # one reading each
    before_peak = [[(5, 8), (12, 6), (20, 5)]] * 4
    assert fit_decay(before_peak) is None  # DOMS may still rise in the first day
    rising = [[(50, 2), (80, 4)]] * 3
    assert fit_decay(rising) is None
    assert fit_decay([[(50, 0), (80, 0)]] * 3) is None  # nothing sore, nothing to learn


def test_an_implausible_rate_is_clamped() -> None:
    fit = fit_decay([readings(3, 9, hours=(49, 50, 51))] * 3)
    assert fit is not None and fit.half_life_hours == 12.0


def test_the_journal_uses_the_personal_rate_only_once_there_is_enough(db_path, clock) -> None:
    store = Store(db_path)
    journal = Journal(store, clock)

    def leg_day(days_ago: int, start: float) -> None:
        ended = NOW - timedelta(days=days_ago)
        store.commit(
            [LegSession(ended_at=ended, rpe=8)]
            + [
                CheckIn(at=ended + timedelta(hours=hours), soreness=round(soreness))
                for hours, soreness in readings(25, start, hours=(52, 76, 100))
            ]
        )

    leg_day(40, 8)
    assert journal.decay == DEFAULT_DECAY
    leg_day(30, 7)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(days=10), rpe=8))  # forgets the cache
    assert journal.decay.is_personal and journal.decay.based_on == 2
    assert journal.decay.half_life_hours == pytest.approx(25, rel=0.25)


def test_a_twice_a_week_lifter_who_checks_in_daily_gets_a_personal_rate(db_path, clock) -> None:
    """Legs Monday and Thursday 18:00 for three weeks, a check-in every morning at 08:00:
    enough (it was not with the old rule, which wanted readings after 48 h only)."""
    journal = Journal(Store(db_path), clock)
    start = NOW - timedelta(days=21)
    records: list = []
    for day in range(21):
        at = start + timedelta(days=day)
        if day % 7 in (0, 3):
            records.append(LegSession(ended_at=at.replace(hour=18), rpe=8))
        since = next(
            (
                r.ended_at
                for r in reversed(records)
                if isinstance(r, LegSession) and r.ended_at < at
            ),
            None,
        )
        hours = (at - since).total_seconds() / 3600 if since else 0
        sore = max(0, round(6 * 0.5 ** (max(0.0, hours - 24) / 30))) if since else 0
        records.append(CheckIn(at=at, soreness=sore))
    Store(db_path).commit(records)
    journal.changed_elsewhere()
    assert journal.decay.is_personal


def test_no_history_at_all_keeps_the_default(db_path, clock) -> None:
    assert Journal(Store(db_path), clock).decay == DEFAULT_DECAY
