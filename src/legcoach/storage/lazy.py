"""A year's records of one table in time order, each validated the first time it is read.

Validating a year of daily records with pydantic is not free; most reads
want a few days of it (today's plan, the week, a page of history). The order comes from
each record's time as stored (`datetime.fromisoformat`, in C); a record whose time does
not parse that way is validated at once, so the order is always the validated one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, overload

from legcoach.models import Record

# Where each table keeps a record's time (the models' `when`).
TIME_FIELD = {
    "leg_sessions": "ended_at",
    "checkins": "at",
    "runs": "at",
    "soreness_updates": "at",
    "health_readings": "at",
}

Entry = tuple[datetime, str, Any]  # (when, record id, the stored document or the record)
Validate = Callable[[Any], Record]
EMPTY: list[Entry] = []


def stored_time(doc: Any, table: str) -> datetime | None:
    """A stored document's time if it reads as an aware ISO time, else None."""
    return aware_time(doc.get(TIME_FIELD[table]) if isinstance(doc, dict) else None)


def aware_time(value: Any) -> datetime | None:
    """An aware ISO time as stored (with its offset), else None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


class YearRecords(Sequence[Record]):
    """Sorted by time; `keys` (the times) and `ids` for bisection and id lookups without
    validating anything; items validated on first access and kept."""

    __slots__ = ("_items", "_validate", "ids", "keys")

    def __init__(self, entries: list[Entry], validate: Validate) -> None:
        entries.sort(key=lambda entry: entry[0])
        self.keys = [entry[0] for entry in entries]
        self.ids = [entry[1] for entry in entries]
        self._items = [entry[2] for entry in entries]
        self._validate = validate

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._items[index]
        if not isinstance(item, Record):
            item = self._items[index] = self._validate(item)
        return item

    def between(self, first: int, end: int, *, newest_first: bool) -> Iterator[Record]:
        indices = range(end - 1, first - 1, -1) if newest_first else range(first, end)
        for index in indices:
            yield self[index]

    def entries(self) -> list[Entry]:
        return list(zip(self.keys, self.ids, self._items, strict=True))


def stored_entry(doc: Any, table: str, item: Any, validate_now: Callable[[], Record]) -> Entry:
    """A stored document's entry: its time and id as stored with `item` (validated when
    first read), or, when those do not read, the record validated at once (which raises
    for a damaged record, naming it), so the order is always the validated one."""
    when = stored_time(doc, table)
    record_id = doc.get("id") if isinstance(doc, dict) else None
    if when is None or not isinstance(record_id, str):
        record = validate_now()
        return (record.when, str(record.id), record)
    return (when, record_id, item)


def year_records(
    docs: dict[str, Any], table: str, validate: Callable[[str, Any], Record]
) -> YearRecords:
    """The view of a year file's table (`docs`: storage key -> stored document)."""
    entries = [
        stored_entry(doc, table, (doc_id, doc), functools.partial(validate, doc_id, doc))
        for doc_id, doc in docs.items()
    ]
    return YearRecords(entries, lambda item: validate(*item))


def overlaid(base: YearRecords, ops: Sequence[tuple[str, Record | None]]) -> YearRecords:
    """`base` with the change log's operations replayed: (id, None) removes the id,
    (id, record) adds the record unless the id is there."""
    by_id: dict[str, Entry] = {entry[1]: entry for entry in base.entries()}
    for record_id, record in ops:
        if record is None:
            by_id.pop(record_id, None)
        elif record_id not in by_id:
            by_id[record_id] = (record.when, record_id, record)
    return YearRecords(list(by_id.values()), base._validate)
