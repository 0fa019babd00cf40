"""The clinic layer as the web app sees it: intake, findings, plan, assessment PDF, SDDs.

Findings and the plan come from ``kinechain.clinic``; the PDF from ``kinechain.report.assessment``.
When they cannot be produced for an assessment (no analysed clip yet, no intake yet, or a part
not installed), the function says so in one sentence and the page shows that sentence instead of
inventing content.
"""

from __future__ import annotations

import importlib.util
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kinechain.errors import KinechainError
from kinechain.model.result import AnalysisResult


@dataclass(frozen=True)
class SDDInfo:
    """A measure's smallest detectable difference, with its source."""

    value: float
    citation: str
    strength: str
    #: A value at foot contact: not compared between clips filmed below 60 fps.
    timing: bool = False


@dataclass(frozen=True)
class Outcome:
    """Something the clinic layer produced, or the sentence saying why it is not available."""

    value: Any = None
    missing: str | None = None


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def clinic_available() -> bool:
    """Return True when the findings and plan modules are installed."""
    return all(_has(f"kinechain.clinic.{m}") for m in ("findings", "plan", "intake", "assessment"))


def sdd_for(measure_id: str) -> SDDInfo | None:
    """Return the smallest detectable difference of a measure from the knowledge base, or None."""
    if not _has("kinechain.clinic.knowledge"):
        return None
    from kinechain.clinic.knowledge import knowledge

    for rule in knowledge().rules:
        if rule.sdd is not None and measure_id in rule.measures:
            return SDDInfo(float(rule.sdd.value), rule.sdd.citation, rule.sdd.strength, rule.timing)
    return None


def parse_intake(data: dict[str, Any]) -> Any:
    """Validate an intake record; KinechainError naming every problem at once."""
    from kinechain.clinic.intake import Intake, intake_problems

    problems = intake_problems(data)
    if problems:
        raise KinechainError(
            f"the intake is not complete ({'; '.join(problems)}); correct it and save again."
        )
    return Intake.model_validate(data)


def _record(results: list[AnalysisResult], intake: dict[str, Any]) -> Any:
    from kinechain.clinic.assessment import Assessment

    return Assessment(intake=parse_intake(intake), results=results)


def findings(results: list[AnalysisResult], intake: dict[str, Any] | None) -> Outcome:
    """Return the findings of an assessment's analysed clips plus its intake, or why there are none."""
    if not clinic_available():
        return Outcome(
            missing="Findings are not available for this assessment yet: this version of kinechain has "
            "no findings module (kinechain.clinic)."
        )
    if intake is None:
        return Outcome(
            missing="Findings are not available for this assessment yet: fill in the intake first."
        )
    if not results:
        return Outcome(
            missing="Findings are not available yet: no clip of this assessment has been analysed."
        )
    from kinechain.clinic.findings import assess_findings
    from kinechain.clinic.intake import Intake

    record = _record(results, intake)
    found = assess_findings(record.measure_sets(), record.intake)
    assert isinstance(record.intake, Intake)
    return Outcome(value=found)


def _cadence(results: list[AnalysisResult]) -> float | None:
    for r in results:
        m = r.measure("running.cadence")
        if m is not None and m.value is not None:
            return m.value
    return None


def plan(
    findings_value: Any,
    results: list[AnalysisResult],
    intake: dict[str, Any] | None,
    edits: dict[str, Any] | None = None,
) -> Outcome:
    """Return the plan for computed findings, with the clinician's stored edits, or why there is none.

    A plan stopped by a red flag stays stopped: the edits wait until the referral is done.
    """
    if findings_value is None or intake is None:
        return Outcome(missing="The exercise plan follows the findings, which are not available yet.")
    from kinechain.clinic.plan import make_plan
    from kinechain.clinic.plan_edit import PlanFile, apply_plan_file

    record = parse_intake(intake)
    generated = make_plan(findings_value, record, cadence=_cadence(results))
    if edits is None or generated.stopped:
        return Outcome(value=generated)
    return Outcome(value=apply_plan_file(generated, PlanFile.model_validate(edits), record))


def pdf_available(results: list[AnalysisResult], intake: dict[str, Any] | None) -> Outcome:
    """Return whether the assessment PDF can be produced, or why not."""
    if not (_has("kinechain.report.assessment") and clinic_available()):
        return Outcome(
            missing="The PDF report is not available yet: this version of kinechain has no assessment "
            "report module (kinechain.report.assessment)."
        )
    if intake is None or not results:
        return Outcome(missing="The PDF report needs the intake and at least one analysed clip.")
    return Outcome(value=True)


def assessment_pdf(
    results: list[AnalysisResult],
    intake: dict[str, Any],
    clips: list[Any],
    clinic: dict[str, str],
    *,
    evidence_url: str | None = None,
    plan_edits: dict[str, Any] | None = None,
) -> bytes:
    """Return the assessment report as PDF bytes (findings, plan, key frames of the given clips).

    Parameters
    ----------
    results : list of AnalysisResult
        The analysed clips' results, in trial order.
    intake : dict
        The stored intake record.
    clips : list of Analysis or None
        The analyses rebuilt from stored keypoints (for key frames and plots), one per result.
    clinic : dict
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
