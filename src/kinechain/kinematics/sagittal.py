"""Side-view (sagittal-plane) signals: joint angles, segment inclinations, foot positions.

Image pixels are turned into a y-up frame; ``forward`` (+1 or -1) says which way along the image
x axis the person faces, so every angle has the same sign whichever way they run.
"""

from __future__ import annotations

import numpy as np

from kinechain.kinematics.geometry import (
    angle_to_horizontal,
    angle_to_vertical,
    distance,
    flexion_angle,
    image_to_upright,
    inclination_from_vertical_up,
    midpoint,
)
from kinechain.model.kinematics import Kinematics, KinematicsMeta
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.vocab import Leg


def _p(pose: PoseSeries, name: str) -> np.ndarray:
    return image_to_upright(pose.point(name))


def facing_direction(pose: PoseSeries) -> float:
    """Return +1 if the person faces image-right, -1 if image-left (from toe-ahead-of-heel).

    Falls back on the nose against the ears when the feet are not visible.
    """
    votes = []
    for side in SIDES:
        d = pose.point(f"{side}_foot_index")[:, 0] - pose.point(f"{side}_heel")[:, 0]
        votes.append(d[np.isfinite(d)])
    foot = np.concatenate(votes)
    if foot.size >= 5:
        return 1.0 if np.median(foot) > 0 else -1.0
    ears = midpoint(pose.point("left_ear"), pose.point("right_ear"))
    d = pose.point("nose")[:, 0] - ears[:, 0]
    d = d[np.isfinite(d)]
    return 1.0 if d.size and np.median(d) > 0 else -1.0


def leg_length_px(pose: PoseSeries, side: Leg) -> float:
    """Median over frames of thigh plus shank length (hip-knee + knee-ankle), pixels; NaN if unknown."""
    thigh = distance(pose.point(f"{side}_hip"), pose.point(f"{side}_knee"))
    shank = distance(pose.point(f"{side}_knee"), pose.point(f"{side}_ankle"))
    total = thigh + shank
    total = total[np.isfinite(total)]
    return float(np.median(total)) if total.size else float("nan")


def _leg_signals(pose: PoseSeries, side: Leg, fwd: float, pelvis: np.ndarray) -> dict[str, np.ndarray]:
    hip, knee, ankle = _p(pose, f"{side}_hip"), _p(pose, f"{side}_knee"), _p(pose, f"{side}_ankle")
    heel, toe = _p(pose, f"{side}_heel"), _p(pose, f"{side}_foot_index")
    shoulder = _p(pose, f"{side}_shoulder")
    return {
        f"knee_flexion_{side}": flexion_angle(hip, knee, ankle, fwd, flex_backward=True),
        f"hip_flexion_{side}": flexion_angle(shoulder, hip, knee, fwd, flex_backward=False),
        f"tibia_angle_{side}": angle_to_vertical(knee, ankle, fwd),
        f"foot_angle_{side}": angle_to_horizontal(heel, toe, fwd),
        f"heel_forward_{side}": fwd * (heel[:, 0] - pelvis[:, 0]),
        f"toe_forward_{side}": fwd * (toe[:, 0] - pelvis[:, 0]),
        f"heel_height_{side}": heel[:, 1],
        f"toe_height_{side}": toe[:, 1],
    }


SIGNAL_UNITS = {
    "knee_flexion": "deg",
    "hip_flexion": "deg",
    "tibia_angle": "deg",
    "foot_angle": "deg",
    "heel_forward": "px",
    "toe_forward": "px",
    "heel_height": "px",
    "toe_height": "px",
    "trunk_lean": "deg",
    "pelvis_height": "px",
    "pelvis_forward": "px",
}


def sagittal_kinematics(pose: PoseSeries, *, forward: float | None = None) -> Kinematics:
    """Compute side-view signals for both legs and the trunk.

    Parameters
    ----------
    pose : PoseSeries
        Cleaned landmarks from a side view.
    forward : float, optional
        +1 (facing image-right) or -1 (facing image-left); detected when omitted.

    Returns
    -------
    Kinematics
        Signals (deg or px, y up) named ``<signal>_<side>`` for legs, plus ``trunk_lean``,
        ``pelvis_height`` and ``pelvis_forward``; ``meta`` holds ``forward`` and leg lengths (px).
    """
    fwd = facing_direction(pose) if forward is None else forward
    pelvis = midpoint(_p(pose, "left_hip"), _p(pose, "right_hip"))
    shoulders = midpoint(_p(pose, "left_shoulder"), _p(pose, "right_shoulder"))
    signals: dict[str, np.ndarray] = {
        "trunk_lean": inclination_from_vertical_up(pelvis, shoulders, fwd),
        "pelvis_height": pelvis[:, 1],
        "pelvis_forward": fwd * pelvis[:, 0],
    }
    for side in SIDES:
        signals.update(_leg_signals(pose, side, fwd, pelvis))
    units = {name: SIGNAL_UNITS[name.rsplit("_", 1)[0] if name.endswith(SIDES) else name] for name in signals}
    meta = KinematicsMeta(leg_length_px={s: leg_length_px(pose, s) for s in SIDES}, forward=fwd)
    return Kinematics(times=pose.times, signals=signals, units=units, view=pose.view, meta=meta)
