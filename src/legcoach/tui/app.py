"""The legcoach app: routes keys to screens; every decision comes from the journal/coach.

Start-up is split so the first frame comes fast: home first draws the recovery panel
from the status cache (standard library only), then a thread worker imports the
journal (pydantic, TinyDB), opens the history and sets `journal`, a reactive the
screens watch (a screen shown later simply reads it). Once a second the app asks the
journal whether another process (the CLI, a second terminal, an import) saved
something; if so it bumps `history_version`, which the open screens watch to redraw.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from legcoach.clock import Clock, local_now
from legcoach.errors import StoreError
from legcoach.glance import claim_instance, preflight, saved_theme
from legcoach.text import visible
from legcoach.tui.internals import (
    COLLECT_AFTER_SECONDS,
    COLLECT_AT_LEAST_EVERY_SECONDS,
    IdleCollector,
    keep_out_of_the_collector,
    start_in_theme,
)
from legcoach.tui.internals import exit_now as exit_now  # the launcher's, after run()
from legcoach.tui.safe import notify_plain
from legcoach.tui.themes import DEFAULT_THEME, load_themes, shipped_themes_dir
from legcoach.vocab import Units

if TYPE_CHECKING:
    from textual.theme import Theme
    from textual.timer import Timer

    from legcoach.journal import Journal, Today
    from legcoach.models import Record

# How often the open app looks for saves by other processes (a few stats, no reads).
WATCH_SECONDS = 1.0


# Long enough for home's journal-backed frame to be drawn first; short of a person's
# first key press.
PREPARE_SCREENS_AFTER = 0.3
HISTORY_SCREEN = "history"


def once_the_history_is_open(action: Callable[..., None]) -> Callable[..., None]:
    """An action that needs the history: a key pressed before it is open (the first frame
    comes before the history loads) is kept and run once it is, so no key is lost."""

    @functools.wraps(action)
    def run(app: LegcoachApp, *args: Any, **kwargs: Any) -> None:
        if app.journal is None:
            app._pending_action = (action.__name__, args, kwargs)
            return
        action(app, *args, **kwargs)

    return run


class LegcoachApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "legcoach"
    BINDINGS = [
        # Shown in the title bar on every screen, so the footers fit their own keys.
        Binding("question_mark", "help", "Help", show=False, id="app.help"),
    ]

    journal: reactive[Journal | None] = reactive(None, init=False)
    """The open history; None while it loads. Screens watch it."""
    history_version: reactive[int] = reactive(0, init=False)
    """Bumped when another process changed the history: screens redraw from the journal."""
    today: reactive[Today | None] = reactive(None, init=False, always_update=True)
    """Today, derived once per change (`refresh_today`): every screen renders this."""

    def __init__(
        self,
        db_path: Path,
        *,
        journal: Journal | None = None,
        clock: Clock = local_now,
        theme: str | None = None,
        user_themes: Path | None = None,
    ) -> None:
        super().__init__()
        self._collector = IdleCollector()
        # Every key as it arrives: work done ahead (History's tabs) gives way to keys.
        self.keys_pressed = 0
        self._collect_soon: Timer | None = None
        self.db_path = db_path
        self.clock = clock
        self.set_reactive(LegcoachApp.journal, journal)
        self.saved_theme = theme
        self.user_themes = user_themes
        self._theme_changed_early = False
        self._theme_problems: list[tuple[str, str]] = []  # (title, message), told on mount
        # A key pressed before the history was open: (action, args, kwargs), run once it is.
        self._pending_action: tuple[str, tuple[Any, ...], dict[str, Any]] | None = None
        self._user_themes_loaded = False
        self._choose_theme()

    def get_default_screen(self) -> Screen[Any]:
        # Home is the first screen itself, not pushed from on_mount: Textual holds the
        # display while the app mounts, and a screen pushed then had its first full frame
        # dropped (the body came a refresh later, in a real terminal).
        from legcoach.tui.home import HomeScreen

        return HomeScreen()

    @property
    def units(self) -> Units:
        """The profile's units: every distance on screen is written in them."""
        return self.journal.profile().units if self.journal is not None else Units.METRIC

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from legcoach.tui.toosmall import TooSmallScreen

        # Nothing opens over it: nothing would fit.
        return not isinstance(self.screen, TooSmallScreen) or action in ("quit", "pop_screen")

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Cover every screen while the terminal is too small to lay one out."""
        from legcoach.tui.toosmall import TooSmallScreen, too_small

        showing = isinstance(self.screen, TooSmallScreen)
        if too_small(width, height) and not showing:
            self.push_screen(TooSmallScreen())
        elif not too_small(width, height) and showing:
            self.pop_screen()

    def on_mount(self) -> None:
        self._fit(self.size.width, self.size.height)
        self._use_themes()
        if self.journal is not None:
            self._journal_opened(self.journal)
        else:
            self.call_after_refresh(self._load_journal)
        self.set_interval(WATCH_SECONDS, self.notice_outside_changes)
        self._collector.start()
        self.set_interval(COLLECT_AT_LEAST_EVERY_SECONDS, self._collector.collect)

    def on_unmount(self) -> None:
        self._collector.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not event.is_forwarded:  # on its way in, not bubbled back
                self.keys_pressed += 1
            # The full collection waits for a pause in the keys (IdleCollector).
            if self._collect_soon is not None:
                self._collect_soon.stop()
            self._collect_soon = self.set_timer(COLLECT_AFTER_SECONDS, self._collector.collect)
        await super().on_event(event)

    def notice_outside_changes(self) -> None:
        """Redraw what is on screen when another process saved, and derive today again
        when its timeline reaches a change (an unlock, the answers lapsing, midnight).
        Checked once a second against the app's clock."""
        if self.journal is None:
            return
        if self.journal.changed_elsewhere():
            self.refresh_today()
            self.history_version += 1
        elif self.today is not None and self.journal.now() >= self.today.valid_until:
            before = self.today.plan.run_type
            self.refresh_today()
            after = self.today.plan.run_type
            if after > before and not self._timer_on_top():  # the timer tells it itself
                notify_plain(self, f"{after.label} unlocked.", title="Unlocked", timeout=10)

    def _timer_on_top(self) -> bool:
        from legcoach.tui.timer import TimerScreen

        return isinstance(self.screen, TimerScreen)

    def refresh_today(self) -> None:
        """Derive today once, for every screen (after each save, told by the journal)."""
        if self.journal is not None:
            self.today = self.journal.today()

    def _saved(self) -> None:
        # Saves are made on the UI thread (a worker's save is told from the thread).
        if threading.current_thread() is threading.main_thread():
            self.refresh_today()
        else:
            self.call_from_thread(self.refresh_today)

    def watch_today(self) -> None:
        from legcoach.tui.messages import TodayChanged

        for screen in self._running_screens():
            screen.post_message(TodayChanged())
        self.call_after_refresh(self._plan_the_week_ahead)

    def _plan_the_week_ahead(self) -> None:
        """The week planned once the screen shows the new today, so `k` draws it at
        once: the journal keeps it until the history, the profile or the sessions still
        ahead change (a damage found here is met again by the week screen)."""
        journal = self.journal
        if journal is None:
            return
        with contextlib.suppress(StoreError):
            if not journal.profile().week.is_empty:
                journal.week_plan(suggest=False)

    def _running_screens(self) -> list[Screen[Any]]:
        screens = dict.fromkeys(self.screen_stack)
        if self.is_screen_installed(HISTORY_SCREEN):
            screens[self.get_screen(HISTORY_SCREEN)] = None
        return [screen for screen in screens if screen.is_running]

    def watch_history_version(self) -> None:
        """Every screen in the stack, and History kept between visits, redraws."""
        from legcoach.tui.messages import HistoryChanged

        for screen in self._running_screens():
            screen.post_message(HistoryChanged())

    def _choose_theme(self) -> None:
        """Shipped themes, and the theme to start in, before the app runs: set on mount,
        a theme makes Textual parse every stylesheet again (in the first
        frame). The user's own themes come right after the first frame, unless the saved
        theme is one of them (then now, so the first frame is already in it)."""
        self._register_themes(shipped_themes_dir())
        wanted = self.saved_theme or DEFAULT_THEME
        if wanted not in self.available_themes:
            self._register_themes(self._user_themes_dir())
        if wanted not in self.available_themes:
            problem = f"Theme {wanted!r} is not available; using {DEFAULT_THEME}."
            self._theme_problems.append(("Theme", problem))
            wanted = DEFAULT_THEME
        start_in_theme(self, wanted)

    def _use_themes(self) -> None:
        for title, message in self._theme_problems:
            notify_plain(self, message, title=title, severity="warning", timeout=20)
        if not self._user_themes_loaded:
            self.call_after_refresh(self._register_themes, self._user_themes_dir())
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _user_themes_dir(self) -> Path:
        from legcoach.paths import user_themes_dir

        return self.user_themes or user_themes_dir()

    def _register_themes(self, folder: Path) -> None:
        loaded = load_themes(folder)
        for theme in loaded.themes:
            self.register_theme(theme)
        if folder != shipped_themes_dir():
            self._user_themes_loaded = True
        if loaded.failed:
            problem = ("Theme files skipped", "\n".join(loaded.failed))
            if self.is_running:
                notify_plain(self, problem[1], title=problem[0], severity="warning", timeout=20)
            else:
                self._theme_problems.append(problem)

    def _remember_theme(self, theme: Theme) -> None:
        if self.journal is None:
            self._theme_changed_early = theme.name != self.saved_theme
            return
        profile = self.journal.profile()
        if profile.theme != theme.name:
            try:
                self.journal.save_profile(profile.model_copy(update={"theme": theme.name}))
            except StoreError as error:
                notify_plain(self, error, title="Theme not saved", severity="error")

    @work(thread=True, exclusive=True, group="journal")
    def _load_journal(self) -> None:
        from legcoach.journal import Journal

        try:
            journal = Journal.open(self.db_path, self.clock)
            today = journal.today()  # derived here, off the UI thread
        except StoreError as error:
            self.call_from_thread(self._journal_failed, error)
            return
        keep_out_of_the_collector()  # Textual, pydantic, the parsed history: for good
        self.call_from_thread(self._journal_opened, journal, today)

    def _journal_failed(self, error: StoreError) -> None:
        notify_plain(self, error, title="Cannot open your history", severity="error", timeout=60)

    def _journal_opened(self, journal: Journal, today: Today | None = None) -> None:
        # A save returns once it is on disk; the status cache follows after the screen
        # has shown the result.
        journal.later = self.call_after_refresh
        journal.on_save = self._saved
        self.set_reactive(LegcoachApp.today, today or journal.today())
        self.journal = journal
        journal.keep_status_cache()
        self.refresh_bindings()
        if self._theme_changed_early:
            self._remember_theme(self.current_theme)
        pending, self._pending_action = self._pending_action, None
        if journal.profile().goal is None and not journal.has_history():
            self.action_check_in(first_launch=True)  # the first launch comes first
        elif pending is not None:
            name, args, kwargs = pending
            self.call_after_refresh(getattr(self, name), *args, **kwargs)
        self.set_timer(PREPARE_SCREENS_AFTER, self._prepare_screens)
        self.call_after_refresh(self._plan_the_week_ahead)

    @work(thread=True, exclusive=True, group="prepare", exit_on_error=False)
    def _prepare_screens(self) -> None:
        """Every screen imported and styled while the app is idle, so none pays for it
        when first opened (see `prepare`). The imports run here, off the UI thread."""
        from legcoach.tui import prepare

        try:
            modules = prepare.import_screens()
        except ImportError:
            return  # the screen that needs it says so when opened
        self.call_from_thread(self._add_screen_styles, modules)

    def _add_screen_styles(self, modules: list[ModuleType]) -> None:
        from legcoach.tui.prepare import add_screen_styles

        if add_screen_styles(self.stylesheet, modules):
            self.stylesheet.reparse()
            self.stylesheet.update(self)

    # --- actions, reachable by key, from the command palette, and from any screen ------

    def action_help(self) -> None:
        from legcoach.tui.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    @once_the_history_is_open
    def action_check_in(self, first_launch: bool = False) -> None:
        from legcoach.tui.checkin import CheckInScreen

        assert self.journal is not None
        # Once saved, the check-in shows its plan in its own place (`finish`).
        self.push_screen(CheckInScreen(self.journal, first_launch=first_launch))

    @once_the_history_is_open
    def action_plan(self) -> None:
        from legcoach.tui.plan import PlanScreen

        assert self.journal is not None
        self.push_screen(PlanScreen(self.journal))

    @once_the_history_is_open
    def action_warmup(self) -> None:
        from legcoach.tui.warmup import WarmupScreen
        from legcoach.vocab import RunType

        assert self.journal is not None and self.today is not None
        today = self.today
        soreness = today.checkin.soreness if today.checkin else None
        rest_day = today.plan.run_type <= RunType.WALK  # a walk warms up as a rest day does
        self.push_screen(WarmupScreen(self.journal, soreness, rest_day=rest_day))

    @once_the_history_is_open
    def action_log_run(self) -> None:
        from legcoach.tui.log import LogRunScreen

        assert self.journal is not None and self.today is not None
        self.push_screen(LogRunScreen(self.journal, self.today.plan), self._told_saved)

    @once_the_history_is_open
    def action_log_legs(self) -> None:
        from legcoach.tui.log import LogLegsScreen

        assert self.journal is not None
        self.push_screen(LogLegsScreen(self.journal), self._told_saved)

    @once_the_history_is_open
    def action_timer(self) -> None:
        from legcoach.tui.timer import TimerScreen

        assert self.journal is not None
        self.push_screen(TimerScreen(self.journal))

    @once_the_history_is_open
    def action_week(self) -> None:
        from legcoach.tui.week import WeekScreen

        assert self.journal is not None
        self.push_screen(WeekScreen(self.journal))

    @once_the_history_is_open
    def action_history(self) -> None:
        from legcoach.tui.history import HistoryScreen

        assert self.journal is not None
        # Kept after its first visit: coming back is a redraw, not a rebuild, and keeps
        # your place, filter and tab (benchmarks/: history_open).
        if not self.is_screen_installed(HISTORY_SCREEN):
            self.install_screen(HistoryScreen(self.journal), HISTORY_SCREEN)
        kept = self.get_screen(HISTORY_SCREEN)
        assert isinstance(kept, HistoryScreen)
        if kept is self.screen:
            return
        if kept in self.screen_stack:  # under a dialog: a screen is on the stack once
            self.push_screen(HistoryScreen(self.journal))
            return
        kept.coming_back = kept.is_running
        self.push_screen(kept)

    @once_the_history_is_open
    def action_settings(self) -> None:
        from legcoach.tui.settings import SettingsScreen

        assert self.journal is not None
        themes = sorted(name for name in self.available_themes if name.startswith("legcoach"))
        themes += sorted(name for name in self.available_themes if name not in themes)
        self.push_screen(SettingsScreen(self.journal, themes, self.theme))

    def _told_saved(self, record: Record | None) -> None:
        if record is not None:
            notify_plain(self, f"Saved: {record.summary(self.units)}.", title="Saved")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.journal is None:
            return
        yield SystemCommand("Check in", "Today's pre-run check-in", self.action_check_in)
        yield SystemCommand("Plan", "Today's plan and why", self.action_plan)
        yield SystemCommand("Warm-up", "The guided warm-up", self.action_warmup)
        yield SystemCommand("Log run", "Save the run you did", self.action_log_run)
        yield SystemCommand("Log legs", "Save a leg workout", self.action_log_legs)
        yield SystemCommand(
            "Recovery timer", "Live countdown to the next unlock", self.action_timer
        )
        yield SystemCommand(
            "Week", "The week ahead: key runs, leg days, conflicts, a race", self.action_week
        )
        yield SystemCommand(
            "History", "Records, soreness trend, weeks; export", self.action_history
        )
        yield SystemCommand(
            "Settings", "Goal, max heart rate, units and theme", self.action_settings
        )
        yield SystemCommand("Help", "What this screen does and its keys", self.action_help)


def make_app(journal: Journal, **options: Path) -> LegcoachApp:
    """The app over an open journal: what the tests use, with a fake clock."""
    return LegcoachApp(
        journal.path,
        journal=journal,
        clock=journal.clock,
        theme=journal.profile().theme,
        **options,
    )


def run(db: Path) -> int:
    """The bare `legcoach` command: refuse a bad database or a second app in one line."""
    try:
        manifest = preflight(db)
        lock = claim_instance(db)
    except StoreError as error:
        print(f"legcoach: error: {visible(error, one_line=True)}", file=sys.stderr)
        return 1
    app = LegcoachApp(db, theme=saved_theme(manifest))
    try:
        app.run()
    finally:
        if app.journal is not None:
            with contextlib.suppress(StoreError, OSError):
                app.journal.settle()  # a save just before quitting: its status cache
        lock.release()
    # Textual prints a crash's traceback and returns; the exit status must say so too.
    return app.return_code or 0
