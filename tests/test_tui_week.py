"""The Week screen, driven by real key presses: entry, conflicts shown, a suggestion
taken, leg days placed, what-if; at 80x24 and 60x20, with hostile text kept as text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from legcoach import planner
from legcoach.journal import Journal
from legcoach.models import Goal, LegDay, LegKind, Profile, RunLog, RunType, Weekday, WeekTemplate
from legcoach.tui.week import WeekScreen
from tests.conftest import FakeClock
from tests.tui_helpers import app_with, journal_of, prepare_every_screen, press, text_of

WEEK = WeekTemplate(
    long_run=Weekday.SUN,
    quality_days=(Weekday.TUE, Weekday.THU),
    easy_days=(Weekday.WED, Weekday.SAT),
    leg_days=(LegDay(day=Weekday.MON, kind=LegKind.HEAVY_STRENGTH),),
)


def rows_of(app: object) -> list[list[str]]:
    table = app.screen.query_one("#week-plan-table", DataTable)  # type: ignore[attr-defined]
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_week_is_entered_shown_and_a_suggestion_taken(
    db_path: Path, clock: FakeClock, size: tuple[int, int]
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "k")
        assert isinstance(app.screen, WeekScreen)
        assert "not set yet" in text_of(app, "#week-plan-note")
        assert not app.screen.query_one("#week-plan-table").display  # no empty table
        # Enter the week in the form: long run, quality, easy, legs, race (none).
        await press(pilot, "e")
        for answer in ("sun", "tue,thu", "wed,sat", "mon:heavy-strength", ""):
            for key in answer:
                await pilot.press(key)
            await press(pilot, "enter")
        assert isinstance(app.screen, WeekScreen)
        assert app.screen.query_one("#week-plan-table").display
        week = journal_of(app).profile().week
        assert week.long_run == Weekday.SUN and week.quality_days == (Weekday.TUE, Weekday.THU)
        assert week.leg_days == (LegDay(day=Weekday.MON, kind=LegKind.HEAVY_STRENGTH),)
        rows = rows_of(app)
        # Monday's heavy legs hold back Tuesday's intervals: both shown in conflict.
        tuesday = next(r for r in rows if r[0].startswith("Tue") and "quality" in r[2])
        assert tuesday[4] == "conflict"
        table = app.screen.query_one("#week-plan-table", DataTable)
        index = rows.index(tuesday)
        table.move_cursor(row=index)
        await pilot.pause()
        detail = text_of(app, "#week-plan-detail")
        assert "holds it back" in detail and "Suggestion (t to take)" in detail
        before = journal_of(app).week_plan().conflicts
        await press(pilot, "t")
        after = journal_of(app).week_plan()
        assert after.conflicts < before
        assert journal_of(app).profile().week_changes  # a one-off change to that week
        tuesday_after = next(
            p for p in after.plans if p.session.key == ("quality", date(2026, 12, 1))
        )
        assert tuesday_after.ok
        assert "ok" in [r[4] for r in rows_of(app) if r[0].startswith("Tue") and "quality" in r[2]]


async def test_the_plan_shows_before_its_suggestions_and_t_at_once_still_takes_one(
    db_path: Path, clock: FakeClock
) -> None:
    """The table comes first, the conflict's suggestion a frame later; t pressed the
    moment the screen is up (before it) still takes the suggestion it would offer."""
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    journal.save_profile(Profile(week=WEEK, goal=Goal.ENDURANCE))
    offered = journal.week_plan()
    first_conflict = next(p for p in offered.plans if not p.ok)
    assert first_conflict.suggestion is not None
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "k")
        screen = app.screen
        assert isinstance(screen, WeekScreen)
        # The screen as a key in its first frame finds it: the plan drawn, the
        # suggestions not yet (they come after that frame).
        screen.refresh_plan()
        assert not screen.suggested and screen.plan is not None
        assert all(p.suggestion is None for p in screen.plan.plans)
        assert "Suggestion (t to take)" not in text_of(app, "#week-plan-detail")
        assert screen.check_action("take", ()) is True  # t is not refused meanwhile
        screen.action_take()
        await pilot.pause()
        assert journal.profile().week_changes, "t before the suggestion showed took nothing"
        assert journal.week_plan().conflicts < offered.conflicts
        await press(pilot, "escape", "k")  # a frame later, the detail offers the next one
        if journal.week_plan().conflicts:
            assert "Suggestion (t to take)" in text_of(app, "#week-plan-detail")


async def test_the_week_is_planned_before_k_and_again_after_a_save(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Home plans the week once it is drawn, so k draws that plan (its suggestions are
    planned after the frame); a save plans it again before the next k."""
    asked: list[bool] = []  # each week planned (not its trials): with suggestions or not
    week_planner = Journal.week_planner

    def counted(self: Journal, *args: Any, **kwargs: Any) -> planner.Planner:
        made = week_planner(self, *args, **kwargs)
        plan = made.plan

        def plan_counted(start: date, *, suggest: bool = True) -> planner.WeekPlan:
            asked.append(suggest)
            return plan(start, suggest=suggest)

        monkeypatch.setattr(made, "plan", plan_counted)
        return made

    monkeypatch.setattr(Journal, "week_planner", counted)
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    journal.save_profile(Profile(week=WEEK, goal=Goal.ENDURANCE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert asked == [False]
        clock.advance(minutes=1)  # the clock moves on; no session passes
        await press(pilot, "k")
        assert asked == [False, True]  # the table from the plan made ahead
        assert rows_of(app)
        await press(pilot, "escape")
        journal.log_run(RunLog(at=clock(), run_type=RunType.EASY, minutes=30, rpe=4))
        await pilot.pause()
        assert asked == [False, True, False]
        await press(pilot, "k")
        assert asked == [False, True, False, True]


async def test_the_suggestions_never_pair_with_a_table_the_clock_has_moved_past(
    db_path: Path, clock: FakeClock
) -> None:
    """The plan drawn, then a day passes before its suggestions come: the detail and t
    act on the rows on screen, not on a plan of other rows."""
    app = app_with(db_path, clock, legs_hours=None)
    journal_of(app).save_profile(Profile(week=WEEK, goal=Goal.ENDURANCE))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "k")
        screen = app.screen
        assert isinstance(screen, WeekScreen)
        screen.refresh_plan()
        clock.advance(days=1)
        screen._add_suggestions()
        await pilot.pause()
        table = screen.query_one("#week-plan-table", DataTable)
        assert table.row_count == len(screen.rows)
        for shown, row in zip(rows_of(app), screen.rows, strict=True):
            assert shown[2] == ("nothing planned" if row is None else row.session.describe())
            assert row is None or shown[0] == f"{row.session.at:%a %d}"


async def test_leg_days_placed_and_what_if_from_the_week_screen(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    journal.save_profile(
        Profile(week=WEEK.model_copy(update={"leg_days": ()}), goal=Goal.ENDURANCE)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "k")
        await press(pilot, "s")
        placed = journal.profile().week.leg_days
        assert len(placed) == 2
        await press(pilot, "w")
        detail = text_of(app, "#week-plan-detail")
        assert "If you lift tonight" in detail and "nothing saved" in detail
        assert len(list(journal.records())) == 0  # what-if saved nothing


async def test_a_bad_race_is_explained_in_place_and_nothing_is_saved(
    db_path: Path, clock: FakeClock
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    journal = journal_of(app)
    journal.save_profile(Profile(week=WEEK, goal=Goal.ENDURANCE))
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "k")
        await press(pilot, "e")
        await press(pilot, "enter", "enter", "enter", "enter")
        for key in "2020-01-01:half":
            await pilot.press(key)
        await press(pilot, "enter")
        errors = " ".join(str(label.render()) for label in app.screen.query(".question-error"))
        assert "today or later" in errors
        assert journal.profile().race is None


async def test_preparing_every_screen_restyles_nothing_on_home(
    db_path: Path, clock: FakeClock
) -> None:
    """The prepared app holds every screen's rules at once: the Week screen's must not
    reach home's own widgets (home's 7-day table once lost its rows to them)."""
    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        before = {w.id: str(w.styles.css) for w in home.query("*") if w.id}
        await prepare_every_screen(app)
        await pilot.pause()
        after = {w.id: str(w.styles.css) for w in home.query("*") if w.id}
        assert after == before
