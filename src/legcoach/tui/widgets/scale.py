"""A row of numbers to pick from with digits or arrows: soreness 0-10, RPE 1-10, sleep 1-5."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget


class ScalePicker(Widget, can_focus=True):
    """Digits pick a value ("1" then "0" gives 10); left/right move; nothing else to learn."""

    BINDINGS = [
        Binding("left,h", "move(-1)", "Less", show=False),
        Binding("right,l", "move(1)", "More", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(1)", show=False),
    ]
    HELP = "Type a digit to pick it (1 then 0 for 10), or use the left and right arrows."

    value: reactive[int] = reactive(0)

    def __init__(
        self,
        low: int,
        high: int,
        value: int | None = None,
        *,
        low_label: str = "",
        high_label: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.low = low
        self.high = high
        self.low_label = low_label
        self.high_label = high_label
        self.set_reactive(ScalePicker.value, low if value is None else value)
        self._last_digit: str | None = None

    def render(self) -> Text:
        text = Text()
        if self.low_label:
            text.append(f"{self.low_label}  ", style="dim")
        for number in range(self.low, self.high + 1):
            chosen = number == self.value
            text.append(
                f" {number} ",
                style="reverse bold" if chosen else "",
            )
        if self.high_label:
            text.append(f"  {self.high_label}", style="dim")
        return text

    def action_move(self, step: int) -> None:
        self.value = max(self.low, min(self.high, self.value + step))
        self._last_digit = None

    def action_jump(self, to_high: int) -> None:
        self.value = self.high if to_high else self.low
        self._last_digit = None

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit():
            event.stop()
            self.type_digit(event.character)

    def type_digit(self, digit: str) -> None:
        if self._last_digit == "1" and digit == "0" and self.high >= 10:
            self.value = 10
            self._last_digit = None
            return
        number = int(digit)
        if self.low <= number <= self.high:
            self.value = number
        self._last_digit = digit
