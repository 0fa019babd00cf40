"""Reassessment: compare two assessments of one person.

A change in a measure counts as real only when it is larger than the measure's smallest
detectable difference (SDD/MDC) from ``rules.yaml`` and also larger than this video's own noise:
twice the standard error of the difference of the two means, from their step-to-step or
rep-to-rep spread (a statistical convention, since a published SDD comes from other cameras and
protocols). Otherwise it is "within measurement error". Values at the instant of foot contact
(rules marked ``timing: true``) are not judged when either clip was filmed below 60 fps: one
frame then moves them by more than their SDD (docs/measures.md). Measures without a published SDD
get no verdict. Pain uses the minimal important change of the
NPRS (1 point or 15%; "much" at 2 points or 33%; Salaffi 2004). PSFS changes are shown without a
verdict (the reference gives no minimal important change for it).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from kinechain.clinic.assessment import Assessment
from kinechain.clinic.explain import cite
from kinechain.clinic.intake import self_test_measures
from kinechain.clinic.knowledge import Knowledge, knowledge
from kinechain.clinic.strength import dynamometer_measures
from kinechain.model.measures import Measure

Verdict = Literal[
    "real improvement",
    "real worsening",
    "real change",
    "within measurement error",
    "no smallest detectable difference known",
    "not judged: filmed below 60 fps",
]

#: Frame rate (fps) below which values at foot contact are not compared (the capture advice).
TIMING_FPS = 60.0


class Change(BaseModel):
    """The change of one measure (one side) between two assessments."""

    model_config = ConfigDict(frozen=True)

    measure_id: str
    name: str
    side: str
    unit: str
    before: float
    after: float
    change: float
    sdd: float | None
    sdd_source: str | None
    verdict: Verdict


class PainChange(BaseModel):
    """The change of a 0-10 pain score."""

    model_config = ConfigDict(frozen=True)

    label: str
    before: int
    after: int
    change: int
    verdict: str


class PsfsChange(BaseModel):
    """The change of one PSFS activity score (no verdict: no MIC in the reference)."""

    model_config = ConfigDict(frozen=True)

    activity: str
    before: int
    after: int
    change: int


class Progress(BaseModel):
    """Everything that changed between two assessments."""

    model_config = ConfigDict(frozen=True)

    before_date: date
    after_date: date
    changes: list[Change]
    pain: list[PainChange]
    psfs: list[PsfsChange]
    only_before: list[str]
    only_after: list[str]
    pain_source: str


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


def _measures(a: Assessment) -> dict[tuple[str, str], tuple[Measure, float | None]]:
    """Each measurable measure by (id, side), with the frame rate of its clip (None: self-tests)."""
    entered = [*self_test_measures(a.intake).measures, *dynamometer_measures(a.intake).measures]
    out: dict[tuple[str, str], tuple[Measure, float | None]] = {(m.id, m.side): (m, None) for m in entered}
    for r in a.results:
        fps = r.clip.fps if r.clip is not None else None
        out.update({(m.id, m.side): (m, fps) for m in r.measures})
    return {k: v for k, v in out.items() if v[0].measurable and v[0].value is not None}


def _change(
    before: tuple[Measure, float | None], after: tuple[Measure, float | None], kb: Knowledge
) -> Change:
    """One measure's change, judged (module docstring); each side is (measure, its clip's fps)."""
    (b, fps_b), (a, fps_a) = before, after
    rule = kb.rule_for(b.id, b.unit)
    sdd = rule.sdd if rule is not None else None
    assert b.value is not None and a.value is not None
    low_fps = below_timing_fps(fps_b, fps_a)
    noise = noise_of_difference((b.spread, b.n), (a.spread, a.n))
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
        verdict=judge(
            b.value,
            a.value,
            sdd.value if sdd else None,
            rule.direction if rule else "none",
            noise=noise,
            low_fps_timing=low_fps and rule is not None and rule.timing,
        ),
    )


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
    )
