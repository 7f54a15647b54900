"""The vocabulary of legcoach: what a leg session, a check-in, a run and a plan are.

Pydantic models with validation both ways (user input and records read back from
disk). No I/O and no Textual here: the coach, the recovery model, the store and the
screens all speak these types.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError


class RunType(StrEnum):
    """The one ordered ladder: rest < walk < recovery < easy < steady < quality."""

    REST = "rest"
    WALK = "walk"
    RECOVERY = "recovery"
    EASY = "easy"
    STEADY = "steady"
    QUALITY = "quality"

    @property
    def rank(self) -> int:
        return _LADDER_RANK[self]

    def lowered(self, rungs: int = 1) -> RunType:
        return LADDER[max(0, self.rank - rungs)]

    # StrEnum compares as text; the ladder compares by rank.
    def __lt__(self, other: object) -> bool:
        return self.rank < RunType(other).rank if isinstance(other, str) else NotImplemented

    def __le__(self, other: object) -> bool:
        return self.rank <= RunType(other).rank if isinstance(other, str) else NotImplemented

    def __gt__(self, other: object) -> bool:
        return self.rank > RunType(other).rank if isinstance(other, str) else NotImplemented

    def __ge__(self, other: object) -> bool:
        return self.rank >= RunType(other).rank if isinstance(other, str) else NotImplemented

    __hash__ = StrEnum.__hash__


LADDER: tuple[RunType, ...] = tuple(RunType)
_LADDER_RANK = {run_type: rank for rank, run_type in enumerate(LADDER)}


class Goal(StrEnum):
    ENDURANCE = "endurance"
    MUSCLE = "muscle"
    FAT_LOSS = "fat-loss"
    FITNESS = "fitness"

    @property
    def label(self) -> str:
        return GOAL_LABELS[self]


GOAL_LABELS = {
    Goal.ENDURANCE: "endurance / marathon",
    Goal.MUSCLE: "build muscle",
    Goal.FAT_LOSS: "fat loss",
    Goal.FITNESS: "general fitness",
}


class Fuel(StrEnum):
    """Carbohydrate eaten since the leg session / before the run."""

    NONE = "none"
    SNACK = "snack"
    MEAL = "meal"


class RedFlag(StrEnum):
    SHAKY_LEGS = "shaky-legs"
    POOR_COORDINATION = "poor-coordination"
    SHARP_PAIN = "sharp-pain"

    @property
    def label(self) -> str:
        return RED_FLAG_LABELS[self]


RED_FLAG_LABELS = {
    RedFlag.SHAKY_LEGS: "shaky or trembling legs",
    RedFlag.POOR_COORDINATION: "poor coordination",
    RedFlag.SHARP_PAIN: "sharp or joint pain",
}


class LegKind(StrEnum):
    HEAVY_STRENGTH = "heavy-strength"
    VOLUME = "volume"
    PLYOMETRIC = "plyometric"
    ECCENTRIC = "eccentric"
    NEW_EXERCISES = "new-exercises"
    MIXED = "mixed"


class LegsFelt(StrEnum):
    FRESH = "fresh"
    FINE = "fine"
    HEAVY = "heavy"
    SORE = "sore"
    PAINFUL = "painful"


class Units(StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"


class Override(StrEnum):
    """What the user did instead of the plan ("listen to the body": guide point 9)."""

    RAN_ANYWAY = "ran-anyway"
    RESTED = "rested"


Rpe = Annotated[int, Field(ge=1, le=10, description="effort, 1-10 (CR-10)")]
Minutes = Annotated[int, Field(ge=1, le=600, description="minutes, 1-600")]
Note = Annotated[str, Field(max_length=500)]
OneToFive = Annotated[int, Field(ge=1, le=5)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class Record(Model):
    """A saved entry. `id` is the model's own identity, distinct from any storage key."""

    id: UUID = Field(default_factory=uuid4)

    kind_name: ClassVar[str] = "record"

    @property
    def when(self) -> datetime:
        raise NotImplementedError

    def to_row(self) -> dict[str, Any]:
        """One flat row for CSV export and the history table (see CSV_COLUMNS)."""
        return {"record": self.kind_name, "id": str(self.id), "when": self.when.isoformat()}


class LegSession(Record):
    ended_at: AwareDatetime
    rpe: Rpe
    kind: LegKind | None = None
    minutes: Minutes | None = None
    note: Note = ""

    kind_name: ClassVar[str] = "legs"

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

    def summary(self) -> str:
        kind = f" {self.kind.value}" if self.kind else ""
        minutes = f", {self.minutes} min" if self.minutes else ""
        return f"leg session{kind}, RPE {self.rpe}{minutes}"

    @property
    def load(self) -> int | None:
        """Session-RPE load, RPE x minutes (Foster et al. 2001)."""
        return self.rpe * self.minutes if self.minutes else None


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
    at: AwareDatetime
    in_hours: float


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
                }
                if self.next_unlock
                else None
            ),
        }


class CheckIn(Record):
    """The daily pre-run check-in. `None` means the answer is unknown, never a guess."""

    at: AwareDatetime
    soreness: Annotated[int, Field(ge=0, le=10)] | None = None
    red_flags: frozenset[RedFlag] = frozenset()
    goal: Goal | None = None
    fuel: Fuel | None = None
    sleep: OneToFive | None = None
    energy: OneToFive | None = None
    warmup: bool | None = None
    leg_session_id: UUID | None = None
    recommendation: Recommendation | None = None
    override: Override | None = None
    override_note: Note = ""

    kind_name: ClassVar[str] = "checkin"

    @property
    def when(self) -> datetime:
        return self.at

    def to_row(self) -> dict[str, Any]:
        plan = self.recommendation
        return {
            **super().to_row(),
            "soreness": self.soreness,
            "red_flags": " ".join(sorted(flag.value for flag in self.red_flags)),
            "goal": self.goal.value if self.goal else None,
            "fuel": self.fuel.value if self.fuel else None,
            "sleep": self.sleep,
            "energy": self.energy,
            "warmup": self.warmup,
            "run_type": plan.run_type.value if plan else None,
            "minutes": f"{plan.duration_min[0]}-{plan.duration_min[1]}" if plan else None,
            "rpe": plan.max_rpe if plan else None,
            "override": self.override.value if self.override else None,
            "note": self.override_note,
        }

    def summary(self) -> str:
        sore = f"soreness {self.soreness}/10" if self.soreness is not None else "soreness ?"
        flags = (
            f", red flag: {', '.join(f.label for f in sorted(self.red_flags))}"
            if self.red_flags
            else ""
        )
        plan = self.recommendation
        planned = (
            f" -> {plan.run_type.value} {plan.duration_min[0]}-{plan.duration_min[1]} min"
            if plan
            else ""
        )
        override = f" ({self.override.value})" if self.override else ""
        return f"check-in, {sore}{flags}{planned}{override}"

    @property
    def day(self) -> date:
        """The user's calendar day of the check-in (in the offset it was made in)."""
        return self.at.date()


class RunLog(Record):
    at: AwareDatetime
    run_type: RunType
    minutes: Minutes
    rpe: Rpe
    legs_felt: LegsFelt | None = None
    note: Note = ""

    kind_name: ClassVar[str] = "run"

    @property
    def when(self) -> datetime:
        return self.at

    def to_row(self) -> dict[str, Any]:
        return {
            **super().to_row(),
            "run_type": self.run_type.value,
            "minutes": self.minutes,
            "rpe": self.rpe,
            "legs_felt": self.legs_felt.value if self.legs_felt else None,
            "note": self.note,
        }

    def summary(self) -> str:
        felt = f", legs {self.legs_felt.value}" if self.legs_felt else ""
        return f"{self.run_type.value} run, {self.minutes} min at RPE {self.rpe}{felt}"

    @property
    def load(self) -> int:
        """Session-RPE load, RPE x minutes (Foster et al. 2001)."""
        return self.rpe * self.minutes


class Profile(Model):
    goal: Goal | None = None
    units: Units = Units.METRIC
    max_hr: Annotated[int, Field(ge=100, le=230)] | None = None
    theme: str | None = None


RECORD_TYPES: dict[str, type[Record]] = {
    "leg_sessions": LegSession,
    "checkins": CheckIn,
    "runs": RunLog,
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
    "goal",
    "fuel",
    "sleep",
    "energy",
    "warmup",
    "leg_kind",
    "legs_felt",
    "override",
    "note",
)
EXPORT_FORMAT = "legcoach-export"
EXPORT_VERSION = 1


class Export(Model):
    """The whole history as one JSON document; `legcoach import` reads it back."""

    format: Literal["legcoach-export"] = EXPORT_FORMAT
    version: Literal[1] = EXPORT_VERSION
    exported_at: AwareDatetime
    profile: Profile | None = None
    leg_sessions: list[LegSession] = []
    checkins: list[CheckIn] = []
    runs: list[RunLog] = []

    @classmethod
    def of(cls, records: Iterable[Record], profile: Profile | None, at: datetime) -> Export:
        groups: dict[str, list[Record]] = {table: [] for table in RECORD_TYPES}
        for record in records:
            groups[TABLE_OF_KIND[record.kind_name]].append(record)
        return cls(exported_at=at, profile=profile, **groups)  # type: ignore[arg-type]

    def records(self) -> list[Record]:
        return [*self.leg_sessions, *self.checkins, *self.runs]


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
            bounds = _BOUNDS.get(field.rsplit(".", 1)[-1])
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
        elif kind == "extra_forbidden":
            message = "is not a known field"
        else:
            message = item["msg"][0].lower() + item["msg"][1:]
        shown = f" (got {given!r})" if isinstance(given, (int, float, str)) else ""
        parts.append(f"{field.replace('_', ' ')} {message}{shown}")
    return "; ".join(parts)


_BOUNDS = {
    "rpe": (1, 10),
    "soreness": (0, 10),
    "sleep": (1, 5),
    "energy": (1, 5),
    "minutes": (1, 600),
    "max_hr": (100, 230),
}
