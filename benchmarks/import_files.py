"""Importing 1,000 activity files: legcoach against the decoder alone, in one run.

    python benchmarks/import_files.py [--files 1000]

Writes N FIT activities (30 min, a record every 10 s, with heart rate) with fit-tool
(the test dependency), then times, alternating and taking medians:
  - decoder: Garmin's SDK reading every file (Decoder.read), nothing else;
  - legcoach: `Journal.import_paths` on the folder: read, recognise, classify by heart
    rate, and save all runs in one unit of work into a fresh database.
Reports files per second for each and the ratio. Needs `pip install ".[test]"`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_files(folder: Path, count: int) -> list[Path]:
    from tests.test_import_files import fit_file

    start = datetime(2024, 1, 1, 6, 30, tzinfo=UTC)
    return [
        fit_file(folder / f"{i:05d}.fit", hr=140 + i % 40, start=start + timedelta(days=i))
        for i in range(count)
    ]


def decode_only(paths: list[Path]) -> float:
    from garmin_fit_sdk import Decoder, Stream

    began = time.perf_counter()
    for path in paths:
        Decoder(Stream.from_byte_array(bytearray(path.read_bytes()))).read()
    return time.perf_counter() - began


def legcoach_import(folder: Path, scratch: Path, round_: int) -> float:
    from legcoach.journal import Journal
    from legcoach.models import Profile

    journal = Journal.open(scratch / f"db{round_}" / "legcoach.json")
    journal.save_profile(Profile(max_hr=190))
    began = time.perf_counter()
    run = journal.import_paths([folder])
    elapsed = time.perf_counter() - began
    assert run.report.added == len(run.files), run.report
    return elapsed


def into_history(folder: Path, one: Path, scratch: Path, years: int, rounds: int) -> dict:
    """One file and the folder, each into `years` of history against an empty one
    (copies of the same built history each round; alternating)."""
    import shutil

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from legcoach.journal import Journal
    from run import build

    built = scratch / f"history-{years}y" / "legcoach.json"
    build(built, years)
    figures: dict[str, list[float]] = {
        "one_long": [],
        "one_empty": [],
        "all_long": [],
        "all_empty": [],
    }
    for round_ in range(rounds):
        for what, paths in (("one", [one]), ("all", [folder])):
            for history in ("long", "empty"):
                db = scratch / f"{years}y-r{round_}-{what}-{history}" / "legcoach.json"
                if history == "long":
                    shutil.copytree(built.parent, db.parent)
                journal = Journal.open(db)
                began = time.perf_counter()
                journal.import_paths(paths)
                figures[f"{what}_{history}"].append(time.perf_counter() - began)
    m = {k: statistics.median(v) for k, v in figures.items()}
    return {
        "years": years,
        "one_file_s": m["one_long"],
        "one_file_empty_s": m["one_empty"],
        "one_file_ratio": m["one_long"] / m["one_empty"],
        "folder_s": m["all_long"],
        "folder_empty_s": m["all_empty"],
        "folder_ratio": m["all_long"] / m["all_empty"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--years", type=int, nargs="*", default=[], help="also import into 1, 10, 100 years"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fit"
        folder.mkdir()
        paths = make_files(folder, args.files)
        decoder, ours = [], []
        for round_ in range(args.rounds):
            decoder.append(decode_only(paths))
            ours.append(legcoach_import(folder, Path(tmp), round_))
        d, o = statistics.median(decoder), statistics.median(ours)
        print(f"files: {args.files}")
        print(f"decoder alone:   {d:.2f} s  {args.files / d:.0f} files/s")
        print(f"legcoach import: {o:.2f} s  {args.files / o:.0f} files/s")
        print(f"ratio: {o / d:.2f}x the decoder's time")
        one = folder / sorted(p.name for p in folder.iterdir())[-1]
        for years in args.years:
            row = into_history(folder, one, Path(tmp), years, args.rounds)
            print(
                f"into {years} years: one file {row['one_file_s'] * 1000:.0f} ms "
                f"({row['one_file_ratio']:.2f}x an empty history), the folder "
                f"{row['folder_s']:.2f} s ({row['folder_ratio']:.2f}x)"
            )


if __name__ == "__main__":
    main()
