"""A whole number typed digit by digit (hours ago, minutes), checked as it is typed."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class NumberField(Widget, can_focus=True):
    """Digits type, backspace deletes, up/down step by one. The first digit replaces the
    suggested value, as in a form field that starts selected."""

    text: reactive[str] = reactive("")

    def __init__(self, value: int | None, unit: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.unit = unit
        self.set_reactive(NumberField.text, "" if value is None else str(value))
        self._fresh = True

    @property
    def value(self) -> int | None:
        return int(self.text) if self.text else None

    def render(self) -> Text:
        shown = self.text or " "
        return Text.assemble((f" {shown} ", "reverse bold"), f"  {self.unit}")

    def type_digit(self, digit: str) -> None:
        self.text = digit if self._fresh else (self.text + digit)[:6].lstrip("0") or "0"
        self._fresh = False

    def backspace(self) -> None:
        self.text = self.text[:-1]
        self._fresh = False

    def step(self, delta: int) -> None:
        self.text = str(max(0, (self.value or 0) + delta))
        self._fresh = False
