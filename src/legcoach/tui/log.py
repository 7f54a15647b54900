"""Logging what was done: a run afterwards, or a leg workout on its own."""

from __future__ import annotations

from datetime import timedelta

from legcoach.errors import StoreError
from legcoach.journal import Journal
from legcoach.models import LegSession, LegsFelt, Recommendation, RunLog, RunType
from legcoach.parsing import parse_amount, parse_distance
from legcoach.text import problem_in
from legcoach.tui.checkin import leg_questions, leg_session_from, when_question
from legcoach.tui.safe import notify_plain
from legcoach.tui.wizard import (
    Answers,
    ChoiceQuestion,
    ScaleQuestion,
    TypedQuestion,
    WizardScreen,
    bounded,
)
from legcoach.vocab import LOGGABLE_RUN_TYPES, RUN_MINUTES_RANGE, Units

NOTE_LIMIT = 500  # the record's own limit (models.Note)

FELT_CHOICES = [
    (LegsFelt.FRESH, "Fresh"),
    (LegsFelt.FINE, "Fine"),
    (LegsFelt.HEAVY, "Heavy"),
    (LegsFelt.SORE, "Sore"),
    (LegsFelt.PAINFUL, "Painful"),
]


def _read_distance(text: str, imperial: bool) -> float | None:
    return parse_distance(text, imperial=imperial) if text.strip() else None


def _read_note(text: str) -> str:
    if len(text) > NOTE_LIMIT:
        raise ValueError(f"at most {NOTE_LIMIT} characters (got {len(text)})")
    problem = problem_in(text)
    if problem:
        raise ValueError(problem)
    return text.strip()


class LogRunScreen(WizardScreen[RunLog | None]):
    def __init__(self, journal: Journal, plan: Recommendation | None = None) -> None:
        self.journal = journal
        imperial = journal.profile().units == Units.IMPERIAL
        planned = plan.run_type if plan and plan.run_type > RunType.REST else RunType.EASY
        minutes = plan.duration_min[1] if plan and plan.duration_min[1] else 30
        super().__init__(
            "Log a run",
            [
                ChoiceQuestion(
                    "run_type",
                    "What did you actually run?",
                    [(t, t.label) for t in LOGGABLE_RUN_TYPES],
                    default=planned,
                ),
                TypedQuestion(
                    "minutes",
                    "How long did you run?",
                    str(minutes),
                    bounded(
                        lambda text: parse_amount(text, "m"),
                        timedelta(minutes=RUN_MINUTES_RANGE[0]),
                        timedelta(minutes=RUN_MINUTES_RANGE[1]),
                        "minutes, {} to {}".format(*RUN_MINUTES_RANGE),
                    ),
                    hint="Minutes (45), or 1h15; Enter continues.",
                ),
                ScaleQuestion(
                    "rpe",
                    "How hard did it feel? (RPE)",
                    1,
                    10,
                    plan.max_rpe if plan and plan.max_rpe else 4,
                    low_label="very easy",
                    high_label="max",
                ),
                ChoiceQuestion(
                    "legs_felt", "How did your legs feel?", FELT_CHOICES, default=LegsFelt.FINE
                ),
                TypedQuestion(
                    "distance_m",
                    "How far? (optional)",
                    "",
                    lambda text: _read_distance(text, imperial),
                    hint=f"10k, 6.2mi, or a number in {'miles' if imperial else 'km'}; "
                    "empty to skip. Enter continues.",
                    placeholder="e.g. 10k",
                ),
                TypedQuestion(
                    "note",
                    "A note? (optional)",
                    "",
                    _read_note,
                    hint="Anything to remember about it; empty to skip. Enter continues.",
                ),
                when_question("When did it end?", journal.now),
            ],
        )

    def finish(self, answers: Answers) -> None:
        minutes = max(1, round(answers.pop("minutes") / timedelta(minutes=1)))
        run = RunLog(minutes=minutes, **answers)
        try:
            run = self.journal.log_run(run)
        except StoreError as error:
            notify_plain(self, error, title="Not saved", severity="error", timeout=15)
            return
        self.dismiss(run)


class LogLegsScreen(WizardScreen[LegSession | None]):
    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        super().__init__("Log a leg workout", leg_questions(legs_asked=False, now=journal.now))

    def finish(self, answers: Answers) -> None:
        session = leg_session_from(answers, self.journal)
        try:
            session = self.journal.log_legs(session)
        except StoreError as error:
            notify_plain(self, error, title="Not saved", severity="error", timeout=15)
            return
        self.dismiss(session)
