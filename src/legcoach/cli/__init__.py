"""The command line. Bare `legcoach` opens the app; the subcommands never import Textual,
so a shell prompt or a tmux status line can call `legcoach status` every few seconds.

Exit status: 0 done, 1 a problem at run time (damaged or locked database, failed save),
2 a bad option (the message names it and says what is allowed).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from legcoach.cli.commands import _COMMANDS, _open_app, _status
from legcoach.cli.options import build_parser
from legcoach.shell import bare_app_db
from legcoach.text import visible

__all__ = ["build_parser", "fail", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    from legcoach import paths

    argv = sys.argv[1:] if argv is None else list(argv)
    if any("\udc80" <= char <= "\udcff" for arg in argv for char in arg):
        # Bytes that are not UTF-8 (decoded by Python as surrogate escapes).
        print("legcoach: error: an argument is not valid UTF-8 text", file=sys.stderr)
        return 2
    bare, db_option = bare_app_db(argv)
    if bare:
        return _run_guarded(lambda: _open_app(paths.db_path(db_option)))
    parser = build_parser()
    args = parser.parse_args(argv)
    db = paths.db_path(args.db)
    if args.command is None:
        return _run_guarded(lambda: _open_app(db))
    if args.command == "status":
        return _run_guarded(lambda: _status(db, args))
    return _run_guarded(lambda: _COMMANDS[args.command](db, args))


def _run_guarded(command: Callable[[], int]) -> int:
    try:
        return command()
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # one clear line, never a traceback
        return fail(error)


def fail(error: Exception) -> int:
    from pydantic import ValidationError

    from legcoach.errors import Locked, StoreError, UsageProblem

    if isinstance(error, ValidationError):
        # A value the options let through but the record refuses (e.g. a time that is
        # 1970 locally but 1969 in UTC): a bad value, said in words.
        from legcoach.models import explain

        print(f"legcoach: error: {visible(explain(error), one_line=True)}", file=sys.stderr)
        return 2
    if isinstance(error, UsageProblem):
        print(f"legcoach: error: {visible(error, one_line=True)}", file=sys.stderr)
        return 2
    if isinstance(error, Locked):
        message = f"{error}; try again in a moment."
    elif isinstance(error, StoreError):
        message = str(error)
    elif isinstance(error, OSError):
        message = f"{error.filename or 'file'}: {error.strerror or error}"
    else:
        message = f"unexpected error: {type(error).__name__}: {error}"
    # Paths and file contents in the message are outside text: never a terminal escape.
    print(f"legcoach: error: {visible(message, one_line=True)}", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
