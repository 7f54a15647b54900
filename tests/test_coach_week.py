"""Coaching that knows the whole training week (issue 21): runs are load, races, breaks,
beginners, trained lifters, the long run, and reasons that never overclaim.

Each scenario names its source; the expert ranges are the team's reading of them."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach import warmup
from legcoach.coach import recommend
from legcoach.journal import Journal
from legcoach.models import (
    CheckIn,
    Experience,
    Fuel,
    Goal,
    LegKind,
    LegSession,
    LegsFelt,
    Profile,
    Recommendation,
    RedFlag,
    RunLog,
    RunType,
)
from tests.conftest import NOW, FakeClock

R = RunType
GOOD = dict(sleep=4, energy=4, stress=2, fuel=Fuel.MEAL, warmup=True)
TRAINED = Profile(goal=Goal.ENDURANCE, experience=Experience.EXPERIENCED)


def plan(
    *history: RunLog | LegSession,
    soreness: int = 1,
    at: datetime = NOW,
    profile: Profile = TRAINED,
    **answers: object,
) -> Recommendation:
    checkin = CheckIn(at=at, soreness=soreness, **{**GOOD, **answers})
    legs = [r for r in history if isinstance(r, LegSession) and r.ended_at <= at]
    last = max(legs, key=lambda s: s.ended_at, default=None)
    return recommend(checkin, last, at, list(history), profile=profile)


def run(
    hours_ago: float,
    run_type: RunType | None,
    minutes: int,
    rpe: int | None = None,
    **extra: object,
) -> RunLog:
    return RunLog(
        at=NOW - timedelta(hours=hours_ago), run_type=run_type, minutes=minutes, rpe=rpe, **extra
    )


def legs(
    hours_ago: float, rpe: int, kind: LegKind | None = None, minutes: int | None = None
) -> LegSession:
    return LegSession(
        ended_at=NOW - timedelta(hours=hours_ago), rpe=rpe, kind=kind, minutes=minutes
    )


# --- too permissive: runs are load ---------------------------------------------------


def test_the_day_after_a_long_run_is_easy() -> None:
    """Item 1: a 150-min steady long run 20 h ago, legs heavy: hard days are followed by
    easy days (Foster 1998; Daniels)."""
    result = plan(run(20, R.STEADY, 150, 6, legs_felt=LegsFelt.HEAVY), soreness=2)
    assert result.run_type <= R.EASY
    assert any(r.binding and "long" not in r.text and r.factor == "history" for r in result.reasons)


def test_a_half_marathon_asks_for_a_week_of_easy_running() -> None:
    """Item 2: about one easy day per 3 km raced (Daniels): no intervals 3 days after."""
    race = run(22, R.QUALITY, 95, 9)
    assert plan(race, at=NOW).run_type <= R.EASY
    three_days_on = NOW + timedelta(hours=48)
    result = plan(race, at=three_days_on)
    assert result.run_type <= R.EASY
    assert any("per 3 km raced" in r.text for r in result.reasons)
    assert plan(race, at=NOW + timedelta(days=8)).run_type == R.QUALITY


def test_a_second_run_on_a_hard_day_is_an_easy_double() -> None:
    """Item 3: intervals this morning, or a tempo 6 h ago, allow an easy double at most."""
    for earlier in (run(4, R.QUALITY, 50, 8), run(6, R.EASY, 50, 7)):
        result = plan(earlier)
        assert result.run_type <= R.EASY and result.duration_min[1] <= 30, result


def test_two_hard_days_in_a_row_are_not_offered() -> None:
    """Item 4: quality 24 h ago gives an easy day, not 'comfortably hard'."""
    assert plan(run(24, R.QUALITY, 60, 8)).run_type == R.EASY


def test_a_run_logged_hard_counts_as_hard_whatever_its_name() -> None:
    """Item 5: an 'easy' run at RPE 8, 14 h ago."""
    assert plan(run(14, R.EASY, 45, 8)).run_type <= R.EASY


def test_after_two_weeks_off_the_first_days_back_hold_no_quality(db_path: Path) -> None:
    """Item 6: a gap of 6 days or more means easier first days back."""
    clock = FakeClock(NOW)
    journal = Journal.open(db_path, clock)
    journal.save_profile(TRAINED)
    journal.log_run(run(15 * 24, R.EASY, 40, 4))
    journal.log_legs(legs(16 * 24, 7))
    result = journal.advise(CheckIn(at=NOW, soreness=0, **GOOD))
    assert result.run_type <= R.STEADY
    assert any("days off" in r.text for r in result.reasons)
    # The first days back count from the first run back; three days on, quality again.
    journal.log_run(RunLog(at=NOW, run_type=R.EASY, minutes=30, rpe=3))
    clock.advance(days=3, hours=1)
    later = journal.advise(CheckIn(at=clock.now, soreness=0, **GOOD))
    assert later.run_type == R.QUALITY


def test_the_first_leg_session_after_weeks_off_counts_like_new_exercises(db_path: Path) -> None:
    """Item 6: the repeated-bout protection fades (Nosaka, Newton & Sacco 2005)."""
    clock = FakeClock(NOW)
    journal = Journal.open(db_path, clock)
    journal.save_profile(TRAINED)
    journal.log_legs(legs(7 * 7 * 24 + 60, 7))  # seven weeks before the one below
    journal.log_legs(legs(60, 7))
    returning = journal.advise(CheckIn(at=NOW, soreness=1, **GOOD))
    assert returning.run_type <= R.STEADY  # quality waits 72 h after new work
    familiar = recommend(CheckIn(at=NOW, soreness=1, **GOOD), legs(60, 7), NOW, profile=TRAINED)
    assert familiar.run_type == R.QUALITY


def test_an_old_session_is_never_cited_as_todays_last_leg_session() -> None:
    result = recommend(CheckIn(at=NOW, soreness=0, **GOOD), legs(37 * 24, 8), NOW)
    assert not any("37" in r.answer or "days ago" in r.answer for r in result.reasons)


def test_a_newcomer_keeps_to_easy_running_at_first() -> None:
    """Item 7: beginners drift into high intensity (guide point 5)."""
    beginner = Profile(goal=Goal.FAT_LOSS, experience=Experience.NEW)
    result = plan(soreness=0, profile=beginner)
    assert result.run_type == R.EASY
    assert any(
        "new to running" in r.answer and "weeks of running" in r.text for r in result.reasons
    )


# --- too restrictive: ordinary training --------------------------------------------


def test_the_morning_after_an_ordinary_heavy_session_allows_an_easy_run() -> None:
    """Item 8: Palmer & Sleivert 2001; an easy run of 40 min or more must be possible."""
    result = plan(legs(15, 7, LegKind.HEAVY_STRENGTH, 45), soreness=1)
    assert result.run_type == R.EASY and result.duration_min[1] >= 40
    newcomer = Profile(goal=Goal.ENDURANCE, experience=Experience.NEW)
    assert (
        plan(legs(15, 7, LegKind.HEAVY_STRENGTH, 45), soreness=1, profile=newcomer).run_type
        == R.RECOVERY
    )


def test_light_jump_drills_are_light() -> None:
    """Item 9: the kind lengthens the window of a hard session, not of light drills."""
    assert plan(legs(18, 3, LegKind.PLYOMETRIC)).run_type >= R.EASY
    drills = plan(legs(50, 3, LegKind.PLYOMETRIC), soreness=1).run_type
    heavy = plan(legs(50, 9, LegKind.HEAVY_STRENGTH), soreness=1).run_type
    assert drills >= heavy


def test_a_fresh_endurance_day_has_room_for_the_long_run() -> None:
    """Item 10: an endurance goal needs a long run of 2 h or more on a day that allows it."""
    result = plan(soreness=0)
    long_run = [c for c in result.cautions if c.startswith("A long run fits today")]
    assert long_run and "150 min" in long_run[0]
    assert not any(c.startswith("A long run") for c in plan(run(20, R.QUALITY, 60, 8)).cautions)


# --- reasons and promises ------------------------------------------------------------

PERMISSIVE = ("is allowed", "is fine", "as planned", "welcome", "only a short recovery run")


def test_no_reason_claims_more_than_the_plan_in_the_reported_cases() -> None:
    """Item 11, each reported pairing."""
    cases = [
        plan(legs(60, 8), soreness=0, profile=Profile(goal=Goal.MUSCLE)),
        plan(legs(60, 8), soreness=6),
        plan(legs(100, 8), soreness=5),
        plan(legs(3, 8), soreness=8),
        plan(legs(30, 8), soreness=5, profile=Profile(goal=Goal.FAT_LOSS)),
    ]
    for result in cases:
        assert not _overclaims(result), (result.run_type, [str(r) for r in result.reasons])


def _overclaims(result: Recommendation) -> list[str]:
    """Reasons that grant more than the plan: a permissive phrase beside a harder rung."""
    above = [rung for rung in R if rung > result.run_type]
    said = []
    for reason in result.reasons:
        text = reason.text.lower()
        if any(phrase in text for phrase in PERMISSIVE) and any(
            rung.value in text for rung in above
        ):
            said.append(str(reason))
        if "as planned" in text and result.run_type < R.QUALITY:
            said.append(str(reason))
    return said


hours = st.floats(1, 200)
kinds = st.none() | st.sampled_from(list(LegKind))
leg_strategy = st.builds(legs, hours, st.integers(1, 10), kinds)
run_strategy = st.builds(
    run,
    hours,
    st.none() | st.sampled_from([R.WALK, R.RECOVERY, R.EASY, R.STEADY, R.QUALITY]),
    st.integers(10, 200),
    st.none() | st.integers(1, 10),
)
goals = st.sampled_from(list(Goal))
experiences = st.none() | st.sampled_from(list(Experience))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(leg_strategy, max_size=3),
    st.lists(run_strategy, max_size=3),
    st.integers(0, 10),
    goals,
    experiences,
)
def test_no_reason_ever_claims_more_than_the_plan(
    sessions: list[LegSession],
    runs: list[RunLog],
    soreness: int,
    goal: Goal,
    experience: Experience | None,
) -> None:
    result = plan(
        *sessions, *runs, soreness=soreness, profile=Profile(goal=goal, experience=experience)
    )
    assert not _overclaims(result)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(leg_strategy, max_size=2),
    st.lists(run_strategy, max_size=2),
    st.one_of(leg_strategy, run_strategy),
    st.integers(0, 10),
    goals,
    experiences,
    st.floats(0, 120),
)
def test_adding_a_hard_run_or_a_leg_session_never_makes_a_later_plan_harder(
    sessions: list[LegSession],
    runs: list[RunLog],
    added: LegSession | RunLog,
    soreness: int,
    goal: Goal,
    experience: Experience | None,
    later: float,
) -> None:
    """And so removing one never makes it easier: every plan from now to five days on."""
    profile = Profile(goal=goal, experience=experience)
    at = NOW + timedelta(hours=later)
    before = plan(*sessions, *runs, soreness=soreness, at=at, profile=profile)
    after = plan(*sessions, *runs, added, soreness=soreness, at=at, profile=profile)
    assert after.run_type <= before.run_type


def test_the_endurance_caution_follows_the_weeks_pattern() -> None:
    """Item 13: three hard leg days in six days, 62 h after the last."""
    week = [legs(62, 8), legs(62 + 48, 8), legs(62 + 96, 8)]
    result = plan(*week, soreness=1)
    assert any("leg volume" in c for c in result.cautions)
    assert not any("leg volume" in c for c in plan(legs(30, 8), soreness=1).cautions)


def test_a_run_logged_today_shapes_what_is_left_of_today(db_path: Path) -> None:
    """Item 14: after a 65-min quality run, a second run today is an easy double at most."""
    clock = FakeClock(NOW)
    journal = Journal.open(db_path, clock)
    journal.save_profile(TRAINED)
    journal.check_in(CheckIn(at=NOW - timedelta(hours=3), soreness=1, **GOOD))
    journal.log_run(run(1, R.QUALITY, 65, 8))
    today = journal.today()
    assert today.plan.run_type <= R.EASY and today.plan.duration_min[1] <= 30
    assert any("quality run, 65 min" in r.answer for r in today.plan.reasons)
    from legcoach.history import today_words

    words = today_words(today.checkin, today.plan, today.changed, today.now, today.runs)
    assert words is not None and words["done"] == "Done today: quality run 65 min"


def test_a_second_check_in_keeps_the_mornings_red_flag_in_the_history(db_path: Path) -> None:
    """Item 15: a shaky-legs rest day leaves its trace when cleared later."""
    clock = FakeClock(NOW)
    journal = Journal.open(db_path, clock)
    journal.check_in(CheckIn(at=NOW, soreness=3, red_flags=frozenset({RedFlag.SHAKY_LEGS})))
    clock.advance(hours=6)
    result = journal.check_in(CheckIn(at=clock.now, soreness=2))
    saved = journal.find(str(result.checkin.id))
    assert isinstance(saved, CheckIn)
    assert saved.red_flags == frozenset() and saved.earlier_red_flags == {RedFlag.SHAKY_LEGS}
    from legcoach.history import described

    assert any("earlier that day: shaky" in line for line in described(saved))


def test_a_walk_day_is_not_warmed_up_for_a_run() -> None:
    """Item 16: the warm-up follows the plan's rung."""
    result = plan(legs(3, 8), soreness=8)
    assert result.run_type == R.WALK
    assert not any("brisk walk" in c for c in result.cautions)
    names = [drill.name.lower() for drill in warmup.drills_for(8, rest_day=True)]
    assert not any("jog" in name or "lunge" in name for name in names)
