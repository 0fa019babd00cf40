"""The valid range of each measure, and the conditions under which the FPPA means anything.

Every measure declares the range of values a real person doing the test can show (next to its
declaration, in the protocol modules). A value outside it comes from landmarks that did not
follow the body (an upside-down clip, a replayed random skeleton, a hidden leg), so it is
reported as not measurable with the reason, never as a number. The ranges are physiological
bounds (clinical convention) unless a source is named; docs/measures.md lists them all.

The knee frontal plane projection angle (FPPA) is a 2D projection: it means what the method says
(Willson 2006, clinical-evidence.md section 1) only with the pelvis square to the camera and the
knee bent moderately. Both conditions are checked at each rep from the pose model's 3D (world)
landmarks when it gives them, else from how short the thigh looks in the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kinechain.kinematics.geometry import distance
from kinechain.model.measures import Measure
from kinechain.model.pose import LANDMARK_INDEX, PoseSeries
from kinechain.model.vocab import Leg

#: Largest turn of the pelvis and shoulders away from square-on for the FPPA, degrees (clinical
#: convention, checked on the shared 4-camera clip: the camera 7 deg off the front gave FPPA RMSE
#: 10 deg against a square-on view, and the model estimates its turn at 13 deg; the cameras 41-60
#: deg off gave FPPA errors of 17-55 deg, and the model estimates their turn at 40-47 deg).
MAX_TURN_DEG = 25.0
#: Deepest knee flexion at which the FPPA is taken, degrees (clinical convention: the method's
#: single-leg squat goes to about 45-60 deg; deeper, the thigh points at the camera and its
#: projection is too short to give an angle).
MAX_FPPA_KNEE_FLEXION_DEG = 75.0
#: Without 3D landmarks: the thigh must look at least this share of its standing length in the
#: picture (0.45: the thigh tilted less than about 63 deg towards the camera) (clinical convention).
MIN_THIGH_SHARE = 0.45


@dataclass(frozen=True)
class ValidRange:
    """Values a real person doing the test can show, in the measure's unit.

    Attributes
    ----------
    lo, hi : float
        Lowest and highest valid value, in the measure's unit.
    why : str
        Where the bounds come from (a source, or "physiological bound (clinical convention)").
    """

    lo: float
    hi: float
    why: str = "physiological bound (clinical convention)"

    def contains(self, value: float) -> bool:
        """Return True when ``value`` lies within ``lo`` to ``hi`` (inclusive)."""
        return bool(self.lo <= value <= self.hi)

    def text(self, unit: str) -> str:
        """Return the range as "lo to hi unit"."""
        return f"{self.lo:g} to {self.hi:g} {unit}"


def limit(measure: Measure, valid: ValidRange | None) -> Measure:
    """Refuse a measure whose value lies outside its valid range; drop the odd cycle that does.

    Cycles outside the range are left out of the mean (and the confidence falls by the share
    left out); when half or more of them are out, or the mean is, the measure is not measurable.

    Parameters
    ----------
    measure : Measure
        A measure as built from its cycles.
    valid : ValidRange, optional
        Its declared range; None leaves the measure as it is.

    Returns
    -------
    Measure
        The same measure, one averaged over the valid cycles, or a not-measurable record.
    """
    if valid is None or not measure.measurable or measure.value is None:
        return measure
    cycles = measure.per_cycle or [measure.value]
    inside = [v for v in cycles if valid.contains(v)]
    if 2 * len(inside) <= len(cycles) or not valid.contains(float(np.mean(inside))):
        return _refused(measure, valid, cycles)
    if len(inside) == len(cycles):
        return measure
    note = f"{len(cycles) - len(inside)} of {len(cycles)} values outside {valid.text(measure.unit)} left out"
    spread = float(np.std(inside, ddof=1)) if len(inside) > 1 else None
    return measure.model_copy(
        update={
            "value": float(np.mean(inside)),
            "n": len(inside),
            "spread": spread,
            "per_cycle": inside,
            "confidence": round(measure.confidence * len(inside) / len(cycles), 3),
            "reason": "; ".join(r for r in (measure.reason, note) if r),
        }
    )


def _refused(measure: Measure, valid: ValidRange, cycles: Sequence[float]) -> Measure:
    shown = f"{float(np.median(cycles)):.1f} {measure.unit}"
    reason = (
        f"the value came out at {shown}, outside the range a person can show in this test "
        f"({valid.text(measure.unit)}; {valid.why}), so the landmarks did not follow the body; "
        "film again with the whole body upright, well lit and in view"
    )
    return Measure.not_measurable(
        id=measure.id,
        name=measure.name,
        unit=measure.unit,
        side=measure.side,
        reason=reason,
        view=measure.view,
    )


def _frame(pose: PoseSeries, when: float) -> int:
    return int(np.clip(np.searchsorted(pose.times, when), 0, len(pose) - 1))


def body_turn_deg(pose: PoseSeries, when: float) -> float:
    """Turn of the pelvis and shoulders away from square-on to the camera at ``when`` (s), degrees.

    From the 3D (world) landmarks: the mean angle of the hip line and the shoulder line out of the
    picture plane (0 square-on, 90 side-on). NaN without world landmarks.
    """
    if pose.world is None:
        return float("nan")
    i = _frame(pose, when)
    angles = []
    for a, b in (("left_hip", "right_hip"), ("left_shoulder", "right_shoulder")):
        d = pose.world[i, LANDMARK_INDEX[a]] - pose.world[i, LANDMARK_INDEX[b]]
        angles.append(np.degrees(np.arctan2(abs(d[2]), abs(d[0]))))
    return float(np.nanmean(angles)) if np.isfinite(angles).any() else float("nan")


def knee_flexion_3d(pose: PoseSeries, side: Leg, when: float) -> float:
    """Knee flexion at ``when`` (s) from the 3D (world) landmarks, degrees (0 straight); NaN without them."""
    if pose.world is None:
        return float("nan")
    i = _frame(pose, when)
    hip, knee, ankle = (pose.world[i, LANDMARK_INDEX[f"{side}_{p}"]] for p in ("hip", "knee", "ankle"))
    u, v = hip - knee, ankle - knee
    cos = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
    return 180.0 - float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def thigh_share(pose: PoseSeries, side: Leg, when: float, standing: float) -> float:
    """Image length of the thigh at ``when`` over its length at ``standing`` (times in s)."""
    thigh = distance(pose.point(f"{side}_hip"), pose.point(f"{side}_knee"))
    return float(thigh[_frame(pose, when)] / thigh[_frame(pose, standing)])


def fppa_refusal(pose: PoseSeries, side: Leg, when: float, standing: float) -> str | None:
    """Return why the FPPA of ``side`` at ``when`` (s) is not valid, or None when it is.

    Parameters
    ----------
    pose : PoseSeries
        Cleaned landmarks (front or back view).
    side : str
        "left" or "right".
    when, standing : float
        Time of the deepest point and of the standing reference before it, seconds.
    """
    turn = body_turn_deg(pose, when)
    if np.isfinite(turn) and turn > MAX_TURN_DEG:
        return (
            f"the body is turned about {turn:.0f} deg from square-on (more than {MAX_TURN_DEG:g}), so the "
            "knee angle in the picture is not the frontal-plane angle; film square-on from directly in front"
        )
    flexion = knee_flexion_3d(pose, side, when)
    if np.isfinite(flexion):
        if flexion > MAX_FPPA_KNEE_FLEXION_DEG:
            return (
                f"the knee bends about {flexion:.0f} deg at depth; the FPPA is valid only up to "
                f"{MAX_FPPA_KNEE_FLEXION_DEG:g} deg of knee flexion; squat less deep for this test"
            )
        return None
    share = thigh_share(pose, side, when, standing)
    if np.isfinite(share) and share < MIN_THIGH_SHARE:
        return (
            "the thigh points at the camera at depth (too deep a squat for the FPPA, which needs a "
            "moderate knee bend); squat less deep for this test"
        )
    return None


def fppa_values(
    pose: PoseSeries, signal: Sequence[float], side: Leg, reps: Sequence[tuple[float, float]]
) -> tuple[list[float], str | None]:
    """Keep the FPPA of each rep only where it is valid (see :func:`fppa_refusal`).

    Parameters
    ----------
    pose : PoseSeries
        Cleaned landmarks.
    signal : sequence of float
        The FPPA at each rep's deepest point, degrees.
    side : str
        "left" or "right".
    reps : sequence of (float, float)
        Each rep's (deepest, standing) times, seconds.

    Returns
    -------
    (list of float, str or None)
        The values with NaN for refused reps, and the first refusal's reason (None if none).
    """
    out, first = [], None
    for value, (when, standing) in zip(signal, reps, strict=True):
        why = fppa_refusal(pose, side, when, standing)
        out.append(float("nan") if why else float(value))
        first = first or why
    return out, first


#: FPPA: reference values in squats and landings lie within about -10 to +30 deg
#: (clinical-evidence.md section 1); the bounds allow for 2D overestimating 3D valgus (limits of
#: agreement -30 to +17 deg, Straub & Powers 2022).
FPPA_RANGE = ValidRange(-30.0, 45.0, "FPPA reference values with 2D error, clinical-evidence.md section 1")
#: Pelvic drop and lateral trunk lean in one-leg stance or running, degrees.
PELVIC_DROP_RANGE = ValidRange(-20.0, 25.0)
TRUNK_LATERAL_RANGE = ValidRange(-30.0, 30.0)
#: Knee-to-ankle separation ratio (knees over ankles is 1).
SEPARATION_RANGE = ValidRange(0.2, 2.5)
#: Heel rise relative to the toes, % leg length (about -5 to +15 cm).
HEEL_LIFT_RANGE = ValidRange(-10.0, 30.0)
