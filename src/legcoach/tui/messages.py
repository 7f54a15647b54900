"""Messages the app sends its screens."""

from __future__ import annotations

from textual.message import Message


class HistoryChanged(Message):
    """Another process saved: a screen that shows the history redraws it.

    Sent by the app to the screens that exist, rather than watched by them: a screen
    that watches the app's reactive stays referenced by the app after it has closed,
    until the value next changes (Textual #6666), so every visit to the timer or the
    plan kept its whole screen."""


class TodayChanged(Message):
    """The app derived today again (a save, another process's save, an unlock, a new
    day): a screen that shows today redraws from `app.today`. Sent, not watched, for the
    reason above."""
