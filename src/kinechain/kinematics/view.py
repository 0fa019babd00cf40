"""Which way the camera looks at the person: from the left or right side, the front or the back."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinechain.kinematics.geometry import distance, midpoint
from kinechain.kinematics.sagittal import facing_direction
from kinechain.model.pose import PoseSeries
from kinechain.model.vocab import View

#: Shoulder width / trunk length below which the camera is taken to see the person side-on,
#: and above which it sees them from the front or back (convention, checked on the shared clips).
SIDE_MAX_WIDTH_RATIO = 0.35
FRONTAL_MIN_WIDTH_RATIO = 0.45


@dataclass(frozen=True)
class ViewGuess:
    """A detected camera view with a 0-1 confidence and the evidence used."""

    view: View
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


def _front_or_back(pose: PoseSeries) -> View:
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
    side: View = "left" if fwd < 0 else "right"
    return ViewGuess(side, 0.3, ratio, fwd)


#: Hip width counts this many times over in a frame's width ratio: shoulders are about this much
#: wider than the hip landmarks, so either cue alone can say "square-on" (convention, checked on
#: the shared clips; it keeps frames with the arms overhead, which narrow the shoulders, square).
HIP_WIDTH_WEIGHT = 1.6


def _frame_ratios(pose: PoseSeries) -> np.ndarray:
    """Body width over trunk length in each frame: the larger of shoulder width and weighted hip width."""
    ls, rs = pose.point("left_shoulder"), pose.point("right_shoulder")
    lh, rh = pose.point("left_hip"), pose.point("right_hip")
    trunk = distance(midpoint(ls, rs), midpoint(lh, rh))
    with np.errstate(divide="ignore", invalid="ignore"):
        shoulders = distance(ls, rs) / trunk
        hips = HIP_WIDTH_WEIGHT * distance(lh, rh) / trunk
    return np.asarray(np.fmax(shoulders, hips), dtype=float)


def _frame_facing(pose: PoseSeries) -> np.ndarray:
    """Return +1 (facing image-right), -1 (image-left) or 0 (unknown) per frame.

    From the toes ahead of the heels (both feet summed), else the nose ahead of the ears.
    """
    toes = np.zeros(len(pose))
    known = np.zeros(len(pose), dtype=bool)
    for s in ("left", "right"):
        d = pose.point(f"{s}_foot_index")[:, 0] - pose.point(f"{s}_heel")[:, 0]
        toes += np.nan_to_num(d)
        known |= np.isfinite(d)
    nose = pose.point("nose")[:, 0] - midpoint(pose.point("left_ear"), pose.point("right_ear"))[:, 0]
    d = np.where(known, toes, nose)
    return np.where(np.isfinite(d), np.sign(d), 0.0)


def frame_views(pose: PoseSeries) -> np.ndarray:
    """Return the view seen in each frame: "left", "right", "front", "back", or "" when unclear.

    Side-on frames (width ratio, see :func:`_frame_ratios`, <= :data:`SIDE_MAX_WIDTH_RATIO`) take their
    side from the facing direction; square frames (>= :data:`FRONTAL_MIN_WIDTH_RATIO`) are
    "front" when the person's left shoulder and hip lie on the image right (a mirror image),
    else "back"; frames in between are left unclear.
    """
    ratio = _frame_ratios(pose)
    facing = _frame_facing(pose)
    lr = (pose.point("left_shoulder")[:, 0] - pose.point("right_shoulder")[:, 0]) + (
        pose.point("left_hip")[:, 0] - pose.point("right_hip")[:, 0]
    )
    out = np.full(len(pose), "", dtype=object)
    side = np.isfinite(ratio) & (ratio <= SIDE_MAX_WIDTH_RATIO) & (facing != 0)
    out[side & (facing < 0)] = "left"
    out[side & (facing > 0)] = "right"
    square = np.isfinite(ratio) & (ratio >= FRONTAL_MIN_WIDTH_RATIO) & np.isfinite(lr)
    out[square & (lr > 0)] = "front"
    out[square & (lr < 0)] = "back"
    return out


def detect_view(pose: PoseSeries) -> ViewGuess:
    """Guess the camera view by a vote over frames (see :func:`frame_views`), in two stages.

    First side-on against square-on (front or back) frames, then, within the winner, which side
    or front against back; a few mislabelled frames on one side of the axis thus cannot split the
    vote. Robust to a clip whose view changes part-way (the view held longest wins). The
    confidence is the product of the two stages' shares of the frames where the person was found,
    so unclear frames (an oblique camera, a turn) lower it.
    """
    votes = frame_views(pose)[pose.detected()]
    ratio = width_ratio(pose)
    facing = _frame_facing(pose)[pose.detected()]
    fwd = float(np.sign(np.median(facing))) if facing.size else 0.0
    side = int(np.isin(votes, ("left", "right")).sum())
    square = int(np.isin(votes, ("front", "back")).sum())
    if side + square == 0:
        return ViewGuess("left" if fwd < 0 else "right", 0.0, ratio, fwd or 1.0)
    pair: tuple[View, View] = ("left", "right") if side > square else ("front", "back")
    first = max(pair, key=lambda v: int((votes == v).sum()))
    within = int((votes == first).sum()) / max(side if side > square else square, 1)
    share = max(side, square) / len(votes)
    if first in ("left", "right"):
        fwd = -1.0 if first == "left" else 1.0
    return ViewGuess(first, round(share * within, 3), ratio, fwd or 1.0)
