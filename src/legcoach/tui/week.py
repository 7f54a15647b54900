"""The week: each key run and leg day at its time, what the coach will allow then,
conflicts with a checked suggestion to take, leg days placed, and "what if I lift
tonight?". The planner does the work (journal.week_plan); this screen renders it."""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from legcoach import planner
from legcoach.errors import StoreError
from legcoach.journal import Journal
from legcoach.models import LegDay, LegSession, Profile, Race
from legcoach.parsing import (
    month_first,
    parse_leg_days,
    parse_race,
    parse_weekday,
    parse_weekdays,
)
from legcoach.tui.messages import TodayChanged
from legcoach.tui.safe import notify_plain
from legcoach.tui.screen import AppScreen
from legcoach.tui.widgets.footer import Footer
from legcoach.tui.widgets.title import TitleBar
from legcoach.tui.wizard import Answers, TypedQuestion, WizardScreen
from legcoach.vocab import RACE_DISTANCES, RACE_KM_RANGE, LegKind, choices

ASSUMES = "Assumes a good morning: fed, sleep 4/5, warmed up, no red flag."


class WeekScreen(AppScreen[None]):
    CSS_PATH = "week.tcss"
    BINDINGS = [
        Binding("e", "edit", "Edit week", id="week.edit"),
        Binding("t", "take", "Take suggestion", id="week.take"),
        Binding("s", "suggest_legs", "Place legs", id="week.suggest_legs"),
        Binding("w", "whatif", "Lift tonight?", id="week.whatif"),
        Binding("escape", "app.pop_screen", "Back", id="week.back"),
    ]
    HELP = (
        "The next 7 days as your week holds them: each key run and leg day at its time, "
        "the run the coach will allow then (given what is saved and the sessions planned "
        "before it), and **ok** or **conflict** with the reason.\n\n"
        "**t** takes the highlighted conflict's suggestion (a change to that week only; "
        "each suggestion has been planned through and creates no new conflict). **e** says "
        "what your week holds (also `legcoach profile --long-run ...`). **s** places your leg "
        "days where they fit your goal best. **w** shows what a leg session tonight would "
        "do to the next days, without saving it."
    )

    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal
        self.plan: planner.WeekPlan | None = None
        self.rows: list[planner.SessionPlan | None] = []  # None: a day with nothing planned
        self.suggested = False  # the plan's conflicts have their suggestions

    def compose(self) -> ComposeResult:
        yield TitleBar("Your week")
        yield Static(id="week-plan-note")
        table: DataTable[str] = DataTable(
            id="week-plan-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Static(id="week-plan-detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#week-plan-table", DataTable)
        table.add_columns("Day", "Time", "Session", "Allowed", "")
        self.refresh_plan()

    @on(TodayChanged)
    def _today_changed(self) -> None:
        self.refresh_plan()

    def refresh_plan(self, keep: tuple[str, date] | None = None) -> None:
        profile = self.journal.profile()
        note = self.query_one("#week-plan-note", Static)
        table = self.query_one("#week-plan-table", DataTable)
        table.clear()
        self.rows = []
        # No table of nothing: an unset week is the line that says how to set it.
        table.display = not profile.week.is_empty
        if profile.week.is_empty:
            self.plan = None
            note.update("Your week is not set yet: press e to say what it holds.")
            self._show_detail()
            return
        # The plan first, its suggestions after the frame that shows it: finding each
        # conflict's change plans the week again per candidate, and a person reads the
        # table before the detail that offers one.
        self.plan = plan = self.journal.week_plan(suggest=False)
        self.suggested = not plan.conflicts
        said = plan.conflicts
        conflicts = "no conflicts" if not said else f"{said} conflict{'s' if said > 1 else ''}"
        notes = "".join(f"\n{n}" for n in plan.notes)
        note.update(f"{ASSUMES} {conflicts.capitalize()}.{notes}")
        shown = _rows_of(plan)
        self.rows = [p for _day, p in shown]
        for day, p in shown:
            if p is None:
                table.add_row(f"{day:%a %d}", "", "nothing planned", "", "")
                continue
            allowed = p.allowed.value if p.allowed is not None else ""
            table.add_row(
                f"{day:%a %d}",
                f"{p.session.at:%H:%M}",
                p.session.describe(),
                allowed,
                "ok" if p.ok else "conflict",
            )
        # The cursor on the session asked for, else the first conflict, else the first
        # session: the detail below always says something.
        rows = [(i, row) for i, row in enumerate(self.rows) if row is not None]
        chosen = next((i for i, row in rows if keep is not None and row.session.key == keep), None)
        chosen = chosen if chosen is not None else next((i for i, row in rows if not row.ok), None)
        chosen = chosen if chosen is not None else (rows[0][0] if rows else None)
        if chosen is not None:
            table.move_cursor(row=chosen)
        self._show_detail()
        if said:
            self.call_after_refresh(self._add_suggestions)

    def on_screen_resume(self) -> None:
        if not self.suggested:  # planned again while under a dialog
            self.call_after_refresh(self._add_suggestions)

    def _add_suggestions(self) -> None:
        if self.plan is None or self.suggested or not self.is_current:
            return  # left, or under a dialog: added when shown again (on_screen_resume)
        self.suggested = True
        plan = self.journal.week_plan()
        rows = [p for _day, p in _rows_of(plan)]
        if [_key_of(p) for p in rows] != [_key_of(p) for p in self.rows]:
            # A planned session passed between the two asks: the table is drawn again.
            chosen = self._selected()
            self.refresh_plan(keep=chosen.session.key if chosen is not None else None)
            return
        self.plan, self.rows = plan, rows
        self._show_detail()
        self.refresh_bindings()

    def _selected(self) -> planner.SessionPlan | None:
        table = self.query_one("#week-plan-table", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted)
    def _show_detail(self) -> None:
        detail = self.query_one("#week-plan-detail", Static)
        chosen = self._selected()
        if chosen is None:
            detail.update("")
            return
        lines = [f"{chosen.session.name()}: {chosen.session.describe()}"]
        lines += [f"  · {why}" for why in chosen.why]
        if chosen.suggestion is not None:
            lines.append(f"Suggestion (t to take): {chosen.suggestion.text}")
        elif not chosen.ok:
            lines.append("No change within this week resolves it without another conflict.")
        detail.update("\n".join(lines))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take":
            chosen = self._selected()
            if chosen is not None and not chosen.ok and not self.suggested:
                return True  # its suggestion is on its way: a key pressed now still counts
            return True if chosen is not None and chosen.suggestion is not None else None
        return True

    def action_take(self) -> None:
        self._add_suggestions()
        chosen = self._selected()
        if chosen is None or chosen.suggestion is None:
            return
        try:
            self.journal.take_week_change(chosen.suggestion.change)
        except StoreError as error:
            notify_plain(self, error, title="Not saved", severity="error", timeout=15)
            return
        notify_plain(self, f"Taken: {chosen.suggestion.text}.", title="Week")
        self.refresh_plan(keep=chosen.session.key)

    def action_suggest_legs(self) -> None:
        profile = self.journal.profile()
        count = len(profile.week.leg_days) or 2
        placed = self.journal.place_leg_days(count)
        try:
            self.journal.save_leg_days(placed.days)
        except StoreError as error:
            notify_plain(self, error, title="Not saved", severity="error", timeout=15)
            return
        notify_plain(self, "\n".join(placed.why), title=f"Leg days placed ({count})", timeout=10)
        self.refresh_plan()

    def action_whatif(self) -> None:
        now = self.journal.now()
        leg_time = self.journal.profile().week.leg_time
        ends = datetime.combine(now.date(), leg_time, now.tzinfo)
        ends = max(ends, now)
        answer = self.journal.whatif(LegSession(ended_at=ends, rpe=8))
        lines = [f"If you lift tonight (RPE 8, ending {ends:%H:%M}); nothing saved:"]
        for day, before, after in answer.days:
            was = "" if before == after else f" (was {before.value})"
            lines.append(f"  {day:%a %d}: {after.value} at your run time, on what is saved{was}")
        changed = [(p, ok) for p, ok in answer.key_sessions() if ok != p.ok]
        for p, _ok in changed:
            lines.append(f"  {p.session.name()}: {'now in conflict' if not p.ok else 'now fine'}")
        if not changed:
            lines.append("  The week's key sessions are unchanged.")
        self.query_one("#week-plan-detail", Static).update("\n".join(lines))

    def action_edit(self) -> None:
        self.app.push_screen(WeekFormScreen(self.journal), self._edited)

    def _edited(self, profile: Profile | None) -> None:
        if profile is not None:
            self.refresh_plan()


def _rows_of(plan: planner.WeekPlan) -> list[tuple[date, planner.SessionPlan | None]]:
    """The table's rows: each session on its day, or None for a day with nothing planned."""
    rows: list[tuple[date, planner.SessionPlan | None]] = []
    for day, plans in plan.by_day():
        rows += [(day, p) for p in plans] if plans else [(day, None)]
    return rows


def _key_of(row: planner.SessionPlan | None) -> tuple[str, date] | None:
    return row.session.key if row is not None else None


def _days_text(days: Any) -> str:
    return ",".join(day.value for day in days) or "none"


def _read_day(text: str) -> str | None:
    if text.strip().lower() in ("", "none", "-"):
        return None
    return parse_weekday(text)


def _read_legs(text: str) -> tuple[LegDay, ...]:
    days = parse_leg_days(text, choices(LegKind))
    return tuple(LegDay.model_validate({"day": d, "kind": k}) for d, k in days)


def _read_race(today: date) -> Any:
    def read(text: str) -> Race | None:
        said = text.strip()
        if said.lower() in ("", "none", "-"):
            return None
        day, km = parse_race(
            said, today, RACE_DISTANCES, RACE_KM_RANGE, month_first_dates=month_first(os.environ)
        )
        return Race(on=day, km=km)

    return read


class WeekFormScreen(WizardScreen[Profile | None]):
    """What the week holds: the long run, quality and easy days, leg days, a race."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        profile = journal.profile()
        self.profile = profile
        week = profile.week
        legs = ",".join(
            f"{leg.day.value}:{leg.kind.value}" if leg.kind else leg.day.value
            for leg in week.leg_days
        )
        race = f"{profile.race.on.isoformat()}:{profile.race.label}" if profile.race else ""
        super().__init__(
            "Your week",
            [
                TypedQuestion(
                    "long_run",
                    "Your long run's day",
                    week.long_run.value if week.long_run else "",
                    _read_day,
                    hint="mon, tue, ... or empty for none.",
                    placeholder="e.g. sun",
                ),
                TypedQuestion(
                    "quality_days",
                    "Days of intervals or tempo",
                    _days_text(week.quality_days),
                    parse_weekdays,
                    hint="Days as mon,thu; none for no days.",
                    placeholder="e.g. tue,thu",
                ),
                TypedQuestion(
                    "easy_days",
                    "Days of easy runs",
                    _days_text(week.easy_days),
                    parse_weekdays,
                    hint="Days as wed,sat; none for no days.",
                    placeholder="e.g. wed,sat",
                ),
                TypedQuestion(
                    "leg_days",
                    "Leg days, with their kind if known",
                    legs or "none",
                    _read_legs,
                    hint=f"mon:heavy-strength,fri; kinds: {', '.join(choices(LegKind))}.",
                    placeholder="e.g. mon:heavy-strength,fri",
                ),
                TypedQuestion(
                    "race",
                    "A race ahead: its date and distance",
                    race,
                    _read_race(journal.now().date()),
                    hint="2027-04-18:marathon (5k, 10k, half, marathon or km); empty for none. "
                    "Enter saves.",
                    placeholder="e.g. 2027-04-18:half",
                ),
            ],
        )

    def finish(self, answers: Answers) -> None:
        race = answers.pop("race")
        clash = planner.key_run_clash(
            answers["long_run"], answers["quality_days"], answers["easy_days"]
        )
        if clash:
            notify_plain(
                self,
                f"{clash}: one key run a day.",
                title="Not saved",
                severity="error",
                timeout=15,
            )
            return
        week = self.profile.week.model_validate({**self.profile.week.model_dump(), **answers})
        profile = self.profile.model_copy(update={"week": week, "race": race})
        try:
            self.journal.save_profile(profile)
        except StoreError as error:
            notify_plain(self, error, title="Not saved", severity="error", timeout=15)
            return
        notify_plain(self, "Week saved.", title="Week")
        self.dismiss(profile)
