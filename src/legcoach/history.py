"""What the history screen shows, computed from records: weeks side by side and trends.

Pure: records in, rows out. Hard-run-after-hard-legs spacing follows the rule table
(keep hard runs out of the 24 h after hard legs); weekly load is session RPE x minutes
(Foster et al. 2001).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from legcoach.clock import day_label
from legcoach.models import (
    CheckIn,
    HealthReading,
    LegSession,
    Recommendation,
    Record,
    RunLog,
    RunType,
    SorenessUpdate,
    distance_text,
)
from legcoach.recovery import Intensity, LegLoad
from legcoach.vocab import Goal, Units

HARD_RUN_TYPES = frozenset({RunType.STEADY, RunType.QUALITY})
HARD_RUN_RPE = 7
TOO_SOON_HOURS = 24.0


def is_hard_run(run: RunLog) -> bool:
    return run.run_type in HARD_RUN_TYPES or (run.rpe is not None and run.rpe >= HARD_RUN_RPE)


@dataclass
class Day:
    day: date
    legs: list[LegSession] = field(default_factory=list)
    runs: list[RunLog] = field(default_factory=list)
    checkin: CheckIn | None = None


@dataclass
class Week:
    start: date  # a Monday
    days: list[Day]
    load: int
    notes: list[str]

    @property
    def runs(self) -> list[RunLog]:
        return [run for day in self.days for run in day.runs]

    @property
    def run_minutes(self) -> int:
        """Minutes of running in the week (the Trend chart's bars, the Weeks tab's Run)."""
        return sum(run.minutes for run in self.runs)


# Leg days a week each goal wants (Blagrove, Howatson & Hayes 2018: one or two heavy
# sessions for runners; Wilson et al. 2012: muscle wants the legs trained more often).
LEG_DAYS_FOR_GOAL: dict[Goal | None, tuple[int, int]] = {
    Goal.ENDURANCE: (1, 2),
    Goal.MUSCLE: (2, 3),
    Goal.FAT_LOSS: (1, 3),
    Goal.FITNESS: (1, 3),
    None: (1, 3),
}


def _hard_day(day: Day) -> bool:
    return any(is_hard_run(r) for r in day.runs) or any(
        LegLoad.of(s).intensity == Intensity.HARD for s in day.legs
    )


def week_verdict(week: Week, goal: Goal | None, today: date) -> str:
    """The week that was, in words: hard-easy kept or not, leg days against the goal,
    the longest run, a day off or not (only the days already lived)."""
    lived = [d for d in week.days if d.day <= today]
    if not any(d.legs or d.runs for d in lived):
        return "nothing logged"
    said = []
    pairs = [(a, b) for a, b in itertools.pairwise(lived) if _hard_day(a) and _hard_day(b)]
    if pairs:
        a, b = pairs[0]
        said.append(f"two hard days in a row ({a.day:%a}-{b.day:%a})")
    else:
        said.append("hard-easy kept")
    leg_days = sum(1 for d in lived if d.legs)
    low, high = LEG_DAYS_FOR_GOAL.get(goal, (1, 3))
    verdict = "about right" if low <= leg_days <= high else ("few" if leg_days < low else "many")
    goal_word = f" for {goal.label}" if goal else ""
    said.append(f"{leg_days} leg day{'s' if leg_days != 1 else ''} ({verdict}{goal_word})")
    minutes = [r.minutes for d in lived for r in d.runs]
    said.append(f"longest run {max(minutes)} min" if minutes else "no run")
    said.append("a day off" if any(not (d.legs or d.runs) for d in lived) else "no day off")
    return " · ".join(said)


def weeks(
    legs: Iterable[LegSession],
    runs: Iterable[RunLog],
    checkins: Iterable[CheckIn],
    *,
    last: int,
    today: date,
) -> list[Week]:
    """The last `last` calendar weeks (Monday first), newest first."""
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=last - 1)
    days = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range(last * 7)}
    legs, runs = list(legs), list(runs)
    for session in legs:
        if (d := session.ended_at.date()) in days:
            days[d].legs.append(session)
    for run in runs:
        if (d := run.at.date()) in days:
            days[d].runs.append(run)
    for checkin in checkins:
        if (d := checkin.day) in days:
            days[d].checkin = checkin
    too_soon = hard_runs_after_hard_legs(legs, runs)
    result = []
    for week in range(last):
        start = first + timedelta(weeks=week)
        week_days = [days[start + timedelta(days=i)] for i in range(7)]
        load = sum(r.load or 0 for d in week_days for r in d.runs) + sum(
            s.load or 0 for d in week_days for s in d.legs
        )
        notes = [
            # The RPE says why an easy or recovery run counts as hard: it was run hard.
            f"{run.at:%a %d %b}: {run.kind_word}"
            + (f" at RPE {run.rpe}" if run.rpe is not None else "")
            + (f" ({run.origin})" if run.source else "")
            + ", "
            f"{hours:.0f} h after hard legs"
            for run, hours in too_soon
            if start <= run.at.date() < start + timedelta(days=7)
        ]
        result.append(Week(start, week_days, load, notes))
    return list(reversed(result))


def hard_runs_after_hard_legs(
    legs: Sequence[LegSession], runs: Sequence[RunLog]
) -> list[tuple[RunLog, float]]:
    """Each hard run that came within 24 h after a hard leg session, with the hours between."""
    hard_legs = sorted(s.ended_at for s in legs if LegLoad.of(s).intensity == Intensity.HARD)
    found = []
    for run in runs:
        if not is_hard_run(run):
            continue
        gaps = [(run.at - ended).total_seconds() / 3600 for ended in hard_legs if ended <= run.at]
        if gaps and min(gaps) < TOO_SOON_HOURS:
            found.append((run, min(gaps)))
    return found


def week_cells(day: Day) -> tuple[str, str, str]:
    """A day of home's week in words: leg sessions, the check-in and its plan, the runs."""
    legs = ", ".join(s.effort for s in day.legs) or "·"
    checkin = day.checkin
    plan = checkin.recommendation if checkin else None
    sore = f"sore {checkin.soreness}" if checkin and checkin.soreness is not None else "—"
    checked = f"{sore} → {plan.run_type.value}" if plan else (sore if checkin else "·")
    runs = (
        ", ".join(
            f"{r.run_type.value if r.run_type else '?'} {r.minutes}′"
            + (f" RPE {r.rpe}" if r.rpe is not None else "")
            for r in day.runs
        )
        or "·"
    )
    return legs, checked, runs


def plan_duration(plan: Recommendation) -> str:
    low, high = plan.duration_min
    return "no run" if high == 0 else f"{low}-{high} min"


def plan_cap(plan: Recommendation) -> str:
    if plan.max_rpe == 0:
        return "No running today."
    parts = [f"RPE ≤ {plan.max_rpe}/10"]
    if plan.max_hr_bpm:
        parts.append(f"heart rate ≤ {plan.max_hr_bpm} bpm ({plan.max_hr_pct}% of max)")
    return " · ".join(parts)


def done_today(runs: Sequence[RunLog]) -> str:
    """'recovery run 25 min; easy run 20 min': today's runs, as home and the plan say them."""
    return "; ".join(f"{run.kind_word} {run.minutes} min" for run in runs)


def today_words(
    checkin: CheckIn | None,
    plan: Recommendation,
    changed: str | None,
    now: datetime,
    runs: Sequence[RunLog] = (),
) -> dict[str, str] | None:
    """Home's Today panel in words (None: no check-in yet), for the app and the status
    cache alike: the first frame draws it from the cache before the history is open.
    After a run today the plan is for a second run: 'done' says what was done."""
    if checkin is None:
        return None
    done = done_today(runs)
    return {
        "done": f"Done today: {done}" if done else "",
        "at": f"{checkin.at.astimezone(now.tzinfo):%H:%M}",
        "soreness": (
            f"soreness {checkin.soreness}/10" if checkin.soreness is not None else "soreness ?"
        ),
        "plan": plan.run_type.label,
        "duration": plan_duration(plan),
        "changed": changed or "",
        "cap": plan_cap(plan),
        "override": checkin.override.label if checkin.override else "",
    }


def week_row(day: Day, today: date) -> list[str]:
    """Home's row for a day: its label ('Today' or 'Tue 24') and its cells in words."""
    return [day_label(day.day, today), *week_cells(day)]


@dataclass
class Series:
    """Points to chart: one per reading, oldest first, and what the axis should say."""

    at: list[datetime]
    values: list[float]

    @property
    def span(self) -> str:
        """'13 Nov -> 26 Nov', from the first reading to the last (not the window's ends)."""
        if not self.at:
            return ""
        first, last = self.at[0], self.at[-1]
        if first.date() == last.date():
            return f"{first:%d %b %Y}"
        return f"{first:%d %b} -> {last:%d %b %Y}"


def readiness_series(checkins: Iterable[CheckIn]) -> Series:
    """Sleep and energy (1-5), their mean per check-in; stress counted inverted."""
    points = []
    for checkin in sorted(checkins, key=lambda c: c.at):
        answers = [v for v in (checkin.sleep, checkin.energy) if v is not None]
        if checkin.stress is not None:
            answers.append(6 - checkin.stress)
        if answers:
            points.append((checkin.at, sum(answers) / len(answers)))
    return Series([at for at, _ in points], [v for _, v in points])


def weekly_load(weeks_newest_first: Sequence[Week]) -> list[tuple[date, int, int]]:
    """Per week, oldest first: (Monday, minutes of running, leg sessions)."""
    return [
        (
            week.start,
            week.run_minutes,
            sum(len(d.legs) for d in week.days),
        )
        for week in reversed(weeks_newest_first)
    ]


def described(record: Record, units: Units = Units.METRIC) -> list[str]:
    """A record's answers in words, one per line, for the record detail."""
    lines: list[str] = []
    if isinstance(record, LegSession):
        lines.append(f"Effort: RPE {record.rpe}/10" if record.rpe else "Effort: unknown")
        if record.kind:
            lines.append(f"Kind: {record.kind.label}")
        if record.minutes:
            lines.append(f"Duration: {record.minutes} min")
    elif isinstance(record, HealthReading):
        lines += [
            f"Measure: {record.measure.label}",
            f"Value: {record.value:g} {record.measure.unit}",
        ]
    elif isinstance(record, RunLog):
        lines += [
            f"What: {record.run_type.label if record.run_type else record.kind_word}",
            f"Duration: {record.minutes} min",
            f"Effort: RPE {record.rpe}/10" if record.rpe else "Effort: not given",
        ]
        if record.estimated:
            lines.append("Type and effort: estimated on import (heart rate or pace)")
        if record.started_at:
            lines.append(f"Started: {record.started_at:%H:%M}")
        if record.sport:
            lines.append(f"Sport: {record.sport}")
        if record.distance_m:
            lines.append(f"Distance: {distance_text(record.distance_m, units)}")
        if record.avg_hr:
            peak = f", max {record.max_hr}" if record.max_hr else ""
            lines.append(f"Heart rate: average {record.avg_hr}{peak} bpm")
        if record.legs_felt:
            lines.append(f"Legs felt: {record.legs_felt.value}")
    elif isinstance(record, SorenessUpdate):
        lines.append(f"Soreness: {record.soreness}/10")
    elif isinstance(record, CheckIn):
        lines.append(
            f"Soreness: {record.soreness}/10"
            if record.soreness is not None
            else "Soreness: not given"
        )
        flags = ", ".join(flag.label for flag in sorted(record.red_flags))
        lines.append(f"Red flags: {flags or 'none'}")
        if record.earlier_red_flags:
            earlier = ", ".join(flag.label for flag in sorted(record.earlier_red_flags))
            lines.append(f"Red flags earlier that day: {earlier} (cleared by this check-in)")
        if record.goal:
            lines.append(f"Goal: {record.goal.label}")
        if record.fuel:
            lines.append(f"Carbs: {record.fuel.label}")
        if record.sleep:
            lines.append(f"Sleep: {record.sleep}/5")
        if record.energy:
            lines.append(f"Energy: {record.energy}/5")
        if record.stress:
            lines.append(f"Stress: {record.stress}/5 (1 calm, 5 very stressed)")
        if record.warmup is not None:
            lines.append(f"Warm-up: {'planned' if record.warmup else 'not planned'}")
        if record.override:
            lines.append(f"What you did: {record.override.label.removeprefix('you ')}")
        if record.override_note:
            lines.append(f"Note: {record.override_note}")
    note = getattr(record, "note", "")
    if note:
        lines.append(f"Note: {note}")
    lines.append(f"Source: {record.origin}")
    return lines
