"""The week planner: promises `advise` keeps, conflicts that name their cause, suggestions
that create no conflict, races and tapers, what-if, and the calendar file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from legcoach import planner
from legcoach.journal import Journal
from legcoach.models import (
    Goal,
    LegDay,
    LegKind,
    LegSession,
    Profile,
    Race,
    RunLog,
    RunType,
    WeekChange,
    Weekday,
    WeekTemplate,
)
from legcoach.planner import NEEDS, SessionKind
from legcoach.storage.store import Store
from tests.conftest import NOW, FakeClock

DAYS = list(Weekday)


@st.composite
def templates(draw: st.DrawFn) -> WeekTemplate:
    run_days = draw(st.permutations(DAYS))
    cut = draw(st.integers(0, 5))
    quality_cut = draw(st.integers(0, cut))
    has_long = draw(st.booleans())
    long_run = run_days[cut] if has_long else None
    legs = draw(st.lists(st.sampled_from(DAYS), max_size=3, unique=True))
    kinds = draw(
        st.lists(st.none() | st.sampled_from(list(LegKind)), min_size=len(legs), max_size=len(legs))
    )
    return WeekTemplate(
        long_run=long_run,
        quality_days=tuple(run_days[:quality_cut]),
        easy_days=tuple(run_days[quality_cut:cut]),
        leg_days=tuple(LegDay(day=d, kind=k) for d, k in zip(legs, kinds, strict=True)),
    )


saved_history = st.lists(
    st.one_of(
        st.builds(
            lambda hours, rpe, kind: LegSession(
                ended_at=NOW - timedelta(hours=hours), rpe=rpe, kind=kind
            ),
            st.floats(2, 120),
            st.integers(3, 10),
            st.none() | st.sampled_from(list(LegKind)),
        ),
        st.builds(
            lambda hours, run_type, rpe: RunLog(
                at=NOW - timedelta(hours=hours), run_type=run_type, minutes=45, rpe=rpe
            ),
            st.floats(2, 120),
            st.sampled_from([RunType.EASY, RunType.QUALITY, RunType.STEADY]),
            st.integers(3, 9),
        ),
    ),
    max_size=3,
)
goals = st.none() | st.sampled_from(list(Goal))


def journal_with(
    tmp: Path, profile: Profile, history: list[LegSession | RunLog], clock: FakeClock
) -> Journal:
    store = Store(tmp / "legcoach.json")
    if history:
        store.commit(history)
    journal = Journal(store, clock)
    journal.save_profile(profile)
    return journal


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(templates(), saved_history, goals)
def test_every_session_marked_ok_is_allowed_by_advise_once_the_ones_before_are_logged(
    tmp_path_factory: pytest.TempPathFactory,
    week: WeekTemplate,
    history: list[LegSession | RunLog],
    goal: Goal | None,
) -> None:
    clock = FakeClock(NOW)
    journal = journal_with(
        tmp_path_factory.mktemp("db"), Profile(week=week, goal=goal), history, clock
    )
    plan = journal.week_plan()
    # Live through the week: each planned session is logged once its time has come, and
    # at each session's time `advise` (on the morning the plan assumed) says what the
    # plan promised.
    for judged in plan.plans:
        session = judged.session
        clock.now = session.at
        if session.kind != SessionKind.LEGS:
            checkin = journal.planned_checkin(session.at)
            assert checkin.soreness == judged.soreness
            advised = journal.advise(checkin)
            assert advised.run_type == judged.allowed
            if judged.ok:
                assert advised.run_type >= NEEDS[session.kind]
        journal._store.commit([session.record()])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    templates(),
    saved_history,
    # Hours, and minutes: a kept plan must notice a session passing within the hour.
    st.lists(st.tuples(st.floats(0, 30) | st.floats(0, 1), st.booleans()), min_size=1, max_size=6),
)
def test_the_week_plan_kept_between_asks_is_always_the_one_derived_afresh(
    tmp_path_factory: pytest.TempPathFactory,
    week: WeekTemplate,
    history: list[LegSession | RunLog],
    moves: list[tuple[float, bool]],
) -> None:
    """The week screen asks for the plan, then its suggestions, then again on every
    return: what the journal keeps between asks is what a fresh journal derives, as the
    clock passes planned sessions and days turn, and after each save."""
    clock = FakeClock(NOW)
    folder = tmp_path_factory.mktemp("db")
    journal = journal_with(folder, Profile(week=week), history, clock)
    for hours, save in moves:
        journal.week_plan(suggest=False)
        journal.week_plan()
        clock.advance(hours=hours)
        if save:
            journal.log_run(RunLog(at=clock(), run_type=RunType.EASY, minutes=30, rpe=4))
        fresh = Journal.open(folder / "legcoach.json", clock)
        for suggest in (False, True):
            assert journal.week_plan(suggest=suggest) == fresh.week_plan(suggest=suggest)


@settings(max_examples=40, deadline=None)
@given(templates(), goals, st.integers(0, 6))
def test_conflicts_name_their_cause_and_suggestions_create_no_new_conflict(
    week: WeekTemplate, goal: Goal | None, offset: int
) -> None:
    pure = pure_planner(Profile(week=week, goal=goal))
    start = NOW.date() + timedelta(days=offset)
    plan = pure.plan(start)
    conflicted = plan.conflicted()
    for judged in plan.plans:
        if judged.ok:
            continue
        session = judged.session
        if judged.cause is not None:
            assert judged.cause.at <= session.at
            assert judged.cause.name() in " ".join(judged.why)
        elif session.kind != SessionKind.LEGS:
            # Nothing planned before it causes it: alone in its week it conflicts too.
            alone = only(pure.profile, plan, session)
            assert (
                session.key
                in planner.Planner(alone, pure.judge, pure.tz)
                .plan(start, suggest=False)
                .conflicted()
            )
        if judged.suggestion is not None:
            taken = planner.take(pure.profile, judged.suggestion)
            after = planner.Planner(taken, pure.judge, pure.tz).plan(start, suggest=False)
            assert session.key not in after.conflicted()
            assert after.conflicted() <= conflicted
            # Never two runs, or two leg sessions, on one day.
            for _, plans in after.by_day():
                runs = [p for p in plans if p.session.kind != SessionKind.LEGS]
                assert len(runs) <= 1 and len(plans) - len(runs) <= 1, plans


@settings(max_examples=40, deadline=None)
@given(templates(), goals, st.floats(0, 6 * 24))
@example(  # Friday's legs were moved to Wednesday 18:00, an hour before now
    WeekTemplate(
        quality_days=(Weekday.MON, Weekday.THU),
        leg_days=(LegDay(day=Weekday.THU), LegDay(day=Weekday.FRI)),
    ),
    None,
    11.0,
)
def test_suggestions_never_move_a_session_into_the_past(
    week: WeekTemplate, goal: Goal | None, hours: float
) -> None:
    """Part of the week has passed: a suggestion moves a session only to a moment still
    ahead, never to a day already gone or an hour of today already past."""
    pure = pure_planner(Profile(week=week, goal=goal))
    now = NOW + timedelta(hours=hours)
    since = replace(pure, since=now)
    plan = since.plan(NOW.date())
    ahead = {judged.session.key for judged in plan.plans}
    for judged in plan.plans:
        assert judged.session.at >= now
        if judged.suggestion is None:
            continue
        taken = planner.take(pure.profile, judged.suggestion)
        for session in planner.sessions(taken, NOW.date(), pure.days, pure.tz):
            if session.key in ahead:
                assert session.at >= now, (judged.suggestion.text, session.at, now)


def only(profile: Profile, plan: planner.WeekPlan, keep: planner.Planned) -> Profile:
    skips = tuple(
        WeekChange(kind=p.session.kind.value, on=p.session.on, skip=True)
        for p in plan.plans
        if p.session.key != keep.key
    )
    return profile.model_copy(update={"week_changes": skips})


def pure_planner(profile: Profile) -> planner.Planner:
    """The planner judged by the coach over an empty history (no database)."""
    from legcoach import coach
    from legcoach.models import CheckIn

    def judge(at: datetime, done: Any) -> tuple[coach.Judgement, int | None]:
        legs = [r for r in done if isinstance(r, LegSession)]
        hard = any(at - r.ended_at < timedelta(hours=72) and (r.rpe or 0) >= 7 for r in legs)
        soreness = 2 if hard else 0
        checkin = CheckIn.model_validate({"at": at, "soreness": soreness, **planner.GOOD_MORNING})
        last = max(legs, key=lambda r: r.ended_at, default=None)
        case = coach.make_case(checkin, last, at, list(done), profile=profile)
        return coach.judge(case, at), soreness

    assert NOW.tzinfo is not None
    return planner.Planner(profile, judge, NOW.tzinfo)


# --- Scenarios from the sources -----------------------------------------------------


ENDURANCE_WEEK = WeekTemplate(
    long_run=Weekday.SUN,
    quality_days=(Weekday.TUE, Weekday.THU),
    easy_days=(Weekday.WED, Weekday.SAT),
    leg_days=(LegDay(day=Weekday.MON, kind=LegKind.HEAVY_STRENGTH),),
)


def plan_of(journal: Journal) -> dict[tuple[str, date], planner.SessionPlan]:
    return {p.session.key: p for p in journal.week_plan().plans}


def test_heavy_legs_the_evening_before_intervals_conflict_and_the_suggestion_says_run_first(
    db_path: Path, clock: FakeClock
) -> None:
    # NOW is a Wednesday: next Monday's legs hold back Tuesday's intervals.
    journal = journal_with(
        db_path.parent, Profile(week=ENDURANCE_WEEK, goal=Goal.ENDURANCE), [], clock
    )
    plans = plan_of(journal)
    tuesday = date(2026, 12, 1)
    intervals = plans[("quality", tuesday)]
    assert not intervals.ok
    assert intervals.cause is not None and intervals.cause.kind == SessionKind.LEGS
    assert "heavy strength legs Mon 18:00 holds it back" in intervals.why[0]
    assert intervals.suggestion is not None
    journal.take_week_change(intervals.suggestion.change)
    after = plan_of(journal)
    assert after[("quality", tuesday)].ok
    assert sum(not p.ok for p in after.values()) < sum(not p.ok for p in plans.values())


def test_hard_legs_the_day_after_the_long_run_are_two_hard_days(
    db_path: Path, clock: FakeClock
) -> None:
    journal = journal_with(
        db_path.parent, Profile(week=ENDURANCE_WEEK, goal=Goal.ENDURANCE), [], clock
    )
    monday = plan_of(journal)[("legs", date(2026, 11, 30))]
    assert not monday.ok
    assert "two hard days in a row" in monday.why[0]
    assert monday.cause is not None and monday.cause.kind == SessionKind.LONG_RUN


def test_lifting_six_hours_after_the_intervals_keeps_one_hard_day(
    db_path: Path, clock: FakeClock
) -> None:
    week = ENDURANCE_WEEK.model_copy(
        update={"leg_days": (LegDay(day=Weekday.THU, kind=LegKind.HEAVY_STRENGTH),)}
    )
    journal = journal_with(db_path.parent, Profile(week=week, goal=Goal.ENDURANCE), [], clock)
    plans = plan_of(journal)
    assert plans[("legs", date(2026, 11, 26))].ok
    assert plans[("quality", date(2026, 11, 26))].ok
    # Lifting two hours after the intervals is not.
    early = week.model_copy(update={"leg_time": time(9, 30)})
    journal.save_profile(Profile(week=early, goal=Goal.ENDURANCE))
    legs = plan_of(journal)[("legs", date(2026, 11, 26))]
    assert not legs.ok and "at least 6 h after" in legs.why[0]


@pytest.mark.parametrize("days_out", [3, 10, 21])
def test_a_race_changes_the_weeks_before_it(db_path: Path, clock: FakeClock, days_out: int) -> None:
    race_day = NOW.date() + timedelta(days=days_out)
    week = WeekTemplate(
        quality_days=tuple(Weekday)[:1],
        easy_days=tuple(Weekday)[1:5],
        leg_days=tuple(LegDay(day=d, kind=LegKind.ECCENTRIC) for d in (Weekday.SAT,)),
    )
    race = Race(on=race_day, km=21.0975)
    journal = journal_with(
        db_path.parent, Profile(week=week, race=race, goal=Goal.ENDURANCE), [], clock
    )
    plan = journal.week_plan(days=28)
    for judged in plan.plans:
        session = judged.session
        out = (race_day - session.at.date()).days
        if session.kind == SessionKind.LEGS and -7 < out <= 14:
            assert not judged.ok, session  # no eccentric work in the last 14 days
            assert "race" in judged.why[0]
        if session.kind in (SessionKind.EASY, SessionKind.QUALITY) and 0 < out <= 21:
            assert session.minutes < planner.RUN_MINUTES[session.kind]  # the taper
        if session.kind == SessionKind.QUALITY and out == 1:
            assert not judged.ok and any("race is tomorrow" in w for w in judged.why)
        if session.kind == SessionKind.QUALITY and -6 <= out < 0:
            # About one easy day per 3 km raced (Daniels): no intervals after a half.
            assert not judged.ok
            assert judged.cause is not None
            assert judged.cause.kind == SessionKind.RACE or judged.cause.on >= race_day
    assert any(p.session.kind == SessionKind.RACE for p in plan.plans)
    assert any("taper" in note for note in plan.notes) == (days_out <= 21)


def test_the_daily_coach_knows_the_race_the_day_before(db_path: Path, clock: FakeClock) -> None:
    from legcoach.models import CheckIn

    journal = Journal.open(db_path, clock)
    journal.save_profile(Profile(race=Race(on=NOW.date() + timedelta(days=1), km=10)))
    plan = journal.advise(CheckIn(at=NOW, soreness=0, sleep=4, warmup=True))
    assert plan.run_type == RunType.EASY
    assert any("race is tomorrow" in r.text and r.binding for r in plan.reasons)


@pytest.mark.parametrize(
    ("goal", "kind", "quality"),
    [
        (Goal.ENDURANCE, LegKind.HEAVY_STRENGTH, (Weekday.TUE,)),
        (Goal.MUSCLE, LegKind.VOLUME, ()),  # building muscle keeps the runs easy
    ],
)
def test_leg_days_are_placed_where_they_hold_no_key_run_back(
    db_path: Path, clock: FakeClock, goal: Goal, kind: LegKind, quality: tuple[Weekday, ...]
) -> None:
    week = WeekTemplate(long_run=Weekday.SAT, quality_days=quality, easy_days=(Weekday.THU,))
    journal = journal_with(db_path.parent, Profile(week=week, goal=goal), [], clock)
    placed = journal.place_leg_days(2)
    assert len(placed.days) == 2
    assert {d.kind for d in placed.days} == {kind}
    # Every free day holds a key run back (the day before one, or the day after the long
    # run): the two that fit are lifted 6 h or more after a hard run, or far from them.
    assert placed.plan.conflicts == 0
    assert len(placed.why) == 2 and all(placed.why)
    journal.save_leg_days(placed.days)
    assert journal.profile().week.leg_days == placed.days
    assert journal.week_plan().conflicts == 0


# --- What if? -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [None, LegKind.ECCENTRIC])
def test_whatif_equals_logging_the_session_and_asking_at_every_hour(
    db_path: Path, clock: FakeClock, kind: LegKind | None
) -> None:
    from legcoach.models import CheckIn

    journal = journal_with(db_path.parent, Profile(week=ENDURANCE_WEEK), [], clock)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=40), rpe=7))
    journal.check_in(CheckIn(at=NOW, soreness=3, sleep=4, warmup=True), goal_for_profile=False)
    session = LegSession(ended_at=NOW, rpe=8, kind=kind)
    answer = journal.whatif(session)
    assert len(list(journal.records())) == 2  # nothing saved
    journal.log_legs(session)
    for hour in range(73):
        clock.now = NOW + timedelta(hours=hour)
        assert Journal(Store(journal.path), clock).today().plan.run_type == answer.allowed_after(
            clock.now
        ), hour


# --- The calendar --------------------------------------------------------------------


def test_the_week_as_an_icalendar_file_round_trips(db_path: Path, clock: FakeClock) -> None:
    import icalendar

    journal = journal_with(db_path.parent, Profile(week=ENDURANCE_WEEK), [], clock)
    plan = journal.week_plan()
    target = db_path.parent / "week.ics"
    count = journal.write_calendar(target, plan)
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == count
    sessions = [e for e in events if "unlock" not in [str(c) for c in e.get("categories").cats]]
    assert len(sessions) == len(plan.plans)
    for judged, event in zip(plan.plans, sessions, strict=True):
        start = event.decoded("dtstart")
        assert start == judged.session.at  # the same instant, zone and all
        assert event.decoded("dtend") - start == timedelta(minutes=judged.session.minutes)
        assert judged.session.describe() in str(event.get("description"))
    # Never over the database's own files.
    from legcoach.storage.files import StoreError

    with pytest.raises(StoreError):
        journal.write_calendar(journal.path, plan)


# --- The command line ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--long-run", "funday"), "unknown day 'funday'"),
        (("--quality-days", "tue,blursday"), "unknown day 'blursday'"),
        (("--leg-days", "mon:squats"), "unknown kind 'squats'"),
        (("--race", "2020-01-01:half"), "must be today or later"),
        (("--race", "2099-01-01:far"), "not a race distance"),
        (("--race", "2099-01-01:900"), "1 to 250 km"),
        (("--long-run", "tue", "--quality-days", "tue"), "Tuesday is both"),
    ],
)
def test_bad_week_input_is_one_line_and_exit_2(args: tuple[str, ...], said: str) -> None:
    from tests.test_cli import bad, error_line

    done = bad("profile", *args)
    assert said in error_line(done.stderr)


def test_week_json_is_the_contract_and_take_changes_only_that_week(db_path: Path) -> None:
    import json

    from tests.test_cli import bad, cli

    assert "not set yet" in cli("week").stdout
    cli(
        "profile",
        "--long-run",
        "sun",
        "--quality-days",
        "tue,thu",
        "--easy-days",
        "wed,sat",
        "--leg-days",
        "mon:heavy-strength,fri:eccentric",
    )
    out = json.loads(cli("week", "--json").stdout)
    assert set(out) >= {"from", "days", "conflicts"}
    assert len(out["days"]) == 7
    sessions = [s for day in out["days"] for s in day["sessions"]]
    for day in out["days"]:
        assert set(day["assumes"]) >= {"fuel", "sleep", "warmup", "red_flags", "soreness"}
    for session in sessions:
        assert session["kind"] in {"long-run", "quality", "easy", "legs", "race"}
        datetime.fromisoformat(session["at"])
        assert (session["allowed"] is None) == (session["kind"] == "legs")
        assert isinstance(session["ok"], bool) and isinstance(session["why"], list)
    assert out["conflicts"] == sum(not s["ok"] for s in sessions) > 0
    takes = [s for s in sessions if s["take"]]
    assert takes
    done = cli("week", "--take", "1")
    assert done.stdout.startswith("Taken: ")
    after = json.loads(cli("week", "--json").stdout)
    assert after["conflicts"] < out["conflicts"]
    assert json.loads(cli("profile", "--json").stdout)["week"]["leg_days"][0]["day"] == "mon"
    assert "no suggestion 99" in bad("week", "--take", "99").stderr
    ics = db_path.parent / "w.ics"
    assert "events" in cli("week", "--weeks", "2", "--ics", str(ics)).stdout
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    whatif = json.loads(cli("whatif", "legs", "--rpe", "9", "--kind", "eccentric", "--json").stdout)
    assert set(whatif) >= {"days", "key_sessions"}
    assert all(set(d) == {"date", "allowed_before", "allowed_after"} for d in whatif["days"])
    assert "is in" not in cli("whatif", "legs", "--at", "in 2h").stderr
    assert "two weeks" in bad("whatif", "legs", "--at", "in 30d").stderr


def test_the_week_that_was_gets_a_verdict_in_words() -> None:
    from legcoach.history import week_verdict, weeks

    monday = date(2026, 11, 16)

    def at(day: int, hour: int = 7) -> datetime:
        return datetime.combine(monday + timedelta(days=day), time(hour), NOW.tzinfo)

    legs = [LegSession(ended_at=at(0, 19), rpe=8)]
    runs = [
        RunLog(at=at(1), run_type=RunType.QUALITY, minutes=50, rpe=8),  # the day after legs
        RunLog(at=at(3), run_type=RunType.EASY, minutes=40, rpe=4),
        RunLog(at=at(6), run_type=RunType.EASY, minutes=105, rpe=5),
    ]
    (week,) = weeks(legs, runs, [], last=1, today=monday + timedelta(days=6))
    said = week_verdict(week, Goal.ENDURANCE, monday + timedelta(days=6))
    assert said.startswith("two hard days in a row (Mon-Tue)")
    assert "1 leg day (about right for" in said
    assert "longest run 105 min" in said and "a day off" in said
    calm = [r for r in runs if r.run_type == RunType.EASY]
    (week,) = weeks([], calm, [], last=1, today=monday + timedelta(days=6))
    assert week_verdict(week, Goal.ENDURANCE, monday + timedelta(days=6)).startswith(
        "hard-easy kept · 0 leg days (few"
    )
