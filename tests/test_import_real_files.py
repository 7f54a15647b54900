"""Files as real devices and apps write them (issue 23): the classes that were read
wrong, each with a fixture written by fit-tool or the standard library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from legcoach.importers import read
from legcoach.journal import Journal
from legcoach.models import LegKind, LegSession, Profile, RunLog
from tests.conftest import NOW, FakeClock
from tests.test_import_files import START, fit_file, gpx_file

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
