"""Reassessment: the smallest-detectable-difference logic and the pain minimal important change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from builders import analysis_result
from kinechain.clinic.assessment import Assessment, load_assessment
from kinechain.clinic.intake import Intake
from kinechain.clinic.reassess import (
    compare,
    judge,
    noise_of_difference,
    pain_verdict,
    pose_model,
    sdd_verdict,
)
from kinechain.model.result import AnalysisResult

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


def test_compare_two_assessments(tmp_path: Any, m: Make, make_intake: Callable[..., Intake]) -> None:
    before = Assessment(
        intake=make_intake(assessment_date=date(2025, 1, 6), pain_now=5, pain_worst_running=7),
        results=[
            analysis_result(
                "single_leg_squat", "front", [m("single_leg_squat.fppa_peak", 19.0, "deg", side="left")]
            ),
            analysis_result(
                "knee_to_wall", "left", [m("knee_to_wall.tibia_angle", 34.0, "deg", side="left")]
            ),
            analysis_result("running", "left", [m("running.cadence", 165.0, "steps/min")]),
        ],
    )
    after = Assessment(
        intake=make_intake(assessment_date=date(2025, 3, 3), pain_now=2, pain_worst_running=6),
        results=[
            analysis_result(
                "single_leg_squat", "front", [m("single_leg_squat.fppa_peak", 12.0, "deg", side="left")]
            ),
            analysis_result(
                "knee_to_wall", "left", [m("knee_to_wall.tibia_angle", 38.5, "deg", side="left")]
            ),
            analysis_result("running", "left", [m("running.cadence", 176.0, "steps/min")]),
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


def test_noise_of_difference_is_two_standard_errors() -> None:
    # SD 3 over 9 steps and SD 4 over 16 steps: SE 1 and 1, so 2 * sqrt(2)
    assert noise_of_difference((3.0, 9), (4.0, 16)) == pytest.approx(2 * 2**0.5)
    assert noise_of_difference((None, 9), (4.0, 16)) is None
    assert noise_of_difference((3.0, 1), (4.0, 16)) is None


def test_a_change_must_beat_the_videos_own_noise_too() -> None:
    # +4.4 deg beats a 2.3 deg SDD but not 8 deg of step-to-step noise
    assert judge(11.0, 15.4, 2.3, "none", noise=8.0) == "within measurement error"
    assert judge(11.0, 19.5, 2.3, "none", noise=8.0) == "real change"
    assert judge(11.0, 15.4, 2.3, "none", noise=1.0) == "real change"
    assert judge(11.0, 15.4, None, "none", noise=1.0) == "no smallest detectable difference known"


def _running(value: float, spread: float, fps: float, m: Make) -> AnalysisResult:
    foot = m("running.foot_strike_angle", value, "deg", side="left", n=15, spread=spread)
    knee = m("running.knee_flexion_peak_stance", value + 20, "deg", side="left")
    return analysis_result("running", "left", [foot, knee], fps=fps)


@pytest.mark.parametrize(
    ("fps", "spread", "expected"),
    [
        (30.0, 0.5, "not judged: filmed below 60 fps"),  # values at contact move a frame at 30 fps
        (60.0, 0.5, "real change"),  # -9.8 deg, beyond the 2.3 deg SDD and the noise
        (60.0, 11.0, "real change"),  # noise 2 * sqrt(2 * 121 / 15) = 8.0 deg < 9.8 deg
        (60.0, 14.0, "within measurement error"),  # noise 10.2 deg > 9.8 deg
    ],
)
def test_values_at_contact_need_60_fps(
    fps: float, spread: float, expected: str, m: Make, make_intake: Callable[..., Intake]
) -> None:
    before = Assessment(
        intake=make_intake(assessment_date=date(2025, 1, 6)), results=[_running(21.4, spread, fps, m)]
    )
    after = Assessment(
        intake=make_intake(assessment_date=date(2025, 3, 3)), results=[_running(11.6, spread, fps, m)]
    )
    by_id = {c.measure_id: c for c in compare(before, after).changes}
    assert by_id["running.foot_strike_angle"].verdict == expected
    # peak knee flexion in stance is not a value at contact: judged at any frame rate (-9.8 > SDD 3.8)
    assert by_id["running.knee_flexion_peak_stance"].verdict == "real worsening"


def _pair(
    m: Make, make_intake: Callable[..., Intake], fps: tuple[float, float], models: tuple[str, str]
) -> Any:
    results = []
    for value, f, model in zip((21.4, 11.6), fps, models, strict=True):
        r = _running(value, 0.5, f, m)
        results.append(r.model_copy(update={"pose_source": model}))  # no settings: the source names it
    before = Assessment(intake=make_intake(assessment_date=date(2025, 1, 6)), results=[results[0]])
    after = Assessment(intake=make_intake(assessment_date=date(2025, 3, 3)), results=[results[1]])
    return compare(before, after)


@pytest.mark.parametrize(
    ("fps", "models", "expected"),
    [
        ((60.0, 60.0), ("mediapipe:full", "mediapipe:full"), "real worsening"),
        ((59.94, 60.0), ("mediapipe:full", "mediapipe:full"), "real worsening"),  # one frame rate
        ((60.0, 120.0), ("mediapipe:full", "mediapipe:full"), "not judged: different frame rates"),
        ((60.0, 60.0), ("mediapipe:full", "mediapipe:heavy"), "not judged: different pose models"),
        ((60.0, 60.0), ("replay:mediapipe:full", "mediapipe:full"), "real worsening"),  # same model
    ],
)
def test_a_change_of_method_is_never_called_real(
    fps: tuple[float, float],
    models: tuple[str, str],
    expected: str,
    m: Make,
    make_intake: Callable[..., Intake],
) -> None:
    progress = _pair(m, make_intake, fps, models)
    knee = next(c for c in progress.changes if c.measure_id == "running.knee_flexion_peak_stance")
    assert knee.verdict == expected  # -9.8 deg is beyond its 3.8 deg SDD when the method is the same
    assert bool(progress.method_notes) is expected.startswith("not judged")


@pytest.mark.parametrize(
    ("before", "after", "start"),
    [
        (4, 6, "better by at least the MCID (2 points)"),
        (4, 5, "no important change"),
        (6, 4, "worse by at least"),
    ],
)
def test_psfs_uses_its_mcid(before: int, after: int, start: str, make_intake: Callable[..., Intake]) -> None:
    a = Assessment(intake=make_intake(psfs=[{"activity": "Running 10 km", "score": before}]))
    b = Assessment(intake=make_intake(psfs=[{"activity": "running 10 km ", "score": after}]))
    progress = compare(a, b)
    assert progress.psfs[0].verdict.startswith(start)
    assert "clinical convention" in progress.psfs_source


def test_koos_pf_and_akps_totals(make_intake: Callable[..., Intake]) -> None:
    a = Assessment(intake=make_intake(koos_pf=50, akps=60))
    b = Assessment(intake=make_intake(koos_pf=66.4, akps=90))
    koos, akps = compare(a, b).scores
    assert koos.change == pytest.approx(16.4) and koos.verdict.startswith("better by at least the MCID (16.4")
    assert "Crossley 2018" in koos.source
    assert akps.mcid is None and akps.verdict.startswith("no verdict")  # none cited: no invented MCID
    c = Assessment(intake=make_intake(koos_pf=66.3))
    assert compare(a, c).scores[0].verdict.startswith("no important change")


def test_pose_model_is_read_from_the_settings_first(m: Make) -> None:
    r = _running(10.0, 0.5, 60.0, m)
    assert pose_model(r.model_copy(update={"pose_source": "replay:mediapipe:lite"})) == "mediapipe:lite"
    recorded = r.model_copy(
        update={"pose_source": "replay:x", "settings": {"pose": {"model": "mediapipe:full"}}}
    )
    assert pose_model(recorded) == "mediapipe:full"


def test_progress_report_shows_refusal_and_mcids(m: Make, make_intake: Callable[..., Intake]) -> None:
    from kinechain.report.assessment import write_progress_report

    progress = _pair(m, make_intake, (60.0, 60.0), ("mediapipe:full", "mediapipe:heavy"))
    html = write_progress_report(progress)
    assert "Not comparable" in html and "different pose models" in html
    a = Assessment(intake=make_intake(koos_pf=40, psfs=[{"activity": "run", "score": 3}]))
    b = Assessment(intake=make_intake(koos_pf=70, psfs=[{"activity": "run", "score": 6}]))
    html = write_progress_report(compare(a, b))
    assert "KOOS-PF total (0-100)" in html and "better by at least the MCID (16.4 points)" in html
    assert "better by at least the MCID (2 points)" in html and "Not comparable" not in html
