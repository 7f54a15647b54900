"""Textual's Footer, without the keys it leaves behind each time it redraws them."""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's Footer, dropping the old keys it binds to itself.

    Each key it composes is bound to the footer's `compact` (`data_bind`), and Textual
    forgets such a binding only when `compact` changes (Textual #6666), which ours never
    does. The footer composes its keys again whenever the bindings change (home does on
    every return to it), so each return kept ~14 removed keys alive, ~0.4 MiB a visit.
    """

    async def recompose(self) -> None:
        await super().recompose()
        # Textual's own list of who watches `compact`; kept to the keys shown now.
        watchers = getattr(self, "__watchers", None)
        if isinstance(watchers, dict) and isinstance(watchers.get("compact"), list):
            watchers["compact"][:] = [
                (node, callback) for node, callback in watchers["compact"] if node.is_attached
            ]
