"""Issue 15 intake checks: osteoarthritis from its clinical criteria, contradictions, all errors
at once, and the adolescent pathway with its questions, advice and plan limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kinechain.clinic.findings import assess_findings
from kinechain.clinic.intake import Intake, parse_intake
from kinechain.clinic.intake_checks import contradictions, oa_criteria, oa_pathway
from kinechain.clinic.plan import make_plan
from kinechain.errors import InputError

TEEN = {"age": 14, "tuberosity_pain": True, "lower_pole_pain": False, "growth_spurt": True}


# ------------------------------------------------------------------ osteoarthritis criteria
def test_oa_suggested_from_three_criteria_without_a_label(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(age=58, morning_stiffness_minutes=15, crepitus=True, self_tests={})
    oa = oa_criteria(it)
    assert oa.count == 3 and oa.suggested and "clinical convention" in oa.source
    assert oa.unanswered == ["bony enlargement of the knee", "bony tenderness of the knee"]
    f = assess_findings([], it)
    assert f.factor("osteoarthritis").status == "flagged"
    assert "suggested for your clinician to check" in f.factor("osteoarthritis").headline
    plan = make_plan(f, it)
    assert [p.exercise.id for p in plan.exercises][:4] == [
        "oa_neuromuscular",
        "sit_to_stand",
        "side_lying_hip_abduction",
        "oa_aerobic",
    ]
    assert "Suggested from 3 of 5" in plan.pathways[0].points[0]


@pytest.mark.parametrize(
    ("changes", "count"),
    [
        ({"age": 49, "morning_stiffness_minutes": 15, "crepitus": True}, 2),  # 49 is not "50 or more"
        ({"age": 50, "morning_stiffness_minutes": 30, "crepitus": True}, 2),  # 30 min is not "under 30"
        ({"age": 50, "morning_stiffness_minutes": 0, "crepitus": True}, 2),  # no stiffness is no criterion
        ({"age": 30, "crepitus": True, "bony_enlargement": True, "bony_tenderness": True}, 3),
        ({"age": 70}, 1),
    ],
)
def test_oa_criteria_boundaries(
    make_intake: Callable[..., Intake], changes: dict[str, Any], count: int
) -> None:
    it = make_intake(self_tests={}, **changes)
    assert oa_criteria(it).count == count
    assert oa_pathway(it) is (count >= 3)


def test_long_stiffness_is_a_red_flag_not_an_oa_criterion(
    make_intake: Callable[..., Intake], intake_doc: dict[str, Any]
) -> None:
    flags = {**intake_doc["red_flags"], "morning_stiffness": True}
    it = make_intake(age=60, morning_stiffness_minutes=20, crepitus=True, red_flags=flags)
    assert oa_criteria(it).count == 2  # the stiffness criterion does not count with the flag
    assert any("answered yes, yet given as 20 minutes" in c for c in contradictions(it))


# ------------------------------------------------------------------ contradictions
def test_issue_example_contradiction_is_flagged(
    make_intake: Callable[..., Intake], intake_doc: dict[str, Any]
) -> None:
    flags = {**intake_doc["red_flags"], "cannot_bear_weight": True}
    it = make_intake(pain_worst_running=9, pain_now=0, red_flags=flags)
    found = contradictions(it)
    assert any("pain now is 0/10 (worst during running 9/10)" in c for c in found)
    assert any("single-leg self-tests" in c for c in found)
    assert any("running 30 km a week" in c for c in found)


def test_consistent_intake_has_no_contradictions(make_intake: Callable[..., Intake]) -> None:
    assert contradictions(make_intake()) == []


def test_injury_flag_with_gradual_onset(
    make_intake: Callable[..., Intake], intake_doc: dict[str, Any]
) -> None:
    flags = {**intake_doc["red_flags"], "rapid_swelling_after_injury": True}
    assert any("gradual" in c for c in contradictions(make_intake(onset="gradual", red_flags=flags)))
    assert not any("gradual" in c for c in contradictions(make_intake(onset="injury", red_flags=flags)))


# ------------------------------------------------------------------ all errors at once
def test_every_error_is_reported_at_once(intake_doc: dict[str, Any]) -> None:
    intake_doc.update(pain_now=11, sex="robot", weekly_km=-3, koos_pf=120)
    del intake_doc["red_flags"]["locked_knee"]
    with pytest.raises(InputError) as info:
        parse_intake(intake_doc)
    text = str(info.value)
    assert text.startswith("intake: 5 problems:")
    for field in ("pain_now", "sex", "weekly_km", "koos_pf", "locked_knee"):
        assert field in text, field


def test_one_error_reads_as_one_sentence(intake_doc: dict[str, Any]) -> None:
    intake_doc["pain_now"] = 11
    with pytest.raises(InputError, match=r"^intake: pain_now: .*; fix it and try again\.$"):
        parse_intake(intake_doc)


# ------------------------------------------------------------------ adolescent pathway
def test_adolescent_questions_are_required_under_18(intake_doc: dict[str, Any]) -> None:
    intake_doc.update(age=16, red_flags={**intake_doc["red_flags"], "young_with_painful_hip": False})
    with pytest.raises(InputError, match="tuberosity_pain, lower_pole_pain, growth_spurt"):
        parse_intake(intake_doc)
    intake_doc.update(tuberosity_pain=False, lower_pole_pain=True, growth_spurt=False)
    assert parse_intake(intake_doc).adolescent
    intake_doc.update(age=18)  # 18 is an adult: the adolescent answers are allowed but not needed
    assert not parse_intake(intake_doc).adolescent


def test_adolescent_plan_has_advice_and_limits(
    make_intake: Callable[..., Intake],
    intake_doc: dict[str, Any],
    m: Callable[..., Any],
    ms: Callable[..., Any],
) -> None:
    it = make_intake(**TEEN, red_flags={**intake_doc["red_flags"], "young_with_painful_hip": False})
    sets = [ms("running", m("running.cadence", 160.0, "steps/min"), view="left")]
    plan = make_plan(assess_findings(sets, it), it, cadence=160.0)
    assert plan.adolescent and plan.pathways[0].title == "Adolescent pathway (under 18)"
    points = " ".join(plan.pathways[0].points)
    assert "Osgood-Schlatter" in points and "Sinding-Larsen" not in points and "growth spurt" in points
    assert "clinical convention" in plan.pathways[0].source
    assert any(t.id == "growth" for t in plan.education)
    # limits: no harder version, effort capped at RPE 5-6, no metronome
    for p in plan.exercises:
        assert all(w.variant == p.exercise.name for w in p.weeks)
        if p.exercise.kind == "strength":
            assert "RPE 7" not in p.weeks[-1].dose and "RPE 5-6" in p.weeks[-1].dose
    assert plan.running is not None and plan.running.beats == []
    assert any("Under 18" in c for c in plan.conventions)


def test_adult_plan_progresses_to_harder_versions(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(self_tests={})
    plan = make_plan(assess_findings([], it), it)
    assert not plan.adolescent and not any(t.id == "growth" for t in plan.education)
    assert plan.exercises and "harder version" in plan.exercises[0].weeks[-1].variant


def test_report_shows_the_pathways_criteria_and_contradictions(
    make_intake: Callable[..., Intake], intake_doc: dict[str, Any]
) -> None:
    from kinechain.clinic.assessment import Assessment
    from kinechain.report.assessment import build_context, render_assessment_html

    def page(it: Intake) -> str:
        f = assess_findings(Assessment(intake=it).measure_sets(), it)
        return render_assessment_html(build_context(Assessment(intake=it), f, make_plan(f, it)))

    teen = make_intake(**TEEN, red_flags={**intake_doc["red_flags"], "young_with_painful_hip": False})
    html = page(teen)
    assert "Adolescent pathway (under 18)" in html and "Knee pain while you are still growing" in html
    older = make_intake(
        age=61, morning_stiffness_minutes=10, crepitus=True, bony_tenderness=True, weekly_km=0
    )
    html = page(older)
    assert "Knee osteoarthritis criteria met: 4 of 5" in html and "Walking or cycling" in html
    assert "For the clinician: answers to check" in html and "0 km a week" in html
