"""Reading what people already record: watch files and lifting-app exports.

`read(path)` recognises a file by its content (not only its name): FIT, GPX, TCX (each
also gzip-compressed, as bulk exports ship them), Strong and Hevy CSV, and legcoach's
own JSON export. Folders are scanned recursively. Every parser is imported here, lazily,
so `legcoach status` and the app's start-up never pay for them.

Nothing here writes: the journal saves what was read, all files in one unit of work.
"""

from __future__ import annotations

import csv
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from legcoach.importers.fit import NotReadable
from legcoach.models import Record, explain
from legcoach.storage.files import StoreError, read_regular_file

# One file (or its decompressed content) larger than this is refused before it is read.
MAX_FILE_BYTES = 64 * 1024 * 1024
# What a real file holds, at most: a day at one point a second is 86,400 points; a FIT
# file of a multi-day race at 1 s is a few MiB; a lifetime of sets is some 50,000 rows.
# Beyond these the parsers' work (and memory) grew for minutes on a small gzipped file.
MAX_POINTS = 250_000
MAX_FIT_BYTES = 16 * 1024 * 1024
MAX_ROWS = 200_000
# A zip (a bulk export as downloaded) may be larger; its members are held to the cap.
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024
FORMATS = (
    "FIT, GPX, TCX (also .gz), Strong, Hevy or FitNotes CSV, a Garmin Connect export "
    "(.zip), or a legcoach JSON export"
)


@dataclass
class FileResult:
    path: Path
    kind: str | None = None  # 'fit', 'gpx', 'tcx', 'strong', 'hevy', 'legcoach'
    records: list[Record] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # 'skipped: cycling' ...
    error: str | None = None  # the file could not be read at all
    export: dict[str, Any] | None = None  # a legcoach JSON export, checked by the journal
    sports: dict[str, str] = field(default_factory=dict)  # Strava: each file's sport by name


@dataclass(frozen=True)
class Found:
    """A file to read; `scanned` when it was found in a folder rather than named."""

    path: Path
    scanned: bool = False


def expand(paths: Iterable[Path]) -> Iterator[Found | tuple[Path, str]]:
    """Files to read, folders scanned recursively in name order; a path that cannot be
    read is yielded with the reason."""
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Found(Path(root) / name, scanned=True)
        elif path.exists() or path.is_symlink():
            yield Found(path)
        else:
            yield (path, "no such file or folder")


def _decompressed(data: bytes) -> bytes:
    try:
        inflater = zlib.decompressobj(wbits=31)  # gzip
        out = inflater.decompress(data, MAX_FILE_BYTES + 1)
    except zlib.error:
        raise NotReadable("a damaged gzip file") from None
    if len(out) > MAX_FILE_BYTES:
        raise NotReadable(f"too large once decompressed (over {MAX_FILE_BYTES // 1_048_576} MiB)")
    return out


class Unrecognised(NotReadable):
    """Content of no format legcoach reads (not a damaged file of one it does)."""


def _text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise Unrecognised(f"not a file legcoach can read ({FORMATS})")


def read_all(
    path: Path, max_hr: int | None, *, scanned: bool = False, sports: dict[str, str] | None = None
) -> list[FileResult]:
    """A file's results: one, or one per member of a zip (bulk exports as downloaded,
    nested zips included), each member read as a file found in a folder."""
    from legcoach.importers import apple_health, archives

    head = _head(path)
    if head is not None and apple_health.looks_like(head):
        return [_apple(path, path.open, max_hr)]  # streamed from disk, whatever its size
    if head is None or not archives.is_zip(head):
        return [read(path, max_hr, scanned=scanned, sports=sports)]
    if path.stat().st_size > MAX_ARCHIVE_BYTES:
        return [FileResult(path, error=f"a zip over {MAX_ARCHIVE_BYTES // 2**30} GiB: not read")]
    results = []
    try:
        for member in archives.members(path, str(path), MAX_FILE_BYTES):
            if member.stream is not None:
                results.append(_apple(Path(member.name), member.stream, max_hr))
                continue
            if member.data is None:
                results.append(
                    FileResult(Path(member.name), skipped=[f"skipped: {member.problem}"])
                )
                continue
            results.append(
                read(Path(member.name), max_hr, scanned=True, data=member.data, sports=sports)
            )
    except NotReadable as problem:
        results.append(FileResult(path, error=str(problem)))
    return results


def _head(path: Path) -> bytes | None:
    """A regular file's first bytes (None for anything else: `read` says what it is)."""
    import stat as stat_module

    try:
        if not stat_module.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as stream:
            return stream.read(4096)
    except OSError:
        return None


def _apple(path: Path, opener: Any, max_hr: int | None) -> FileResult:
    """An Apple Health export.xml, parsed as a stream."""
    from legcoach.importers import apple_health

    result = FileResult(path, kind="apple")
    try:
        with opener() as stream:
            found = list(apple_health.workouts(stream))
    except NotReadable as problem:
        result.error = str(problem)
        return result
    except (OSError, ValueError, RecursionError) as error:
        result.error = f"could not be read ({type(error).__name__})"
        return result
    activities = [f for f in found if not isinstance(f, (str, Record))]
    _runs(result, activities, max_hr)
    _collect(result, [f for f in found if isinstance(f, (str, Record))])
    return result


def read(
    path: Path,
    max_hr: int | None,
    *,
    scanned: bool = False,
    data: bytes | None = None,
    sports: dict[str, str] | None = None,
) -> FileResult:
    """One file: its records, what was skipped and why, or the error that stopped it.

    A file found by scanning a folder whose content is of no format legcoach reads (a
    bulk export holds pictures, summaries, other apps' JSON and CSV) is skipped, not an
    error; named on the command line it is an error. A damaged file of a format legcoach
    reads (a FIT file with a bad header, a truncated one) is an error either way."""
    result = FileResult(path)
    try:
        if data is None:
            data = read_regular_file(path, MAX_FILE_BYTES)
        elif len(data) > MAX_FILE_BYTES:
            raise NotReadable(f"over {MAX_FILE_BYTES // 1_048_576} MiB: not read")
        if data[:2] == b"\x1f\x8b":
            data = _decompressed(data)
        _dispatch(result, data, path, max_hr, sports or {})
    except Unrecognised as problem:
        if scanned:
            result.skipped.append("skipped: not a file legcoach reads")
        else:
            result.error = str(problem)
    except (NotReadable, StoreError) as problem:
        result.error = str(problem).removeprefix(f"{path} ").rstrip(".")
    except ValidationError as error:  # a value no record can hold: say which and why
        result.error = f"a value out of range: {explain(error)}"
    except OSError as error:
        result.error = error.strerror or str(error)
    except (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        RecursionError,
        OverflowError,
        csv.Error,
    ) as error:
        # A file the parsers choke on in a way of their own: one line, never a traceback.
        result.error = f"could not be read ({type(error).__name__})"
    return result


def _dispatch(
    result: FileResult, data: bytes, path: Path, max_hr: int | None, sports: dict[str, str]
) -> None:
    from legcoach.importers import fit, lifting, xml_tracks

    name = path.name.lower().removesuffix(".gz")
    if not data.strip():
        raise NotReadable("an empty file")
    if fit.is_fit(data):
        if len(data) > MAX_FIT_BYTES:
            raise NotReadable(
                f"refused: a FIT file over {MAX_FIT_BYTES // 1_048_576} MiB is more than "
                "any activity records"
            )
        result.kind = "fit"
        try:
            _runs(result, fit.activities(data), max_hr, _sport_of(sports, path))
        except fit.NotAnActivity as reason:
            result.skipped.append(str(reason))
        return
    if name.endswith(".fit"):
        raise NotReadable("not a FIT file (bad header)")
    text = _text(data)
    head = text.lstrip()[:1]
    if head == "<" and data[:4096].find(b"<HealthData") >= 0:
        import io

        apple = _apple(path, lambda: io.BytesIO(data), max_hr)
        result.kind, result.records, result.skipped = apple.kind, apple.records, apple.skipped
        if apple.error:
            raise NotReadable(apple.error)
        return
    if head == "<":
        points = text.count("<trkpt") + text.count("<Trackpoint") + text.count("<rtept")
        if points > MAX_POINTS:
            raise NotReadable(
                f"refused: {points:,} track points, more than any activity holds "
                f"(at most {MAX_POINTS:,})"
            )
        root = xml_tracks.safe_tree(text)
        kind = xml_tracks.kind_of(root)
        if kind == "gpx":
            result.kind = "gpx"
            _runs(result, xml_tracks.gpx_activities(text), max_hr, _sport_of(sports, path))
        elif kind == "tcx":
            result.kind = "tcx"
            _runs(result, xml_tracks.tcx_activities(root), max_hr, _sport_of(sports, path))
        else:
            raise Unrecognised("an XML file that is neither GPX nor TCX")
        return
    if head in ("{", "["):
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            raise NotReadable("not valid JSON") from None
        from legcoach.importers import garmin

        if garmin.is_summarized_activities(document):
            result.kind = "garmin"
            _collect(
                result, [w.to_leg_session("garmin") for w in garmin.strength_workouts(document)]
            )
            if not result.records and not result.skipped:
                result.skipped.append("skipped: no strength workout in the summary")
            return
        if not isinstance(document, dict) or document.get("format") != "legcoach-export":
            raise Unrecognised("JSON, but not a legcoach export")
        result.kind = "legcoach"
        result.export = document
        return
    if text.count("\n") > MAX_ROWS:
        raise NotReadable(f"refused: more than {MAX_ROWS:,} rows, more than any export holds")
    from legcoach.importers import strava

    if strava.is_activities_csv(text.split("\n", 1)[0]):
        result.kind = "strava"
        sessions, result.sports = strava.read(text)
        _collect(result, sessions)
        return
    kind = lifting.kind_of_csv(text)
    if kind is None:
        raise Unrecognised(f"not a file legcoach can read ({FORMATS})")
    result.kind = kind
    reader = {
        "strong": lifting.strong_workouts,
        "hevy": lifting.hevy_workouts,
        "fitnotes": lifting.fitnotes_workouts,
    }[kind]
    workouts = reader(text)
    if not workouts:
        raise NotReadable(f"a {lifting.APP_NAMES[kind]} export with no dated workout")
    _collect(result, [workout.to_leg_session(kind) for workout in workouts])


def _sport_of(sports: dict[str, str], path: Path) -> str | None:
    """The sport Strava's activities.csv gives this file (by its name), if any."""
    return sports.get(path.name.lower().removesuffix(".gz")) if sports else None


def _runs(
    result: FileResult, activities: list[Any], max_hr: int | None, sport: str | None = None
) -> None:
    from legcoach.importers.runs import sport_kind

    for activity in activities:
        if sport and sport_kind(activity.sport) == "unknown":
            activity.sport = sport  # the file says none: its Strava row says which
    _collect(result, [activity.to_run(max_hr) for activity in activities])
    result.skipped += [note for activity in activities for note in activity.notes]


def _collect(result: FileResult, outcomes: Iterable[Record | str]) -> None:
    """Records to save, and the reasons for what was skipped ('skipped: cycling')."""
    for outcome in outcomes:
        if isinstance(outcome, str):
            result.skipped.append(outcome)
        else:
            result.records.append(outcome)


__all__ = ["MAX_FILE_BYTES", "FileResult", "expand", "read", "read_all"]
