"""Screens that know their app's type: `self.app` is the LegcoachApp, so a screen reads
the app's journal, today and clock with their types (no `type: ignore`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from legcoach.journal import Today
    from legcoach.tui.app import LegcoachApp

ResultType = TypeVar("ResultType")


class AppScreen(Screen[ResultType]):
    if TYPE_CHECKING:
        # Textual's `app` is the running app; on our screens it is always ours.
        app: LegcoachApp

    @property
    def today(self) -> Today:
        """The app's derivation of today: a screen only renders it."""
        today = self.app.today
        assert today is not None, "shown only once the history is open"
        return today
