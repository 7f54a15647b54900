"""The journal's shared state: the store, the clock, the constants every part uses."""

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Self, TypeVar, cast

from legcoach import coach
from legcoach.clock import Clock, local_now
from legcoach.recovery import (
    SorenessDecay,
)
from legcoach.storage.store import Store, Survey

# The history the coach reads: the easy days after a race (up to 15) and the usual run.
HISTORY_WINDOW = timedelta(days=16)
# How far back a soreness update is looked for when there is no check-in at all.
SORENESS_LOOKBACK = timedelta(days=30)
# The personal recovery rate is fitted to the last half year of leg days.
PERSONAL_FIT_WINDOW = timedelta(days=182)
# A leg session given in a check-in that ended within this of a saved one is that one:
# the same rule for the app and the CLI, and what keeps a retried check-in from
# saving the session twice.
SAME_SESSION = timedelta(hours=1)


T = TypeVar("T")
P = ParamSpec("P")
J = TypeVar("J", bound="JournalState")


def one_look(
    operation: Callable[Concatenate[J, P], T],
) -> Callable[Concatenate[J, P], T]:
    """The operation's reads look at the history's files once (Store.one_look): a plan
    reads the store hundreds of times, each read no longer checks every file again."""

    @functools.wraps(operation)
    def looked(self: J, *args: P.args, **kwargs: P.kwargs) -> T:
        with self._store.one_look():
            return operation(self, *args, **kwargs)

    return looked


def start_of_next_day(at: datetime) -> datetime:
    return datetime.combine(at.date() + timedelta(days=1), datetime.min.time(), at.tzinfo)


class JournalState:
    """What every part of the journal shares: the store, the clock, and what is derived
    from the history (forgotten whenever the history changes)."""

    def __init__(self, store: Store, clock: Clock = local_now) -> None:
        self._store = store
        self.clock = clock
        # Bumped by every save, here or in another process (once noticed): a view kept
        # between visits compares it to know whether it is still current.
        self.revision = 0
        self._decay: tuple[datetime, SorenessDecay] | None = None
        self._decay_key = ""
        self._cache_stale = False
        # How the status cache is refreshed after a save: at once (the CLI), or handed to
        # the app to run after the screen has shown the result (`settle`).
        self.later: Callable[[Callable[[], None]], Any] | None = None
        # Told after every save of this journal's (the app derives today again).
        self.on_save: Callable[[], None] | None = None
        # (revision, moment, derivation) a save left: today's, if nothing changed since.
        self._derived: tuple[int, datetime, coach.Derivation] | None = None
        # What is asked again and again until the history changes: name -> (key, value).
        self._kept_values: dict[str, tuple[tuple[Any, ...], Any]] = {}

    def _kept(self, name: str, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """`make()`, kept under `name` while the history (the revision: a save here, or
        one noticed from elsewhere) and `key` stay as they were."""
        key = (self.revision, *key)
        seen = self._kept_values.get(name)
        if seen is None or seen[0] != key:
            seen = (key, make())
            self._kept_values[name] = seen
        return cast(T, seen[1])

    @classmethod
    def open(
        cls, path: Path, clock: Clock = local_now, *, create: bool = True, device: str | None = None
    ) -> Self:
        """The history at `path`, as this computer (or `device`: tests play several) sees
        it. Versions read the journal's clock too: an injected clock reaches every save."""
        store = Store(path, create=create, device=device, clock=lambda: clock().timestamp())
        return cls(store, clock)

    @property
    def path(self) -> Path:
        return self._store.path

    def survey(self) -> Survey:
        """What `legcoach doctor` reports: devices, unreadable files, conflict copies."""
        return self._store.survey()

    def tidy(self) -> list[Path]:
        """Remove the conflict copies that hold nothing the history needs."""
        return self._store.tidy()

    @property
    def exists(self) -> bool:
        return self._store.exists

    def now(self) -> datetime:
        return self.clock()

    def _start_of_today(self) -> datetime:
        now = self.now()
        return datetime.combine(now.date(), datetime.min.time(), now.tzinfo)
