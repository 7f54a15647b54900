"""The errors every layer may name: the storage raises them, the journal passes them on,
and the CLI and the screens say them in one line. Standard library only."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the database that the user must hear about in one clear line."""


class Locked(StoreError):
    """Another process holds the database (or the app is open elsewhere on this device)."""


class UsageProblem(StoreError):
    """What was typed cannot be used (an id too short or ambiguous): exit status 2."""
