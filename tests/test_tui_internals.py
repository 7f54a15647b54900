"""legcoach.tui.internals leans on what Textual does not promise; each test here fails
if Textual changes under it, so an upgrade says what to revisit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

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


async def test_the_footer_composes_its_keys_once_per_change_and_keeps_no_old_ones() -> None:
    from textual.binding import Binding

    from legcoach.tui.widgets.footer import Footer as OurFooter

    class Host(App[None]):
        BINDINGS = [Binding("x", "switch", "Switch"), Binding("y", "act", "Act")]
        act_on = True

        def compose(self) -> ComposeResult:
            # Two focusable widgets whose own keys are all hidden.
            yield DataTable[str](id="table")
            yield VerticalScroll(Static("pane"), id="pane")
            yield OurFooter()

        def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            return None if action == "act" and not self.act_on else True

        def action_switch(self) -> None:
            self.act_on = not self.act_on
            self.refresh_bindings()

    async with Host().run_test() as pilot:
        await pilot.pause()
        footer = pilot.app.query_one(OurFooter)
        composed = 0
        original = footer.recompose

        async def counting() -> None:
            nonlocal composed
            composed += 1
            await original()

        footer.recompose = counting  # type: ignore[method-assign]
        first = list(footer.query("FooterKey"))
        for _ in range(5):  # asked again and again, nothing changed
            pilot.app.screen.refresh_bindings()
        await pilot.pause()
        assert composed == 0 and list(footer.query("FooterKey")) == first
        for target in ("#pane", "#table", "#pane"):  # hidden keys change, shown ones not
            pilot.app.query_one(target).focus()
            await pilot.pause()
        assert composed == 0 and list(footer.query("FooterKey")) == first
        await pilot.press("x")  # "Act" disabled: one change, composed once
        for _ in range(3):
            pilot.app.screen.refresh_bindings()
        await pilot.pause()
        assert composed == 1
        act = [key for key in footer.query("FooterKey") if "Act" in str(key.render())]
        assert act and act[0].has_class("-disabled")
        watchers = getattr(footer, "__watchers", {})
        assert all(node.is_attached for node, _ in watchers.get("compact", []))
        await pilot.press("x")
        await pilot.pause()
        assert composed == 2
        assert not [key for key in footer.query("FooterKey") if key.has_class("-disabled")]


async def test_full_collections_wait_for_a_pause_in_the_keys(tmp_path: Path) -> None:
    """A full pass of the cyclic collector walks a long history (20-90 ms): it runs
    when the person pauses (IdleCollector), never in the middle of a key, and the
    collector is as it was once the app has gone."""
    import gc

    from tests.conftest import FakeClock
    from tests.tui_helpers import app_with, press

    before = gc.get_threshold()
    app = app_with(tmp_path / "db.json", FakeClock(), legs_hours=30)
    full_passes: list[bool] = []  # True: the app's own idle pass
    ours = [False]

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full_passes.append(ours[0])

    def idle_pass() -> None:
        ours[0] = True
        try:
            internals.IdleCollector.collect()
        finally:
            ours[0] = False

    gc.callbacks.append(seen)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app._collector.collect = idle_pass  # type: ignore[method-assign]
            await pilot.pause()
            assert gc.get_threshold()[2] == internals.NEVER
            for _ in range(3):
                # Garbage that outlives the young generations, as a long history's does:
                # Python's own count would start full passes amid these keys.
                kept: list[list[object]] = [[[] for _ in range(50)] for _ in range(2000)]
                for row in kept:
                    row.append(row)
                del kept
                await press(pilot, "t", "escape", "p", "escape")
            assert app._collect_soon is not None  # the pass after the last key
            app._collect_soon.stop()
            idle_pass()
    finally:
        gc.callbacks.remove(seen)
    assert full_passes and all(full_passes), "a full pass ran amid the keys"
    assert gc.get_threshold() == before
