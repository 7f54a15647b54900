from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from legcoach.models import LegKind
from legcoach.recovery import (
    DEFAULT_DECAY,
    Intensity,
    LegLoad,
    SorenessDecay,
    SorenessReading,
    intensity_of,
    soreness_now,
)
from tests.conftest import NOW


@pytest.mark.parametrize(
    ("rpe", "kind", "expected"),
    [
        (9, None, Intensity.HARD),
        (7, None, Intensity.HARD),
        (6, None, Intensity.MODERATE),
        (5, LegKind.VOLUME, Intensity.MODERATE),
        (4, None, Intensity.LIGHT),
        (3, LegKind.ECCENTRIC, Intensity.HARD),
        (2, LegKind.NEW_EXERCISES, Intensity.HARD),
        (None, None, Intensity.HARD),
    ],
)
def test_intensity_from_rpe_and_kind(rpe: int, kind: Any, expected: Any) -> None:
    assert intensity_of(rpe, kind) is expected


def test_lighter_sessions_open_windows_earlier() -> None:
    at = NOW + timedelta(hours=10)
    assert LegLoad(NOW, 8).effective_hours_at(at) == pytest.approx(10)
    assert LegLoad(NOW, 5).effective_hours_at(at) == pytest.approx(22)
    assert LegLoad(NOW, 3).effective_hours_at(at) == pytest.approx(34)
    assert LegLoad(NOW, 5).when_effective(24) == NOW + timedelta(hours=12)


def test_soreness_holds_until_the_doms_peak_then_halves_every_half_life() -> None:
    leg = LegLoad(NOW, 8)
    reading = SorenessReading(8, NOW + timedelta(hours=4))
    assert soreness_now(reading, leg, NOW + timedelta(hours=30)) == 8
    peak = NOW + timedelta(hours=DEFAULT_DECAY.peak_hours)
    one_half_life = peak + timedelta(hours=DEFAULT_DECAY.half_life_hours)
    assert soreness_now(reading, leg, one_half_life) == pytest.approx(4)
    assert DEFAULT_DECAY.falls_to(8, 4, reading.at, leg) == one_half_life


def test_a_later_reading_moves_the_projection() -> None:
    leg = LegLoad(NOW, 8)
    at = NOW + timedelta(hours=90)
    early = soreness_now(SorenessReading(8, NOW + timedelta(hours=2)), leg, at)
    later = soreness_now(SorenessReading(3, NOW + timedelta(hours=60)), leg, at)
    assert later is not None and early is not None and later < early


def test_a_reading_from_before_the_session_is_a_floor_held_past_its_peak() -> None:
    leg = LegLoad(NOW, 8)
    before = SorenessReading(5, NOW - timedelta(hours=1))
    assert soreness_now(before, leg, NOW) == 5  # more leg work never lowers soreness
    assert soreness_now(before, leg, NOW + timedelta(hours=47)) == 5  # held to the peak
    assert soreness_now(before, leg, NOW + timedelta(hours=88)) == pytest.approx(2.5)
    assert soreness_now(None, leg, NOW) is None


def test_decay_never_reaches_zero_and_a_personal_rate_is_marked() -> None:
    assert DEFAULT_DECAY.falls_to(5, 0, NOW, None) is None
    assert DEFAULT_DECAY.falls_to(2, 3, NOW, None) is None
    assert not DEFAULT_DECAY.is_personal
    assert SorenessDecay(half_life_hours=30, based_on=6).is_personal
