"""Every screen made ready while the app is idle: imported, and its styles parsed.

Textual parses a widget class's default CSS the first time one is mounted, and a new
source makes it parse every source again and restyle the whole app. Opening History the
first time did that for eleven widget types on top of reading
its .tcss, before a person saw anything. Here the screens are imported on a
thread, then their .tcss files and their widgets' default CSS are added to the app's
stylesheet in one parse, once, a moment after home is drawn.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from textual.css.stylesheet import Stylesheet
from textual.widget import Widget

from legcoach.tui.internals import default_css_of

# The screens' modules, the charts the Trend tab mounts, and the rest below.
SCREEN_MODULES = (
    "legcoach.tui.checkin",
    "legcoach.tui.edit",
    "legcoach.tui.history",
    "legcoach.tui.log",
    "legcoach.tui.plan",
    "legcoach.tui.record",
    "legcoach.tui.settings",
    "legcoach.tui.timer",
    "legcoach.tui.trend",
    "legcoach.tui.warmup",
    "legcoach.tui.week",
    "legcoach.tui.weeks",
    "legcoach.tui.widgets.chart",
    "legcoach.tui.wizard",
    "textual_plotext",
    # What Textual and rich import when first needed: the first scroll bar (the Trend
    # tab's), a table cell's markup (the week's: some 4 ms on the first k), a chart's
    # colours.
    "textual.scrollbar",
    "rich._emoji_codes",
    "rich.ansi",
)
STYLES_FOLDER = Path(__file__).parent


def import_screens() -> list[ModuleType]:
    """Import every screen's module (run on a thread: the imports are not small)."""
    return [importlib.import_module(name) for name in SCREEN_MODULES]


def widget_classes(modules: Iterable[ModuleType]) -> set[type[Widget]]:
    """The widget classes the modules name, and every one named beside those or
    beside their bases: a compound widget's parts live in its module or its base's
    (FooterKey beside Footer; Underline beside Tabs, the base of TabbedContent's tabs)."""

    def named_in(module: ModuleType) -> set[type[Widget]]:
        return {
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, Widget)
        }

    found: set[type[Widget]] = set()
    scanned: set[str] = set()
    waiting = [cls for module in modules for cls in named_in(module)]
    while waiting:
        cls = waiting.pop()
        found.add(cls)
        for base in cls.__mro__:
            home = sys.modules.get(base.__module__)
            if home is None or home.__name__ in scanned or not issubclass(base, Widget):
                continue
            scanned.add(home.__name__)
            waiting.extend(named_in(home) - found)
    return found


def add_screen_styles(stylesheet: Stylesheet, modules: Iterable[ModuleType]) -> bool:
    """Add the screens' .tcss files and their widgets' default CSS, as Textual itself
    adds them when a screen or widget first mounts (the same locations, so those calls
    find them present and parse nothing). True if anything was new: the caller reparses.
    """
    before = len(stylesheet.source)
    for path in sorted(STYLES_FOLDER.glob("*.tcss")):
        if not stylesheet.has_source(str(path), ""):
            stylesheet.read(path)
    for cls in widget_classes(modules):
        sources = default_css_of(cls)
        if sources is None:
            continue
        for read_from, css, tie_breaker, scope in sources:
            stylesheet.add_source(
                css,
                read_from=read_from,
                is_default_css=True,
                tie_breaker=tie_breaker,
                scope=scope,
            )
    return len(stylesheet.source) != before
