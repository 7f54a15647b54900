"""Today's plan: the run type, how long, how hard, why, and what unlocks next."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical, VerticalScroll
from textual.markup import escape
from textual.widgets import Static

from legcoach.errors import StoreError
from legcoach.history import done_today, plan_cap, plan_duration
from legcoach.journal import Contradiction, Journal
from legcoach.models import Override, Recommendation, RunLog
from legcoach.tui import format as fmt
from legcoach.tui.messages import TodayChanged
from legcoach.tui.safe import notify_plain
from legcoach.tui.screen import AppScreen
from legcoach.tui.widgets.footer import Footer
from legcoach.tui.widgets.title import TitleBar
from legcoach.vocab import RunType


class PlanView(VerticalScroll):
    """A recommendation, laid out to be read at a glance."""

    def __init__(self, plan: Recommendation, now: datetime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plan = plan
        self.now = now

    def compose(self) -> ComposeResult:
        plan = self.plan
        yield Static(
            f"[b]{plan.run_type.label.upper()}[/b]   {plan_duration(plan)}",
            classes=f"plan-title run-{plan.run_type.value}",
        )
        rest = plan.run_type == RunType.REST
        if rest:
            yield Static(f"[b]Today[/b]  {escape(plan.talk_test)}", classes="plan-cap")
        else:
            yield Static(
                f"[b]Cap[/b]  {escape(plan_cap(plan))}\n[b]Talk test[/b]  {escape(plan.talk_test)}",
                classes="plan-cap",
            )
        with Vertical(classes="plan-reasons"):
            yield Static("[b]Why[/b]")
            # A marker column and a text column: a wrapped reason keeps its indent.
            with Grid(classes="plan-items"):
                for r in plan.reasons:
                    said = f"{escape(r.answer)} — {escape(r.text)}"
                    yield Static("[b]▶[/b]" if r.binding else "·", classes="plan-marker")
                    yield Static(f"[b]{said}[/b]" if r.binding else said, classes="plan-item")
        if plan.cautions:
            heading = "Instead" if rest else "Before you go"
            with Vertical(classes="plan-cautions"):
                yield Static(f"[b]{heading}[/b]")
                with Grid(classes="plan-items"):
                    for caution in plan.cautions:
                        yield Static("!", classes="plan-marker")
                        yield Static(escape(caution), classes="plan-item")
        unlock = plan.next_unlock
        if unlock:
            terms = "".join(f", {term}" for term in unlock.conditions())
            nxt = (
                f"[b]Next[/b]  {unlock.run_type.value} unlocks {fmt.when(unlock.at, self.now)}"
                f" (in {fmt.countdown(unlock.at - self.now)}{terms})"
            )
        elif rest:
            nxt = "[b]Next[/b]  the red flag holds until a new check-in clears it."
        else:
            nxt = "[b]Next[/b]  nothing unlocks on the clock alone: check in again tomorrow."
        yield Static(nxt, classes="plan-next")


class PlanScreen(AppScreen[None]):
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
        "If you listen to your body instead, say so: **a** notes that you ran anyway, "
        "**r** that you rested. **w** starts the guided warm-up (on a rest day a walk and "
        "mobility routine), **l** logs the run.\n\n"
        "Every rule, why, and its source: docs/coaching.md in legcoach's repository."
    )

    def __init__(self, journal: Journal, *, replaced: bool = False) -> None:
        super().__init__()
        self.journal = journal
        self.replaced = replaced

    @property
    def plan(self) -> Recommendation:
        return self.today.plan

    def compose(self) -> ComposeResult:
        yield TitleBar("Today's plan")
        yield Static(self._note(), id="plan-note")
        yield PlanView(self.plan, self.today.now, id="plan")
        yield Footer(compact=True, show_command_palette=False)

    @on(TodayChanged)
    async def _today_changed(self) -> None:
        """Today was derived again (a save here or elsewhere, an unlock): redraw."""
        self.query_one("#plan-note", Static).update(self._note())
        await self.query_one("#plan", PlanView).remove()
        await self.mount(PlanView(self.plan, self.today.now, id="plan"), before="Footer")

    def _note(self) -> str:
        checkin = self.today.checkin
        if checkin is None:
            return (
                "No check-in today: this plan uses only your history. Press c on home to check in."
            )
        at = f"{checkin.at.astimezone(self.today.now.tzinfo):%H:%M}"
        saved = f"Check-in saved {at}"
        if self.replaced:
            saved = f"Updated today's check-in ({at}) instead of adding another"
        if self.today.changed:
            saved += f" · plan {self.today.changed}"
        if checkin.override:
            saved += f" · {checkin.override.label}"
        if self.today.runs:
            # The plan below is for what is still sensible today, after those.
            saved += f". Done today: {done_today(self.today.runs)}; the plan is for a second run"
        return saved + "."

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "override" and self.today.checkin is None:
            return None  # shown dimmed: an override belongs to a check-in
        return True

    def action_warmup(self) -> None:
        from legcoach.tui.warmup import WarmupScreen

        checkin = self.today.checkin
        soreness = checkin.soreness if checkin else None
        rest_day = self.plan.run_type <= RunType.WALK  # no jog or lunges before a walk
        self.app.push_screen(WarmupScreen(self.journal, soreness, rest_day=rest_day))

    def action_log_run(self) -> None:
        from legcoach.tui.log import LogRunScreen

        self.app.push_screen(LogRunScreen(self.journal, self.plan), self._logged)

    def _logged(self, run: RunLog | None) -> None:
        if run is not None:
            notify_plain(self, f"Saved: {run.summary(fmt.units_of(self.app))}.", title="Run logged")

    def action_override(self, value: str) -> None:
        checkin = self.today.checkin
        if checkin is None:
            return
        override = Override(value)
        try:
            self.journal.record_override(checkin, override)
        except Contradiction as conflict:
            notify_plain(self, conflict, title="Not recorded", severity="warning", timeout=10)
            return
        except StoreError as error:
            notify_plain(self, error, title="Not saved", severity="error", timeout=15)
            return
        notify_plain(self, f"Recorded with today's check-in: {override.label}.", title="Noted")
        if override == Override.RAN_ANYWAY and not self.today.runs:
            self.action_log_run()  # the run itself, so tomorrow's plan knows it
