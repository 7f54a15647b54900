"""Three computers share one history through a sync tool, as people run them: each saves,
edits, deletes and restores through the journal with its own clock (up to 15 minutes
off), the tool copies whole files between them in any order (a file changed on both
sides becomes a conflict copy on one), one of them goes offline for a while. After a
last full sync every computer shows the same history, and it is what the acknowledged
saves imply: nothing acknowledged lost, nothing deleted back, the latest save of each
record winning (latest by version: storage/versions.py)."""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from legcoach.journal import Journal
from legcoach.journal.usecases import Invalid
from legcoach.models import Record, RunLog, RunType
from legcoach.storage import changelog
from tests.conftest import NOW, FakeClock

SCHEDULES = 1000
DEVICES = ("alpha01", "bravo02", "charlie03")

VersionVector = dict[int, int]


def _dominates(a: VersionVector, b: VersionVector) -> bool:
    return all(a.get(k, 0) >= v for k, v in b.items())


@dataclass
class SyncTool:
    """A file-sync tool over the replicas' data folders: it notices each folder's
    changes (a version vector per file), and a sync step carries one replica's files to
    another: a newer file replaces the older one whole (a deletion too); a file changed
    on both sides keeps the receiver's under its name and the sender's as a conflict
    copy (Syncthing's naming)."""

    roots: list[Path]
    known: list[dict[str, tuple[VersionVector, bytes | None]]] = field(default_factory=list)
    conflicts: int = 0
    _read: dict[tuple[int, str], tuple[tuple[int, int, int], bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.known = [{} for _ in self.roots]

    def _files(self, i: int) -> dict[str, bytes]:
        """Every file's bytes, read again only when its stat changed (as tools watch)."""
        root = self.roots[i]
        found = {}
        start = len(str(root)) + 1
        for folder, _, names in os.walk(root):
            for name in names:
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                rel = path[start:]
                st = os.stat(path)
                stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                cached = self._read.get((i, rel))
                if cached is None or cached[0] != stamp:
                    with open(path, "rb") as handle:
                        cached = (stamp, handle.read())
                    self._read[(i, rel)] = cached
                found[rel] = cached[1]
        return found

    def scan(self, i: int) -> None:
        current = self._files(i)
        known = self.known[i]
        for rel, data in current.items():
            vv, old = known.get(rel, ({}, None))
            if old != data:
                known[rel] = ({**vv, i: vv.get(i, 0) + 1}, data)
        for rel, (vv, old) in list(known.items()):
            if rel not in current and old is not None:
                known[rel] = ({**vv, i: vv.get(i, 0) + 1}, None)

    def _put(self, i: int, rel: str, data: bytes | None) -> None:
        target = self.roots[i] / rel
        if data is None:
            target.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".syncing.{target.name}")
        temp.write_bytes(data)
        os.replace(temp, target)

    def sync(self, src: int, dst: int, rng: random.Random) -> None:
        self.scan(src)
        self.scan(dst)
        items = list(self.known[src].items())
        rng.shuffle(items)
        for rel, (vv_s, data_s) in items[: rng.randint(1, len(items))] if items else []:
            vv_d, data_d = self.known[dst].get(rel, ({}, None))
            if vv_s == vv_d or _dominates(vv_d, vv_s):
                continue
            merged = {k: max(vv_s.get(k, 0), vv_d.get(k, 0)) for k in {*vv_s, *vv_d}}
            if _dominates(vv_s, vv_d) or data_d is None or data_s == data_d:
                self._put(dst, rel, data_s)
                self.known[dst][rel] = (merged, data_s)
            elif data_s is None:
                self.known[dst][rel] = (merged, data_d)  # a change beats a deletion
            else:
                stem, dot, suffix = rel.rpartition(".")
                self.conflicts += 1
                copy = f"{stem}.sync-conflict-20261201-101010-{'ABCDEFG'[src]}{self.conflicts:06d}"
                self._put(dst, f"{copy}{dot}{suffix}", data_s)
                self.known[dst][rel] = (merged, data_d)

    def settle(self) -> None:
        """Sync every pair until nothing moves."""
        every = random.Random(0)
        for _ in range(4):
            for src in range(len(self.roots)):
                for dst in range(len(self.roots)):
                    if src != dst:
                        while True:
                            before = [dict(k) for k in self.known]
                            self.sync(src, dst, _All(every))
                            if before == self.known:
                                break


class _All(random.Random):
    """A sync step that carries every file (the last full sync)."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__(0)

    def randint(self, a: int, b: int) -> int:
        return b


@dataclass
class Truth:
    """What the acknowledged saves imply: per record, its latest save."""

    latest: dict[str, tuple[str, bool, str | None]] = field(default_factory=dict)

    def saw(
        self, record_id: str, version: str, alive: bool, note: str | None
    ) -> tuple[str, bool, str | None]:
        """Note a save (one made elsewhere and not seen yet may still be later)."""
        old = self.latest.get(record_id)
        if old is None or (version, alive) > (old[0], old[1]):
            self.latest[record_id] = (version, alive, note)
        return record_id, alive, note

    def history(self) -> dict[str, str | None]:
        return {rid: note for rid, (_, alive, note) in self.latest.items() if alive}


def run_schedule(tmp: Path, seed: int) -> None:
    rng = random.Random(seed)
    roots = [tmp / f"r{seed}-{i}" for i in range(3)]
    skews = [timedelta(minutes=rng.uniform(-15, 15)) for _ in roots]
    clocks = [FakeClock(NOW + skew) for skew in skews]
    first = Journal.open(roots[0] / "legcoach.json", clocks[0], device=DEVICES[0])
    for root in roots[1:]:
        shutil.copytree(roots[0], root)  # the tool's first copy of the new folder
    journals = [first] + [
        Journal.open(root / "legcoach.json", clocks[i + 1], device=DEVICES[i + 1])
        for i, root in enumerate(roots[1:])
    ]
    for journal in journals:
        journal.later = lambda refresh: None  # the status cache is not what this tests
    tool = SyncTool(roots)
    truth = Truth()
    offline = rng.randrange(3) if rng.random() < 0.5 else None
    offline_until = rng.randint(3, 12)
    adds = 0
    for step in range(rng.randint(6, 16)):
        elapsed = timedelta(minutes=rng.uniform(0, 4))  # less than the clocks are apart
        for clock in clocks:
            clock.advance(seconds=elapsed.total_seconds())
        if rng.random() < 0.4:
            src, dst = rng.sample(range(3), 2)
            if offline not in (src, dst) or step >= offline_until:
                tool.sync(src, dst, rng)
            continue
        i = rng.randrange(3)
        journal = journals[i]
        journal.changed_elsewhere()
        shown = list(journal.records())
        trash = [r for _, r in journal._store.trash()]
        choice = rng.random()
        if choice < 0.4 or not shown:
            adds += 1
            run = RunLog(
                at=clocks[i].now - timedelta(days=adds + 10 * i, minutes=step),
                run_type=RunType.EASY,
                minutes=20 + adds,
                rpe=4,
                note=f"{DEVICES[i]} {step}",
            )
            saved = journal.log_run(run)
            last_saved = truth.saw(str(saved.id), _version(journal), True, saved.note)
        elif choice < 0.7:
            target = rng.choice(shown)
            edit_note = f"edited on {DEVICES[i]} at {step}"
            journal.edit(str(target.id), {"note": edit_note})
            last_saved = truth.saw(str(target.id), _version(journal), True, edit_note)
        elif choice < 0.9:
            target = rng.choice(shown)
            journal.delete(str(target.id))
            last_saved = truth.saw(str(target.id), _version(journal), False, None)
        elif trash:
            target = rng.choice(trash)
            try:
                back = journal.restore(str(target.id))
            except Invalid:
                continue  # in the history again already (another device restored it)
            last_saved = truth.saw(str(back.id), _version(journal), True, _note(back))
        else:
            continue
        # A computer's own save is what it shows at once.
        record_id, alive, note = last_saved
        shown_now = {str(r.id): _note(r) for r in journal.records()}
        assert (record_id in shown_now) == alive, (seed, step, record_id, alive, shown_now)
        assert not alive or shown_now[record_id] == note, (seed, step, note, shown_now)
    tool.settle()
    views = []
    for i, root in enumerate(roots):
        fresh = Journal.open(root / "legcoach.json", clocks[i], device=DEVICES[i])
        views.append(
            (
                [r.model_dump_json() for r in fresh.records()],
                sorted(str(r.id) for _, r in fresh._store.trash()),
            )
        )
        history = {str(r.id): _note(r) for r in fresh.records()}
        assert history == truth.history(), (seed, i)
    assert views[0] == views[1] == views[2], seed


def _note(record: Record) -> str | None:
    note = getattr(record, "note", None)
    return note if isinstance(note, str) else None


def _version(journal: Journal) -> str:
    version = journal._store.last_version
    assert version is not None
    return version


def _from(version: str, device: str) -> bool:
    return version.endswith(f"-{device}")


@pytest.fixture
def often_folded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fold every few saves: year files and device files move as much as logs. And no
    fsync: what a kill leaves is the durability suite's (test_faults.py); here it would
    only spend the minute on the disk."""
    monkeypatch.setattr(changelog, "FOLD_BYTES", 1200)
    monkeypatch.setattr(os, "fsync", lambda fd: None)


@pytest.mark.usefixtures("often_folded")
def test_every_replica_converges_on_what_the_acknowledged_saves_imply(tmp_path: Path) -> None:
    for seed in range(SCHEDULES):
        run_schedule(tmp_path, seed)
        for root in tmp_path.glob(f"r{seed}-*"):
            shutil.rmtree(root)
