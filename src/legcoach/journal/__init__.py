"""The training journal: the one door to the history, for the CLI and the app alike.

A package split by responsibility, behind one facade (`Journal`): `state` (the store,
the clock), `watch` (noticing other processes' saves), `reads`, `fit` (the personal
recovery rate), `today` (the one derivation of today), `cache` (the status cache),
`usecases` (every save) and `transfer` (export and import). Each layer builds on the
one before it.

Joins the store (what was saved) with the coach (what it means now). Each use case is
one unit of work here (`check_in`, `log_legs`, `log_run`, `update_soreness`,
`record_override`, `save_profile`, `import_from`): everything it depends on is read and
checked first, then one `Store.commit` (one lock, each touched file written once), then
one refresh of the status cache. A failure before the commit saves nothing; once the
commit has succeeded the use case succeeds (the cache is disposable), so a retry never
duplicates a record.
"""

from __future__ import annotations

from legcoach.journal.reads import NotFound
from legcoach.journal.state import SAME_SESSION, start_of_next_day
from legcoach.journal.today import Today, plan_without_history
from legcoach.journal.transfer import ImportReport, ImportRun, Transfer, write_csv
from legcoach.journal.usecases import CheckInResult, Contradiction, Invalid

__all__ = [
    "SAME_SESSION",
    "CheckInResult",
    "Contradiction",
    "ImportReport",
    "ImportRun",
    "Invalid",
    "Journal",
    "NotFound",
    "Today",
    "plan_without_history",
    "start_of_next_day",
    "write_csv",
]


class Journal(Transfer):
    """The history and what it means now: every read and every save of the CLI and the
    app goes through here."""
