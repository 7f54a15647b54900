"""One question per step: the check-in and the log screens are wizards built from these.

Enter continues, Escape goes back a step, digits pick values, and an invalid answer is
explained in place. Nothing is saved until the last step (`WizardScreen.finish`).

Every key a wizard uses is a priority binding of the wizard screen, applied to the
current question at once. Keys sent to focused widgets are queued and handled later,
so with them a fast typist's "1⏎2⏎" could reach a question that is already gone;
handled here, typed-ahead answers always land on the step they were meant for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any, Generic, TypeVar

from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    ContentSwitcher,
    Input,
    Label,
    OptionList,
    ProgressBar,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option, OptionDoesNotExist

from legcoach.tui.safe import plain
from legcoach.tui.widgets.footer import Footer
from legcoach.tui.widgets.scale import ScalePicker
from legcoach.tui.widgets.title import TitleBar

T = TypeVar("T")
Answers = dict[str, Any]


class InvalidAnswer(ValueError):
    """Raised by a question whose answer cannot be accepted; the message is shown in place."""


class Question(Vertical):
    """A step of a wizard. Subclasses provide the control, handle keys and read the answer."""

    DEFAULT_CLASSES = "question"

    def __init__(
        self,
        key: str,
        title: str,
        hint: str = "",
        *,
        applies: Callable[[Answers], bool] | None = None,
        depends_on: str | None = None,
    ) -> None:
        super().__init__(id=f"q-{key}")
        self.key = key
        self.title = title
        self.hint = hint
        self._applies = applies
        self.depends_on = depends_on

    def applies(self, answers: Answers) -> bool:
        return self._applies(answers) if self._applies else True

    def counted(self, answers: Answers) -> bool:
        """A step of its own in "Step N of M": a question that follows up another (the
        leg workout's when, how hard, what kind) is a part of that one's step instead, so
        the total never changes with an answer."""
        return self.depends_on is None and self.applies(answers)

    def compose(self) -> ComposeResult:
        yield Static(self.title, classes="question-title")
        if self.hint:
            yield Static(self.hint, classes="question-hint")
        control = self.control()
        control.add_class("control")
        yield control
        yield Label("", classes="question-error")

    def control(self) -> Widget:
        raise NotImplementedError

    @property
    def control_widget(self) -> Widget:
        return self.query(".control").first()

    def press(self, key: str) -> None:
        """A key meant for this question: a digit, arrow, space or backspace."""

    def answer(self) -> Any:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        # The message quotes what was typed: plain text, never markup ('[/]q12m').
        self.query_one(".question-error", Label).update(plain(message))
        self.set_class(bool(message), "-invalid")


class ChoiceQuestion(Question, Generic[T]):
    """Pick one of a few options: arrows move, digits 1-9 jump to an option."""

    def __init__(
        self,
        key: str,
        title: str,
        choices: Sequence[tuple[T, str]],
        default: T | None = None,
        hint: str = "Arrows or a digit to choose, Enter to continue.",
        **kwargs: Any,
    ) -> None:
        super().__init__(key, title, hint, **kwargs)
        self.choices = list(choices)
        values = [value for value, _ in self.choices]
        self.default_index = values.index(default) if default in values else 0

    def control(self) -> Widget:
        options = [
            Option(f"{number}. {label}", id=str(number - 1))
            for number, (_, label) in enumerate(self.choices, 1)
        ]
        option_list = OptionList(*options)
        option_list.highlighted = self.default_index
        return option_list

    def press(self, key: str) -> None:
        option_list = self.query_one(OptionList)
        current = option_list.highlighted or 0
        if key in ("up", "left"):
            option_list.highlighted = max(0, current - 1)
        elif key in ("down", "right"):
            option_list.highlighted = min(len(self.choices) - 1, current + 1)
        elif key.isdigit() and 1 <= int(key) <= len(self.choices):
            option_list.highlighted = int(key) - 1

    def answer(self) -> T:
        index = self.query_one(OptionList).highlighted
        if index is None:
            raise InvalidAnswer("Choose one of the options.")
        return self.choices[index][0]


class ScaleQuestion(Question):
    def __init__(
        self,
        key: str,
        title: str,
        low: int,
        high: int,
        default: int | None = None,
        *,
        low_label: str = "",
        high_label: str = "",
        hint: str = "",
        **kwargs: Any,
    ) -> None:
        digits = "a digit (1 then 0 for 10)" if high >= 10 else "a digit"
        super().__init__(
            key, title, hint or f"Type {digits} or use the arrows; Enter continues.", **kwargs
        )
        self._make_picker = functools.partial(
            ScalePicker, low, high, default, low_label=low_label, high_label=high_label
        )

    @functools.cached_property
    def picker(self) -> ScalePicker:
        # Made when the question is first shown: a wizard makes all its questions at
        # once, and the widgets of those not reached yet would only delay the first.
        return self._make_picker()

    def control(self) -> Widget:
        return self.picker

    def press(self, key: str) -> None:
        if key in ("left", "down"):
            self.picker.action_move(-1)
        elif key in ("right", "up"):
            self.picker.action_move(1)
        elif key.isdigit():
            self.picker.type_digit(key)

    def answer(self) -> int:
        return self.picker.value


class TickList(SelectionList[int]):
    """A SelectionList whose boxes show their state in the glyph, not only the shade:
    an unticked box is empty, so ticked and unticked differ without colour (NO_COLOR,
    a monochrome terminal) as they do on paper."""

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        if selection.value in self.selected:
            return line
        segments = list(line)
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER:
            segments[1] = Segment(" " * len(segments[1].text), segments[1].style)
        return Strip(segments, line.cell_length)


class FlagsQuestion(Question, Generic[T]):
    """Any number of options: a digit (or space on the highlighted one) toggles; none is an
    answer too."""

    def __init__(
        self,
        key: str,
        title: str,
        flags: Sequence[tuple[T, str]],
        selected: Sequence[T] = (),
        hint: str = "A digit or Space toggles; Enter continues (nothing ticked means none).",
        **kwargs: Any,
    ) -> None:
        super().__init__(key, title, hint, **kwargs)
        self.flags = list(flags)
        self.selected = set(selected)

    def control(self) -> Widget:
        return TickList(
            *[
                (f"{number}. {label}", number - 1, value in self.selected)
                for number, (value, label) in enumerate(self.flags, 1)
            ]
        )

    def compose(self) -> ComposeResult:
        yield from super().compose()
        # In words too: ticked and unticked boxes differ only by shade (grey under
        # NO_COLOR), which the text alone, as a screen reader gets it, does not show.
        yield Static(self._ticked_text(self.selected), classes="flags-ticked")

    def _ticked_text(self, chosen: Iterable[T]) -> str:
        ticked = set(chosen)
        labels = [label for value, label in self.flags if value in ticked]
        return "Ticked: " + "; ".join(labels) if labels else "Nothing ticked."

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[Any]) -> None:
        self.query_one(".flags-ticked", Static).update(self._ticked_text(self.answer()))

    def press(self, key: str) -> None:
        flags = self.query_one(SelectionList)
        current = flags.highlighted or 0
        if key == "up":
            flags.highlighted = max(0, current - 1)
        elif key == "down":
            flags.highlighted = min(len(self.flags) - 1, current + 1)
        elif key == "space":
            flags.toggle(current)
        elif key.isdigit() and 1 <= int(key) <= len(self.flags):
            flags.highlighted = int(key) - 1
            flags.toggle(int(key) - 1)

    def answer(self) -> frozenset[T]:
        chosen = self.query_one(SelectionList).selected
        return frozenset(self.flags[index][0] for index in chosen)


# Keys a typed answer takes, by Textual key name, and the character each types.
TYPED_CHARACTERS = {
    **{letter: letter for letter in "abcdefghijklmnopqrstuvwxyz"},
    **{str(digit): str(digit) for digit in range(10)},
    "full_stop": ".",
    "colon": ":",
    "minus": "-",
    "space": " ",
    "slash": "/",
    "plus": "+",
}


class _Field(Input):
    """An Input whose keys come from the wizard (it declines to consume printable keys,
    which would otherwise bypass the wizard's bindings and the order they keep)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return False


class TypedQuestion(Question):
    """An answer typed as text (Textual's Input): what is shown is exactly what is read,
    and a value that cannot be read is explained right under the field. Keys come
    through the wizard's priority bindings like every other question's, so typed-ahead
    keys always land in the field they were meant for. The first character typed
    replaces the suggested value, as in a form field that starts selected."""

    def __init__(
        self,
        key: str,
        title: str,
        default: str,
        parse: Callable[[str], Any],
        *,
        hint: str = "",
        placeholder: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(key, title, hint or "Type, then Enter to continue.", **kwargs)
        self.default = default
        self.parse = parse
        self._make_field = functools.partial(
            _Field, default, placeholder=placeholder, compact=True, select_on_focus=False
        )
        self._untouched = True

    @functools.cached_property
    def field(self) -> _Field:
        # Made when the question is first shown (as ScaleQuestion's picker).
        return self._make_field()

    def control(self) -> Widget:
        return self.field

    def press(self, key: str) -> None:
        field = self.field
        if key in TYPED_CHARACTERS:
            if self._untouched:
                field.value = TYPED_CHARACTERS[key]
                field.cursor_position = len(field.value)
            else:
                field.insert_text_at_cursor(TYPED_CHARACTERS[key])
        elif key == "backspace":
            field.action_delete_left()
        elif key == "left":
            field.action_cursor_left()
        elif key == "right":
            field.action_cursor_right()
        else:
            return
        self._untouched = False
        self.show_error("")  # the old complaint no longer fits what is typed

    def answer(self) -> Any:
        try:
            return self.parse(self.field.value)
        except ValueError as error:
            raise InvalidAnswer(str(error)) from None


def bounded(
    parse: Callable[[str], timedelta], low: timedelta, high: timedelta, what: str
) -> Callable[[str], timedelta]:
    """A duration parser that also checks the range, in words."""

    def read(text: str) -> timedelta:
        if not text.strip():
            raise ValueError(f"Type {what}.")
        try:
            value = parse(text)
        except ValueError as error:
            if "at most" not in str(error):
                raise
            value = high + high  # a duration past every bound: said as out of range below
        if not low <= value <= high:
            raise ValueError(f"{text.strip()} is out of range ({what}).")
        return value

    return read


_QUESTION_KEYS = [*TYPED_CHARACTERS, "up", "down", "left", "right", "backspace"]


class WizardScreen(Screen[T]):
    """Shows one question at a time with a progress indicator; subclasses implement `finish`."""

    CSS_PATH = "wizard.tcss"

    BINDINGS = [
        Binding("enter", "next", "Continue", priority=True, id="wizard.next"),
        Binding("escape", "back", "Back", priority=True, id="wizard.back"),
        *[Binding(key, f"press('{key}')", show=False, priority=True) for key in _QUESTION_KEYS],
    ]
    HELP = (
        "Answer one question per step. **Enter** continues, **Escape** goes back a step "
        "(on the first step it leaves without saving). Digits pick values, arrows move. "
        "Nothing is saved until you finish the last step."
    )

    def __init__(self, title: str, questions: Sequence[Question]) -> None:
        super().__init__()
        self.wizard_title = title
        self.questions = list(questions)
        self.answers: Answers = {}
        self.position = 0

    def compose(self) -> ComposeResult:
        yield TitleBar(self.wizard_title)
        with Vertical(id="wizard"):
            yield Label("", id="wizard-step")
            yield ProgressBar(show_eta=False, show_percentage=False, id="wizard-progress")
            # Only the first question is composed with the screen (a check-in has 13 of
            # some ten widgets each: composing and styling them all delayed its first
            # frame); each later one is mounted when it is reached.
            with ContentSwitcher(initial=self.questions[0].id, id="wizard-questions"):
                yield self.questions[0]
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._show(0)

    async def _reach(self, position: int) -> None:
        """Show a question, mounting it first if it has not been shown yet. Awaited by
        the actions, so a key typed ahead always finds its question mounted."""
        question = self.questions[position]
        if not question.is_attached:
            await self.query_one(ContentSwitcher).mount(question)
        self._show(position)

    @property
    def current(self) -> Question:
        return self.questions[self.position]

    def _applicable(self) -> list[int]:
        return [i for i, q in enumerate(self.questions) if q.applies(self.answers)]

    def _show(self, position: int) -> None:
        self.position = position
        counted = [i for i, q in enumerate(self.questions) if q.counted(self.answers)]
        # A follow-up belongs to the step before it (the question it follows up).
        step = max((i for i in counted if i <= position), default=counted[0] if counted else 0)
        number = counted.index(step) + 1 if step in counted else 1
        parts = [step] + [
            i
            for i, q in enumerate(self.questions)
            if q.depends_on == self.questions[step].key and q.applies(self.answers)
        ]
        label = f"Step {number} of {len(counted)}"
        if len(parts) > 1 and position in parts:
            label += f", part {parts.index(position) + 1} of {len(parts)}"
        self.query_one("#wizard-step", Label).update(label)
        # Full at the last step: the bar counts the step being answered.
        self.query_one(ProgressBar).update(total=len(counted), progress=number)
        self.query_one(ContentSwitcher).current = self.current.id
        self.set_focus(self.current.control_widget)

    def action_press(self, key: str) -> None:
        self.current.press(key)

    async def action_next(self) -> None:
        question = self.current
        try:
            value = question.answer()
        except InvalidAnswer as error:
            question.show_error(str(error))
            return
        question.show_error("")
        self.answers[question.key] = value
        later = [i for i in self._applicable() if i > self.position]
        if later:
            await self._reach(later[0])
        else:
            live = {q.key for q in self.questions if q.applies(self.answers)}
            self.finish({k: v for k, v in self.answers.items() if k in live})

    async def action_back(self) -> None:
        earlier = [i for i in self._applicable() if i < self.position]
        if earlier:
            await self._reach(earlier[-1])
        else:
            self.dismiss(None)

    def finish(self, answers: Answers) -> None:
        raise NotImplementedError
