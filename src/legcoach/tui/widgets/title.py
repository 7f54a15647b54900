"""The top line: the app and the screen. A plain Static, so the first frame stays cheap
(Textual's Header costs about 15 ms to import on this machine)."""

from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        text-style: bold;
        padding: 0 1;
    }
    """

    def __init__(self, screen_title: str) -> None:
        super().__init__(f"legcoach · {screen_title}")
