"""Today's plan: the run type, how long, how hard, why, and what unlocks next."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Footer, Static

from legcoach.journal import Journal
from legcoach.models import CheckIn, Override, Recommendation, RunType
from legcoach.storage.files import StoreError
from legcoach.tui import format as fmt
from legcoach.tui.widgets.title import TitleBar


class PlanView(VerticalScroll):
    """A recommendation, laid out to be read at a glance."""

    def __init__(self, plan: Recommendation, now: datetime, **kwargs) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.now = now

    def compose(self) -> ComposeResult:
        plan = self.plan
        yield Static(
            f"[b]{fmt.RUN_TITLES[plan.run_type].upper()}[/b]   {fmt.duration(plan)}",
            classes=f"plan-title run-{plan.run_type.value}",
        )
        yield Static(
            f"[b]Cap[/b]  {escape(fmt.cap(plan))}\n[b]Talk test[/b]  {escape(plan.talk_test)}",
            classes="plan-cap",
        )
        reasons = "\n".join(
            f"{'[b]▶' if r.binding else ' ·'} {escape(r.answer)}{'[/b]' if r.binding else ''}"
            f" — {escape(r.text)}"
            for r in plan.reasons
        )
        yield Static(f"[b]Why[/b]\n{reasons}", classes="plan-reasons")
        if plan.cautions:
            cautions = "\n".join(f" ! {escape(c)}" for c in plan.cautions)
            yield Static(f"[b]Before you go[/b]\n{cautions}", classes="plan-cautions")
        unlock = plan.next_unlock
        yield Static(
            f"[b]Next[/b]  {unlock.run_type.value} unlocks {fmt.when(unlock.at, self.now)}"
            f" (in {fmt.countdown(unlock.at - self.now)})"
            if unlock
            else "[b]Next[/b]  nothing unlocks on the clock alone: check in again tomorrow.",
            classes="plan-next",
        )


class PlanScreen(Screen[None]):
    CSS_PATH = "plan.tcss"
    BINDINGS = [
        Binding("w", "warmup", "Warm-up", id="plan.warmup"),
        Binding("l", "log_run", "Log run", id="plan.log_run"),
        Binding("a", "override('ran-anyway')", "I ran anyway", id="plan.ran_anyway"),
        Binding("r", "override('rested')", "I rested", id="plan.rested"),
        Binding("escape", "app.pop_screen", "Back", id="plan.back"),
    ]
    HELP = (
        "Today's plan: the hardest run allowed today, with the reasons, each next to the "
        "answer that caused it (**▶** marks what decided it).\n\n"
        "If you listen to your body instead, say so: **a** records that you ran anyway, "
        "**r** that you rested. **w** starts the guided warm-up, **l** logs the run."
    )

    def __init__(
        self,
        journal: Journal,
        plan: Recommendation,
        checkin: CheckIn | None = None,
        replaced: bool = False,
    ) -> None:
        super().__init__()
        self.journal = journal
        self.plan = plan
        self.checkin = checkin
        self.replaced = replaced

    def compose(self) -> ComposeResult:
        yield TitleBar("Today's plan")
        yield Static(self._note(), id="plan-note")
        yield PlanView(self.plan, self.journal.now(), id="plan")
        yield Footer(compact=True)

    def _note(self) -> str:
        if self.checkin is None:
            return (
                "No check-in today: this plan uses only your history. Press c on home to check in."
            )
        saved = f"Check-in saved {self.checkin.at:%H:%M}"
        if self.replaced:
            saved = f"Updated today's check-in ({self.checkin.at:%H:%M}) instead of adding another"
        if self.checkin.override:
            saved += f" · you said: {self.checkin.override.value.replace('-', ' ')}"
        return saved + "."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override" and self.checkin is None:
            return None  # shown dimmed: an override belongs to a check-in
        return True

    def action_warmup(self) -> None:
        from legcoach.tui.warmup import WarmupScreen

        soreness = self.checkin.soreness if self.checkin else None
        self.app.push_screen(WarmupScreen(self.journal, soreness))

    def action_log_run(self) -> None:
        from legcoach.tui.log import LogRunScreen

        self.app.push_screen(LogRunScreen(self.journal, self.plan), self._logged)

    def _logged(self, run) -> None:
        if run is not None:
            self.notify(f"Saved: {run.summary()}.", title="Run logged")

    def action_override(self, value: str) -> None:
        if self.checkin is None:
            return
        override = Override(value)
        try:
            self.checkin = self.journal.record_override(self.checkin, override)
        except StoreError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=15)
            return
        self.query_one("#plan-note", Static).update(self._note())
        words = "you ran anyway" if override == Override.RAN_ANYWAY else "you rested"
        self.notify(f"Recorded with today's check-in: {words}.", title="Noted")
        if override == Override.RAN_ANYWAY and self.plan.run_type < RunType.QUALITY:
            self.notify("Log the run with l so tomorrow's plan knows.", timeout=6)
