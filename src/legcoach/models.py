"""The vocabulary of legcoach: what a leg session, a check-in, a run and a plan are.

Pydantic models with validation both ways (user input and records read back from
disk). No I/O and no Textual here: the coach, the recovery model, the store and the
screens all speak these types.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
)

from legcoach.text import problem_in
from legcoach.timeline import unlock_conditions
from legcoach.vocab import (
    FIELD_RANGES,
    HEART_RATE_RANGE,
    LEG_MINUTES_RANGE,
    MAX_HR_RANGE,
    METRES_PER_MILE,
    RACE_KM_RANGE,
    RPE_RANGE,
    RUN_MINUTES_RANGE,
    SCALE_RANGE,
    SORENESS_RANGE,
    Experience,
    Fuel,
    Goal,
    LegKind,
    LegsFelt,
    Measure,
    Override,
    RecordKind,
    RedFlag,
    RunType,
    Units,
    Weekday,
    race_distance_name,
)

# The vocabulary's enums are part of the models' public names (records are built of them).
__all__ = [
    "CHECKIN_DEFAULTS",
    "CSV_COLUMNS",
    "EDITABLE_FIELDS",
    "KIND_TYPES",
    "RECORD_TYPES",
    "SOURCE_LABELS",
    "STORED",
    "TABLE_OF_KIND",
    "CheckIn",
    "Experience",
    "Export",
    "Fuel",
    "Goal",
    "HealthReading",
    "LegDay",
    "LegKind",
    "LegSession",
    "LegsFelt",
    "Measure",
    "NextUnlock",
    "Override",
    "Profile",
    "Race",
    "Reason",
    "Recommendation",
    "Record",
    "RecordKind",
    "RedFlag",
    "RunLog",
    "RunType",
    "SorenessUpdate",
    "Units",
    "WeekChange",
    "WeekTemplate",
    "Weekday",
    "checkin_prefill",
    "distance_text",
    "explain",
    "pace_text",
]

# The one supported range of dates. Records outside it are refused record by record, so
# nothing saved is ever invisible (a year file outside it would never be read back) and
# no date arithmetic overflows. "Not in the future" depends on the clock: the journal
# checks it when saving (clock.FUTURE_TOLERANCE).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


# Records read back from the user's own files are validated with this context: the
# rules for what may come in (dates, control characters) are not applied again, so a
# record saved by an older legcoach is never made unreadable by a newer, stricter one.
STORED = {"stored": True}


def _is_stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _in_supported_range(value: datetime, info: ValidationInfo) -> datetime:
    if not EARLIEST <= value < LATEST and not _is_stored(info):
        raise ValueError("must be between 1970-01-01 and now")
    return value


def _clean_text(value: str, info: ValidationInfo) -> str:
    problem = problem_in(value)
    if problem and not _is_stored(info):
        raise ValueError(problem)
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_in_supported_range)]


def _bounded(bounds: tuple[int, int], description: str = "") -> Any:
    return Field(ge=bounds[0], le=bounds[1], description=description)


Rpe = Annotated[int, _bounded(RPE_RANGE, "effort, 1-10 (CR-10)")]
Minutes = Annotated[int, _bounded(LEG_MINUTES_RANGE, "minutes")]
Note = Annotated[str, Field(max_length=500), AfterValidator(_clean_text)]
OneToFive = Annotated[int, _bounded(SCALE_RANGE)]
Soreness = Annotated[int, _bounded(SORENESS_RANGE)]
HeartRate = Annotated[int, _bounded(HEART_RATE_RANGE)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


# Where an imported record came from (None: typed in legcoach).
SOURCE_LABELS = {
    "fit": "FIT file",
    "gpx": "GPX file",
    "tcx": "TCX file",
    "strong": "Strong export",
    "hevy": "Hevy export",
    "fitnotes": "FitNotes export",
    "garmin": "Garmin Connect export",
    "strava": "Strava export",
    "apple": "Apple Health export",
}


def distance_text(metres: float, units: Units = Units.METRIC) -> str:
    """'5.4 km' or '3.4 mi', as the profile's units say."""
    if units == Units.IMPERIAL:
        return f"{metres / METRES_PER_MILE:.1f} mi"
    return f"{metres / 1000:.1f} km"


def pace_text(minutes: float, metres: float, units: Units = Units.METRIC) -> str | None:
    """'5:30 /km' or '8:51 /mi', as the profile's units say (None without a distance)."""
    if not metres or minutes <= 0:
        return None
    per = METRES_PER_MILE if units == Units.IMPERIAL else 1000
    seconds = round(minutes * 60 / (metres / per))
    if seconds >= 100 * 60:
        return None  # slower than any pace worth saying: a walk with a stop
    return f"{seconds // 60}:{seconds % 60:02d} /{'mi' if units == Units.IMPERIAL else 'km'}"


class Record(Model):
    """A saved entry. `id` is the model's own identity, distinct from any storage key.

    An imported record's id is derived from its source and start time, so importing the
    same activity again (from any file) matches the saved one."""

    id: UUID = Field(default_factory=uuid4)
    source: (
        Literal["fit", "gpx", "tcx", "strong", "hevy", "fitnotes", "garmin", "strava", "apple"]
        | None
    ) = None

    @property
    def origin(self) -> str:
        """'typed', or 'imported from a FIT file' and so on."""
        return f"imported from a {SOURCE_LABELS[self.source]}" if self.source else "typed"

    kind_name: ClassVar[RecordKind]

    @property
    def when(self) -> datetime:
        raise NotImplementedError

    def summary(self, units: Units = Units.METRIC) -> str:
        """The record in a few words, as the history lists it (distances in `units`)."""
        raise NotImplementedError

    def to_row(self) -> dict[str, Any]:
        """One flat row for CSV export and the history table (see CSV_COLUMNS)."""
        return {
            "record": self.kind_name.value,
            "id": str(self.id),
            "when": self.when.isoformat(),
            "source": self.source,
        }


class LegSession(Record):
    ended_at: Moment
    rpe: Rpe | None  # None: effort unknown (imported without RPE); the coach counts it hard
    kind: LegKind | None = None
    minutes: Minutes | None = None
    note: Note = ""

    kind_name: ClassVar[RecordKind] = RecordKind.LEGS

    @property
    def when(self) -> datetime:
        return self.ended_at

    def to_row(self) -> dict[str, Any]:
        return {
            **super().to_row(),
            "rpe": self.rpe,
            "minutes": self.minutes,
            "leg_kind": self.kind.value if self.kind else None,
            "note": self.note,
        }

    @property
    def effort(self) -> str:
        return f"RPE {self.rpe}" if self.rpe is not None else "effort unknown"

    @property
    def effort_and_kind(self) -> str:
        """'RPE 8, heavy strength': how home and the timer name the last session."""
        return f"{self.effort}, {self.kind.label}" if self.kind else self.effort

    def summary(self, units: Units = Units.METRIC) -> str:
        kind = f" {self.kind.label}" if self.kind else ""
        minutes = f", {self.minutes} min" if self.minutes else ""
        return f"leg session{kind}, {self.effort}{minutes}"

    @property
    def load(self) -> int | None:
        """Session-RPE load, RPE x minutes (Foster et al. 2001)."""
        return self.rpe * self.minutes if self.minutes and self.rpe else None


class Reason(Model):
    """One rule that shaped the plan, tied to the answer or fact that triggered it."""

    factor: str
    answer: str
    text: str
    source: str = ""
    binding: bool = False

    def __str__(self) -> str:
        return f"{self.answer}: {self.text}"


class NextUnlock(Model):
    run_type: RunType
    at: Moment
    in_hours: float
    # The soreness this unlock assumes has fallen to (None: it does not depend on it).
    assumes_soreness: int | None = None
    # Judged from what lasts (legs, soreness, red flags): the check-in's momentary answers
    # (fuel, sleep, energy, stress, warm-up) will have lapsed by then.
    lasting_only: bool = False

    def conditions(self) -> list[str]:
        """What the promise rests on, in words ('if soreness is down to 5', ...)."""
        return unlock_conditions(self.assumes_soreness, self.lasting_only)


class Recommendation(Model):
    run_type: RunType
    duration_min: tuple[int, int]
    max_rpe: int = Field(ge=0, le=10)
    talk_test: str
    max_hr_pct: int | None = None
    max_hr_bpm: int | None = None
    reasons: list[Reason] = []
    cautions: list[str] = []
    next_unlock: NextUnlock | None = None
    made_at: AwareDatetime
    rules_version: int = 1

    def to_public_json(self) -> dict[str, Any]:
        """The stable JSON contract of `legcoach advise --json`."""
        return {
            "run_type": self.run_type.value,
            "duration_min": list(self.duration_min),
            "max_rpe": self.max_rpe,
            "talk_test": self.talk_test,
            "max_hr_pct": self.max_hr_pct,
            "max_hr_bpm": self.max_hr_bpm,
            "reasons": [str(reason) for reason in self.reasons],
            "reason_details": [reason.model_dump(mode="json") for reason in self.reasons],
            "cautions": list(self.cautions),
            "next_unlock": (
                {
                    "run_type": self.next_unlock.run_type.value,
                    "in_hours": round(self.next_unlock.in_hours, 2),
                    "at": self.next_unlock.at.isoformat(),
                    "assumes_soreness": self.next_unlock.assumes_soreness,
                    "lasting_only": self.next_unlock.lasting_only,
                }
                if self.next_unlock
                else None
            ),
        }


class CheckIn(Record):
    """The daily pre-run check-in. `None` means the answer is unknown, never a guess."""

    at: Moment
    soreness: Soreness | None = None
    red_flags: frozenset[RedFlag] = frozenset()
    # Red flags reported earlier the same day and cleared by this check-in: a rest day
    # that was lifted later still shows in the history.
    earlier_red_flags: frozenset[RedFlag] = frozenset()
    goal: Goal | None = None
    fuel: Fuel | None = None
    sleep: OneToFive | None = None
    energy: OneToFive | None = None
    stress: OneToFive | None = None  # 1 calm - 5 very stressed (Hooper & Mackinnon 1995)
    warmup: bool | None = None
    leg_session_id: UUID | None = None
    recommendation: Recommendation | None = None
    override: Override | None = None
    override_note: Note = ""

    kind_name: ClassVar[RecordKind] = RecordKind.CHECKIN

    @property
    def when(self) -> datetime:
        return self.at

    def to_row(self) -> dict[str, Any]:
        plan = self.recommendation
        return {
            **super().to_row(),
            "soreness": self.soreness,
            "red_flags": " ".join(sorted(flag.value for flag in self.red_flags)),
            "earlier_red_flags": " ".join(sorted(f.value for f in self.earlier_red_flags)),
            "goal": self.goal.value if self.goal else None,
            "fuel": self.fuel.value if self.fuel else None,
            "sleep": self.sleep,
            "energy": self.energy,
            "stress": self.stress,
            "warmup": self.warmup,
            "run_type": plan.run_type.value if plan else None,
            "minutes": f"{plan.duration_min[0]}-{plan.duration_min[1]}" if plan else None,
            "rpe": plan.max_rpe if plan else None,
            "override": self.override.value if self.override else None,
            "note": self.override_note,
        }

    def summary(self, units: Units = Units.METRIC) -> str:
        sore = f"soreness {self.soreness}/10" if self.soreness is not None else "soreness ?"
        flags = (
            f", red flag: {', '.join(f.label for f in sorted(self.red_flags))}"
            if self.red_flags
            else ""
        )
        plan = self.recommendation
        planned = ""
        if plan and plan.run_type == RunType.REST:
            planned = " -> rest day"
        elif plan:
            planned = f" -> {plan.run_type.value} {plan.duration_min[0]}-{plan.duration_min[1]} min"
        override = f" ({self.override.label})" if self.override else ""
        return f"check-in, {sore}{flags}{planned}{override}"

    @property
    def day(self) -> date:
        """The calendar day of the check-in in the offset it was made in."""
        return self.at.date()

    def local_day(self, now: datetime) -> date:
        """The check-in's day where the user is now (a day is the local day, even after
        a change of time zone)."""
        return self.at.astimezone(now.tzinfo).date()


class RunLog(Record):
    at: Moment  # when it ended
    run_type: RunType | None  # None: intensity unknown (imported with no heart rate to read)
    minutes: Annotated[int, _bounded(RUN_MINUTES_RANGE, "minutes")]
    rpe: Rpe | None = None
    legs_felt: LegsFelt | None = None
    note: Note = ""
    started_at: Moment | None = None
    distance_m: Annotated[float, Field(ge=0, le=1_000_000)] | None = None
    avg_hr: HeartRate | None = None
    max_hr: HeartRate | None = None
    sport: Annotated[str, Field(max_length=60), AfterValidator(_clean_text)] | None = None
    # The run type and RPE were estimated on import (from heart rate, or pace against
    # your own easy pace), not typed.
    estimated: bool = False

    kind_name: ClassVar[RecordKind] = RecordKind.RUN

    @property
    def when(self) -> datetime:
        return self.at

    def to_row(self) -> dict[str, Any]:
        return {
            **super().to_row(),
            "run_type": self.run_type.value if self.run_type else None,
            "minutes": self.minutes,
            "rpe": self.rpe,
            "legs_felt": self.legs_felt.value if self.legs_felt else None,
            "note": self.note,
            "distance_km": round(self.distance_m / 1000, 2) if self.distance_m else None,
            "avg_hr": self.avg_hr,
            "max_hr": self.max_hr,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "sport": self.sport,
            "estimated": self.estimated,
        }

    @property
    def kind_word(self) -> str:
        """'easy run', 'walk', or 'run of unknown intensity'."""
        if self.run_type is None:
            return "walk" if self.sport and "walk" in self.sport else "run of unknown intensity"
        return "walk" if self.run_type == RunType.WALK else f"{self.run_type.value} run"

    def summary(self, units: Units = Units.METRIC) -> str:
        felt = f", legs {self.legs_felt.value}" if self.legs_felt else ""
        effort = f" at RPE {self.rpe}" if self.rpe is not None else ""
        effort += " (estimated)" if self.estimated and self.rpe is not None else ""
        distance = f", {distance_text(self.distance_m, units)}" if self.distance_m else ""
        pace = pace_text(self.minutes, self.distance_m or 0, units)
        distance += f" ({pace})" if pace else ""
        heart = f", avg HR {self.avg_hr}" if self.avg_hr else ""
        return f"{self.kind_word}, {self.minutes} min{distance}{effort}{heart}{felt}"

    @property
    def load(self) -> int | None:
        """Session-RPE load, RPE x minutes (Foster et al. 2001); unknown without an RPE."""
        return self.rpe * self.minutes if self.rpe is not None else None


class SorenessUpdate(Record):
    """A soreness reading given later in the day (the timer's "soreness update").

    Its own record: the morning check-in and the plan it produced stay as they were,
    and the trend and the personal recovery fit keep every reading.
    """

    at: Moment
    soreness: Soreness

    kind_name: ClassVar[RecordKind] = RecordKind.SORENESS

    @property
    def when(self) -> datetime:
        return self.at

    def to_row(self) -> dict[str, Any]:
        return {**super().to_row(), "soreness": self.soreness}

    def summary(self, units: Units = Units.METRIC) -> str:
        return f"soreness update, {self.soreness}/10"


class HealthReading(Record):
    """A daily reading from a device (Apple Health's HRV and resting heart rate): its
    own record, kept for later use; the coach does not read it yet."""

    at: Moment
    measure: Measure
    value: Annotated[float, Field(ge=1, le=300, allow_inf_nan=False)]

    kind_name: ClassVar[RecordKind] = RecordKind.READING

    @property
    def when(self) -> datetime:
        return self.at

    def to_row(self) -> dict[str, Any]:
        return {**super().to_row(), "measure": self.measure.value, "value": self.value}

    def summary(self, units: Units = Units.METRIC) -> str:
        return f"{self.measure.label}, {self.value:g} {self.measure.unit}"


class LegDay(Model):
    """A leg day of the week, and its kind when known."""

    day: Weekday
    kind: LegKind | None = None


class WeekTemplate(Model):
    """What a usual week holds: the key runs and the leg days, at their usual times."""

    long_run: Weekday | None = None
    quality_days: tuple[Weekday, ...] = ()
    easy_days: tuple[Weekday, ...] = ()
    leg_days: tuple[LegDay, ...] = ()
    run_time: time = time(7, 0)
    leg_time: time = time(18, 0)

    @property
    def is_empty(self) -> bool:
        return not (self.long_run or self.quality_days or self.easy_days or self.leg_days)


class Race(Model):
    """A race on the calendar: its day and distance in km."""

    on: date
    km: Annotated[float, Field(ge=RACE_KM_RANGE[0], le=RACE_KM_RANGE[1], allow_inf_nan=False)]
    start: time = time(9, 0)

    @property
    def label(self) -> str:
        return race_distance_name(self.km)


class WeekChange(Model):
    """A one-off change to one week's plan (a suggestion taken): the session of `kind`
    planned on `on` moves to `to` at `at` (the day's usual time without one), is skipped,
    or becomes lighter (`rpe`; a light one drops jumps, eccentrics and new exercises)."""

    kind: str  # a planner session kind: long-run, quality, easy, legs
    on: date
    to: date | None = None
    at: time | None = None
    rpe: Annotated[int, _bounded(RPE_RANGE)] | None = None
    skip: bool = False


class Profile(Model):
    goal: Goal | None = None
    experience: Experience | None = None
    units: Units = Units.METRIC
    max_hr: Annotated[int, _bounded(MAX_HR_RANGE)] | None = None
    theme: str | None = None
    week: WeekTemplate = WeekTemplate()
    race: Race | None = None
    week_changes: tuple[WeekChange, ...] = ()


# What a check-in question starts at: today's earlier answer when there is one (a second
# check-in edits the first), else the profile's, else a neutral default.
CHECKIN_DEFAULTS: dict[str, Any] = {
    "soreness": 0,
    "red_flags": frozenset(),
    "fuel": Fuel.MEAL,
    "sleep": 3,
    "energy": 3,
    "stress": 2,
    "warmup": True,
}


def checkin_prefill(today: CheckIn | None, profile: Profile) -> dict[str, Any]:
    """The starting answer of every check-in question."""
    answers = dict(CHECKIN_DEFAULTS, goal=profile.goal or Goal.FITNESS)
    if today is not None:
        for key in (*CHECKIN_DEFAULTS, "goal"):
            value = getattr(today, key)
            if value is not None:
                answers[key] = value
    return answers


# The fields a person may correct after saving, per kind of record (`legcoach edit`, and
# the edit form in History). The first is the record's time.
EDITABLE_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.LEGS: ("ended_at", "rpe", "kind", "minutes", "note"),
    RecordKind.RUN: ("at", "run_type", "minutes", "rpe", "legs_felt", "note"),
    RecordKind.CHECKIN: (
        "at",
        "soreness",
        "sleep",
        "energy",
        "stress",
        "fuel",
        "goal",
        "warmup",
    ),
    RecordKind.SORENESS: ("at", "soreness"),
    RecordKind.READING: ("at",),  # a device's reading: only its time is yours to move
}


RECORD_TYPES: dict[str, type[Record]] = {
    "leg_sessions": LegSession,
    "checkins": CheckIn,
    "runs": RunLog,
    "soreness_updates": SorenessUpdate,
    "health_readings": HealthReading,
}
KIND_TYPES: dict[str, type[Record]] = {model.kind_name: model for model in RECORD_TYPES.values()}

CSV_COLUMNS = (
    "record",
    "id",
    "when",
    "run_type",
    "minutes",
    "rpe",
    "soreness",
    "red_flags",
    "earlier_red_flags",
    "goal",
    "fuel",
    "sleep",
    "energy",
    "stress",
    "warmup",
    "leg_kind",
    "legs_felt",
    "override",
    "note",
    "distance_km",
    "avg_hr",
    "max_hr",
    "started_at",
    "sport",
    "estimated",
    "measure",
    "value",
    "source",
)
EXPORT_FORMAT = "legcoach-export"
EXPORT_VERSION = 1


class Export(Model):
    """The whole history as one JSON document; `legcoach import` reads it back."""

    format: Literal["legcoach-export"] = "legcoach-export"
    version: Literal[1] = 1
    exported_at: Moment
    profile: Profile | None = None
    leg_sessions: list[LegSession] = []
    checkins: list[CheckIn] = []
    runs: list[RunLog] = []
    soreness_updates: list[SorenessUpdate] = []
    health_readings: list[HealthReading] = []

    @classmethod
    def of(cls, records: Iterable[Record], profile: Profile | None, at: datetime) -> Export:
        groups: dict[str, list[Record]] = {table: [] for table in RECORD_TYPES}
        for record in records:
            groups[TABLE_OF_KIND[record.kind_name]].append(record)
        return cls(exported_at=at, profile=profile, **groups)

    def records(self) -> list[Record]:
        return [
            *self.leg_sessions,
            *self.checkins,
            *self.runs,
            *self.soreness_updates,
            *self.health_readings,
        ]


TABLE_OF_KIND = {model.kind_name: table for table, model in RECORD_TYPES.items()}


def explain(error: ValidationError) -> str:
    """One line a person understands, e.g. "soreness must be between 0 and 10 (got 12)"."""
    parts = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "value"
        context = item.get("ctx") or {}
        given = item.get("input")
        kind = item["type"]
        if kind in ("greater_than_equal", "less_than_equal"):
            bounds = _ranges_of(error.title).get(field.rsplit(".", 1)[-1])
            message = (
                f"must be between {bounds[0]} and {bounds[1]}"
                if bounds
                else f"must be {'at least' if kind.startswith('greater') else 'at most'} "
                f"{context.get('ge', context.get('le'))}"
            )
        elif kind == "timezone_aware":
            message = "needs a time zone"
        elif kind == "enum":
            message = f"must be one of {context.get('expected', '')}"
        elif kind == "string_too_long":
            message = f"is too long (at most {context.get('max_length')} characters)"
        elif kind == "value_error":
            message = str(context.get("error", item["msg"]))
        elif kind == "extra_forbidden":
            message = "is not a known field"
        else:
            message = item["msg"][0].lower() + item["msg"][1:]
        shown = f" (got {given!r})" if isinstance(given, (int, float, str)) else ""
        parts.append(f"{field.replace('_', ' ')} {message}{shown}")
    return "; ".join(parts)


def _ranges_of(model_name: str) -> dict[str, tuple[int, int]]:
    """The bounded fields of the model an error is about (vocab.FIELD_RANGES)."""
    if model_name == Profile.__name__:
        return FIELD_RANGES["profile"]
    model = next((m for m in RECORD_TYPES.values() if m.__name__ == model_name), None)
    if model is None:  # e.g. an export document: any record's range names the field
        return {field: r for ranges in FIELD_RANGES.values() for field, r in ranges.items()}
    return FIELD_RANGES[model.kind_name]
