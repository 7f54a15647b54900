"""Themes as files: the shipped ones (themes/ in the wheel) and the user's own.

Each file is TOML with Textual theme fields. Files are checked key by key and every
colour by Textual's own colour parser (not pydantic: themes load before the first
frame, which must not wait for pydantic's import). Loading returns what loaded and a
message for each file that did not, so one broken file never stops the app.
"""

from __future__ import annotations

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


def theme_from_file(path: Path) -> Theme:
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeFileError(f"cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"is not valid TOML ({error})") from None
    return theme_from_dict(raw)


def theme_from_dict(raw: dict[str, Any]) -> Theme:
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise ThemeFileError(f"has unknown keys: {', '.join(unknown)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ThemeFileError("needs a name")
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
    fields = {key: raw[key] for key in COLOR_FIELDS if key in raw}
    return Theme(name=name.strip(), dark=raw.get("dark", True), variables=variables, **fields)


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
