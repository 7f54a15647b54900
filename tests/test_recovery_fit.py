"""The personal recovery rate, on synthetic histories with a known soreness half-life."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from legcoach.journal import Journal
from legcoach.models import CheckIn, LegSession
from legcoach.recovery import DEFAULT_DECAY, SorenessDecay, fit_decay
from legcoach.storage.store import Store
from tests.conftest import NOW, FakeClock, local_dir


def readings(
    half_life: float, start: float, hours: tuple[float, ...] = (50, 70, 90, 120)
) -> list[tuple[float, float]]:
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
    rounded = [[(h, float(round(s))) for h, s in readings(30, start)] for start in (8, 7, 9, 6, 8)]
    fit = fit_decay(rounded)
    assert fit is not None and fit.half_life_hours == pytest.approx(30, rel=0.2)


def test_too_little_data_or_no_decay_keeps_the_default() -> None:
    assert fit_decay([readings(30, 8)]) is None  # one session only
    assert fit_decay([[(60.0, 5.0)], [(70.0, 4.0)], [(80.0, 3.0)]]) is None  # one reading each
    before_peak = [[(5.0, 8.0), (12.0, 6.0), (20.0, 5.0)]] * 4
    assert fit_decay(before_peak) is None  # DOMS may still rise in the first day
    rising = [[(50.0, 2.0), (80.0, 4.0)]] * 3
    assert fit_decay(rising) is None
    assert fit_decay([[(50, 0), (80, 0)]] * 3) is None  # nothing sore, nothing to learn


def test_an_implausible_rate_is_clamped() -> None:
    fit = fit_decay([readings(3, 9, hours=(49, 50, 51))] * 3)
    assert fit is not None and fit.half_life_hours == 12.0


def test_the_journal_uses_the_personal_rate_only_once_there_is_enough(
    db_path: Path, clock: FakeClock
) -> None:
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


def test_a_twice_a_week_lifter_who_checks_in_daily_gets_a_personal_rate(
    db_path: Path, clock: FakeClock
) -> None:
    """Legs Monday and Thursday 18:00 for three weeks, a check-in every morning at 08:00:
    enough (it was not with the old rule, which wanted readings after 48 h only)."""
    journal = Journal(Store(db_path), clock)
    start = NOW - timedelta(days=21)
    records: list[Any] = []
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


def test_no_history_at_all_keeps_the_default(db_path: Path, clock: FakeClock) -> None:
    assert Journal(Store(db_path), clock).decay == DEFAULT_DECAY


def two_leg_days_with_readings() -> list[LegSession | CheckIn]:
    """Two leg days a month ago, each with three soreness readings after it: enough for
    a personal rate (half-life ~25 h)."""
    records: list[LegSession | CheckIn] = []
    for days_ago, start in ((40, 8), (30, 7)):
        ended = NOW - timedelta(days=days_ago)
        records.append(LegSession(ended_at=ended, rpe=8))
        records += [
            CheckIn(at=ended + timedelta(hours=hours), soreness=round(soreness))
            for hours, soreness in readings(25, start, hours=(52, 76, 100))
        ]
    return records


def _two_leg_days(db_path: Path) -> list[LegSession | CheckIn]:
    records = two_leg_days_with_readings()
    Store(db_path).commit(records[:4])  # in the log
    Store(db_path).commit(records[4:])
    return records


def test_the_days_fit_is_kept_for_the_next_process_and_redone_when_its_records_change(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fitting validates half a year of records; a command started later the same day
    reads the fit a save left in the cache, unless a record of its window changed."""
    records = _two_leg_days(db_path)
    first = Journal(Store(db_path), clock)
    first.log_legs(LegSession(ended_at=NOW - timedelta(hours=3), rpe=6))  # today: no refit
    first.check_in(CheckIn(at=NOW, soreness=3))
    first.check_in(CheckIn(at=NOW, soreness=2))  # replaces today's: a removal, still today
    fitted = first.decay
    assert fitted.is_personal and fitted.based_on == 2

    def no_fit(self: Journal) -> None:
        raise AssertionError("fitted again")

    with monkeypatch.context() as patched:
        patched.setattr(Journal, "personal_decay", no_fit)
        assert Journal(Store(db_path), clock).decay == fitted
    # An old reading edited: the window's records changed, so the fit is done again
    # (by the process that saved, for its status cache), and the next one reads it.
    calls: list[Any] = []
    real = Journal.personal_decay

    def counted(self: Journal) -> SorenessDecay | None:
        calls.append(1)
        return real(self)

    monkeypatch.setattr(Journal, "personal_decay", counted)
    first.edit(str(records[3].id), {"soreness": 1})
    assert len(calls) == 1
    again = Journal(Store(db_path), clock).decay
    assert len(calls) == 1 and again == first.decay != fitted and again.is_personal
    # The next day, the window moves: fitted again.
    clock.advance(days=1)
    calls.clear()
    assert Journal(Store(db_path), clock).decay.is_personal and calls


@pytest.mark.parametrize(
    "fit",
    [
        {"key": "x", "half_life_hours": 25.0, "peak_hours": 48.0, "based_on": 2},
        {"half_life_hours": -3, "peak_hours": 48.0, "based_on": 2},
        {"half_life_hours": "25", "peak_hours": 48.0, "based_on": 2},
        {"half_life_hours": True, "peak_hours": 48.0, "based_on": 2},
        "not a fit",
    ],
    ids=["another key", "negative", "text", "boolean", "not a mapping"],
)
def test_a_wrong_fit_in_the_cache_is_fitted_again(
    db_path: Path, clock: FakeClock, fit: Any
) -> None:
    _two_leg_days(db_path)
    journal = Journal(Store(db_path), clock)
    expected = journal.decay
    journal.refresh_status_cache()
    cache_path = local_dir(db_path) / "status.json"
    cache = json.loads(cache_path.read_text())
    if isinstance(fit, dict) and "key" not in fit:
        fit = {**fit, "key": cache["fit"]["key"]}
    cache["fit"] = fit
    cache_path.write_text(json.dumps(cache))
    assert Journal(Store(db_path), clock).decay == expected
