"""`legcoach remind`: the nudge to check in and the unlock news, told once, through the
desktop's notifier or the terminal, and the timer that runs it (issue 25 item 4)."""

from __future__ import annotations

import io
import os
import stat
import subprocess
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest

from legcoach import remind
from tests.conftest import NOW
from tests.test_cli import LEGCOACH


def status(allowed: str = "easy", checked_in: bool = True) -> dict[str, Any]:
    return {
        "hours_since_legs": 30.0,
        "run_type_now": allowed,
        "next_unlock": None,
        "checked_in_today": checked_in,
    }


def test_the_check_in_nudge_comes_once_a_day_and_not_before_its_time() -> None:
    morning = NOW.replace(hour=6, minute=30)
    said, note = remind.what_to_say(status(checked_in=False), morning, {}, from_time=time(7))
    assert said is None
    said, note = remind.what_to_say(status(checked_in=False), morning + timedelta(hours=1), note)
    assert said is not None and said.title == "Check in before your run"
    again, note = remind.what_to_say(status(checked_in=False), morning + timedelta(hours=2), note)
    assert again is None  # once a day
    tomorrow, _ = remind.what_to_say(status(checked_in=False), morning + timedelta(days=1), note)
    assert tomorrow is not None


def test_an_unlock_is_told_once_and_nothing_said_when_nothing_changed() -> None:
    _, note = remind.what_to_say(status("easy"), NOW, {})
    nothing, note = remind.what_to_say(status("easy"), NOW + timedelta(minutes=30), note)
    assert nothing is None
    told, note = remind.what_to_say(status("quality"), NOW + timedelta(hours=1), note)
    assert told is not None and told.title == "Quality unlocks now"
    again, _ = remind.what_to_say(status("quality"), NOW + timedelta(hours=2), note)
    assert again is None
    quiet, _ = remind.what_to_say(
        status("steady"),
        NOW,
        {"day": NOW.date().isoformat(), "allowed": "easy"},
        only_without_checkin=True,
    )
    assert quiet is None


def test_without_a_notifier_the_terminal_gets_its_escape_and_the_bell(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr("sys.stdout", screen)
    how = remind.deliver(remind.Reminder("Quality unlocks now", "legcoach: \x1b[2Jquality"))
    assert how == "terminal"
    assert screen.getvalue() == "\x1b]9;Quality unlocks now: legcoach: <U+001B>[2Jquality\x07\a"


def fake_tool(folder: Path, name: str, log: Path) -> None:
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f'#!/bin/sh\necho "$@" >> {log}\n')
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)


def run(*args: str, path: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path}
    return subprocess.run(
        [str(LEGCOACH), *args], capture_output=True, text=True, timeout=60, env=env
    )


def test_remind_from_the_command_line_through_the_desktops_notifier(
    db_path: Path, tmp_path: Path
) -> None:
    bin_dir, log = tmp_path / "bin", tmp_path / "notified.txt"
    fake_tool(bin_dir, "notify-send", log)
    path = f"{bin_dir}:{Path(str(LEGCOACH)).parent}:/usr/bin:/bin"
    assert run("log-legs", "--rpe", "8", "--ago", "3h", path=path).returncode == 0
    first = run("remind", path=path)
    assert first.returncode == 0, first.stderr
    assert log.read_text().strip() == "Check in before your run legcoach: no check-in yet today."
    second = run("remind", path=path)
    assert second.returncode == 0 and log.read_text().count("\n") == 1  # told once


def test_the_timer_is_written_and_removed_or_the_crontab_line_given(tmp_path: Path) -> None:
    bin_dir, log = tmp_path / "bin", tmp_path / "systemctl.txt"
    plain = f"{Path(str(LEGCOACH)).parent}:/bin"
    no_systemd = run("remind", "--install-timer", "--at", "07:00", path=plain)
    if "crontab" in no_systemd.stdout:  # this machine has no systemctl in /bin
        assert "*/30 * * * *" in no_systemd.stdout and "remind --at 07:00" in no_systemd.stdout
    fake_tool(bin_dir, "systemctl", log)
    installed = run("remind", "--install-timer", path=f"{bin_dir}:{plain}")
    units = Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"
    timer = units / "legcoach-remind.timer"
    assert installed.returncode == 0 and timer.exists(), installed.stdout
    assert "OnCalendar=*:0/30" in timer.read_text()
    assert "remind" in (units / "legcoach-remind.service").read_text()
    removed = run("remind", "--remove-timer", path=f"{bin_dir}:{plain}")
    assert removed.returncode == 0 and not timer.exists()
