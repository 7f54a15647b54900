"""`?`: what this screen is for, and its keys."""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown


def _key_name(key: str) -> str:
    return {"question_mark": "?", "escape": "Esc", "enter": "Enter", "space": "Space"}.get(key, key)


def screen_title(screen: Screen[Any]) -> str:
    """'Check in', 'Log run', 'Week form': the screen's name in words, not its class."""
    name = type(screen).__name__.removesuffix("Screen")
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()
    return words[:1].upper() + words[1:]


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.about = screen

    def compose(self) -> ComposeResult:
        lines = [f"# {screen_title(self.about)}", ""]
        if self.about.HELP:
            lines += [self.about.HELP, ""]
        lines += ["## Keys", ""]
        seen = set()
        for key, active in self.about.active_bindings.items():
            binding = active.binding
            # The screen's and the app's own keys (ours all carry an id), not Textual's
            # generic ones (tab, ctrl+c) nor the focused widget's cursor keys.
            if active.node not in (self.about, self.app) or binding.id is None:
                continue
            if binding.description in seen:
                continue
            seen.add(binding.description)
            lines.append(f"- `{_key_name(key)}` {binding.description}")
        lines += [
            "- `ctrl+p` the command palette: every action by name",
            "- `Esc` closes this help",
        ]
        with VerticalScroll(id="help"):
            yield Markdown("\n".join(lines))
