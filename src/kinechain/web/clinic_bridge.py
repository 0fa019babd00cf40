"""The clinic layer as the web app sees it: findings, plan, assessment PDF, smallest detectable differences.

These come from ``kinechain.clinic`` and ``kinechain.report.assessment``. When a part is not
installed in this version (or cannot be computed for an assessment), the function says so in one
sentence and the page shows that sentence instead of inventing content.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Any

from kinechain.model.result import AnalysisResult


@dataclass(frozen=True)
class SDDInfo:
    """A measure's smallest detectable difference, with its source."""

    value: float
    citation: str
    strength: str


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


def sdd_for(measure_id: str) -> SDDInfo | None:
    """Return the smallest detectable difference of a measure from the clinic knowledge base, or None."""
    if not _has("kinechain.clinic.knowledge"):
        return None
    from kinechain.clinic.knowledge import knowledge

    for rule in getattr(knowledge(), "rules", []):
        sdd = getattr(rule, "sdd", None)
        if sdd is not None and measure_id in getattr(rule, "measures", []):
            return SDDInfo(float(sdd.value), str(sdd.citation), str(sdd.strength))
    return None


def findings(results: list[AnalysisResult], intake: dict[str, Any] | None) -> Outcome:
    """Return findings of an assessment's analysed clips plus its intake, or why there are none."""
    if not results:
        return Outcome(
            missing="Findings are not available yet: no clip of this assessment has been analysed."
        )
    if not (_has("kinechain.clinic.findings") and _has("kinechain.clinic.intake")):
        return Outcome(
            missing="Findings are not available for this assessment yet: this version of kinechain has "
            "no findings module (kinechain.clinic)."
        )
    return _findings(results, intake)


def _findings(results: list[AnalysisResult], intake: dict[str, Any] | None) -> Outcome:
    from kinechain.clinic.findings import assess_findings
    from kinechain.clinic.intake import Intake

    from kinechain.model.measures import MeasureSet

    if intake is None:
        return Outcome(missing="Findings need the intake (pain, red flags); fill in the intake form first.")
    sets = [MeasureSet(test=r.test, view=r.view.view, measures=r.measures) for r in results]
    return Outcome(value=assess_findings(sets, Intake.model_validate(intake)))


def plan(findings_value: Any) -> Outcome:
    """Return the exercise plan for computed findings, or why there is none."""
    if findings_value is None:
        return Outcome(missing="The exercise plan follows the findings, which are not available yet.")
    if not _has("kinechain.clinic.plan"):
        return Outcome(
            missing="The exercise plan is not available for this assessment yet: this version of "
            "kinechain has no plan module (kinechain.clinic.plan)."
        )
    from kinechain.clinic.plan import make_plan

    return Outcome(value=make_plan(findings_value))


def pdf_available() -> Outcome:
    """Whether the assessment PDF can be produced by this version."""
    if _has("kinechain.report.assessment"):
        return Outcome(value=True)
    return Outcome(
        missing="The PDF report is not available yet: this version of kinechain has no assessment "
        "report module (kinechain.report.assessment)."
    )


def assessment_pdf(results: list[AnalysisResult], intake: dict[str, Any] | None) -> bytes:
    """Return the assessment PDF; NotImplementedError while this version has no PDF writer."""
    available = pdf_available()
    if available.missing:
        raise NotImplementedError(available.missing)
    raise NotImplementedError("the assessment PDF writer's interface is not connected yet.")


def trial_report_available() -> bool:
    """Return True when the per-clip HTML report writer (kinechain.report.html) is installed."""
    return _has("kinechain.report.html")
