"""The guided warm-up: each drill with its own countdown, pausable and skippable."""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Digits, ProgressBar, Static

from legcoach.journal import Journal
from legcoach.tui.widgets.footer import Footer
from legcoach.tui.widgets.title import TitleBar
from legcoach.warmup import SORE_FROM, Drill, WarmupRun, drills_for


class WarmupScreen(Screen[None]):
    CSS_PATH = "warmup.tcss"
    BINDINGS = [
        Binding("space", "pause_resume", "Pause/resume", id="warmup.toggle"),
        Binding("n", "skip", "Skip drill", id="warmup.skip"),
        Binding("escape", "app.pop_screen", "Back", id="warmup.back"),
    ]
    HELP = (
        "A dynamic warm-up, one drill at a time with its own countdown. **Space** pauses "
        "and resumes, **n** skips to the next drill, **Escape** leaves.\n\n"
        "On sore legs the sequence is longer and gentler, and it decides: if the "
        "stiffness does not ease by the end, drop a rung."
    )

    def __init__(self, journal: Journal, soreness: float | None, *, rest_day: bool = False) -> None:
        super().__init__()
        self.journal = journal
        self.rest_day = rest_day
        self.sore = soreness is not None and soreness >= SORE_FROM and not rest_day
        self.run = WarmupRun(drills_for(soreness, rest_day=rest_day), journal.now())
        self._announced_done = False

    def compose(self) -> ComposeResult:
        yield TitleBar("Walk and mobility" if self.rest_day else "Warm-up")
        with Vertical(id="warmup"):
            if self.rest_day:
                yield Static(
                    "No run today: an unhurried walk and gentle mobility instead, if they "
                    "feel good.",
                    id="warmup-sore",
                )
            elif self.sore:
                yield Static(
                    "Sore legs today: the warm-up decides. If the stiffness does not ease "
                    "by the end, drop a rung.",
                    id="warmup-sore",
                )
            yield Static("", id="warmup-drill")
            yield Digits("0:00", id="warmup-countdown")
            yield Static("", id="warmup-cue")
            yield ProgressBar(total=self.run.total_seconds, show_eta=False, id="warmup-progress")
            yield Static("", id="warmup-list")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        """Redraw from the clock; tests call this after moving a fake clock."""
        state = self.run.state(self.journal.now())
        drills = self.run.drills
        done = state.index >= len(drills)
        if done and self.rest_day:
            self.query_one("#warmup-drill", Static).update("[b]Walk and mobility done[/b]")
            self.query_one("#warmup-cue", Static).update(
                "Rest well. Check in again tomorrow, or when the red flag has cleared."
            )
            if not self._announced_done:
                self._announced_done = True
                self.notify("Done. Rest well today.", title="Walk and mobility")
        elif done and len(self.run.skipped) == len(drills):
            # Every drill skipped is no warm-up: say so, as the plan would.
            self.query_one("#warmup-drill", Static).update("[b]Warm-up skipped[/b]")
            self.query_one("#warmup-cue", Static).update(
                "Without a warm-up, keep to steady at most today (recovery when sore)."
            )
            if not self._announced_done:
                self._announced_done = True
                self.notify("Every drill skipped: steady at most today.", title="Warm-up")
        elif done:
            self.query_one("#warmup-drill", Static).update("[b]Warm-up done[/b]")
            self.query_one("#warmup-cue", Static).update(
                "Legs loose? Go and run to the plan. Still stiff? Drop a rung."
            )
            if not self._announced_done:
                self._announced_done = True
                self.notify("Warm-up done. Enjoy the run.", title="Warm-up")
        else:
            drill = drills[state.index]
            paused = "  [reverse] PAUSED [/reverse]" if state.paused else ""
            self.query_one("#warmup-drill", Static).update(
                f"[b]{state.index + 1}/{len(drills)}  {drill.name}[/b]{paused}"
            )
            self.query_one("#warmup-cue", Static).update(drill.cue)
        minutes, seconds = divmod(math.ceil(state.remaining), 60)
        self.query_one(Digits).update(f"{minutes}:{seconds:02d}")
        self.query_one(ProgressBar).update(progress=state.elapsed)
        self.query_one("#warmup-list", Static).update(
            "\n".join(self._drill_line(i, d, state.index) for i, d in enumerate(drills))
        )

    def _drill_line(self, index: int, drill: Drill, current: int) -> str:
        length = f"{drill.name} ({drill.seconds // 60}:{drill.seconds % 60:02d})"
        if index in self.run.skipped:
            return f"– {length} [dim]skipped[/dim]"
        return f"{'✓' if index < current else '▶' if index == current else ' '} {length}"

    def action_pause_resume(self) -> None:
        self.run.toggle(self.journal.now())
        self.tick()

    def action_skip(self) -> None:
        self.run.skip(self.journal.now())
        self.tick()
