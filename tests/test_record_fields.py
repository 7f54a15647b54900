"""A record is described once: every field of every record is in its detail and its CSV
row, and the CLI, the edit dialog, the app's log screens and the model accept exactly
the same ranges (vocab.FIELD_RANGES)."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
from pydantic import ValidationError

from legcoach import history
from legcoach.cli import build_parser
from legcoach.models import (
    CSV_COLUMNS,
    KIND_TYPES,
    CheckIn,
    HealthReading,
    LegSession,
    Profile,
    RunLog,
    SorenessUpdate,
    explain,
)
from legcoach.tui.edit import prompt_for
from legcoach.vocab import (
    FIELD_RANGES,
    Fuel,
    Goal,
    LegKind,
    LegsFelt,
    Measure,
    Override,
    RecordKind,
    RedFlag,
    RunType,
)
from tests.conftest import NOW

# Every field of every record, each set to a value its detail must show.
FULL = [
    LegSession(
        ended_at=NOW,
        rpe=7,
        kind=LegKind.ECCENTRIC,
        minutes=47,
        note="calf raises",
        source="strong",
    ),
    RunLog(
        at=NOW,
        run_type=RunType.STEADY,
        minutes=47,
        rpe=7,
        legs_felt=LegsFelt.HEAVY,
        note="calf raises",
        started_at=NOW - timedelta(minutes=47),
        distance_m=9100,
        avg_hr=151,
        max_hr=177,
        sport="trail running",
        source="fit",
        estimated=True,
    ),
    CheckIn(
        at=NOW,
        soreness=4,
        red_flags=frozenset({RedFlag.SHAKY_LEGS}),
        earlier_red_flags=frozenset({RedFlag.SHARP_PAIN}),
        goal=Goal.ENDURANCE,
        fuel=Fuel.SNACK,
        sleep=2,
        energy=3,
        stress=5,
        warmup=False,
        leg_session_id=uuid4(),
        override=Override.RAN_ANYWAY,
        override_note="felt fine",
    ),
    SorenessUpdate(at=NOW, soreness=6),
    HealthReading(at=NOW, measure=Measure.HRV_SDNN, value=52, source="apple"),
]
# Shown elsewhere on the record's screen, or internal: (field, where it is said).
NOT_A_DETAIL_LINE = {
    "id": "the History table and --json",
    "recommendation": "the plan block under the detail",
    "leg_session_id": "a link to the leg session record",
}
WORDS = {
    "ended_at": None,  # the record's time is its title
    "at": None,
    "started_at": "Started: 07:13",
    "rpe": "RPE 7",
    "kind": "eccentric",
    "minutes": "47 min",
    "note": "calf raises",
    "source": "Source: ",
    "run_type": "Steady",
    "legs_felt": "heavy",
    "distance_m": "9.1 km",
    "avg_hr": "average 151",
    "max_hr": "max 177",
    "sport": "trail running",
    "estimated": "estimated on import",
    "soreness": "4/10",
    "red_flags": "shaky",
    "earlier_red_flags": "sharp or joint pain (cleared",
    "goal": "Endurance",
    "fuel": "a snack",
    "sleep": "Sleep: 2/5",
    "energy": "Energy: 3/5",
    "stress": "Stress: 5/5",
    "warmup": "Warm-up: not planned",
    "override": "ran anyway",
    "override_note": "felt fine",
    "measure": "heart-rate variability",
    "value": "52 ms",
}
CSV_NAMES = {"kind": "leg_kind", "override_note": "note", "distance_m": "distance_km"}


@pytest.mark.parametrize("record", FULL, ids=lambda r: r.kind_name.value)
def test_every_field_is_in_the_detail_and_the_csv_row(record: Any) -> None:
    detail = "\n".join(history.described(record)).lower()
    row = record.to_row()
    assert set(row) <= set(CSV_COLUMNS)
    for name in type(record).model_fields:
        if name in NOT_A_DETAIL_LINE:
            continue
        words = WORDS[name]
        if words is not None and not (isinstance(record, SorenessUpdate) and name == "soreness"):
            assert words.lower() in detail, (name, detail)
        column = CSV_NAMES.get(name, "when" if name in ("at", "ended_at") else name)
        assert column in row, (name, row)
        if record.source or name != "source":  # a typed record has no source
            assert row[column] not in (None, ""), (name, row)


@pytest.mark.parametrize(
    ("kind", "field", "bounds"),
    [
        (kind, field, bounds)
        for kind, fields in FIELD_RANGES.items()
        for field, bounds in fields.items()
    ],
)
def test_the_model_the_cli_and_the_edit_dialog_accept_the_same_range(
    kind: Any, field: str, bounds: tuple[int, int]
) -> None:
    low, high = bounds
    model = Profile if kind == "profile" else KIND_TYPES[kind]
    bases: dict[str, dict[str, Any]] = {
        RecordKind.LEGS: {"ended_at": NOW, "rpe": 5},
        RecordKind.RUN: {"at": NOW, "run_type": RunType.EASY, "minutes": 30},
        RecordKind.CHECKIN: {"at": NOW},
        RecordKind.SORENESS: {"at": NOW, "soreness": 1},
        "profile": {},
    }
    base = bases[kind]
    for value in (low, high):
        model.model_validate({**base, field: value})
    for value in (low - 1, high + 1):
        with pytest.raises(ValidationError) as refused:
            model.model_validate({**base, field: value})
        assert f"between {low} and {high}" in explain(refused.value)
    if kind != "profile" and field in ("rpe", "minutes", "soreness", "sleep", "energy", "stress"):
        assert f"{low}-{high}" in prompt_for(kind, field)[1]
    options = {
        (RecordKind.LEGS, "minutes"): ["log-legs", "--rpe", "5", "--minutes"],
        (RecordKind.RUN, "minutes"): ["log-run", "--type", "easy", "--rpe", "4", "--minutes"],
        (RecordKind.RUN, "rpe"): ["log-run", "--type", "easy", "--minutes", "30", "--rpe"],
        (RecordKind.LEGS, "rpe"): ["log-legs", "--rpe"],
        (RecordKind.CHECKIN, "soreness"): ["checkin", "--soreness"],
        (RecordKind.CHECKIN, "stress"): ["checkin", "--soreness", "2", "--stress"],
        (RecordKind.CHECKIN, "sleep"): ["checkin", "--soreness", "2", "--sleep"],
        (RecordKind.CHECKIN, "energy"): ["checkin", "--soreness", "2", "--energy"],
        ("profile", "max_hr"): ["profile", "--max-hr"],
    }
    argv = options.get((kind, field))
    if argv is None:
        return
    parser = build_parser()
    for value in (low, high):
        parser.parse_args([*argv, str(value)])
    for value in (low - 1, high + 1):
        with pytest.raises(SystemExit):
            _quiet(parser).parse_args([*argv, str(value)])


def _quiet(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    def error(message: str) -> None:
        raise SystemExit(2)

    for action in parser._subparsers._group_actions if parser._subparsers else []:
        assert isinstance(action.choices, dict)
        for sub in action.choices.values():
            sub.error = error
    return parser


def test_every_table_says_where_its_records_keep_their_time() -> None:
    from legcoach.models import RECORD_TYPES
    from legcoach.storage.lazy import TIME_FIELD

    assert set(TIME_FIELD) == set(RECORD_TYPES)
    for table, model in RECORD_TYPES.items():
        assert TIME_FIELD[table] in model.model_fields
