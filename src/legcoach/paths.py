"""Where legcoach keeps things. Functions, never module constants: nothing touches the
user's directories at import time, and tests point them elsewhere with the environment."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "legcoach"
DB_ENV = "LEGCOACH_DB"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "legcoach.json"


def db_path(cli_value: str | None = None) -> Path:
    """`--db` wins, then `LEGCOACH_DB`, then the platform's user data dir."""
    chosen = cli_value or os.environ.get(DB_ENV)
    return Path(chosen).expanduser() if chosen else default_db_path()


def user_themes_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "themes"


def reminder_note_path() -> Path:
    """What `legcoach remind` last said, per device (never in a synced data folder)."""
    from platformdirs import user_state_path

    return user_state_path(APP_NAME, appauthor=False) / "remind.json"
