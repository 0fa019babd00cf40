"""Hand-held dynamometer input (issue 15): normalisation to body mass with known answers, and
no invented norm."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kinechain.clinic.assessment import Assessment
from kinechain.clinic.findings import assess_findings
from kinechain.clinic.intake import Intake
from kinechain.clinic.plan import make_plan
from kinechain.clinic.strength import G, dynamometer_measures, force_newton, norm_statement


def test_kilogram_force_converts_to_newton() -> None:
    assert force_newton(10.0, "kg") == pytest.approx(98.0665)
    assert force_newton(10.0, "N") == 10.0
    assert G == 9.80665


def test_torque_and_force_per_body_mass(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(
        weight_kg=80,
        dynamometer={
            "hip_abduction": {"left": 200, "right": 160, "unit": "N", "lever_m": 0.8},
            "knee_extension": {"left": 20, "right": 25, "unit": "kg"},
        },
    )
    ms = dynamometer_measures(it)
    hip_l, hip_r = ms.get("hhd.hip_abduction", "left"), ms.get("hhd.hip_abduction", "right")
    assert hip_l.unit == "Nm/kg" and hip_l.value == pytest.approx(200 * 0.8 / 80)  # 2.0
    assert hip_r.value == pytest.approx(160 * 0.8 / 80)  # 1.6
    assert ms.get("hhd.hip_abduction_lsi").value == pytest.approx(80.0)
    knee = ms.get("hhd.knee_extension", "right")
    assert knee.unit == "N/kg" and knee.value == pytest.approx(25 * 9.80665 / 80)
    assert ms.get("hhd.knee_flexion", "left") is None


def test_without_body_mass_nothing_is_normalised(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(dynamometer={"hip_extension": {"left": 150}})
    ms = dynamometer_measures(it)
    left = ms.get("hhd.hip_extension", "left")
    assert not left.measurable and "body mass" in left.reason
    assert not ms.get("hhd.hip_extension_lsi").measurable


def test_dynamometry_is_shown_with_no_cited_norm(make_intake: Callable[..., Intake]) -> None:
    dyn = {
        "hip_abduction": {"left": 100, "right": 100, "lever_m": 0.8},
        "knee_extension": {"left": 300, "right": 150},
    }
    it = make_intake(weight_kg=70, dynamometer=dyn, self_tests={})
    f = assess_findings(Assessment(intake=it).measure_sets(), it)
    hhd = [e for e in f.measures if e.measure_id.startswith("hhd.")]
    assert hhd and all(e.band is None for e in hhd)  # no norm, no band: nothing invented
    assert all("no cited norm" in e.citation for e in hhd if not e.measure_id.endswith("_lsi"))
    assert f.factor("quadriceps").status == "descriptive"


def test_invalid_readings_are_refused(make_intake: Callable[..., Intake]) -> None:
    from kinechain.errors import InputError

    with pytest.raises(InputError, match=r"dynamometer\.hip_abduction\.unit"):
        make_intake(dynamometer={"hip_abduction": {"left": 100, "unit": "lb"}})
    with pytest.raises(InputError, match="lever_m"):
        make_intake(dynamometer={"hip_abduction": {"left": 100, "lever_m": 5}})


def test_report_says_there_is_no_norm_for_this_age_and_sex(make_intake: Callable[..., Intake]) -> None:
    from kinechain.report.assessment import build_context, render_assessment_html

    dyn = {"hip_abduction": {"left": 200, "right": 160, "lever_m": 0.8}, "knee_flexion": {"left": 120}}
    for weight, shown in ((80, "2.00 Nm/kg"), (None, "body mass not entered")):
        it = make_intake(weight_kg=weight, dynamometer=dyn)
        a = Assessment(intake=it)
        f = assess_findings(a.measure_sets(), it)
        html = render_assessment_html(build_context(a, f, make_plan(f, it)))
        assert norm_statement(it) == (
            f"Hand-held dynamometry ({it.age} years, {it.sex}): no cited norm for this age and sex; "
            "compared side to side and to body mass only."
        )
        assert norm_statement(it) in html and "Hip abduction strength" in html and shown in html
    html = render_assessment_html(build_context(Assessment(intake=make_intake()), f, make_plan(f, it)))
    assert "no cited norm for this age and sex" not in html  # nothing entered: nothing said
