"""FIT activity files (Garmin, Coros, Polar, Suunto, Wahoo ...) with Garmin's own SDK.

The SDK is imported here only, so `status` and the app's start-up never pay for it. It
reads developer fields, several sessions per file (multisport) and chained files, and
reports damage as errors instead of raising: a truncated file still gives what it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from legcoach.importers.runs import Activity, finite


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
    return " ".join(dict.fromkeys(w.replace("_", " ") for w in words)) or "unknown sport"


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
    found = []
    for session in sessions:
        start = _time(session.get("start_time"))
        elapsed = finite(session.get("total_elapsed_time"))
        end = _time(session.get("timestamp"))
        if start is None:
            continue
        if elapsed is not None and elapsed > 0:
            end = start + timedelta(seconds=elapsed)
        if end is None or end <= start:
            continue
        found.append(
            Activity(
                source="fit",
                sport=_sport(session, messages.get("sport_mesgs") or []),
                start=start,
                end=end,
                timer_seconds=finite(session.get("total_timer_time")),
                distance_m=finite(session.get("total_distance")),
                avg_hr=_bpm(session.get("avg_heart_rate")),
                max_hr=_bpm(session.get("max_heart_rate")),
                samples=[(at, hr) for at, hr in samples if start <= at <= end],
            )
        )
    if not found:
        raise NotReadable("damaged FIT file: its sessions have no start time")
    return found


def _bpm(value: Any) -> int | None:
    number = finite(value)
    return round(number) if number and 20 <= number <= 260 else None
