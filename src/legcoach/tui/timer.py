"""The recovery timer: time since legs, the unlock timeline and a countdown to the next.

Ticks once a second from the journal's clock and redraws only what changed, so it costs
almost nothing left open; the timeline is recomputed only when it can change (an
unlock reached, a soreness update).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Footer, ProgressBar, Static

from legcoach import coach
from legcoach.models import LADDER, RunType
from legcoach.tui import format as fmt
from legcoach.tui.widgets.title import TitleBar
from legcoach.tui.wizard import Answers, ScaleQuestion, WizardScreen

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


class TimerScreen(Screen[None]):
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
        self.steps: list[coach.Step] = []
        self._shown: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield TitleBar("Recovery timer")
        with Vertical(id="timer"):
            yield Static("", id="timer-since")
            yield ProgressBar(show_eta=False, id="timer-progress")
            with Horizontal(id="timer-middle"):
                with Vertical(id="timer-countdown-box"):
                    yield Static("", id="timer-next")
                    yield Digits("", id="timer-countdown")
                yield Static("", id="timer-timeline")
            yield Static("", id="timer-basis")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(1.0, self.tick)

    def reload(self) -> None:
        today = self.journal.today()
        self.today = today
        self.steps = today.steps
        self._shown.clear()
        decay = self.journal.decay
        self._set(
            "#timer-basis",
            f"Recovery rate: based on your last {decay.based_on} leg days "
            f"(soreness halves every {decay.half_life_hours:.0f} h)."
            if decay.is_personal
            else "Recovery rate: the published average (soreness halves every "
            f"{decay.half_life_hours:.0f} h after the 48 h peak); yours is learnt once "
            "3 leg days have check-ins after them.",
        )
        self.tick()

    def _set(self, selector: str, text: str) -> None:
        # Only touch a widget when its text changes: an idle timer repaints almost nothing.
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector).update(text)  # type: ignore[attr-defined]

    def _set_progress(self, total: float, progress: float) -> None:
        if self._shown.get("progress") != (shown := f"{total}/{progress}"):
            self._shown["progress"] = shown
            self.query_one(ProgressBar).update(total=total, progress=progress)

    def unlock_times(self) -> dict[RunType, datetime | None]:
        """When each run type first becomes allowed, from the coach's timeline."""
        return {
            rung: next((s.at for s in self.steps if s.run_type >= rung), None)
            for rung in LADDER[1:]
        }

    def tick(self) -> None:
        now = self.journal.now()
        unlock = coach.next_unlock_of(self.steps, now) if self.steps else None
        planned = self.today.plan.next_unlock
        if planned and now >= planned.at:
            self.notify(
                f"{fmt.RUN_TITLES[planned.run_type]} unlocked.", title="Recovery timer", timeout=10
            )
            self.reload()
            return
        legs = self.today.last_legs
        if legs is None:
            self._set("#timer-since", "No leg workout logged: no recovery window running.")
        else:
            self._set(
                "#timer-since",
                f"Since your last leg workout: [b]{fmt.ago(now - legs.ended_at)}[/b] "
                f"(RPE {legs.rpe}{', ' + legs.kind.value if legs.kind else ''})",
            )
            end = self.steps[-1].at if self.steps else now
            window = max(1.0, (end - legs.ended_at).total_seconds())
            done = min(window, max(0.0, (now - legs.ended_at).total_seconds()))
            # In steps of 0.1 %: finer than the bar can draw, so most seconds repaint nothing.
            self._set_progress(window, round(done / window * 1000) / 1000 * window)
        current = max((s for s in self.steps if s.at <= now), key=lambda s: s.at, default=None)
        allowed = current.run_type if current else self.today.plan.run_type
        if unlock:
            self._set(
                "#timer-next",
                f"Allowed now: [b]{fmt.RUN_TITLES[allowed]}[/b]\n"
                f"[b]{unlock.run_type.value}[/b] unlocks {fmt.when(unlock.at, now)} in",
            )
            self._set("#timer-countdown", fmt.countdown(unlock.at - now))
        else:
            self._set(
                "#timer-next",
                f"Allowed now: [b]{fmt.RUN_TITLES[allowed]}[/b]\n"
                "nothing more unlocks on the clock alone",
            )
            self._set("#timer-countdown", "")
        lines = ["[b]Timeline[/b]"]
        for rung, at in self.unlock_times().items():
            if at is not None and at <= now:
                lines.append(f" ✓ {rung.value:<9} allowed")
            elif at is not None:
                lines.append(f" · {rung.value:<9} {fmt.when(at, now)}")
            else:
                lines.append(f"   {rung.value:<9} [dim]not by time alone[/dim]")
        self._set("#timer-timeline", "\n".join(lines))

    def action_soreness(self) -> None:
        checkin = self.today.checkin
        self.app.push_screen(
            SorenessUpdateScreen(checkin.soreness if checkin else None), self._soreness_given
        )

    def _soreness_given(self, soreness: int | None) -> None:
        if soreness is None:
            return
        from legcoach.storage.files import StoreError

        try:
            self.journal.update_soreness(soreness)
        except StoreError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=15)
            return
        self.notify(f"Soreness {soreness}/10 saved; the timeline moved with it.", title="Updated")
        self.reload()
