"""The recovery timer: time since legs, the unlock timeline and a countdown to the next.

Ticks once a second from the journal's clock and redraws only what changed, so it costs
almost nothing left open; the timeline is recomputed only when it can change (an
unlock reached, a soreness update).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, ProgressBar, Static

from legcoach.recovery import MIN_FIT_SESSIONS
from legcoach.timeline import Step, first_allowed, rank
from legcoach.tui import format as fmt
from legcoach.tui.messages import TodayChanged
from legcoach.tui.safe import notify_plain
from legcoach.tui.screen import AppScreen
from legcoach.tui.widgets.footer import Footer
from legcoach.tui.widgets.title import TitleBar
from legcoach.tui.wizard import Answers, ScaleQuestion, WizardScreen
from legcoach.vocab import RunType

if TYPE_CHECKING:
    from legcoach.journal import Journal


class SorenessUpdateScreen(WizardScreen[int | None]):
    def __init__(self, current: int | None) -> None:
        super().__init__(
            "Soreness update",
            [
                ScaleQuestion(
                    "soreness",
                    "How sore are your legs now?",
                    0,
                    10,
                    current or 0,
                    low_label="none",
                    high_label="worst",
                )
            ],
        )

    def finish(self, answers: Answers) -> None:
        self.dismiss(answers["soreness"])


class TimerScreen(AppScreen[None]):
    CSS_PATH = "timer.tcss"
    BINDINGS = [
        Binding("s", "soreness", "Soreness update", id="timer.soreness"),
        Binding("escape", "app.pop_screen", "Back", id="timer.back"),
    ]
    HELP = (
        "The recovery timer: how long since your last leg workout, which run types are "
        "allowed already, and a countdown to the next. Leave it open: it notifies you "
        "when a run type unlocks.\n\n**s** updates your soreness; the timeline moves at once."
    )

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self._shown: dict[str, str] = {}
        self._told: object = None  # the unlock already notified

    def compose(self) -> ComposeResult:
        yield TitleBar("Recovery timer")
        with Vertical(id="timer"):
            yield Static("", id="timer-since")
            # The bar alone: a bare percentage did not say of what (the way to the last unlock).
            yield ProgressBar(show_eta=False, show_percentage=False, id="timer-progress")
            with Horizontal(id="timer-middle"):
                with Vertical(id="timer-countdown-box"):
                    yield Static("", id="timer-next")
                    yield Digits("", id="timer-countdown")
                yield Static("", id="timer-timeline")
            yield Static("", id="timer-basis")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(1.0, self.tick)

    @property
    def steps(self) -> list[Step]:
        """The app's timeline of today (never empty: it starts now)."""
        return self.today.steps

    @on(TodayChanged)
    def reload(self) -> None:
        self._shown.clear()
        self.tick()
        # The recovery rate's line after the frame that shows the timeline: counting the
        # leg days it learns from reads the soreness readings again after every save.
        self.call_after_refresh(self._show_basis)

    def _show_basis(self) -> None:
        if not self.is_attached:
            return
        decay = self.journal.decay
        self._set(
            "#timer-basis",
            f"Recovery rate: based on your last {decay.based_on} leg days "
            f"(soreness halves every {decay.half_life_hours:.0f} h)."
            if decay.is_personal
            else "Recovery rate: the published average (soreness halves every "
            f"{decay.half_life_hours:.0f} h after the 48 h peak). Yours is learnt from "
            f"{MIN_FIT_SESSIONS} leg days with two soreness readings 1-7 days after each: "
            f"{self._learning_progress()}.",
        )

    def _learning_progress(self) -> str:
        have = self.journal.leg_days_with_enough_readings()
        more = max(1, MIN_FIT_SESSIONS - have)
        return f"{have} so far, {more} more to go" if have else "none yet"

    def _set(self, selector: str, text: str) -> None:
        # Only touch a widget when its text changes: an idle timer repaints almost nothing.
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector).update(text)  # type: ignore[attr-defined]

    def _set_progress(self, total: float, progress: float) -> None:
        if self._shown.get("progress") != (shown := f"{total}/{progress}"):
            self._shown["progress"] = shown
            self.query_one(ProgressBar).update(total=total, progress=progress)

    def tick(self) -> None:
        now = self.journal.now()
        unlock = self.today.next_unlock(now)
        planned = self.today.plan.next_unlock
        if planned and now >= planned.at and self._told != planned.at:
            self._told = planned.at
            notify_plain(
                self, f"{planned.run_type.label} unlocked.", title="Recovery timer", timeout=10
            )
        legs = self.today.last_legs
        allowed = self.today.allowed_at(now)
        if legs is None:
            self._set("#timer-since", "No leg workout logged: no recovery window running.")
        else:
            self._set(
                "#timer-since",
                f"Since your last leg workout: [b]{fmt.ago(now - legs.ended_at)}[/b] "
                f"({legs.effort_and_kind})",
            )
            # The bar measures the way to the last unlock; when something other than time
            # holds the plan (a red flag), there is no way to measure, so no bar.
            no_way_to_measure = unlock is None and allowed < RunType.QUALITY
            self.query_one(ProgressBar).display = not no_way_to_measure
            # The last unlock: the first step at the hardest run the timeline reaches (a
            # later step down, days off becoming a break, is no part of the way).
            top = max(self.steps, key=lambda step: rank(step.run_type)).run_type
            end = next(step.at for step in self.steps if step.run_type == top)
            window = max(1.0, (end - legs.ended_at).total_seconds())
            done = min(window, max(0.0, (now - legs.ended_at).total_seconds()))
            # In steps of 0.1 %: finer than the bar can draw, so most seconds repaint nothing.
            self._set_progress(window, round(done / window * 1000) / 1000 * window)
        if unlock:
            assumes = "".join(f", {term}" for term in unlock.conditions())
            self._set(
                "#timer-next",
                f"Allowed now: [b]{allowed.label}[/b]\n"
                f"[b]{unlock.run_type.value}[/b] unlocks {fmt.when(unlock.at, now)}{assumes} in",
            )
            self._set("#timer-countdown", fmt.countdown(unlock.at - now))
        else:
            why = (
                "a red flag holds until a new check-in clears it"
                if self.today.plan.run_type == RunType.REST
                else "nothing more unlocks on the clock alone"
            )
            self._set("#timer-next", f"Allowed now: [b]{allowed.label}[/b]\n{why}")
            self._set("#timer-countdown", "")
        lines = ["[b]Timeline[/b]"]
        pending = (
            "after a new check-in"
            if self.today.plan.run_type == RunType.REST
            else "not by time alone"
        )
        for rung, step in first_allowed(self.steps).items():
            if step is not None and step.at <= now:
                lines.append(f" ✓ {rung:<9} allowed")
            elif step is not None:
                lines.append(f" · {rung:<9} {fmt.when(step.at, now)}")
            else:
                lines.append(f"   {rung:<9} [dim]{pending}[/dim]")
        self._set("#timer-timeline", "\n".join(lines))

    def action_soreness(self) -> None:
        reading = self.journal.latest_soreness(self.journal.now())
        self.app.push_screen(
            SorenessUpdateScreen(reading.value if reading else None), self._soreness_given
        )

    def _soreness_given(self, soreness: int | None) -> None:
        if soreness is None:
            return
        from legcoach.errors import StoreError

        try:
            self.journal.update_soreness(soreness)
        except StoreError as error:
            notify_plain(self, error, title="Not saved", severity="error", timeout=15)
            return
        notify_plain(
            self,
            f"Soreness {soreness}/10 saved beside this morning's check-in; the timeline moved "
            "with it.",
            title="Updated",
        )  # the app derives today again and this screen redraws (TodayChanged)
