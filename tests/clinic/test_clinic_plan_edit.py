"""A clinician edits and signs the plan in its file format (issue 15)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from kinechain.cli import app
from kinechain.clinic.assessment import Assessment
from kinechain.clinic.findings import assess_findings
from kinechain.clinic.intake import Intake
from kinechain.clinic.plan import make_plan
from kinechain.clinic.plan_edit import (
    PlanFile,
    apply_plan_file,
    load_plan_file,
    plan_file,
    save_plan_file,
    sign,
)
from kinechain.errors import InputError
from kinechain.model.plan import Plan
from kinechain.report.assessment import build_context, render_assessment_html

WHEN = datetime(2025, 3, 4, 9, 30, tzinfo=timezone.utc)


def _plan(it: Intake) -> Plan:
    return make_plan(assess_findings([], it), it)


def test_generated_plan_round_trips(tmp_path: Path, make_intake: Callable[..., Intake]) -> None:
    it = make_intake(self_tests={})
    plan = _plan(it)
    path = save_plan_file(plan_file(plan), tmp_path / "plan.yaml")
    loaded = load_plan_file(path)
    assert [i.id for i in loaded.items] == [p.exercise.id for p in plan.exercises]
    same = apply_plan_file(plan, loaded, it)
    assert [p.weeks for p in same.exercises] == [p.weeks for p in plan.exercises]
    assert not any(p.edited or p.added_by_clinician for p in same.exercises)


def test_edit_order_dose_notes_add_remove(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(self_tests={})
    plan = _plan(it)
    first, second = plan.exercises[0].exercise.id, plan.exercises[1].exercise.id
    doc = {
        "items": [
            {"id": "calf_raise", "note": "for the Achilles"},  # added
            {"id": second, "sets": 4, "reps": 6, "rest_s": 120, "intensity": "RPE 8 of 10"},
            {"id": first},
        ],  # every other generated exercise removed
        "notes": "Seen in clinic; progress weekly.",
    }
    edited = apply_plan_file(plan, PlanFile.model_validate(doc), it)
    assert [p.exercise.id for p in edited.exercises] == ["calf_raise", second, first]
    added, dosed, kept = edited.exercises
    assert (
        added.added_by_clinician
        and added.clinician_note == "for the Achilles"
        and added.why == "Added by the clinician."
    )
    assert dosed.edited and dosed.weeks[0].dose.startswith("4 sets of 6 at RPE 8 of 10, rest 120 s")
    assert dosed.weeks[2].dose.startswith("5 sets of 6")  # the schedule still adds its set in weeks 3-4
    assert not kept.edited and kept.weeks == plan.exercises[0].weeks
    assert edited.clinician_notes == "Seen in clinic; progress weekly." and edited.signed_by is None


def test_signature_is_shown_and_guards_the_content(
    tmp_path: Path, make_intake: Callable[..., Intake]
) -> None:
    it = make_intake(self_tests={})
    plan = _plan(it)
    signed = sign(plan_file(plan), "A. Physio, physiotherapist", at=WHEN)
    path = save_plan_file(signed, tmp_path / "plan.yaml")
    final = apply_plan_file(plan, load_plan_file(path), it)
    assert final.signed_by == "A. Physio, physiotherapist" and final.signed_at == WHEN
    a = Assessment(intake=it)
    html = render_assessment_html(build_context(a, assess_findings([], it), final))
    assert "Reviewed and signed by A. Physio, physiotherapist on 2025-03-04 09:30 UTC" in html
    # a change after signing is refused until signed again
    doc: dict[str, Any] = yaml.safe_load(path.read_text())
    doc["items"][0]["sets"] = 9
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError, match=r"changed after A\. Physio, physiotherapist signed it"):
        load_plan_file(path)
    resigned = sign(load_plan_file(path, check_signature=False), "B. Doctor", at=WHEN)
    assert resigned.content_sha256 == resigned.digest() and resigned.items[0].sets == 9


def test_unsigned_plan_says_so(make_intake: Callable[..., Intake]) -> None:
    it = make_intake(self_tests={})
    html = render_assessment_html(build_context(Assessment(intake=it), assess_findings([], it), _plan(it)))
    assert "has not been reviewed and signed by a clinician" in html


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"items": [{"id": "moon_walk"}]}, "unknown exercise 'moon_walk'"),
        ({"items": [{"id": "bridge"}, {"id": "bridge"}]}, "listed twice"),
        ({"items": [{"id": "bridge"}], "signed_by": "Me"}, "signed_by and signed_at go together"),
        ({"items": [{"id": "bridge", "sets": 0}]}, r"items\.0\.sets"),
        ({"items": []}, "items"),
    ],
)
def test_bad_plan_files_are_refused(tmp_path: Path, doc: dict[str, Any], message: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(InputError, match=message):
        load_plan_file(path)


def test_an_edit_cannot_restart_a_stopped_plan(
    make_intake: Callable[..., Intake], intake_doc: dict[str, Any]
) -> None:
    it = make_intake(red_flags={**intake_doc["red_flags"], "locked_knee": True})
    stopped = _plan(it)
    with pytest.raises(InputError, match="stopped by a red flag"):
        apply_plan_file(stopped, PlanFile.model_validate({"items": [{"id": "bridge"}]}), it)


def test_cli_sign_plan(tmp_path: Path, make_intake: Callable[..., Intake]) -> None:
    it = make_intake(self_tests={})
    path = save_plan_file(plan_file(_plan(it)), tmp_path / "plan.yaml")
    res = CliRunner().invoke(app, ["sign-plan", str(path), "--by", "A. Physio"])
    assert res.exit_code == 0, res.output
    loaded = load_plan_file(path)
    assert loaded.signed_by == "A. Physio" and loaded.signed_at is not None
    cmd = [sys.executable, "-m", "kinechain", "sign-plan", str(tmp_path / "none.yaml"), "--by", "A. Physio"]
    bad = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "cannot be read" in bad.stdout + bad.stderr
    assert "Traceback" not in bad.stdout + bad.stderr
