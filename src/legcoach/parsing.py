"""Reading what people type: durations and moments. Shared by the CLI and the app.

Each parser raises ValueError with a message that says what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from legcoach.clock import FUTURE_TOLERANCE
from legcoach.vocab import METRES_PER_MILE

MAX_AGO = timedelta(days=3650)
# No real answer is longer: a longer one is refused at once, before any pattern runs
# (a pattern over 20,000 digits took seconds).
MAX_ANSWER = 64


def _bounded_text(text: str) -> str:
    if len(text) > MAX_ANSWER:
        raise ValueError(
            f"is too long to be an answer ({len(text)} characters; at most {MAX_ANSWER})"
        )
    return text


# ASCII digits only: `\d` would also take Arabic-Indic or full-width digits.
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]+)?)([dhm])")
_HOURS_PER = {"d": 24.0, "h": 1.0, "m": 1 / 60}


def parse_duration(text: str) -> timedelta:
    """'90m', '2h', '1h30m', '1d6h'."""
    compact = _bounded_text(text).strip().lower().replace(" ", "")
    parts = _DURATION.findall(compact)
    if not compact or "".join(amount + unit for amount, unit in parts) != compact:
        raise ValueError(f"must be a duration like 90m, 2h, 1h30m or 1d6h (got {text!r})")
    # Summed as hours (floats), never as timedelta, which overflows past 999999999 days.
    hours = sum(float(amount) * _HOURS_PER[unit] for amount, unit in parts)
    if hours > MAX_AGO / timedelta(hours=1):
        raise ValueError(f"must be at most 3650d (got {text!r})")
    return timedelta(hours=hours)


def parse_whole(text: str) -> int:
    """A whole number in ASCII digits (int() alone also takes '٣' and '５')."""
    stripped = text.strip()
    if not re.fullmatch(r"[+-]?[0-9]+", stripped):
        raise ValueError(f"not a whole number: {text!r}")
    return int(stripped)


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date and time; without a zone it is local time."""
    stripped = text.strip()
    if not stripped.isascii():
        raise ValueError(f"must be a date and time like 2026-11-24T18:30 (got {text!r})")
    try:
        value = datetime.fromisoformat(stripped.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(f"must be a date and time like 2026-11-24T18:30 (got {text!r})") from None
    if len(stripped) <= 10:
        raise ValueError(f"needs a time of day too, like {stripped}T18:30 (got {text!r})")
    try:
        value = value if value.tzinfo else value.astimezone()
        value.astimezone(UTC)
    except (OverflowError, ValueError, OSError):
        raise ValueError(f"is outside the dates legcoach keeps (got {text!r})") from None
    if value.astimezone(UTC).year < 1970:
        raise ValueError(f"is before 1970: legcoach keeps nothing earlier (got {text!r})")
    if value.year >= 2200:
        raise ValueError(f"is in the future (got {text!r})")
    return value


def parse_amount(text: str, bare_unit: str) -> timedelta:
    """What people type in a field: '1.5' (in `bare_unit`: 'h' or 'm'), '90m', '2h30'
    (2 h 30 min), '2d', '1d6' (1 d 6 h), '1h15m', '10 min', '2 hours', '1 hour 30'."""
    said = _bounded_text(text).strip().lower()
    compact = _UNIT_WORDS.sub(lambda m: _UNIT_OF[m.group(1)], said).replace(" ", "")
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", compact):
        compact += bare_unit
    elif match := re.fullmatch(r"([0-9.dhm]*[dh])([0-9]+)", compact):
        compact += {"d": "h", "h": "m"}[match.group(1)[-1]]
    try:
        return parse_duration(compact)
    except ValueError as problem:
        if "at most" in str(problem):
            raise
        raise ValueError(
            f"must be a duration like 90m, 2h, 1h30, 10 min or 1d6h (got {text.strip()!r})"
        ) from None


# Unit words as people type them, after a number: '10 min', '2 hours', '3 days'.
_UNIT_WORDS = re.compile(r"(?<=[0-9\s])(minutes|minute|mins|min|hours|hour|hrs|hr|days|day)\b")
_UNIT_OF = {
    **dict.fromkeys(("minutes", "minute", "mins", "min"), "m"),
    **dict.fromkeys(("hours", "hour", "hrs", "hr"), "h"),
    **dict.fromkeys(("days", "day"), "d"),
}


def parse_ago(text: str, now: datetime, bare_unit: str = "h") -> timedelta:
    """How long ago, as a duration ('20', '90m', '2 hours ago') or as a moment ('19:30',
    'yesterday 18:00', 'monday 19:00'): one answer for "when did it end?"."""
    said = " ".join(_bounded_text(text).strip().lower().split())
    try:
        return parse_amount(said.removesuffix(" ago").removesuffix("ago").strip(), bare_unit)
    except ValueError as problem:
        if "at most" in str(problem):
            raise
    try:
        return now - parse_when(text, now)
    except ValueError:
        raise ValueError(
            f"say how long ago (20, 90m, 2 hours) or when (19:30, yesterday 18:00) "
            f"(got {text.strip()!r})"
        ) from None


_CLOCK = re.compile(r"([0-9]{1,2})[:.h]([0-9]{2})")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_BACK = re.compile(r"([0-9]{1,4}) ?(d|days?|w|weeks?)( ago)?")
_LOCAL_DATE = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})")
# Territories whose people write the month first (12/19/2026); everyone else writes the
# day first (19/12/2026). Read from the locale's name, as the C library names it.
MONTH_FIRST = frozenset({"US", "PH", "FM", "MH", "PW", "BZ"})


def month_first(environ: Mapping[str, str]) -> bool:
    """Whether the person's locale writes the month first (LC_ALL, LC_TIME, LANG)."""
    name = next((environ[key] for key in ("LC_ALL", "LC_TIME", "LANG") if environ.get(key)), "")
    territory = name.split(".")[0].partition("_")[2].upper()
    return territory in MONTH_FIRST or name in ("", "C", "POSIX") or name.startswith("C.")


def parse_day(text: str, today: date, *, month_first_dates: bool = False) -> date:
    """A day as people say it: 'today', 'yesterday', 'monday' (the last one, today
    included), 'last week' (its Monday), '7d', '2w', '3 days ago', an ISO date, or the
    local form ('19/12/2026', or '12/19/2026' where the month comes first)."""
    said = " ".join(text.strip().lower().split())
    if len(said) > 40:
        raise ValueError(f"that is longer than any date (got {text.strip()[:40]!r}...)")
    if said in ("today", "now"):
        return today
    if said == "yesterday":
        return today - timedelta(days=1)
    if said in _WEEKDAYS:
        return today - timedelta(days=(today.weekday() - _WEEKDAYS.index(said)) % 7)
    if said == "last week":
        return today - timedelta(days=today.weekday() + 7)
    back = _BACK.fullmatch(said)
    if back:
        count = int(back.group(1))
        return today - timedelta(days=count * (7 if back.group(2).startswith("w") else 1))
    local = _LOCAL_DATE.fullmatch(said)
    try:
        if local:
            first, second, year = (int(part) for part in local.groups())
            month, day = (first, second) if month_first_dates else (second, first)
            return date(year, month, day)
        if said.isascii():
            return date.fromisoformat(said)
    except ValueError:
        pass
    order = "12/19/2026" if month_first_dates else "19/12/2026"
    raise ValueError(
        f"say a day like 2026-12-19, {order}, yesterday, monday, last week or 7d "
        f"(got {text.strip()!r})"
    )


def parse_when(text: str, now: datetime) -> datetime:
    """When something happened, as people say it: 'now', '2h ago', '90m', 'yesterday
    18:00', 'today 7:30', '18:00' (today, or yesterday if that is still to come), or an
    ISO date and time. Never in the future."""
    said = " ".join(_bounded_text(text).strip().lower().split())
    if said in ("", "now"):
        return now
    bare = said.removesuffix(" ago").removesuffix("ago").strip()
    try:
        return now - parse_amount(bare, "h")
    except ValueError:
        pass
    day_word, _, clock = said.rpartition(" ") if " " in said else ("", "", said)
    match = _CLOCK.fullmatch(clock)
    if match and (day_word in ("", "today", "yesterday") or day_word in _WEEKDAYS):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise ValueError(f"{clock} is not a time of day")
        moment = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if day_word in _WEEKDAYS:  # 'monday 19:00': the last Monday (today's if past)
            moment -= timedelta(days=(now.weekday() - _WEEKDAYS.index(day_word)) % 7)
            if moment > now:
                moment -= timedelta(days=7)
        elif day_word == "yesterday" or (day_word == "" and moment > now):
            moment -= timedelta(days=1)
    else:
        try:
            moment = parse_moment(text)
        except ValueError as problem:
            if said[:4].isdigit():  # a date was meant: say what is wrong with it
                raise ValueError(str(problem)) from None
            raise ValueError(
                f"say when like 'now', '2h ago', 'yesterday 18:00' or 2026-11-24 18:30 "
                f"(got {text.strip()!r})"
            ) from None
    if moment > now + FUTURE_TOLERANCE:
        raise ValueError(f"{text.strip()!r} is in the future")
    return moment


MAX_AHEAD = timedelta(days=14)


def parse_ahead(text: str, now: datetime) -> datetime:
    """When something may happen, as people say it: 'now', 'in 3h', '18:30' (today, or
    tomorrow if that has passed), 'tomorrow 18:30', 'friday 18:00' (the next Friday), or
    an ISO date and time. Within two weeks."""
    said = " ".join(_bounded_text(text).strip().lower().split())
    if said in ("", "now"):
        return now
    day_word, _, clock = said.rpartition(" ") if " " in said else ("", "", said)
    match = _CLOCK.fullmatch(clock)
    if said.startswith("in "):
        moment = now + parse_amount(said.removeprefix("in ").strip(), "h")
    elif match and (day_word in ("", "today", "tomorrow") or day_word in _WEEKDAYS):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise ValueError(f"{clock} is not a time of day")
        moment = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if day_word in _WEEKDAYS:
            moment += timedelta(days=(_WEEKDAYS.index(day_word) - now.weekday()) % 7)
            if moment < now:
                moment += timedelta(days=7)
        elif day_word == "tomorrow" or (day_word == "" and moment < now):
            moment += timedelta(days=1)
    else:
        try:
            moment = parse_moment(text)
        except ValueError:
            raise ValueError(
                f"say when like 'now', 'in 3h', '18:30', 'tomorrow 18:30' or 'friday 18:00' "
                f"(got {text.strip()!r})"
            ) from None
    if moment < now - FUTURE_TOLERANCE or moment > now + MAX_AHEAD:
        raise ValueError(f"{text.strip()!r} must be from now to two weeks ahead")
    return moment


# --- The week: days, leg days, a race ------------------------------------------------


def parse_weekday(text: str) -> str:
    """'mon', 'Monday', 'tue' -> the Weekday value ('mon')."""
    said = text.strip().lower()
    for full in _WEEKDAYS:
        if len(said) >= 3 and full.startswith(said):
            return full[:3]
    raise ValueError(f"unknown day {text!r}: use mon, tue, wed, thu, fri, sat or sun")


def parse_weekdays(text: str) -> tuple[str, ...]:
    """'mon,thu' (or 'none' for no days) -> ('mon', 'thu'), each day once, in week order."""
    if text.strip().lower() in ("none", "-", ""):
        return ()
    days = {parse_weekday(part) for part in text.split(",") if part.strip()}
    return tuple(full[:3] for full in _WEEKDAYS if full[:3] in days)


def parse_leg_days(text: str, kinds: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    """'mon:heavy-strength,thu' -> (('mon', 'heavy-strength'), ('thu', None))."""
    if text.strip().lower() in ("none", "-", ""):
        return ()
    found: dict[str, str | None] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        day, _, kind = part.partition(":")
        weekday = parse_weekday(day)
        said_kind = kind.strip().lower() or None
        if said_kind is not None and said_kind not in kinds:
            raise ValueError(
                f"unknown kind {said_kind!r} for {weekday}: use one of {', '.join(kinds)}"
            )
        found[weekday] = said_kind
    return tuple((full[:3], found[full[:3]]) for full in _WEEKDAYS if full[:3] in found)


def parse_race_km(text: str, names: Mapping[str, float], km_range: tuple[float, float]) -> float:
    """'half', 'marathon', '10k', '15', '15km', '15.5 km' -> km."""
    said = text.strip().lower().replace(" ", "")
    if said in names:
        return names[said]
    match = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)(km|k)?", said)
    if not match:
        raise ValueError(
            f"not a race distance: {text!r} (use {', '.join(names)} or a number of km)"
        )
    km = float(match.group(1))
    low, high = km_range
    if not low <= km <= high:
        raise ValueError(f"a race distance must be {low:g} to {high:g} km (got {text!r})")
    return km


_DISTANCE = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*(km|k|mi|miles?|m)?")


def parse_distance(text: str, *, imperial: bool = False) -> float:
    """A distance as people type it, in metres: '10k', '10 km', '6.2mi', '5000m', or a
    bare number in the profile's unit (km, or mi when `imperial`)."""
    said = _bounded_text(text).strip().lower()
    match = _DISTANCE.fullmatch(said)
    if not match:
        raise ValueError(
            f"must be a distance like 10k, 10 km, 6.2mi or 5000m (got {text.strip()!r})"
        )
    amount = float(match.group(1).replace(",", "."))
    unit = match.group(2) or ("mi" if imperial else "km")
    metres = amount * {"km": 1000, "k": 1000, "m": 1, "mi": METRES_PER_MILE}.get(
        unit, METRES_PER_MILE
    )
    if not 0 < metres <= 1_000_000:
        raise ValueError(f"must be more than 0 and at most 1,000 km (got {text.strip()!r})")
    return metres


def parse_day_ahead(text: str, today: date, *, month_first_dates: bool = False) -> date:
    """A day from today on: ISO, or the day as `parse_day` reads it (the locale's form)."""
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        value = parse_day(text, today, month_first_dates=month_first_dates)
    if value < today:
        raise ValueError(f"must be today or later (got {value.isoformat()})")
    if value.year > 9000:
        raise ValueError(f"must be a date before 9000 (got {text!r})")
    return value


def parse_race(
    text: str,
    today: date,
    names: Mapping[str, float],
    km_range: tuple[float, float],
    *,
    month_first_dates: bool = False,
) -> tuple[date, float]:
    """'2027-04-18:marathon' (a half without a distance) -> (the day, its km)."""
    day_text, _, distance = text.rpartition(":") if ":" in text else (text, "", "half")
    if not day_text:
        day_text, distance = text, "half"
    km = parse_race_km(distance, names, km_range)
    return parse_day_ahead(day_text, today, month_first_dates=month_first_dates), km
