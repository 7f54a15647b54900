"""Files as real devices and apps write them (issue 23): the classes that were read
wrong, each with a fixture written by fit-tool or the standard library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from legcoach.importers import read
from legcoach.journal import Journal
from legcoach.models import LegKind, LegSession, Profile, RunLog
from legcoach.storage.store import Store
from tests.conftest import NOW, FakeClock
from tests.test_import_files import START, fit_builder, fit_file, fit_ms, gpx_file

GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx version="1.1" creator="RunKeeper" xmlns="http://www.topografix.com/GPX/1/1">'
)


def track(minutes: int, *, kmh: float, ele_wobble: float = 0.0, hr: int | None = None) -> str:
    """Points every 10 s north along a meridian at `kmh` (1 degree of latitude: 111.2 km)."""
    points = []
    for second in range(0, minutes * 60 + 1, 10):
        at = (START + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lat = 52 + kmh * second / 3600 / 111.2
        ele = 100 + (ele_wobble if (second // 10) % 2 else 0)
        extra = f"<extensions><hr>{hr}</hr></extensions>" if hr else ""
        points.append(
            f'<trkpt lat="{lat:.7f}" lon="13.4"><ele>{ele}</ele><time>{at}</time>{extra}</trkpt>'
        )
    return "".join(points)


@pytest.fixture
def journal(db_path: Path) -> Journal:
    j = Journal.open(db_path, FakeClock(NOW))
    j.save_profile(Profile(max_hr=190))
    return j


@pytest.mark.parametrize(
    "name", ["Cycling 10/2/17", "Radfahren am Abend", "Sortie vélo", "Lunch Ride"]
)
def test_a_ride_named_in_any_language_is_no_run(tmp_path: Path, name: str) -> None:
    path = tmp_path / "rk.gpx"
    path.write_text(
        f"{GPX_HEAD}<trk><name>{name}</name><trkseg>{track(56, kmh=24)}</trkseg></trk></gpx>"
    )
    result = read(path, 190)
    assert result.records == [] and result.skipped == ["skipped: cycling"]


def test_a_gpx_with_no_sport_at_a_runs_pace_is_a_run_and_at_a_rides_is_not(
    tmp_path: Path,
) -> None:
    run = tmp_path / "run.gpx"
    run.write_text(
        f"{GPX_HEAD}<trk><name>Tuesday</name><trkseg>{track(40, kmh=11)}</trkseg></trk></gpx>"
    )
    (record,) = read(run, 190).records
    assert isinstance(record, RunLog) and record.minutes == 40
    fast = tmp_path / "fast.gpx"
    fast.write_text(
        f"{GPX_HEAD}<trk><name>Tuesday</name><trkseg>{track(40, kmh=27)}</trkseg></trk></gpx>"
    )
    result = read(fast, 190)
    assert result.records == [] and "not a run's pace" in result.skipped[0]


def test_fit_generic_is_judged_by_what_it_holds(tmp_path: Path) -> None:
    # A fenix 2 mountain outing: generic, 2 h 35 at 3.5 km/h.
    hike = fit_file(tmp_path / "hike.fit", [("generic", None, 9300)], speed=3.5 / 3.6)
    result = read(hike, 190)
    assert result.records == [] and "3.5 km/h, not a run's pace" in result.skipped[0]
    # An "Other" profile heart-rate recording: one minute, no distance.
    other = fit_file(tmp_path / "other.fit", [("generic", None, 80)], speed=0)
    result = read(other, 190)
    assert result.records == [] and "without a distance" in result.skipped[0]
    # Generic at a run's pace is a run.
    jog = fit_file(tmp_path / "jog.fit", [("generic", None, 1800)], speed=2.9)
    (record,) = read(jog, 190).records
    assert isinstance(record, RunLog)


def test_a_watch_strength_session_is_named_once(tmp_path: Path) -> None:
    path = fit_file(tmp_path / "gym.fit", [("training", "strength_training", 1800)], speed=0)
    assert read(path, 190).skipped == ["skipped: strength training"]


def test_a_multisport_tcx_gives_its_run(tmp_path: Path) -> None:
    def activity(sport: str, start: datetime, seconds: int, meters: int) -> str:
        stamp = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f'<Activity Sport="{sport}"><Id>{stamp}</Id><Lap StartTime="{stamp}">'
            f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds>"
            f"<DistanceMeters>{meters}</DistanceMeters></Lap></Activity>"
        )

    bike = activity("Biking", START, 3600, 30000)
    run = activity("Running", START + timedelta(hours=1, minutes=2), 1800, 6000)
    bike2 = activity("Biking", START + timedelta(hours=2), 1800, 15000)
    path = tmp_path / "fr305.tcx"
    path.write_text(
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
        f"<MultiSportSession><Id>2026-11-20T06:30:00Z</Id><FirstSport>{bike}</FirstSport>"
        f"<NextSport>{run}</NextSport><NextSport>{bike2}</NextSport></MultiSportSession>"
        "</Activities></TrainingCenterDatabase>"
    )
    result = read(path, 190)
    (record,) = result.records
    assert isinstance(record, RunLog) and record.minutes == 30 and record.distance_m == 6000
    assert result.skipped == ["skipped: Biking", "skipped: Biking"]


def test_a_point_without_a_position_is_skipped_and_said(tmp_path: Path) -> None:
    path = gpx_file(tmp_path / "etrex.gpx", minutes=38)
    text = path.read_text().replace(
        "<trkseg>", "<trkseg><trkpt><time>2026-11-20T06:29:00Z</time></trkpt>", 1
    )
    path.write_text(text)
    result = read(path, 190)
    assert result.error is None
    (record,) = result.records
    assert isinstance(record, RunLog) and record.minutes == 38
    assert "skipped 1 track point without a position" in result.skipped


def test_records_past_the_summary_are_trusted(tmp_path: Path) -> None:
    # A summary written 15 min before the last lap ended (a Suunto Ambit3).
    path = fit_file(tmp_path / "ambit.fit", [("running", None, 4920)], summary_short_by=900)
    (record,) = read(path, 190).records
    assert isinstance(record, RunLog)
    assert record.at == START + timedelta(seconds=4920)
    assert record.distance_m == pytest.approx(4920 * 3.0, abs=1)


def test_device_relative_times_are_refused_as_undated(tmp_path: Path) -> None:
    power_on = datetime(1989, 12, 31, tzinfo=UTC) + timedelta(seconds=4000)
    path = fit_file(tmp_path / "fr70.fit", start=power_on)
    result = read(path, 190)
    assert result.records == [] and "power-on" in (result.error or "")


def test_gpx_1_0_heart_rate_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sportractive.gpx"
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.0" creator="Sportractive" '
        'xmlns="http://www.topografix.com/GPX/1/0"><trk><name>Run</name><trkseg>'
        f"{track(20, kmh=10, hr=142)}</trkseg></trk></gpx>"
    )
    (record,) = read(path, 190).records
    assert isinstance(record, RunLog) and record.avg_hr == 142


def test_noisy_altitude_adds_no_distance(tmp_path: Path) -> None:
    path = tmp_path / "noisy.gpx"
    path.write_text(
        f"{GPX_HEAD}<trk><name>Run</name><type>running</type><trkseg>"
        f"{track(60, kmh=10, ele_wobble=8)}</trkseg></trk></gpx>"
    )
    (record,) = read(path, 190).records
    assert isinstance(record, RunLog)
    assert record.distance_m == pytest.approx(10_000, rel=0.01)


HEVY_US = (
    '"title","start_time","end_time","description","exercise_title","superset_id",'
    '"exercise_notes","set_index","set_type","weight_lbs","reps","distance_miles",'
    '"duration_seconds","rpe"\n'
    '"Legs","Jun 2, 2025, 6:15 PM","Jun 2, 2025, 7:20 PM","","Squat (Barbell)","","","0",'
    '"normal","225","5","","","8"\n'
    '"Legs","Jun 2, 2025, 6:15 PM","Jun 2, 2025, 7:20 PM","","Squat (Barbell)","","","1",'
    '"normal","225","5","","","9"\n'
)


def test_hevy_exports_with_us_dates(tmp_path: Path) -> None:
    path = tmp_path / "hevy.csv"
    path.write_text(HEVY_US)
    (session,) = read(path, 190).records
    assert isinstance(session, LegSession)
    assert session.ended_at.replace(tzinfo=None) == datetime(2025, 6, 2, 19, 20)
    assert session.minutes == 65 and session.kind == LegKind.HEAVY_STRENGTH


def test_fitnotes_csv_names_legs_by_its_category(tmp_path: Path) -> None:
    path = tmp_path / "FitNotes_Export.csv"
    path.write_text(
        "Date,Exercise,Category,Weight (kg),Reps,Distance,Distance Unit,Time\n"
        "2025-06-02,Barbell Squat,Legs,100.0,5,,,\n"
        "2025-06-02,Bulgarian Split Thing,Legs,20.0,10,,,\n"
        "2025-06-02,Flat Barbell Bench Press,Chest,80.0,8,,,\n"
        "2025-06-03,Flat Barbell Bench Press,Chest,80.0,8,,,\n"
    )
    result = read(path, 190)
    assert result.kind == "fitnotes"
    (session,) = result.records
    assert isinstance(session, LegSession) and session.source == "fitnotes"
    assert session.ended_at.date().isoformat() == "2025-06-02"
    assert result.skipped == ["skipped: no leg exercises"]


def test_a_folder_of_these_files_imports_without_an_error(journal: Journal, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "hevy.csv").write_text(HEVY_US)
    gpx_file(folder / "etrex.gpx", minutes=38)
    run = journal.import_paths([folder])
    assert run.unreadable == 0
    kinds = sorted(type(r).__name__ for r in journal.records())
    assert kinds == ["LegSession", "RunLog"]


def test_a_dry_run_of_a_legcoach_export_counts_each_kind(db_path: Path, tmp_path: Path) -> None:
    from legcoach.models import CheckIn, RunType, SorenessUpdate
    from tests.test_cli import cli

    journal = Journal.open(db_path, FakeClock(NOW))
    journal.save_profile(Profile(goal=None))
    records: list[object] = []
    for day in range(7):
        at = NOW - timedelta(days=day + 1)
        records.append(CheckIn(at=at, soreness=2))
        if day < 6:
            records.append(
                RunLog(at=at + timedelta(hours=1), run_type=RunType.EASY, minutes=30, rpe=4)
            )
        if day < 3:
            records.append(LegSession(ended_at=at + timedelta(hours=10), rpe=7))
    records.append(SorenessUpdate(at=NOW - timedelta(hours=2), soreness=3))
    journal._store.commit(records)  # type: ignore[arg-type]
    export = tmp_path / "all.json"
    journal.export_to(export)
    other = tmp_path / "other" / "legcoach.json"
    done = cli("import", str(export), "--dry-run", env={"LEGCOACH_DB": str(other)})
    assert "would import 6 runs, 3 leg sessions, 7 check-ins and 1 soreness update" in done.stdout
    assert "Would import 17 new records from 1 file " in done.stdout


def test_a_deleted_import_never_comes_back_with_the_same_folder(
    journal: Journal, tmp_path: Path
) -> None:
    from legcoach.cli.output import import_line

    folder = tmp_path / "watch"
    folder.mkdir()
    fit_file(folder / "a.fit")
    fit_file(folder / "b.fit", start=START + timedelta(days=1))
    journal.import_paths([folder])
    first = next(iter(sorted(journal.records(), key=lambda r: r.when)))
    journal.delete(str(first.id))
    again = journal.import_paths([folder], dry_run=True)
    assert again.report.deleted == 1 and again.report.added == 0
    lines = [import_line(again, f, dry_run=True) for f in again.files]
    assert "1 run you deleted, not imported again" in lines
    journal.import_paths([folder])
    assert len(list(journal.records())) == 1
    journal.restore(str(first.id))  # the trash still brings it back
    assert len(list(journal.records())) == 2


def test_the_same_run_from_two_watches_and_typed_is_one_session(
    journal: Journal, tmp_path: Path
) -> None:
    from legcoach.cli.output import import_line
    from legcoach.models import LegsFelt, RunType

    # Typed at 08:00 after an hour's quality run, with how it felt.
    typed = RunLog(
        at=START + timedelta(hours=1),
        run_type=RunType.QUALITY,
        minutes=60,
        rpe=8,
        legs_felt=LegsFelt.HEAVY,
        note="track 6x800",
    )
    journal.log_run(typed)
    # Two watches on the same run, starting a second apart, 61 and 60 min.
    fenix = fit_file(tmp_path / "fenix.fit", [("running", None, 3660)], start=START)
    forerunner = fit_file(
        tmp_path / "fr735.fit", [("running", None, 3600)], start=START + timedelta(seconds=1)
    )
    run = journal.import_paths([fenix, forerunner])
    (saved,) = [r for r in journal.records() if isinstance(r, RunLog)]
    assert saved.id == typed.id  # the typed record, with what the devices measured
    assert (saved.rpe, saved.legs_felt, saved.note) == (8, LegsFelt.HEAVY, "track 6x800")
    assert saved.run_type == RunType.QUALITY
    assert saved.started_at == START and saved.distance_m and saved.avg_hr == 150
    lines = [import_line(run, f) for f in run.files]
    assert all("(the same session)" in line for line in lines), lines
    # Importing the files again adds nothing.
    again = journal.import_paths([fenix, forerunner])
    assert again.report.added == 0
    assert len([r for r in journal.records() if isinstance(r, RunLog)]) == 1


def test_runs_that_do_not_overlap_stay_two(journal: Journal, tmp_path: Path) -> None:
    morning = fit_file(tmp_path / "am.fit", [("running", None, 1800)], start=START)
    evening = fit_file(
        tmp_path / "pm.fit", [("running", None, 1800)], start=START + timedelta(hours=9)
    )
    journal.import_paths([morning, evening])
    assert len([r for r in journal.records() if isinstance(r, RunLog)]) == 2


def strength_fit(path: Path, categories: list[str], reps: int = 5) -> Path:
    """A watch's strength activity (training / strength_training) with one set per
    category, written with fit-tool."""
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.messages.set_message import SetMessage
    from fit_tool.profile.profile_type import ExerciseCategory, SetType, Sport, SubSport

    ms = fit_ms
    builder = fit_builder(START, serial=1)
    at = START
    for category in categories:
        work = SetMessage()
        work.start_time = ms(at)
        work.timestamp = ms(at + timedelta(seconds=60))
        work.duration = 60
        work.repetitions = reps
        work.weight = 100
        work.set_type = SetType.ACTIVE
        work.category = [ExerciseCategory[category.upper()].value]
        builder.add(work)
        rest = SetMessage()
        rest.start_time = ms(at + timedelta(seconds=60))
        rest.timestamp = ms(at + timedelta(seconds=180))
        rest.set_type = SetType.REST
        builder.add(rest)
        at += timedelta(minutes=3)
    session = SessionMessage()
    session.start_time = ms(START)
    session.timestamp = ms(at)
    session.total_elapsed_time = (at - START).total_seconds()
    session.total_timer_time = (at - START).total_seconds()
    session.sport = Sport.TRAINING
    session.sub_sport = SubSport.STRENGTH_TRAINING
    builder.add(session)
    activity = ActivityMessage()
    activity.timestamp = ms(at)
    activity.num_sessions = 1
    builder.add(activity)
    path.write_bytes(builder.build().to_bytes())
    return path


def test_a_watch_strength_session_with_leg_sets_is_a_leg_session(tmp_path: Path) -> None:
    heavy = strength_fit(tmp_path / "legs.fit", ["squat"] * 4 + ["lunge"] * 2 + ["deadlift"] * 2)
    result = read(heavy, 190)
    (session,) = result.records
    assert isinstance(session, LegSession) and session.source == "fit"
    assert session.kind == LegKind.HEAVY_STRENGTH
    assert session.ended_at == START + timedelta(minutes=24)
    jumps = strength_fit(tmp_path / "jumps.fit", ["plyo"] * 3 + ["squat"] * 3, reps=10)
    (session,) = read(jumps, 190).records
    assert isinstance(session, LegSession) and session.kind == LegKind.PLYOMETRIC
    upper = strength_fit(tmp_path / "upper.fit", ["bench_press"] * 4)
    assert read(upper, 190).skipped == ["skipped: strength training"]


def test_the_watch_session_and_hevy_are_one_leg_session(journal: Journal, tmp_path: Path) -> None:
    watch = strength_fit(tmp_path / "legs.fit", ["squat"] * 8)
    hevy = tmp_path / "hevy.csv"
    start = START.astimezone().strftime("%d %b %Y, %H:%M")
    end = (START + timedelta(minutes=25)).astimezone().strftime("%d %b %Y, %H:%M")
    hevy.write_text(
        '"title","start_time","end_time","description","exercise_title","superset_id",'
        '"exercise_notes","set_index","set_type","weight_kg","reps","distance_km",'
        '"duration_seconds","rpe"\n'
        f'"Legs","{start}","{end}","","Squat (Barbell)","","","0","normal","100","5","","","8"\n'
    )
    journal.import_paths([hevy, watch])
    sessions = [r for r in journal.records() if isinstance(r, LegSession)]
    assert len(sessions) == 1 and sessions[0].source == "hevy" and sessions[0].rpe == 8


def garmin_export(tmp_path: Path) -> Path:
    """A Garmin Connect export as downloaded: FIT files in a nested zip, the strength
    summary, and the rest of what such an export holds."""
    import io
    import json
    import zipfile

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as part:
        part.writestr("jane_123.fit", fit_file(tmp_path / "a.fit").read_bytes())
        part.writestr(
            "jane_124.fit",
            fit_file(tmp_path / "b.fit", start=START + timedelta(days=1)).read_bytes(),
        )
    gmt = round((START + timedelta(days=2)).timestamp() * 1000)
    summary = [
        {
            "summarizedActivitiesExport": [
                {
                    "activityId": 1,
                    "name": "Leg day",
                    "activityType": "strength_training",
                    "startTimeGmt": gmt,
                    "duration": 45 * 60 * 1000,
                    "summarizedExerciseSets": [
                        {"category": "SQUAT", "sets": 4, "reps": 32, "maxWeight": 100000},
                        {"category": "LUNGE", "sets": 3, "reps": 30},
                    ],
                },
                {
                    "activityId": 2,
                    "name": "Push",
                    "activityType": {"typeKey": "strength_training"},
                    "startTimeGmt": gmt + 86_400_000,
                    "duration": 30 * 60 * 1000,
                    "summarizedExerciseSets": [{"category": "BENCH_PRESS", "sets": 4, "reps": 32}],
                },
                {"activityId": 3, "activityType": "running", "startTimeGmt": gmt},
            ]
        }
    ]
    outer = tmp_path / "export.zip"
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as export:
        export.writestr(
            "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip", inner.getvalue()
        )
        export.writestr(
            "DI_CONNECT/DI-Connect-Fitness/jane_0_summarizedActivities.json", json.dumps(summary)
        )
        export.writestr("DI_CONNECT/DI-Connect-User/user_profile.json", '{"userName": "jane"}')
        export.writestr(
            "../../outside.fit",
            fit_file(tmp_path / "c.fit", start=START + timedelta(days=5)).read_bytes(),
        )
        export.writestr("bomb.bin", b"\0" * (20 * 1024 * 1024))
    return outer


def test_a_garmin_connect_export_zip_is_read_as_downloaded(
    journal: Journal, tmp_path: Path
) -> None:
    from legcoach.cli.output import import_line

    export = garmin_export(tmp_path)

    def files_outside_the_database() -> set[Path]:
        data = journal.path.parent
        return {p for p in tmp_path.parent.rglob("*") if data not in p.parents and p != data}

    before = files_outside_the_database()
    run = journal.import_paths([export])
    assert run.unreadable == 0
    records = list(journal.records())
    runs = [r for r in records if isinstance(r, RunLog)]
    legs = [r for r in records if isinstance(r, LegSession)]
    assert len(runs) == 3  # two from the nested zip, one whose name tries to climb out
    (leg_day,) = legs
    assert leg_day.source == "garmin" and leg_day.minutes == 45
    assert leg_day.kind == LegKind.VOLUME
    lines = {str(f.path).split("!")[-1]: import_line(run, f) for f in run.files}
    assert lines["bomb.bin"] == "skipped: refused: inflates like a zip bomb"
    assert (
        "skipped: no leg exercises"
        in lines["DI_CONNECT/DI-Connect-Fitness/jane_0_summarizedActivities.json"]
    )
    # Nothing was extracted anywhere, least of all outside the folder.
    assert files_outside_the_database() == before
    assert not (tmp_path.parent / "outside.fit").exists()


def test_a_damaged_zip_is_one_line(journal: Journal, tmp_path: Path) -> None:
    broken = tmp_path / "export.zip"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    run = journal.import_paths([broken])
    assert run.unreadable == 1 and "zip" in (run.files[0].error or "")


# --- Hostile files (issue 28): named, bounded, and never costing the other files -------


def test_a_deeply_nested_gpx_is_refused_and_the_good_file_beside_it_is_imported(
    journal: Journal, tmp_path: Path
) -> None:
    import time

    folder = tmp_path / "mixed"
    folder.mkdir()
    gpx_file(folder / "good.gpx")
    depth = 200_000
    (folder / "deep.gpx").write_text(
        f'{GPX_HEAD}<trk><trkseg><trkpt lat="1" lon="1"><extensions>'
        + "<a>" * depth
        + "</a>" * depth
        + "</extensions></trkpt></trkseg></trk></gpx>"
    )
    started = time.process_time()
    run = journal.import_paths([folder])
    assert time.process_time() - started < 30  # bounded: the parse is linear
    errors = {f.path.name: f.error for f in run.files}
    assert "nested deeper" in (errors["deep.gpx"] or "")
    assert len([r for r in journal.records() if isinstance(r, RunLog)]) == 1


@pytest.mark.parametrize(
    "payload",
    [
        "x" + "1" * 20_000,  # a quadratic pattern once took seconds on this
        "9" * 5_000 + "m",
        "1h" * 3_000,
    ],
)
def test_durations_refuse_what_no_person_types_at_once(payload: str) -> None:
    import time

    from legcoach.parsing import parse_ago, parse_amount, parse_duration, parse_when

    for parse in (
        parse_duration,
        lambda t: parse_amount(t, "h"),
        lambda t: parse_when(t, NOW),
        lambda t: parse_ago(t, NOW),
    ):
        started = time.process_time()
        with pytest.raises(ValueError, match="too long"):
            parse(payload)
        assert time.process_time() - started < 0.05


@pytest.mark.parametrize(
    ("cell", "field"),
    [
        ("99999999999999999999", "Duration (sec)"),
        ("1" * 20_000, "Duration (sec)"),
    ],
)
def test_a_bad_strong_value_skips_that_value_not_the_import(
    journal: Journal, tmp_path: Path, cell: str, field: str
) -> None:
    strong = tmp_path / "strong.csv"
    strong.write_text(
        f"Date,Workout Name,{field},Exercise Name,Set Order,Weight,Reps\n"
        f"2026-11-20 18:00:00,Legs,{cell},Squat (Barbell),1,100,5\n"
    )
    gpx_file(tmp_path / "run.gpx")
    run = journal.import_paths([strong, tmp_path / "run.gpx"])
    assert run.unreadable == 0
    (session,) = [r for r in journal.records() if isinstance(r, LegSession)]
    assert session.minutes is None  # the damaged duration is not used


def test_far_dates_and_huge_cells_are_one_files_problem(journal: Journal, tmp_path: Path) -> None:
    far = tmp_path / "far.csv"
    far.write_text(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps\n"
        "9999-12-31 23:59:00,Legs,1h,Squat (Barbell),1,100,5\n"
    )
    huge = tmp_path / "huge.csv"
    huge.write_text(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps\n"
        f'2026-11-20 18:00:00,"{"x" * 200_000}",1h,Squat,1,100,5\n'
    )
    tcx = tmp_path / "lap.tcx"
    tcx.write_text(
        '<?xml version="1.0"?><TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
        '<Activity Sport="Running"><Id>2026-11-20T06:30:00Z</Id>'
        '<Lap StartTime="2026-11-20T06:30:00Z"><TotalTimeSeconds>1e12</TotalTimeSeconds>'
        "</Lap></Activity></Activities></TrainingCenterDatabase>"
    )
    gpx_file(tmp_path / "run.gpx")
    run = journal.import_paths([far, huge, tcx, tmp_path / "run.gpx"])
    problems = {f.path.name: (f.error, f.skipped) for f in run.files}
    assert problems["huge.csv"][0] and "CSV" in problems["huge.csv"][0]
    assert "Traceback" not in str(problems)
    assert "Overflow" not in str(problems["lap.tcx"])  # range-checked where it is read
    assert any(isinstance(r, RunLog) and r.source == "gpx" for r in journal.records())


def test_restore_never_makes_two_records_with_one_id(journal: Journal, tmp_path: Path) -> None:
    from legcoach.journal.reads import NotFound

    saved = journal.log_legs(LegSession(ended_at=NOW - timedelta(days=2), rpe=7))
    journal.delete(str(saved.id))
    # Saved again meanwhile, moved to another year (another device's import).
    moved = saved.model_copy(update={"ended_at": NOW - timedelta(days=400)})
    journal._store.commit([moved])
    # In the history again, so no longer in the trash: nothing to restore.
    assert all(str(r.id) != str(saved.id) for _, r in journal._store.trash())
    with pytest.raises(NotFound, match="in the trash"):
        journal.restore(str(saved.id))
    ids = [str(r.id) for r in journal.records()]
    assert ids.count(str(saved.id)) == 1


def test_small_compressed_files_with_huge_work_are_refused_by_their_bound(
    journal: Journal, tmp_path: Path
) -> None:
    import gzip
    import time

    point = '<trkpt lat="52.0" lon="13.4"><time>2026-11-20T06:30:00Z</time></trkpt>'
    huge = GPX_HEAD + "<trk><trkseg>" + point * 300_000 + "</trkseg></trk></gpx>"
    (tmp_path / "huge.gpx.gz").write_bytes(gzip.compress(huge.encode()))
    rows = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps\n" + (
        "2026-11-20 18:00:00,Legs,1h,Squat,1,100,5\n" * 250_000
    )
    (tmp_path / "strong.csv").write_text(rows)
    gpx_file(tmp_path / "good.gpx")
    started = time.process_time()
    run = journal.import_paths([tmp_path])
    assert time.process_time() - started < 20
    errors = {f.path.name: f.error for f in run.files}
    assert "track points" in (errors["huge.gpx.gz"] or "")
    assert "rows" in (errors["strong.csv"] or "")
    assert any(isinstance(r, RunLog) for r in journal.records())


def test_imported_runs_get_an_effort_said_to_be_estimated(journal: Journal, tmp_path: Path) -> None:
    from legcoach.models import RunType

    # With heart rate and a max HR (the fixture's 150 of 190 is easy): the easy cap.
    (hr_run,) = [r for r in journal.import_paths([fit_file(tmp_path / "hr.fit")]).files[0].records]
    saved = next(r for r in journal.records() if isinstance(r, RunLog))
    assert saved.rpe == 4 and saved.estimated and "(estimated)" in saved.summary()
    # Without heart rate: the pace against the person's own easy pace (5:30 /km).
    for day in range(3):
        journal.log_run(
            RunLog(
                at=NOW - timedelta(days=10 + day),
                run_type=RunType.EASY,
                minutes=55,
                rpe=4,
                distance_m=10_000,
            )
        )
    fast = fit_file(tmp_path / "fast.fit", hr=None, start=START + timedelta(days=1), speed=3.6)
    journal.import_paths([fast])
    quick = next(
        r
        for r in journal.records()
        if isinstance(r, RunLog)
        and r.started_at
        and r.started_at.date() == (START + timedelta(days=1)).date()
    )
    assert quick.run_type == RunType.QUALITY and quick.rpe == 8 and quick.estimated
    del hr_run


def test_stravas_activities_csv_gives_leg_days_and_the_sport_a_file_lacks(
    journal: Journal, tmp_path: Path
) -> None:
    export = tmp_path / "strava"
    (export / "activities").mkdir(parents=True)
    (export / "activities" / "111.gpx").write_text(
        f"{GPX_HEAD}<trk><name>Tuesday</name><trkseg>{track(40, kmh=18)}</trkseg></trk></gpx>"
    )
    (export / "activities.csv").write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,"
        "Elapsed Time,Distance,Filename\n"
        '111,"Nov 20, 2026, 6:30:00 AM",Tuesday,Ride,,2400,12.0,activities/111.gpx\n'
        '222,"Nov 21, 2026, 5:00:00 PM",Leg day: squats and lunges,Weight Training,,3600,,\n'
        '333,"Nov 22, 2026, 5:00:00 PM",Push,Weight Training,bench and rows,2700,,\n'
    )
    run = journal.import_paths([export])
    assert run.unreadable == 0
    legs = [r for r in journal.records() if isinstance(r, LegSession)]
    assert len(legs) == 1 and legs[0].source == "strava" and legs[0].minutes == 60
    assert not [r for r in journal.records() if isinstance(r, RunLog)]  # the ride is no run
    skipped = [s for f in run.files for s in f.skipped]
    assert "skipped: Ride" in skipped
    assert "skipped: a strength session that does not say legs" in skipped


APPLE_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_GB">\n'
APPLE_WORKOUTS = (
    '<Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="45" '
    'durationUnit="min" totalDistance="8.2" totalDistanceUnit="km" sourceName="Watch" '
    'startDate="2026-11-20 06:30:00 +0100" endDate="2026-11-20 07:15:00 +0100">'
    '<WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" average="150" maximum="171" '
    'unit="count/min"/></Workout>\n'
    '<Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="30" '
    'durationUnit="min" totalDistance="2.5" totalDistanceUnit="km" '
    'startDate="2026-11-21 12:00:00 +0100" endDate="2026-11-21 12:30:00 +0100"/>\n'
    '<Workout workoutActivityType="HKWorkoutActivityTypeTraditionalStrengthTraining" '
    'duration="50" durationUnit="min" '
    'startDate="2026-11-21 18:00:00 +0100" endDate="2026-11-21 18:50:00 +0100">'
    '<MetadataEntry key="HKWorkoutBrandName" value="Leg day"/></Workout>\n'
    '<Workout workoutActivityType="HKWorkoutActivityTypeFunctionalStrengthTraining" '
    'duration="40" durationUnit="min" '
    'startDate="2026-11-22 18:00:00 +0100" endDate="2026-11-22 18:40:00 +0100"/>\n'
    '<Workout workoutActivityType="HKWorkoutActivityTypeCycling" duration="60" '
    'durationUnit="min" startDate="2026-11-23 18:00:00 +0100" '
    'endDate="2026-11-23 19:00:00 +0100"/>\n'
)
RECORD = (
    '<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" '
    'startDate="2026-11-20 06:31:00 +0100" endDate="2026-11-20 06:31:00 +0100" value="148"/>\n'
)
READINGS = (
    '<Record type="HKQuantityTypeIdentifierHeartRateVariabilitySDNN" unit="ms" '
    'startDate="2026-11-20 07:00:00 +0100" endDate="2026-11-20 07:01:00 +0100" value="50"/>\n'
    '<Record type="HKQuantityTypeIdentifierHeartRateVariabilitySDNN" unit="ms" '
    'startDate="2026-11-20 23:00:00 +0100" endDate="2026-11-20 23:01:00 +0100" value="60"/>\n'
    '<Record type="HKQuantityTypeIdentifierRestingHeartRate" unit="count/min" '
    'startDate="2026-11-20 00:00:00 +0100" endDate="2026-11-20 23:59:00 +0100" value="48"/>\n'
    '<Record type="HKQuantityTypeIdentifierRestingHeartRate" unit="count/min" '
    'startDate="2026-11-21 00:00:00 +0100" endDate="2026-11-21 23:59:00 +0100" value="900"/>\n'
)


def apple_export(path: Path, records: int) -> Path:
    with path.open("w") as out:
        out.write(APPLE_HEAD)
        for _ in range(records):
            out.write(RECORD)
        out.write(READINGS)
        out.write(APPLE_WORKOUTS)
        out.write("</HealthData>\n")
    return path


def test_apple_health_workouts_as_runs_walks_and_leg_days(journal: Journal, tmp_path: Path) -> None:
    import zipfile

    export = apple_export(tmp_path / "export.xml", 100)
    run = journal.import_paths([export])
    assert run.unreadable == 0
    runs = sorted((r for r in journal.records() if isinstance(r, RunLog)), key=lambda r: r.at)
    assert [r.minutes for r in runs] == [45, 30]
    assert runs[0].distance_m == pytest.approx(8200) and runs[0].avg_hr == 150
    legs = [r for r in journal.records() if isinstance(r, LegSession)]
    assert len(legs) == 1 and legs[0].minutes == 50 and legs[0].source == "apple"
    from legcoach.models import HealthReading, Measure

    readings = sorted(
        (r for r in journal.records() if isinstance(r, HealthReading)), key=lambda r: r.measure
    )
    assert [(r.measure, r.value) for r in readings] == [
        (Measure.HRV_SDNN, 55.0),  # the day's mean
        (Measure.RESTING_HR, 48.0),  # 900 bpm is no reading
    ]
    skipped = run.files[0].skipped
    assert "skipped: a strength workout that does not say legs" in skipped
    assert "skipped: Cycling" in skipped
    # The same export zipped, as the phone shares it: the same records, nothing twice.
    zipped = tmp_path / "export.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(export, "apple_health_export/export.xml")
    again = journal.import_paths([zipped])
    assert again.report.added == 0 and again.unreadable == 0


def test_apple_healths_reader_keeps_memory_flat_whatever_the_size(tmp_path: Path) -> None:
    import tracemalloc

    def peak(records: int) -> int:
        path = apple_export(tmp_path / f"export-{records}.xml", records)
        from legcoach.importers import read_all

        tracemalloc.start()
        (result,) = read_all(path, 190)  # streamed from disk
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(result.records) == 5
        return top

    small, large = peak(20_000), peak(120_000)  # ~4 MB and ~24 MB of readings
    assert large < 1.3 * small + 2_000_000


def test_a_damaged_distance_or_checksum_is_said_and_the_run_kept(tmp_path: Path) -> None:
    far = fit_file(tmp_path / "far.fit", speed=3.0)
    data = bytearray(far.read_bytes())
    # A session total of 42,949 km: rewrite the summary's distance through fit-tool.
    huge = fit_file(tmp_path / "huge.fit", speed=3.0)
    from fit_tool.fit_file import FitFile

    fit = FitFile.from_bytes(huge.read_bytes())
    for record in fit.records:
        message = record.message
        if type(message).__name__ == "SessionMessage":
            message.total_distance = 42_949_000.0
    huge.write_bytes(fit.to_bytes())
    result = read(huge, 190)
    (run,) = result.records
    assert isinstance(run, RunLog) and run.distance_m is None
    assert any("42,949 km" in note for note in result.skipped)
    # A bad checksum: the run is read, and the file said to be damaged.
    data[-1] ^= 0xFF
    far.write_bytes(bytes(data))
    result = read(far, 190)
    assert len(result.records) == 1
    assert any("damaged" in note for note in result.skipped)


def test_a_manifest_whose_schema_is_not_a_number_is_damaged(db_path: Path) -> None:
    import json

    from legcoach.storage.files import DamagedFile

    Journal.open(db_path, FakeClock(NOW)).log_legs(LegSession(ended_at=NOW, rpe=6))
    data = json.loads(db_path.read_text())
    data["meta"]["1"]["schema"] = True
    db_path.write_text(json.dumps(data))
    with pytest.raises(DamagedFile, match="no valid schema"):
        Store(db_path)
    assert not list(db_path.parent.glob("*.bak"))


def test_every_parser_takes_any_text_and_answers_or_refuses_in_one_line() -> None:
    """Arbitrary text (hypothesis) to every parser of typed answers: each returns or
    raises ValueError with a message, never anything else; past 64 characters it is
    refused before any pattern runs, so the work is bounded whatever is pasted."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from legcoach import parsing
    from legcoach.vocab import RACE_DISTANCES, RACE_KM_RANGE

    parsers = [
        parsing.parse_duration,
        lambda t: parsing.parse_amount(t, "h"),
        lambda t: parsing.parse_when(t, NOW),
        lambda t: parsing.parse_ago(t, NOW),
        lambda t: parsing.parse_ahead(t, NOW),
        parsing.parse_distance,
        parsing.parse_weekdays,
        lambda t: parsing.parse_leg_days(t, ("heavy-strength", "volume")),
        lambda t: parsing.parse_race_km(t, RACE_DISTANCES, RACE_KM_RANGE),
    ]

    @settings(max_examples=300, deadline=None)
    @given(st.text(max_size=200) | st.from_regex(r"[0-9hmdk:. ]{0,80}", fullmatch=True))
    def check(text: str) -> None:
        for parse in parsers:
            try:
                parse(text)
            except ValueError as error:
                assert str(error) and "\n" not in str(error)
            else:
                assert len(text) <= parsing.MAX_ANSWER or parse in parsers[6:]

    check()
