"""The history on disk: round trips, crashes, failed saves, damaged files, two writers."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import stat
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from legcoach.journal import Journal
from legcoach.models import (
    CheckIn,
    Fuel,
    Goal,
    LegKind,
    LegSession,
    LegsFelt,
    Override,
    Profile,
    Record,
    RedFlag,
    RunLog,
    RunType,
    SorenessUpdate,
)
from legcoach.storage import changelog, files
from legcoach.storage.files import DamagedFile, ForeignFile, NewerSchema, SaveFailed
from legcoach.storage.layout import claim_instance
from legcoach.storage.snapshot import read_fresh_cache
from legcoach.storage.store import Store
from tests.conftest import NOW, FakeClock, local_dir, own_dir


def leg(hours_ago: float = 30, **extra: Any) -> LegSession:
    return LegSession(ended_at=NOW - timedelta(hours=hours_ago), rpe=8, **extra)


def run(hours_ago: float = 2, **extra: Any) -> RunLog:
    return RunLog(
        at=NOW - timedelta(hours=hours_ago), run_type=RunType.EASY, minutes=35, rpe=4, **extra
    )


def full_checkin(**extra: Any) -> CheckIn:
    return CheckIn(
        at=NOW,
        soreness=4,
        red_flags=frozenset({RedFlag.SHARP_PAIN}),
        goal=Goal.ENDURANCE,
        fuel=Fuel.SNACK,
        sleep=3,
        energy=4,
        warmup=True,
        override=Override.RESTED,
        override_note="felt off",
        **extra,
    )


@pytest.fixture
def store(db_path: Path) -> Store:
    return Store(db_path)


@pytest.mark.parametrize(
    "record",
    [
        leg(kind=LegKind.PLYOMETRIC, minutes=50, note="box jumps"),
        run(legs_felt=LegsFelt.HEAVY, note="hilly"),
        full_checkin(),
    ],
    ids=["leg session", "run", "check-in"],
)
def test_every_record_round_trips_through_a_fresh_store(db_path: Path, record: Any) -> None:
    Store(db_path).commit([record])
    again = Store(db_path)
    assert again.saved_by_id()[str(record.id)] == record


def test_a_checkin_keeps_its_plan_and_profile_round_trips(db_path: Path, clock: FakeClock) -> None:
    journal = Journal(Store(db_path), clock)
    journal.log_legs(leg())
    result = journal.check_in(CheckIn(at=NOW, soreness=2, sleep=4))
    assert not result.replaced and result.checkin.recommendation is not None
    assert Store(db_path).last(CheckIn) == result.checkin
    profile = Profile(goal=Goal.MUSCLE, max_hr=188, theme="legcoach-light")
    journal.save_profile(profile)
    assert Store(db_path).profile() == profile


def test_records_are_split_by_year_and_read_newest_first(store: Store) -> None:
    old = leg(hours_ago=24 * 400)
    store.commit([old])
    store.commit([leg()])
    assert store.years() == [2026, 2025]
    assert [r.ended_at for r in store.records(LegSession)] == sorted(
        [old.ended_at, NOW - timedelta(hours=30)], reverse=True
    )
    assert store.last(LegSession, before=NOW - timedelta(days=100)) == old


def test_a_second_checkin_the_same_day_replaces_the_first(store: Store, clock: FakeClock) -> None:
    journal = Journal(store, clock)
    first = journal.check_in(CheckIn(at=NOW, soreness=6))
    assert not first.replaced
    clock.advance(hours=3)
    second = journal.check_in(CheckIn(at=clock.now, soreness=2))
    assert second.replaced and second.checkin.id == first.checkin.id
    assert [c.soreness for c in store.records(CheckIn)] == [2]
    clock.advance(days=1)
    journal.check_in(CheckIn(at=clock.now, soreness=1))
    assert len(list(store.records(CheckIn))) == 2


def test_files_are_private_to_their_owner(tmp_path: Path) -> None:
    db = tmp_path / "new" / "dir" / "legcoach.json"
    store = Store(db)
    store.commit([leg()])
    log = own_dir(db) / "changes.jsonl"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    store.fold()
    assert not log.exists()
    for path in (db, own_dir(db) / "2026.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700


def test_an_empty_file_from_mktemp_becomes_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "empty.json"
    db.touch()
    Store(db).commit([leg()])
    assert len(list(Store(db).records(LegSession))) == 1


# --- damaged and foreign files are reported and never overwritten ---------------------


def _unchanged_after(path: Path, action: Callable[[], object]) -> Exception:
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with pytest.raises((DamagedFile, ForeignFile)) as caught:
        action()
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    return caught.value


@pytest.mark.parametrize(
    ("content", "word"),
    [
        (b'{"meta": {"1": {"app": "legcoach", "sch', "damaged"),
        (b"\x00\xff\xfe garbage \x89PNG", "not"),
        (b"[1, 2, 3]", "not a legcoach database"),
        (b'{"_default": {"1": {"name": "other app"}}}', "not a legcoach database"),
        (b"   \n", "empty"),
    ],
    ids=["truncated", "binary", "json list", "other tinydb app", "whitespace"],
)
def test_a_damaged_or_foreign_manifest_is_left_untouched(
    db_path: Path, content: bytes, word: str
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    error = _unchanged_after(db_path, lambda: Store(db_path).commit([leg()]))
    assert word in str(error)


def test_a_truncated_year_file_is_reported_and_kept(store: Store) -> None:
    store.commit([leg()])
    store.fold()
    shard = store.own_dir / "2026.json"
    shard.write_bytes(shard.read_bytes()[:40])
    _unchanged_after(shard, lambda: Store(store.path).commit([leg(hours_ago=5)]))
    _unchanged_after(shard, lambda: Store(store.path).last(LegSession))


def test_an_invalid_record_is_reported_with_its_place(store: Store) -> None:
    store.commit([leg()])
    store.fold()
    shard = store.own_dir / "2026.json"
    data = json.loads(shard.read_text())
    data["leg_sessions"]["1"]["rpe"] = 42
    shard.write_text(json.dumps(data))
    error = _unchanged_after(shard, lambda: Store(store.path).last(LegSession))
    assert "rpe must be between 1 and 10" in str(error)


def test_a_database_from_a_newer_legcoach_is_refused(db_path: Path) -> None:
    Store(db_path)
    data = json.loads(db_path.read_text())
    data["meta"]["1"]["schema"] = 99
    db_path.write_text(json.dumps(data))
    with pytest.raises(NewerSchema, match="upgrade legcoach"):
        Store(db_path)


# --- migration ------------------------------------------------------------------------


def test_schema_1_single_file_is_migrated_after_a_backup(db_path: Path) -> None:
    records = [leg(), leg(hours_ago=24 * 500), run(), CheckIn(at=NOW, soreness=3)]
    tables: dict[str, Any] = {"leg_sessions": {}, "checkins": {}, "runs": {}}
    for number, record in enumerate(records, 1):
        table = {"LegSession": "leg_sessions", "RunLog": "runs", "CheckIn": "checkins"}[
            type(record).__name__
        ]
        tables[table][str(number)] = record.model_dump(mode="json")
    v1 = {
        "meta": {"1": {"app": "legcoach", "schema": 1}},
        "profile": {"1": {"goal": "muscle"}},
        **tables,
    }
    db_path.parent.mkdir(parents=True)
    db_path.write_text(json.dumps(v1))
    original = db_path.read_bytes()

    store = Store(db_path)
    backup = db_path.with_name("legcoach.json.schema1.bak")
    assert backup.read_bytes() == original
    assert json.loads(db_path.read_text())["meta"]["1"]["schema"] == 3
    assert "runs" not in json.loads(db_path.read_text())
    assert store.profile().goal == Goal.MUSCLE
    for record in records:
        assert store.saved_by_id()[str(record.id)] == record
    assert len(list(Store(db_path).records(LegSession))) == 2  # opening again: no second move


# --- saves that fail or are killed ----------------------------------------------------


@pytest.mark.parametrize("write", ["append to the log", "fold into the year file"])
def test_a_save_that_fails_part_way_leaves_the_previous_files(
    store: Store, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    store.commit([leg()])
    store.fold()
    store.commit([run(hours_ago=30)])  # one record in the year file, one in the change log
    if write == "fold into the year file":
        monkeypatch.setattr(changelog, "FOLD_BYTES", 1)

    def on_disk() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in store.own_dir.iterdir() if p.name != "status.json"}

    before = on_disk()
    assert set(before) == {"2026.json", "changes.jsonl", "device.json"}

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(SaveFailed, match="No space left on device") as caught:
        store.commit([run()])
    assert "\n" not in str(caught.value)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert on_disk() == before
    # The same store keeps working, and the failed record was not half-kept in memory.
    store.commit([run(hours_ago=1)])
    expected = [NOW - timedelta(hours=1), NOW - timedelta(hours=30)]
    assert [r.at for r in Store(store.path).records(RunLog)] == expected
    assert [r.at for r in store.records(RunLog)] == expected


def _writer(db: Path, ack_fd: int, prefix: int) -> None:
    """Child process: save records forever, acknowledging each one once `commit` returned."""
    store = Store(db)
    number = 0
    while True:
        number += 1
        record = RunLog(
            at=NOW - timedelta(minutes=number),
            run_type=RunType.EASY,
            minutes=30,
            rpe=4,
            note=f"{prefix}-{number}",
        )
        store.commit([record])
        os.write(ack_fd, f"{record.id}\n".encode())


def _fork_writer(db: Path, prefix: int) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read_fd)
        try:
            _writer(db, write_fd, prefix)
        finally:
            os._exit(0)
    os.close(write_fd)
    return pid, read_fd


def _read_all(fd: int) -> list[str]:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode().split()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_killed_writers_never_lose_an_acknowledged_record(db_path: Path) -> None:
    Store(db_path)
    acknowledged: set[str] = set()
    rng = random.Random(20261125)
    for kill in range(100):
        pid, fd = _fork_writer(db_path, kill)
        time.sleep(rng.uniform(0.002, 0.04))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        acknowledged.update(_read_all(fd))
    saved = {str(r.id) for r in Store(db_path).records(RunLog)}
    # How many saves were acknowledged depends on the disk and the CPU: only the property
    # (every acknowledged record is there, every file parses) is asserted.
    assert acknowledged <= saved
    for path in [db_path, *Store(db_path).own_dir.glob("*.json")]:
        json.loads(path.read_text())  # every file is whole


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_two_processes_saving_at_once_lose_nothing(db_path: Path) -> None:
    Store(db_path)
    pids = []
    for prefix in (1, 2):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            try:
                store = Store(db_path)
                for number in range(40):
                    store.commit([run(hours_ago=number / 10, note=f"{prefix}-{number}")])
            finally:
                os._exit(0)
        pids.append(pid)
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    notes = {r.note for r in Store(db_path).records(RunLog)}
    assert len(notes) == 80


def test_the_write_lock_times_out_with_a_clear_message(db_path: Path) -> None:
    waiter = Store(db_path, lock_timeout=0.1)
    holder = files.FileLock(local_dir(db_path) / "write.lock", "another process")
    holder.acquire(1)
    try:
        with pytest.raises(files.Locked, match="another legcoach is saving"):
            waiter.commit([leg()])
    finally:
        holder.release()
    waiter.commit([leg()])


def test_a_second_app_instance_is_refused(db_path: Path) -> None:
    first = claim_instance(db_path)
    with pytest.raises(files.Locked, match="already open"):
        claim_instance(db_path)
    first.release()
    claim_instance(db_path).release()


# --- import and the status cache ------------------------------------------------------


def test_import_is_idempotent(store: Store) -> None:
    records = [leg(), run(), CheckIn(at=NOW, soreness=1), leg(hours_ago=24 * 800)]
    assert store.commit(records) == 4
    assert store.commit(records) == 0
    assert store.commit([*records, run(hours_ago=7)]) == 1
    assert len(store.saved_by_id()) == 5


def test_the_status_cache_is_ignored_once_any_file_changes(db_path: Path, clock: FakeClock) -> None:
    journal = Journal(Store(db_path), clock)
    journal.log_legs(leg())
    assert read_fresh_cache(db_path, NOW) is not None
    Store(db_path).commit([run()])  # a save that did not refresh the cache (as after a crash)
    assert read_fresh_cache(db_path, NOW) is None
    journal.refresh_status_cache()
    assert read_fresh_cache(db_path, NOW) is not None
    assert read_fresh_cache(db_path, NOW + timedelta(days=30)) is None


def test_ids_are_the_models_own_not_storage_keys(store: Store) -> None:
    record = leg()
    store.commit([record])
    store.fold()
    raw = json.loads((store.own_dir / "2026.json").read_text())
    ((doc_id, doc),) = raw["leg_sessions"].items()
    assert doc_id == "1" and doc["id"] == str(record.id) != doc_id
    assert str(uuid4()) not in store.saved_by_id()


@pytest.mark.parametrize("fold_bytes", [changelog.FOLD_BYTES, 700], ids=["log", "folding"])
def test_the_writers_view_after_each_commit_is_what_a_fresh_reader_sees(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, fold_bytes: int
) -> None:
    """The store keeps the records it validated across its own writes (a save does not
    validate whole years again), laid over by the change log and folded into the year
    files every few saves: after every kind of change it must agree with the disk."""
    monkeypatch.setattr(changelog, "FOLD_BYTES", fold_bytes)
    store = Store(db_path)
    rng = random.Random(7)
    saved: list[Any] = []
    folds = 0
    for step in range(40):
        logged = store._own_log.log.path.exists()
        if saved and rng.random() < 0.3:
            old = saved.pop(rng.randrange(len(saved)))
            if rng.random() < 0.5:
                store.commit(remove=[old])
            else:
                new = old.model_copy(update={"note": f"edited {step}"})
                store.commit(add=[new], remove=[old])
                saved.append(new)
        else:
            record = (run if rng.random() < 0.5 else leg)(hours_ago=rng.uniform(0, 24 * 700))
            store.commit(add=[record])
            saved.append(record)
        folds += logged and not store._own_log.log.path.exists()
        expected = sorted((str(r.id), r) for r in saved)
        assert sorted(store.saved_by_id().items()) == expected, step
        for model in (RunLog, LegSession, CheckIn):
            assert list(store.records(model)) == list(Store(db_path).records(model)), step
    assert (folds > 5) == (fold_bytes < 1000)


# --- the change log -----------------------------------------------------------------


@pytest.mark.parametrize(
    "torn",
    [b'{"remove":[],"add":[[2026,"runs",{"id":"x', b"\x00" * 300, b'{"remove":[]}\x00\x00\n'],
    ids=["half a line", "zeros from a size without data", "zeros in a last line"],
)
def test_a_torn_last_append_is_ignored_and_cut_off_by_the_next_save(
    store: Store, torn: bytes
) -> None:
    """A kill during an append: that save was never acknowledged, the others stay."""
    first = run(hours_ago=2)
    store.commit([first])
    log = store.own_dir / "changes.jsonl"
    whole = log.read_bytes()
    log.write_bytes(whole + torn)
    assert [r.id for r in Store(store.path).records(RunLog)] == [first.id]
    second = run(hours_ago=1)
    Store(store.path).commit([second])
    assert log.read_bytes().startswith(whole) and torn not in log.read_bytes()
    assert [r.id for r in Store(store.path).records(RunLog)] == [second.id, first.id]


@pytest.mark.parametrize(
    "line",
    [b"not json", b'{"remove":[],"add":[[2026,"runs",{"id":"x"}]]}', b'{"add":[]}', b"[]"],
    ids=["not json", "a record that does not validate", "no removals", "a list"],
)
def test_a_damaged_change_is_reported_with_its_line_and_kept(store: Store, line: bytes) -> None:
    store.commit([run(hours_ago=2)])
    log = store.own_dir / "changes.jsonl"
    log.write_bytes(line + b"\n" + log.read_bytes())
    error = _unchanged_after(log, lambda: Store(store.path).commit([run(hours_ago=1)]))
    assert "changes.jsonl" in str(error) and ("line 1" in str(error) or "runs #x" in str(error))
    assert "\n" not in str(error)
    _unchanged_after(log, lambda: list(Store(store.path).records(RunLog)))


def test_a_fold_killed_before_the_log_was_removed_loses_and_duplicates_nothing(
    store: Store,
) -> None:
    """Replaying a log the year files already hold changes nothing: adds, an edit (remove
    and add of the same id), a delete, and a retried add."""
    kept, edited, deleted = run(hours_ago=3), leg(hours_ago=30), run(hours_ago=50)
    store.commit([kept, edited, deleted])
    store.commit([kept])  # a retry: adds nothing
    new = edited.model_copy(update={"note": "edited"})
    store.commit([new], remove=[edited])
    store.commit(remove=[deleted])
    log = store.own_dir / "changes.jsonl"
    unfolded = log.read_bytes()
    before = store.saved_by_id()
    store.fold()
    assert not log.exists()
    log.write_bytes(unfolded)  # as if the fold was killed just before removing it
    reader = Store(store.path)
    assert reader.saved_by_id() == before
    assert sorted(before) == sorted([str(kept.id), str(edited.id)])
    edited_back = before[str(edited.id)]
    assert isinstance(edited_back, (LegSession, RunLog)) and edited_back.note == "edited"
    reader.fold()
    assert Store(store.path).saved_by_id() == before


def test_a_reader_sees_another_processes_appends_and_folds(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, writer = Store(db_path), Store(db_path)
    monkeypatch.setattr(changelog, "FOLD_BYTES", 2000)
    expected: list[Any] = []
    for hours in range(12):
        record = run(hours_ago=hours + 1)
        writer.commit([record])
        expected.insert(0, record.id)
        assert [r.id for r in reader.records(RunLog, newest_first=False)] == expected


def test_records_of_several_kinds_keep_one_time_order_across_new_year(store: Store) -> None:
    """Each record is filed under its year in its own offset: around New Year, a +14:00
    record in the newer file can be older than a -12:00 one in the older file."""
    rng = random.Random(2027)
    new_year = datetime(2026, 1, 1, tzinfo=UTC)
    records: list[Any] = []
    for _ in range(120):
        offset = timezone(timedelta(hours=rng.randint(-12, 14)))
        at = (new_year + timedelta(hours=rng.uniform(-40, 40))).astimezone(offset)
        kind = rng.choice(["run", "leg", "checkin"])
        if kind == "run":
            records.append(RunLog(at=at, run_type=RunType.EASY, minutes=30, rpe=4))
        elif kind == "leg":
            records.append(LegSession(ended_at=at, rpe=6))
        else:
            records.append(CheckIn(at=at, soreness=2))
    store.commit(records)
    expected = sorted(records, key=lambda r: r.when, reverse=True)
    models: list[type[Record]] = [RunLog, LegSession, CheckIn]
    assert [r.when for r in store.records_of(models)] == [r.when for r in expected]
    oldest_first = [r.when for r in store.records_of(models, newest_first=False)]
    assert oldest_first == [r.when for r in reversed(expected)]
    runs = [r.when for r in store.records(RunLog)]
    assert runs == sorted(runs, reverse=True)


def test_a_first_page_of_several_kinds_reads_only_the_years_it_shows(store: Store) -> None:
    """No soreness updates anywhere: the newest records still come from this year's file
    alone (an old damaged file is not even opened)."""
    store.commit([leg(hours_ago=24 * 800), run(hours_ago=2), leg(hours_ago=3)])
    store.fold()
    (old,) = [p for p in store.own_dir.glob("20*.json") if p.name != "2026.json"]
    old.write_text("{damaged")
    reader = Store(store.path)
    kinds: list[type[Record]] = [RunLog, LegSession, CheckIn, SorenessUpdate]
    first_two = [r.when for _, r in zip(range(2), reader.records_of(kinds), strict=False)]
    assert first_two == [NOW - timedelta(hours=2), NOW - timedelta(hours=3)]


def test_records_are_validated_only_when_read_and_damage_is_still_named(store: Store) -> None:
    """Today's plan reads a few days: a damaged record months back does not stop it (it
    is not even validated), and reading everything still names it."""
    store.commit([leg(hours_ago=24 * 200), leg(hours_ago=5)])
    store.fold()
    shard = store.own_dir / "2026.json"
    data = json.loads(shard.read_text())
    for doc in data["leg_sessions"].values():
        if doc["ended_at"] < (NOW - timedelta(days=100)).isoformat():
            doc["rpe"] = 42
    shard.write_text(json.dumps(data))
    reader = Store(store.path)
    (recent,) = reader.records(LegSession, since=NOW - timedelta(days=7))
    assert recent.ended_at == NOW - timedelta(hours=5)
    with pytest.raises(DamagedFile, match="rpe must be between 1 and 10"):
        list(reader.records(LegSession))
    with pytest.raises(DamagedFile, match="leg_sessions #"):
        reader.saved_by_id()


def test_a_time_stored_in_another_form_keeps_its_place(store: Store) -> None:
    """A time that `datetime.fromisoformat` does not read (pydantic does) is validated at
    once, so the order is the validated one."""
    records = [run(hours_ago=hours) for hours in (1, 2, 3)]
    store.commit(records)
    store.fold()
    shard = store.own_dir / "2026.json"
    data = json.loads(shard.read_text())
    for doc in data["runs"].values():
        if doc["id"] == str(records[1].id):
            doc["at"] = int((NOW - timedelta(hours=2)).timestamp())  # seconds since 1970
    shard.write_text(json.dumps(data))
    assert [r.id for r in Store(store.path).records(RunLog)] == [r.id for r in records]
