"""The intake: file format, validation, red flags, self-test measures, prompts."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kinechain.clinic.intake import (
    HHDReading,
    Intake,
    PSFSItem,
    SidePair,
    load_intake,
    parse_intake,
    save_intake,
    self_test_measures,
)
from kinechain.clinic.intake_prompts import prompt_intake
from kinechain.clinic.knowledge import intake_questions, red_flags
from kinechain.errors import InputError

CLINIC_DATA = Path(__file__).resolve().parents[1] / "data" / "clinic"


def test_example_intake_loads() -> None:
    it = load_intake(CLINIC_DATA / "intake-runner.yaml")
    assert it.age == 34 and it.pain_location == ["front"]
    assert it.positive_red_flags() == []
    assert [p.activity for p in it.psfs] == ["running 10 km", "going down stairs"]


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trip(tmp_path: Path, make_intake: Callable[..., Intake], suffix: str) -> None:
    it = make_intake()
    path = save_intake(it, tmp_path / f"intake{suffix}")
    assert load_intake(path) == it
    if suffix == ".json":
        assert json.loads(path.read_text())["schema_version"] == "kinechain.intake/1"


def test_every_red_flag_must_be_answered(intake_doc: dict[str, Any]) -> None:
    del intake_doc["red_flags"]["locked_knee"]
    with pytest.raises(InputError, match="locked_knee"):
        parse_intake(intake_doc)


def test_unknown_red_flag_is_refused(intake_doc: dict[str, Any]) -> None:
    intake_doc["red_flags"]["sore_toe"] = False
    with pytest.raises(InputError, match="sore_toe"):
        parse_intake(intake_doc)


def test_out_of_range_values_name_the_field(intake_doc: dict[str, Any]) -> None:
    intake_doc["pain_now"] = 11
    with pytest.raises(InputError, match="pain_now"):
        parse_intake(intake_doc)
    intake_doc["pain_now"] = 3
    intake_doc["pain_location"] = ["elbow"]
    with pytest.raises(InputError, match="pain_location"):
        parse_intake(intake_doc)


def test_self_tests_above_their_maximum_are_all_refused(intake_doc: dict[str, Any]) -> None:
    intake_doc["self_tests"] = {
        "sit_to_stand_reps": {"left": 9e29, "right": 61},
        "side_plank_time": {"left": 600, "right": 601},
        "calf_raise_reps": {"left": "250"},
    }
    with pytest.raises(InputError) as err:
        parse_intake(intake_doc)
    msg = str(err.value)
    assert "4 problems" in msg
    assert "sit_to_stand_reps.left: 9e+29 reps is more than the 60 reps" in msg
    assert "sit_to_stand_reps.right: 61 reps" in msg and "side_plank_time.right: 601 s" in msg
    assert "calf_raise_reps.left: 250 reps is more than the 200" in msg
    assert "side_plank_time.left" not in msg  # 600 s is the maximum itself


def test_dynamometer_maximum_holds_in_kilograms_too(intake_doc: dict[str, Any]) -> None:
    intake_doc["dynamometer"] = {"knee_extension": {"left": 203.9, "right": 300, "unit": "kg"}}
    with pytest.raises(InputError, match=r"dynamometer\.knee_extension: right above 203\.9 kg \(2000 N\)"):
        parse_intake(intake_doc)
    intake_doc["dynamometer"] = {"knee_extension": {"left": 2001, "unit": "N"}}
    with pytest.raises(InputError, match=r"dynamometer\.knee_extension\.left: Input should be less than"):
        parse_intake(intake_doc)
    intake_doc["dynamometer"] = {"knee_extension": {"left": 203.9, "right": 2000 / 9.80665, "unit": "kg"}}
    assert parse_intake(intake_doc).dynamometer is not None


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0, 1001.0])
def test_side_pair_refuses_non_finite_negative_and_huge(value: float) -> None:
    with pytest.raises(ValueError):
        SidePair(left=value)
    assert SidePair(left=0, right=1000).right == 1000


def test_every_numeric_intake_field_has_a_maximum() -> None:
    models = [Intake, SidePair, HHDReading, PSFSItem]
    for model in models:
        for name, info in model.model_fields.items():
            if info.annotation in (int, float, int | None, float | None):
                assert any(hasattr(m, "le") for m in info.metadata), f"{model.__name__}.{name}"
    assert all(spec.max > 0 for spec in intake_questions().self_tests.values())


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        load_intake(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="cannot be read"):
        load_intake(bad)


def test_child_flag_applies_only_under_18(
    make_intake: Callable[..., Intake], intake_doc: dict[str, Any]
) -> None:
    flags = {**intake_doc["red_flags"], "young_with_painful_hip": True}
    adult = make_intake(red_flags=flags)
    assert adult.positive_red_flags() == []
    teen = make_intake(
        age=15, red_flags=flags, tuberosity_pain=False, lower_pole_pain=False, growth_spurt=False
    )
    assert [f.id for f in teen.positive_red_flags()] == ["young_with_painful_hip"]
    # a teenager must answer it
    with pytest.raises(InputError, match="young_with_painful_hip"):
        make_intake(age=15)


def test_any_yes_is_a_positive_flag(make_intake: Callable[..., Intake], intake_doc: dict[str, Any]) -> None:
    for flag in red_flags().flags:
        if flag.max_age is not None:
            continue
        it = make_intake(red_flags={**intake_doc["red_flags"], flag.id: True})
        assert [f.id for f in it.positive_red_flags()] == [flag.id]


def test_self_test_measures_and_symmetry(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(self_tests={"sit_to_stand_reps": {"left": 14, "right": 11}, "bridge_reps": {"left": 25}})
    ms = self_test_measures(it)
    assert ms.get("self.sit_to_stand_reps", "left").value == 14
    assert ms.get("self.sit_to_stand_reps", "right").value == 11
    assert ms.get("self.sit_to_stand_lsi").value == pytest.approx(100 * 11 / 14)
    lsi = ms.get("self.bridge_lsi")
    assert not lsi.measurable and "one side" in lsi.reason
    assert ms.get("self.side_plank_time") is None


def test_prompts_build_a_valid_intake() -> None:
    answers = iter(
        [
            "41",
            "1",
            "1,2",
            "3",
            "6",
            "1",
            "1 4",
            "25.5",
            "2",
            "1",  # age .. known diagnosis
            "2",  # painful side: right
            "",  # irritability skipped
            "180",
            "75",
            "",
            "4",  # height, body mass, running years skipped, runs per week
            "",
            "10",
            "y",
            "",
            "",  # shoes skipped, stiffness 10 min, crepitus yes, bony signs not examined
            "70",
            "",  # KOOS-PF total, AKPS skipped
            "running hills",
            "3",
            "",  # PSFS: one activity, then blank
            "12",
            "10",
            "",
            "",
            "30",
            "",
            "",
            "",  # self-tests: sit-to-stand both, bridge none, plank left
            "200",
            "190",
            "N",
            "0.8",  # dynamometer: hip abduction both sides with a lever arm
        ]
        + [""] * 8  # the other four muscle groups not measured
        + ["n"] * 13  # red flags (the under-18 one is not asked at 41)
    )
    lines: list[str] = []
    it = prompt_intake(ask=lambda prompt: next(answers), say=lines.append)
    assert it.age == 41 and it.sex == "female" and it.pain_location == ["front", "outer"]
    assert it.aggravating == ["stairs", "downhill"] and it.weekly_km == 25.5
    assert it.psfs[0].activity == "running hills" and it.psfs[0].score == 3
    assert it.self_tests.sit_to_stand_reps is not None and it.self_tests.sit_to_stand_reps.right == 10
    assert it.self_tests.side_plank_time is not None and it.self_tests.side_plank_time.left == 30
    assert it.positive_red_flags() == []
    assert any("Safety questions" in line for line in lines)
    assert it.painful_side == "right" and it.irritability is None and it.crepitus is True
    assert it.bmi == pytest.approx(75 / 1.8**2) and it.koos_pf == 70 and it.akps is None
    hip = it.dynamometer.hip_abduction if it.dynamometer else None
    assert hip is not None and hip.left == 200 and hip.lever_m == 0.8 and it.dynamometer.knee_flexion is None


def test_prompts_reask_invalid_answers() -> None:
    answers = iter(
        ["200", "41", "9", "2", "1", "0", "0", "1", "", "0", "3", "1"]
        + [""] * 13  # the optional questions of issue 15
        + [""] * 9  # PSFS and self-tests
        + [""] * 10  # dynamometer
        + ["maybe", "y"]
        + ["n"] * 12
    )
    lines: list[str] = []
    it = prompt_intake(ask=lambda prompt: next(answers), say=lines.append)
    assert it.age == 41 and it.sex == "male"
    assert any("from 10 to 100" in line for line in lines)
    assert any("answer y or n" in line for line in lines)
    assert [f.id for f in it.positive_red_flags()] == ["hot_swollen_unwell"]
