"""Textual's Footer, without the keys it leaves behind each time it redraws them."""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter

from legcoach.tui.internals import drop_detached_watchers


class Footer(TextualFooter):
    """Textual's Footer, dropping the old keys it binds to itself.

    Each key it composes is bound to the footer's `compact` (`data_bind`), and Textual
    forgets such a binding only when `compact` changes (Textual #6666), which ours never
    does. The footer composes its keys again whenever the bindings change (home does on
    every return to it), so each return kept the removed keys alive.
    """

    async def recompose(self) -> None:
        await super().recompose()
        drop_detached_watchers(self, "compact")
