"""Leg days from lifting apps: Strong, Hevy and FitNotes CSV exports.

A workout becomes a leg session when it has leg exercises (LEG_EXERCISES below; upper
body work is not counted). Warm-up sets do not count. Its kind: jumps make it
plyometric; mostly heavy sets (5 reps or fewer) heavy strength; otherwise volume. Its
RPE: the mean of the three hardest working leg sets' RPE where the export has it, else
unknown (the coach counts unknown effort as hard, and says so). It ends at its start
plus its duration. Times without a zone are the user's local time.

Variants read: Strong with commas or semicolons, with or without a weight-unit column,
with "Duration" ("1h 5m") or "Duration (sec)", with an RPE column; Hevy with weight_kg
or weight_lbs, set_type normal / warmup / failure / dropset, and rpe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from legcoach.importers.fit import NotReadable
from legcoach.importers.runs import clean, finite, stable_id
from legcoach.models import LegSession
from legcoach.vocab import LEG_MINUTES_RANGE, RPE_RANGE, LegKind, in_range

# Leg exercises, matched as words in the exercise name (case-insensitive). A name with
# one of NOT_LEGS is not leg work even if it has a leg word ("leg raise" is core work).
LEG_EXERCISES = (
    "squat",
    "deadlift",
    "rdl",
    "lunge",
    "leg press",
    "step up",
    "step-up",
    "hip thrust",
    "glute bridge",
    "leg curl",
    "hamstring curl",
    "leg extension",
    "calf raise",
    "calf press",
    "good morning",
    "nordic",
    "hip abduction",
    "hip adduction",
    "glute kickback",
    "sled push",
    "wall sit",
    "kettlebell swing",
    "pistol",
    "box jump",
    "jump squat",
    "broad jump",
    "depth jump",
    "jump lunge",
    "bound",
    "skater",
    "hop",
)
PLYOMETRIC = ("jump", "bound", "hop", "plyo", "skater")
NOT_LEGS = ("leg raise", "jump rope", "jumping jack", "hanging", "bench")
HEAVY_REPS = 5
MAX_CELL = 64  # a duration, date or number longer than this is no real one
MAX_WORKOUT_SECONDS = 24 * 3600
APP_NAMES = {"strong": "Strong", "hevy": "Hevy", "fitnotes": "FitNotes"}


def is_leg_exercise(name: str) -> bool:
    lowered = " " + re.sub(r"[\s_]+", " ", name.lower()) + " "
    if any(word in lowered for word in NOT_LEGS):
        return False
    return any(word in lowered for word in LEG_EXERCISES)


@dataclass
class WorkSet:
    exercise: str
    reps: int | None
    rpe: float | None
    warmup: bool
    legs: bool | None = None  # the app says so itself (FitNotes' Category); None: by name

    @property
    def is_legs(self) -> bool:
        return self.legs if self.legs is not None else is_leg_exercise(self.exercise)


@dataclass
class Workout:
    start: datetime
    end: datetime | None
    name: str
    sets: list[WorkSet] = field(default_factory=list)

    def to_leg_session(self, source: str) -> LegSession | str:
        legs = [s for s in self.sets if not s.warmup and s.is_legs]
        if not legs:
            return "skipped: no leg exercises"
        plyo = sum(1 for s in legs if any(w in s.exercise.lower() for w in PLYOMETRIC))
        heavy = sum(1 for s in legs if s.reps is not None and 0 < s.reps <= HEAVY_REPS)
        if plyo * 4 >= len(legs):
            kind = LegKind.PLYOMETRIC
        elif heavy * 2 >= len(legs):
            kind = LegKind.HEAVY_STRENGTH
        else:
            kind = LegKind.VOLUME
        efforts = sorted(s.rpe for s in legs if s.rpe is not None and in_range(s.rpe, RPE_RANGE))
        rpe = round(sum(efforts[-3:]) / len(efforts[-3:])) if efforts else None
        end = self.end if self.end and self.end > self.start else None
        minutes = round((end - self.start).total_seconds() / 60) if end else None
        return LegSession(
            id=stable_id("legs", source, self.start),
            source=source,
            ended_at=end or self.start,
            rpe=max(1, min(10, rpe)) if rpe is not None else None,
            kind=kind,
            minutes=minutes if minutes and in_range(minutes, LEG_MINUTES_RANGE) else None,
            note=clean(self.name, 500) or "",
        )


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
        rows = [
            dict(zip(header, row, strict=False))
            for row in reader
            if any(cell.strip() for cell in row)
        ]
    except StopIteration:
        raise NotReadable("an empty CSV file") from None
    except csv.Error as error:  # a cell over csv's field limit (128 KiB), a NUL ...
        raise NotReadable(f"a damaged CSV file ({error})") from None
    return header, rows


def kind_of_csv(text: str) -> str | None:
    first = text.split("\n", 1)[0].lower()
    if "exercise_title" in first and "start_time" in first:
        return "hevy"
    if "exercise name" in first and "set order" in first:
        return "strong"
    header = {cell.strip() for cell in re.split(r"[,;]", first)}
    if {"date", "exercise", "category", "reps"} <= header:
        return "fitnotes"
    return None


# FitNotes writes the day only: its leg sessions are saved at this local time.
FITNOTES_TIME = time(18, 0)


def fitnotes_workouts(text: str) -> list[Workout]:
    """FitNotes' CSV: a row per set, grouped by day; its Category names Legs itself, so
    a set in it is leg work whatever the exercise is called."""
    _, rows = _rows(text)
    workouts: dict[str, Workout] = {}
    for row in rows:
        day_text = (row.get("date") or "").strip()
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            continue
        workout = workouts.get(day_text)
        if workout is None:
            start = _local(datetime.combine(day, FITNOTES_TIME))
            workout = workouts[day_text] = Workout(start, None, "FitNotes")
        exercise = row.get("exercise", "")
        legs = (row.get("category") or "").strip().lower() in ("legs", "leg")
        workout.sets.append(
            WorkSet(
                exercise=exercise,
                reps=_int(row.get("reps")),
                rpe=None,
                warmup=False,
                legs=legs or None,
            )
        )
    return list(workouts.values())


def _local(value: datetime) -> datetime:
    if not 1970 <= value.year <= 2200:  # beyond, the zone arithmetic overflows
        raise ValueError(f"a date outside the supported range ({value.year})")
    return value if value.tzinfo else value.astimezone()


def _when(text: str, formats: Iterable[str]) -> datetime | None:
    text = text.strip()
    if len(text) > MAX_CELL:
        return None
    for form in formats:
        try:
            return _local(datetime.strptime(text, form))
        except ValueError:
            continue
    try:
        return _local(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    return _as_people_write(text)


def _as_people_write(text: str) -> datetime | None:
    """A date and time in any form these apps write it (their exports follow the phone's
    locale: 'Jun 2, 2025, 6:15 PM', '2 juin 2025 18:15', '02/06/2025 18:15'), read with
    python-dateutil; day or month first as the locale's territory writes it. A text
    without a year is not a date."""
    if not re.search(r"[0-9]{4}", text):
        return None
    import os

    from dateutil import parser

    from legcoach.parsing import month_first

    try:
        return _local(parser.parse(text, dayfirst=not month_first(os.environ)))
    except (ValueError, OverflowError):
        return None


def _duration(text: str) -> timedelta | None:
    """Strong's '1h 5m', '45m', '1h', '50s', or plain seconds."""
    text = text.strip().lower()
    if not text or len(text) > MAX_CELL:  # no real duration is longer
        return None
    unit = {"h": 3600, "m": 60, "s": 1}
    if re.fullmatch(r"\d+(\.\d+)?", text):
        seconds = float(text)
    else:
        parts = re.findall(r"(\d+)\s*([hms])", text)
        if not parts:
            return None
        seconds = sum(int(n) * unit[u] for n, u in parts)
    # A workout is a day at most: anything longer is a damaged cell, not a duration.
    return timedelta(seconds=seconds) if 0 < seconds <= MAX_WORKOUT_SECONDS else None


def _int(text: str | None) -> int | None:
    number = finite((text or "").replace(",", "."))
    return int(number) if number is not None else None


def _rpe(text: str | None) -> float | None:
    return finite((text or "").replace(",", "."))


STRONG_TIMES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
HEVY_TIMES = ("%d %b %Y, %H:%M", "%d %b %Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Columns:
    """Where one app's export keeps what a workout needs."""

    start: str
    name: str
    exercise: str
    times: tuple[str, ...]

    def workouts(
        self,
        text: str,
        end_of: Callable[[dict[str, str], datetime], datetime | None],
        warmup_of: Callable[[dict[str, str]], bool],
    ) -> list[Workout]:
        """Rows grouped into workouts (by start and name), each row one set."""
        _, rows = _rows(text)
        workouts: dict[tuple[str, str], Workout] = {}
        for row in rows:
            start = _when(row.get(self.start, ""), self.times)
            if start is None:
                continue
            key = (row.get(self.start, ""), row.get(self.name, ""))
            if key not in workouts:
                workouts[key] = Workout(start, end_of(row, start), row.get(self.name, ""))
            workouts[key].sets.append(
                WorkSet(
                    exercise=row.get(self.exercise, ""),
                    reps=_int(row.get("reps")),
                    rpe=_rpe(row.get("rpe")),
                    warmup=warmup_of(row),
                )
            )
        return list(workouts.values())


STRONG = Columns("date", "workout name", "exercise name", STRONG_TIMES)
HEVY = Columns("start_time", "title", "exercise_title", HEVY_TIMES)


def strong_workouts(text: str) -> list[Workout]:
    def end_of(row: dict[str, str], start: datetime) -> datetime | None:
        duration = _duration(row.get("duration (sec)") or row.get("duration") or "")
        return start + duration if duration else None

    return STRONG.workouts(
        text, end_of, lambda row: (row.get("set order") or "").strip().upper().startswith("W")
    )


def hevy_workouts(text: str) -> list[Workout]:
    return HEVY.workouts(
        text,
        lambda row, start: _when(row.get("end_time", ""), HEVY_TIMES),
        lambda row: (row.get("set_type") or "").strip().lower() in ("warmup", "warm-up", "warm_up"),
    )
