"""The shared report: what a share link shows, built field by field (an allow-list).

A share link is opened by someone signed out, so it gets only what the athlete's report shows:
findings, the exercise plan and each clip's measures. The clinician's notes, the intake answers,
row and file ids, file names and paths are never copied into it. The page (``shared.html``) and
the JSON answer (``GET /api/v1/share/{token}``) are both rendered from this one object.
"""

from __future__ import annotations

from kinechain.model.findings import Findings
from kinechain.model.plan import Plan
from kinechain.model.result import AnalysisResult
from kinechain.store.models import Assessment, Trial
from kinechain.store.redact import strip_paths
from kinechain.web import clinic_bridge
from kinechain.web.api.schemas import (
    SharedClip,
    SharedExercise,
    SharedFactor,
    SharedMeasure,
    SharedReport,
)
from kinechain.web.views import job_text, measure_rows, result_of


def _measures(result: AnalysisResult) -> list[SharedMeasure]:
    return [
        SharedMeasure(
            name=m.name,
            side=m.side,
            value=m.value,
            unit=m.unit,
            spread=m.spread,
            steps=m.n,
            confidence=m.confidence_label,
            category=m.category,
            measurable=m.measurable,
            reason=strip_paths(m.reason) if m.reason else None,
        )
        for m in measure_rows(result)
    ]


def _clip(trial: Trial, result: AnalysisResult | None) -> SharedClip:
    if result is None:
        return SharedClip(test=trial.test, view=trial.view, status=job_text(trial.job))
    return SharedClip(
        test=trial.test,
        view=trial.view,
        status="analysed",
        measures=_measures(result),
        warnings=[strip_paths(w) for w in result.warnings],
    )


def _factors(found: Findings) -> list[SharedFactor]:
    return [
        SharedFactor(
            title=f.title,
            status=f.status,
            confidence=f.confidence_label,
            headline=f.headline or None,
            evidence=[
                f"{e.sentence}: {e.band} ({e.citation} [{e.strength}])"
                for e in f.evidence
                if e.band in ("notable", "borderline")
            ],
        )
        for f in found.factors
        if f.status != "not_assessed"
    ]


def _plan(plan: Plan) -> list[SharedExercise]:
    return [
        SharedExercise(name=e.exercise.name, dose=e.weeks[0].dose if e.weeks else "", why=e.why)
        for e in plan.exercises
    ]


def shared_report(assessment: Assessment) -> SharedReport:
    """Return what a share link of this assessment shows.

    Parameters
    ----------
    assessment : Assessment
        The shared assessment (the caller has checked the link is live).
    """
    pairs = [(t, result_of(t)) for t in assessment.trials]
    results = [r for _, r in pairs if r is not None]
    found = clinic_bridge.findings(results, assessment.intake)
    plan = clinic_bridge.plan(found.value, results, assessment.intake, assessment.plan_edits)
    report = SharedReport(
        athlete=assessment.athlete.name,
        date=assessment.date,
        findings_missing=found.missing,
        plan_missing=plan.missing,
        clips=[_clip(t, r) for t, r in pairs],
    )
    if found.value is not None and found.value.stopped:
        report.stopped = found.value.stop_message
    elif found.value is not None:
        report.findings = _factors(found.value)
        report.plan = _plan(plan.value) if plan.value is not None and not plan.value.stopped else []
    return report
