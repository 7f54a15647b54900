"""Apple Health's export (`export.xml`, alone or inside `export.zip`), read as a stream.

Real exports are several GB: the file is parsed with `iterparse` over defused XML (no
DTD, no entities) and each element is cleared once read, so memory stays flat whatever
the file's size (the 64 MiB cap of other formats does not apply to this one; a bound of
WORKOUTS_LIMIT workouts does). Running, walking and hiking workouts become runs and
walks; a strength workout whose metadata says legs becomes a leg session; heart-rate
variability (SDNN) and resting heart rate become daily readings (a day's mean), kept
as their own records for later use.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import IO, Any

from legcoach.importers.fit import NotReadable
from legcoach.importers.runs import Activity, clean, finite, stable_id
from legcoach.importers.strava import LEG_WORDS
from legcoach.models import HealthReading, LegSession
from legcoach.vocab import (
    LEG_MINUTES_RANGE,
    MEASURE_RANGES,
    METRES_PER_MILE,
    Measure,
    in_range,
)

SPORTS = {
    "HKWorkoutActivityTypeRunning": "running",
    "HKWorkoutActivityTypeWalking": "walking",
    "HKWorkoutActivityTypeHiking": "hiking",
}
STRENGTH = ("HKWorkoutActivityTypeTraditionalStrengthTraining",
            "HKWorkoutActivityTypeFunctionalStrengthTraining")  # fmt: skip
WORKOUTS_LIMIT = 200_000
MAX_DEPTH = 16
TO_METRES = {"km": 1000.0, "m": 1.0, "mi": METRES_PER_MILE, "ft": 0.3048, "yd": 0.9144}
TO_MINUTES = {"min": 1.0, "s": 1 / 60, "hr": 60.0, "h": 60.0}


def looks_like(head: bytes) -> bool:
    return b"<HealthData" in head[:4096]


def _moment(text: str | None) -> datetime | None:
    """'2026-11-20 06:30:00 +0100'."""
    if not text or len(text) > 40:
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return None


def workouts(stream: IO[bytes]) -> Iterator[Activity | LegSession | HealthReading | str]:
    import defusedxml.ElementTree as safe
    from defusedxml import DefusedXmlException

    depth = 0
    count = 0
    root = None
    daily: dict[tuple[Measure, date], list[tuple[datetime, float]]] = {}
    try:
        for event, element in safe.iterparse(stream, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                root = element if root is None else root
                if depth > MAX_DEPTH:
                    raise NotReadable(f"refused: XML nested deeper than {MAX_DEPTH} levels")
                continue
            depth -= 1
            if element.tag == "Record" and element.get("type") in READINGS:
                _add_reading(daily, element)
            if element.tag == "Workout":
                count += 1
                if count > WORKOUTS_LIMIT:
                    raise NotReadable(f"refused: more than {WORKOUTS_LIMIT:,} workouts")
                found = _workout(element)
                if found is not None:
                    yield found
            if depth == 1 and root is not None:
                root.clear()  # every child read is dropped: memory stays flat
    except DefusedXmlException:
        raise NotReadable("refused: the XML declares a DTD or entities") from None
    except safe.ParseError as error:
        raise NotReadable(f"not well-formed XML ({error})") from None
    for (measure, _day), values in sorted(daily.items()):
        # A day's readings, averaged; at the day's last reading.
        mean = sum(v for _, v in values) / len(values)
        yield HealthReading(
            id=stable_id(f"reading-{measure.value}", "apple", values[-1][0]),
            source="apple",
            at=max(at for at, _ in values),
            measure=measure,
            value=round(mean, 1),
        )


READINGS = {
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN": Measure.HRV_SDNN,
    "HKQuantityTypeIdentifierRestingHeartRate": Measure.RESTING_HR,
}
READING_DAYS_LIMIT = 100_000


def _add_reading(
    daily: dict[tuple[Measure, date], list[tuple[datetime, float]]], element: Any
) -> None:
    measure = READINGS[element.get("type")]
    at = _moment(element.get("startDate"))
    value = finite(element.get("value"))
    low, high = MEASURE_RANGES[measure.value]
    if at is None or value is None or not low <= value <= high:
        return
    key = (measure, at.date())
    if key not in daily and len(daily) >= READING_DAYS_LIMIT:
        return
    daily.setdefault(key, []).append((at, value))


def _workout(element: Any) -> Activity | LegSession | str | None:
    kind = element.get("workoutActivityType", "")
    start, end = _moment(element.get("startDate")), _moment(element.get("endDate"))
    if start is None or end is None or end <= start or end - start > timedelta(days=7):
        return None
    if kind in SPORTS:
        distance = finite(element.get("totalDistance"))
        unit = TO_METRES.get(element.get("totalDistanceUnit", "km"), 1000.0)
        heart = [
            s for s in element.iter("WorkoutStatistics")
            if s.get("type") == "HKQuantityTypeIdentifierHeartRate"
        ]  # fmt: skip
        average = finite(heart[0].get("average")) if heart else None
        peak = finite(heart[0].get("maximum")) if heart else None
        duration = finite(element.get("duration"))
        minutes = (
            duration * TO_MINUTES.get(element.get("durationUnit", "min"), 1.0) if duration else None
        )
        return Activity(
            source="apple",
            sport=SPORTS[kind],
            start=start,
            end=end,
            timer_seconds=minutes * 60 if minutes and minutes > 0 else None,
            distance_m=distance * unit if distance and distance > 0 else None,
            avg_hr=round(average) if average and 20 <= average <= 260 else None,
            max_hr=round(peak) if peak and 20 <= peak <= 260 else None,
        )
    if kind in STRENGTH:
        said = " ".join(
            f"{m.get('key', '')} {m.get('value', '')}" for m in element.iter("MetadataEntry")
        )
        if not LEG_WORDS.search(said[:2000]):
            return "skipped: a strength workout that does not say legs"
        minutes = round((end - start).total_seconds() / 60)
        return LegSession(
            id=stable_id("legs", "apple", start),
            source="apple",
            ended_at=end,
            rpe=None,
            minutes=minutes if in_range(minutes, LEG_MINUTES_RANGE) else None,
            note=clean(said, 200) or "",
        )
    return f"skipped: {clean(kind.removeprefix('HKWorkoutActivityType')) or 'a workout'}"
