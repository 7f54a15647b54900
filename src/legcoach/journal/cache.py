"""The status cache: today's derivation for `status` and home's first frame."""

from datetime import timedelta
from typing import Any

from legcoach.clock import FUTURE_TOLERANCE
from legcoach.history import Day, today_words, week_cells
from legcoach.journal.state import start_of_next_day
from legcoach.journal.today import Today
from legcoach.journal.week import Planning
from legcoach.storage.files import StoreError
from legcoach.storage.snapshot import build_cache, serves_home, status_at


class StatusCache(Planning):
    """Writes the cache after a save (or hands that to the app) and reads status."""

    def _refresh_cache_soon(self) -> None:
        """The status cache is stale: refresh it at once, or hand that to `later`."""
        self._cache_stale = True
        if self.later is None:
            self.settle()
        else:
            self.later(self.settle)

    def settle(self) -> None:
        """Refresh the status cache if a save left it stale (the app runs this after the
        screen has shown the save; it also runs before the app exits)."""
        if not self._cache_stale:
            return
        self._cache_stale = False
        unchanged = self.change_token() == self._seen
        self.refresh_status_cache()
        if unchanged:  # our own cache write is not another process's save
            self._seen = self.change_token()

    def status_cache(self) -> dict[str, Any]:
        """Today's derivation, for `status` and home's first frame without the journal."""
        today = self.today()
        now = today.now
        last_legs = today.last_legs
        week = [(day.day, week_cells(day)) for day in today.week]
        records_after = next(iter(self.records(since=now + timedelta(microseconds=1))), None)
        return build_cache(
            self.path,
            now,
            today.steps,
            today.answers_until,
            last_legs.ended_at if last_legs else None,
            start_of_next_day(now) if today.checkin else None,
            week,
            self._today_for_cache(today),
            self._fit_for_cache(),
            empty_day=week_cells(Day(now.date())),
            records_after=records_after is not None,
            last_legs_detail=last_legs.effort_and_kind if last_legs else None,
        )

    def _today_for_cache(self, today: Today) -> dict[str, Any]:
        """Home's Today panel in words, and until when they hold: the next moment the
        plan can change (an unlock, the answers expiring) or midnight."""
        now = today.now
        return {
            "day": now.date().isoformat(),
            "valid_until": today.valid_until.isoformat(),
            "words": today_words(today.checkin, today.plan, today.changed, now, today.runs),
        }

    def keep_status_cache(self) -> None:
        """Rebuild the status cache (through `later`, as after a save) if it cannot draw
        home's whole first frame now: on a day the history was not opened, or after
        `legcoach status` answered from its line file alone. The next start draws at once."""
        if not self.exists or serves_home(self.path, self.now()):
            return
        self._refresh_cache_soon()

    def refresh_status_cache(self) -> None:
        """Best effort: a save that succeeded never fails because of the cache. When it
        cannot be computed (e.g. another year's file is damaged) it is removed, so the
        next `status` recomputes and names the problem."""
        try:
            if self._clock_behind_the_history():
                self._store.remove_status_cache()
                return
            self._store.write_status_cache(self.status_cache())
        except (StoreError, OSError):
            self._store.remove_status_cache()

    def _clock_behind_the_history(self) -> bool:
        """A record is dated past this clock's now (beyond the margin every door
        accepts): the clock is behind (a device set a day back). A cache it wrote would
        leave that record out for every later reader, so none is written: each reader
        recomputes with its own clock."""
        later = self.now() + FUTURE_TOLERANCE + timedelta(microseconds=1)
        return next(iter(self.records(since=later)), None) is not None

    def status(self) -> dict[str, Any]:
        cache = self.status_cache()
        if self.exists and not self._clock_behind_the_history():
            self._store.write_status_cache(cache)
        return status_at(cache, self.now())
