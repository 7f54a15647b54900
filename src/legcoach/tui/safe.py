"""Outside text on screen: always plain, never markup, never a terminal escape.

Every string that came from a person, a file or the file system (notes, file names,
paths, error messages that quote them) is shown through these: `plain` for a widget's
content or a table cell, `notify_plain` for a toast.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual.content import Content
from textual.dom import DOMNode

from legcoach.text import visible

Severity = Literal["information", "warning", "error"]


def plain(text: object, *, one_line: bool = False) -> Content:
    """Content that is exactly the text: `[`, `[@click=…]` and escapes are just characters."""
    return Content(visible(text, one_line=one_line))


def cell(text: object) -> Text:
    """A DataTable cell: plain text (DataTable reads a bare `str` as markup)."""
    return Text(visible(text, one_line=True), no_wrap=True, overflow="ellipsis")


def notify_plain(
    node: DOMNode,
    message: object,
    *,
    title: str = "",
    severity: Severity = "information",
    timeout: float | None = None,
) -> None:
    node.app.notify(
        visible(message),
        title=visible(title),
        severity=severity,
        timeout=timeout,
        markup=False,
    )
