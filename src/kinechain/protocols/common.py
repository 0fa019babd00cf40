"""Building blocks shared by the protocol modules: measure builders, visibility, view geometry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from kinechain.kinematics.cycles import value_at
from kinechain.kinematics.geometry import distance
from kinechain.kinematics.view import width_ratio
from kinechain.model.measures import Measure, Side
from kinechain.model.pose import LANDMARK_INDEX, PoseSeries
from kinechain.model.vocab import View
from kinechain.protocols.confidence import Evidence
from kinechain.protocols.ranges import limit
from kinechain.protocols.spec import EACH_LEG, Spec

#: ``Spec`` and ``EACH_LEG`` are re-exported from :mod:`kinechain.protocols.spec`.
__all__ = [
    "EACH_LEG",
    "LOW_CONFIDENCE_CAP",
    "Spec",
    "as_side",
    "build",
    "frontal_geometry",
    "leg_visibility",
    "mean_visibility",
    "missing",
    "side_geometry",
    "values_at",
]

#: Confidence ceiling of measures the evidence calls unreliable in 2D (rearfoot angle proxy,
#: clinical-evidence.md section 4): below 0.4, so always labelled "low".
LOW_CONFIDENCE_CAP = 0.35


def as_side(side: str) -> Side:
    """Narrow a side string to the Side literal."""
    if side == "left":
        return "left"
    if side == "right":
        return "right"
    return "none" if side == "none" else "both"


def build(
    spec: Spec,
    side: Side,
    values: Sequence[float],
    evidence: Evidence,
    view: View,
    *,
    caution: str | None = None,
    category: str | None = None,
    cap: float = 1.0,
    missing_reason: str = "the landmarks needed were not found at these reps or steps",
) -> Measure:
    """Build a measure from per-cycle values (mean, spread, n), or not measurable if none is finite.

    A value outside the spec's valid range is not measurable either (see :func:`limit`).

    Parameters
    ----------
    spec : Spec
        The measure's id, name, unit, valid range and confidence rule.
    side : str
        "left", "right" or "both".
    values : sequence of float
        One value per step or rep; NaN values are left out.
    evidence : Evidence
        Visibility, frame rate and geometry behind the confidence, judged by the spec's rule
        over the number of finite values.
    view : str
        The camera view.
    caution : str, optional
        A caution stored in ``reason`` of a measurable value.
    category : str, optional
        A categorical reading of the value.
    cap : float
        Highest confidence allowed (e.g. :data:`LOW_CONFIDENCE_CAP`).
    missing_reason : str
        Reason when no value is finite.
    """
    finite = [v for v in values if v is not None and np.isfinite(v)]
    if not finite:
        return missing(spec, side, missing_reason, view)
    measure = Measure.from_cycles(
        id=spec.id,
        name=spec.name,
        unit=spec.unit,
        side=as_side(side),
        values=finite,
        confidence=min(spec.confidence(evidence, len(finite)), cap),
        view=view,
        category=category,
        reason=caution,
    )
    return limit(measure, spec.valid)


def missing(spec: Spec, side: Side, reason: str, view: View | None) -> Measure:
    """Return the record of a measure this video cannot give, with the reason."""
    return Measure.not_measurable(
        id=spec.id, name=spec.name, unit=spec.unit, side=as_side(side), reason=reason, view=view
    )


def mean_visibility(pose: PoseSeries, names: Iterable[str], times: Sequence[float]) -> float:
    """Mean visibility (0-1) of the named landmarks at the frames nearest to ``times`` (s); 0 if none."""
    if len(times) == 0:
        return 0.0
    idx = np.clip(np.searchsorted(pose.times, np.asarray(times, float)), 0, len(pose) - 1)
    cols = np.array([LANDMARK_INDEX[n] for n in names], dtype=int)
    return float(pose.visibility[np.ix_(idx, cols)].mean())


def leg_visibility(pose: PoseSeries, side: Side, times: Sequence[float]) -> float:
    """Mean visibility (0-1) of hip, knee and ankle of ``side`` ("both" for both legs) at ``times`` (s)."""
    legs = ("left", "right") if side == "both" else (side,)
    return mean_visibility(pose, [f"{s}_{p}" for s in legs for p in ("hip", "knee", "ankle")], times)


def values_at(times: np.ndarray, signal: np.ndarray, at: Sequence[float]) -> list[float]:
    """Interpolate ``signal`` at each time in ``at`` (s)."""
    return [value_at(times, signal, t) for t in at]


def frontal_geometry(pose: PoseSeries) -> float:
    """Return 1 for a square-on front or back view, down to 0.3 as the body turns side-on (convention).

    From shoulder width over trunk length (0.65 or more counts fully, 0.35 or less is side-on);
    without shoulders, from hip width over thigh length (0.4 or more fully, 0.1 or less side-on).
    """
    r = width_ratio(pose)
    if np.isfinite(r):
        return float(np.clip((r - 0.35) / 0.3, 0.3, 1.0))
    hips = distance(pose.point("left_hip"), pose.point("right_hip"))
    thighs = 0.5 * (
        distance(pose.point("left_hip"), pose.point("left_knee"))
        + distance(pose.point("right_hip"), pose.point("right_knee"))
    )
    ratio = hips / thighs
    ratio = ratio[np.isfinite(ratio)]
    return float(np.clip((np.median(ratio) - 0.1) / 0.3, 0.3, 1.0)) if ratio.size else 0.5


def side_geometry(pose: PoseSeries) -> float:
    """Return 1 for a square-on side view, down to 0.3 as the shoulders open to the camera (convention)."""
    r = width_ratio(pose)
    return float(np.clip(1.0 - (r - 0.2) / 0.3, 0.3, 1.0)) if np.isfinite(r) else 0.5
