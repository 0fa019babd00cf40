"""Reassessment: compare two assessments of one person.

A change in a measure counts as real only when it is larger than the measure's smallest
detectable difference (SDD/MDC) from ``rules.yaml`` and also larger than this video's own noise:
twice the standard error of the difference of the two means, from their step-to-step or
rep-to-rep spread (a statistical convention, since a published SDD comes from other cameras and
protocols). Otherwise it is "within measurement error". Values at the instant of foot contact
(rules marked ``timing: true``) are not judged when either clip was filmed below 60 fps: one
frame then moves them by more than their SDD (docs/measures.md). Measures without a published SDD
get no verdict. A change is never called real when the two clips of a test were analysed with
different pose models or filmed at different frame rates: the difference could come from the
method, not the person ("not judged").

Outcomes use their minimal clinically important difference (MCID) beside the SDD: pain (NPRS) the
minimal important change of 1 point or 15%, "much" at 2 points or 33% (Salaffi 2004); PSFS 2
points per activity (clinical convention: named in issue 15, not in clinical-evidence.md);
KOOS-PF 16.4 points (MIC; MDC 16; Crossley 2018); AKPS no cited MCID, shown without a verdict.
"""

from __future__ import annotations

import numpy as np

from kinechain.clinic.assessment import Assessment
from kinechain.clinic.explain import cite
from kinechain.clinic.intake import self_test_measures
from kinechain.clinic.knowledge import Knowledge, knowledge
from kinechain.clinic.strength import dynamometer_measures
from kinechain.model.measures import Measure
from kinechain.model.progress import Change, PainChange, Progress, PsfsChange, ScoreChange, Verdict
from kinechain.model.result import AnalysisResult

#: Frame rates (fps) closer than this are the same setting (29.97 and 30 are one frame rate).
SAME_FPS_TOLERANCE = 0.5

#: Frame rate (fps) below which values at foot contact are not compared (the capture advice).
TIMING_FPS = 60.0


def sdd_verdict(before: float, after: float, sdd: float | None, direction: str) -> Verdict:
    """Judge a change against the smallest detectable difference.

    A change is real only when its size is strictly larger than ``sdd``. ``direction`` is the
    rule's ("higher_is_worse", "lower_is_worse" or "none").
    """
    if sdd is None:
        return "no smallest detectable difference known"
    delta = round(after - before, 9)  # so that a change of exactly the SDD is not called real by rounding
    if abs(delta) <= sdd:
        return "within measurement error"
    if direction == "none":
        return "real change"
    better = delta < 0 if direction == "higher_is_worse" else delta > 0
    return "real improvement" if better else "real worsening"


def pain_verdict(before: int, after: int, *, kb: Knowledge | None = None) -> str:
    """Minimal important change of the 0-10 pain score (Salaffi 2004): 1 point or 15%."""
    spec = (kb or knowledge()).patient_reported["pain_nprs"]
    mic, much = spec["minimal_important_change"], spec["much_better"]
    delta = after - before
    rel = 100 * abs(delta) / before if before else 0.0  # from 0 only the points criterion applies
    word = "better" if delta < 0 else "worse"
    if delta and (abs(delta) >= much["points"] or rel >= much["percent"]):
        return f"much {word} (at least {much['points']} points or {much['percent']}%)"
    if delta and (abs(delta) >= mic["points"] or rel >= mic["percent"]):
        return f"{word} by at least the minimal important change ({mic['points']} point or {mic['percent']}%)"
    return "no important change"


def noise_of_difference(before: tuple[float | None, int], after: tuple[float | None, int]) -> float | None:
    """Twice the standard error of the difference of two means, each given as (SD, n).

    None when either side has no spread or fewer than 2 cycles (nothing to estimate it from).
    """
    (sb, nb), (sa, na) = before, after
    if sb is None or sa is None or nb < 2 or na < 2:
        return None
    return 2.0 * float(np.sqrt(sb**2 / nb + sa**2 / na))


def below_timing_fps(*fps: float | None) -> bool:
    """Whether any clip's frame rate (None: unknown, e.g. self-tests) is below :data:`TIMING_FPS`."""
    return any(f is not None and f < TIMING_FPS for f in fps)


def judge(
    before: float,
    after: float,
    sdd: float | None,
    direction: str,
    *,
    noise: float | None = None,
    low_fps_timing: bool = False,
) -> Verdict:
    """:func:`sdd_verdict` with this video's own noise and the frame-rate rule (module docstring)."""
    if sdd is not None and low_fps_timing:
        return "not judged: filmed below 60 fps"
    threshold = max(sdd, noise) if sdd is not None and noise is not None else sdd
    return sdd_verdict(before, after, threshold, direction)


def pose_model(result: AnalysisResult) -> str:
    """Return the pose model a clip was analysed with (replayed keypoints count as their model)."""
    pose = result.settings.get("pose") if isinstance(result.settings.get("pose"), dict) else None
    model = pose.get("model") if pose else None
    return str(model) if model else result.pose_source.removeprefix("replay:")


def method_difference(before: AnalysisResult | None, after: AnalysisResult | None) -> Verdict | None:
    """Why two clips of one test cannot be compared (pose model or frame rate), or None."""
    if before is None or after is None:
        return None
    if pose_model(before) != pose_model(after):
        return "not judged: different pose models"
    fb = before.clip.fps if before.clip is not None else None
    fa = after.clip.fps if after.clip is not None else None
    if fb is not None and fa is not None and abs(fb - fa) > SAME_FPS_TOLERANCE:
        return "not judged: different frame rates"
    return None


#: A measure with the clip it came from (None for intake entries: self-tests, dynamometry).
Sourced = tuple[Measure, AnalysisResult | None]


def _measures(a: Assessment) -> dict[tuple[str, str], Sourced]:
    """Each measurable measure by (id, side), with its clip's result (None: entered in the intake)."""
    entered = [*self_test_measures(a.intake).measures, *dynamometer_measures(a.intake).measures]
    out: dict[tuple[str, str], Sourced] = {(m.id, m.side): (m, None) for m in entered}
    for r in a.results:
        out.update({(m.id, m.side): (m, r) for m in r.measures})
    return {k: v for k, v in out.items() if v[0].measurable and v[0].value is not None}


def _change(before: Sourced, after: Sourced, kb: Knowledge) -> Change:
    """One measure's change, judged (module docstring); each side is (measure, its clip's result)."""
    (b, rb), (a, ra) = before, after
    rule = kb.rule_for(b.id, b.unit)
    sdd = rule.sdd if rule is not None else None
    assert b.value is not None and a.value is not None
    fps = [r.clip.fps if r is not None and r.clip is not None else None for r in (rb, ra)]
    low_fps = below_timing_fps(*fps)
    noise = noise_of_difference((b.spread, b.n), (a.spread, a.n))
    verdict = method_difference(rb, ra) or judge(
        b.value,
        a.value,
        sdd.value if sdd else None,
        rule.direction if rule else "none",
        noise=noise,
        low_fps_timing=low_fps and rule is not None and rule.timing,
    )
    return Change(
        measure_id=b.id,
        name=b.name,
        side=b.side,
        unit=b.unit,
        before=b.value,
        after=a.value,
        change=a.value - b.value,
        sdd=sdd.value if sdd else None,
        sdd_source=cite(sdd.citation, sdd.strength) if sdd else None,
        verdict=verdict,
    )


def psfs_verdict(before: int, after: int, *, kb: Knowledge | None = None) -> str:
    """PSFS activity change against its MCID (2 points; clinical convention, see the docstring)."""
    mcid = (kb or knowledge()).patient_reported["psfs"]["mcid_points"]
    delta = after - before
    if abs(delta) >= mcid:
        return f"{'better' if delta > 0 else 'worse'} by at least the MCID ({mcid} points)"
    return f"no important change (less than the MCID of {mcid} points)"


def score_change(label: str, key: str, before: float, after: float, kb: Knowledge) -> ScoreChange:
    """Judge a 0-100 score total's change (higher is better) against its MCID, when one is cited."""
    spec = kb.patient_reported[key]
    mcid = spec.get("mcid_points")
    delta = after - before
    if mcid is None:
        verdict = "no verdict: no cited minimal important change"
    elif abs(delta) >= mcid:
        verdict = f"{'better' if delta > 0 else 'worse'} by at least the MCID ({mcid:g} points)"
    else:
        verdict = f"no important change (less than the MCID of {mcid:g} points)"
    return ScoreChange(
        label=label,
        before=before,
        after=after,
        change=delta,
        mcid=mcid,
        verdict=verdict,
        source=cite(spec["citation"], spec["strength"]),
    )


def _scores(before: Assessment, after: Assessment, kb: Knowledge) -> list[ScoreChange]:
    out = []
    for key, label in (("koos_pf", "KOOS-PF total (0-100)"), ("akps", "AKPS total (0-100)")):
        b, a = getattr(before.intake, key), getattr(after.intake, key)
        if b is not None and a is not None:
            out.append(score_change(label, key, float(b), float(a), kb))
    return out


def _method_notes(before: Assessment, after: Assessment) -> list[str]:
    notes = []
    by_test = {r.test: r for r in before.results}
    for r in after.results:
        why = method_difference(by_test.get(r.test), r)
        if why is not None:
            notes.append(f"{r.test}: {why.removeprefix('not judged: ')}; no change in it is called real.")
    return notes


def compare(before: Assessment, after: Assessment, *, kb: Knowledge | None = None) -> Progress:
    """Compare two assessments of one person (``before`` is the earlier one)."""
    kb = kb or knowledge()
    mb, ma = _measures(before), _measures(after)
    common = [k for k in mb if k in ma]
    changes = [_change(mb[k], ma[k], kb) for k in common]
    pain = [
        PainChange(label=label, before=b, after=a, change=a - b, verdict=pain_verdict(b, a, kb=kb))
        for label, b, a in (
            ("Pain now", before.intake.pain_now, after.intake.pain_now),
            ("Worst pain during running", before.intake.pain_worst_running, after.intake.pain_worst_running),
        )
    ]
    psfs_before = {p.activity.strip().lower(): p for p in before.intake.psfs}
    psfs = [
        PsfsChange(
            activity=p.activity,
            before=psfs_before[k].score,
            after=p.score,
            change=p.score - psfs_before[k].score,
            verdict=psfs_verdict(psfs_before[k].score, p.score, kb=kb),
        )
        for p in after.intake.psfs
        if (k := p.activity.strip().lower()) in psfs_before
    ]
    spec = kb.patient_reported["pain_nprs"]
    return Progress(
        before_date=before.date,
        after_date=after.date,
        changes=changes,
        pain=pain,
        psfs=psfs,
        only_before=sorted(f"{mid} ({side})" for mid, side in mb if (mid, side) not in ma),
        only_after=sorted(f"{mid} ({side})" for mid, side in ma if (mid, side) not in mb),
        pain_source=cite(spec["citation"], spec["strength"]),
        scores=_scores(before, after, kb),
        psfs_source=kb.patient_reported["psfs"]["mcid_source"],
        method_notes=_method_notes(before, after),
    )
