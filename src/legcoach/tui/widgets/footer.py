"""Textual's Footer, redrawn once per change of the keys it shows, and without the keys
it leaves behind each time it redraws them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Footer as TextualFooter

from legcoach.tui.internals import drop_detached_watchers

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class Footer(TextualFooter):
    """Textual's Footer, composing its keys only when they change, and dropping the old
    keys it binds to itself.

    Textual's composes its keys again on every `refresh_bindings` of its screen, one
    after another: opening History's Trend tab asked it 13 times in one key press (the
    tab, the focus moving into it, the charts mounted), a third of the key's time, for
    the same keys. Here the requests of one refresh come to one look, and the keys are
    composed again only if what they would show differs.

    Each key it composes is bound to the footer's `compact` (`data_bind`), and Textual
    forgets such a binding only when `compact` changes (Textual #6666), which ours never
    does; each recompose drops the old keys' bindings.
    """

    _keys_pending = False
    _keys_shown: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._keys_pending:
            self._keys_pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._keys_pending = False
        if self.is_attached and self._keys() != self._keys_shown:
            await self.recompose()

    def _keys(self) -> tuple[Any, ...]:
        """What the composed keys show, as Textual's `compose` reads them: the bindings
        shown, each enabled or not, and the palette's key. A focus moving between
        widgets whose own keys are all hidden (a table, a scrolling pane) changes none of
        it: switching History's tab composed the keys three times, for one change."""
        active = self.screen.active_bindings
        shown = tuple(
            (binding, enabled, tooltip)
            for _node, binding, enabled, tooltip in active.values()
            if binding.show
        )
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return (shown, palette and palette[1:])

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._keys_shown = self._keys()
        yield from super().compose()

    async def recompose(self) -> None:
        await super().recompose()
        drop_detached_watchers(self, "compact")
