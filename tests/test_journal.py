"""The journal as the one door: each use case one unit of work, retries that never
duplicate, a morning that a soreness update keeps, a plan that follows late saves, and
an open app that sees other processes' writes."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from legcoach.journal import Journal, NotFound
from legcoach.models import CheckIn, Fuel, LegSession, RunLog, RunType, SorenessUpdate
from legcoach.storage import changelog, files
from legcoach.storage.snapshot import cached_today, cached_week, read_fresh_cache, status_at
from legcoach.storage.store import Store
from legcoach.tui.app import make_app
from legcoach.tui.widgets.week import WeekTable
from tests.conftest import NOW, FakeClock, local_dir, own_dir
from tests.test_cli import LEGCOACH, cli
from tests.tui_helpers import Toasts, app_with, journal_of, press, text_of, week_rows


def disk_full(fd: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_checkin_with_its_leg_session_is_one_write(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal.open(db_path, clock)
    writes: list[str] = []
    real_write, real_append = files.atomic_write_bytes, changelog.ChangeLog.append

    def written(path: Path, payload: bytes, **options: Any) -> None:
        if options.get("durable", True):  # the status cache (not durable) is not the save
            writes.append(path.name)
        real_write(path, payload, **options)

    def appended(log: Any, unit: Any, line: bytes | None = None) -> None:
        writes.append(f"{log.path.name} ({len(unit.add)} records)")
        real_append(log, unit, line)

    monkeypatch.setattr(files, "atomic_write_bytes", written)
    monkeypatch.setattr(changelog.ChangeLog, "append", appended)
    legs = LegSession(ended_at=NOW - timedelta(hours=20), rpe=8)
    journal.check_in(CheckIn(at=NOW, soreness=3, goal="muscle"), legs)
    # One append: the session, the check-in and the goal (a profile field) together.
    assert sorted(writes) == ["changes.jsonl (2 records)"]


def test_a_failed_checkin_retried_saves_the_leg_session_once(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal.open(db_path, clock)
    legs = LegSession(ended_at=NOW - timedelta(hours=20), rpe=8)
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(files.SaveFailed):
        journal.check_in(CheckIn(at=NOW, soreness=3), legs)
    monkeypatch.undo()
    assert list(Store(db_path).records(LegSession)) == []
    # The retry (a new session object, as the screen builds it again) saves one session.
    again = LegSession(ended_at=NOW - timedelta(hours=20), rpe=8)
    journal.check_in(CheckIn(at=NOW, soreness=3), again)
    journal.check_in(CheckIn(at=NOW, soreness=3), LegSession(ended_at=again.ended_at, rpe=8))
    assert len(list(Store(db_path).records(LegSession))) == 1
    assert len(list(Store(db_path).records(CheckIn))) == 1


async def test_a_failed_checkin_in_the_app_retried_saves_one_session(
    db_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    keys = ["c", "2", "enter", "2", "0", "enter", "8", "enter", "1", "enter"]
    keys += ["3", "enter", "enter", "enter", "3", "enter", "4", "enter", "4", "enter", "2"]
    keys += ["enter", "1", "enter"]
    async with app.run_test(size=(80, 24)) as pilot:
        monkeypatch.setattr(os, "fsync", disk_full)
        await press(pilot, *keys, "enter")
        monkeypatch.undo()
        await press(pilot, "enter")  # the same answers, saved this time
    assert len(list(Store(db_path).records(LegSession))) == 1
    assert len(list(Store(db_path).records(CheckIn))) == 1


def three_runs_logged() -> Iterator[subprocess.CompletedProcess[str]]:
    """Three `log-run` commands, hours apart (a run within an hour of a saved one is
    that one), each as it finished."""
    for hours in (1, 3, 5):
        yield cli(
            "log-run",
            "--type",
            "easy",
            "--minutes",
            "30",
            "--rpe",
            "4",
            "--ago",
            f"{hours}h",
            check=False,
        )


def test_a_damaged_other_year_never_turns_a_save_into_a_failure(db_path: Path) -> None:
    cli("log-legs", "--rpe", "5", "--at", "2025-06-01T10:00")
    Store(db_path).fold()
    shards = db_path.with_name(db_path.name + ".d")
    (shards / "2025.json").write_text('{"meta": {"1": {"app": "legcoach", "sch')
    for done in three_runs_logged():
        # Either saved and success, or failed and nothing saved: here it is saved.
        assert done.returncode == 0, done.stderr
    runs = Store(db_path).records(RunLog, since=datetime.now().astimezone() - timedelta(days=1))
    assert len(list(runs)) == 3  # three commands, three runs: none reported failed yet saved
    status = cli("status", check=False)
    assert status.returncode == 1 and "2025.json" in status.stderr


def test_a_damaged_file_of_the_same_year_saves_nothing(db_path: Path) -> None:
    cli("log-legs", "--rpe", "5")
    Store(db_path).fold()
    shard = own_dir(db_path) / f"{datetime.now().year}.json"
    shard.write_bytes(shard.read_bytes()[:50])
    before = shard.read_bytes()
    for done in three_runs_logged():
        assert done.returncode == 1 and str(shard) in done.stderr
    assert shard.read_bytes() == before


def test_a_soreness_update_keeps_the_morning_checkin(db_path: Path, clock: FakeClock) -> None:
    journal = Journal.open(db_path, clock)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=30), rpe=8))
    morning = journal.check_in(CheckIn(at=NOW, soreness=6, fuel=Fuel.MEAL)).checkin
    clock.advance(hours=6)
    journal.update_soreness(2)
    (kept,) = Store(db_path).records(CheckIn)
    assert kept == morning and kept.soreness == 6 and kept.recommendation is not None
    (update,) = Store(db_path).records(SorenessUpdate)
    assert update.soreness == 2
    trend = journal.soreness_trend(days=2)
    assert [value for _, value in trend] == [6, 2]
    # Today's plan follows the newest reading and says why it changed.
    today = journal.today()
    assert morning.recommendation is not None
    assert today.plan.run_type > morning.recommendation.run_type
    assert today.changed is not None and "soreness update at 14:00" in today.changed


def test_a_late_leg_session_replans_today(db_path: Path, clock: FakeClock) -> None:
    journal = Journal.open(db_path, clock)
    morning = journal.check_in(CheckIn(at=NOW, soreness=1, sleep=4)).checkin
    assert morning.recommendation is not None
    assert morning.recommendation.run_type == RunType.QUALITY
    clock.advance(hours=6)
    journal.log_legs(LegSession(ended_at=clock.now - timedelta(minutes=30), rpe=10))
    today = journal.today()
    assert today.plan.run_type <= RunType.RECOVERY
    assert today.changed == "updated after the leg session at 13:30"
    assert "Leg session: none logged" not in [r.answer for r in today.plan.reasons]


async def test_the_plan_screen_says_the_plan_changed(db_path: Path, clock: FakeClock) -> None:
    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=(80, 24)) as pilot:
        journal = app.journal
        assert journal is not None
        journal.check_in(CheckIn(at=NOW, soreness=1, sleep=4))
        clock.advance(hours=6)
        journal.log_legs(LegSession(ended_at=clock.now - timedelta(minutes=30), rpe=10))
        await press(pilot, "p")
        assert "updated after the leg session at 13:30" in text_of(app, "#plan-note")
        assert "QUALITY" not in text_of(app, ".plan-title")


async def test_a_write_by_another_process_shows_in_the_open_app(
    db_path: Path, clock: FakeClock
) -> None:
    toasts = Toasts()
    app = app_with(db_path, clock, legs_hours=None)
    async with app.run_test(size=(80, 24), message_hook=toasts) as pilot:
        await pilot.pause()
        assert "No leg workout logged" in text_of(app, "#recovery")
        at = (NOW - timedelta(hours=5)).isoformat()
        subprocess.run(
            [str(LEGCOACH), "log-legs", "--rpe", "9", "--at", at],
            env={**os.environ, "LEGCOACH_DB": str(db_path)},
            check=True,
            capture_output=True,
            timeout=60,
        )
        app.notice_outside_changes()  # what the app's once-a-second timer calls
        await pilot.pause()
        assert "5 h 00 min" in text_of(app, "#recovery")
        assert "RPE 9" in str(week_rows(app)[6])
        # Its own saves are not mistaken for another process's.
        version = app.history_version
        journal_of(app).update_soreness(3)
        app.notice_outside_changes()
        assert app.history_version == version


async def test_help_while_the_history_loads_does_not_crash(db_path: Path, clock: FakeClock) -> None:
    from legcoach.tui.app import LegcoachApp
    from legcoach.tui.home import HomeScreen

    app_with(db_path, clock)  # a history to load
    app = LegcoachApp(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await press(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        assert len(week_rows(app)) == 7


def test_the_journal_is_the_only_door() -> None:
    """Screens and the CLI reach the history only through the journal, the domain never
    imports Textual or the storage: import-linter's contracts (pyproject.toml), checked
    over the real import graph rather than by searching the source's text."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("import-linter is a dev tool (.ci/run installs it)")
    root = Path(__file__).parents[1]
    done = subprocess.run(
        [lint, "--no-cache"], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout
    assert "Screens and the command line reach the history only through the journal KEPT" in (
        done.stdout
    )
    assert "The domain never imports Textual, the storage or the screens KEPT" in done.stdout


def test_a_goal_answered_in_a_checkin_becomes_the_profiles(db_path: Path, clock: FakeClock) -> None:
    journal = Journal.open(db_path, clock)
    journal.check_in(CheckIn(at=NOW, soreness=1, goal="muscle"))
    assert journal.profile().goal == "muscle"


def test_history_records_can_be_fetched_by_id(db_path: Path, clock: FakeClock) -> None:
    journal = Journal.open(db_path, clock)
    session = journal.log_legs(LegSession(ended_at=NOW, rpe=5))
    assert journal.find(str(session.id)) == session
    assert journal.find(str(session.id)[:8]) == session
    with pytest.raises(NotFound):
        journal.find("nope")
    with pytest.raises(NotFound):
        journal.find("ffffffff")


@pytest.mark.parametrize("hours", [1.5, 23])
def test_a_clock_injected_check_in_then_a_status_after_midnight(
    db_path: Path, hours: float
) -> None:
    clock = FakeClock(NOW.replace(hour=23))
    journal = Journal.open(db_path, clock)
    journal.check_in(CheckIn(at=clock.now, soreness=2))
    clock.advance(hours=hours)
    assert journal.status()["checked_in_today"] is False


def test_a_red_flag_at_23_00_holds_in_status_at_00_30(db_path: Path) -> None:
    clock = FakeClock(NOW.replace(hour=23))
    journal = Journal.open(db_path, clock)
    journal.log_legs(LegSession(ended_at=clock.now - timedelta(hours=30), rpe=8))
    journal.check_in(CheckIn(at=clock.now, soreness=2, red_flags=frozenset({"shaky-legs"})))
    clock.advance(hours=1.5)
    status = journal.status()
    assert status["run_type_now"] == "rest" and status["next_unlock"] is None
    assert status["checked_in_today"] is False


def test_status_unlocks_are_kept_by_advise_with_the_stated_soreness(db_path: Path) -> None:
    """The contract of next_unlock.assumes_soreness, through the real commands."""
    cli("checkin", "--soreness", "7", "--hours-since-legs", "30", "--leg-rpe", "9")
    unlock = json.loads(cli("status", "--json").stdout)["next_unlock"]
    assert unlock["run_type"] == "recovery" and unlock["assumes_soreness"] == 6
    hours = 30 + unlock["in_hours"] + 0.02
    later = json.loads(
        cli(
            "advise",
            "--soreness",
            str(unlock["assumes_soreness"]),
            "--hours-since-legs",
            f"{hours:.2f}",
            "--leg-rpe",
            "9",
            "--json",
        ).stdout
    )
    assert later["run_type"] in ("recovery", "easy", "steady", "quality")
    advised = json.loads(
        cli(
            "advise", "--soreness", "7", "--hours-since-legs", "30", "--leg-rpe", "9", "--json"
        ).stdout
    )
    assert advised["next_unlock"]["assumes_soreness"] == 6


async def test_home_draws_its_whole_first_frame_from_the_cache(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the history is open (the loader never runs here), home's Today panel and
    week table are already there, from the summary each save keeps in the cache, and
    they are what home shows once the history is open."""
    from legcoach.tui.app import LegcoachApp

    clock = FakeClock(NOW)
    journal = Journal.open(db_path, clock)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=3), rpe=8))
    journal.log_run(RunLog(at=NOW - timedelta(days=1), run_type=RunType.EASY, minutes=35, rpe=4))
    journal.check_in(CheckIn(at=NOW, soreness=4, fuel=Fuel.MEAL, sleep=4, energy=4))
    opened = make_app(Journal.open(db_path, clock))
    async with opened.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        loaded_today = text_of(opened, "#today")
        loaded_recovery = text_of(opened, "#recovery")
        loaded_week = [str(row) for row in week_rows(opened)]
    assert "Checked in at 08:00: soreness 4/10" in loaded_today
    assert (
        "3 h 00 min ago (RPE 8)" in loaded_recovery
        and "(Fri 27 Nov 05:00, judged on legs and soreness alone)" in loaded_recovery
    )

    monkeypatch.setattr(LegcoachApp, "_load_journal", lambda self: None)
    app = LegcoachApp(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.journal is None  # nothing but the cache was read
        assert text_of(app, "#today") == loaded_today
        # Worded as the journal words it, to the second: nothing moves when it opens.
        assert text_of(app, "#recovery") == loaded_recovery
        rows = [str(row) for row in week_rows(app)]
        assert rows == loaded_week
        assert "Today" in rows[-1] and "RPE 8" in rows[-1]
        assert "easy 35′ RPE 4" in rows[-2]

    # Two days on, nothing saved since: that day's home follows from the same cache (the
    # first start of each day is the usual one) and is what the history then shows.
    clock.advance(days=2)
    app = LegcoachApp(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.journal is None
        cached_rows = [str(row) for row in week_rows(app)]
        cached_today = text_of(app, "#today")
        cached_recovery = text_of(app, "#recovery")
    opened = make_app(Journal.open(db_path, clock))
    async with opened.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [str(row) for row in week_rows(opened)] == cached_rows
        assert text_of(opened, "#today") == cached_today
        assert text_of(opened, "#recovery") == cached_recovery
    assert "No check-in yet today" in cached_today
    assert cached_rows[-3].startswith(f"['{NOW:%a %d}'") and "RPE 8" in cached_rows[-3]
    assert cached_rows[-1] == "['Today', '·', '·', '·']"


EMPTY_CELLS = ["·", "·", "·"]


@pytest.mark.parametrize(
    "week",
    [
        [],
        "2026-11-24",
        {"day": 5, "days": [], "empty": EMPTY_CELLS},
        {"day": "24/11/2026", "days": [], "empty": EMPTY_CELLS},
        {"day": "2026-11-24", "days": "[]", "empty": EMPTY_CELLS},
        {"day": "2026-11-24", "days": [["2026-11-24", "RPE 8", "·"]], "empty": EMPTY_CELLS},
        {"day": "2026-11-24", "days": [["2026-11-24", 8, "·", "·"]], "empty": EMPTY_CELLS},
        {"day": "2026-11-24", "days": [["2026-11-24", "·", "·", "·"]], "empty": ["·", 1, "·"]},
        {"day": "2026-11-24", "days": [], "empty": EMPTY_CELLS},  # its own day is missing
        {"day": "2026-11-26", "days": [], "empty": EMPTY_CELLS},  # from a later day
    ],
)
def test_a_damaged_cached_week_is_no_answer(week: Any) -> None:
    """The cache is a file: a week of any other shape draws nothing (home waits for the
    history) and never stops the first frame."""
    cache = {"week": week, "records_after": False, "today": {"day": "2026-11-24", "words": None}}
    assert cached_week(cache, NOW.date()) is None
    assert cached_today(cache, NOW)[1] is None


def test_a_cached_week_moves_to_a_later_day_only_when_nothing_came_after() -> None:
    days = [[f"2026-11-{day}", f"RPE {day - 14}", "·", "·"] for day in range(18, 25)]
    cache = {
        "week": {"day": "2026-11-24", "days": days, "empty": EMPTY_CELLS},
        "records_after": False,
        "today": {"day": "2026-11-24", "words": {"plan": "Easy run"}},
    }
    rows = cached_week(cache, NOW.date())
    assert rows is not None
    assert [row[0] for row in rows] == [
        "Thu 19",
        "Fri 20",
        "Sat 21",
        "Sun 22",
        "Mon 23",
        "Tue 24",
        "Today",
    ]
    assert rows[-2][1:] == ["RPE 10", "·", "·"] and rows[-1][1:] == EMPTY_CELLS
    assert cached_today(cache, NOW) == (True, None)  # a new day: no check-in yet
    later_week = cached_week(cache, NOW.date() + timedelta(days=9))
    assert later_week is not None and later_week[0][1:] == EMPTY_CELLS
    assert cached_week({**cache, "records_after": True}, NOW.date()) is None
    assert cached_today({**cache, "records_after": True}, NOW) == (False, None)
    assert cached_week({**cache, "records_after": None}, NOW.date()) is None


async def test_a_record_dated_ahead_keeps_the_cached_home_to_its_own_day(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run saved a few minutes ahead of the clock belongs to whichever day it is dated:
    the cache cannot say the next day is empty, so home waits for the history then."""
    from legcoach.tui.app import LegcoachApp

    late = NOW.replace(hour=23, minute=55)
    clock = FakeClock(late)
    journal = Journal.open(db_path, clock)
    journal.log_run(RunLog(at=late + timedelta(minutes=10), run_type=RunType.EASY, minutes=30))
    monkeypatch.setattr(LegcoachApp, "_load_journal", lambda self: None)
    clock.advance(hours=1)
    app = LegcoachApp(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        week = app.screen.query_one("#week-table", WeekTable)
        assert not week.loaded and "Loading your history" in str(week.render())
        assert "Loading your history" in text_of(app, "#today")


async def test_the_app_rebuilds_a_cache_that_cannot_draw_home(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the JSON cache gone (only the status line left, as `legcoach status` keeps
    it), the app rebuilds it once the screen is drawn: the next start draws at once."""
    from legcoach.tui.app import LegcoachApp

    clock = FakeClock(NOW)
    journal = Journal.open(db_path, clock)
    journal.check_in(CheckIn(at=NOW, soreness=3))
    cache_path = local_dir(db_path) / "status.json"
    cache_path.unlink()
    app = LegcoachApp(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.journal is not None
        shown = text_of(app, "#today")
        # The rebuild runs after the screen has refreshed: a busy machine may need a few
        # more turns of the event loop (bounded, no clock).
        for _ in range(50):
            if cache_path.exists():
                break
            await pilot.pause()
        assert cache_path.exists()
    monkeypatch.setattr(LegcoachApp, "_load_journal", lambda self: None)
    app = LegcoachApp(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.journal is None and app.screen.query_one("#week-table", WeekTable).loaded
        assert text_of(app, "#today") == shown


async def test_the_cached_today_panel_is_words_never_markup(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from legcoach.tui.app import LegcoachApp

    clock = FakeClock(NOW)
    journal = Journal.open(db_path, clock)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=20), rpe=7))
    journal.check_in(CheckIn(at=NOW, soreness=4))
    cache_path = local_dir(db_path) / "status.json"
    cache = json.loads(cache_path.read_text())
    hostile = "[@click=app.quit]x[/] [b]bold[/b] \x1b[2J"
    cache["today"]["words"]["plan"] = hostile
    cache["last_legs_detail"] = hostile
    cache["week"]["days"][-1][3] = hostile + "\x00"
    cache_path.write_text(json.dumps(cache))
    monkeypatch.setattr(LegcoachApp, "_load_journal", lambda self: None)
    app = LegcoachApp(db_path, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "[@click=app.quit]x[/] [b]bold[/b]" in text_of(app, "#today")
        assert "\x1b" not in str(app.screen.query_one("#today").render())
        recovery = str(app.screen.query_one("#recovery").render())
        assert "ago ([@click=app.quit]x[/] [b]bold[/b]" in recovery and "\x1b" not in recovery
        drawn = io.StringIO()
        Console(file=drawn, width=200, color_system=None).print(
            app.screen.query_one("#week-table", WeekTable).render()
        )
        assert "[@click=app.quit]x[/] [b]bold[/b]" in drawn.getvalue()
        assert "\x1b" not in drawn.getvalue() and "\x00" not in drawn.getvalue()


def test_todays_plan_reads_only_recent_years(db_path: Path, clock: FakeClock) -> None:
    """Looking for the latest soreness update used to read every year file back to the
    first when there was none: a damaged file ten years back stopped today's plan (and
    ten years of JSON sat in memory)."""
    journal = Journal.open(db_path, clock)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(days=3650), rpe=6))
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=30), rpe=8))
    journal.check_in(CheckIn(at=NOW, soreness=2))
    old = db_path.with_name(db_path.name + ".d") / f"{(NOW - timedelta(days=3650)).year}.json"
    old.write_text('{"meta": {"1": {"app": "legcoach", "sch')
    fresh = Journal.open(db_path, clock)
    assert fresh.today().plan.run_type == RunType.EASY


# --- a save at the disk's speed: the status cache follows the save ---------------------


def test_a_deferred_status_cache_is_stale_until_settled(db_path: Path, clock: FakeClock) -> None:
    journal = Journal.open(db_path, clock)
    later: list[Any] = []
    journal.later = later.append
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=20), rpe=8))
    assert read_fresh_cache(db_path, NOW) is None  # the save is on disk; the cache not yet
    assert [r.rpe for r in Store(db_path).records(LegSession)] == [8]
    (job,) = later
    job()
    assert not journal.changed_elsewhere()  # its own cache write is not someone else's save
    fresh = read_fresh_cache(db_path, NOW)
    assert fresh is not None and status_at(fresh, NOW) == journal.status()


def test_the_revision_moves_with_every_save_here_or_elsewhere(
    db_path: Path, clock: FakeClock
) -> None:
    """A view kept between visits (History) compares it to know it is still current."""
    journal = Journal.open(db_path, clock)
    start = journal.revision
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=20), rpe=8))
    assert journal.revision == start + 1
    journal.settle()  # the status cache written after a save is not a save
    assert not journal.changed_elsewhere() and journal.revision == start + 1
    with pytest.raises(NotFound):
        journal.delete("no-such-id")  # nothing written, nothing moved
    assert journal.revision == start + 1
    Journal.open(db_path, clock).log_run(RunLog(at=NOW, minutes=30, run_type=RunType.EASY))
    assert journal.revision == start + 1  # not noticed yet
    assert journal.changed_elsewhere() and journal.revision == start + 2


async def test_the_app_refreshes_the_status_cache_after_showing_a_save(
    db_path: Path, clock: FakeClock
) -> None:
    from tests.test_tui_daily import DAILY

    app = app_with(db_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "c", *DAILY)
        await pilot.pause()
        cache = read_fresh_cache(db_path, NOW)
        assert cache is not None and cache["checked_in_until"] is not None
        assert status_at(cache, NOW) == journal_of(app).status()


def test_the_personal_rate_learns_from_readings_up_to_yesterday(
    db_path: Path, clock: FakeClock
) -> None:
    """Today's check-ins leave the rate as it is (so a save does not refit it, and every
    process agrees on it); tomorrow they count."""
    journal = Journal.open(db_path, clock)
    records: list[Any] = []
    for days_ago, start in ((9, 7), (5, 8)):
        ended = NOW - timedelta(days=days_ago)
        records.append(LegSession(ended_at=ended, rpe=8))
        records += [
            CheckIn(at=ended + timedelta(hours=hours), soreness=round(start * 0.5 ** (hours / 25)))
            for hours in (30, 54)
        ]
    records.pop()  # the second leg day has one reading so far
    Store(db_path).commit(records)
    journal.changed_elsewhere()
    assert not journal.decay.is_personal
    ended = NOW - timedelta(days=5)
    clock.now = ended + timedelta(hours=96)  # the second reading, made today
    journal.check_in(CheckIn(at=clock.now, soreness=round(8 * 0.5 ** (96 / 25))))
    assert not journal.decay.is_personal
    clock.advance(days=1)
    assert journal.decay.is_personal and journal.decay.based_on == 2


def test_a_leg_session_saved_a_little_ahead_binds_at_once(db_path: Path, clock: FakeClock) -> None:
    """A session dated up to 15 minutes ahead (accepted: another device's clock) binds at
    once; until its time came, the coach planned as if there were no legs."""
    from legcoach.models import LegKind

    hard = {"rpe": 9, "kind": LegKind.HEAVY_STRENGTH}
    ahead = Journal.open(db_path, clock)
    ahead.log_legs(LegSession(ended_at=NOW + timedelta(minutes=10), **hard))
    same = Journal.open(db_path.with_name("same.json"), clock)
    same.log_legs(LegSession(ended_at=NOW, **hard))
    today, expected = ahead.today(), same.today()
    assert today.plan.run_type == expected.plan.run_type
    assert today.plan.run_type < RunType.EASY
    # The same ladder, each unlock counted from the session's own time (never earlier).
    assert [s.run_type for s in today.steps] == [s.run_type for s in expected.steps]
    assert [s.at - timedelta(minutes=10) for s in today.steps[1:]] == [
        s.at for s in expected.steps[1:]
    ]
    status = ahead.status()
    assert status["hours_since_legs"] == 0 and status["run_type_now"] == str(today.plan.run_type)


def test_a_checkin_saved_a_little_ahead_counts_at_once(db_path: Path, clock: FakeClock) -> None:
    """Shaky legs reported in a check-in dated 10 minutes ahead hold from the moment it is
    saved: `legcoach status` said a hard run was allowed until its time came."""
    from legcoach.models import RedFlag

    journal = Journal.open(db_path, clock)
    journal.check_in(CheckIn(at=NOW - timedelta(days=1), soreness=1, sleep=5, energy=5))
    assert journal.today().plan.run_type >= RunType.STEADY
    ahead = CheckIn(at=NOW + timedelta(minutes=10), soreness=2, red_flags=[RedFlag.SHAKY_LEGS])
    saved = journal.check_in(ahead).checkin
    today = journal.today()
    assert saved.recommendation is not None
    assert today.plan.run_type == saved.recommendation.run_type <= RunType.WALK
    assert today.checkin == saved  # home's Today panel shows it too
    status = journal.status()
    assert status["run_type_now"] == str(today.plan.run_type) and status["checked_in_today"]


def test_a_checkin_dated_ahead_into_tomorrow_is_tomorrows(db_path: Path) -> None:
    late = NOW.replace(hour=23, minute=55)
    journal = Journal.open(db_path, FakeClock(late))
    todays = journal.check_in(CheckIn(at=late - timedelta(hours=12), soreness=2)).checkin
    journal.check_in(CheckIn(at=late + timedelta(minutes=10), soreness=5))
    assert journal.todays_checkin() == todays
    assert journal.today().checkin == todays


def test_the_weeks_history_shows_twice_follow_every_change(db_path: Path, clock: FakeClock) -> None:
    """The Trend and Weeks tabs ask for the same weeks, kept between them: kept only while
    nothing changed (a save here, a save by another process, a new day)."""
    journal = Journal.open(db_path, clock)
    first = journal.weeks(2)
    assert not any(week.runs for week in first)
    first.clear()  # a caller's list is its own: the kept weeks are untouched
    assert len(journal.weeks(2)) == 2

    journal.log_run(RunLog(at=NOW - timedelta(hours=1), run_type=RunType.EASY, minutes=30, rpe=3))
    assert [run.minutes for week in journal.weeks(2) for run in week.runs] == [30]

    Journal.open(db_path, clock).log_run(
        RunLog(at=NOW - timedelta(days=1), run_type=RunType.STEADY, minutes=40, rpe=5)
    )
    assert journal.changed_elsewhere()
    assert sorted(run.minutes for week in journal.weeks(2) for run in week.runs) == [30, 40]

    clock.advance(days=21)  # three weeks on: both runs are older than the two weeks shown
    assert not any(week.runs for week in journal.weeks(2))


def test_the_leg_days_the_fit_can_learn_from_follow_a_save(db_path: Path, clock: FakeClock) -> None:
    """The timer says how many leg days the personal rate has to learn from, asked each
    time it opens and kept meanwhile: a leg day with its two readings counts once they
    are saved (the fit learns from days before today)."""
    clock.now = NOW - timedelta(days=7)
    journal = Journal.open(db_path, clock)
    assert journal.leg_days_with_enough_readings() == 0
    journal.log_legs(LegSession(ended_at=clock.now - timedelta(hours=1), rpe=8))
    for hours in (30, 24):
        clock.advance(hours=hours)
        journal.update_soreness(4)
    assert journal.leg_days_with_enough_readings() == 0  # the readings are today's
    clock.now = NOW
    assert journal.leg_days_with_enough_readings() == 1
    # Later the same day, another leg day typed in afterwards with its two check-ins.
    earlier = NOW - timedelta(days=20)
    journal.log_legs(LegSession(ended_at=earlier, rpe=7))
    for days in (1, 2):
        journal.check_in(CheckIn(at=earlier + timedelta(days=days), soreness=3, fuel=Fuel.MEAL))
    assert journal.leg_days_with_enough_readings() == 2
