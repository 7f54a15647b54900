"""A history in a synced folder (Syncthing, Dropbox, Nextcloud): every device writes
only its own files, so two devices saving at once lose nothing; deletes and edits merge
by version; the single-device layout moves over on its own, and a conflict copy the
tools made of its files is saved again, nothing lost, and set aside."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from legcoach.journal import Journal
from legcoach.models import Goal, LegSession, RunLog, RunType
from legcoach.storage import sources
from legcoach.storage.conflicts import original_name
from legcoach.storage.store import Store
from tests.conftest import NOW, FakeClock, own_dir
from tests.test_cli import cli


@pytest.mark.parametrize(
    ("copy", "original"),
    [
        ("changes.sync-conflict-20261201-101010-ABCDEFG.jsonl", "changes.jsonl"),
        ("changes (Jane's conflicted copy 2026-12-01).jsonl", "changes.jsonl"),
        ("2026 (conflicted copy 2026-12-01 101010).json", "2026.json"),
        ("legcoach.sync-conflict-20261201-101010-XYZ1234.json", "legcoach.json"),
        ("changes-DESKTOP-7Q2.jsonl", "changes.jsonl"),  # OneDrive: the computer's name
        ("2026 2.json", "2026.json"),  # iCloud Drive
        ("notes-DESKTOP.txt", None),  # not a name legcoach writes
        ("changes.jsonl", None),
        ("changes.sync-conflict-20261201-101010-ABCDEFG.jsonl.absorbed", None),
    ],
)
def test_conflict_copies_are_recognised_by_name(copy: str, original: str | None) -> None:
    assert original_name(copy) == original


def sync(source: Path, target: Path) -> None:
    """What a sync tool does: every device file of `source` replaces `target`'s copy."""
    for path in (source.parent / "legcoach.json.d" / "devices").rglob("*"):
        if path.is_file():
            where = target.parent / path.relative_to(source.parent)
            where.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, where)


def two_devices(tmp_path: Path) -> tuple[Path, Path]:
    a = tmp_path / "a" / "legcoach.json"
    journal = Journal.open(a, FakeClock(NOW), device="laptop1")
    journal.log_legs(LegSession(ended_at=NOW - timedelta(days=3), rpe=7))
    b = tmp_path / "b" / "legcoach.json"
    shutil.copytree(a.parent, b.parent)  # as the sync tool copied it
    return a, b


def device_files(db: Path) -> dict[str, set[str]]:
    devices = db.parent / "legcoach.json.d" / "devices"
    return {d.name: {p.name for p in d.iterdir()} for d in devices.iterdir()}


def test_two_devices_that_saved_at_once_both_keep_what_they_saved(tmp_path: Path) -> None:
    """The case that lost a run: A and B each save before the tool carries either save
    across. Each device wrote only its own folder, so the tool has nothing to conflict
    on, and after it copies both ways both devices show both saves, the same."""
    a, b = two_devices(tmp_path)
    run = Journal.open(a, FakeClock(NOW), device="laptop1").log_run(
        RunLog(at=NOW - timedelta(hours=2), run_type=RunType.EASY, minutes=40, rpe=4)
    )
    legs = Journal.open(b, FakeClock(NOW), device="desktop1").log_legs(
        LegSession(ended_at=NOW - timedelta(hours=20), rpe=8)
    )
    assert set(device_files(a)) == {"laptop1"} and set(device_files(b)) == {"laptop1", "desktop1"}
    before_b = (b.parent / "legcoach.json.d/devices/desktop1/changes.jsonl").read_bytes()
    sync(a, b)
    sync(b, a)
    assert (b.parent / "legcoach.json.d/devices/desktop1/changes.jsonl").read_bytes() == before_b
    seen = [
        {str(r.id) for r in Journal.open(db, FakeClock(NOW), device=d).records()}
        for db, d in ((a, "laptop1"), (b, "desktop1"))
    ]
    assert seen[0] == seen[1] and {str(run.id), str(legs.id)} <= seen[0] and len(seen[0]) == 3


def test_a_delete_holds_against_an_older_edit_and_a_restore_after_it_wins(tmp_path: Path) -> None:
    a, b = two_devices(tmp_path)
    ja = Journal.open(a, FakeClock(NOW), device="laptop1")
    (legs,) = list(ja.records())
    edited = ja.edit(str(legs.id), {"note": "edited on A"})
    sync(a, b)
    later = FakeClock(NOW + timedelta(minutes=5))
    jb = Journal.open(b, later, device="desktop1")
    jb.delete(str(edited.id))  # B saw A's edit, then deleted
    sync(b, a)
    stale = Journal.open(a, FakeClock(NOW), device="laptop1")  # A's clock is behind
    assert list(stale.records()) == []  # the older edit does not bring the record back
    assert [str(r.id) for _, r in stale._store.trash()] == [str(legs.id)]
    stale.restore(str(legs.id))  # restored after the delete (A has seen it): it wins
    sync(a, b)
    for db, device in ((a, "laptop1"), (b, "desktop1")):
        (back,) = list(Journal.open(db, FakeClock(NOW), device=device).records())
        assert isinstance(back, LegSession) and back.note == "edited on A"


def test_a_conflict_copy_of_a_device_file_is_read_like_the_file(tmp_path: Path) -> None:
    """Two computers that share one device id (a copied state folder) can still make
    a sync tool keep a conflict copy of a device file: the copy's saves carry their
    versions, so they merge like any other file's."""
    a, b = two_devices(tmp_path)
    run = Journal.open(a, FakeClock(NOW), device="laptop1").log_run(
        RunLog(at=NOW - timedelta(hours=2), run_type=RunType.EASY, minutes=40, rpe=4)
    )
    twin = Journal.open(b, FakeClock(NOW), device="laptop1").log_legs(
        LegSession(ended_at=NOW - timedelta(hours=20), rpe=8)
    )
    shutil.copy(
        a.parent / "legcoach.json.d/devices/laptop1/changes.jsonl",
        b.parent
        / "legcoach.json.d/devices/laptop1/changes.sync-conflict-20261201-101010-AB12CDE.jsonl",
    )
    ids = {str(r.id) for r in Journal.open(b, FakeClock(NOW), device="desktop1").records()}
    assert {str(run.id), str(twin.id)} <= ids and len(ids) == 3


def schema_2(tmp_path: Path) -> Path:
    """A history in the single-device layout, as the last round wrote it."""
    db = tmp_path / "old" / "legcoach.json"
    shard = db.parent / "legcoach.json.d"
    shard.mkdir(parents=True)
    legs = LegSession(ended_at=NOW - timedelta(days=3), rpe=7)
    db.write_text(
        json.dumps(
            {"meta": {"1": {"app": "legcoach", "schema": 2}}, "profile": {"1": {"goal": "muscle"}}}
        )
    )
    line = {"remove": [], "add": [[NOW.year, "leg_sessions", legs.model_dump(mode="json")]]}
    (shard / "changes.jsonl").write_text(json.dumps(line) + "\n")
    return db


def test_the_single_device_layout_moves_over_on_first_open_and_loses_nothing(
    tmp_path: Path,
) -> None:
    db = schema_2(tmp_path)
    old_manifest = db.read_bytes()
    journal = Journal.open(db, FakeClock(NOW), device="laptop1")
    assert json.loads(db.read_text())["meta"]["1"]["schema"] == 3
    assert db.with_name("legcoach.json.schema2.bak").read_bytes() == old_manifest
    assert len(list(journal.records())) == 1 and journal.profile().goal == Goal.MUSCLE
    (legs,) = list(journal.records())
    journal.delete(str(legs.id))
    assert (db.parent / "legcoach.json.d" / "changes.jsonl").exists()  # never written again
    fresh = Journal.open(db, FakeClock(NOW), device="desktop1")
    assert list(fresh.records()) == [] and len(fresh._store.trash()) == 1


@pytest.mark.parametrize(
    "conflict_name",
    [
        "changes.sync-conflict-20261201-101010-ABCDEFG.jsonl",
        "changes (Jane's conflicted copy 2026-12-01).jsonl",
    ],
)
def test_a_conflict_copy_of_the_single_device_log_is_not_lost(
    tmp_path: Path, conflict_name: str
) -> None:
    db = schema_2(tmp_path)
    run = RunLog(at=NOW - timedelta(hours=2), run_type=RunType.EASY, minutes=40, rpe=4)
    line = {"remove": [], "add": [[NOW.year, "runs", run.model_dump(mode="json")]]}
    (db.parent / "legcoach.json.d" / conflict_name).write_text(json.dumps(line) + "\n")
    synced = Journal.open(db, FakeClock(NOW), device="laptop1")
    kinds = sorted(type(r).__name__ for r in synced.records())
    assert kinds == ["LegSession", "RunLog"]
    assert synced._store.absorbed == 1
    assert (db.parent / "legcoach.json.d" / f"{conflict_name}.absorbed").exists()
    again = Journal.open(db, FakeClock(NOW), device="laptop1")
    assert again._store.absorbed == 0 and len(list(again.records())) == 2
    # Still TinyDB documents people can open and query.
    again._store.fold()
    year = TinyDB(db.parent / "legcoach.json.d" / "devices" / "laptop1" / f"{NOW.year}.json")
    assert [doc["id"] for doc in year.table("runs")] == [str(run.id)]


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
    import os

    from legcoach.storage.files import StoreError

    journal = Journal.open(db_path, FakeClock(NOW))
    saved = journal.log_legs(LegSession(ended_at=NOW - timedelta(hours=5), rpe=7))

    def full_disk(fd: int, data: bytes) -> int:
        raise OSError(27, "File too large")

    monkeypatch.setattr(os, "write", full_disk)
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
    shard = own_dir(db)
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


# --- legcoach doctor --------------------------------------------------------------------


def doctor(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli("--db", str(db), "doctor", *args, check=False)


def test_doctor_names_devices_copies_and_a_file_that_does_not_read(tmp_path: Path) -> None:
    _, b = two_devices(tmp_path)
    Journal.open(b, FakeClock(NOW), device="desktop1").log_run(
        RunLog(at=NOW - timedelta(hours=2), run_type=RunType.EASY, minutes=40, rpe=4)
    )
    devices = b.parent / "legcoach.json.d" / "devices"
    log = devices / "desktop1" / "changes.jsonl"
    # A copy holding nothing new (the same saves), and one holding a save of its own.
    same = devices / "desktop1" / "changes.sync-conflict-20261201-101010-AAAAAAA.jsonl"
    shutil.copy(log, same)
    twin = Journal.open(tmp_path / "twin" / "legcoach.json", FakeClock(NOW), device="desktop1")
    twin.log_legs(LegSession(ended_at=NOW - timedelta(hours=30), rpe=6))
    hostile = "changes (\x1b[31mJane's\x07 conflicted copy 2026-12-01).jsonl"
    unique = devices / "desktop1" / hostile
    shutil.copy(tmp_path / "twin" / "legcoach.json.d/devices/desktop1/changes.jsonl", unique)
    done = doctor(b)
    assert done.returncode == 0, done.stderr
    assert "device laptop1: last saved" in done.stdout
    assert "  device testdevice1" not in done.stdout  # this computer has not saved here
    assert "2 conflict copies" in done.stdout and "\x1b" not in done.stdout
    assert "<U+001B>" in done.stdout
    tidied = doctor(b, "--tidy")
    assert tidied.returncode == 0 and not same.exists() and unique.exists()
    assert len(list(Journal.open(b, FakeClock(NOW), device="desktop1").records())) == 3
    # Another device's file that does not read: named, exit 1, the rest still shown.
    (devices / "laptop1" / "changes.jsonl").write_text("not json\n")
    broken = doctor(b, "--json")
    report = json.loads(broken.stdout)
    assert broken.returncode == 1 and list(report["unreadable"]) == [
        str((devices / "laptop1" / "changes.jsonl").resolve())
    ]
    history = cli("--db", str(b), "history", "--json")
    assert len(json.loads(history.stdout)) == 2


# --- the same through the command line, and the open app ------------------------------


def _as_device(state: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`legcoach` on another computer: its own state folder (so its own device id)."""
    return cli(*args, env={"XDG_STATE_HOME": str(state), "LEGCOACH_DB": str(db)})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_computers_saving_through_the_command_line_converge(tmp_path: Path, seed: int) -> None:
    import random

    rng = random.Random(seed)
    roots = [tmp_path / f"pc{i}" / "legcoach.json" for i in range(2)]
    states = [tmp_path / f"state{i}" for i in range(2)]
    _as_device(states[0], roots[0], "log-legs", "--rpe", "7", "--ago", "3d")
    shutil.copytree(roots[0].parent, roots[1].parent)
    for step in range(6):
        i = rng.randrange(2)
        shown = json.loads(_as_device(states[i], roots[i], "history", "--json").stdout)
        if shown and rng.random() < 0.4:
            target = rng.choice(shown)["id"]
            if rng.random() < 0.5:
                _as_device(states[i], roots[i], "delete", target)
            else:
                _as_device(states[i], roots[i], "edit", target, "--note", f"pc{i} step {step}")
        else:
            _as_device(
                states[i], roots[i], "log-run", "--type", "easy", "--minutes", "30", "--rpe", "4",
                "--ago", f"{step + 1}d{i}h",
            )  # fmt: skip
        if rng.random() < 0.5:
            sync(roots[i], roots[1 - i])
    sync(roots[0], roots[1])
    sync(roots[1], roots[0])
    first, second = (
        _as_device(s, r, "history", "--json").stdout for s, r in zip(states, roots, strict=True)
    )
    assert first == second and json.loads(first)  # byte for byte, and not empty


async def test_the_open_app_shows_a_run_another_computer_saved(
    db_path: Path, clock: FakeClock
) -> None:
    from tests.tui_helpers import app_with, text_of

    app = app_with(db_path, clock, legs_hours=None)
    other = db_path.parent.parent / "other" / "legcoach.json"
    shutil.copytree(db_path.parent, other.parent)
    Journal.open(other, clock, device="laptop1").log_legs(
        LegSession(ended_at=NOW - timedelta(hours=5), rpe=9)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No leg workout logged" in text_of(app, "#recovery")
        sync(other, db_path)  # the sync tool brings the laptop's folder
        app.notice_outside_changes()  # what the app's once-a-second timer calls
        await pilot.pause()
        assert "5 h 00 min" in text_of(app, "#recovery")


@pytest.mark.parametrize("killed_at", [1, 2, 3, 4])
def test_a_move_over_killed_at_any_write_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, killed_at: int
) -> None:
    """The first open after the upgrade writes a backup and the manifest: killed at any
    of those writes (every later one fails too), each file still parses and the next
    open finds the whole history."""
    import os

    from legcoach.storage.files import StoreError

    db = schema_2(tmp_path)
    calls = {"n": 0}
    real = {name: getattr(os, name) for name in ("write", "fsync", "replace")}

    def dying(name: str) -> object:
        def call(*args: object) -> object:
            calls["n"] += 1
            if calls["n"] >= killed_at:
                raise OSError(28, "killed")
            return real[name](*args)

        return call

    with monkeypatch.context() as patch:
        for name in real:
            patch.setattr(os, name, dying(name))
        try:
            Journal.open(db, FakeClock(NOW), device="laptop1")
        except (StoreError, OSError):
            pass
    for path in [db, *(db.parent / "legcoach.json.d").rglob("*.json*")]:
        if path.suffix == ".json":
            json.loads(path.read_text())  # parseable
    fresh = Journal.open(db, FakeClock(NOW), device="laptop1")
    assert len(list(fresh.records())) == 1 and fresh.profile().goal == Goal.MUSCLE
    assert json.loads(db.read_text())["meta"]["1"]["schema"] == 3


def test_reading_writes_nothing_into_the_data_folder(tmp_path: Path) -> None:
    """Two computers that only read must not make a sync tool copy anything: no lock,
    no cache, no marker lands in the folder (they live in each computer's state)."""
    import os

    a, _ = two_devices(tmp_path)

    def snapshot() -> dict[str, tuple[int, int]]:
        return {
            str(p): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in a.parent.rglob("*")
            if p.is_file()
        }

    before = snapshot()
    for command in (["history", "--json"], ["status"], ["today"], ["week"], ["doctor"]):
        _as_device(tmp_path / "reader-state", a, *command)
    assert snapshot() == before
    assert os.listdir(tmp_path / "reader-state" / "legcoach")  # its own state, elsewhere


def test_a_device_file_that_did_not_change_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from legcoach.storage import changelog, files

    db = tmp_path / "db" / "legcoach.json"
    for number in range(10):
        computer = Store(db, device=f"computer{number:02d}")
        computer.commit([LegSession(ended_at=NOW - timedelta(days=number + 1), rpe=7)])
        computer.fold()
        computer.commit(
            [
                RunLog(
                    at=NOW - timedelta(days=number, hours=2),
                    run_type=RunType.EASY,
                    minutes=30,
                    rpe=4,
                )
            ]
        )
    reader = Store(db, device="reader01")
    assert len(list(reader.records_of([LegSession, RunLog]))) == 20
    read: list[str] = []
    real_json, real_bytes = files.read_json, files.read_regular_file

    def counted_json(path: Path) -> object:
        read.append(path.parent.name + "/" + path.name)
        return real_json(path)

    def counted_bytes(path: Path, *args: object, **kwargs: object) -> bytes:
        read.append(path.parent.name + "/" + path.name)
        return real_bytes(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "read_json", counted_json)
    monkeypatch.setattr(changelog, "read_regular_file", counted_bytes)
    Store(db, device="computer03").commit([LegSession(ended_at=NOW - timedelta(hours=5), rpe=8)])
    read.clear()
    assert len(list(reader.records_of([LegSession, RunLog]))) == 21
    assert read == ["computer03/changes.jsonl"]  # the one file that changed, nothing else


def test_doctor_names_a_record_that_does_not_validate(tmp_path: Path) -> None:
    _, b = two_devices(tmp_path)
    Store(b, device="laptop1").fold()
    year = (
        b.parent
        / "legcoach.json.d"
        / "devices"
        / "laptop1"
        / f"{(NOW - timedelta(days=3)).year}.json"
    )
    data = json.loads(year.read_text())
    for doc in data["leg_sessions"].values():
        doc["rpe"] = 99
    year.write_text(json.dumps(data))
    done = doctor(b)
    assert done.returncode == 1 and "1 files need you" in done.stdout
    assert str(year.resolve()) in done.stdout and "rpe must be between 1 and 10" in done.stdout


def test_within_one_look_a_save_is_seen_and_another_devices_save_by_the_next_read(
    tmp_path: Path,
) -> None:
    """A plan reads the store hundreds of times within one look at the files. A save
    made within it is seen by the reads after it, and a save arriving from another
    device meanwhile by the next operation at the latest."""
    a, b = two_devices(tmp_path)
    journal = Journal.open(b, FakeClock(NOW), device="desktop1")
    before = {str(r.id) for r in journal.records()}
    other = Journal.open(a, FakeClock(NOW), device="laptop1")
    with journal._store.one_look():
        assert {str(r.id) for r in journal.records()} == before
        years_before = journal._store.years()
        # The other device's first year file arrives while the look is held.
        theirs = other.log_legs(LegSession(ended_at=NOW - timedelta(hours=5), rpe=6))
        other._store.fold()
        sync(a, b)
        mine = journal.log_run(
            RunLog(at=NOW - timedelta(hours=1), run_type=RunType.EASY, minutes=30, rpe=4)
        )
        assert str(mine.id) in {str(r.id) for r in journal.records()}
        assert NOW.year in journal._store.years()
        assert journal._store.years() == sorted({*years_before, NOW.year}, reverse=True)
    assert {str(r.id) for r in journal.records()} == before | {str(mine.id), str(theirs.id)}
    # A save looks afresh within a look too: it never writes from a stale view.
    with journal._store.one_look():
        journal.delete(str(theirs.id))
        journal.delete(str(mine.id))
        assert {str(r.id) for r in journal.records()} == before


def test_within_one_look_each_years_files_are_checked_once_until_a_save(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan's many reads of the same years, within one look, ask every device's files
    once; a save within the look drops that, and the reads after it see the save."""
    _, b = two_devices(tmp_path)
    journal = Journal.open(b, FakeClock(NOW), device="desktop1")
    asked: list[str] = []
    for owner in (sources.YearFile, sources.LogClaims):
        real = owner.claims

        def counted(self: Any, *args: Any, real: Any = real, **kwargs: Any) -> Any:
            asked.append(type(self).__name__)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(owner, "claims", counted)
    with journal._store.one_look():
        first = [str(r.id) for r in journal.records()]
        assert asked  # both devices' files asked once
        asked.clear()
        assert [str(r.id) for r in journal.records()] == first
        assert [str(r.id) for r in journal.records(since=NOW - timedelta(days=2))] == [
            i
            for i, r in zip(first, journal.records(), strict=True)
            if r.when >= NOW - timedelta(days=2)
        ]
        assert asked == []
        mine = journal.log_run(
            RunLog(at=NOW - timedelta(hours=1), run_type=RunType.EASY, minutes=30, rpe=4)
        )
        assert asked  # read again after the save (by the save's own reads, too)
        assert [str(r.id) for r in journal.records()] == [str(mine.id), *first]
    asked.clear()
    list(journal.records())
    assert asked  # and by the next look


def test_a_large_save_within_one_look_is_read_back_from_its_new_year_file(
    tmp_path: Path,
) -> None:
    """A save of many records goes straight into year files this device never had:
    the reads after it within the same look list the folder again and find them."""
    db = tmp_path / "legcoach.json"
    journal = Journal.open(db, FakeClock(NOW), device="laptop1")
    runs = [
        RunLog(at=NOW - timedelta(days=400 + day), run_type=RunType.EASY, minutes=30, rpe=4)
        for day in range(70)
    ]
    with journal._store.one_look():
        assert list(journal.records()) == []
        assert journal._store.years() == []
        journal._store.commit(runs)
        assert {str(r.id) for r in journal.records()} == {str(r.id) for r in runs}
        assert journal._store.years() == sorted({r.at.year for r in runs}, reverse=True)
        # A small save (appended, not folded) into a year no file holds yet: listed too.
        older = RunLog(at=NOW - timedelta(days=3000), run_type=RunType.EASY, minutes=30, rpe=4)
        journal._store.commit([older])
        assert older.at.year in journal._store.years()
