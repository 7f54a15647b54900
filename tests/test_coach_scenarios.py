"""The coach's decisions, one row per scenario, expected values worked out from the rule
table in shared/coaching/EVIDENCE.md (not read back from the code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from legcoach.coach import recommend
from legcoach.models import (
    CheckIn,
    Fuel,
    Goal,
    LegKind,
    LegSession,
    Profile,
    RedFlag,
    RunLog,
    RunType,
)
from legcoach.recovery import LegLoad
from tests.conftest import NOW

R = RunType


@dataclass
class Case:
    name: str
    expect: RunType
    hours: float | None = 100  # hours since the leg session; None: no leg session
    rpe: int | None = 9
    kind: LegKind | None = None
    soreness: int | None = 0
    answers: dict = field(default_factory=dict)
    minutes: tuple[int, int] | None = None
    max_rpe: int | None = None
    binding: str | None = None  # a word the deciding reason's answer must contain
    caution: str | None = None  # a word some caution must contain
    unlock: tuple[RunType, float] | str | None = "any"
    history: tuple = ()
    profile: Profile | None = None


# A rested, fed, warmed-up runner with general fitness, unless the row says otherwise.
GOOD = dict(sleep=4, energy=4, fuel=Fuel.MEAL, warmup=True, goal=Goal.FITNESS)

CASES = [
    # Hours since a hard leg session (RPE 9), fresh legs.
    Case("hard legs 1 h ago", R.RECOVERY, hours=1, minutes=(15, 30), max_rpe=3, binding="Legs 1 h"),
    Case(
        "hard legs 12 h ago", R.RECOVERY, hours=12, minutes=(20, 30), max_rpe=3, unlock=(R.EASY, 12)
    ),
    Case(
        "hard legs 30 h ago", R.EASY, hours=30, minutes=(30, 50), max_rpe=4, unlock=(R.QUALITY, 18)
    ),
    Case("hard legs 60 h ago, fresh, slept well", R.QUALITY, hours=60, unlock=None),
    Case(
        "hard legs 60 h ago, slept only ok",
        R.STEADY,
        hours=60,
        answers=dict(sleep=3),
        unlock=(R.QUALITY, 12),
    ),
    Case("hard legs 100 h ago", R.QUALITY, hours=100, minutes=(40, 75), max_rpe=8, unlock=None),
    # The same hours after a moderate session (RPE 5): windows open 12 h earlier.
    Case("moderate legs 1 h ago", R.RECOVERY, hours=1, rpe=5, minutes=(20, 30)),
    Case("moderate legs 12 h ago", R.EASY, hours=12, rpe=5),
    Case("moderate legs 30 h ago", R.EASY, hours=30, rpe=5, unlock=(R.QUALITY, 6)),
    Case("moderate legs 60 h ago", R.QUALITY, hours=60, rpe=5),
    Case("moderate legs 100 h ago", R.QUALITY, hours=100, rpe=5),
    # Light sessions (RPE <= 4) shift 24 h; eccentric / new exercises count as hard.
    Case("light legs 1 h ago", R.EASY, hours=1, rpe=3),
    Case("eccentric legs at RPE 5, 12 h ago", R.RECOVERY, hours=12, rpe=5, kind=LegKind.ECCENTRIC),
    Case("new exercises at RPE 4, 30 h ago", R.EASY, hours=30, rpe=4, kind=LegKind.NEW_EXERCISES),
    Case(
        "leg effort unknown, 12 h ago: counted hard",
        R.RECOVERY,
        hours=12,
        rpe=None,
        binding="effort not given",
    ),
    # Soreness 0 / 3 / 6 / 9, long after legs and in the 24-48 h window.
    Case("soreness 0 at 100 h", R.QUALITY, soreness=0),
    Case("soreness 3 at 100 h", R.STEADY, soreness=3, binding="Soreness 3/10"),
    Case("soreness 6 at 100 h", R.RECOVERY, soreness=6, max_rpe=3),
    Case(
        "soreness 9 at 100 h",
        R.WALK,
        soreness=9,
        minutes=(20, 40),
        max_rpe=2,
        binding="Soreness 9/10",
    ),
    Case("soreness 3 at 30 h", R.EASY, hours=30, soreness=3),
    Case("soreness 6 at 30 h", R.RECOVERY, hours=30, soreness=6),
    Case("soreness 9 at 30 h", R.WALK, hours=30, soreness=9),
    Case("soreness 9 at 1 h", R.WALK, hours=1, soreness=9),
    Case(
        "soreness not given, no legs: no quality",
        R.STEADY,
        hours=None,
        soreness=None,
        binding="not given",
    ),
    # Each red flag: rest, no run, no unlock to wait for.
    Case(
        "shaky legs",
        R.REST,
        answers=dict(red_flags={RedFlag.SHAKY_LEGS}),
        minutes=(0, 0),
        max_rpe=0,
        binding="shaky",
        unlock=None,
    ),
    Case(
        "poor coordination",
        R.REST,
        answers=dict(red_flags={RedFlag.POOR_COORDINATION}),
        binding="coordination",
        unlock=None,
    ),
    Case(
        "sharp or joint pain",
        R.REST,
        answers=dict(red_flags={RedFlag.SHARP_PAIN}),
        binding="pain",
        caution="physio",
        unlock=None,
    ),
    Case(
        "red flag with no leg session at all",
        R.REST,
        hours=None,
        answers=dict(red_flags={RedFlag.SHAKY_LEGS}),
        unlock=None,
    ),
    Case(
        "all red flags and sore", R.REST, hours=2, soreness=8, answers=dict(red_flags=set(RedFlag))
    ),
    # Goals.
    Case(
        "muscle goal, legs 1 h ago: walk or skip",
        R.WALK,
        hours=1,
        answers=dict(goal=Goal.MUSCLE),
        binding="muscle",
    ),
    Case(
        "muscle goal, fresh: short and easy",
        R.EASY,
        answers=dict(goal=Goal.MUSCLE),
        minutes=(20, 30),
        binding="muscle",
    ),
    Case(
        "endurance goal, fresh: longer runs",
        R.QUALITY,
        answers=dict(goal=Goal.ENDURANCE),
        minutes=(45, 90),
    ),
    Case(
        "endurance goal, legs 30 h ago: cut leg volume",
        R.EASY,
        hours=30,
        answers=dict(goal=Goal.ENDURANCE),
        caution="leg volume",
    ),
    Case(
        "fat-loss goal, legs 30 h ago: easy run welcome",
        R.EASY,
        hours=30,
        answers=dict(goal=Goal.FAT_LOSS),
        minutes=(30, 60),
    ),
    Case(
        "goal from the profile when not answered",
        R.EASY,
        answers=dict(goal=None),
        profile=Profile(goal=Goal.MUSCLE),
    ),
    # Fuel, sleep, energy, warm-up.
    Case(
        "no carbs 20 h after light legs: short and easy, eat first",
        R.EASY,
        hours=20,
        rpe=3,
        answers=dict(fuel=Fuel.NONE),
        minutes=(20, 30),
        caution="carbs",
        binding="Fuel",
    ),
    Case("poor sleep drops a rung", R.STEADY, answers=dict(sleep=2), binding="Sleep 2/5"),
    Case("low energy drops a rung", R.RECOVERY, hours=30, answers=dict(energy=1)),
    Case(
        "poor sleep and low energy drop one rung, not two",
        R.STEADY,
        answers=dict(sleep=1, energy=1),
    ),
    Case("a walk stays a walk on poor sleep", R.WALK, soreness=9, answers=dict(sleep=1)),
    Case(
        "no warm-up: nothing above steady",
        R.STEADY,
        answers=dict(warmup=False),
        caution="Warm up",
        binding="Warm-up",
    ),
    Case("sore and no warm-up: recovery pace", R.RECOVERY, soreness=5, answers=dict(warmup=False)),
    Case("no leg session, fresh", R.QUALITY, hours=None),
    # History: hard runs 48 h apart.
    Case(
        "quality run yesterday",
        R.STEADY,
        history=(RunLog(at=NOW - timedelta(hours=24), run_type=R.QUALITY, minutes=50, rpe=8),),
        binding="Quality run",
        unlock=(R.QUALITY, 24),
    ),
]


def _run(case: Case):
    answers = {**GOOD, **case.answers}
    if "red_flags" in answers:
        answers["red_flags"] = frozenset(answers["red_flags"])
    checkin = CheckIn(at=NOW, soreness=case.soreness, **answers)
    legs = None
    if case.hours is not None:
        ended = NOW - timedelta(hours=case.hours)
        legs = (
            LegLoad(ended, None, case.kind)
            if case.rpe is None
            else LegSession(ended_at=ended, rpe=case.rpe, kind=case.kind)
        )
    return recommend(checkin, legs, NOW, case.history, profile=case.profile)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_scenario(case: Case) -> None:
    plan = _run(case)
    assert plan.run_type == case.expect
    if case.minutes is not None:
        assert plan.duration_min == case.minutes
    if case.max_rpe is not None:
        assert plan.max_rpe == case.max_rpe
    binding = [reason for reason in plan.reasons if reason.binding]
    if plan.run_type < R.QUALITY:
        assert binding, "a limited plan must say which answer limited it"
    if case.binding is not None:
        assert any(case.binding.lower() in r.answer.lower() for r in binding), plan.reasons
    if case.caution is not None:
        assert any(case.caution.lower() in c.lower() for c in plan.cautions), plan.cautions
    if case.unlock != "any":
        if case.unlock is None:
            assert plan.next_unlock is None
        else:
            run_type, hours = case.unlock
            assert plan.next_unlock is not None
            assert plan.next_unlock.run_type == run_type
            assert plan.next_unlock.in_hours == pytest.approx(hours, abs=0.05)


def test_there_are_at_least_thirty_scenarios() -> None:
    assert len(CASES) >= 30


def test_every_reason_names_the_answer_behind_it() -> None:
    plan = _run(Case("x", R.WALK, hours=3, soreness=8, answers=dict(sleep=2, fuel=Fuel.NONE)))
    answers = " ".join(r.answer for r in plan.reasons)
    for fact in ("Legs 3 h ago", "Soreness 8/10", "Fuel: no carbs"):
        assert fact in answers
    assert "Sleep 2/5" not in answers  # a walk stays a walk: poor sleep dropped nothing
    assert all(r.source for r in plan.reasons if r.factor != "check-in")


def test_heart_rate_cap_from_the_profile() -> None:
    plan = _run(Case("x", R.EASY, hours=30, profile=Profile(max_hr=190)))
    assert (plan.max_hr_pct, plan.max_hr_bpm) == (79, 150)


def test_a_warm_up_is_always_part_of_a_running_plan() -> None:
    for case in CASES:
        plan = _run(case)
        if plan.run_type >= R.WALK:
            assert any("warm up" in c.lower() for c in plan.cautions), case.name


def test_yesterdays_momentary_answers_lapse_but_soreness_and_red_flags_hold() -> None:
    yesterday = CheckIn(at=NOW - timedelta(hours=20), soreness=8, sleep=1)
    legs = LegSession(ended_at=NOW - timedelta(hours=30), rpe=8)
    plan = recommend(yesterday, legs, NOW)
    assert plan.run_type == R.WALK  # soreness 8 still held before the DOMS peak passes
    assert any("check in" in r.text for r in plan.reasons)
    assert not any(r.factor == "sleep" for r in plan.reasons)
    flagged = yesterday.model_copy(update={"red_flags": frozenset({RedFlag.SHAKY_LEGS})})
    assert recommend(flagged, legs, NOW).run_type == R.REST  # until a new check-in clears it


def test_soreness_reported_before_the_last_leg_session_still_counts() -> None:
    old = CheckIn(at=NOW - timedelta(hours=10), soreness=9)
    legs = LegSession(ended_at=NOW - timedelta(hours=100), rpe=3)
    assert recommend(old, legs, NOW).run_type == R.WALK
    newer_legs = LegSession(ended_at=NOW - timedelta(hours=5), rpe=3)
    # A new session never makes sore legs less sore: still a walk.
    assert recommend(old, newer_legs, NOW).run_type == R.WALK


def test_a_lighter_leg_session_is_not_called_hard_and_says_why_it_is_further_along() -> None:
    plan = _run(Case("x", R.EASY, hours=30, rpe=5, answers=dict(sleep=3)))
    legs = next(r for r in plan.reasons if r.factor == "leg session")
    assert "moderate" in legs.answer
    assert "hard legs" not in legs.text.replace("than hard legs", "")
    assert "12 h sooner" in legs.text
    hard = _run(Case("x", R.RECOVERY, hours=12, rpe=9))
    assert "within a day of hard legs" in next(r.text for r in hard.reasons if r.binding)


def test_poor_sleep_and_low_energy_together_drop_one_rung_and_say_so() -> None:
    sleep_only = _run(Case("x", R.STEADY, hours=None, answers=dict(sleep=1)))
    both = _run(Case("x", R.STEADY, hours=None, answers=dict(sleep=1, energy=1)))
    assert sleep_only.run_type == both.run_type == R.STEADY  # quality, one rung down
    texts = [r.text for r in both.reasons if r.factor in ("sleep", "energy")]
    assert len(texts) == 2 and all("one rung in all" in text for text in texts)
