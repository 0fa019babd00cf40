"""The plan: red flags block it, exercises follow the findings, dosing, running guidance, pathways."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from kinechain.clinic.explain import DIAGNOSTIC_PHRASES
from kinechain.clinic.findings import assess_findings
from kinechain.clinic.intake import Intake, self_test_measures
from kinechain.clinic.knowledge import exercise_library
from kinechain.clinic.plan import make_plan

Make = Callable[..., Any]


def _plan(sets: list[Any], it: Intake, cadence: float | None = None) -> Any:
    return make_plan(assess_findings(sets, it), it, cadence=cadence)


def test_red_flags_block_the_plan(make_intake: Callable[..., Intake], intake_doc: dict[str, Any]) -> None:
    for flag in ("hot_swollen_unwell", "locked_knee", "morning_stiffness"):
        it = make_intake(red_flags={**intake_doc["red_flags"], flag: True})
        plan = _plan([self_test_measures(it)], it, cadence=160.0)
        assert plan.stopped and plan.exercises == [] and plan.running is None and plan.retest is None
        assert plan.stop_message and "not made an exercise or running plan" in plan.stop_message


def test_running_guidance_metronome_from_measured_cadence(
    m: Make, ms: Make, make_intake: Callable[..., Intake]
) -> None:
    it = make_intake(self_tests={})
    plan = _plan([ms("running", m("running.cadence", 168.74, "steps/min"), view="left")], it, cadence=168.74)
    assert plan.running is not None
    # +5% and +10% of the measured 168.74 steps/min (Heiderscheit 2011)
    assert plan.running.beats == [round(168.74 * 1.05), round(168.74 * 1.10)] == [177, 186]
    assert "177 beats per minute" in plan.running.weeks[0]
    assert any("went up recently" in a for a in plan.running.load_advice)
    assert any("flat routes" in a for a in plan.running.load_advice)


def test_no_metronome_when_running_is_typical(m: Make, ms: Make, make_intake: Callable[..., Intake]) -> None:
    it = make_intake(self_tests={}, volume_change="unchanged", aggravating=[], pain_location=["outer"])
    plan = _plan([ms("running", m("running.cadence", 182.0, "steps/min"), view="left")], it, cadence=182.0)
    assert plan.running is not None and plan.running.beats == [] and plan.running.weeks == []
    assert plan.running.load_advice  # load advice is still given to a runner


def test_non_runner_gets_no_running_guidance(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(weekly_km=0, self_tests={})
    assert _plan([], it).running is None


def test_exercises_follow_ranked_findings(m: Make, ms: Make, make_intake: Callable[..., Intake]) -> None:
    it = make_intake(pain_location=["back"], self_tests={})
    sets = [ms("knee_to_wall", m("knee_to_wall.tibia_angle", 33.0, "deg", side="left"))]
    plan = _plan(sets, it)
    assert plan.exercises[0].exercise.id == "knee_to_wall_mobilisation"
    assert {p.factor for p in plan.exercises} == {"ankle_mobility"}
    assert plan.weeks == 6 and plan.retest == it.assessment_date + timedelta(weeks=6)


def test_front_knee_pain_gets_hip_and_knee_exercise(
    m: Make, ms: Make, make_intake: Callable[..., Intake]
) -> None:
    it = make_intake(pain_location=["front"], self_tests={})
    sets = [ms("knee_to_wall", m("knee_to_wall.tibia_angle", 33.0, "deg", side="left"))]
    plan = _plan(sets, it)
    factors = {p.factor for p in plan.exercises}
    assert {"hip_core_foot", "quadriceps", "ankle_mobility"} <= factors
    assert any("Crossley 2016" in p.why for p in plan.exercises)
    assert plan.weeks == 8


def test_weekly_progression_follows_the_schedule(
    m: Make, ms: Make, make_intake: Callable[..., Intake]
) -> None:
    it = make_intake(pain_location=["front"], self_tests={})
    plan = make_plan(assess_findings([], it), it, start=date(2025, 1, 6))
    ex = plan.exercises[0]
    base = ex.exercise.dosage
    assert [w.week for w in ex.weeks] == list(range(1, 9))
    lib = exercise_library()
    learn, build = lib.schedule[0], lib.schedule[1]
    assert ex.weeks[0].dose == base.describe(0, f"{learn.intensity}; {learn.rm_for(base.reps)}")
    assert ex.weeks[2].dose == base.describe(1, f"{build.intensity}; {build.rm_for(base.reps)}")
    # sets of 12 with 5-6 repetitions in reserve: a load of about 17-18 RM
    assert base.reps == 12 and "(17-18 RM)" in ex.weeks[0].dose and "(14-15 RM)" in ex.weeks[7].dose
    assert "RPE 4-5" in ex.weeks[0].dose and "RPE 7-8" in ex.weeks[7].dose and "rest" in ex.weeks[0].dose
    assert "pain rule held" in ex.weeks[0].progress_when
    assert ex.weeks[4].variant.endswith(ex.exercise.progression)
    assert plan.retest == date(2025, 3, 3)
    assert any("clinical convention" in c for c in plan.conventions)
    assert "5 out of 10" in plan.pain_rule and "Silbernagel 2007" in plan.pain_rule_source


def test_osteoarthritis_pathway(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(known_diagnosis="osteoarthritis", pain_location=["inner"], self_tests={})
    plan = _plan([], it)
    ids = [p.exercise.id for p in plan.exercises]
    assert ids[:4] == ["oa_neuromuscular", "sit_to_stand", "side_lying_hip_abduction", "oa_aerobic"]
    assert plan.education[-1].id == "osteoarthritis" and plan.education[0].id == "load"
    assert plan.pathways[0].title == "Osteoarthritis pathway" and "OARSI 2019" in plan.pathways[0].source
    assert plan.weeks == 6


def test_tendon_pathway_starts_isometric(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(known_diagnosis="patellar_tendinopathy", self_tests={})
    plan = _plan([], it)
    wall = next(p for p in plan.exercises if p.exercise.id == "wall_sit")
    assert wall.exercise.dosage.hold_s == 45 and wall.exercise.dosage.sets == 4  # Malliaras 2015
    assert "Malliaras 2015" in plan.pathways[0].source


def test_at_most_six_exercises_and_no_repeats(m: Make, ms: Make, make_intake: Callable[..., Intake]) -> None:
    it = make_intake(
        known_diagnosis="osteoarthritis",
        self_tests={"sit_to_stand_reps": {"left": 15, "right": 9}, "bridge_reps": {"left": 12, "right": 12}},
    )
    sets = [
        ms("single_leg_squat", m("single_leg_squat.fppa_peak", 22.0, "deg", side="left")),
        ms("knee_to_wall", m("knee_to_wall.tibia_angle", 30.0, "deg", side="left")),
        self_test_measures(it),
    ]
    plan = _plan(sets, it)
    ids = [p.exercise.id for p in plan.exercises]
    assert len(ids) <= 6 and len(ids) == len(set(ids))


@pytest.mark.parametrize("diagnosis", ["none", "osteoarthritis", "patellar_tendinopathy", "itb_syndrome"])
def test_plan_text_is_not_diagnostic(make_intake: Callable[..., Intake], diagnosis: str) -> None:
    it = make_intake(known_diagnosis=diagnosis)
    plan = _plan([self_test_measures(it)], it, cadence=160.0)
    texts = [p.why for p in plan.exercises] + [plan.pain_rule]
    texts += [pt for pw in plan.pathways for pt in pw.points]
    if plan.running:
        texts += plan.running.weeks + plan.running.load_advice
    texts += [step for e in exercise_library().exercises for step in e.how_to]
    for text in texts:
        for phrase in DIAGNOSTIC_PHRASES:
            assert phrase not in text.lower(), (phrase, text)


def test_high_irritability_holds_the_learn_dose_longer(make_intake: Callable[..., Intake]) -> None:
    calm = make_intake(self_tests={}, irritability="low")
    irritable = make_intake(self_tests={}, irritability="high")
    p_calm, p_irr = _plan([], calm), _plan([], irritable)
    assert [w.phase for w in p_calm.exercises[0].weeks][:4] == ["Learn", "Learn", "Build", "Build"]
    assert [w.phase for w in p_irr.exercises[0].weeks] == ["Learn"] * 4 + ["Build"] * 2 + ["Progress"] * 2
    assert any("High irritability" in c for c in p_irr.conventions)
    assert not any("High irritability" in c for c in p_calm.conventions)
