"""The history at a glance, without opening it: the journal's light door.

Home's first frame and `legcoach status` answer from the status cache the journal wrote
with its last derivation of today, and the app claims the database before it starts,
all without pydantic or TinyDB. Screens and the command line reach storage only through
the journal, or, for these few reads, through this module (import-linter's contract in
pyproject.toml): the cache's layout stays storage's own.
"""

from __future__ import annotations

from legcoach.storage.layout import claim_instance, preflight, saved_theme
from legcoach.storage.snapshot import (
    cached_today,
    cached_week,
    read_fresh_cache,
    status_at,
    write_status_line,
)

__all__ = [
    "cached_today",
    "cached_week",
    "claim_instance",
    "preflight",
    "read_fresh_cache",
    "saved_theme",
    "status_at",
    "write_status_line",
]
