"""A clip that was not the declared test (gate off) gives no finding and names what to film."""

from pathlib import Path

from kinechain.clinic.assessment import Assessment
from kinechain.clinic.findings import assess_findings
from kinechain.pipeline import analyze

DATA = Path(__file__).resolve().parents[1] / "data"
WALK_AND_JACKS = DATA / "protocols" / "keypoints" / "demo.mediapipe-full.json"
RUNNING = DATA / "video" / "male_side.mediapipe-full.json"


def test_a_walking_clip_declared_as_running_gives_no_finding_and_names_the_missing_test(make_intake):
    walking = analyze(None, keypoints=WALK_AND_JACKS, test="running", view="side", quality_gate=False).result
    assert walking.refusals() and "declared as running" in walking.refusals()[0]
    found = assess_findings(Assessment(intake=make_intake(), results=[walking]).measure_sets(), make_intake())
    running_ids = {m.id for m in walking.measures}
    for factor in found.factors:
        assert not any(e.measure_id in running_ids for e in factor.evidence), factor.factor
    refused = [n for n in found.not_measurable if "refused before measuring" in n.reason]
    assert refused and all("film" in n.reason for n in refused)
    assert {n.test for n in refused} == {"Running"}


def test_a_clip_of_the_declared_test_is_interpreted(make_intake):
    running = analyze(None, keypoints=RUNNING, test="running", view="side").result
    assert running.refusals() == []
    found = assess_findings(Assessment(intake=make_intake(), results=[running]).measure_sets(), make_intake())
    assert any(e.measure_id == "running.cadence" for f in found.factors for e in f.evidence)
