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


def exit_now(code: int) -> NoReturn:
    """Leave without tearing the interpreter down module by module: the app has closed,
    the terminal is restored, every save was fsync'd and the lock released, so nothing
    is left to do but what makes quitting feel slow (about 0.2 s of finalisation)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
