"""A faulty disk under every use case (issue 28 items 1 and 2): the Nth write, fsync or
rename of a save fails, for every N the save makes. Each time, what a fresh process
reads afterwards is the history before the save or the history after it, never a mix;
and a save that says "Nothing was changed" changed nothing."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from legcoach.errors import StoreError
from legcoach.journal import Journal
from legcoach.models import CheckIn, Goal, LegSession, Profile, RunLog, RunType
from tests.conftest import NOW, FakeClock

Faulty = ("write", "fsync", "replace")


class Disk:
    """Counts the durable steps of a save (os.write, os.fsync, os.replace) and fails
    the one numbered `fail_at` as a full disk would; `killed`: that one and every one
    after it, as if the process died there (nothing more reaches the disk, not even a
    rollback)."""

    def __init__(self, fail_at: int | None, *, killed: bool = False) -> None:
        self.fail_at = fail_at
        self.killed = killed
        self.calls = 0

    @contextmanager
    def installed(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        real = {name: getattr(os, name) for name in Faulty}

        def faulty(name: str) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                self.calls += 1
                if self.fail_at is not None and (
                    self.calls == self.fail_at or (self.killed and self.calls > self.fail_at)
                ):
                    raise OSError(errno.ENOSPC, "No space left on device")
                return real[name](*args, **kwargs)

            return call

        with monkeypatch.context() as patch:
            for name in Faulty:
                patch.setattr(os, name, faulty(name))
            yield


def state(db: Path) -> tuple[list[str], list[str], str]:
    """What a fresh process reads: records and what can be restored (ids aside: a new
    record's id is new each time), and the profile. A trash copy of a record that is in
    the history cannot be restored (restore refuses it): the record stands."""
    journal = Journal.open(db, FakeClock(NOW))
    saved = list(journal.records())
    present = {str(r.id) for r in saved}
    records = sorted(r.model_dump_json(exclude={"id"}) for r in saved)
    trash = sorted(
        r.model_dump_json(exclude={"id"})
        for _, r in journal._store.trash()
        if str(r.id) not in present
    )
    return records, trash, journal.profile().model_dump_json()


def export_of_two_new_years(folder: Path) -> Path:
    """A legcoach export from another history: two years of runs this one lacks."""
    other = Journal.open(folder / "other" / "legcoach.json", FakeClock(NOW))
    other._store.commit(
        [
            RunLog(at=NOW - timedelta(days=3 * i + 400), run_type=RunType.EASY, minutes=30, rpe=4)
            for i in range(150)
        ]
    )
    target = folder / "export.json"
    other.export_to(target)
    return target


USE_CASES: dict[str, Callable[[Journal, Path], object]] = {
    "log a run": lambda j, _: j.log_run(
        RunLog(at=NOW - timedelta(hours=1), run_type=RunType.EASY, minutes=35, rpe=4)
    ),
    "log legs": lambda j, _: j.log_legs(LegSession(ended_at=NOW - timedelta(hours=2), rpe=7)),
    "check in": lambda j, _: j.check_in(CheckIn(at=NOW, soreness=3, sleep=4)),
    "edit": lambda j, _: j.edit(str(next(iter(j.records())).id), {"note": "edited"}),
    "delete": lambda j, _: j.delete(str(next(iter(j.records())).id)),
    "restore": lambda j, _: j.restore(str(next(r for _, r in j._store.trash()).id)),
    "profile": lambda j, _: j.save_profile(Profile(goal=Goal.MUSCLE, max_hr=181)),
    "import two years": lambda j, folder: j.import_paths([folder / "export.json"]),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A history of a year and a half with something in the trash and an unfolded change
    log, made once and copied for each fault."""
    folder = tmp_path_factory.mktemp("template")
    journal = Journal.open(folder / "db" / "legcoach.json", FakeClock(NOW))
    journal._store.commit(
        [
            RunLog(at=NOW - timedelta(days=2 * i + 1), run_type=RunType.EASY, minutes=30, rpe=4)
            for i in range(270)
        ]
    )
    journal.delete(str(next(iter(journal.records())).id))
    journal.log_legs(LegSession(ended_at=NOW - timedelta(days=1), rpe=8))
    export_of_two_new_years(folder)
    return folder


def fresh_copy(template: Path, into: Path) -> Path:
    shutil.copytree(template, into)
    return into / "db" / "legcoach.json"


@pytest.mark.parametrize("killed", [False, True], ids=["a step fails", "killed at a step"])
@pytest.mark.parametrize("use_case", list(USE_CASES))
def test_a_save_that_fails_at_any_step_is_all_or_nothing(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, use_case: str, killed: bool
) -> None:
    act = USE_CASES[use_case]
    before = state(fresh_copy(template, tmp_path / "before"))
    # A clean run: how many durable steps the save takes, and what it leaves.
    db = fresh_copy(template, tmp_path / "clean")
    journal = Journal.open(db, FakeClock(NOW))
    counting = Disk(fail_at=None)
    with counting.installed(monkeypatch):
        act(journal, db.parent.parent)
        journal.settle()
    after = state(db)
    assert after != before, "the use case changes something"
    assert counting.calls >= 2
    for step in range(1, counting.calls + 1):
        db = fresh_copy(template, tmp_path / f"fault-{step}")
        journal = Journal.open(db, FakeClock(NOW))
        said = ""
        with Disk(fail_at=step, killed=killed).installed(monkeypatch):
            try:
                act(journal, db.parent.parent)
                journal.settle()
            except StoreError as error:
                said = str(error)
        seen = state(db)
        assert seen in (before, after), (use_case, step, said)
        if "Nothing was changed" in said and not killed:
            assert seen == before, (use_case, step, said)
        if not said and not killed:
            assert seen == after, (use_case, step, "no error, yet the save is not all there")
