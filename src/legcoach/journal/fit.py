"""The personal recovery rate: fitted once a day to the last half year of leg days."""

import bisect
from datetime import datetime, timedelta
from typing import Any

from legcoach.journal.reads import Reads
from legcoach.journal.state import PERSONAL_FIT_WINDOW
from legcoach.models import (
    LegSession,
)
from legcoach.recovery import (
    DEFAULT_DECAY,
    SorenessDecay,
    fit_decay,
    usable_fit_sessions,
)
from legcoach.storage.snapshot import cached_fit
from legcoach.vocab import RecordKind


class PersonalFit(Reads):
    """The user's own soreness decay, once the history allows a fit."""

    @property
    def decay(self) -> SorenessDecay:
        """The user's own soreness decay once the history allows a fit, else the default.
        Learnt from readings before today, so today's saves leave it as it is (and every
        process computes the same one); computed once a day."""
        today = self._start_of_today()
        if self._decay is None or self._decay[0] != today:
            # The fit validates half a year of records (on every command): another
            # process may have left today's, computed from the same records, in the cache.
            key = self._store.fingerprint(*self._fit_window())
            cached = cached_fit(self.path, key)
            decay = SorenessDecay(**cached) if cached else self.personal_decay() or DEFAULT_DECAY
            self._decay = (today, decay)
            self._decay_key = key
        return self._decay[1]

    def _fit_window(self) -> tuple[datetime, datetime]:
        until = self._start_of_today() - timedelta(microseconds=1)
        return until - PERSONAL_FIT_WINDOW, until

    def _fit_for_cache(self) -> dict[str, Any]:
        decay = self.decay
        return {
            "key": self._decay_key,
            "half_life_hours": decay.half_life_hours,
            "peak_hours": decay.peak_hours,
            "based_on": decay.based_on,
        }

    def personal_decay(self) -> SorenessDecay | None:
        return fit_decay(self._fit_readings())

    def leg_days_with_enough_readings(self) -> int:
        """How many recent leg days the personal rate can learn from (to say what it needs).
        Kept until the history or the day changes: the timer asks each time it opens."""
        return self._kept(
            "fit sessions",
            (self._start_of_today(),),
            lambda: usable_fit_sessions(self._fit_readings()),
        )

    def _fit_readings(self) -> list[list[tuple[float, float]]]:
        since, until = self._fit_window()
        sessions = sorted(
            self._store.records(LegSession, since=since, until=until), key=lambda s: s.when
        )
        readings_all = sorted(
            (
                (r.at, float(r.soreness))  # type: ignore[attr-defined]
                for r in self.records(
                    [RecordKind.CHECKIN, RecordKind.SORENESS], since=since, until=until
                )
                if r.soreness is not None  # type: ignore[attr-defined]
            ),
        )
        # Each session's readings are those after it and before the next session: found by
        # bisection in the time-sorted readings (a scan per session was quadratic,
        # of every save with a year of daily check-ins).
        times = [at for at, _ in readings_all]
        readings: list[list[tuple[float, float]]] = []
        for index, session in enumerate(sessions):
            first = bisect.bisect_right(times, session.ended_at)
            last = (
                bisect.bisect_left(times, sessions[index + 1].ended_at)
                if index + 1 < len(sessions)
                else len(times)
            )
            readings.append(
                [
                    ((at - session.ended_at).total_seconds() / 3600, soreness)
                    for at, soreness in readings_all[first:last]
                ]
            )
        return readings
