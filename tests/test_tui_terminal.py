"""The installed `legcoach` in a real terminal (tmux): launch, a complete check-in, typed
ahead as fast as tmux can send it, then the screen and the saved record."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from legcoach.storage.store import Store
from tests.conftest import own_dir
from tests.test_cli import LEGCOACH

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def wait_for(session: str, text: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def test_first_launch_and_checkin_in_a_real_terminal(tmp_path: Path) -> None:
    db = tmp_path / "legcoach.json"
    session = f"legcoach-test-{os.getpid()}"
    # Everything the app reads from its environment, given explicitly: a tmux server that
    # was already running (a developer's own) would give the pane its own HOME and
    # XDG folders, and the app this computer's real device id and state folder.
    passed = {
        name: os.environ[name]
        for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
        if name in os.environ
    }
    env = " ".join(
        shlex.quote(f"{name}={value}")
        for name, value in {**passed, "LEGCOACH_DB": str(db), "TERM": "xterm-256color"}.items()
    )
    tmux(
        "new-session", "-d", "-s", session, "-x", "80", "-y", "24", f"env {env} {LEGCOACH}; sleep 5"
    )
    try:
        wait_for(session, "What is your main training goal?")
        # Endurance; some running behind; legs 30 h ago at RPE 8, heavy strength;
        # soreness 4; no red flags; a meal; sleep 3; energy 4; stress 2; will warm up.
        # All sent in one burst.
        tmux(
            "send-keys",
            "-t",
            session,
            "1",
            "Enter",
            "2",
            "Enter",
            "2",
            "Enter",
            "3",
            "0",
            "Enter",
            "8",
            "Enter",
            "1",
            "Enter",
            "4",
            "Enter",
            "Enter",
            "3",
            "Enter",
            "3",
            "Enter",
            "4",
            "Enter",
            "2",
            "Enter",
            "1",
            "Enter",
            "Enter",
        )
        screen = wait_for(session, "RECOVERY RUN")
        assert "Legs 30h ago (RPE 8, hard, heavy strength)" in screen
        assert "Soreness 4/10" in screen
        tmux("send-keys", "-t", session, "Escape")
        home = wait_for(session, "Allowed now")
        assert "Recovery run" in home and "sore 4 → recovery" in home
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 10
        while "Allowed now" in tmux("capture-pane", "-p", "-t", session):
            assert time.monotonic() < deadline, "q did not quit"
            time.sleep(0.1)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)

    # The real clock decides the year, so take the one year file there is (after the
    # change log is folded into it).
    Store(db).fold()
    (year_file,) = own_dir(tmp_path / "legcoach.json").glob("[0-9]*.json")
    shard = json.loads(year_file.read_text())
    (checkin,) = shard["checkins"].values()
    assert checkin["soreness"] == 4 and checkin["goal"] == "endurance"
    assert checkin["recommendation"]["run_type"] == "recovery"
    device = json.loads((year_file.parent / "device.json").read_text())
    assert device["profile"]["1"]["goal"]["value"] == "endurance"
