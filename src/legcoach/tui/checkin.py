"""The daily check-in (and, on first launch, the goal and the last leg workout)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from legcoach.errors import StoreError
from legcoach.journal import Journal
from legcoach.models import CheckIn, LegSession, checkin_prefill
from legcoach.parsing import parse_ago, parse_when
from legcoach.tui import format as fmt
from legcoach.tui.safe import notify_plain
from legcoach.tui.wizard import (
    Answers,
    ChoiceQuestion,
    FlagsQuestion,
    Question,
    ScaleQuestion,
    TypedQuestion,
    WizardScreen,
    bounded,
)
from legcoach.vocab import GOAL_LABELS, RED_FLAG_LABELS, Experience, Fuel, LegKind

GOAL_CHOICES = list(GOAL_LABELS.items())
KIND_CHOICES: list[tuple[LegKind, str]] = [
    (LegKind.HEAVY_STRENGTH, "Heavy strength (squats, deadlifts)"),
    (LegKind.VOLUME, "Volume / hypertrophy"),
    (LegKind.PLYOMETRIC, "Plyometric (jumps)"),
    (LegKind.ECCENTRIC, "Heavy eccentric (slow lowering)"),
    (LegKind.NEW_EXERCISES, "New exercises"),
    (LegKind.MIXED, "Mixed / not sure"),
]
MAX_LEGS_AGO = timedelta(days=30)


def when_question(title: str, now: Callable[[], datetime]) -> TypedQuestion:
    """When it happened: 'now' unless said otherwise ('2h ago', 'yesterday 18:00')."""
    return TypedQuestion(
        "at",
        title,
        "now",
        lambda text: parse_when(text, now()),
        hint="'now', '2h ago', 'yesterday 18:00' or 2026-11-24 18:30; Enter continues.",
    )


def leg_questions(
    legs_asked: bool, now: Callable[[], datetime], default_rpe: int = 7
) -> list[Question]:
    """When, how hard and what kind: shared by the check-in and 'log a leg workout'."""

    def logging(answers: Answers) -> bool:
        return not legs_asked or bool(answers.get("legs"))

    return [
        TypedQuestion(
            "legs_ago",
            "How long ago did the leg workout end?",
            "",
            bounded(
                lambda text: parse_ago(text, now(), "h"),
                timedelta(0),
                MAX_LEGS_AGO,
                "hours ago, up to 30 days",
            ),
            hint="Hours ago (1.5, 90m, 2h30, 2d) or when (19:30, yesterday 18:00); "
            "Enter continues.",
            placeholder="e.g. 20 or 1d6",
            applies=logging,
            depends_on="legs" if legs_asked else None,
        ),
        ScaleQuestion(
            "legs_rpe",
            "How hard was it, overall? (session RPE)",
            1,
            10,
            default_rpe,
            low_label="very easy",
            high_label="max",
            applies=logging,
            depends_on="legs" if legs_asked else None,
        ),
        ChoiceQuestion(
            "legs_kind",
            "What kind of session was it?",
            KIND_CHOICES,
            default=LegKind.MIXED,
            applies=logging,
            depends_on="legs" if legs_asked else None,
        ),
    ]


def leg_session_from(answers: Answers, journal: Journal) -> LegSession:
    return LegSession(
        ended_at=journal.now() - answers["legs_ago"],
        rpe=answers["legs_rpe"],
        kind=answers["legs_kind"],
    )


class CheckInScreen(WizardScreen[None]):
    """Questions in the order a runner thinks of them; saved together at the end."""

    def __init__(self, journal: Journal, *, first_launch: bool = False) -> None:
        self.journal = journal
        self.first_launch = first_launch
        now = journal.now()
        prefill = checkin_prefill(journal.todays_checkin(now), journal.profile())
        questions: list[Question] = []
        if first_launch:
            questions.append(
                ChoiceQuestion(
                    "goal",
                    "Welcome to legcoach. What is your main training goal?",
                    GOAL_CHOICES,
                    default=prefill["goal"],
                    hint="It shapes every plan; change it any day in the check-in.",
                )
            )
            questions.append(
                ChoiceQuestion(
                    "experience",
                    "How much running do you have behind you?",
                    [(level, level.label.capitalize()) for level in Experience],
                    default=Experience.SOME,
                    hint="New to running keeps your runs easy for the first six weeks.",
                )
            )
        legs_title = (
            "Have you done a leg workout in the last few days?"
            if first_launch
            else "Any leg workout since your last check-in?"
        )
        legs_hint = "Arrows or a digit to choose, Enter to continue."
        logged = None if first_launch else self._logged_since_last_checkin(now)
        if logged is not None:
            # Logged already (with g, or another device): say so, ask only for another.
            legs_title = "Another leg workout since that one?"
            when = fmt.when(logged.ended_at, now)
            effort = f", RPE {logged.rpe}" if logged.rpe is not None else ""
            kind = f"{logged.kind.label} legs" if logged.kind else "legs"
            legs_hint = f"Logged: {kind} {when}{effort}. Arrows or a digit, Enter continues."
        questions.append(
            ChoiceQuestion(
                "legs", legs_title, [(False, "No"), (True, "Yes, log it now")], hint=legs_hint
            )
        )
        questions += leg_questions(legs_asked=True, now=journal.now)
        questions += self._readiness_questions(prefill, ask_goal=not first_launch)
        questions.append(when_question("When are these answers from?", journal.now))
        title = "First check-in" if first_launch else f"Check-in, {now:%A %d %B}"
        super().__init__(title, questions)

    def _logged_since_last_checkin(self, now: datetime) -> LegSession | None:
        """The latest leg session saved after the last check-in (within three days)."""
        last = self.journal.last_leg_session(before=now)
        if last is None or now - last.ended_at > timedelta(days=3):
            return None
        checkin = self.journal.latest_checkin(now)
        if checkin is not None and checkin.at >= last.ended_at:
            return None
        return last

    @staticmethod
    def _readiness_questions(prefill: dict[str, Any], *, ask_goal: bool) -> list[Question]:
        questions: list[Question] = [
            ScaleQuestion(
                "soreness",
                "How sore are your legs right now?",
                0,
                10,
                prefill["soreness"],
                low_label="none",
                high_label="worst",
            ),
            FlagsQuestion(
                "red_flags",
                "Any of these right now?",
                list(RED_FLAG_LABELS.items()),
                selected=sorted(prefill["red_flags"]),
            ),
        ]
        if ask_goal:
            questions.append(
                ChoiceQuestion(
                    "goal",
                    "Your training goal (saved as your goal)",
                    GOAL_CHOICES,
                    default=prefill["goal"],
                )
            )
        return [
            *questions,
            ChoiceQuestion(
                "fuel",
                "Carbs eaten before this run (and since any leg workout)?",
                [(fuel, fuel.label.capitalize()) for fuel in Fuel],
                default=prefill["fuel"],
            ),
            ScaleQuestion(
                "sleep",
                "How well did you sleep?",
                1,
                5,
                prefill["sleep"],
                low_label="badly",
                high_label="very well",
            ),
            ScaleQuestion(
                "energy",
                "How is your energy?",
                1,
                5,
                prefill["energy"],
                low_label="drained",
                high_label="great",
            ),
            ScaleQuestion(
                "stress",
                "How stressed do you feel?",
                1,
                5,
                prefill["stress"],
                low_label="calm",
                high_label="very stressed",
            ),
            ChoiceQuestion(
                "warmup",
                "Will you warm up before you run?",
                [(True, "Yes, 5-10 minutes"), (False, "No")],
                default=prefill["warmup"],
            ),
        ]

    def finish(self, answers: Answers) -> None:
        journal = self.journal
        session = leg_session_from(answers, journal) if answers.get("legs") else None
        checkin = CheckIn(
            at=answers["at"],
            soreness=answers["soreness"],
            red_flags=answers["red_flags"],
            goal=answers["goal"],
            fuel=answers["fuel"],
            sleep=answers["sleep"],
            energy=answers["energy"],
            stress=answers["stress"],
            warmup=answers["warmup"],
        )
        try:
            # One unit of work: a retry after a failure never saves the session twice.
            result = journal.check_in(checkin, session, experience=answers.get("experience"))
        except StoreError as error:
            notify_plain(self, error, title="Not saved", severity="error", timeout=15)
            return
        from legcoach.tui.plan import PlanScreen

        # The plan takes the check-in's place: dismissed first, the check-in would show
        # home again (restyled and drawn) for a moment, only to cover it with the plan.
        self.app.switch_screen(PlanScreen(journal, replaced=result.replaced))
