"""The assessment report (HTML and PDF) and the progress report of a reassessment.

One self-contained HTML file per assessment: summary first, then findings with their evidence,
measures with bands, key frames and plots, the plan with exercise descriptions and figures, a
disclaimer, and a configurable clinic block. The PDF is the same HTML printed by WeasyPrint.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, ValidationError

from kinechain._version import __version__
from kinechain.clinic.assessment import Assessment
from kinechain.clinic.explain import cite, not_measured_text
from kinechain.clinic.findings import assess_findings, format_value
from kinechain.clinic.intake_checks import contradictions, oa_criteria
from kinechain.clinic.knowledge import (
    EVIDENCE_FILE,
    STRENGTH_WORDS,
    Knowledge,
    evidence_text,
    exercise_library,
    figures,
    knowledge,
    red_flags,
    rule_notes,
)
from kinechain.clinic.plan import make_plan
from kinechain.clinic.plan_edit import PlanFile, apply_plan_file
from kinechain.clinic.strength import norm_statement
from kinechain.errors import InputError
from kinechain.model.findings import Findings, MeasureFinding
from kinechain.model.kinematics import Kinematics
from kinechain.model.plan import Plan, PlanExercise
from kinechain.model.pose import PoseSeries
from kinechain.model.progress import Progress
from kinechain.model.result import AnalysisResult
from kinechain.report.assessment_figures import (
    band_bar_svg,
    key_frames,
    per_cycle_plot,
    progress_plot,
    signal_plot,
    stick_figure_svg,
)

DISCLAIMER = (
    "kinechain is a screening and coaching aid, not a medical device and not a diagnosis. It "
    "measures movement from ordinary video, which has large measurement error; bands compare your "
    "values with published groups and say nothing certain about the cause of your pain. Use this "
    "report to talk with a physiotherapist or doctor. Stop the exercises and seek help if pain "
    "rises sharply, the knee swells, locks or gives way, or you feel unwell."
)


class ClipLike(Protocol):
    """What the report needs of an analysed clip (``kinechain.model.result.Analysis`` fits)."""

    @property
    def result(self) -> AnalysisResult:
        """The analysis record."""
        ...

    @property
    def pose(self) -> PoseSeries:
        """The cleaned landmarks."""
        ...

    @property
    def kinematics(self) -> Kinematics:
        """Signals and events."""
        ...

    @property
    def video(self) -> Path | None:
        """The source video, when there was one."""
        ...


class ClinicInfo(BaseModel):
    """The clinic block printed at the end of the report (all optional)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = ""
    phone: str = ""
    booking_url: str = ""
    email: str = ""
    invitation: str = (
        "A physiotherapist can look at these results with you, check what video cannot, and adapt "
        "the plan. Book a consultation:"
    )


def load_clinic(path: str | os.PathLike[str]) -> ClinicInfo:
    """Read a clinic block (YAML or JSON: name, phone, booking_url, email, invitation)."""
    p = Path(path)
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        return ClinicInfo.model_validate(doc)
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"the clinic file {p} cannot be read ({exc}); check the path.") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            f"the clinic file {p}: {'.'.join(str(x) for x in first['loc'])}: {first['msg']} "
            "(allowed: name, phone, booking_url, email, invitation)."
        ) from exc


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("kinechain.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["value"] = format_value
    env.filters["cite"] = cite
    env.filters["not_measured"] = not_measured_text
    return env


def _test_title(test: str, kb: Knowledge) -> str:
    return kb.tests[test].title if test in kb.tests else test


def _measure_rows(findings: Findings, test: str, sex: str | None, kb: Knowledge) -> list[dict[str, Any]]:
    rows = []
    for f in findings.measures:
        if f.test != test:
            continue
        rule = kb.rule_for(f.measure_id, f.unit)
        rows.append({"f": f, "bar": band_bar_svg(rule, f, sex) if rule is not None and f.band else ""})
    return rows


def _clip_section(
    result: AnalysisResult, clip: ClipLike | None, findings: Findings, sex: str | None, kb: Knowledge
) -> dict[str, Any]:
    title = kb.tests[result.test].title if result.test in kb.tests else result.test
    rows = _measure_rows(findings, result.test, sex, kb)
    banded: list[MeasureFinding] = [r["f"] for r in rows if r["f"].band is not None]
    plots = [p for p in (per_cycle_plot(banded, title),) if p]
    frames: list[tuple[str, str]] = []
    if clip is not None:
        side = result.view.view if result.view.view in ("left", "right") else None
        if side:
            plot = signal_plot(clip.kinematics, f"knee_flexion_{side}", f"Knee bend of the {side} (near) leg")
            plots += [plot] if plot else []
        if clip.video is not None and Path(clip.video).exists():
            frames = key_frames(Path(clip.video), clip.pose, clip.kinematics)
    missing = [m for m in result.measures if not m.measurable]
    return {
        "title": title,
        "view": result.view.view,
        "result": result,
        "rows": rows,
        "missing": missing,
        "plots": plots,
        "frames": frames,
    }


def _summary(findings: Findings) -> list[dict[str, Any]]:
    out = []
    for f in findings.flagged()[:3]:
        top = next((e for e in f.evidence if e.flagged), None)
        out.append({"f": f, "top": top})
    return out


def _phases(p: PlanExercise) -> list[dict[str, Any]]:
    """Consecutive weeks with the same phase and dose, as table rows."""
    rows: list[dict[str, Any]] = []
    for w in p.weeks:
        if rows and rows[-1]["phase"] == w.phase and rows[-1]["dose"] == w.dose:
            rows[-1]["last"] = w.week
            continue
        harder = w.variant != p.exercise.name
        rows.append({"first": w.week, "last": w.week, "phase": w.phase, "dose": w.dose, "harder": harder})
    return rows


def _exercise_cards(plan: Plan) -> list[dict[str, Any]]:
    figs = figures().figures
    return [
        {
            "p": p,
            "phases": _phases(p),
            "svg": stick_figure_svg(figs[p.exercise.figure], title=p.exercise.name)
            if p.exercise.figure in figs
            else "",
        }
        for p in plan.exercises
    ]


def _sources(findings: Findings, plan: Plan) -> list[str]:
    cites = {cite(e.citation, e.strength) for e in findings.measures}
    cites |= {
        cite(c.citation, c.strength)
        for f in findings.factors
        for c in f.caveats
        if f.status != "not_assessed"
    }
    cites |= {cite(link.citation, link.strength) for f in findings.factors for link in f.links}
    cites |= {cite(p.exercise.evidence.citation, p.exercise.evidence.strength) for p in plan.exercises}
    return sorted(cites)


def build_context(
    assessment: Assessment,
    findings: Findings,
    plan: Plan,
    *,
    clips: Sequence[ClipLike | None] = (),
    clinic: ClinicInfo | None = None,
    evidence_url: str | None = None,
) -> dict[str, Any]:
    """Everything the assessment template needs.

    ``evidence_url`` is where the evidence reference is served (the web app's page); without it the
    report links the copy written beside it.
    """
    kb = knowledge()
    sex = assessment.intake.sex_for_bands
    clip_list = list(clips) + [None] * (len(assessment.results) - len(clips))
    sections = [
        _clip_section(r, c, findings, sex, kb) for r, c in zip(assessment.results, clip_list, strict=True)
    ]
    self_rows = _measure_rows(findings, "self_tests", sex, kb)
    hhd_rows = _measure_rows(findings, "hhd", sex, kb)
    return {
        "a": assessment,
        "intake": assessment.intake,
        "findings": findings,
        "plan": plan,
        "summary": _summary(findings),
        "sections": sections,
        "self_rows": self_rows,
        "hhd_rows": hhd_rows,
        "hhd_missing": [n for n in findings.not_measurable if n.test == _test_title("hhd", kb)],
        "hhd_norm": norm_statement(assessment.intake) if assessment.intake.dynamometer else None,
        "cards": _exercise_cards(plan),
        "sources": _sources(findings, plan),
        "strength_words": STRENGTH_WORDS,
        "clinic": clinic or ClinicInfo(),
        "disclaimer": DISCLAIMER,
        "version": __version__,
        "kb": kb,
        "schedule": exercise_library().schedule,
        "red_flag_source": cite(red_flags().citation, red_flags().strength),
        "contradictions": contradictions(assessment.intake),
        "oa": oa_criteria(assessment.intake),
        "rule_notes": rule_notes(),
        "evidence_file": EVIDENCE_FILE,
        "evidence_url": evidence_url,
    }


def render_assessment_html(context: dict[str, Any]) -> str:
    """Render the assessment report HTML from :func:`build_context`'s context."""
    return _env().get_template("assessment.html").render(**context)


def html_to_pdf(html: str, path: str | os.PathLike[str]) -> Path:
    """Print report HTML to a PDF file with WeasyPrint."""
    from weasyprint import HTML

    p = Path(path)
    HTML(string=html, base_url=str(p.parent)).write_pdf(p)
    return p


def write_assessment_report(
    assessment: Assessment,
    *,
    html: str | os.PathLike[str] | None = None,
    pdf: str | os.PathLike[str] | None = None,
    clips: Sequence[ClipLike | None] = (),
    clinic: ClinicInfo | None = None,
    start: date | None = None,
    plan_edits: PlanFile | None = None,
    evidence_url: str | None = None,
) -> tuple[Findings, Plan]:
    """Run findings and plan for an assessment and write its HTML and/or PDF report.

    Parameters
    ----------
    assessment : Assessment
        The intake and the analysed clips' results.
    html, pdf : path, optional
        Where to write the HTML and PDF reports.
    clips : sequence of ClipLike or None
        The analysed clips in the order of ``assessment.results`` (for key frames and signal
        plots); None or missing entries give a report without them.
    clinic : ClinicInfo, optional
        The clinic block; a neutral invitation when None.
    start : date, optional
        First day of the plan (the assessment date by default).
    plan_edits : PlanFile, optional
        A clinician's edited (and possibly signed) plan, applied to the generated one.
    evidence_url : str, optional
        Absolute address of the served evidence reference (the web app's); by default the report
        links the copy written beside the HTML.

    Returns
    -------
    tuple of Findings and Plan
        What the report shows.
    """
    findings = assess_findings(assessment.measure_sets(), assessment.intake)
    cadence = next(
        (m.value for r in assessment.results if (m := r.measure("running.cadence")) and m.value is not None),
        None,
    )
    plan = make_plan(findings, assessment.intake, cadence=cadence, start=start)
    if plan_edits is not None:
        plan = apply_plan_file(plan, plan_edits, assessment.intake)
    context = build_context(assessment, findings, plan, clips=clips, clinic=clinic, evidence_url=evidence_url)
    text = render_assessment_html(context)
    if html is not None:
        Path(html).write_text(text, encoding="utf-8")
        (Path(html).parent / EVIDENCE_FILE).write_text(evidence_text(), encoding="utf-8")
    if pdf is not None:
        html_to_pdf(text, pdf)
    return findings, plan


def write_progress_report(
    progress: Progress,
    *,
    html: str | os.PathLike[str] | None = None,
    pdf: str | os.PathLike[str] | None = None,
    clinic: ClinicInfo | None = None,
) -> str:
    """Write the reassessment progress report (table and plot); returns the HTML."""
    context = {
        "progress": progress,
        "plot": progress_plot(progress.changes),
        "clinic": clinic or ClinicInfo(),
        "disclaimer": DISCLAIMER,
        "version": __version__,
    }
    text = _env().get_template("assessment_progress.html").render(**context)
    if html is not None:
        Path(html).write_text(text, encoding="utf-8")
    if pdf is not None:
        html_to_pdf(text, pdf)
    return text
