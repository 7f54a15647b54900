"""Outside text (notes, file names, paths, imported fields) made safe to keep and to show.

Standard library only. Two rules: what a person or a file gives us is checked on the
way in (`problem_in`), and whatever is shown or written out again goes through
`visible` (screens, terminal) or `csv_cell` (spreadsheets), so it is always data and
never a terminal escape, a markup tag or a formula.
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL; newline and tab are kept in notes.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Bidirectional embeddings, overrides and isolates (and the marks): they can make a note
# lie about what surrounds it (Trojan Source, CVE-2021-42574).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE_IN_NOTE = re.compile(f"[{_CONTROL}{_BIDI}]")
_UNSAFE_ON_SCREEN = re.compile(f"[\t\n{_CONTROL}{_BIDI}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def problem_in(text: str) -> str | None:
    """Why `text` cannot be saved as a note, or None when it can."""
    if "\x00" in text:
        return "contains a NUL character"
    if _SURROGATE.search(text):
        return "is not valid UTF-8 text"
    found = _UNSAFE_IN_NOTE.search(text)
    if found:
        return f"contains the control character U+{ord(found.group()):04X}"
    return None


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\n":
        return "\n"
    if char == "\t":
        return "    "
    return f"<U+{ord(char):04X}>"


def visible(text: object, *, one_line: bool = False) -> str:
    """The text with every control, escape and bidi character spelled out as <U+XXXX>.

    Markup is not this function's job: screens pass the result as plain `Content`/`Text`.
    """
    shown = _UNSAFE_ON_SCREEN.sub(_shown, _SURROGATE.sub("\ufffd", str(text)))
    return shown.replace("\n", " ⏎ ") if one_line else shown


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run (OWASP CSV injection): control characters
    removed, and a leading = + - @ tab or CR neutralised with a quote. Numbers stay numbers."""
    if not isinstance(value, str):
        return value
    # Strip first, then neutralise: a control character must not hide a formula.
    value = without_controls(value)
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return value


_CONTROLS_AND_BIDI = re.compile(f"[{_CONTROL}{_BIDI}]")
_CONTROLS_BIDI_AND_LINES = re.compile(f"[\t\n{_CONTROL}{_BIDI}]")


def without_controls(text: str, *, keep_lines: bool = True) -> str:
    """The text with control and bidi characters removed (newline and tab kept unless
    `keep_lines` is false), and broken surrogates replaced."""
    pattern = _CONTROLS_AND_BIDI if keep_lines else _CONTROLS_BIDI_AND_LINES
    return pattern.sub("", _SURROGATE.sub("\ufffd", text))
