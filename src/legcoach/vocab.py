"""The words legcoach speaks: run types, goals, fuel, leg kinds, red flags, record kinds.

Standard library only, so the models, the coach, the CLI's fast path and the screens
all import the same enums (and their labels) without paying for pydantic.
"""

from __future__ import annotations

from enum import StrEnum

TYPE_CHECKING = False  # typing's import is a cost the status line avoids
if TYPE_CHECKING:
    from datetime import date


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

    @property
    def label(self) -> str:
        return RUN_TITLES[self]

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
RUN_TITLES = {
    RunType.REST: "Rest day",
    RunType.WALK: "Walk",
    RunType.RECOVERY: "Recovery run",
    RunType.EASY: "Easy run",
    RunType.STEADY: "Steady run",
    RunType.QUALITY: "Quality session",
}
# A run log is a run or a walk: "rest" is no activity to log.
LOGGABLE_RUN_TYPES: tuple[RunType, ...] = LADDER[1:]


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


class Experience(StrEnum):
    """How long the person has been running: newcomers keep to easy running at first."""

    NEW = "new"
    SOME = "some"
    EXPERIENCED = "experienced"

    @property
    def label(self) -> str:
        return EXPERIENCE_LABELS[self]


EXPERIENCE_LABELS = {
    Experience.NEW: "new to running",
    Experience.SOME: "some running behind me",
    Experience.EXPERIENCED: "an experienced runner",
}


class Fuel(StrEnum):
    """Carbohydrate eaten since the leg session / before the run."""

    NONE = "none"
    SNACK = "snack"
    MEAL = "meal"

    @property
    def label(self) -> str:
        """'none yet', 'a snack', 'a proper meal': as the check-in asks and History says."""
        return FUEL_LABELS[self]


FUEL_LABELS = {Fuel.NONE: "none yet", Fuel.SNACK: "a snack", Fuel.MEAL: "a proper meal"}

# The heart-rate cap of each rung in % of max HR (talk test below the first ventilatory
# threshold, Persinger et al. 2004; easy pace 65-79 % of max HR, Daniels): the plan's cap
# and the import's reading of a run's heart rate both come from here.
MAX_HR_PERCENT: dict[RunType, int | None] = {
    RunType.REST: None,
    RunType.WALK: 60,
    RunType.RECOVERY: 70,
    RunType.EASY: 79,
    RunType.STEADY: 87,
    RunType.QUALITY: 92,
}


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

    @property
    def label(self) -> str:
        return LEG_KIND_LABELS[self]


LEG_KIND_LABELS = {
    LegKind.HEAVY_STRENGTH: "heavy strength",
    LegKind.VOLUME: "volume",
    LegKind.PLYOMETRIC: "plyometric",
    LegKind.ECCENTRIC: "heavy eccentric",
    LegKind.NEW_EXERCISES: "new exercises",
    LegKind.MIXED: "mixed",
}


class LegsFelt(StrEnum):
    FRESH = "fresh"
    FINE = "fine"
    HEAVY = "heavy"
    SORE = "sore"
    PAINFUL = "painful"


METRES_PER_MILE = 1609.344


class Units(StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"


class Override(StrEnum):
    """What the user did instead of the plan ("listen to the body": guide point 9)."""

    RAN_ANYWAY = "ran-anyway"
    RESTED = "rested"

    @property
    def label(self) -> str:
        return "you ran anyway" if self is Override.RAN_ANYWAY else "you rested"


class RecordKind(StrEnum):
    """The kinds of saved record, as `history --kind` and the JSON `record` key name them."""

    LEGS = "legs"
    CHECKIN = "checkin"
    RUN = "run"
    SORENESS = "soreness"
    READING = "reading"


class Measure(StrEnum):
    """A daily reading a device keeps (Apple Health): kept for later use by the coach."""

    HRV_SDNN = "hrv-sdnn"
    RESTING_HR = "resting-hr"

    @property
    def label(self) -> str:
        return {"hrv-sdnn": "heart-rate variability (SDNN)", "resting-hr": "resting heart rate"}[
            self.value
        ]

    @property
    def unit(self) -> str:
        return "ms" if self == Measure.HRV_SDNN else "bpm"


# A reading's plausible values: SDNN of 1-300 ms, a resting heart rate of 20-150 bpm.
MEASURE_RANGES: dict[str, tuple[float, float]] = {"hrv-sdnn": (1, 300), "resting-hr": (20, 150)}


def choices(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


# The range of every bounded number a record holds: the models validate with these, and
# the CLI's options, the edit dialog's hints, the app's log screens, the importers and
# the error messages all read them from here (one place, no pydantic needed).
RPE_RANGE = (1, 10)
SORENESS_RANGE = (0, 10)
SCALE_RANGE = (1, 5)  # sleep, energy, stress
LEG_MINUTES_RANGE = (1, 600)
RUN_MINUTES_RANGE = (1, 1440)
HEART_RATE_RANGE = (20, 260)
MAX_HR_RANGE = (100, 230)  # the profile's max heart rate

FIELD_RANGES: dict[str, dict[str, tuple[int, int]]] = {
    RecordKind.LEGS: {"rpe": RPE_RANGE, "minutes": LEG_MINUTES_RANGE},
    RecordKind.RUN: {
        "minutes": RUN_MINUTES_RANGE,
        "rpe": RPE_RANGE,
        "avg_hr": HEART_RATE_RANGE,
        "max_hr": HEART_RATE_RANGE,
    },
    RecordKind.CHECKIN: {
        "soreness": SORENESS_RANGE,
        "sleep": SCALE_RANGE,
        "energy": SCALE_RANGE,
        "stress": SCALE_RANGE,
    },
    RecordKind.SORENESS: {"soreness": SORENESS_RANGE},
    "profile": {"max_hr": MAX_HR_RANGE},
}


def widest_range(field: str) -> tuple[int, int]:
    """The widest range of a field over every kind of record (an option that edits any
    kind, e.g. `edit --minutes`; the record's own range is checked when it validates)."""
    ranges = [kinds[field] for kinds in FIELD_RANGES.values() if field in kinds]
    return min(low for low, _ in ranges), max(high for _, high in ranges)


def in_range(value: float, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= value <= bounds[1]


# Plain `history` shows this much of each id; any start of MIN_ID or more characters
# finds a record (edit, delete, restore).
SHORT_ID = 8
MIN_ID = 6


class Weekday(StrEnum):
    """A day of the week as a person types it ('mon'); its place is date.weekday()'s."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        return list(Weekday).index(self)

    @property
    def label(self) -> str:
        return WEEKDAY_LABELS[self.number]

    @classmethod
    def of(cls, day: date) -> Weekday:
        return list(cls)[day.weekday()]


WEEKDAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Race distances by the names people give them, in km.
RACE_DISTANCES: dict[str, float] = {
    "5k": 5.0,
    "10k": 10.0,
    "half": 21.0975,
    "marathon": 42.195,
}
RACE_KM_RANGE = (1.0, 250.0)


def race_distance_name(km: float) -> str:
    """'half', '10k', or '15 km': the name a distance goes by."""
    for name, known in RACE_DISTANCES.items():
        if abs(known - km) < 0.05:
            return name
    return f"{km:g} km"
