"""The daily check-in (and, on first launch, the goal and the last leg workout)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from legcoach.journal import Journal
from legcoach.models import (
    GOAL_LABELS,
    RED_FLAG_LABELS,
    CheckIn,
    Fuel,
    Goal,
    LegKind,
    LegSession,
)
from legcoach.storage.files import StoreError
from legcoach.tui.wizard import (
    Answers,
    ChoiceQuestion,
    FlagsQuestion,
    NumberQuestion,
    Question,
    ScaleQuestion,
    WizardScreen,
)

GOAL_CHOICES = list(GOAL_LABELS.items())
KIND_CHOICES: list[tuple[LegKind | None, str]] = [
    (LegKind.HEAVY_STRENGTH, "Heavy strength (squats, deadlifts)"),
    (LegKind.VOLUME, "Volume / hypertrophy"),
    (LegKind.PLYOMETRIC, "Plyometric (jumps)"),
    (LegKind.ECCENTRIC, "Heavy eccentric (slow lowering)"),
    (LegKind.NEW_EXERCISES, "New exercises"),
    (None, "Mixed / not sure"),
]
MAX_LEGS_AGO_HOURS = 30 * 24


def leg_questions(legs_asked: bool, default_rpe: int = 7) -> list[Question]:
    """When, how hard and what kind: shared by the check-in and 'log a leg workout'."""

    def logging(answers: Answers) -> bool:
        return not legs_asked or bool(answers.get("legs"))

    return [
        NumberQuestion(
            "legs_ago",
            "How many hours ago did the leg workout end?",
            0,
            MAX_LEGS_AGO_HOURS,
            None,
            "hours ago",
            convert=lambda hours: timedelta(hours=hours),
            hint="Type the hours (48 for two days); Enter continues.",
            applies=logging,
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
        ),
        ChoiceQuestion(
            "legs_kind", "What kind of session was it?", KIND_CHOICES, default=None, applies=logging
        ),
    ]


def leg_session_from(answers: Answers, journal: Journal) -> LegSession:
    return LegSession(
        ended_at=journal.now() - answers["legs_ago"],
        rpe=answers["legs_rpe"],
        kind=answers["legs_kind"],
    )


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    replaced: bool


class CheckInScreen(WizardScreen[CheckInResult | None]):
    """Questions in the order a runner thinks of them; saved together at the end."""

    def __init__(self, journal: Journal, *, first_launch: bool = False) -> None:
        self.journal = journal
        self.first_launch = first_launch
        now = journal.now()
        profile = journal.profile()
        today = journal.store.checkin_on(now.date())
        questions: list[Question] = []
        if first_launch:
            questions.append(
                ChoiceQuestion(
                    "goal",
                    "Welcome to legcoach. What is your main training goal?",
                    GOAL_CHOICES,
                    default=profile.goal or Goal.FITNESS,
                    hint="It shapes every plan; change it any day in the check-in.",
                )
            )
        legs_title = (
            "Have you done a leg workout in the last few days?"
            if first_launch
            else "Any leg workout since your last check-in?"
        )
        questions.append(
            ChoiceQuestion("legs", legs_title, [(False, "No"), (True, "Yes, log it now")])
        )
        questions += leg_questions(legs_asked=True)
        questions += [
            ScaleQuestion(
                "soreness",
                "How sore are your legs right now?",
                0,
                10,
                today.soreness if today and today.soreness is not None else 0,
                low_label="none",
                high_label="worst",
            ),
            FlagsQuestion(
                "red_flags",
                "Any of these right now?",
                list(RED_FLAG_LABELS.items()),
                selected=sorted(today.red_flags) if today else (),
            ),
        ]
        if not first_launch:
            questions.append(
                ChoiceQuestion(
                    "goal",
                    "Today's training goal",
                    GOAL_CHOICES,
                    default=(today.goal if today and today.goal else profile.goal),
                )
            )
        questions += [
            ChoiceQuestion(
                "fuel",
                "Carbs since the leg workout, or before this run?",
                [(Fuel.NONE, "None yet"), (Fuel.SNACK, "A snack"), (Fuel.MEAL, "A proper meal")],
                default=today.fuel if today else Fuel.MEAL,
            ),
            ScaleQuestion(
                "sleep",
                "How well did you sleep?",
                1,
                5,
                today.sleep if today and today.sleep else 3,
                low_label="badly",
                high_label="very well",
            ),
            ScaleQuestion(
                "energy",
                "How is your energy?",
                1,
                5,
                today.energy if today and today.energy else 3,
                low_label="drained",
                high_label="great",
            ),
            ChoiceQuestion(
                "warmup",
                "Will you warm up before you run?",
                [(True, "Yes, 5-10 minutes"), (False, "No")],
                default=today.warmup if today and today.warmup is not None else True,
            ),
        ]
        title = "First check-in" if first_launch else f"Check-in, {now:%A %d %B}"
        super().__init__(title, questions)

    def finish(self, answers: Answers) -> None:
        journal = self.journal
        session = leg_session_from(answers, journal) if answers.get("legs") else None
        checkin = CheckIn(
            at=journal.now(),
            soreness=answers["soreness"],
            red_flags=answers["red_flags"],
            goal=answers["goal"],
            fuel=answers["fuel"],
            sleep=answers["sleep"],
            energy=answers["energy"],
            warmup=answers["warmup"],
            leg_session_id=session.id if session else None,
        )
        try:
            if self.first_launch:
                journal.save_profile(journal.profile().model_copy(update={"goal": answers["goal"]}))
            if session:
                journal.log_legs(session)
            stored, replaced = journal.check_in(checkin)
        except StoreError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=15)
            return
        self.dismiss(CheckInResult(stored, replaced))
