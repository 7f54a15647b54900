"""A history in a synced folder (Syncthing, Dropbox, Nextcloud): when two devices saved
before the tool carried one change across, the tool keeps a conflict copy; what it holds
is saved again, nothing lost, and the copy is set aside."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from tinydb import TinyDB

from legcoach.journal import Journal
from legcoach.models import LegSession, RunLog, RunType
from legcoach.storage.conflicts import original_name
from legcoach.storage.store import Store
from tests.conftest import NOW, FakeClock


@pytest.mark.parametrize(
    ("copy", "original"),
    [
        ("changes.sync-conflict-20261201-101010-ABCDEFG.jsonl", "changes.jsonl"),
        ("changes (Jane's conflicted copy 2026-12-01).jsonl", "changes.jsonl"),
        ("2026 (conflicted copy 2026-12-01 101010).json", "2026.json"),
        ("legcoach.sync-conflict-20261201-101010-XYZ1234.json", "legcoach.json"),
        ("changes.jsonl", None),
        ("changes.sync-conflict-20261201-101010-ABCDEFG.jsonl.absorbed", None),
    ],
)
def test_conflict_copies_are_recognised_by_name(copy: str, original: str | None) -> None:
    assert original_name(copy) == original


def two_devices(tmp_path: Path) -> tuple[Path, Path]:
    a = tmp_path / "a" / "legcoach.json"
    journal = Journal.open(a, FakeClock(NOW))
    journal.log_legs(LegSession(ended_at=NOW - timedelta(days=3), rpe=7))
    b = tmp_path / "b" / "legcoach.json"
    shutil.copytree(a.parent, b.parent)  # as the sync tool copied it
    return a, b


@pytest.mark.parametrize(
    "conflict_name",
    [
        "changes.sync-conflict-20261201-101010-ABCDEFG.jsonl",
        "changes (Jane's conflicted copy 2026-12-01).jsonl",
    ],
)
def test_a_runs_change_log_kept_as_a_conflict_copy_is_not_lost(
    tmp_path: Path, conflict_name: str
) -> None:
    a, b = two_devices(tmp_path)
    Journal.open(a, FakeClock(NOW)).log_run(
        RunLog(at=NOW - timedelta(hours=2), run_type=RunType.EASY, minutes=40, rpe=4)
    )
    Journal.open(b, FakeClock(NOW)).log_legs(LegSession(ended_at=NOW - timedelta(hours=20), rpe=8))
    # The tool keeps B's log under the name and A's as the conflict copy.
    a_log = a.parent / "legcoach.json.d" / "changes.jsonl"
    b_log = b.parent / "legcoach.json.d" / "changes.jsonl"
    shutil.copy(a_log, b.parent / "legcoach.json.d" / conflict_name)
    synced = Journal.open(b, FakeClock(NOW))
    kinds = sorted(type(r).__name__ for r in synced.records())
    assert kinds == ["LegSession", "LegSession", "RunLog"]
    assert synced._store.absorbed == 1
    assert (b.parent / "legcoach.json.d" / f"{conflict_name}.absorbed").exists()
    assert b_log.exists()
    # Opening again adds nothing more.
    again = Journal.open(b, FakeClock(NOW))
    assert again._store.absorbed == 0 and len(list(again.records())) == 3
    # Still a TinyDB document people can open and query.
    again._store.fold()
    year = TinyDB(b.parent / "legcoach.json.d" / f"{NOW.year}.json")
    assert len(year.table("runs")) == 1


def test_a_year_files_conflict_copy_is_merged_and_deletions_stay_deleted(tmp_path: Path) -> None:
    a, b = two_devices(tmp_path)
    ja = Journal.open(a, FakeClock(NOW))
    run = ja.log_run(RunLog(at=NOW - timedelta(hours=2), run_type=RunType.EASY, minutes=40, rpe=4))
    ja._store.fold()
    jb = Journal.open(b, FakeClock(NOW))
    (legs,) = [r for r in jb.records() if isinstance(r, LegSession)]
    jb.delete(str(legs.id))  # deleted on B
    jb._store.fold()
    year = f"{NOW.year}.json"
    shutil.copy(
        a.parent / "legcoach.json.d" / year,
        b.parent / "legcoach.json.d" / f"{NOW.year}.sync-conflict-20261201-101010-ABCDEFG.json",
    )
    synced = Journal.open(b, FakeClock(NOW))
    ids = {str(r.id) for r in synced.records()}
    assert str(run.id) in ids  # A's run, kept only in the copy, is back
    assert str(legs.id) not in ids  # B's deletion holds: the record is in B's trash
    assert Store(b).absorbed == 0


def test_a_save_by_a_clock_a_day_behind_leaves_no_cache_that_hides_a_record(
    db_path: Path,
) -> None:
    from legcoach.storage.snapshot import read_fresh_cache, status_at

    right = FakeClock(NOW)
    journal = Journal.open(db_path, right)
    journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=1), rpe=8))
    behind = FakeClock(NOW - timedelta(days=1))
    late = Journal.open(db_path, behind)
    late.log_run(RunLog(at=behind.now, run_type=RunType.EASY, minutes=30, rpe=4))
    late.settle()
    # A reader with the right clock never answers from what the late clock computed.
    cache = read_fresh_cache(db_path.resolve(), right.now)
    if cache is not None:
        assert status_at(cache, right.now)["hours_since_legs"] == pytest.approx(1, abs=0.1)
    fresh = Journal.open(db_path, right)
    assert fresh.status()["hours_since_legs"] == pytest.approx(1, abs=0.1)
    assert fresh.today().plan.run_type <= RunType.RECOVERY  # legs an hour ago: recovery at most


# --- All or nothing (issue 28 items 1 and 2) -------------------------------------------


def test_a_delete_whose_write_fails_changes_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from legcoach.storage.changelog import ChangeLog
    from legcoach.storage.files import SaveFailed, StoreError

    journal = Journal.open(db_path, FakeClock(NOW))
    saved = journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=5), rpe=7))

    from legcoach.storage.files import CachedJSON

    real_save = CachedJSON.save

    def full_disk(self: CachedJSON, data: object) -> None:
        if self.path == journal.path.resolve():  # the manifest, where the trash is
            raise SaveFailed(self.path, OSError(27, "File too large"))
        real_save(self, data)  # type: ignore[arg-type]

    monkeypatch.setattr(CachedJSON, "save", full_disk)
    del ChangeLog
    with pytest.raises(StoreError):
        journal.delete(str(saved.id))
    monkeypatch.undo()
    fresh = Journal.open(db_path, FakeClock(NOW))
    assert [str(r.id) for r in fresh.records()] == [str(saved.id)]  # still there
    assert fresh._store.trash() == []  # and not in the trash: nothing changed


def test_a_large_import_whose_fold_fails_half_way_is_saved_whole(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from legcoach.storage import files as store_module

    journal = Journal.open(db_path, FakeClock(NOW))
    records = [
        RunLog(at=NOW - timedelta(days=400 * (i % 3) + i), run_type=RunType.EASY, minutes=30, rpe=4)
        for i in range(600)
    ]
    writes = {"n": 0}
    real = store_module.atomic_write_bytes

    def fails_on_the_second_year(path: Path, payload: bytes, **kwargs: object) -> None:
        writes["n"] += 1
        if writes["n"] == 2:
            raise OSError(28, "No space left on device")
        real(path, payload, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "atomic_write_bytes", fails_on_the_second_year)
    journal._store.commit(records)
    monkeypatch.undo()
    fresh = Journal.open(db_path, FakeClock(NOW))
    assert len(list(fresh.records())) == 600  # every record, from the log where not folded


@pytest.mark.parametrize("when", ["at once", "the log appears", "a year file appears"])
def test_an_import_killed_at_any_point_leaves_all_of_it_or_none(tmp_path: Path, when: str) -> None:
    import os
    import signal
    import subprocess

    from legcoach.models import Export
    from tests.test_cli import LEGCOACH

    records = [
        RunLog(at=NOW - timedelta(days=i), run_type=RunType.EASY, minutes=30, rpe=4)
        for i in range(4000)
    ]
    export = tmp_path / "all.json"
    export.write_text(Export.of(records, None, NOW).model_dump_json())
    db = tmp_path / "db" / "legcoach.json"
    Journal.open(db, FakeClock(NOW)).save_profile(Journal.open(db, FakeClock(NOW)).profile())
    shard = db.parent / "legcoach.json.d"
    process = subprocess.Popen(
        [str(LEGCOACH), "--db", str(db), "import", str(export)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Wait on the file system, not the clock: the moment the kill should land.
        while process.poll() is None and when != "at once":
            names = {p.name for p in shard.glob("*")} if shard.exists() else set()
            if when == "the log appears" and "changes.jsonl" in names:
                break
            if when == "a year file appears" and any(n[:4].isdigit() for n in names):
                break
        os.kill(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass  # it finished first: then all of it must be there
    process.wait()
    count = len([r for r in Journal.open(db, FakeClock(NOW)).records() if isinstance(r, RunLog)])
    assert count in (0, 4000), count


@pytest.mark.parametrize("blocks", [1, 2, 3, 4, 8, 64])
def test_a_full_disk_at_any_size_loses_nothing(tmp_path: Path, blocks: int) -> None:
    """`ulimit -f` caps every file a command writes: whatever the cap, a delete either
    happened (the record in the trash) or did not (the record in the history), and a
    log-legs either saved its session or left the history as it was."""
    import subprocess

    from tests.test_cli import LEGCOACH

    db = tmp_path / "db" / "legcoach.json"
    journal = Journal.open(db, FakeClock(NOW))
    journal._store.commit(
        [
            RunLog(
                at=NOW - timedelta(days=i), run_type=RunType.EASY, minutes=30, rpe=4, note="x" * 200
            )
            for i in range(70)
        ]
    )
    for earlier in list(journal.records())[-5:]:
        journal.delete(str(earlier.id))  # a trash of some size: the manifest is the big write
    journal._store.fold()  # the change log empty: a delete's removal is a small append
    victim = next(iter(journal.records()))
    subprocess.run(
        [
            "bash",
            "-c",
            f'ulimit -f {blocks}; "$0" --db "$1" delete "$2"',
            str(LEGCOACH),
            str(db),
            str(victim.id),
        ],
        capture_output=True,
    )
    after = Journal.open(db, FakeClock(NOW))
    present = any(str(r.id) == str(victim.id) for r in after.records())
    trashed = any(str(r.id) == str(victim.id) for _, r in after._store.trash())
    assert present != trashed, (blocks, present, trashed)
    assert len(list(after.records())) == 65 - (not present)
    subprocess.run(
        [
            "bash",
            "-c",
            f'ulimit -f {blocks}; "$0" --db "$1" log-legs --ago 2h --rpe 7',
            str(LEGCOACH),
            str(db),
        ],
        capture_output=True,
    )
    again = Journal.open(db, FakeClock(NOW))
    legs = [r for r in again.records() if isinstance(r, LegSession)]
    assert len(legs) in (0, 1)
    assert len([r for r in again.records() if isinstance(r, RunLog)]) == 65 - (not present)
