"""The core never imports Textual, and `legcoach status` never builds pydantic models."""

from __future__ import annotations

import subprocess
import sys

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


def test_the_status_fast_path_imports_neither_textual_nor_pydantic_models(db_path) -> None:
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
