"""legcoach.tui.internals leans on what Textual does not promise; each test here fails
if Textual changes under it, so an upgrade says what to revisit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer

from legcoach.tui import internals
from legcoach.tui.app import LegcoachApp
from legcoach.tui.themes import DEFAULT_THEME


def test_the_default_css_of_a_widget_class_is_still_where_we_read_it() -> None:
    sources = internals.default_css_of(Footer)
    assert sources, "Textual no longer gives a widget class's default CSS this way"
    read_from, css, tie_breaker, scope = sources[0]
    assert "Footer" in css and isinstance(tie_breaker, int) and isinstance(scope, str)
    assert read_from[1].startswith("Footer")


async def test_data_bind_watchers_are_still_kept_where_we_prune_them() -> None:
    class Host(App[None]):
        BINDINGS = [("x", "bell", "Bell"), ("y", "bell", "Again")]

        def compose(self) -> ComposeResult:
            yield Footer()

    async with Host().run_test() as pilot:
        await pilot.pause()
        footer = pilot.app.query_one(Footer)
        watchers = getattr(footer, "__watchers", None)
        assert isinstance(watchers, dict) and isinstance(watchers.get("compact"), list), (
            "Textual keeps data_bind watchers elsewhere now: revisit drop_detached_watchers"
        )
        internals.drop_detached_watchers(footer, "compact")
        assert all(node.is_attached for node, _ in watchers["compact"])


async def test_starting_in_a_theme_does_what_textuals_watcher_does(tmp_path: Path) -> None:
    ours = LegcoachApp(tmp_path / "db.json", theme="legcoach-light")

    class Theirs(App[None]):
        pass

    theirs = Theirs()
    for theme in ours.available_themes.values():
        theirs.register_theme(theme)
    async with theirs.run_test() as pilot:
        pilot.app.theme = "legcoach-light"
        await pilot.pause()
        expected_classes = {c for c in pilot.app.classes if "theme" in c or "mode" in c}
        expected_variables = pilot.app.stylesheet._variables  # what the watcher set
    assert ours.theme == "legcoach-light" != DEFAULT_THEME
    assert {c for c in ours.classes if "theme" in c or "mode" in c} == expected_classes
    assert ours.stylesheet._variables == expected_variables


def test_exit_now_leaves_with_the_code_and_the_output_flushed() -> None:
    code = "from legcoach.tui.internals import exit_now\nprint('said', end='')\nexit_now(3)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (3, "said")
