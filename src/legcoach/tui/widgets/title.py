"""The top line: the app, the screen, and where help is. A plain Static, so the first
frame stays cheap (Textual's Header is costly to import).

The "? help · ctrl+p commands" hint lives here, not in the footer: footers then fit
their screen's own keys at 80 and at 60 columns."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

HINT = "? help · ctrl+p commands"


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def __init__(self, screen_title: str) -> None:
        super().__init__()
        self.title_text = f"legcoach · {screen_title}"

    def render(self) -> Text:
        width = self.content_size.width
        gap = width - len(self.title_text) - len(HINT)
        if gap < 2:
            return Text(self.title_text, style="bold")
        return Text.assemble((self.title_text, "bold"), " " * gap, (HINT, "dim"))
