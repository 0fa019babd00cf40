"""Reassessment: the smallest-detectable-difference logic and the pain minimal important change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kinechain.clinic.assessment import Assessment, load_assessment
from kinechain.clinic.intake import Intake
from kinechain.clinic.reassess import compare, pain_verdict, sdd_verdict
from kinechain.model.result import AnalysisResult, ViewRecord

Make = Callable[..., Any]


@pytest.mark.parametrize(
    ("before", "after", "sdd", "direction", "expected"),
    [
        (20.0, 11.1, 8.9, "higher_is_worse", "within measurement error"),  # exactly the SDD is not real
        (20.0, 11.0, 8.9, "higher_is_worse", "real improvement"),
        (20.0, 11.2, 8.9, "higher_is_worse", "within measurement error"),
        (20.0, 28.95, 8.9, "higher_is_worse", "real worsening"),
        (36.0, 39.6, 3.6, "lower_is_worse", "within measurement error"),  # exactly the SDD is not real
        (36.0, 39.7, 3.6, "lower_is_worse", "real improvement"),
        (36.0, 32.3, 3.6, "lower_is_worse", "real worsening"),
        (20.0, 25.0, 2.3, "none", "real change"),
        (20.0, 40.0, None, "higher_is_worse", "no smallest detectable difference known"),
    ],
)
def test_sdd_verdict(before: float, after: float, sdd: float | None, direction: str, expected: str) -> None:
    assert sdd_verdict(before, after, sdd, direction) == expected


@pytest.mark.parametrize(
    ("before", "after", "start"),
    [
        (5, 5, "no important change"),
        (5, 4, "better by at least the minimal important change"),
        (5, 3, "much better"),
        (3, 2, "much better"),  # 33% of 3 (Salaffi 2004: 2 points or 33%)
        (4, 6, "much worse"),
        (0, 1, "worse by at least"),
    ],
)
def test_pain_minimal_important_change(before: int, after: int, start: str) -> None:
    assert pain_verdict(before, after).startswith(start)


def _result(test: str, view: str, measures: list[Any]) -> AnalysisResult:
    return AnalysisResult(
        kinechain_version="test",
        created="2025-01-01T00:00:00Z",  # type: ignore[arg-type]
        test=test,
        view=ViewRecord(view=view, requested=view),
        pose_source="test",
        measures=measures,
    )


def test_compare_two_assessments(tmp_path: Any, m: Make, make_intake: Callable[..., Intake]) -> None:
    before = Assessment(
        intake=make_intake(assessment_date=date(2025, 1, 6), pain_now=5, pain_worst_running=7),
        results=[
            _result("single_leg_squat", "front", [m("single_leg_squat.fppa_peak", 19.0, "deg", side="left")]),
            _result("knee_to_wall", "left", [m("knee_to_wall.tibia_angle", 34.0, "deg", side="left")]),
            _result("running", "left", [m("running.cadence", 165.0, "steps/min")]),
        ],
    )
    after = Assessment(
        intake=make_intake(assessment_date=date(2025, 3, 3), pain_now=2, pain_worst_running=6),
        results=[
            _result("single_leg_squat", "front", [m("single_leg_squat.fppa_peak", 12.0, "deg", side="left")]),
            _result("knee_to_wall", "left", [m("knee_to_wall.tibia_angle", 38.5, "deg", side="left")]),
            _result("running", "left", [m("running.cadence", 176.0, "steps/min")]),
        ],
    )
    path = before.save(tmp_path / "before.json")
    progress = compare(load_assessment(path), after)
    by_id = {(c.measure_id, c.side): c for c in progress.changes}
    # FPPA: -7.0 deg is within the 8.9 deg SDD (Munro 2012)
    assert by_id[("single_leg_squat.fppa_peak", "left")].verdict == "within measurement error"
    # knee-to-wall: +4.5 deg is beyond the 3.6 deg MDC (Chisholm 2012) and better
    assert by_id[("knee_to_wall.tibia_angle", "left")].verdict == "real improvement"
    # cadence has no published SDD: no verdict
    assert by_id[("running.cadence", "both")].verdict == "no smallest detectable difference known"
    # self-tests compared too (same in both), with no SDD
    assert by_id[("self.sit_to_stand_reps", "left")].change == 0
    assert progress.pain[0].verdict.startswith("much better")
    assert progress.pain[1].verdict.startswith("better by at least")
    assert progress.psfs[0].change == 0
    assert progress.before_date == date(2025, 1, 6)


def test_load_assessment_errors(tmp_path: Any) -> None:
    from kinechain.errors import InputError

    with pytest.raises(InputError, match="cannot be read"):
        load_assessment(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(InputError, match="not a kinechain assessment"):
        load_assessment(bad)
