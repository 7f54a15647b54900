"""What the commands print: the plan, import lines, the progress bar."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from legcoach.journal import ImportRun
    from legcoach.models import Recommendation, Record


def print_plan(plan: Recommendation, as_json: bool) -> None:
    from legcoach.timeline import format_hours

    if as_json:
        print(json.dumps(plan.to_public_json(), allow_nan=False))
        return
    low, high = plan.duration_min
    title = plan.run_type.label.upper()
    length = f", {low}-{high} min" if high else ""
    print(f"Today: {title}{length}")
    hr = f" · heart rate <= {plan.max_hr_bpm} bpm" if plan.max_hr_bpm else ""
    if plan.max_rpe:
        print(f"Cap: RPE <= {plan.max_rpe}/10{hr}. {plan.talk_test}")
    else:
        print(plan.talk_test)
    print("Why:")
    for reason in plan.reasons:
        print(f"  {'*' if reason.binding else '-'} {reason}")
    if plan.cautions:
        print("Before you go:" if plan.duration_min[1] else "Instead:")
        for caution in plan.cautions:
            print(f"  ! {caution}")
    if plan.next_unlock:
        unlock = plan.next_unlock
        terms = "".join(f", {term}" for term in unlock.conditions())
        print(
            f"Next: {unlock.run_type.value} unlocks in {format_hours(unlock.in_hours)} "
            f"({unlock.at.astimezone():%a %H:%M}{terms})"
        )


def saved_line(given: Record, saved: Record) -> str:
    """'Saved ...', or 'Already saved ...' when the journal found it saved before."""
    said = "Saved" if saved.id == given.id else "Already saved, nothing added:"
    return f"{said} {saved.summary()} ({saved.when:%a %d %b %H:%M})."


@contextlib.contextmanager
def import_progress(count: int) -> Iterator[Callable[[Path], None] | None]:
    """A progress bar on a terminal for long imports (Rich's, which Textual brings)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("importing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("import", total=None)
        yield lambda path: bar.advance(task)


def import_line(run: ImportRun, result: Any, *, dry_run: bool = False) -> str:
    """'imported 1 run', '1 run already saved', 'skipped: cycling', 'error: ...'."""
    from legcoach.importers.runs import words_for

    if result.error:
        return f"error: {result.error}"
    new = [r for r in result.records if str(r.id) in run.new_ids]
    old = [r for r in result.records if str(r.id) not in run.new_ids]
    parts = []
    if new:
        parts.append(f"{'would import' if dry_run else 'imported'} {words_for(new)}")
    if old:
        parts.append(f"{words_for(old)} already saved")
    counts: dict[str, int] = {}
    for reason in result.skipped:
        counts[reason] = counts.get(reason, 0) + 1
    parts += [
        reason if count == 1 else f"{reason} ({count} workouts or sessions)"
        for reason, count in counts.items()
    ]
    return "; ".join(parts) or "nothing to import"
