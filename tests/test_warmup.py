"""The warm-up sequence: drills from data, a clock-driven run through them (no UI)."""

from __future__ import annotations

from datetime import timedelta

from legcoach.warmup import SORE_FROM, Drill, WarmupRun, drills_for
from tests.conftest import NOW


def test_sore_legs_get_the_longer_sequence_from_the_data_file() -> None:
    standard, sore = drills_for(0), drills_for(SORE_FROM)
    assert all(isinstance(drill, Drill) and drill.seconds > 0 for drill in standard + sore)
    assert sum(d.seconds for d in sore) > sum(d.seconds for d in standard)
    assert drills_for(None) == standard


def test_the_run_follows_the_clock_pauses_and_skips() -> None:
    drills = (Drill("walk", 60, ""), Drill("swings", 30, ""), Drill("skips", 30, ""))
    run = WarmupRun(drills, NOW)
    state = run.state(NOW + timedelta(seconds=45))
    assert (state.index, state.remaining) == (0, 15)
    run.pause(NOW + timedelta(seconds=45))
    assert run.state(NOW + timedelta(seconds=500)).remaining == 15  # paused: no time passes
    run.resume(NOW + timedelta(seconds=500))
    run.skip(NOW + timedelta(seconds=505))  # the walk had 10 s left
    state = run.state(NOW + timedelta(seconds=505))
    assert (state.index, state.remaining, state.elapsed) == (1, 30, 60)
    assert run.skipped == {0}
    assert not run.is_finished(NOW + timedelta(seconds=534))
    assert run.is_finished(NOW + timedelta(seconds=565))
    run.skip(NOW + timedelta(seconds=600))  # nothing left to skip
    assert run.skipped == {0}
