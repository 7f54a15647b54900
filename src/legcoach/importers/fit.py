"""FIT activity files (Garmin, Coros, Polar, Suunto, Wahoo ...) with Garmin's own SDK.

The SDK is imported here only, so `status` and the app's start-up never pay for it. It
reads developer fields, several sessions per file (multisport) and chained files, and
reports damage as errors instead of raising: a truncated file still gives what it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from legcoach.importers.runs import MAX_ACTIVITY_SECONDS, Activity, finite


class NotReadable(ValueError):
    """The file cannot be read as this format; the message says why, in a few words."""


class NotAnActivity(ValueError):
    """A well-formed file that holds no activity (a watch's monitoring or settings)."""


def is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == b".FIT"


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def _sport(session: Mapping[str, Any], sports: Sequence[Mapping[str, Any]]) -> str:
    sport = session.get("sport") or (sports[0].get("sport") if sports else None)
    sub = session.get("sub_sport") or (sports[0].get("sub_sport") if sports else None)
    words = [str(w) for w in (sub, sport) if w is not None and not isinstance(w, int)]
    if isinstance(sport, int):
        words.append(f"sport {sport}")
    if words and words[0] in ("generic", "none") and len(words) > 1:
        words = words[1:]
    said = [w.replace("_", " ") for w in words]
    # 'strength training' with sport 'training' is said once.
    said = [w for i, w in enumerate(said) if not any(w in other for other in said[:i])]
    return " ".join(dict.fromkeys(said)) or "unknown sport"


# Exercise categories of the FIT profile that are leg work (a watch's strength
# activity lists them per set); plyo is jumps.
LEG_CATEGORIES = frozenset(
    {"squat", "lunge", "deadlift", "leg_curl", "calf_raise", "hip_raise", "hip_swing", "plyo"}
)


def _strength(
    session: Mapping[str, Any], sets: Sequence[Mapping[str, Any]], start: datetime, end: datetime
) -> Any:
    """A watch's strength session as a workout of sets (lifting.Workout), when it holds
    leg exercises; None otherwise."""
    from legcoach.importers.lifting import Workout, WorkSet

    own = [
        s
        for s in sets
        if (at := _time(s.get("start_time")) or _time(s.get("timestamp"))) is not None
        and start - timedelta(minutes=1) <= at <= end + timedelta(minutes=1)
    ]
    work = []
    for item in own:
        if str(item.get("set_type", "active")) != "active":
            continue
        categories = item.get("category") or []
        if not isinstance(categories, list):
            categories = [categories]
        names = [str(c) for c in categories if c is not None and not isinstance(c, int)]
        legs = any(name in LEG_CATEGORIES for name in names)
        reps = item.get("repetitions")
        work.append(
            WorkSet(
                exercise=" ".join(names).replace("_", " ") or "exercise",
                reps=int(reps) if isinstance(reps, (int, float)) else None,
                rpe=None,
                warmup=False,
                legs=legs,
            )
        )
    if not any(s.legs for s in work):
        return None
    return Workout(start, end, "strength training (watch)", work)


# FIT times below this count seconds since the device powered on, not since the FIT
# epoch (the FIT profile's date_time: 0x10000000, about 1998-07-05).
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
RELATIVE_BEFORE = FIT_EPOCH + timedelta(seconds=0x10000000)
# Records past the session's own end belong to it for this long (a summary written
# before the last lap, as a Suunto Ambit3 does).
RECORDS_PAST_SUMMARY = timedelta(hours=6)


def _correlation(messages: Mapping[str, Any]) -> timedelta | None:
    """The offset from device-relative times to real ones, from a timestamp_correlation
    message (a real timestamp with the system time it corresponds to)."""
    for message in messages.get("timestamp_correlation_mesgs") or []:
        real, system = _time(message.get("timestamp")), finite(message.get("system_timestamp"))
        if real is not None and real >= RELATIVE_BEFORE and system is not None:
            return real - (FIT_EPOCH + timedelta(seconds=system))
    return None


def activities(data: bytes) -> list[Activity]:
    if not is_fit(data):
        raise NotReadable("not a FIT file (bad header)")
    from garmin_fit_sdk import Decoder, Stream

    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    try:
        messages, errors = decoder.read(convert_datetimes_to_dates=True)
    except Exception as error:  # the SDK's own failures: one line, never a traceback
        raise NotReadable(f"damaged FIT file ({type(error).__name__})") from None
    sessions = messages.get("session_mesgs") or []
    records = messages.get("record_mesgs") or []
    if not sessions:
        if errors:
            raise NotReadable("damaged or truncated FIT file: no activity summary")
        file_ids: Sequence[Mapping[str, Any]] = messages.get("file_id_mesgs") or []
        kind = file_ids[0].get("type") if file_ids else None
        if kind not in (None, "activity"):
            # Bulk exports hold monitoring, settings and sleep files beside activities.
            raise NotAnActivity(f"skipped: not an activity file ({kind})")
        raise NotReadable("a FIT file with no activity in it")
    samples = sorted(
        (at, int(r["heart_rate"]))
        for r in records
        if (at := _time(r.get("timestamp"))) is not None
        and isinstance(r.get("heart_rate"), (int, float))
        and 0 < r["heart_rate"] < 255
    )
    shift = timedelta(0)
    starts = [t for s in sessions if (t := _time(s.get("start_time"))) is not None]
    if starts and min(starts) < RELATIVE_BEFORE:
        correlation = _correlation(messages)
        if correlation is None:
            raise NotReadable(
                "its times count from the watch's power-on, with no date to convert them: "
                "not imported (undated)"
            )
        shift = correlation
    samples = [(at + shift, hr) for at, hr in samples]
    # (time, distance) of each record, to trust the records past a summary cut short.
    traces = sorted(
        (at + shift, finite(r.get("distance")))
        for r in records
        if (at := _time(r.get("timestamp"))) is not None
    )
    ordered = sorted(sessions, key=lambda s: _time(s.get("start_time")) or RELATIVE_BEFORE)
    found = []
    for index, session in enumerate(ordered):
        start = _time(session.get("start_time"))
        elapsed = finite(session.get("total_elapsed_time"))
        end = _time(session.get("timestamp"))
        if start is None:
            continue
        start = start + shift
        end = end + shift if end is not None else None
        if elapsed is not None and 0 < elapsed <= MAX_ACTIVITY_SECONDS:
            end = start + timedelta(seconds=elapsed)
        if end is None or end <= start:
            continue
        timer = finite(session.get("total_timer_time"))
        distance = finite(session.get("total_distance"))
        following = [_time(s.get("start_time")) for s in ordered[index + 1 :]]
        until = min([t + shift for t in following if t is not None] or [end + RECORDS_PAST_SUMMARY])
        own = [(at, d) for at, d in traces if start <= at < until]
        if own and own[-1][0] > end:
            # The records go past the session's summary: trust the records.
            past = (own[-1][0] - end).total_seconds()
            end = own[-1][0]
            timer = timer + past if timer is not None else None
            recorded = max((d for _, d in own if d is not None), default=None)
            if recorded is not None and (distance is None or recorded > distance):
                distance = recorded
        sport = _sport(session, messages.get("sport_mesgs") or [])
        strength = None
        if "strength" in sport or "training" in sport:
            strength = _strength(session, messages.get("set_mesgs") or [], start, end)
        found.append(
            Activity(
                source="fit",
                sport=sport,
                strength=strength,
                start=start,
                end=end,
                timer_seconds=timer,
                distance_m=distance,
                avg_hr=_bpm(session.get("avg_heart_rate")),
                max_hr=_bpm(session.get("max_heart_rate")),
                samples=[(at, hr) for at, hr in samples if start <= at <= end],
            )
        )
    if not found:
        raise NotReadable("damaged FIT file: its sessions have no start time")
    if errors:
        # A bad checksum or a truncated tail: what the file holds was read, and said so.
        found[0].notes.append(
            f"the file is damaged ({type(errors[0]).__name__}): what it holds was read"
        )
    return found


def _bpm(value: Any) -> int | None:
    number = finite(value)
    return round(number) if number and 20 <= number <= 260 else None
