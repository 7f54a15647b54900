"""The core never imports Textual, and `legcoach status` never builds pydantic models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CORE = [
    "legcoach.models",
    "legcoach.coach",
    "legcoach.recovery",
    "legcoach.journal",
    "legcoach.storage.store",
    "legcoach.storage.snapshot",
    "legcoach.paths",
    "legcoach.cli",
]


def loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module: str) -> None:
    assert "textual" not in loaded_after(f"import {module}")


def test_the_status_fast_path_imports_neither_textual_nor_pydantic_models(db_path: Path) -> None:
    from legcoach.journal import Journal
    from legcoach.models import LegSession
    from legcoach.storage.store import Store
    from tests.conftest import NOW

    Journal(Store(db_path)).log_legs(LegSession(ended_at=NOW, rpe=5))
    code = (
        "import sys, io, contextlib\n"
        "from legcoach.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['--db', {str(db_path)!r}, 'status'])"
    )
    modules = loaded_after(code)
    assert "textual" not in modules
    assert "pydantic.main" not in modules


def test_the_status_line_reads_its_cache_with_almost_nothing_imported(db_path: Path) -> None:
    """`legcoach status` from a fresh cache: the same answer as the full command line,
    without argparse, pathlib, typing, dataclasses, pydantic or TinyDB."""
    import json as json_module

    from legcoach.cli import main as full_main

    full_main(["log-legs", "--rpe", "8", "--ago", "10h"])
    full_main(["status"])  # writes a fresh cache
    code = (
        "import sys, io, contextlib; from legcoach.launch import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out): main(['status', '--json'])\n"
        "heavy = sorted(m for m in ('argparse', 'pathlib', 'typing', 'dataclasses', 'pydantic',"
        " 'tinydb', 'legcoach.cli', 'legcoach.journal') if m in sys.modules)\n"
        "print(out.getvalue().strip()); print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    quick, heavy = done.stdout.strip().splitlines()
    assert heavy == "[]"
    full = subprocess.run(
        [sys.executable, "-c", "from legcoach.cli import main; main(['status', '--json'])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    first, second = json_module.loads(quick), json_module.loads(full)
    assert first["run_type_now"] == second["run_type_now"]
    assert first["next_unlock"]["run_type"] == second["next_unlock"]["run_type"]


def test_the_timelines_ladder_is_the_vocabularys() -> None:
    from legcoach.timeline import LADDER_ORDER
    from legcoach.vocab import LADDER

    assert tuple(run_type.value for run_type in LADDER) == LADDER_ORDER


def test_the_bare_command_opens_the_app_without_the_command_line(tmp_path: Path) -> None:
    """`legcoach` goes straight to the app: argparse, the subcommands, pydantic and the
    journal are not loaded when the app starts (the first frame does not wait for them)."""
    code = (
        "import sys\n"
        "import legcoach.tui.app as app\n"
        "def run(db):\n"
        "    loaded = ('argparse', 'legcoach.cli', 'pydantic', 'legcoach.journal')\n"
        "    print([m for m in loaded if m in sys.modules], db.name)\n"
        "    return 0\n"
        "app.run, app.exit_now = run, sys.exit\n"
        "from legcoach.launch import main\n"
        f"main(['--db', {str(tmp_path / 'mine.json')!r}])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[0] == "[] mine.json"


def test_the_status_line_needs_neither_json_nor_datetime(db_path: Path) -> None:
    """Plain `legcoach status` reads status.line with `os` and `time` alone, and says
    exactly what the full command line says."""
    from legcoach.cli import main as full_main

    full_main(["--db", str(db_path), "log-legs", "--rpe", "8", "--ago", "30h"])
    code = (
        "import sys, io, contextlib; from legcoach.launch import main\n"
        "out = io.StringIO()\n"
        f"with contextlib.redirect_stdout(out): main(['--db', {str(db_path)!r}, 'status'])\n"
        "print(out.getvalue().strip())\n"
        "print(sorted(m for m in ('json', 'datetime', '_datetime', 'legcoach.cli') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    quick, loaded = done.stdout.strip().splitlines()
    assert loaded == "[]"
    assert quick.startswith("legs 30h ago")
    full = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from legcoach.cli import main; main(['--db', {str(db_path)!r}, 'status'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert quick == full
