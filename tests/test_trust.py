"""Hostile input: nothing a user types or imports may harm the terminal, their files or
their history. Markup, click actions, escape sequences, NUL and bidi overrides are sent
through every place text is shown; files that are not plain files, links, leftovers,
out-of-range dates and damaged caches are tried on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from legcoach.journal import Journal
from legcoach.models import CheckIn, LegSession, RunLog, RunType
from legcoach.storage.statusline import read_status
from legcoach.storage.store import Store
from legcoach.text import csv_cell, problem_in, visible
from tests.conftest import NOW, FakeClock, local_dir, own_dir
from tests.test_cli import LEGCOACH, bad, cli, error_line

ESC = "\x1b"
# Shown as data, never run: Rich/Textual markup, a click action, OSC/CSI escapes, a
# hyperlink escape, a right-to-left override.
MARKUP_NOTES = ["[/]", "[link=file:///etc/passwd]y[/]", "[@click=app.quit]CLICK[/]", "[b]x"]
ESCAPE_NOTES = [f"{ESC}]0;pwned\a", f"{ESC}[2J", f"{ESC}]8;;http://evil\a", "a\u202eb", "x\x00y"]


def now() -> datetime:
    return datetime.now().astimezone()


def seed_raw_notes(db: Path, notes: list[str]) -> None:
    """Leg sessions whose notes an older legcoach (or a hand edit) let through."""
    store = Store(db)
    store.commit(
        [LegSession(ended_at=now() - timedelta(hours=i + 1), rpe=5) for i in range(len(notes))]
    )
    store.fold()  # the records into the year file, to change them there
    shard = store.own_dir / f"{now().year}.json"
    data = json.loads(shard.read_text())
    for doc, note in zip(data["leg_sessions"].values(), notes, strict=False):
        doc["note"] = note
    shard.write_text(json.dumps(data))


# --- text, as the domain sees it ------------------------------------------------------


@pytest.mark.parametrize("note", ESCAPE_NOTES)
def test_control_and_bidi_characters_are_refused_in_notes(note: str) -> None:
    assert problem_in(note) is not None
    with pytest.raises(ValueError):
        LegSession(ended_at=NOW, rpe=5, note=note)


def test_newline_tab_and_markup_may_stay_in_a_note() -> None:
    for note in ["line one\nline two\tend", *MARKUP_NOTES]:
        assert LegSession(ended_at=NOW, rpe=5, note=note).note == note


def test_visible_spells_out_every_escape() -> None:
    for note in ESCAPE_NOTES:
        shown = visible(note)
        assert ESC not in shown and "\x00" not in shown and "\u202e" not in shown
        assert "<U+" in shown


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r=1", "'=1"),
        # Control characters are stripped before the check: they never hide a formula.
        ("\x07=HYPERLINK(1)", "'=HYPERLINK(1)"),
        (f"{ESC}=1+1", "'=1+1"),
        (f"ok{ESC}[2J", "ok[2J"),
        ("plain", "plain"),
        (5, 5),
    ],
)
def test_csv_cells_cannot_become_formulas(cell: str, expected: Any) -> None:
    assert csv_cell(cell) == expected


# --- the command line -----------------------------------------------------------------


@pytest.mark.parametrize("note", ESCAPE_NOTES[:4])
def test_a_note_with_an_escape_is_refused_in_one_line(note: str) -> None:
    done = bad("log-legs", "--rpe", "5", "--note", note)
    assert "control character" in done.stderr
    assert ESC not in done.stderr and len(error_line(done.stderr)) < 300


def test_invalid_utf8_in_a_note_is_one_line() -> None:
    done = subprocess.run(
        [str(LEGCOACH).encode(), b"log-legs", b"--rpe", b"5", b"--note", b"caf\xe9"],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr and done.stderr.count(b"\n") == 1


def test_markup_notes_are_printed_as_written(db_path: Path) -> None:
    # Two hours apart: sessions within an hour of each other are one session.
    for hours, note in enumerate(MARKUP_NOTES):
        cli("log-legs", "--rpe", "5", "--ago", f"{2 * hours + 1}h", "--note", note)
    listing = cli("history").stdout
    for note in MARKUP_NOTES:
        assert note in listing


def test_stored_escapes_never_reach_the_terminal_or_a_spreadsheet(
    db_path: Path, tmp_path: Path
) -> None:
    seed_raw_notes(db_path, [*ESCAPE_NOTES[:4], '=HYPERLINK("http://evil","x")'])
    listing = cli("history").stdout
    assert ESC not in listing and "\u202e" not in listing and "<U+001B>" in listing
    table = cli("history", "--csv").stdout
    assert ESC not in table and "\u202e" not in table
    assert "'=HYPERLINK" in table and ",=HYPERLINK" not in table
    cli("export", str(tmp_path / "out.csv"))
    written = (tmp_path / "out.csv").read_text()
    assert ESC not in written and "'=HYPERLINK" in written
    # JSON stays exact: the escape is there, as JSON's own \u001b.
    raw = cli("history", "--json").stdout
    assert ESC not in raw and {r["note"] for r in json.loads(raw)} >= set(ESCAPE_NOTES[:4])


@pytest.mark.parametrize(
    "args",
    [
        ["log-legs", "--rpe", "3", "--ago", "1000000000d"],
        ["log-legs", "--rpe", "٣"],
        ["log-run", "--type", "easy", "--minutes", "５", "--rpe", "3"],
        ["history", "--since", "0001-01-01"],
        ["log-legs", "--rpe", "3", "--at", "0999-01-01T10:00"],
        ["log-legs", "--rpe", "3", "--at", "9999-12-31T23:59-12:00"],
        ["--db", "", "status"],
        ["log-run", "--type", "rest", "--minutes", "30", "--rpe", "1"],
    ],
    ids=[
        "huge ago",
        "arabic digit",
        "full-width digit",
        "year 1",
        "year 999",
        "year 9999",
        "empty db",
        "rest run",
    ],
)
def test_bad_values_are_one_line_and_exit_2(args: list[str]) -> None:
    done = bad(*args)
    assert error_line(done.stderr).startswith("legcoach")


def test_a_year_file_with_a_damaged_table_names_the_file(db_path: Path) -> None:
    cli("log-legs", "--rpe", "5")
    Store(db_path).fold()
    shard = own_dir(db_path) / f"{now().year}.json"
    data = json.loads(shard.read_text())
    data["runs"] = ["not", "a", "table"]
    shard.write_text(json.dumps(data))
    done = cli("history", check=False)
    assert done.returncode == 1 and str(shard) in done.stderr and "Traceback" not in done.stderr


def _export(path: Path, **tables: Any) -> Path:
    path.write_text(
        json.dumps(
            {"format": "legcoach-export", "version": 1, "exported_at": now().isoformat(), **tables}
        )
    )
    return path


def test_out_of_range_and_future_records_are_refused_one_by_one(
    db_path: Path, tmp_path: Path
) -> None:
    good = {
        "id": "6b1b1d1e-0000-4000-8000-000000000001",
        "ended_at": (now() - timedelta(days=1)).isoformat(),
        "rpe": 6,
    }
    source = _export(
        tmp_path / "x.json",
        leg_sessions=[
            good,
            {"ended_at": "0001-06-01T10:00:00+00:00", "rpe": 6},
            {"ended_at": "0999-06-01T10:00:00+00:00", "rpe": 6},
            {"ended_at": "9999-12-31T23:59:00-12:00", "rpe": 6},
            {"ended_at": (now() + timedelta(days=1)).isoformat(), "rpe": 6},
        ],
    )
    for attempt in range(3):
        done = cli("import", str(source), check=False)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert done.stdout.count("refused:") == 4
        assert f"Imported {1 if attempt == 0 else 0} new" in done.stdout
    listing = cli("history", "--json").stdout
    assert [r["id"] for r in json.loads(listing)] == [good["id"]]  # nothing saved is invisible
    assert "no legs logged" not in cli("status").stdout


def test_a_future_record_does_not_hide_todays_checkin(db_path: Path, tmp_path: Path) -> None:
    tomorrow = (now() + timedelta(days=1)).isoformat()
    journal = Journal.open(db_path, FakeClock(now() + timedelta(days=1, minutes=1)))
    journal.check_in(
        CheckIn(at=datetime.fromisoformat(tomorrow), soreness=1)
    )  # another device's clock
    cli("checkin", "--soreness", "2", "--no-legs")
    assert "no check-in today" not in cli("status").stdout


def test_an_import_conflict_is_reported_and_the_saved_one_kept(
    db_path: Path, tmp_path: Path
) -> None:
    cli("log-legs", "--rpe", "5", "--ago", "2h", "--note", "mine")
    (saved,) = json.loads(cli("history", "--json").stdout)
    changed = {k: v for k, v in saved.items() if k != "record"} | {"note": "theirs"}
    source = _export(tmp_path / "x.json", leg_sessions=[changed])
    done = cli("import", str(source))
    assert "1 conflicts" in done.stdout and saved["id"] in done.stdout
    assert json.loads(cli("history", "--json").stdout)[0]["note"] == "mine"
    cli("import", str(source), "--prefer-import")
    assert json.loads(cli("history", "--json").stdout)[0]["note"] == "theirs"


def test_dry_run_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    good = {"ended_at": (now() - timedelta(days=1)).isoformat(), "rpe": 6}
    done = cli("import", str(_export(tmp_path / "x.json", leg_sessions=[good])), "--dry-run")
    assert "Would import 1 new" in done.stdout
    assert json.loads(cli("history", "--json").stdout) == []


# --- files that are not plain files, links and leftovers ---------------------------------


def test_import_of_a_fifo_or_a_device_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for source, word in ((fifo, "FIFO"), (Path("/dev/zero"), "device")):
        done = cli("import", str(source), check=False)  # the 60 s timeout would catch a hang
        assert done.returncode == 1 and word in done.stderr and str(source) in done.stderr


def test_a_huge_import_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: no disk used
    done = cli("import", str(big), check=False)
    assert done.returncode == 1 and "too large" in done.stderr and "64 MiB" in done.stderr


def test_a_database_path_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "db.json"
    os.mkfifo(fifo)
    done = cli("--db", str(fifo), "status", check=False)
    assert done.returncode == 1 and "FIFO" in done.stderr


def test_export_never_replaces_a_fifo(db_path: Path, tmp_path: Path) -> None:
    cli("log-legs", "--rpe", "5")
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    done = cli("export", str(fifo), check=False)
    assert done.returncode == 1 and "refusing to replace" in done.stderr
    assert fifo.is_fifo()


def test_a_linked_lock_file_is_refused_and_its_target_untouched(
    db_path: Path, tmp_path: Path
) -> None:
    cli("log-legs", "--rpe", "5")
    precious = tmp_path / "precious.txt"
    precious.write_text("my thesis")
    lock = local_dir(db_path) / "write.lock"
    lock.unlink()
    lock.symlink_to(precious)
    done = cli("log-legs", "--rpe", "6", "--ago", "5h", check=False)
    assert done.returncode == 1 and "symbolic link" in done.stderr
    assert precious.read_text() == "my thesis"


def test_a_linked_database_keeps_every_file_beside_the_real_one(tmp_path: Path) -> None:
    real = tmp_path / "real" / "legcoach.json"
    link = tmp_path / "link.json"
    cli("--db", str(real), "log-legs", "--rpe", "5")
    link.symlink_to(real)
    cli("--db", str(link), "log-legs", "--rpe", "6", "--ago", "2h")
    cli("--db", str(link), "profile", "--goal", "muscle")
    assert link.is_symlink()
    assert not (tmp_path / "link.json.d").exists()
    assert len(json.loads(cli("--db", str(real), "history", "--json").stdout)) == 2


def test_a_damaged_schema_1_database_keeps_one_backup(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    v1 = {"meta": {"1": {"app": "legcoach", "schema": 1}}, "leg_sessions": {"1": {"rpe": 99}}}
    db_path.write_text(json.dumps(v1))
    for _ in range(4):
        assert cli("history", check=False).returncode == 1
    assert len(list(db_path.parent.glob("*.bak*"))) == 1


def test_leftover_temp_files_are_removed_by_the_next_save(db_path: Path) -> None:
    cli("log-legs", "--rpe", "5")
    leftover = own_dir(db_path) / f".{now().year}.json.abc123.tmp"
    leftover.write_text("{half")
    cli("history")  # reading writes nothing (in a synced folder, nothing at all)
    assert leftover.exists()
    cli("log-legs", "--rpe", "6", "--ago", "5h")
    assert not leftover.exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",
        lambda text: text.replace("\t", " "),
        lambda text: text.replace("recovery", "sprint\x1b[2J"),
        lambda text: text.replace(",-,", ",seven,"),
        lambda text: text + "\x00\xff",
        lambda text: "\n".join(text.split("\n")[:4]),
        lambda text: "\n".join([*text.split("\n")[:4], "-inf", *text.split("\n")[5:]]),
        lambda text: "\n".join([*text.split("\n")[:3], "nan", *text.split("\n")[4:]]),
    ],
    ids=["empty", "no tabs", "unknown run type", "bad soreness", "NUL", "cut short", "-inf", "nan"],
)
def test_a_damaged_status_line_is_recomputed_never_trusted(
    db_path: Path, damage: Callable[[str], str]
) -> None:
    cli("log-legs", "--rpe", "8", "--ago", "10h")
    line = local_dir(db_path) / "status.line"
    assert "recovery now" in cli("status").stdout
    line.write_text(damage(line.read_text()), encoding="utf-8", errors="surrogateescape")
    done = cli("status")
    assert done.returncode == 0 and "recovery now" in done.stdout
    assert "\x1b" not in done.stdout and "sprint" not in done.stdout
    assert json.loads(cli("status", "--json").stdout)["run_type_now"] == "recovery"
    status = read_status(str(db_path.resolve()), time.time())
    assert status is not None and status["run_type_now"] == "recovery"


def test_a_wrong_shaped_or_edited_status_cache_is_recomputed(db_path: Path) -> None:
    cli("log-legs", "--rpe", "8", "--ago", "10h")
    Store(db_path).fold()
    cli("status")
    cache = local_dir(db_path) / "status.json"
    good = json.loads(cache.read_text())
    cache.write_text(json.dumps({**good, "timelines": [{"steps": []}]}))
    assert "recovery now" in cli("status").stdout
    # An edit in place with its modification time put back is still noticed (ctime).
    shard = own_dir(db_path) / f"{now().year}.json"
    stat = shard.stat()
    data = json.loads(shard.read_text())
    for doc in data["leg_sessions"].values():
        doc["ended_at"] = (now() - timedelta(days=5)).isoformat()
    shard.write_text(json.dumps(data))
    os.utime(shard, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "legs 5.0d ago" in cli("status").stdout


def test_a_local_day_is_the_day_where_the_user_is_now(db_path: Path) -> None:
    """Pacific/Kiritimati (+14) then America/Adak (-10): one local day, one check-in."""
    kiritimati, adak = timezone(timedelta(hours=14)), timezone(timedelta(hours=-10))
    first_at = datetime(2026, 11, 25, 9, 0, tzinfo=adak).astimezone(kiritimati)
    journal = Journal.open(db_path, FakeClock(first_at))
    journal.check_in(CheckIn(at=first_at, soreness=5))
    later = datetime(2026, 11, 25, 15, 0, tzinfo=adak)
    moved = Journal.open(db_path, FakeClock(later))
    assert moved.todays_checkin() is not None
    result = moved.check_in(CheckIn(at=later, soreness=2))
    assert result.replaced
    assert [c.soreness for c in moved.records(["checkin"]) if isinstance(c, CheckIn)] == [2]


# --- the app ----------------------------------------------------------------------------


async def test_hostile_notes_in_history_and_the_record_detail(
    db_path: Path, clock: FakeClock, tmp_path: Path
) -> None:
    from legcoach.tui.app import make_app
    from legcoach.tui.record import RecordScreen
    from tests.tui_helpers import Toasts, press, text_of

    notes = [*MARKUP_NOTES, *ESCAPE_NOTES[:4]]
    store = Store(db_path)
    store.commit(
        [
            LegSession(ended_at=NOW - timedelta(hours=i + 1), rpe=5, note=f"n{i}")
            for i in range(len(notes))
        ]
    )
    store.fold()
    shard = store.own_dir / "2026.json"
    data = json.loads(shard.read_text())
    for doc in data["leg_sessions"].values():
        doc["note"] = notes[int(doc["note"][1:])]
    shard.write_text(json.dumps(data))
    toasts = Toasts()
    app = make_app(Journal.open(db_path, clock))
    async with app.run_test(size=(100, 30), message_hook=toasts) as pilot:
        await press(pilot, "h")
        for _ in range(len(notes)):
            await press(pilot, "enter")
            assert isinstance(app.screen, RecordScreen)
            shown = text_of(app, "#record-fields")
            record = app.screen.record
            note = record.note if isinstance(record, (LegSession, RunLog)) else ""
            assert ESC not in shown and "\u202e" not in shown
            if note in MARKUP_NOTES:
                assert note in shown  # the literal text, not a link, style or action
            screenshot = app.export_screenshot()
            assert ESC not in screenshot and "\u202e" not in screenshot
            await press(pilot, "escape", "down")
        # Export names that look like markup: the toasts show them as written. The
        # first has a "/" in "[/]", so its folder does not exist: an error toast.
        for name, outcome in (
            ("[b]x[/].json", "could not write"),
            ("[@click=app.quit]x[red].json", "records written"),
        ):
            target = tmp_path / name
            await press(pilot, "x", "ctrl+u")
            for key in str(target):
                await pilot.press(key)
            await press(pilot, "enter")
            assert str(target) in toasts.messages()[-1] and outcome in toasts.messages()[-1]
            assert app.is_running
    assert target.exists()


def test_hypothesis_any_note_renders_as_plain_text() -> None:
    """Arbitrary text through what the record detail shows: never raises, never carries
    an escape or a bidi override, and is read back as exactly the shown text (no markup)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from legcoach.history import described
    from legcoach.tui.safe import plain

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=200))
    def check(note: str) -> None:
        session = LegSession.model_validate(
            {"ended_at": NOW.isoformat(), "rpe": 5, "note": note}, context={"stored": True}
        )
        content = plain("\n".join(described(session)))
        rendered = content.plain
        assert not any(ch in rendered for ch in "\x1b\x00\x07\u202e\u2066\x9b")
        assert content.spans == []  # nothing interpreted: no style, link or action
        assert visible(note) in rendered

    check()


def test_runs_cannot_be_logged_as_rest(db_path: Path) -> None:
    with pytest.raises(ValueError):
        RunType("sprint")
    assert "rest" not in cli("log-run", "--help").stdout.split("--type")[1].split("\n")[0]
    Journal.open(db_path, FakeClock(NOW)).log_run(
        RunLog(at=NOW, run_type=RunType.WALK, minutes=30, rpe=2)
    )


def test_an_imported_files_own_words_never_reach_the_terminal(
    db_path: Path, tmp_path: Path
) -> None:
    """A sport name or a workout name with an escape in it: shown spelled out, or cleaned."""
    from tests.test_import_files import gpx_file, strong_csv

    # XML cannot carry an escape at all; a bidi override and markup it can.
    gpx = gpx_file(tmp_path / "a.gpx", kind="paddle\u202e[b]board")
    csv = strong_csv(tmp_path / "s.csv")
    csv.write_text(csv.read_text().replace("Leg day", f"Leg {ESC}[2J[@click=app.quit]day"))
    done = cli("import", str(gpx), str(csv))
    said = done.stdout + done.stderr
    assert ESC not in said and "\u202e" not in said and "skipped: paddle[b]board" in said
    listing = cli("history").stdout
    assert ESC not in listing and "[@click=app.quit]" in listing


@pytest.mark.parametrize(
    "target",
    ["{db}", "{db}.d/2026.json", "{db}.d", "{db}.lock", "link-to-db"],
)
def test_export_never_writes_over_the_databases_own_files(db_path: Path, target: str) -> None:
    """Issue 28 item 3: an export over the database replaced it with an export."""
    cli("log-legs", "--rpe", "8", "--ago", "10h")
    (db_path.parent / "link-to-db").symlink_to(db_path)
    path = target.format(db=db_path) if "{db}" in target else str(db_path.parent / target)
    before = db_path.read_bytes()
    done = cli("export", path, check=False)
    assert done.returncode == 1 and "database's own files" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert db_path.read_bytes() == before
    assert "leg session" in cli("history").stdout
