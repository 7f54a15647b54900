"""Home: time since legs, what is allowed now, the next unlock, today's check-in, the week."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from legcoach.glance import cached_today, cached_week, read_fresh_cache, status_at
from legcoach.text import visible
from legcoach.timeline import unlock_conditions
from legcoach.tui import format as fmt
from legcoach.tui.messages import TodayChanged
from legcoach.tui.screen import AppScreen
from legcoach.tui.widgets.footer import Footer
from legcoach.tui.widgets.title import TitleBar
from legcoach.tui.widgets.week import WeekTable
from legcoach.vocab import RUN_TITLES, RunType

if TYPE_CHECKING:
    from legcoach.journal import Journal, Today


NO_LEGS = "No leg workout logged. [dim]g logs one[/dim]"
NOTHING_UNLOCKS = "Next: nothing more unlocks on the clock alone"


def last_legs_line(ago: timedelta, detail: str) -> Content:
    """'Last leg workout 3 h 00 min ago (RPE 8, heavy strength)'. The detail goes in as
    a variable, never as markup: on the first frame it comes from the cache, a file."""
    line = Content.from_markup("Last leg workout [b]$ago[/b] ago", ago=fmt.ago(ago))
    if detail:
        line += Content(f" ({visible(detail, one_line=True)})")
    return line


def next_line(run_type: str, at: datetime, now: datetime, conditions: list[str]) -> str:
    """'Next: quality in 15:14:43 (today 22:15, if soreness is down to 2)': the same
    words from the cache (first frame) and from the journal."""
    terms = "".join(f", {term}" for term in conditions)
    return (
        f"Next: [b]{run_type}[/b] in [b]{fmt.countdown(at - now)}[/b] ({fmt.when(at, now)}{terms})"
    )


class HomeScreen(AppScreen[None]):
    BINDINGS = [
        Binding("c", "app.check_in", "Check-in", id="home.checkin"),
        Binding("p", "app.plan", "Plan", id="home.plan"),
        # Warm-up is on the plan screen's footer, in help and in the palette.
        Binding("w", "app.warmup", "Warm-up", show=False, id="home.warmup"),
        Binding("r", "app.log_run", "Run", id="home.log_run"),
        Binding("g", "app.log_legs", "Legs", id="home.log_legs"),
        Binding("t", "app.timer", "Timer", id="home.timer"),
        Binding("k", "app.week", "Week", id="home.week"),
        Binding("h", "app.history", "History", id="home.history"),
        Binding("q", "app.quit", "Quit", id="home.quit"),
        Binding("s", "app.settings", "Settings", show=False, id="home.settings"),
    ]
    HELP = (
        "**Home** shows how long ago your last leg workout was, the hardest run allowed "
        "right now, and when the next one unlocks, with today's check-in and your week.\n\n"
        "Start the day with **c** (check in); **p** shows the plan, **t** the live "
        "recovery timer, **k** the week ahead (key runs, leg days, a race), **h** your "
        "history, **s** settings (goal, max heart rate, units, theme)."
    )

    def __init__(self) -> None:
        super().__init__()
        self.cached: dict[str, Any] | None = None

    @property
    def journal(self) -> Journal | None:
        return self.app.journal

    @property
    def today(self) -> Today | None:  # type: ignore[override]
        """The app's derivation of today (None until the history is open)."""
        return self.app.today

    def compose(self) -> ComposeResult:
        yield TitleBar("Home")
        # Few widgets, each a panel itself: every widget costs the first frame (the
        # panels as containers of three Statics cost more than they were worth).
        with Horizontal(id="home-top"):
            yield Static("", id="recovery", classes="panel")
            yield Static("", id="today", classes="panel")
        yield WeekTable(self._cached_week() if self.journal is None else None, id="week-table")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#recovery").border_title = "Recovery"
        self.query_one("#today").border_title = "Today"
        self.query_one("#week-table").border_title = "Last 7 days"
        if self.journal is None:
            self._show_cached()
        else:
            self.reload()
        self._ticker = self.set_interval(1.0, self.tick)
        # The app's state, watched (home lives as long as the app): whichever screen is
        # on top when the history opens, home draws it from the app.
        self.watch(self.app, "journal", self._journal_opened, init=False)

    def _cached_week(self) -> list[list[str]] | None:
        """The week's rows as the last save left them in the status cache (so the first
        frame shows the whole home), if the cache is fresh and from today."""
        now = self.app.clock()
        self.cached = read_fresh_cache(self.app.db_path, now)
        return cached_week(self.cached, now.date())

    def _show_cached(self) -> None:
        """The first frame, before the history is open: the status cache compose read
        (`_cached_week`), if it was fresh. Not read again when it was not."""
        now = self.app.clock()
        usable, words = cached_today(self.cached, now)
        if usable:
            self._show_today_words(words)
        else:
            self.query_one("#today", Static).update("Loading your history…")
        self.tick()

    def _journal_opened(self) -> None:
        """The history is open (the app's `journal` was set)."""
        self.reload()

    @on(TodayChanged)
    def _today_changed(self) -> None:
        # Under another screen (a save made from it), home is drawn again when shown
        # (`on_screen_resume`): drawing it now too would only delay the screen on top.
        if self.today is not None and self.is_current:
            self.reload()

    def on_screen_suspend(self) -> None:
        self._ticker.pause()  # nothing to redraw under another screen

    def on_screen_resume(self) -> None:
        self._ticker.resume()
        if self.today is not None:
            self.reload()

    def reload(self) -> None:
        """Draw today as the app derived it (its history opened, a save, a change)."""
        self._show_today()
        self._show_week()
        self.tick()

    def tick(self) -> None:
        """Move the clock-driven parts; reload when an unlock has been reached."""
        today = self.today
        if today is None:
            self._tick_cached()
            return
        now = today.now if self.journal is None else self.journal.now()
        legs = today.last_legs
        since = (
            last_legs_line(now - legs.ended_at, legs.effort_and_kind)
            if legs
            else Content.from_markup(NO_LEGS)
        )
        unlock = today.next_unlock(now)
        self._show_recovery(
            since,
            today.allowed_at(now).label,
            next_line(unlock.run_type.value, unlock.at, now, unlock.conditions())
            if unlock
            else NOTHING_UNLOCKS,
        )

    def _tick_cached(self) -> None:
        """The recovery panel from the cache, worded as the journal words it (exact times,
        the session's effort), so nothing moves when the history opens."""
        if self.cached is None:
            return
        now: datetime = self.app.clock()
        status = status_at(self.cached, now)
        last_legs = self.cached.get("last_legs_at")
        detail = self.cached.get("last_legs_detail")
        unlock = status["next_unlock"]
        if last_legs is None:
            since = Content.from_markup(NO_LEGS)
        else:
            ago = now - datetime.fromisoformat(last_legs)
            since = last_legs_line(ago, detail if isinstance(detail, str) else "")
        if unlock:
            at = datetime.fromisoformat(unlock["at"])
            terms = unlock_conditions(unlock["assumes_soreness"], unlock["lasting_only"])
            line = next_line(unlock["run_type"], at, now, terms)
        else:
            line = NOTHING_UNLOCKS
        self._show_recovery(since, RUN_TITLES[RunType(status["run_type_now"])], line)

    def _show_recovery(self, since: Content, allowed: str, unlock: str) -> None:
        """The since line, then two lines of our own words (markup allowed: nothing in
        them comes from outside)."""
        rest = Content.from_markup(f"\n[$accent]Allowed now: [b]{allowed}[/b][/]\n{unlock}")
        self.query_one("#recovery", Static).update(since + rest)

    def _show_today(self) -> None:
        from legcoach.history import today_words  # the journal is open: models are loaded

        today = self.today
        assert today is not None
        words = today_words(today.checkin, today.plan, today.changed, today.now, today.runs)
        self._show_today_words(words)

    def _show_today_words(self, words: dict[str, str] | None) -> None:
        """The Today panel, from the journal or (first frame) the status cache. The words
        go in as variables, never as markup (the cache is a file)."""
        box = self.query_one("#today", Static)
        if words is None:
            box.update("No check-in yet today.\n\nPress [b]c[/b] to check in and get today's plan.")
            return
        template = "Checked in at $at: $soreness"
        if words.get("done"):
            template += "\n$done"
        template += "\nPlan: [b]$plan[/b], $duration"
        if words.get("changed"):
            template += "\n[i]$changed[/i]"
        template += "\n$cap"
        if words.get("override"):
            template += "\nYou said: $override"
        template += "\n[dim]p shows the plan and why[/dim]"
        wanted = ("at", "soreness", "done", "plan", "duration", "changed", "cap", "override")
        variables = {key: visible(words.get(key, ""), one_line=True) for key in wanted}
        box.update(Content.from_markup(template, **variables))

    def _show_week(self) -> None:
        today = self.today
        assert today is not None
        from legcoach.history import week_row

        rows = [week_row(day, today.now.date()) for day in today.week]
        self.query_one("#week-table", WeekTable).set_rows(rows)
