"""Themes as files: the shipped ones (themes/ in the wheel) and the user's own.

Each file is TOML with Textual theme fields. Files are checked key by key and every
colour by Textual's own colour parser (not pydantic: themes load before the first
frame, which must not wait for pydantic's import). Loading returns what loaded and a
message for each file that did not, so one broken file never stops the app.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

DEFAULT_THEME = "legcoach-dark"
COLOR_FIELDS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
KNOWN_FIELDS = {"name", "dark", "variables", *COLOR_FIELDS}


class ThemeFileError(ValueError):
    pass


@dataclass(frozen=True)
class LoadedThemes:
    themes: list[Theme]
    failed: list[str]  # one line each: which file, and what is wrong with it


@cache
def shipped_themes_dir() -> Path:
    # The wheel ships themes/ inside the package (pyproject: legcoach/themes). Found
    # beside this file rather than through importlib.resources, whose machinery added
    # a cost on every start; legcoach is never imported from a zip.
    package = Path(__file__).resolve().parents[1]
    packaged = package / "themes"
    if packaged.is_dir():
        return packaged
    # A development checkout (editable install): the top-level themes/ folder.
    return package.parents[1] / "themes"


# A theme is a few hundred bytes: far more is no theme.
MAX_THEME_BYTES = 64 * 1024
# A theme's name is shown in the palette and Settings: plain words only (no markup, no
# escapes), and it names the theme in the profile.
THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}")
VARIABLE_NAME = re.compile(r"[a-z][a-z0-9-]{0,63}")
# A variable's value: a colour, or a plain CSS token (a number, a percentage, a word,
# another variable); anything else could break the app's stylesheet at start-up.
VARIABLE_VALUE = re.compile(r"\$?[A-Za-z0-9_.%-]{1,40}( [A-Za-z0-9_.%-]{1,40}){0,3}")


def _theme_bytes(path: Path) -> bytes:
    """A regular file's bytes, bounded: a FIFO (which would block the app) or a device
    is refused without being opened for reading in blocking mode."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ThemeFileError("is not a regular file")
        if info.st_size > MAX_THEME_BYTES:
            raise ThemeFileError(f"is too large for a theme ({info.st_size} bytes)")
        return os.read(fd, MAX_THEME_BYTES + 1)
    finally:
        os.close(fd)


def theme_from_file(path: Path) -> Theme:
    try:
        raw = tomllib.loads(_theme_bytes(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeFileError(f"cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"is not valid TOML ({error})") from None
    except RecursionError:
        raise ThemeFileError("is nested too deeply to be a theme") from None
    return theme_from_dict(raw)


def theme_from_dict(raw: dict[str, Any]) -> Theme:
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise ThemeFileError(f"has unknown keys: {', '.join(unknown)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError("needs a name")
    if not THEME_NAME.fullmatch(name.strip()):
        raise ThemeFileError(
            "needs a name of letters, digits, spaces, '-', '_' or '.' (at most 40)"
        )
    if "primary" not in raw:
        raise ThemeFileError("needs a primary colour")
    for key in COLOR_FIELDS:
        if key in raw:
            _check_color(key, raw[key])
    if not isinstance(raw.get("dark", True), bool):
        raise ThemeFileError("dark must be true or false")
    variables = raw.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise ThemeFileError("variables must map names to strings")
    for key, value in variables.items():
        if not VARIABLE_NAME.fullmatch(key):
            raise ThemeFileError(f"has a variable name that is not one: {key[:40]!r}")
        if not (_is_color(value) or VARIABLE_VALUE.fullmatch(value)):
            raise ThemeFileError(f"variable {key} is not a colour or a plain value")
    fields = {key: raw[key] for key in COLOR_FIELDS if key in raw}
    return Theme(name=name.strip(), dark=raw.get("dark", True), variables=variables, **fields)


def _is_color(value: str) -> bool:
    try:
        Color.parse(value)
    except ColorParseError:
        return False
    return True


def _check_color(key: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ThemeFileError(f"{key} must be a colour string")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ThemeFileError(f"{key} is not a colour: {value!r}") from None


def load_themes(*folders: Path) -> LoadedThemes:
    themes: list[Theme] = []
    failed: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                themes.append(theme_from_file(path))
            except ThemeFileError as error:
                failed.append(f"{path} {error}")
    return LoadedThemes(themes, failed)
