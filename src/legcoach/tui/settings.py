"""Settings: goal, running experience, max heart rate, units and theme, in the app (also
`legcoach profile`)."""

from __future__ import annotations

from legcoach.errors import StoreError
from legcoach.journal import Journal
from legcoach.models import Profile
from legcoach.tui.safe import notify_plain
from legcoach.tui.wizard import Answers, ChoiceQuestion, TypedQuestion, WizardScreen
from legcoach.vocab import GOAL_LABELS, Experience, Units

UNIT_CHOICES = [(Units.METRIC, "Metric (km)"), (Units.IMPERIAL, "Imperial (mi)")]


def read_max_hr(text: str) -> int | None:
    text = text.strip()
    if not text or text.lower() in ("none", "-"):
        return None
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"type beats per minute, 100-230, or leave it empty (got {text!r})")
    value = int(text)
    if not 100 <= value <= 230:
        raise ValueError(f"{value} is out of range: 100 to 230 beats per minute")
    return value


class SettingsScreen(WizardScreen[Profile | None]):
    def __init__(self, journal: Journal, themes: list[str], current_theme: str) -> None:
        self.journal = journal
        profile = journal.profile()
        self.profile = profile
        super().__init__(
            "Settings",
            [
                ChoiceQuestion(
                    "goal", "Your training goal", list(GOAL_LABELS.items()), default=profile.goal
                ),
                ChoiceQuestion(
                    "experience",
                    "Your running so far",
                    [(level, level.label.capitalize()) for level in Experience],
                    default=profile.experience or Experience.SOME,
                    hint="New to running keeps your runs easy for the first six weeks.",
                ),
                TypedQuestion(
                    "max_hr",
                    "Your maximum heart rate (beats per minute)",
                    str(profile.max_hr or ""),
                    read_max_hr,
                    hint="Adds heart-rate caps to plans and types imported runs; empty for none.",
                    placeholder="e.g. 188",
                ),
                ChoiceQuestion("units", "Units for distances", UNIT_CHOICES, default=profile.units),
                ChoiceQuestion(
                    "theme",
                    "Theme",
                    [(name, name) for name in themes],
                    default=current_theme,
                    hint="Arrows or a digit; Enter saves everything.",
                ),
            ],
        )

    def finish(self, answers: Answers) -> None:
        theme = answers.pop("theme")
        profile = self.profile.model_copy(update={**answers, "theme": theme})
        try:
            self.journal.save_profile(profile)
        except StoreError as error:
            notify_plain(self, error, title="Not saved", severity="error", timeout=15)
            return
        self.app.theme = theme
        notify_plain(self, "Settings saved.", title="Settings")
        self.dismiss(profile)
