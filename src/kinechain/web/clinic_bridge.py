"""The clinic layer as the web app sees it: intake, findings, plan, assessment PDF, SDDs.

Findings and the plan come from ``kinechain.clinic``; the PDF from ``kinechain.report.assessment``.
When they cannot be produced for an assessment yet (no analysed clip, no intake), the function
says so in one sentence and the page shows that sentence instead of inventing content. Typed
end to end: no ``Any`` at this boundary.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from kinechain.clinic.assessment import Assessment as ClinicAssessment
from kinechain.clinic.findings import assess_findings
from kinechain.clinic.intake import Intake, intake_problems
from kinechain.clinic.knowledge import knowledge
from kinechain.clinic.plan import make_plan
from kinechain.errors import KinechainError
from kinechain.model.findings import Findings
from kinechain.model.plan import Plan
from kinechain.model.result import AnalysisResult

if TYPE_CHECKING:
    from kinechain.model.result import Analysis

#: A stored intake record, as the database's JSON column holds it.
IntakeRecord = Mapping[str, object]
T = TypeVar("T")


@dataclass(frozen=True)
class SDDInfo:
    """A measure's smallest detectable difference, with its source."""

    value: float
    citation: str
    strength: str
    #: A value at foot contact: not compared between clips filmed below 60 fps.
    timing: bool = False


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """Something the clinic layer produced, or the sentence saying why it is not available."""

    value: T | None = None
    missing: str | None = None


def sdd_for(measure_id: str) -> SDDInfo | None:
    """Return the smallest detectable difference of a measure from the knowledge base, or None."""
    for rule in knowledge().rules:
        if rule.sdd is not None and measure_id in rule.measures:
            return SDDInfo(float(rule.sdd.value), rule.sdd.citation, rule.sdd.strength, rule.timing)
    return None


def parse_intake(data: IntakeRecord) -> Intake:
    """Validate an intake record; KinechainError naming every problem at once."""
    problems = intake_problems(dict(data))
    if problems:
        raise KinechainError(
            f"the intake is not complete ({'; '.join(problems)}); correct it and save again."
        )
    return Intake.model_validate(data)


def _record(results: Sequence[AnalysisResult], intake: IntakeRecord) -> ClinicAssessment:
    return ClinicAssessment(intake=parse_intake(intake), results=list(results))


def findings(results: Sequence[AnalysisResult], intake: IntakeRecord | None) -> Outcome[Findings]:
    """Return the findings of an assessment's analysed clips plus its intake, or why there are none."""
    if intake is None:
        return Outcome(
            missing="Findings are not available for this assessment yet: fill in the intake first."
        )
    if not results:
        return Outcome(
            missing="Findings are not available yet: no clip of this assessment has been analysed."
        )
    record = _record(results, intake)
    return Outcome(value=assess_findings(record.measure_sets(), record.intake))


def _cadence(results: Sequence[AnalysisResult]) -> float | None:
    for r in results:
        m = r.measure("running.cadence")
        if m is not None and m.value is not None:
            return m.value
    return None


def plan(
    findings_value: Findings | None,
    results: Sequence[AnalysisResult],
    intake: IntakeRecord | None,
    edits: Mapping[str, object] | None = None,
) -> Outcome[Plan]:
    """Return the plan for computed findings, with the clinician's stored edits, or why there is none.

    A plan stopped by a red flag stays stopped: the edits wait until the referral is done.
    """
    if findings_value is None or intake is None:
        return Outcome(missing="The exercise plan follows the findings, which are not available yet.")
    from kinechain.clinic.plan_edit import PlanFile, apply_plan_file

    record = parse_intake(intake)
    generated = make_plan(findings_value, record, cadence=_cadence(results))
    if edits is None or generated.stopped:
        return Outcome(value=generated)
    return Outcome(value=apply_plan_file(generated, PlanFile.model_validate(edits), record))


def pdf_available(results: Sequence[AnalysisResult], intake: IntakeRecord | None) -> Outcome[bool]:
    """Return whether the assessment PDF can be produced, or why not."""
    if intake is None or not results:
        return Outcome(missing="The PDF report needs the intake and at least one analysed clip.")
    return Outcome(value=True)


def assessment_pdf(
    results: Sequence[AnalysisResult],
    intake: IntakeRecord,
    clips: Sequence[Analysis | None],
    clinic: Mapping[str, str],
    *,
    evidence_url: str | None = None,
    plan_edits: Mapping[str, object] | None = None,
) -> bytes:
    """Return the assessment report as PDF bytes (findings, plan, key frames of the given clips).

    Parameters
    ----------
    results : sequence of AnalysisResult
        The analysed clips' results, in trial order.
    intake : mapping
        The stored intake record.
    clips : sequence of Analysis or None
        The analyses rebuilt from stored keypoints (for key frames and plots), one per result.
    clinic : mapping
        Name and e-mail of the clinic for the report's contact block.
    evidence_url : str, optional
        Absolute address of the web app's evidence page, which the report links.
    plan_edits : dict, optional
        The clinician's stored plan edits and sign-off (``kinechain.plan/1``).
    """
    from kinechain.clinic.plan_edit import PlanFile
    from kinechain.report.assessment import ClinicInfo, write_assessment_report

    edits = PlanFile.model_validate(plan_edits) if plan_edits is not None else None

    with tempfile.TemporaryDirectory(prefix="kinechain-pdf-") as tmp:
        out = Path(tmp) / "assessment.pdf"
        write_assessment_report(
            _record(results, intake),
            pdf=out,
            clips=clips,
            clinic=ClinicInfo(**clinic),
            evidence_url=evidence_url,
            plan_edits=edits,
        )
        return out.read_bytes()
