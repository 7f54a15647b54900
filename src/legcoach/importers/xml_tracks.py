"""GPX tracks (gpxpy) and TCX activities, parsed safely.

Every XML file is first parsed with defusedxml with DTDs forbidden: no entity expansion
(no "billion laughs"), no external entities, no network. Only then is a GPX handed to
gpxpy. TCX is small and regular, so it is read from that safe tree directly.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree.ElementTree import Element

from legcoach.importers.fit import NotReadable
from legcoach.importers.runs import MAX_ACTIVITY_SECONDS, Activity, finite, moving_seconds

# GPX and TCX nest a handful of levels (a point's extensions perhaps 6); far deeper is
# hostile, and crashed the GPX library's recursive copy (SIGSEGV, the whole import lost).
MAX_XML_DEPTH = 32


def safe_tree(text: str) -> Element:
    import defusedxml.ElementTree as safe
    from defusedxml import DefusedXmlException

    try:
        root = safe.fromstring(text, forbid_dtd=True)
    except DefusedXmlException:
        raise NotReadable("refused: the XML declares a DTD or entities") from None
    except safe.ParseError as error:
        raise NotReadable(f"not well-formed XML ({error})") from None
    if _depth(root) > MAX_XML_DEPTH:
        raise NotReadable(f"refused: XML nested deeper than {MAX_XML_DEPTH} levels")
    return root


def _depth(root: Element) -> int:
    """The deepest nesting, walked without recursion (a hostile file nests 200,000 deep)."""
    deepest = 0
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_XML_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in node)
    return deepest


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def kind_of(root: Element) -> str | None:
    name = local(root.tag)
    return {"gpx": "gpx", "TrainingCenterDatabase": "tcx"}.get(name)


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _hr_of_extensions(extensions: list[Any]) -> int | None:
    """Heart rate from Garmin's TrackPointExtension (gpxtpx:hr) or a plain <hr>."""
    for element in extensions:
        for node in element.iter():
            if local(str(node.tag)).lower() in ("hr", "heartrate") and node.text:
                number = finite(node.text.strip())
                if number and 20 <= number <= 260:
                    return round(number)
    return None


_POINT = re.compile(
    r"<(?:[\w.-]+:)?(?:trkpt|rtept|wpt)\b([^>]*?)(?:/>|>.*?</(?:[\w.-]+:)?(?:trkpt|rtept|wpt)\s*>)",
    re.DOTALL,
)
_COORDINATE = re.compile(r"""\b(lat|lon)\s*=\s*["']\s*[-+]?[0-9]""")


def _without_unplaced_points(text: str) -> tuple[str, int]:
    """The text without the points that have no position (an eTrex logs one with a time
    before its fix), which gpxpy refuses whole files for, and how many there were. The
    text is edited, not re-serialised: gpxpy reads the file's own namespaces."""
    removed = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal removed
        if len(set(_COORDINATE.findall(match.group(1)))) == 2:
            return match.group(0)
        removed += 1
        return ""

    return _POINT.sub(drop, text), removed


def _heart_rates(root: Element) -> dict[datetime, int]:
    """Each track point's heart rate by its time, read from the safe tree: GPX 1.1
    keeps it in <extensions>, GPX 1.0 files (Sportractive) beside the point's <time>,
    where gpxpy does not look."""
    found: dict[datetime, int] = {}
    for point in root.iter():
        if local(str(point.tag)) != "trkpt":
            continue
        at = _time(_text(point, "time"))
        hr = _hr_of_extensions([point])
        if at is not None and hr is not None:
            found[at] = hr
    return found


def gpx_activities(text: str) -> list[Activity]:
    root = safe_tree(text)  # refuses DTDs and entities before gpxpy sees the text
    text, unplaced = _without_unplaced_points(text)
    heart_rates = _heart_rates(root)
    import gpxpy
    import gpxpy.gpx

    try:
        gpx = gpxpy.parse(text)
    except gpxpy.gpx.GPXException as error:
        raise NotReadable(f"not a readable GPX file ({error})") from None
    found = []
    for track in gpx.tracks:
        points = [p for segment in track.segments for p in segment.points if p.time is not None]
        if len(points) < 2:
            continue
        stamped = sorted(
            ((at, point) for point in points if (at := _aware(point.time)) is not None),
            key=lambda pair: pair[0],
        )
        times = [at for at, _ in stamped]
        samples = [(at, hr) for at, _ in stamped if (hr := heart_rates.get(at))]
        # Points out of order (merged or edited files) still give the right span.
        start, end = times[0], times[-1]
        if end <= start:
            continue
        found.append(
            Activity(
                source="gpx",
                sport=_gpx_sport(track.type, track.name),
                start=start,
                end=end,
                timer_seconds=moving_seconds(times) or None,
                # The 2-D length, as the watches measure: noisy altitude adds kilometres.
                distance_m=track.length_2d() or None,
                samples=samples,
                notes=[
                    f"skipped {unplaced} track point{'s' if unplaced > 1 else ''} without a position"
                ]
                if unplaced
                else [],
            )
        )
    if not found:
        raise NotReadable("a GPX file with no timed track")
    return found


# Sports by the words track names use for them, in the languages the apps write: a
# track's name is a last resort, after the file's own sport field.
SPORT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "cycling",
        (
            "ride",
            "cycling",
            "cycle",
            "bike",
            "biking",
            "radfahren",
            "radtour",
            "rad",
            "fahrrad",
            "velo",
            "vélo",
            "cyclisme",
            "ciclismo",
            "bici",
            "bicicleta",
            "fietsen",
            "fietstocht",
            "wielrennen",
            "rower",
            "cykling",
            "pyöräily",
        ),
    ),
    (
        "swimming",
        (
            "swim",
            "swimming",
            "schwimmen",
            "natation",
            "nuoto",
            "natación",
            "natacion",
            "zwemmen",
            "simning",
            "pływanie",
        ),
    ),
    (
        "walking",
        (
            "walk",
            "walking",
            "hike",
            "hiking",
            "wandern",
            "wanderung",
            "spaziergang",
            "marche",
            "randonnée",
            "randonnee",
            "caminata",
            "caminar",
            "senderismo",
            "camminata",
            "escursione",
            "wandelen",
            "vandring",
        ),
    ),
    (
        "running",
        (
            "run",
            "running",
            "jog",
            "jogging",
            "laufen",
            "lauf",
            "dauerlauf",
            "course",
            "footing",
            "carrera",
            "correr",
            "corsa",
            "hardlopen",
            "corrida",
            "löpning",
            "juoksu",
            "bieg",
        ),
    ),
)


# Strava's older GPX exports number the sport in <type>.
STRAVA_GPX_TYPES = {"1": "cycling", "9": "running", "10": "walking"}


def _gpx_sport(kind: str | None, name: str | None) -> str | None:
    """GPX's <type>: a word ('running'), or a number in Strava's older exports, where the
    track's name ('Morning Run', 'Cycling 10/2/17', 'Radfahren am Abend') says the sport
    instead: whole words, in the languages the apps write."""
    if kind and not kind.strip().isdigit():
        return kind
    if kind and (known := STRAVA_GPX_TYPES.get(kind.strip())):
        return known
    words = set(re.findall(r"\w+", (name or "").lower()))
    for sport, names in SPORT_WORDS:
        if words & set(names):
            return sport
    return None  # unknown: judged by its pace (runs.Activity)


def _text(node: Element | None, name: str) -> str | None:
    """The text of the first element called `name` at or below `node`."""
    if node is None:
        return None
    for child in node.iter():
        if local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _children(node: Element, name: str) -> list[Element]:
    return [child for child in node if local(child.tag) == name]


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return _aware(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def _value_of(node: Element, name: str) -> float | None:
    for child in _children(node, name):
        for value in child.iter():
            if local(value.tag) == "Value" and value.text:
                return finite(value.text)
    return None


def _lap_seconds(lap: Element) -> float:
    """A lap's time, range-checked where it is read (a lap of 1e12 s is damage)."""
    seconds = finite(_text(lap, "TotalTimeSeconds"))
    return seconds if seconds is not None and 0 < seconds <= MAX_ACTIVITY_SECONDS else 0.0


def tcx_activities(root: Element) -> list[Activity]:
    found = []
    # Anywhere in the file: inside <Activities>, and inside a <MultiSportSession>'s
    # <FirstSport> and <NextSport> (an FR305's bike, run, bike).
    for activity in (a for a in root.iter() if local(str(a.tag)) == "Activity"):
        laps = _children(activity, "Lap")
        points = [
            point
            for lap in laps
            for track in _children(lap, "Track")
            for point in _children(track, "Trackpoint")
        ]
        times = [t for p in points if (t := _time(_text(p, "Time")))]
        start = _time(next((lap.get("StartTime") for lap in laps if lap.get("StartTime")), None))
        start = start or _time(_text(activity, "Id")) or (times[0] if times else None)
        seconds = sum(_lap_seconds(lap) for lap in laps)
        if start is None:
            continue
        end = max([start + timedelta(seconds=seconds), *times])
        if end <= start:
            continue
        distance = sum(finite(_text(lap, "DistanceMeters")) or 0 for lap in laps)
        avgs = [
            (v, _lap_seconds(lap)) for lap in laps if (v := _value_of(lap, "AverageHeartRateBpm"))
        ]
        weight = sum(w for _, w in avgs)
        maxes = [v for lap in laps if (v := _value_of(lap, "MaximumHeartRateBpm"))]
        samples = [
            (t, round(hr))
            for p in points
            if (t := _time(_text(p, "Time"))) and (hr := _value_of(p, "HeartRateBpm"))
        ]
        found.append(
            Activity(
                source="tcx",
                sport=activity.get("Sport"),
                start=start,
                end=end,
                timer_seconds=seconds or None,
                distance_m=distance or None,
                avg_hr=round(sum(v * w for v, w in avgs) / weight) if weight else None,
                max_hr=round(max(maxes)) if maxes else None,
                samples=sorted(samples),
            )
        )
    if not found:
        raise NotReadable("a TCX file with no activity in it")
    return found
