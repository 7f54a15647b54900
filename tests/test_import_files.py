"""Importing what people already record: FIT, GPX and TCX runs (also gzipped), Strong and
Hevy leg days, folders of them. Every file here is written by the test itself."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from legcoach.cli.output import import_line
from legcoach.importers import read
from legcoach.importers.lifting import is_leg_exercise
from legcoach.importers.runs import HR_CAPS
from legcoach.journal import ImportRun, Journal
from legcoach.models import LegSession, Profile, RunLog
from legcoach.storage.store import Store
from legcoach.vocab import LegKind, RunType
from tests.conftest import NOW, FakeClock
from tests.test_cli import cli

START = datetime(2026, 11, 20, 6, 30, tzinfo=UTC)


def fit_ms(at: datetime) -> int:
    """A moment as fit-tool takes it: epoch milliseconds."""
    return round(at.timestamp() * 1000)


def fit_builder(start: datetime, serial: int = 1234) -> Any:
    """A fit-tool builder with an activity file's file_id message, made at `start`."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = fit_ms(start)
    file_id.serial_number = serial
    builder.add(file_id)
    return builder


def fit_file(
    path: Path,
    sessions: list[tuple[str, str | None, int]] = (("running", None, 1800),),  # type: ignore[assignment]
    *,
    hr: int | None = 150,
    start: datetime = START,
    speed: float = 3.0,
    summary_short_by: int = 0,
) -> Path:
    """A FIT activity written with fit-tool: one session per (sport, sub sport, seconds),
    at `speed` m/s; `summary_short_by`: the session's summary ends that many seconds
    before its records do (a summary written before the last lap)."""
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import Sport, SubSport

    ms = fit_ms
    builder = fit_builder(start)
    at = start
    for sport, sub_sport, seconds in sessions:
        records = []
        for offset in range(0, seconds + 1, 10):
            record = RecordMessage()
            record.timestamp = ms(at + timedelta(seconds=offset))
            record.distance = offset * speed
            if hr:
                record.heart_rate = hr
            records.append(record)
        builder.add_all(records)
        session = SessionMessage()
        summary = seconds - summary_short_by
        session.timestamp = ms(at + timedelta(seconds=summary))
        session.start_time = ms(at)
        session.total_elapsed_time = summary
        session.total_timer_time = summary - 20
        session.sport = Sport[sport.upper()]
        if sub_sport:
            session.sub_sport = SubSport[sub_sport.upper()]
        session.total_distance = summary * speed
        if hr:
            session.avg_heart_rate = hr
            session.max_heart_rate = hr + 10
        builder.add(session)
        at += timedelta(seconds=seconds + 60)
    activity = ActivityMessage()
    activity.timestamp = ms(at)
    activity.num_sessions = len(sessions)
    builder.add(activity)
    path.write_bytes(builder.build().to_bytes())
    return path


def gpx_file(
    path: Path,
    *,
    hr: int | None = 150,
    kind: str = "running",
    minutes: int = 30,
    start: datetime = START,
) -> Path:
    points = []
    for second in range(0, minutes * 60 + 1, 10):
        at = (start + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        ext = (
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{hr}</gpxtpx:hr>"
            "</gpxtpx:TrackPointExtension></extensions>"
            if hr
            else ""
        )
        points.append(
            f'<trkpt lat="{52 + second / 100000:.6f}" lon="13.4"><time>{at}</time>{ext}</trkpt>'
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>Morning</name><type>{kind}</type><trkseg>{''.join(points)}</trkseg></trk></gpx>"
    )
    return path


def tcx_file(path: Path, *, sport: str = "Running", hr: int = 150) -> Path:
    points = "".join(
        f"<Trackpoint><Time>{(START + timedelta(seconds=s)).strftime('%Y-%m-%dT%H:%M:%SZ')}</Time>"
        f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm></Trackpoint>"
        for s in range(0, 1801, 10)
    )
    path.write_text(
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>2026-11-20T06:30:00Z</Id>'
        '<Lap StartTime="2026-11-20T06:30:00Z"><TotalTimeSeconds>1800</TotalTimeSeconds>'
        "<DistanceMeters>5400</DistanceMeters>"
        f"<AverageHeartRateBpm><Value>{hr}</Value></AverageHeartRateBpm>"
        f"<MaximumHeartRateBpm><Value>{hr + 8}</Value></MaximumHeartRateBpm>"
        f"<Track>{points}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
    )
    return path


STRONG_HEADER = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
    "Notes,Workout Notes,RPE"
)


def strong_csv(path: Path, *, semicolon: bool = False, unit_column: bool = False) -> Path:
    rows = [
        ("2026-11-18 17:00:00", "Leg day", "1h 5m", "Squat (Barbell)", "W", "60", "8", "8"),
        ("2026-11-18 17:00:00", "Leg day", "1h 5m", "Squat (Barbell)", "1", "140", "3", "8"),
        ("2026-11-18 17:00:00", "Leg day", "1h 5m", "Squat (Barbell)", "2", "140", "3", "9"),
        ("2026-11-18 17:00:00", "Leg day", "1h 5m", "Romanian Deadlift", "1", "100", "5", "8"),
        ("2026-11-19 12:00:00", "Push", "45m", "Bench Press (Barbell)", "1", "80", "5", "9"),
        ("2026-11-19 12:00:00", "Push", "45m", "Hanging Leg Raise", "1", "0", "12", ""),
        ("2026-11-21 09:00:00", "Jumps", "30m", "Box Jump", "1", "0", "5", ""),
        ("2026-11-21 09:00:00", "Jumps", "30m", "Jump Squat", "1", "0", "8", ""),
    ]
    sep = ";" if semicolon else ","
    header = STRONG_HEADER
    if unit_column:
        header = header.replace("Weight,", "Weight,Weight Unit,")
    lines = [header.replace(",", sep)]
    for date, name, duration, exercise, order, weight, reps, rpe in rows:
        cells = [date, name, duration, exercise, order, weight]
        if unit_column:
            cells.append("kg")
        cells += [reps, "", "", "", "", rpe]
        lines.append(sep.join(f'"{c}"' for c in cells))
    path.write_text("\n".join(lines) + "\n")
    return path


def hevy_csv(path: Path, *, unit: str = "weight_kg") -> Path:
    header = (
        f"title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,"
        f"set_index,set_type,{unit},reps,distance_km,duration_seconds,rpe"
    )
    rows = [
        (
            "Legs A",
            "17 Nov 2026, 18:00",
            "17 Nov 2026, 19:10",
            "Leg Press",
            "0",
            "warmup",
            "100",
            "12",
            "",
        ),
        (
            "Legs A",
            "17 Nov 2026, 18:00",
            "17 Nov 2026, 19:10",
            "Leg Press",
            "1",
            "normal",
            "200",
            "10",
            "7",
        ),
        (
            "Legs A",
            "17 Nov 2026, 18:00",
            "17 Nov 2026, 19:10",
            "Bulgarian Split Squat",
            "2",
            "failure",
            "20",
            "12",
            "9",
        ),
        (
            "Legs A",
            "17 Nov 2026, 18:00",
            "17 Nov 2026, 19:10",
            "Lying Leg Curl",
            "3",
            "dropset",
            "40",
            "15",
            "8",
        ),
        (
            "Pull",
            "19 Nov 2026, 18:00",
            "19 Nov 2026, 19:00",
            "Lat Pulldown",
            "0",
            "normal",
            "60",
            "10",
            "8",
        ),
    ]
    lines = [header]
    for title, start, end, exercise, index, kind, weight, reps, rpe in rows:
        lines.append(
            ",".join(
                f'"{c}"'
                for c in (
                    title,
                    start,
                    end,
                    "",
                    exercise,
                    "",
                    "",
                    index,
                    kind,
                    weight,
                    reps,
                    "",
                    "",
                    rpe,
                )
            )
        )
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal.open(db_path, FakeClock(NOW))
    j.save_profile(Profile(max_hr=190))
    return j


def import_ok(journal: Journal, *paths: Path) -> tuple[ImportRun, list[Any]]:
    run = journal.import_paths(list(paths))
    return run, list(journal.records())


# --- runs from watch files --------------------------------------------------------------


def test_a_fit_run_with_heart_rate_is_typed_from_its_zones(
    journal: Journal, tmp_path: Path
) -> None:
    run, records = import_ok(
        journal, fit_file(tmp_path / "a.fit", [("running", "trail", 1800)], hr=145)
    )
    (saved,) = records
    assert isinstance(saved, RunLog) and saved.source == "fit"
    assert saved.started_at == START and saved.at == START + timedelta(seconds=1800)
    assert saved.minutes == 30  # timer time, 1780 s
    assert saved.distance_m == 5400 and (saved.avg_hr, saved.max_hr) == (145, 155)
    assert saved.run_type == RunType.EASY  # 145 / 190 = 76 % of max: the easy cap is 79 %
    assert saved.sport == "trail running"
    assert import_line(run, run.files[0]) == "imported 1 run"


@pytest.mark.parametrize(
    ("hr", "expected"),
    [(120, RunType.RECOVERY), (160, RunType.STEADY), (180, RunType.QUALITY)],
)
def test_heart_rate_zones_pick_the_rung(
    journal: Journal, tmp_path: Path, hr: int, expected: Any
) -> None:
    _, (saved,) = import_ok(journal, fit_file(tmp_path / "a.fit", hr=hr))
    assert saved.run_type == expected


def test_zone_caps_are_the_coachs_own() -> None:
    from legcoach.coach import RUNG_PLANS

    for cap, run_type in HR_CAPS:
        assert RUNG_PLANS[run_type].max_hr_pct == cap


def test_a_run_without_heart_rate_has_unknown_intensity(journal: Journal, tmp_path: Path) -> None:
    _, (saved,) = import_ok(journal, fit_file(tmp_path / "a.fit", hr=None))
    assert saved.run_type is None and "unknown intensity" in saved.summary()
    listing = cli("history", "--db", str(journal.path)).stdout
    assert "run of unknown intensity" in listing


def test_without_a_max_heart_rate_the_intensity_is_unknown(db_path: Path, tmp_path: Path) -> None:
    journal = Journal.open(db_path, FakeClock(NOW))
    _, (saved,) = import_ok(journal, fit_file(tmp_path / "a.fit", hr=150))
    assert saved.run_type is None and saved.avg_hr == 150


def test_walks_count_and_rides_are_skipped_with_their_sport(
    journal: Journal, tmp_path: Path
) -> None:
    walk = fit_file(tmp_path / "walk.fit", [("walking", None, 2400)])
    ride = fit_file(
        tmp_path / "ride.fit", [("cycling", "road", 3600)], start=START + timedelta(days=1)
    )
    run, records = import_ok(journal, walk, ride)
    (saved,) = records
    assert saved.run_type == RunType.WALK
    lines = [import_line(run, f) for f in run.files]
    assert lines == ["imported 1 walk", "skipped: road cycling"]


def test_a_multisport_file_gives_its_run_and_skips_the_rest(
    journal: Journal, tmp_path: Path
) -> None:
    path = fit_file(
        tmp_path / "tri.fit",
        [("swimming", None, 900), ("cycling", None, 2400), ("running", None, 1500)],
    )
    run, records = import_ok(journal, path)
    assert [r.minutes for r in records] == [25]
    assert import_line(run, run.files[0]) == "imported 1 run; skipped: swimming; skipped: cycling"


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"", "empty.fit", "empty"),
        (b"this is not a fit file at all", "bad.fit", "not a FIT file (bad header)"),
        (None, "truncated.fit", "truncated"),
        (b"\x00\x01garbage", "mystery.bin", "not a file legcoach can read"),
        (b"\x1f\x8bnot really gzip", "broken.fit.gz", "damaged gzip"),
    ],
)
def test_bad_files_get_one_line_and_never_stop_the_others(
    journal: Journal, tmp_path: Path, content: bytes, name: str, error: str
) -> None:
    bad = tmp_path / name
    if content is None:
        whole = fit_file(tmp_path / "whole.fit").read_bytes()
        (tmp_path / "whole.fit").unlink()
        content = whole[:200]
    bad.write_bytes(content)
    good = fit_file(tmp_path / "good.fit", start=START + timedelta(days=2))
    run, records = import_ok(journal, bad, good)
    assert len(records) == 1
    assert run.files[0].error is not None and error in run.files[0].error
    assert run.unreadable == 1


def test_gzip_versions_and_a_folder_with_a_mix(journal: Journal, tmp_path: Path) -> None:
    folder = tmp_path / "export" / "activities"
    folder.mkdir(parents=True)
    raw = fit_file(tmp_path / "x.fit").read_bytes()
    (folder / "1.fit.gz").write_bytes(gzip.compress(raw))
    gpx = gpx_file(tmp_path / "y.gpx", hr=150, start=START + timedelta(hours=3))
    (folder / "2.gpx.gz").write_bytes(gzip.compress(gpx.read_bytes()))
    tcx_file(folder / "nested.tcx")  # the FIT's run from another device: the same session
    hevy_csv(tmp_path / "export" / "workouts.csv")
    (tmp_path / "export" / "readme.txt").write_text("hello")
    run, records = import_ok(journal, tmp_path / "export")
    kinds = sorted(f.kind or "?" for f in run.files)
    assert kinds == ["?", "fit", "gpx", "hevy", "tcx"]
    assert len([r for r in records if isinstance(r, RunLog)]) == 2
    assert len(run.merged) == 1
    assert len([r for r in records if isinstance(r, LegSession)]) == 1


def test_gpx_heart_rate_from_the_track_point_extension(journal: Journal, tmp_path: Path) -> None:
    _, (saved,) = import_ok(journal, gpx_file(tmp_path / "a.gpx", hr=160))
    assert saved.source == "gpx" and saved.avg_hr == 160
    assert saved.run_type == RunType.STEADY  # 160 / 190 = 84 %: above easy (79), within steady (87)
    assert saved.distance_m and saved.distance_m > 0


def test_a_gpx_walk_and_a_gpx_with_no_heart_rate(journal: Journal, tmp_path: Path) -> None:
    _, records = import_ok(
        journal,
        gpx_file(tmp_path / "walk.gpx", kind="hiking", hr=None),
    )
    assert records[0].run_type == RunType.WALK


def test_an_xml_bomb_is_refused_without_expanding(journal: Journal, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.gpx"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{"&lol%s;" % ("" if i == 1 else i - 1) * 10}">' for i in range(1, 10)
        )
        + ']><gpx version="1.1"><trk><name>&lol9;</name></trk></gpx>'
    )
    external = tmp_path / "xxe.tcx"
    external.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<TrainingCenterDatabase>&xxe;</TrainingCenterDatabase>"
    )
    run, records = import_ok(journal, bomb, external)
    assert records == []
    assert all("DTD" in (f.error or "") for f in run.files)


def test_tcx_running_and_biking(journal: Journal, tmp_path: Path) -> None:
    run, records = import_ok(
        journal, tcx_file(tmp_path / "a.tcx", hr=140), tcx_file(tmp_path / "b.tcx", sport="Biking")
    )
    (saved,) = records
    assert saved.source == "tcx" and saved.run_type == RunType.EASY and saved.max_hr == 148
    assert import_line(run, run.files[1]) == "skipped: Biking"


# --- leg days from lifting apps ----------------------------------------------------------


@pytest.mark.parametrize(
    ("semicolon", "unit_column"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_strong_exports_in_every_variant(
    journal: Journal, tmp_path: Path, semicolon: bool, unit_column: bool
) -> None:
    run, records = import_ok(
        journal, strong_csv(tmp_path / "s.csv", semicolon=semicolon, unit_column=unit_column)
    )
    legs = sorted((r for r in records if isinstance(r, LegSession)), key=lambda r: r.when)
    assert len(legs) == 2
    heavy, jumps = legs
    assert heavy.kind == LegKind.HEAVY_STRENGTH and heavy.rpe == 8  # warm-up set not counted
    assert heavy.minutes == 65
    local = datetime(2026, 11, 18, 17, 0).astimezone()
    assert heavy.ended_at == local + timedelta(minutes=65)
    assert jumps.kind == LegKind.PLYOMETRIC and jumps.rpe is None  # effort unknown
    assert import_line(run, run.files[0]) == "imported 2 leg sessions; skipped: no leg exercises"


@pytest.mark.parametrize("unit", ["weight_kg", "weight_lbs"])
def test_hevy_exports(journal: Journal, tmp_path: Path, unit: str) -> None:
    run, records = import_ok(journal, hevy_csv(tmp_path / "h.csv", unit=unit))
    (legs,) = records
    assert isinstance(legs, LegSession) and legs.source == "hevy"
    assert legs.kind == LegKind.VOLUME and legs.rpe == 8  # (7 + 9 + 8) / 3; warm-up left out
    assert legs.minutes == 70
    assert import_line(run, run.files[0]) == "imported 1 leg session; skipped: no leg exercises"


@pytest.mark.parametrize(
    ("name", "legs"),
    [
        ("Squat (Barbell)", True),
        ("Bulgarian Split Squat", True),
        ("Romanian Deadlift (Dumbbell)", True),
        ("Hip Thrust", True),
        ("Seated Calf Raise", True),
        ("Box Jump", True),
        ("Leg Extension (Machine)", True),
        ("Step-up", True),
        ("Bench Press (Barbell)", False),
        ("Hanging Leg Raise", False),
        ("Bicep Curl", False),
        ("Jump Rope", False),
        ("Lat Pulldown", False),
    ],
)
def test_the_leg_exercise_list(name: str, legs: bool) -> None:
    assert is_leg_exercise(name) is legs


# --- idempotent and honest ---------------------------------------------------------------


def test_importing_again_or_a_newer_overlapping_export_adds_nothing_twice(
    journal: Journal, tmp_path: Path
) -> None:
    older = strong_csv(tmp_path / "old.csv")
    assert journal.import_paths([older]).report.added == 2
    assert journal.import_paths([older]).report.added == 0
    newer = tmp_path / "new.csv"
    newer.write_text(
        older.read_text()
        + '"2026-11-23 17:00:00","Leg day 2","50m","Lunge","1","20","10","","","","","7"\n'
    )
    again = journal.import_paths([newer])
    assert again.report.added == 1 and again.report.unchanged == 2
    assert import_line(again, again.files[0]).startswith(
        "imported 1 leg session; 2 leg sessions already saved"
    )


def test_a_record_edited_in_legcoach_is_never_overwritten(
    journal: Journal, tmp_path: Path, db_path: Path
) -> None:
    path = fit_file(tmp_path / "a.fit")
    journal.import_paths([path])
    (saved,) = journal.records()
    edited = saved.model_copy(update={"note": "felt great", "rpe": 3})
    Store(db_path).commit(add=[edited], remove=[saved])
    for prefer in (False, True):
        report = journal.import_paths([path], prefer_import=prefer).report
        assert report.conflicts == [str(saved.id)]
    (kept,) = Store(db_path).records(RunLog)
    assert kept.note == "felt great"


def test_dry_run_changes_nothing_and_says_what_it_would_do(db_path: Path, tmp_path: Path) -> None:
    path = fit_file(tmp_path / "a.fit")
    done = cli("import", str(path), "--dry-run")
    assert "would import 1 run" in done.stdout and "Would import 1 new" in done.stdout
    assert json.loads(cli("history", "--json").stdout) == []


def test_the_command_line_output_and_exit_status(db_path: Path, tmp_path: Path) -> None:
    good = fit_file(tmp_path / "good.fit")
    ride = fit_file(
        tmp_path / "ride.fit", [("cycling", None, 600)], start=START + timedelta(days=1)
    )
    done = cli("import", str(good), str(ride))
    assert f"{good}: imported 1 run" in done.stdout and f"{ride}: skipped: cycling" in done.stdout
    assert "Imported 1 new record from 2 files" in done.stdout and done.returncode == 0
    (tmp_path / "bad.fit").write_bytes(b"nope")
    failed = cli("import", str(tmp_path / "bad.fit"), str(good), check=False)
    assert failed.returncode == 1 and "bad.fit: error: not a FIT file (bad header)" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert cli("import", check=False).returncode == 2


def test_imported_runs_show_their_source_and_feed_the_coach(db_path: Path, tmp_path: Path) -> None:
    clock = FakeClock(START + timedelta(hours=20))
    journal = Journal.open(db_path, clock)
    journal.save_profile(Profile(max_hr=190))
    journal.log_legs(LegSession(ended_at=START - timedelta(hours=10), rpe=9))
    journal.import_paths([fit_file(tmp_path / "hard.fit", hr=182)])  # quality, 10 h after legs
    (run,) = [r for r in journal.records(["run"])]
    assert isinstance(run, RunLog)
    assert run.run_type == RunType.QUALITY and run.origin == "imported from a FIT file"
    plan = journal.today().plan
    assert any("quality run" in r.answer and "imported" in r.answer for r in plan.reasons)
    weeks = journal.weeks(2)
    notes = [note for week in weeks for note in week.notes]
    assert any(
        "imported from a FIT file" in note and "10 h after hard legs" in note for note in notes
    )


def test_parsers_are_not_imported_by_status(db_path: Path) -> None:
    cli("log-legs", "--rpe", "5")
    code = (
        "import sys; from legcoach.cli import main; main(['status']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('garmin_fit_sdk', 'gpxpy', 'defusedxml', 'legcoach') and "
        "(m.startswith('legcoach.importers') or not m.startswith('legcoach'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_a_direct_read_reports_the_kind(tmp_path: Path) -> None:
    result = read(fit_file(tmp_path / "renamed.txt"), 190)  # recognised by content
    assert result.kind == "fit" and len(result.records) == 1


def test_a_bulk_export_folder_skips_what_is_not_an_activity(
    journal: Journal, tmp_path: Path
) -> None:
    """Garmin and Strava bulk exports hold monitoring FIT files, pictures and summaries of
    their own: skipped with a reason, not errors, so the import reads as a success."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.profile_type import FileType, Manufacturer

    folder = tmp_path / "bulk"
    folder.mkdir()
    fit_file(folder / "run.fit")
    builder = FitFileBuilder(auto_define=True)
    file_id = FileIdMessage()
    file_id.type = FileType.MONITORING_B
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = 1
    file_id.time_created = round(START.timestamp() * 1000)
    builder.add(file_id)
    (folder / "monitor.fit").write_bytes(builder.build().to_bytes())
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not text")
    (folder / "summary.json").write_text('{"activities": []}')
    run, records = import_ok(journal, folder)
    assert len(records) == 1 and run.unreadable == 0
    lines = {f.path.name: import_line(run, f) for f in run.files}
    assert lines["monitor.fit"].startswith("skipped: not an activity file")
    assert lines["photo.jpg"] == "skipped: not a file legcoach reads"
    assert lines["summary.json"] == "skipped: not a file legcoach reads"
    # Named on the command line, an unknown file is an error.
    assert journal.import_paths([folder / "photo.jpg"]).unreadable == 1


def test_stravas_numeric_gpx_types_read_the_tracks_name(journal: Journal, tmp_path: Path) -> None:
    ride = gpx_file(tmp_path / "ride.gpx", kind="1")
    ride.write_text(ride.read_text().replace("<name>Morning</name>", "<name>Lunch Ride</name>"))
    run = gpx_file(tmp_path / "run.gpx", kind="9", start=START + timedelta(days=1))
    result, records = import_ok(journal, ride, run)
    assert len(records) == 1 and import_line(result, result.files[0]) == "skipped: cycling"
