"""What any careful coach holds to, checked over generated check-ins (hypothesis)."""

from __future__ import annotations

import dataclasses
import itertools
import math
import statistics
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach.coach import (
    ANSWERS_HOLD,
    advise,
    derive,
    make_case,
    recommend,
    timeline,
    weekly_monotony,
)
from legcoach.models import (
    CheckIn,
    Fuel,
    Goal,
    LegKind,
    LegSession,
    Recommendation,
    RedFlag,
    RunLog,
    RunType,
)
from legcoach.timeline import allowed_at
from tests.conftest import NOW

SECOND = timedelta(seconds=1)

flags = st.frozensets(st.sampled_from(list(RedFlag)))
answers = st.fixed_dictionaries(
    {
        "goal": st.none() | st.sampled_from(list(Goal)),
        "fuel": st.none() | st.sampled_from(list(Fuel)),
        "sleep": st.none() | st.integers(1, 5),
        "energy": st.none() | st.integers(1, 5),
        "warmup": st.none() | st.booleans(),
        "red_flags": flags,
    }
)
legs = st.none() | st.builds(
    lambda hours, rpe, kind: LegSession(ended_at=NOW - timedelta(hours=hours), rpe=rpe, kind=kind),
    st.floats(0, 300),
    st.integers(1, 10),
    st.none() | st.sampled_from(list(LegKind)),
)
history = st.lists(
    st.builds(
        lambda hours, run_type: RunLog(
            at=NOW - timedelta(hours=hours), run_type=run_type, minutes=40, rpe=6
        ),
        st.floats(1, 150),
        st.sampled_from(list(RunType)),
    ),
    max_size=3,
)


answers_with_stress = st.fixed_dictionaries(
    {
        "goal": st.none() | st.sampled_from(list(Goal)),
        "fuel": st.none() | st.sampled_from(list(Fuel)),
        "sleep": st.none() | st.integers(1, 5),
        "energy": st.none() | st.integers(1, 5),
        "stress": st.none() | st.integers(1, 5),
        "warmup": st.none() | st.booleans(),
        "red_flags": flags,
    }
)


def plan(
    soreness: int | None,
    given_answers: dict[str, Any],
    last_legs: LegSession | None,
    runs: Sequence[RunLog | LegSession] = (),
    at: datetime = NOW,
) -> Recommendation:
    checkin = CheckIn(at=NOW, soreness=soreness, **given_answers)
    return recommend(checkin, last_legs, at, runs)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 9), st.integers(1, 10), answers, legs, history)
def test_more_soreness_never_makes_the_run_harder(
    soreness: int,
    more: int,
    given_answers: dict[str, Any],
    last_legs: LegSession | None,
    runs: list[RunLog],
) -> None:
    higher = min(10, soreness + more)
    assert (
        plan(higher, given_answers, last_legs, runs).run_type
        <= plan(soreness, given_answers, last_legs, runs).run_type
    )


@settings(max_examples=300, deadline=None)
@given(st.none() | st.integers(0, 10), answers, st.sampled_from(list(RedFlag)), legs, history)
def test_a_red_flag_never_allows_more_than_a_walk_and_never_raises(
    soreness: int | None,
    given_answers: dict[str, Any],
    flag: RedFlag,
    last_legs: LegSession | None,
    runs: list[RunLog],
) -> None:
    before = plan(soreness, given_answers, last_legs, runs).run_type
    flagged = {**given_answers, "red_flags": given_answers["red_flags"] | {flag}}
    after = plan(soreness, flagged, last_legs, runs)
    assert after.run_type <= before
    assert after.run_type <= RunType.WALK
    assert after.max_rpe <= 2


@settings(max_examples=300, deadline=None)
@given(
    st.none() | st.integers(0, 10),
    answers,
    st.floats(0, 200),
    st.floats(0, 200),
    st.integers(1, 10),
    history,
)
def test_more_hours_since_legs_never_make_the_run_easier(
    soreness: int | None,
    given_answers: dict[str, Any],
    hours: float,
    more: int,
    rpe: int,
    runs: list[RunLog],
) -> None:
    # The check-in is now; only the leg session moves further into the past.
    sooner = LegSession(ended_at=NOW - timedelta(hours=hours), rpe=rpe)
    later = sooner.model_copy(update={"ended_at": sooner.ended_at - timedelta(hours=more)})
    assert (
        plan(soreness, given_answers, later, runs).run_type
        >= plan(soreness, given_answers, sooner, runs).run_type
    )


@settings(max_examples=150, deadline=None)
@given(
    st.none() | st.integers(0, 10),
    answers,
    legs,
    history,
    st.floats(0, 200),
    st.none() | st.floats(0, 200),
)
def test_as_the_clock_runs_the_plan_never_gets_easier(
    soreness: int | None,
    given_answers: dict[str, Any],
    last_legs: LegSession | None,
    runs: list[RunLog],
    hours_later: float,
    idle_hours: float | None,
) -> None:
    checkin = CheckIn(at=NOW, soreness=soreness, **given_answers)
    # Nothing logged since the last activity, idle_hours ago: days off may become a break.
    idle_since = None if idle_hours is None else NOW - timedelta(hours=idle_hours)
    case = make_case(checkin, last_legs, NOW, runs, idle_since=idle_since)
    steps = timeline(case, NOW)
    expires = NOW + ANSWERS_HOLD
    # Only what lapses can lower the plan: the check-in's momentary answers (good sleep no
    # longer counts) and recent activity (days off become a break); between those moments
    # it only ever rises.
    lapses = {expires, case.break_starts, case.break_starts and case.break_starts + SECOND}
    for a, b in itertools.pairwise(steps):
        assert a.run_type < b.run_type or b.at in lapses
    # The timeline agrees with a fresh evaluation at any later moment, before and after
    # the momentary answers expire and a break begins.
    at = NOW + timedelta(hours=hours_later)
    later = advise(make_case(checkin, last_legs, at, runs, idle_since=idle_since), at)
    assert later.run_type == allowed_at(steps, at)


@settings(max_examples=150, deadline=None)
@given(st.none() | st.integers(0, 10), answers_with_stress, legs, history)
def test_every_promised_unlock_is_granted_at_its_time(
    soreness: int | None,
    given_answers: dict[str, Any],
    last_legs: LegSession | None,
    runs: list[RunLog],
) -> None:
    checkin = CheckIn(at=NOW, soreness=soreness, **given_answers)
    derived = derive(make_case(checkin, last_legs, NOW, runs), NOW)
    unlock = derived.plan.next_unlock
    if unlock is None:
        return
    at_unlock = recommend(checkin, last_legs, unlock.at, runs)
    assert at_unlock.run_type >= unlock.run_type
    # "judged on legs and soreness alone" is said exactly when the answers lapse first.
    assert unlock.lasting_only == (unlock.at >= checkin.at + ANSWERS_HOLD)


@settings(max_examples=200, deadline=None)
@given(st.none() | st.integers(0, 10), answers, legs, history)
def test_every_plan_is_well_formed(
    soreness: int | None,
    given_answers: dict[str, Any],
    last_legs: LegSession | None,
    runs: list[RunLog],
) -> None:
    result = plan(soreness, given_answers, last_legs, runs)
    low, high = result.duration_min
    assert 0 <= low <= high
    assert (high == 0) == (result.run_type == RunType.REST)
    assert result.reasons
    if result.next_unlock:
        assert result.next_unlock.run_type > result.run_type
        assert result.next_unlock.in_hours > 0


leg_sessions = st.lists(
    st.builds(
        lambda hours, rpe, kind: LegSession(
            ended_at=NOW - timedelta(hours=hours), rpe=rpe, kind=kind
        ),
        st.floats(0, 200),
        st.integers(1, 10),
        st.none() | st.sampled_from(list(LegKind)),
    ),
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(st.none() | st.integers(0, 10), answers_with_stress, leg_sessions, legs, history)
def test_adding_a_leg_session_never_makes_the_plan_harder(
    soreness: int | None,
    given_answers: dict[str, Any],
    earlier: Any,
    added: Any,
    runs: list[RunLog],
) -> None:
    if added is None:
        return
    checkin = CheckIn(at=NOW, soreness=soreness, **given_answers)
    before = recommend(checkin, None, NOW, [*runs, *earlier])
    after = recommend(checkin, None, NOW, [*runs, *earlier, added])
    assert after.run_type <= before.run_type


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 10),
    answers_with_stress,
    st.sampled_from(list(RedFlag)),
    legs,
    st.floats(0, 24 * 10),
    st.floats(0, 24 * 10),
)
def test_a_red_flag_holds_until_a_new_checkin(
    soreness: int | None,
    given_answers: dict[str, Any],
    flag: RedFlag,
    last_legs: LegSession | None,
    answered_hours_ago: float,
    later_hours: float,
) -> None:
    """Answered at any time of day, the red flag holds at any later moment (past midnight,
    days later) until a new check-in clears it."""
    at = NOW - timedelta(hours=answered_hours_ago)
    checkin = CheckIn(at=at, soreness=soreness, **{**given_answers, "red_flags": frozenset({flag})})
    when = NOW + timedelta(hours=later_hours)
    assert recommend(checkin, last_legs, when).run_type == RunType.REST
    cleared = CheckIn(at=when, soreness=soreness)
    assert recommend(cleared, last_legs, when).run_type > RunType.REST


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10), answers_with_stress, leg_sessions, history)
def test_every_unlock_the_timeline_promises_is_kept_by_advise(
    soreness: int | None,
    given_answers: dict[str, Any],
    sessions: list[LegSession],
    runs: list[RunLog],
) -> None:
    """At each unlock, `advise` then, with the answers that still hold then, gives at
    least the promised run type; before the momentary answers lapse, so does a new
    check-in with the same answers and the soreness the unlock assumes."""
    checkin = CheckIn(at=NOW, soreness=soreness, **given_answers)
    last = max(sessions, key=lambda s: s.ended_at, default=None)
    case = make_case(checkin, last, NOW, [*runs, *sessions])
    steps = timeline(case, NOW)
    for before, step in itertools.pairwise(steps):
        if step.run_type < before.run_type:
            continue  # the answers lapsing: not an unlock
        later = recommend(checkin, last, step.at, [*runs, *sessions])
        assert later.run_type >= step.run_type, (step, later.reasons)
        if step.at < NOW + ANSWERS_HOLD:
            said = step.assumes_soreness if step.assumes_soreness is not None else soreness
            again = CheckIn(at=step.at, soreness=said, **given_answers)
            asked = recommend(again, last, step.at, [*runs, *sessions])
            assert asked.run_type >= step.run_type, (step, asked.reasons)


@settings(max_examples=300, deadline=None)
@given(st.none() | st.integers(0, 10), answers_with_stress, leg_sessions, history)
def test_no_reason_claims_a_drop_that_did_not_happen(
    soreness: int | None,
    given_answers: dict[str, Any],
    sessions: list[LegSession],
    runs: list[RunLog],
) -> None:
    checkin = CheckIn(at=NOW, soreness=soreness, **given_answers)
    result = recommend(checkin, None, NOW, [*runs, *sessions])
    drops = [r for r in result.reasons if "rung down" in r.text]
    if drops:
        # Without the readiness answers the plan is higher: the drop happened.
        calm = {**given_answers, "sleep": None, "energy": None, "stress": None}
        undropped = recommend(
            CheckIn(at=NOW, soreness=soreness, **calm), None, NOW, [*runs, *sessions]
        )
        assert undropped.run_type > result.run_type
        assert all(r.binding for r in drops)


RUN_WORDS = ("warm up", "carbs", "easy means easy", "run as planned", "leg volume", "talk")


@settings(max_examples=300, deadline=None)
@given(st.none() | st.integers(0, 10), answers_with_stress, leg_sessions, history)
def test_a_rest_plan_carries_no_run_advice(
    soreness: int | None,
    given_answers: dict[str, Any],
    sessions: list[LegSession],
    runs: list[RunLog],
) -> None:
    checkin = CheckIn(at=NOW, soreness=soreness, **given_answers)
    result = recommend(checkin, None, NOW, [*runs, *sessions])
    if result.run_type != RunType.REST:
        return
    said = " ".join([*result.cautions, *(r.text for r in result.reasons)]).lower()
    assert not any(word in said for word in RUN_WORDS if word != "carbs" or "hour" not in said)
    assert all(r.binding for r in result.reasons if r.factor != "check-in")
    assert any("check in again" in c.lower() for c in result.cautions)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 9.9), st.integers(1, 10), st.integers(1, 240)),
        max_size=10,
    )
)
def test_weekly_monotony_is_fosters_mean_over_spread(
    sessions: list[tuple[float, int, int]],
) -> None:
    """Mean / population SD of the seven days' session-RPE load, from four sessions on;
    sessions outside the seven days count for nothing."""
    runs = [
        RunLog(at=NOW - timedelta(days=days), run_type=RunType.EASY, minutes=minutes, rpe=rpe)
        for days, rpe, minutes in sessions
    ]
    inside = [
        (d, rpe * m) for d, rpe, m in sessions if NOW - timedelta(days=7) < NOW - timedelta(days=d)
    ]
    found = weekly_monotony(runs, NOW)
    if len(inside) < 4:
        assert found is None
        return
    daily = [0.0] * 7
    for days, load in inside:
        start = NOW - timedelta(days=7)
        daily[min(6, int((NOW - timedelta(days=days) - start).total_seconds() // 86400))] += load
    spread = statistics.pstdev(daily)
    expected = statistics.fmean(daily) / spread if spread else math.inf
    assert found == pytest.approx(expected, rel=1e-9)


def test_the_coach_says_so_when_the_week_is_uniform() -> None:
    """Seven identical days of easy runs: monotony is infinite, and the plan says so."""
    runs = [
        RunLog(at=NOW - timedelta(days=d, hours=2), run_type=RunType.EASY, minutes=30, rpe=3)
        for d in range(7)
    ]
    result = recommend(CheckIn(at=NOW, soreness=0), None, NOW, runs)
    assert any("very uniform" in caution for caution in result.cautions)
    varied = [
        *runs[:4],
        RunLog(at=NOW - timedelta(hours=30), run_type=RunType.EASY, minutes=90, rpe=3),
    ]
    assert weekly_monotony(varied, NOW) is not None
    assert not any(
        "very uniform" in c
        for c in recommend(CheckIn(at=NOW, soreness=0), None, NOW, varied).cautions
    )


@settings(max_examples=200, deadline=None)
@given(st.none() | st.integers(0, 10), answers_with_stress, leg_sessions, history)
def test_a_case_copied_with_but_equals_dataclasses_replace(
    soreness: int | None,
    given_answers: dict[str, Any],
    sessions: list[LegSession],
    runs: list[RunLog],
) -> None:
    checkin = CheckIn(at=NOW, soreness=soreness, **given_answers)
    case = make_case(checkin, None, NOW, [*runs, *sessions])
    assert case.lasting == dataclasses.replace(
        case, fuel=None, sleep=None, energy=None, stress=None, warmup=None, answers_until=None
    )
    held = case.held
    copied = case.but(sleep=None)
    assert copied == dataclasses.replace(case, sleep=None)
    assert copied.held is not held  # the cached views are its own
    with pytest.raises(TypeError):
        case.but(not_a_field=1)
