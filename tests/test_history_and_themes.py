"""Pure pieces behind the history screen and the theme files."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from legcoach import history
from legcoach.models import CheckIn, LegSession, RunLog, RunType
from legcoach.tui.themes import ThemeFileError, load_themes, shipped_themes_dir, theme_from_dict
from tests.conftest import NOW


def test_weeks_put_legs_and_runs_side_by_side_with_load_and_notes() -> None:
    monday = (NOW - timedelta(days=NOW.weekday())).replace(hour=0)
    legs = [LegSession(ended_at=monday + timedelta(hours=1), rpe=8, minutes=60)]
    runs = [
        RunLog(at=monday + timedelta(hours=20), run_type=RunType.QUALITY, minutes=40, rpe=8),
        RunLog(at=monday + timedelta(days=1, hours=2), run_type=RunType.EASY, minutes=30, rpe=3),
    ]
    (week,) = history.weeks(legs, runs, [], last=1, today=NOW.date())
    assert week.start == monday.date()
    assert week.days[0].legs == legs and week.days[0].runs == [runs[0]]
    assert week.load == 8 * 60 + 8 * 40 + 3 * 30
    assert week.notes == [f"{runs[0].at:%a %d %b}: quality run at RPE 8, 19 h after hard legs"]


def test_an_easy_run_or_a_late_hard_run_is_not_flagged() -> None:
    legs = [LegSession(ended_at=NOW, rpe=9)]
    runs = [
        RunLog(at=NOW + timedelta(hours=5), run_type=RunType.EASY, minutes=30, rpe=3),
        RunLog(at=NOW + timedelta(hours=30), run_type=RunType.QUALITY, minutes=30, rpe=8),
    ]
    assert history.hard_runs_after_hard_legs(legs, runs) == []
    light = [LegSession(ended_at=NOW, rpe=3)]
    assert history.hard_runs_after_hard_legs(light, [runs[1]]) == []


def test_an_easy_run_run_hard_is_flagged_with_its_rpe() -> None:
    legs = [LegSession(ended_at=NOW, rpe=9)]
    pushed = RunLog(at=NOW + timedelta(hours=6), run_type=RunType.EASY, minutes=30, rpe=7)
    assert history.hard_runs_after_hard_legs(legs, [pushed]) == [(pushed, 6.0)]
    (week,) = history.weeks(legs, [pushed], [], last=1, today=pushed.at.date())
    assert "easy run at RPE 7, 6 h after hard legs" in week.notes[0]


def test_readiness_is_one_point_per_checkin_and_the_span_names_real_dates() -> None:
    checkins = [
        CheckIn(at=NOW, soreness=2),  # no readiness answers: no point
        CheckIn(at=NOW - timedelta(days=2), soreness=6, sleep=2, energy=4, stress=5),
    ]
    series = history.readiness_series(checkins)
    assert series.at == [NOW - timedelta(days=2)]
    assert series.values == [(2 + 4 + 1) / 3]  # stress 5 counts as calm 1
    assert series.span == f"{NOW - timedelta(days=2):%d %b %Y}"
    two = history.Series([NOW - timedelta(days=13), NOW], [5.0, 1.0])
    assert two.span == f"{NOW - timedelta(days=13):%d %b} -> {NOW:%d %b %Y}"


def test_the_shipped_themes_load_dark_light_and_high_contrast() -> None:
    loaded = load_themes(shipped_themes_dir())
    assert loaded.failed == []
    names = {theme.name: theme for theme in loaded.themes}
    assert set(names) == {"legcoach-dark", "legcoach-light", "legcoach-high-contrast"}
    assert names["legcoach-dark"].dark and not names["legcoach-light"].dark


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"primary": "#fff"}, "needs a name"),
        ({"name": "x"}, "needs a primary"),
        ({"name": "x", "primary": "blurple"}, "primary is not a colour"),
        ({"name": "x", "primary": "#fff", "dark": "yes"}, "dark must be"),
        ({"name": "x", "primary": "#fff", "colour": "#000"}, "unknown keys: colour"),
        ({"name": "x", "primary": "#fff", "variables": {"a": 1}}, "variables"),
    ],
)
def test_a_bad_theme_says_what_is_wrong(raw: dict[str, Any], problem: str) -> None:
    with pytest.raises(ThemeFileError, match=problem):
        theme_from_dict(raw)
