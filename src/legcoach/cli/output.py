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


def saved_line(given: Record, saved: Record, units: Any = None) -> str:
    """'Saved ...', or 'Already saved ...' when the journal found it saved before."""
    said = "Saved" if saved.id == given.id else "Already saved, nothing added:"
    summary = saved.summary(units) if units is not None else saved.summary()
    return f"{said} {summary} ({saved.when:%a %d %b %H:%M})."


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
    gone = [r for r in result.records if str(r.id) in run.deleted_ids]
    old = [
        r
        for r in result.records
        if str(r.id) not in run.new_ids and str(r.id) not in run.deleted_ids
    ]
    parts = []
    if new:
        parts.append(f"{'would import' if dry_run else 'imported'} {words_for(new)}")
    if old:
        parts.append(f"{words_for(old)} already saved")
    if gone:
        parts.append(f"{words_for(gone)} you deleted, not imported again")
    for record in result.records:
        twin = run.merged.get(str(record.id))
        if twin is not None:
            how = "typed" if twin.source is None else "imported"
            parts.append(
                f"{'would merge' if dry_run else 'merged'} with the {twin.kind_word if hasattr(twin, 'kind_word') else 'leg session'} "
                f"{how} for {twin.when.astimezone():%a %d %b %H:%M} (the same session)"
            )
    counts: dict[str, int] = {}
    for reason in result.skipped:
        counts[reason] = counts.get(reason, 0) + 1
    parts += [
        reason if count == 1 else f"{reason} ({count} workouts or sessions)"
        for reason, count in counts.items()
    ]
    return "; ".join(parts) or "nothing to import"


def week_template_lines(profile: Any) -> list[str]:
    """The week the profile holds, as `profile` prints it."""
    week = profile.week

    def days(values: Any) -> str:
        return ",".join(day.value for day in values) or "none"

    legs = ",".join(
        f"{leg.day.value}:{leg.kind.value}" if leg.kind else leg.day.value for leg in week.leg_days
    )
    race = f"{profile.race.on.isoformat()} ({profile.race.label})" if profile.race else "none"
    return [
        f"long run: {week.long_run.value if week.long_run else 'none'}",
        f"quality days: {days(week.quality_days)}",
        f"easy days: {days(week.easy_days)}",
        f"leg days: {legs or 'none'}",
        f"run time: {week.run_time:%H:%M} · leg time: {week.leg_time:%H:%M}",
        f"race: {race}",
    ]


def print_week(plan: Any) -> None:
    """The week plan: each day's sessions, what is allowed then, conflicts numbered."""
    from legcoach.planner import numbered_suggestions

    numbers = {id(p): n for n, p in enumerate(numbered_suggestions(plan), start=1)}
    print(
        f"Week from {plan.start:%a %d %b} (assumes a good morning: fed, sleep 4/5, "
        "warmed up, no red flag)"
    )
    for note in plan.notes:
        print(f"  note: {note}")
    for day, plans in plan.by_day():
        print(f"{day:%a %d %b}")
        if not plans:
            print("  nothing planned")
        for p in plans:
            allowed = f"{p.allowed.value} allowed" if p.allowed is not None else ""
            mark = "ok" if p.ok else "CONFLICT"
            print(f"  {p.session.at:%H:%M}  {p.session.describe():<44} {allowed:<17} {mark}")
            if not p.ok:
                for why in p.why:
                    print(f"         {why}")
                if p.suggestion is not None:
                    print(f"         [{numbers[id(p)]}] suggestion: {p.suggestion.text}")
    count = plan.conflicts
    said = "no conflicts" if not count else f"{count} conflict{'s' if count > 1 else ''}"
    hint = " · take one: legcoach week --take N" if numbers else ""
    print(f"{said}{hint}")


def print_whatif(answer: Any) -> None:
    session = answer.session
    kind = session.kind.label if session.kind else "leg session"
    print(
        f"If you lift ({kind}, RPE {session.rpe}, {session.minutes} min) "
        f"ending {session.ended_at.astimezone():%a %H:%M}:"
    )
    for day, before, after in answer.days:
        change = "" if before == after else f"  (was {before.value})"
        print(f"  {day:%a %d %b}  {after.value} allowed at your run time, on what is saved{change}")
    changed = [(p, ok) for p, ok in answer.key_sessions() if ok != p.ok]
    if changed:
        print("Your week:")
        for p, _ok in changed:
            state = "now in conflict" if not p.ok else "now fine"
            print(f"  {p.session.name()}: {state}" + (f" ({p.why[0]})" if p.why else ""))
    else:
        print("Your week's key sessions are unchanged.")
    print("Nothing was saved.")
