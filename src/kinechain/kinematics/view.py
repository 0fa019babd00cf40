"""Which way the camera looks at the person: from the left or right side, the front or the back."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinechain.kinematics.geometry import distance, midpoint
from kinechain.kinematics.sagittal import facing_direction
from kinechain.model.pose import PoseSeries

#: Shoulder width / trunk length below which the camera is taken to see the person side-on,
#: and above which it sees them from the front or back (convention, checked on the shared clips).
SIDE_MAX_WIDTH_RATIO = 0.35
FRONTAL_MIN_WIDTH_RATIO = 0.45


@dataclass(frozen=True)
class ViewGuess:
    """A detected camera view with a 0-1 confidence and the evidence used."""

    view: str
    confidence: float
    width_ratio: float
    forward: float


def width_ratio(pose: PoseSeries) -> float:
    """Median of shoulder width over trunk length (shoulder centre to hip centre), 0 to ~1."""
    width = distance(pose.point("left_shoulder"), pose.point("right_shoulder"))
    trunk = distance(
        midpoint(pose.point("left_shoulder"), pose.point("right_shoulder")),
        midpoint(pose.point("left_hip"), pose.point("right_hip")),
    )
    r = width / trunk
    r = r[np.isfinite(r)]
    return float(np.median(r)) if r.size else float("nan")


def _front_or_back(pose: PoseSeries) -> str:
    """Front when the face is visible and the left shoulder is on the image right, else back."""
    lx = pose.point("left_shoulder")[:, 0] - pose.point("right_shoulder")[:, 0]
    lx = lx[np.isfinite(lx)]
    face_vis = float(np.mean(pose.vis("nose")))
    mirrored_front = lx.size and np.median(lx) > 0
    return "front" if mirrored_front and face_vis >= 0.5 else "back"


def estimate_view(pose: PoseSeries) -> ViewGuess:
    """Guess the camera view from body proportions and facing direction.

    A person seen side-on shows narrow shoulders relative to trunk length. The side filmed
    follows from the facing direction: someone facing image-left shows the camera their
    left side (for an unmirrored video).
    """
    ratio = width_ratio(pose)
    fwd = facing_direction(pose)
    if not np.isfinite(ratio):
        return ViewGuess("left" if fwd < 0 else "right", 0.0, ratio, fwd)
    if ratio <= SIDE_MAX_WIDTH_RATIO:
        conf = float(np.clip((SIDE_MAX_WIDTH_RATIO - ratio) / 0.15 + 0.5, 0.5, 1.0))
        return ViewGuess("left" if fwd < 0 else "right", conf, ratio, fwd)
    if ratio >= FRONTAL_MIN_WIDTH_RATIO:
        conf = float(np.clip((ratio - FRONTAL_MIN_WIDTH_RATIO) / 0.2 + 0.5, 0.5, 1.0))
        return ViewGuess(_front_or_back(pose), conf, ratio, fwd)
    side = "left" if fwd < 0 else "right"
    return ViewGuess(side, 0.3, ratio, fwd)
