"""The `legcoach` command's first step: `status` straight from its cache, everything else
through the full command line (`legcoach.cli`).

Prompts and tmux status bars call `legcoach status` every few seconds, so this path
imports only `os`, `sys`, `time` and the status line's reader (storage/statusline.py):
no json (but for --json), no datetime, no argparse, no pathlib, no pydantic. When the cache does not answer (missing, stale, another
platform's default location), the full command line computes it as before.
"""

from __future__ import annotations

import os
import sys

from legcoach.shell import bare_app_db, format_problem, status_line

# Not `from typing import TYPE_CHECKING`: typing alone is a measurable cost here (mypy reads
# a module-level TYPE_CHECKING = False the same way).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    answered = _quick_status(args)
    if answered is not None:
        return answered
    bare, db = bare_app_db(args)
    if bare and not any("\udc80" <= char <= "\udcff" for arg in args for char in arg):
        return _open_app(db)
    from legcoach.cli import main as full

    return full(args)


def _open_app(db: str | None) -> int:
    """Bare `legcoach [--db PATH]`: straight to the app, without the command line's
    imports. Any failure still ends in one line (the command line's own handler)."""
    try:
        from legcoach.paths import db_path
        from legcoach.tui.app import exit_now, run

        code = run(db_path(db))
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        from legcoach.cli import fail

        return fail(error)
    exit_now(code)


def _quick_status(args: list[str]) -> int | None:
    """`status [--json] [--db PATH]` from a fresh cache, or None to take the full path."""
    db: str | None = None
    as_json = False
    style = "default"
    rest = list(args)
    if "status" not in rest:
        return None
    rest.remove("status")
    while rest:
        word = rest.pop(0)
        if word == "--json" and not as_json:
            as_json = True
        elif word == "--db" and rest and db is None:
            db = rest.pop(0)
        elif word.startswith("--db=") and db is None:
            db = word[5:]
        elif word == "--short" and style == "default":
            style = "short"
        elif word == "--format" and rest and style == "default":
            style = rest.pop(0)
            if format_problem(style) is not None:
                return None  # the full parser says what is wrong
        else:
            return None  # anything else (help, a typo): the full parser says what
    path = _db_path(db)
    if path is None:
        return None
    import time

    from legcoach.storage.statusline import read_status

    status = read_status(path, time.time())
    if status is None:
        return None
    if as_json:
        import json

        print(json.dumps(status, allow_nan=False))
    else:
        print(status_line(status, style))
    return 0


def _db_path(given: str | None) -> str | None:
    """--db, then LEGCOACH_DB, then the Linux user data dir (platformdirs' answer there);
    None where only platformdirs knows (the full path asks it)."""
    chosen = given if given is not None else os.environ.get("LEGCOACH_DB")
    if chosen is not None:
        if not chosen.strip() or "\x00" in chosen:
            return None  # the full parser explains what is wrong
        return os.path.realpath(os.path.expanduser(chosen))
    if not sys.platform.startswith("linux"):
        return None
    data = os.environ.get("XDG_DATA_HOME", "").strip() or os.path.expanduser("~/.local/share")
    return os.path.realpath(os.path.join(data, "legcoach", "legcoach.json"))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
