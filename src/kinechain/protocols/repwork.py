"""Shared steps of the rep-based tests (squats, step-down, lunge): depth signals, reps, stance leg.

Rep timing comes from :func:`kinechain.kinematics.reps.segment_reps`; values are sampled at a
rep's bottom and start and averaged per side by :func:`kinechain.protocols.common.build`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from kinechain.kinematics.reps import MIN_RELATIVE_DEPTH, Rep, segment_reps
from kinechain.model.kinematics import Kinematics
from kinechain.model.measures import Measure
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.vocab import Leg, Side, View
from kinechain.protocols.common import Spec, missing
from kinechain.protocols.confidence import ConfidenceRule, Evidence
from kinechain.protocols.ranges import limit

#: Reps averaged for full confidence: FPPA is the mean of 3 reps or trials (Willson 2006
#: method; Munro 2012 reliability), clinical-evidence.md section 1 [E reliability].
REPS_TARGET = 3
#: Confidence rule of a measure averaged over reps (not timing-sensitive).
REP_RULE = ConfidenceRule(REPS_TARGET)
#: Smallest rep: the hip centre sinks at least this share of leg length (convention).
MIN_DESCENT = 0.08
#: In a single-leg rep the free foot travels at least this share of the hips' descent (convention).
FREE_FOOT_TRAVEL = 0.5

#: The heel counts as lifted when it rises more than this share of leg length relative to the
#: toes (about 2.5 cm for an adult) (clinical convention; on the real goblet squat clip the near
#: heel's apparent rise at depth was -0.5 and -2.4%, so smaller rises are noise).
HEEL_LIFT_MIN = 0.03

SIDE_VIEWS = ("left", "right")


@dataclass(frozen=True)
class SideRep:
    """A rep and the leg standing on the ground during it ("both" for a double-leg movement)."""

    rep: Rep
    stance: Side


def pelvis_descent(pose: PoseSeries, leg: float) -> np.ndarray:
    """How far the hip centre is below its standing height (90th percentile of height), in leg lengths.

    Image y grows downward, so the descent is the hip centre's y minus its standing y. Needs a
    still camera.
    """
    y = (pose.point("left_hip")[:, 1] + pose.point("right_hip")[:, 1]) / 2
    finite = y[np.isfinite(y)]
    if finite.size == 0 or not np.isfinite(leg):
        return np.full(len(pose), np.nan)
    return cast("np.ndarray", (y - np.percentile(finite, 10)) / leg)


def find_reps(
    times: np.ndarray, descent: np.ndarray, *, min_relative: float = MIN_RELATIVE_DEPTH
) -> list[Rep]:
    """Find reps in the hip centre's descent (leg lengths; see :func:`pelvis_descent`), any view.

    ``min_relative``: a rep must reach this share of the clip's deepest rep (0 keeps every rep
    deeper than :data:`MIN_DESCENT`).
    """
    return segment_reps(times, descent, min_depth=MIN_DESCENT, min_relative=min_relative)


def foot_travel(pose: PoseSeries, side: Leg, start: float, end: float, leg: float) -> float:
    """Range of an ankle's image position between two times (the larger of x and y range), leg lengths."""
    sel = (pose.times >= start) & (pose.times <= end)
    p = pose.point(f"{side}_ankle")[sel]
    p = p[np.isfinite(p).all(axis=1)]
    if len(p) < 3:
        return float("nan")
    return float(np.max(np.ptp(p, axis=0)) / leg)


def stance_of(pose: PoseSeries, rep: Rep, leg: float) -> Side:
    """Return the standing leg in a rep, or "both" for a rep on two feet.

    The free foot moves with the body (held up, or reaching down in a step-down): it must travel
    at least half as far as the hips sink, and at least twice as far as the other foot, which
    stays planted. Comparing travel (rather than height) holds whatever the camera height.
    """
    left, right = (foot_travel(pose, s, rep.start, rep.end, leg) for s in SIDES)
    if not (np.isfinite(left) and np.isfinite(right)):
        return "both"
    free, still = max(left, right), min(left, right)
    if free >= FREE_FOOT_TRAVEL * rep.depth and still <= free / 2:
        return "left" if left < right else "right"
    return "both"


def single_leg_reps(pose: PoseSeries, reps: list[Rep], leg: float) -> list[SideRep]:
    """Label each rep with its standing leg, keeping only single-leg reps.

    Pass every rep (``find_reps(..., min_relative=0)``): small wobbles are dropped here per leg
    (below :data:`~kinechain.kinematics.reps.MIN_RELATIVE_DEPTH` of that leg's deepest rep), so
    that the reps of a weaker leg that squats less deep are kept.
    """
    labelled = [SideRep(r, stance_of(pose, r, leg)) for r in reps]
    kept = []
    for side in SIDES:
        mine = [r for r in labelled if r.stance == side]
        deepest = max((r.rep.depth for r in mine), default=0.0)
        kept += [r for r in mine if r.rep.depth >= MIN_RELATIVE_DEPTH * deepest]
    return sorted(kept, key=lambda r: r.rep.bottom)


def reps_measure(spec: Spec, side: Side, reps: list[SideRep], visibility: float, view: View) -> Measure:
    """Return the count of reps found for a side, as a measure (value = number of reps)."""
    chosen = [r for r in reps if side in (r.stance, "both")]
    if not chosen:
        where = "" if side == "both" else f" on the {side} leg"
        return missing(spec, side, f"no reps{where} were found; film at least 3 slow, full reps{where}", view)
    # A count: only the landmarks' visibility counts as evidence (not frame rate or geometry).
    conf = spec.confidence(Evidence(visibility, fps=0.0), len(chosen))
    return Measure(
        id=spec.id,
        name=spec.name,
        value=float(len(chosen)),
        unit=spec.unit,
        side="both" if side == "both" else ("left" if side == "left" else "right"),
        n=len(chosen),
        per_cycle=[round(r.rep.depth, 4) for r in chosen],
        confidence=conf,
        view=view,
        reason=None if len(chosen) >= REPS_TARGET else "fewer than 3 reps: the method averages 3 reps",
    )


def asymmetry(spec: Spec, left: Measure | None, right: Measure | None, view: View) -> Measure:
    """Absolute left-minus-right difference of two per-side measures; ``category`` names the larger side."""
    if left is None or right is None or not (left.measurable and right.measurable):
        return missing(
            spec, "both", "needs the measure on both legs: film the test on the left and the right leg", view
        )
    assert left.value is not None and right.value is not None
    diff = left.value - right.value
    measure = Measure(
        id=spec.id,
        name=spec.name,
        value=abs(diff),
        unit=spec.unit,
        side="both",
        n=min(left.n, right.n),
        confidence=min(left.confidence, right.confidence),
        category="left" if diff > 0 else "right" if diff < 0 else "equal",
        view=view,
    )
    return limit(measure, spec.valid)


def heel_rise(kin: Kinematics, side: Leg, leg: float) -> np.ndarray:
    """Heel height relative to the toes per frame, % leg length (side view; grows as the heel lifts).

    Relative to the toes so that the whole foot shifting in the image (a drifting camera, the
    landmarks sliding) does not count as a heel lift.
    """
    return cast("np.ndarray", 100.0 * (kin[f"heel_height_{side}"] - kin[f"toe_height_{side}"]) / leg)
