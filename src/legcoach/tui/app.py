"""Placeholder until the Textual app lands (issue 3)."""

from pathlib import Path


def run(db: Path) -> int:
    print("The legcoach app is not built yet; use the subcommands (legcoach --help).")
    return 0
