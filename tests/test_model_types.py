"""The vocabulary types and the typed result records keep plain strings and the JSON unchanged."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from pydantic import ValidationError

from kinechain.model.kinematics import Kinematics, KinematicsMeta
from kinechain.model.result import AnalysisResult, QualityRecord
from kinechain.model.vocab import near_leg, other_leg, parse_side, parse_test_kind, parse_view


def test_parsed_words_are_the_plain_strings():
    assert parse_side("both") == "both" and isinstance(parse_side("left"), str)
    assert parse_view("back") == "back"
    assert parse_test_kind("drop_jump") == "drop_jump"
    with pytest.raises(ValueError, match="view must be one of left, right, front, back; got 'side'"):
        parse_view("side")
    with pytest.raises(ValueError, match="side must be one of"):
        parse_side("middle")


def test_near_leg_of_a_side_view_and_none_for_a_frontal_one():
    assert near_leg("left") == "left" and near_leg("right") == "right"
    assert other_leg("left") == "right"
    with pytest.raises(ValueError, match="front view has no near leg"):
        near_leg("front")


def test_mean_leg_length_skips_a_leg_not_found():
    assert KinematicsMeta({"left": 400.0, "right": float("nan")}).mean_leg_length_px() == 400.0
    assert KinematicsMeta({"left": 400.0, "right": 420.0}).mean_leg_length_px() == 410.0
    kin = Kinematics(np.arange(3.0), {}, {})
    assert kin.meta.leg_length_px == {} and kin.meta.forward is None


QUALITY = {
    "frames": 360,
    "frames_with_person": 358,
    "fps": 30.0,
    "duration_s": 11.967,
    "variable_frame_rate": False,
    "image_size": [720, 1280],
    "mean_visibility": 0.802,
    "source_fps": 30.0,
    "checks": {
        "person_size": {"ok": True, "severity": "warning", "message": "", "value": 514},
        "orientation": {"ok": False, "severity": "error", "message": "turn the phone", "value": -7.8},
        "camera": {"ok": True, "severity": "warning", "message": "", "value": None},
    },
}


def test_quality_record_round_trips_the_json_exactly():
    record = QualityRecord.model_validate(QUALITY)
    assert record.frames_with_person == 358 and record.checks["orientation"].value == -7.8
    assert json.loads(record.model_dump_json()) == QUALITY  # 514 stays an integer, key order too
    assert list(json.loads(record.model_dump_json())) == list(QUALITY)


#: ``settings`` as the pipeline writes it (the bundled running example's, shortened).
SETTINGS = {
    "pose": {"model": "mediapipe:full", "max_people_seen": 1, "frames_with_person": 360},
    "cleaning": {
        "min_visibility": 0.5,
        "max_gap_s": 0.1,
        "cutoff_hz": 10.0,
        "filter": "Butterworth order 2, forward-backward (zero lag)",
        "swapped_frames": 0,
    },
    "model_choice": "balanced",
    "detection": {
        "requested_test": "running",
        "view": "left",
        "view_confidence": 0.928,
        "test": "running",
        "test_confidence": 0.975,
        "reason": "the feet alternate every 0.70 s (a running stride)",
        "evidence": {"view_votes": 0.928, "stride_period_s": 0.7, "alternation": None},
    },
    "options": {"foot_length_cm": 26.0},
}


def _with_settings(settings: dict) -> AnalysisResult:
    doc = {"kinechain_version": "0", "created": "2026-01-01T00:00:00Z", "test": "running"}
    doc |= {"view": {"view": "left", "requested": "side"}, "pose_source": "x", "measures": []}
    return AnalysisResult.model_validate({**doc, "settings": settings})


def test_typed_settings_round_trip_the_json_exactly():
    result = _with_settings(SETTINGS)
    assert result.settings["detection"]["test_confidence"] == 0.975
    assert result.settings["cleaning"]["swapped_frames"] == 0
    out = json.loads(result.model_dump_json())["settings"]
    assert out == SETTINGS  # 0 stays an integer, None stays null
    assert list(out) == list(SETTINGS) and list(out["detection"]) == list(SETTINGS["detection"])


def test_settings_of_another_version_keep_their_keys():
    assert json.loads(_with_settings({}).model_dump_json())["settings"] == {}
    older = {"pose": {"model": "x"}, "smoothing": {"window": 5}}
    assert json.loads(_with_settings(older).model_dump_json())["settings"] == older


def test_pose_provenance_keeps_unknown_keys_and_their_order():
    # not the declared order, and a key this version does not know
    pose = {"untrimmed_duration_s": 130.2, "model": "m", "multi_person_tracking": False, "max_people_seen": 1}
    result = _with_settings({"pose": pose})
    assert result.settings["pose"]["max_people_seen"] == 1
    out = json.loads(result.model_dump_json())["settings"]["pose"]
    assert out == pose and list(out) == list(pose)


def test_pose_provenance_of_the_wrong_type_is_refused():
    with pytest.raises(ValidationError, match="max_people_seen"):
        _with_settings({"pose": {"max_people_seen": "two"}})


def test_refusals_are_the_failed_error_checks():
    result = AnalysisResult.model_validate(
        {
            "kinechain_version": "0",
            "created": "2026-01-01T00:00:00Z",
            "test": "running",
            "view": {"view": "left", "requested": "side"},
            "pose_source": "replay:test",
            "quality": QUALITY,
            "measures": [],
        }
    )
    assert result.refusals() == ["turn the phone"]
    assert not math.isnan(result.quality.mean_visibility)


def test_model_imports_nothing_else_of_kinechain():
    import ast
    from pathlib import Path

    import kinechain.model

    outside = []
    for path in Path(kinechain.model.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            outside += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith("kinechain.") and not n.startswith("kinechain.model")
            ]
    assert outside == []


def test_plan_pain_rule_source_is_written_as_the_clinic_cites():
    from kinechain.clinic.explain import cite
    from kinechain.model.plan import PAIN_RULE_SOURCE

    assert cite("Silbernagel 2007 AJSM", "W") == PAIN_RULE_SOURCE
