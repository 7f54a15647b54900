"""Noticing other processes' saves: a few stats, no reads."""

from collections.abc import Iterable
from typing import Any

from legcoach.clock import Clock, local_now
from legcoach.journal.state import JournalState
from legcoach.models import (
    Record,
)
from legcoach.storage.store import Store


class Watching(JournalState):
    """Whether the history changed since this journal last looked."""

    def __init__(self, store: Store, clock: Clock = local_now) -> None:
        super().__init__(store, clock)
        self._seen = self.change_token()

    def change_token(self) -> Any:
        """Changes whenever any process saves, on this computer or on another whose files
        a sync tool brings: the signatures of every history file (stats, no reads)."""
        return self._store.change_token()

    def changed_elsewhere(self) -> bool:
        """Whether the history changed since this journal last looked (cheap: stats, no reads)."""
        token = self.change_token()
        if token == self._seen:
            return False
        self._seen = token
        self.revision += 1
        self._forget_derived()
        return True

    def _forget_derived(self, written: Iterable[Record] | None = None) -> None:
        """Drop what was derived from the history: all of it after another process's
        write (`written` unknown), else only if a write reaches before today (the
        personal rate learns from readings up to yesterday)."""
        if self._decay is None:
            return
        if written is None or any(record.when < self._decay[0] for record in written):
            self._decay = None
