"""Every use of what Textual (and CPython) do not promise, in one place.

Each is here for a measured reason (the benchmarks keep the figures) and has a test in
tests/test_tui_internals.py that fails if Textual changes under it, so an upgrade shows
at once what to revisit instead of silently losing the gain or crashing.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode


def default_css_of(widget_class: type[DOMNode]) -> list[tuple[Any, ...]] | None:
    """The (read_from, css, tie_breaker, scope) sources Textual registers for a widget
    class when it first mounts: `DOMNode._get_default_css`, private but stable from
    0.x to 8.x. None if it moved (a screen then pays for its styles when it opens)."""
    try:
        sources = widget_class._get_default_css(widget_class.__new__(widget_class))
    except (AttributeError, TypeError):
        return None
    return list(sources)


def drop_detached_watchers(node: DOMNode, attribute: str) -> None:
    """Forget watchers of `attribute` whose widget has left the DOM. Textual keeps them
    in the node's `__watchers` until the value next changes (Textual #6666)."""
    watchers = getattr(node, "__watchers", None)
    if isinstance(watchers, dict) and isinstance(watchers.get(attribute), list):
        watchers[attribute][:] = [
            (watcher, callback) for watcher, callback in watchers[attribute] if watcher.is_attached
        ]


def start_in_theme(app: App[Any], name: str) -> None:
    """Set the app's theme before it runs without Textual's watcher (which would queue a
    second parse of every stylesheet in the first frame), doing what the watcher
    does at start: the theme's classes and the stylesheet's variables."""
    from textual.app import App

    app.set_reactive(App.theme, name)
    dark = app.current_theme.dark
    app.set_class(True, f"-theme-{name}", update=False)
    app.set_class(dark, "-dark-mode", update=False)
    app.set_class(not dark, "-light-mode", update=False)
    app.stylesheet.set_variables(app.get_css_variables())


def keep_out_of_the_collector() -> None:
    """What is loaded now lives as long as the app: kept out of the cyclic collector's
    full passes, which otherwise walk it all (a visible pause with a long history)."""
    gc.freeze()


# Long enough that typing and reading a screen are not a pause; a full pass then holds
# the app 20-90 ms at 10 years, when nobody is waiting for it.
COLLECT_AFTER_SECONDS = 1.5
COLLECT_AT_LEAST_EVERY_SECONDS = 300.0
NEVER = 1 << 30


class IdleCollector:
    """The cyclic collector's full passes while the person pauses, not during a key.

    Python starts a full pass when enough objects have outlived the young ones; with a
    long history in memory each walks it all, 20-90 ms, landing on whichever key crossed
    the count (the same key took 48 ms one round and 109 ms the next). The young
    generations still run as always (a few ms); the full pass waits for a pause in the
    keys, or a few minutes at most when the app is left open."""

    def __init__(self) -> None:
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        if self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _ = self._thresholds
            gc.set_threshold(young, middle, NEVER)

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    @staticmethod
    def collect() -> None:
        gc.collect()


def exit_now(code: int) -> NoReturn:
    """Leave without tearing the interpreter down module by module: the app has closed,
    the terminal is restored, every save was fsync'd and the lock released, so nothing
    is left to do but what makes quitting feel slow (about 0.2 s of finalisation)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
