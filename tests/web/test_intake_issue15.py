"""The issue-15 intake fields in the web form: optional answers, the adolescent questions,
dynamometry, and every problem reported at once."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from kinechain.web.intake_form import form_values, intake_fields, intake_from_form

from .conftest import add_assessment, add_athlete, intake_form, post_form, sign_up


def test_new_fields_are_in_the_form() -> None:
    fields = {f.name: f for f in intake_fields()}
    for name in ("painful_side", "irritability", "height_cm", "weight_kg", "koos_pf", "akps", "crepitus"):
        assert fields[name].optional, name
    assert fields["tuberosity_pain"].kind == "yesno" and fields["tuberosity_pain"].max_age == 17
    assert fields["dynamometer.knee_extension"].kind == "hhd"


def test_blank_optional_answers_are_left_out_and_values_kept() -> None:
    base = [(k, v) for k, v in intake_form("x") if k != "csrf_token"]
    extra = [
        ("height_cm", ""),
        ("weight_kg", "72.5"),
        ("crepitus", "yes"),
        ("painful_side", ""),
        ("dynamometer.hip_abduction.left", "210"),
        ("dynamometer.hip_abduction.right", ""),
        ("dynamometer.hip_abduction.unit", "N"),
        ("dynamometer.hip_abduction.lever_m", "0.78"),
        ("dynamometer.knee_flexion.left", ""),
        ("dynamometer.knee_flexion.unit", "kg"),
    ]
    data = intake_from_form(FormData(base + extra), "2025-03-01", "Ben")
    assert "height_cm" not in data and "painful_side" not in data and data["weight_kg"] == 72.5
    assert data["crepitus"] is True and "tuberosity_pain" not in data
    assert data["dynamometer"] == {"hip_abduction": {"left": 210.0, "unit": "N", "lever_m": 0.78}}
    again = form_values(data)
    assert again["crepitus"] == "yes" and again["dynamometer.hip_abduction.lever_m"] == 0.78


def test_teen_without_adolescent_answers_gets_every_problem_at_once(client: TestClient) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    form = [(k, "15" if k == "age" else v) for k, v in intake_form(clinic.csrf) if k != "pain_now"]
    r = post_form(client, f"/assessments/{aid}/intake", form)
    assert r.status_code == 422
    for problem in ("pain_now", "young_with_painful_hip", "tuberosity_pain, lower_pole_pain, growth_spurt"):
        assert problem in r.text, problem
    form += [("pain_now", "2"), ("red_flags.young_with_painful_hip", "no")]
    form += [("tuberosity_pain", "yes"), ("lower_pole_pain", "no"), ("growth_spurt", "yes")]
    r = post_form(client, f"/assessments/{aid}/intake", form)
    assert r.status_code == 200 and r.url.path == f"/assessments/{aid}", r.text[:300]


def test_web_form_refuses_a_self_test_above_its_maximum_in_one_sentence(client: TestClient) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    form = [(k, v) for k, v in intake_form(clinic.csrf) if not k.startswith("self_tests.")]
    form += [("self_tests.bridge_reps.left", "9e29"), ("self_tests.bridge_reps.right", "20")]
    r = post_form(client, f"/assessments/{aid}/intake", form)
    assert r.status_code == 422
    sentence = (
        "self_tests.bridge_reps.left: 9e+29 reps is more than the 200 reps accepted for the single-leg bridge"
    )
    assert sentence in r.text and "Traceback" not in r.text
    page = client.get(f"/assessments/{aid}/intake")
    assert "9e29" not in page.text  # nothing was saved
    assert "Single-leg bridge (reps, up to 200)" in page.text
