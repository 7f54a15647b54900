"""Fixing a record from History: edit its fields, or delete it (with a confirmation;
`u` in History undoes). Every value typed is checked by the journal as new input."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from legcoach.errors import StoreError
from legcoach.journal import Journal
from legcoach.models import EDITABLE_FIELDS, Record
from legcoach.parsing import parse_when
from legcoach.tui import format as fmt
from legcoach.tui.safe import plain
from legcoach.tui.widgets.footer import Footer
from legcoach.vocab import (
    FIELD_RANGES,
    LOGGABLE_RUN_TYPES,
    Fuel,
    Goal,
    LegKind,
    LegsFelt,
    RecordKind,
)

# Enumerations are chosen, not typed: only what the record accepts is offered.
CHOICES: dict[str, list[tuple[str, object]]] = {
    "kind": [(kind.label, kind) for kind in LegKind],
    "run_type": [(run_type.label, run_type) for run_type in LOGGABLE_RUN_TYPES],
    "legs_felt": [(felt.value, felt) for felt in LegsFelt],
    "fuel": [(fuel.label, fuel) for fuel in Fuel],
    "goal": [(goal.label, goal) for goal in Goal],
    # As words: Textual's Select reads False as "nothing chosen".
    "warmup": [("yes", "yes"), ("no", "no")],
}
AS_CHOSEN = {True: "yes", False: "no"}
FROM_CHOSEN = {"yes": True, "no": False}

# How each editable field (models.EDITABLE_FIELDS) is asked: (label, hint).
WHEN = ("When", "'2h ago', 'yesterday 18:00' or an ISO time")
FIELD_PROMPTS: dict[str, tuple[str, str]] = {
    "at": WHEN,
    "ended_at": ("Ended", WHEN[1]),
    "rpe": ("Effort (RPE)", "{}-{}"),
    "kind": ("Kind", "heavy-strength, volume, plyometric, eccentric, new-exercises, mixed"),
    "minutes": ("Minutes", "{}-{}, or empty"),
    "note": ("Note", "any text"),
    "run_type": ("Type", "walk, recovery, easy, steady, quality"),
    "legs_felt": ("Legs felt", "fresh, fine, heavy, sore, painful, or empty"),
    "soreness": ("Soreness", "{}-{}"),
    "sleep": ("Sleep", "{}-{}, or empty"),
    "energy": ("Energy", "{}-{}, or empty"),
    "stress": ("Stress", "{}-{}, or empty"),
    "fuel": ("Carbs", "none, snack, meal, or empty"),
    "goal": ("Goal", "endurance, muscle, fat-loss, fitness, or empty"),
    "warmup": ("Warm-up", "yes, no, or empty"),
}
# Where a run's field reads otherwise than a leg session's.
RUN_PROMPTS = {"minutes": ("Minutes", "{}-{}"), "rpe": ("Effort (RPE)", "{}-{}, or empty")}


def prompt_for(kind: RecordKind, field: str) -> tuple[str, str]:
    """(label, hint) of an editable field, its range read from the vocabulary."""
    label, hint = {**FIELD_PROMPTS, **(RUN_PROMPTS if kind == RecordKind.RUN else {})}[field]
    bounds = FIELD_RANGES[kind].get(field)
    return label, hint.format(*bounds) if bounds else hint


TIME_FIELDS = {"at", "ended_at"}


def shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return str(getattr(value, "value", value))


def read(field: str, text: str, now: datetime) -> Any:
    text = text.strip()
    if field in TIME_FIELDS:
        return parse_when(text, now)
    if field == "note":
        return text
    if not text:
        return None
    return text


class EditScreen(ModalScreen[Record | None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="edit.cancel"),
        Binding("ctrl+s", "save", "Save", id="edit.save"),
    ]

    def __init__(self, journal: Journal, record: Record) -> None:
        super().__init__()
        self.journal = journal
        self.record = record
        kind = record.kind_name
        self.fields = [(f, *prompt_for(kind, f)) for f in EDITABLE_FIELDS[kind]]

    def compose(self) -> ComposeResult:
        with Vertical(id="edit"):
            yield Static(
                Content.from_markup(
                    "[b]Edit[/b] $what", what=self.record.summary(fmt.units_of(self.app))
                ),
                id="edit-title",
            )
            with VerticalScroll(id="edit-fields"):
                for field, label, hint in self.fields:
                    with Horizontal(classes="edit-row"):
                        yield Label(label, classes="edit-label")
                        value = getattr(self.record, field)
                        if isinstance(value, bool):
                            value = AS_CHOSEN[value]
                        if field in CHOICES:
                            given = {} if value is None else {"value": value}
                            yield Select(
                                CHOICES[field],
                                prompt="(not given)",
                                id=f"edit-{field}",
                                compact=True,
                                **given,
                            )
                        else:
                            yield Input(
                                shown(value),
                                placeholder=hint,
                                id=f"edit-{field}",
                                compact=True,
                            )
            yield Label("", id="edit-error")
            yield Static("Enter on the last field or ctrl+s saves; Escape cancels.", id="edit-hint")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # The first field has the focus, so the first Tab goes to the second.
        self.query_one(f"#edit-{self.fields[0][0]}").focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_save()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    def action_save(self) -> None:
        error = self.query_one("#edit-error", Label)
        changes: dict[str, Any] = {}
        for field, label, _ in self.fields:
            if field in CHOICES:
                select = self.query_one(f"#edit-{field}", Select)
                chosen = select.value
                if select.is_blank():
                    changes[field] = None
                elif field == "warmup":
                    changes[field] = FROM_CHOSEN[str(chosen)]
                else:
                    changes[field] = chosen
                continue
            text = self.query_one(f"#edit-{field}", Input).value
            try:
                changes[field] = read(field, text, self.journal.now())
            except ValueError as problem:
                error.update(plain(f"{label}: {problem}"))
                return
        try:
            saved = self.journal.edit(str(self.record.id), changes)
        except StoreError as problem:
            error.update(plain(problem))
            return
        self.dismiss(saved)


class ConfirmDelete(ModalScreen[bool]):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("y", "dismiss(True)", "Delete", id="delete.yes"),
        Binding("n,escape", "dismiss(False)", "Keep", id="delete.no"),
    ]

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(
                Content.from_markup(
                    "Delete [b]$what[/b] ($when)?\n\n"
                    "[b]y[/b] deletes it (u in History brings it back), [b]n[/b] keeps it.",
                    what=self.record.summary(fmt.units_of(self.app)),
                    when=f"{self.record.when.astimezone():%a %d %b %H:%M}",
                )
            )
        yield Footer(compact=True, show_command_palette=False)
