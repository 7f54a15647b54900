"""The week plan as an iCalendar file (RFC 5545), written with the `icalendar` library.

One event per planned session, with the plan in its description, and the moments a run
type unlocks as zero-length events. Imported only by `week --ics`: the library costs
`status` and the app's first frame nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo

from legcoach import __version__
from legcoach.planner import SessionPlan, WeekPlan
from legcoach.text import without_controls
from legcoach.timeline import Step

PRODID = f"-//legcoach//legcoach {__version__}//EN"


def _moment(at: datetime) -> datetime:
    """A named zone stays (with its VTIMEZONE); a bare offset becomes UTC, which every
    calendar reads (icalendar would write a bare offset as a floating, zoneless time)."""
    zone: tzinfo | None = at.tzinfo
    return at if getattr(zone, "key", None) else at.astimezone(UTC)


def _summary(plan: SessionPlan) -> str:
    session = plan.session
    status = "" if plan.ok else " (conflict)"
    allowed = f", {plan.allowed.value} allowed" if plan.allowed is not None else ""
    return without_controls(f"legcoach: {session.describe()}{allowed}{status}", keep_lines=False)


def _description(plan: SessionPlan) -> str:
    lines = [plan.session.describe(), *plan.why]
    if plan.suggestion is not None:
        lines.append(f"Suggestion: {plan.suggestion.text}")
    return "\n".join(without_controls(line, keep_lines=False) for line in lines)


def calendar_bytes(plan: WeekPlan, unlocks: Sequence[Step], now: datetime) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "legcoach week")
    stamp = now.astimezone(UTC)
    for session_plan in plan.plans:
        session = session_plan.session
        event = Event()
        event.add("uid", f"{session.kind.value}-{session.on.isoformat()}@legcoach")
        event.add("dtstamp", stamp)
        event.add("dtstart", _moment(session.at))
        event.add("dtend", _moment(session.ends))
        event.add("summary", _summary(session_plan))
        event.add("description", _description(session_plan))
        event.add("categories", [session.kind.value])
        calendar.add_component(event)
    for step in unlocks:
        event = Event()
        event.add("uid", f"unlock-{step.run_type}-{step.at.isoformat()}@legcoach")
        event.add("dtstamp", stamp)
        event.add("dtstart", _moment(step.at))
        event.add("dtend", _moment(step.at))
        event.add("summary", f"legcoach: {step.run_type} unlocks")
        event.add("categories", ["unlock"])
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
