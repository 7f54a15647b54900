"""GPX tracks (gpxpy) and TCX activities, parsed safely.

Every XML file is first parsed with defusedxml with DTDs forbidden: no entity expansion
(no "billion laughs"), no external entities, no network. Only then is a GPX handed to
gpxpy. TCX is small and regular, so it is read from that safe tree directly.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree.ElementTree import Element

from legcoach.importers.fit import NotReadable
from legcoach.importers.runs import Activity, finite, moving_seconds


def safe_tree(text: str) -> Element:
    import defusedxml.ElementTree as safe
    from defusedxml import DefusedXmlException

    try:
        return safe.fromstring(text, forbid_dtd=True)
    except DefusedXmlException:
        raise NotReadable("refused: the XML declares a DTD or entities") from None
    except safe.ParseError as error:
        raise NotReadable(f"not well-formed XML ({error})") from None


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


def gpx_activities(text: str) -> list[Activity]:
    safe_tree(text)  # refuses DTDs and entities before gpxpy sees the text
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
        samples = [(at, hr) for at, point in stamped if (hr := _hr_of_extensions(point.extensions))]
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
                distance_m=track.length_3d() or track.length_2d(),
                samples=samples,
            )
        )
    if not found:
        raise NotReadable("a GPX file with no timed track")
    return found


def _gpx_sport(kind: str | None, name: str | None) -> str | None:
    """GPX's <type>: a word ('running'), or a number in Strava's older exports, where the
    track's name ('Morning Run', 'Lunch Ride') says the sport instead."""
    if kind and not kind.strip().isdigit():
        return kind
    words = (name or "").lower()
    for sport in ("run", "walk", "hike", "ride", "swim"):
        if sport in words:
            return {"ride": "cycling", "swim": "swimming"}.get(sport, sport)
    return None  # unknown: read as a run, the common case for a GPS track


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


def tcx_activities(root: Element) -> list[Activity]:
    found = []
    for activities in _children(root, "Activities"):
        for activity in _children(activities, "Activity"):
            laps = _children(activity, "Lap")
            points = [
                point
                for lap in laps
                for track in _children(lap, "Track")
                for point in _children(track, "Trackpoint")
            ]
            times = [t for p in points if (t := _time(_text(p, "Time")))]
            start = _time(
                next((lap.get("StartTime") for lap in laps if lap.get("StartTime")), None)
            )
            start = start or _time(_text(activity, "Id")) or (times[0] if times else None)
            seconds = sum(finite(_text(lap, "TotalTimeSeconds")) or 0 for lap in laps)
            if start is None:
                continue
            end = max([start + timedelta(seconds=seconds), *times])
            if end <= start:
                continue
            distance = sum(finite(_text(lap, "DistanceMeters")) or 0 for lap in laps)
            avgs = [
                (v, finite(_text(lap, "TotalTimeSeconds")) or 0)
                for lap in laps
                if (v := _value_of(lap, "AverageHeartRateBpm"))
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
