"""Every test runs with its own home, XDG dirs and database: the real one is never touched."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

TZ = timezone(timedelta(hours=1))
DEVICE = "testdevice1"  # this computer's id in every test (storage/versions.py)
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    db = tmp_path / "data" / "legcoach.json"
    monkeypatch.setenv("LEGCOACH_DB", str(db))
    state = home / "xdg_state_home" / "legcoach"
    state.mkdir(parents=True)
    (state / "device-id").write_text(DEVICE + "\n")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return db


@pytest.fixture
def db_path(isolated_env: Path) -> Path:
    return isolated_env


class FakeClock:
    """A clock the test moves by hand: no sleeping, no flakiness."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def own_dir(db: Path) -> Path:
    """This device's folder of history files (it writes no other)."""
    return db.with_name(db.name + ".d") / "devices" / DEVICE


def local_dir(db: Path) -> Path:
    """This computer's own state for the database: lock, open marker, status cache."""
    from legcoach.storage.stamps import local_dir_name

    return Path(local_dir_name(db))
