"""The same history kept on 1, 3 and 10 computers (a synced folder): what each costs.

    python benchmarks/devices.py            # 10 years of daily history
    python benchmarks/devices.py --quick    # fewer rounds

One history, dealt out to 1, 3 or 10 devices' folders (benchmarks/run.py
build_history), every measure alternating the three round by round: `legcoach status`
(a warm cache against `python -c pass`, and a stale one, which reads every device's
files), the app's first frame (headless, against a minimal Textual app), a check-in save
(against one durable small write) and a first `legcoach import` of 60 records. Targets:
status and save as run.py sets them, and no figure more than 1.25x its one-device value.
Writes benchmarks/devices.json; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import (  # noqa: E402  (beside this file)
    LEGCOACH,
    PYTHON,
    compile_bytecode,
    marked_run,
    run_process,
    saves,
    status,
)

COUNTS = (1, 3, 10)


def build(db: Path, years: int, devices: int) -> int:
    import subprocess

    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); from run import build_history; "
        f"from pathlib import Path; print(build_history(Path({str(db)!r}), {years}, {devices}))"
    )
    out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout)


def export_of_new_runs(path: Path) -> Path:
    """A legcoach export of 60 runs the histories do not have (a year before they start)."""
    from legcoach.clock import local_now
    from legcoach.models import Export, RunLog, RunType

    start = local_now() - timedelta(days=4000)
    runs = [
        RunLog(at=start - timedelta(days=i), run_type=RunType.EASY, minutes=30, rpe=4)
        for i in range(60)
    ]
    path.write_text(Export.of(runs, None, local_now()).model_dump_json())
    return path


def first_import(db: Path, export: Path, runs: int, scratch: Path) -> float:
    """Median seconds of a whole `legcoach import` into a fresh copy each time."""
    times = []
    for number in range(runs):
        copy = scratch / f"import-{number}"
        shutil.copytree(db.parent, copy)
        times.append(run_process([LEGCOACH, "--db", str(copy / db.name), "import", str(export)])[0])
        shutil.rmtree(copy)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--out", type=Path, default=HERE / "devices.json")
    args = parser.parse_args(argv)
    rounds = 5 if args.quick else 9
    results: dict[str, Any] = {"quick": args.quick, "rounds": rounds}
    results["bytecode_compiled_in"] = compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="legcoach-devices-") as tmp:
        folder = Path(tmp)
        os.environ["XDG_STATE_HOME"] = str(folder / "state")
        export = export_of_new_runs(folder / "new-runs.json")
        dbs: dict[int, Path] = {}
        for count in COUNTS:
            db = dbs[count] = folder / f"{count}-devices" / "legcoach.json"
            records = build(db, 10, count)
            run_process([LEGCOACH, "--db", str(db), "status"])  # the cache a save leaves
            print(f"{count} devices: {records} records", file=sys.stderr)
            results[str(count)] = {"records": records}
        # Every measure alternates the device counts round by round, so the machine's
        # noise falls on all of them alike (the counts are what is compared).
        probe = str(HERE / "startup_probe.py")
        warm: dict[int, list[float]] = {c: [] for c in COUNTS}
        frames: dict[int, list[float]] = {c: [] for c in COUNTS}
        imports: dict[int, list[float]] = {c: [] for c in COUNTS}
        bare: list[float] = []
        minimal: list[float] = []
        for _ in range(rounds * 2):
            bare.append(run_process([PYTHON, "-c", "pass"])[0])
            for count in COUNTS:
                warm[count].append(run_process([LEGCOACH, "--db", str(dbs[count]), "status"])[0])
        for _ in range(rounds):
            minimal.append(marked_run([PYTHON, probe, "minimal"])[0]["frame"])
            for count in COUNTS:
                marks, _ = marked_run([PYTHON, probe, "legcoach", str(dbs[count])])
                frames[count].append(marks["frame"])
            for count in COUNTS:
                imports[count].append(first_import(dbs[count], export, 1, folder))
        for count in COUNTS:
            row = results[str(count)]
            stale = status(dbs[count], rounds)  # its stale-cache figure (warm is above)
            copy = folder / f"{count}-saves"
            shutil.copytree(dbs[count].parent, copy)
            row["status"] = {
                "status_s": statistics.median(warm[count]),
                "baseline_s": statistics.median(bare),
                "ratio": statistics.median(warm[count]) / statistics.median(bare),
                "stale_cache_s": stale["stale_cache_s"],
            }
            row["frame"] = {
                "legcoach_s": statistics.median(frames[count]),
                "minimal_s": statistics.median(minimal),
                "ratio": statistics.median(frames[count]) / statistics.median(minimal),
            }
            row["save"] = saves(copy / dbs[count].name, 10 if args.quick else 20)
            row["import_s"] = statistics.median(imports[count])
    one = results["1"]
    targets: dict[str, bool] = {}
    for count in COUNTS:
        row = results[str(count)]
        row["vs_one_device"] = {
            "status": row["status"]["status_s"] / one["status"]["status_s"],
            "stale_status": row["status"]["stale_cache_s"] / one["status"]["stale_cache_s"],
            "frame": row["frame"]["legcoach_s"] / one["frame"]["legcoach_s"],
            "save": row["save"]["save_ms"] / one["save"]["save_ms"],
            "import": row["import_s"] / one["import_s"],
        }
        targets[f"status <= 2x python -c pass ({count} devices)"] = row["status"]["ratio"] <= 2.0
        targets[f"save <= 2x a durable small write ({count} devices)"] = row["save"]["ratio"] <= 2.0
        if count > 1:
            for measure, ratio in row["vs_one_device"].items():
                targets[f"{measure} <= 1.25x one device's ({count} devices)"] = ratio <= 1.25
    results["targets"] = targets
    print(f"\n{'measure':<34}" + "".join(f"{f'{c} dev':>12}" for c in COUNTS))
    lines = {
        "status, warm (ms)": lambda r: r["status"]["status_s"] * 1000,
        "status, stale cache (ms)": lambda r: r["status"]["stale_cache_s"] * 1000,
        "first frame, headless (ms)": lambda r: r["frame"]["legcoach_s"] * 1000,
        "check-in save (ms)": lambda r: r["save"]["save_ms"],
        "import of 60 runs (ms)": lambda r: r["import_s"] * 1000,
        "status / python -c pass": lambda r: r["status"]["ratio"],
        "save / durable write": lambda r: r["save"]["ratio"],
    }
    for name, value in lines.items():
        print(f"{name:<34}" + "".join(f"{value(results[str(c)]):>12.1f}" for c in COUNTS))
    for name, met in targets.items():
        print(f"{'met ' if met else 'MISSED'} {name}")
    args.out.write_text(json.dumps(results, indent=2))
    print(f"\nwritten to {args.out}")
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
