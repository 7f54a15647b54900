"""Shown instead of any screen while the terminal is too small to lay one out: Textual's
text wrapping fails at a width of zero (a check-in at 8 columns crashed), and nothing
that matters fits anyway. It goes as soon as the terminal is large enough again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 20, 6


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class TooSmallScreen(Screen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen Static { width: auto; height: auto; }
    """
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", show=False)]

    def compose(self) -> ComposeResult:
        yield Static(f"Larger, please: {MIN_WIDTH}x{MIN_HEIGHT}", id="too-small")
