"""One answer everywhere: today's plan and timeline are derived once, and every door
(home, the plan screen, the timer, `advise`, `checkin`, `today`, `status` from the JSON
cache and from the line file) says the same run type now and the same next unlock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legcoach import coach
from legcoach.journal import Journal
from legcoach.models import CheckIn, Fuel, Goal, LegKind, LegSession, RunLog, RunType
from legcoach.storage import statusline
from legcoach.storage.snapshot import read_fresh_cache, status_at, zone_of
from legcoach.storage.store import Store
from legcoach.timeline import allowed_at
from legcoach.tui.app import make_app
from tests.conftest import NOW, FakeClock
from tests.test_cli import cli
from tests.test_recovery_fit import two_leg_days_with_readings
from tests.tui_helpers import press, text_of

answers = st.fixed_dictionaries(
    {
        "soreness": st.none() | st.integers(0, 10),
        "goal": st.none() | st.sampled_from(list(Goal)),
        "fuel": st.none() | st.sampled_from(list(Fuel)),
        "sleep": st.none() | st.integers(1, 5),
        "energy": st.none() | st.integers(1, 5),
        "stress": st.none() | st.integers(1, 5),
        "warmup": st.none() | st.booleans(),
    }
)
leg_days = st.lists(
    st.tuples(st.floats(1, 150), st.integers(1, 10), st.none() | st.sampled_from(list(LegKind))),
    max_size=3,
)
runs = st.lists(
    st.tuples(st.floats(1, 100), st.sampled_from([RunType.EASY, RunType.QUALITY])), max_size=2
)


def _learnt_rate(store: Store) -> None:
    """Two leg days a month ago with soreness readings after each: a personal rate."""
    store.commit(two_leg_days_with_readings())


def _unlock_key(unlock: dict[str, Any] | None) -> tuple[Any, ...] | None:
    if unlock is None:
        return None
    at = unlock["at"][:16]  # to the minute
    return (unlock["run_type"], at, unlock["assumes_soreness"], unlock["lasting_only"])


def _answers_of(journal: Journal) -> dict[str, Any]:
    """What each door says at the journal's clock."""
    today = journal.today()
    now = today.now
    plan_unlock = today.plan.to_public_json()["next_unlock"]
    home_unlock = today.next_unlock(now)
    cache = read_fresh_cache(journal.path.resolve(), now)
    assert cache is not None
    from_cache = status_at(cache, now)
    # The line file is keyed by the local zone; the test's clock has its own.
    with patch.object(statusline, "local_zone", lambda: zone_of(now)):
        line = statusline.read_status(str(journal.path.resolve()), now.timestamp())
    assert line is not None
    return {
        "plan": (today.plan.run_type.value, _unlock_key(plan_unlock)),
        "home": (
            today.allowed_at(now).value,
            _unlock_key(
                None
                if home_unlock is None
                else {
                    "run_type": str(home_unlock.run_type),
                    "at": home_unlock.at.isoformat(),
                    "assumes_soreness": home_unlock.assumes_soreness,
                    "lasting_only": home_unlock.lasting_only,
                }
            ),
        ),
        "status": (from_cache["run_type_now"], _unlock_key(from_cache["next_unlock"])),
        "status line": (line["run_type_now"], _unlock_key(line["next_unlock"])),
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers, leg_days, runs, st.booleans(), st.floats(0, 40))
def test_every_door_gives_one_answer_before_and_after_the_answers_lapse(
    tmp_path_factory: pytest.TempPathFactory,
    given_answers: dict[str, Any],
    legs: list[tuple[float, int, LegKind | None]],
    past_runs: list[tuple[float, RunType]],
    learnt: bool,
    hours_later: float,
) -> None:
    db = tmp_path_factory.mktemp("db") / "legcoach.json"
    store = Store(db)
    if learnt:
        _learnt_rate(store)
    store.commit(
        [
            *(
                LegSession(ended_at=NOW - timedelta(hours=hours), rpe=rpe, kind=kind)
                for hours, rpe, kind in legs
            ),
            *(
                RunLog(at=NOW - timedelta(hours=hours), run_type=run_type, minutes=40, rpe=5)
                for hours, run_type in past_runs
            ),
        ]
    )
    clock = FakeClock(NOW)
    journal = Journal(store, clock)
    checkin = CheckIn(at=NOW, **given_answers)
    advised = journal.advise(checkin)
    saved = journal.check_in(checkin, goal_for_profile=False).checkin.recommendation
    assert saved is not None
    assert advised.to_public_json() == saved.to_public_json()  # advise is checkin, unsaved
    said = _answers_of(journal)
    assert len(set(said.values())) == 1, said
    foreseen = journal.today().steps

    # Later the same day or the next, past the 12 h the momentary answers count for: a
    # new process (another terminal) and this one agree, and say what the timeline of
    # the check-in foresaw for that moment (with nothing logged since; days off that
    # became a break included), so its promise is kept while it lasts.
    clock.advance(hours=hours_later)
    later = Journal(Store(db), clock)
    later.refresh_status_cache()
    said_later = _answers_of(later)
    assert len(set(said_later.values())) == 1, said_later
    assert later.today().plan.run_type == allowed_at(foreseen, clock.now)


def count_derivations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every derivation of today made from now on, one entry each."""
    calls: list[object] = []
    real = coach.derive

    def counted(case: coach.Case, now: datetime) -> coach.Derivation:
        calls.append(case)
        return real(case, now)

    monkeypatch.setattr(coach, "derive", counted)
    return calls


def test_a_saved_check_in_derives_today_once(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal.open(db_path, clock)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=30), rpe=8))
    calls = count_derivations(monkeypatch)
    journal.check_in(CheckIn(at=NOW, soreness=2, sleep=4, fuel=Fuel.MEAL, warmup=True))
    journal.today()
    journal.settle()  # the status cache, from the same derivation
    assert len(calls) == 1


async def test_home_plan_and_timer_show_the_one_derivation(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The morning of issue 20: soreness 2, no carbs, legs 57 h ago. Every screen and
    `status` promise quality at 72 h after legs, judged on legs and soreness alone."""
    journal = Journal.open(db_path, clock)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=57), rpe=8))
    calls = count_derivations(monkeypatch)
    app = make_app(journal)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        calls.clear()
        # The check-in, answered with real key presses: no new legs, soreness 2, no
        # flags, keep the goal, no carbs, sleep 4, energy 4, stress 2, warm-up, now.
        await press(pilot, "c", "1", "enter", "2", "enter", "enter", "enter", "1", "enter")
        await press(pilot, "4", "enter", "4", "enter", "2", "enter", "1", "enter", "enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "PlanScreen"
        assert len(calls) == 1, "a save derives today once"
        saved = journal.todays_checkin()
        assert saved is not None and saved.recommendation is not None
        unlock = saved.recommendation.next_unlock
        plan_text = text_of(app, ".plan-next")
        await press(pilot, "escape")
        home_text = text_of(app, "#recovery")
        await press(pilot, "t")
        timer_text = text_of(app, "#timer-next")
    cache = read_fresh_cache(db_path.resolve(), clock.now)
    assert cache is not None
    status = status_at(cache, clock.now)
    assert status["next_unlock"] == (
        None
        if unlock is None
        else {
            "run_type": unlock.run_type.value,
            "in_hours": round(unlock.in_hours, 2),
            "at": unlock.at.isoformat(),
            "assumes_soreness": unlock.assumes_soreness,
            "lasting_only": unlock.lasting_only,
        }
    )
    if unlock is not None:
        for shown in (plan_text, home_text, timer_text):
            assert unlock.run_type.value in shown, shown
            assert f"{unlock.at.astimezone(clock.now.tzinfo):%H:%M}" in shown, shown


def _cli_env(db: Path) -> dict[str, str]:
    return {"LEGCOACH_DB": str(db)}


def test_advise_checkin_today_and_status_agree_once_a_rate_is_learnt(tmp_path: Path) -> None:
    """Issue 20 item 2: `advise` used to skip the learnt recovery rate."""
    db = tmp_path / "legcoach.json"
    store = Store(db)
    now = NOW.astimezone()
    records: list[Any] = []
    for days_ago in (20, 12):
        ended = now.replace(microsecond=0) - timedelta(days=days_ago)
        records.append(LegSession(ended_at=ended, rpe=8))
        records += [
            CheckIn(at=ended + timedelta(hours=50), soreness=6),
            CheckIn(at=ended + timedelta(hours=90), soreness=1),
        ]
    store.commit(records)
    env = _cli_env(db)
    cli("log-legs", "--ago", "20h", "--rpe", "8", env=env)
    advised = json.loads(cli("advise", "--soreness", "6", "--json", env=env).stdout)
    checked = json.loads(cli("checkin", "--soreness", "6", "--json", env=env).stdout)
    today = json.loads(cli("today", "--json", env=env).stdout)
    status = json.loads(cli("status", "--json", env=env).stdout)
    for cache in db.parent.glob("**/status.*"):
        cache.unlink()  # the full path: the journal derives it again
    status_full = json.loads(cli("status", "--json", env=env).stdout)
    assert advised["run_type"] == checked["run_type"] == today["plan"]["run_type"]
    assert status["run_type_now"] == status_full["run_type_now"] == checked["run_type"]
    keys = [_unlock_key(d) for d in (advised["next_unlock"], checked["next_unlock"])]
    keys += [_unlock_key(today["next_unlock"]), _unlock_key(status["next_unlock"])]
    keys.append(_unlock_key(status_full["next_unlock"]))
    # advise and checkin ran a second or two apart: the unlock is the same to the minute.
    assert len(set(keys)) == 1, keys


def test_days_off_that_become_a_break_are_on_the_timeline(db_path: Path, clock: FakeClock) -> None:
    """Legs 5 days ago and nothing since: quality now, and the timeline already says that
    from 6 days off the first days back hold no quality, as a reading then will."""
    journal = Journal.open(db_path, clock)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(days=5), rpe=6))
    journal.check_in(CheckIn(at=NOW, soreness=1), goal_for_profile=False)
    today = journal.today()
    assert today.plan.run_type == RunType.QUALITY
    starts = NOW + timedelta(days=1)
    assert today.allowed_at(starts - timedelta(minutes=1)) == RunType.QUALITY
    assert today.allowed_at(starts) == RunType.STEADY
    clock.advance(hours=25)
    later = Journal.open(db_path, clock).today()
    assert later.plan.run_type == RunType.STEADY
    assert any("days off" in reason.text for reason in later.plan.reasons)
