"""Frontal-plane (front or back view) signals: FPPA, pelvic drop, hip adduction, knee position, trunk lean.

All functions take image pixels (x to the right, y downward), work element-wise over leading
axes and return degrees or pixels. NaN in, NaN out.

Left and right swap places in the image between a front view (the person's left leg is on the
image right) and a back view (on the image left). Rather than trusting the view label, every
side-specific sign here comes from where the *other* hip lies: the medial direction of a leg is
the image-x direction from its hip towards the other hip. The same formulas therefore hold for
front and back views, and for a mislabelled view.

Sign conventions (see docs/measures.md):

- FPPA (Willson 2006 method): angle between the thigh line (hip to knee) and the shank line
  (knee to ankle); 0 when they are in line, **valgus (knee inward) positive**.
- Pelvic drop of a stance side: angle of the hip line to the image horizontal, **positive when
  the other (swing-side) hip is lower** (contralateral pelvic drop).
- Hip adduction: angle of the thigh against the perpendicular to the hip line, **adduction
  (knee towards the midline) positive**.
- Lateral trunk lean of a side: pelvis-centre-to-shoulder-centre line against the vertical,
  **positive towards that side** (towards the stance leg).
- Rearfoot angle proxy: ankle-to-heel line against the shank line, **heel outward (eversion)
  positive**; descriptive only.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.signal import find_peaks

from kinechain.kinematics.events import subframe_peak
from kinechain.kinematics.geometry import distance, image_to_upright, midpoint, signed_angle
from kinechain.model.kinematics import Event, Kinematics, KinematicsMeta
from kinechain.model.pose import SIDES, PoseSeries, other_side
from kinechain.model.vocab import Leg


def _up(p: np.ndarray) -> np.ndarray:
    return image_to_upright(np.asarray(p, dtype=float))


def medial_direction(hip: np.ndarray, other_hip: np.ndarray) -> np.ndarray:
    """Image-x direction (+1 or -1) pointing from ``hip`` towards ``other_hip``; NaN if unknown."""
    d = np.asarray(other_hip, float)[..., 0] - np.asarray(hip, float)[..., 0]
    return np.where(np.isfinite(d), np.sign(d), np.nan)


def fppa(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, medial: np.ndarray | float) -> np.ndarray:
    """Knee frontal plane projection angle, degrees, valgus positive (Willson 2006).

    Parameters
    ----------
    hip, knee, ankle : ndarray, shape (..., 2)
        Image pixels (y downward) of one leg.
    medial : ndarray or float
        Image-x direction of that leg's medial side (see :func:`medial_direction`).

    Returns
    -------
    ndarray
        The deviation of the shank from the extended thigh line; positive when the knee lies
        medial to the hip-ankle line (valgus), negative for varus.
    """
    thigh = _up(knee) - _up(hip)
    shank = _up(ankle) - _up(knee)
    # The shank turning laterally away from the thigh line means the knee sits medially.
    return cast("np.ndarray", -signed_angle(thigh, shank) * np.asarray(medial, float))


def pelvic_drop(stance_hip: np.ndarray, other_hip: np.ndarray) -> np.ndarray:
    """Angle of the hip line to the horizontal, degrees; positive when ``other_hip`` is lower."""
    s, o = _up(stance_hip), _up(other_hip)
    return cast("np.ndarray", np.degrees(np.arctan2(s[..., 1] - o[..., 1], np.abs(s[..., 0] - o[..., 0]))))


def hip_adduction(hip: np.ndarray, other_hip: np.ndarray, knee: np.ndarray) -> np.ndarray:
    """Thigh (hip to knee) against the downward perpendicular of the hip line, degrees, adduction positive.

    Parameters
    ----------
    hip, other_hip, knee : ndarray, shape (..., 2)
        Image pixels: this leg's hip, the other hip, this leg's knee.
    """
    h, o, k = _up(hip), _up(other_hip), _up(knee)
    p = o - h
    towards = np.sign(p[..., 0])
    normal = np.stack([p[..., 1], -p[..., 0]], axis=-1) * towards[..., None]
    return cast("np.ndarray", signed_angle(normal, k - h) * towards)


def lateral_trunk_lean(
    pelvis_centre: np.ndarray, shoulder_centre: np.ndarray, lateral: np.ndarray | float
) -> np.ndarray:
    """Lean of the trunk line (pelvis centre to shoulder centre) from vertical, degrees, towards ``lateral``.

    ``lateral`` is the image-x direction of the side the lean is measured towards (a stance
    leg's lateral direction is minus its medial direction).
    """
    trunk = _up(shoulder_centre) - _up(pelvis_centre)
    up = np.broadcast_to(np.array([0.0, 1.0]), trunk.shape)
    return cast("np.ndarray", -signed_angle(up, trunk) * np.asarray(lateral, float))


def medial_offset(point: np.ndarray, reference: np.ndarray, medial: np.ndarray | float) -> np.ndarray:
    """Horizontal distance of ``point`` medial of ``reference``, pixels (negative: lateral)."""
    return cast(
        "np.ndarray",
        (np.asarray(point, float)[..., 0] - np.asarray(reference, float)[..., 0]) * np.asarray(medial, float),
    )


def separation_ratio(
    left_top: np.ndarray, right_top: np.ndarray, left_bottom: np.ndarray, right_bottom: np.ndarray
) -> np.ndarray:
    """Horizontal left-right distance of two points over that of two lower points (e.g. knees over ankles).

    Below 1 the knees are closer together than the ankles; negative if the knees cross.
    Signed the same way as the ankles, so it does not depend on the view.
    """
    top = np.asarray(left_top, float)[..., 0] - np.asarray(right_top, float)[..., 0]
    bottom = np.asarray(left_bottom, float)[..., 0] - np.asarray(right_bottom, float)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = top / bottom
    return np.where(np.abs(bottom) > 1e-9, out, np.nan)


def rearfoot_angle(
    knee: np.ndarray, ankle: np.ndarray, heel: np.ndarray, medial: np.ndarray | float
) -> np.ndarray:
    """Ankle-to-heel line against the shank line (knee to ankle), degrees, heel outward (eversion) positive.

    Only meaningful from behind; a proxy (a heel point and the ankle centre are not the
    calcaneal bisection), so every use is marked low confidence.
    """
    shank = _up(ankle) - _up(knee)
    foot = _up(heel) - _up(ankle)
    return cast("np.ndarray", -signed_angle(shank, foot) * np.asarray(medial, float))


def leg_length_frontal(pose: PoseSeries, side: Leg, *, percentile: float = 90.0) -> float:
    """Thigh plus shank length, pixels: a high percentile over frames (the least foreshortened).

    In a front or back view the thigh shortens in the image as the knee flexes, so the median
    would understate the leg length in a squat.
    """
    thigh = distance(pose.point(f"{side}_hip"), pose.point(f"{side}_knee"))
    shank = distance(pose.point(f"{side}_knee"), pose.point(f"{side}_ankle"))
    total = thigh + shank
    total = total[np.isfinite(total)]
    return float(np.percentile(total, percentile)) if total.size else float("nan")


def leg_medial_direction(pose: PoseSeries, side: Leg) -> float:
    """Return the median medial direction (+1/-1 in image x) of one leg over the clip; NaN if unknown."""
    d = medial_direction(pose.point(f"{side}_hip"), pose.point(f"{other_side(side)}_hip"))
    d = d[np.isfinite(d)]
    return float(np.sign(np.median(d))) if d.size and np.median(d) != 0 else float("nan")


def _side_signals(
    pose: PoseSeries, side: Leg, pelvis: np.ndarray, shoulders: np.ndarray
) -> dict[str, np.ndarray]:
    hip, knee, ankle = pose.point(f"{side}_hip"), pose.point(f"{side}_knee"), pose.point(f"{side}_ankle")
    other = pose.point(f"{other_side(side)}_hip")
    medial = leg_medial_direction(pose, side)
    foot = midpoint(ankle, pose.point(f"{side}_foot_index"))
    return {
        f"fppa_{side}": fppa(hip, knee, ankle, medial),
        f"pelvic_drop_{side}": pelvic_drop(hip, other),
        f"hip_adduction_{side}": hip_adduction(hip, other, knee),
        f"trunk_lean_lateral_{side}": lateral_trunk_lean(pelvis, shoulders, -medial),
        f"knee_medial_offset_{side}": medial_offset(knee, ankle, medial),
        f"knee_over_foot_{side}": medial_offset(knee, foot, medial),
        f"foot_offset_{side}": -medial_offset(ankle, pelvis, medial),
        f"rearfoot_angle_{side}": rearfoot_angle(knee, ankle, pose.point(f"{side}_heel"), medial),
        f"ankle_height_{side}": -ankle[:, 1],
        f"hip_above_ankle_{side}": ankle[:, 1] - hip[:, 1],
    }


SIGNAL_UNITS = {
    "fppa": "deg",
    "pelvic_drop": "deg",
    "hip_adduction": "deg",
    "trunk_lean_lateral": "deg",
    "knee_medial_offset": "px",
    "knee_over_foot": "px",
    "foot_offset": "px",
    "rearfoot_angle": "deg",
    "ankle_height": "px",
    "hip_above_ankle": "px",
    "knee_ankle_ratio": "ratio",
    "pelvis_height": "px",
    "pelvis_x": "px",
    "ankle_mid_x": "px",
    "ankle_width": "px",
}


def frontal_kinematics(pose: PoseSeries) -> Kinematics:
    """Compute front/back-view signals for both legs, the pelvis and the trunk.

    Parameters
    ----------
    pose : PoseSeries
        Cleaned landmarks from a front or back view.

    Returns
    -------
    Kinematics
        Per-leg signals named ``<signal>_<side>`` (degrees, or pixels with y up for heights):
        ``fppa``, ``pelvic_drop``, ``hip_adduction``, ``trunk_lean_lateral``, ``knee_medial_offset``
        (knee medial of ankle), ``knee_over_foot`` (knee medial of the ankle-toe midpoint),
        ``foot_offset`` (ankle lateral of the pelvis midline), ``rearfoot_angle``,
        ``ankle_height``, ``hip_above_ankle``; plus ``knee_ankle_ratio``, ``pelvis_height``, ``pelvis_x``,
        ``ankle_mid_x`` and ``ankle_width``. ``meta`` holds leg lengths (px) and each leg's medial direction.
    """
    pelvis = midpoint(pose.point("left_hip"), pose.point("right_hip"))
    shoulders = midpoint(pose.point("left_shoulder"), pose.point("right_shoulder"))
    signals: dict[str, np.ndarray] = {
        "knee_ankle_ratio": separation_ratio(
            pose.point("left_knee"),
            pose.point("right_knee"),
            pose.point("left_ankle"),
            pose.point("right_ankle"),
        ),
        "pelvis_height": -pelvis[:, 1],
        "pelvis_x": pelvis[:, 0],
        "ankle_mid_x": midpoint(pose.point("left_ankle"), pose.point("right_ankle"))[:, 0],
        "ankle_width": np.abs(pose.point("left_ankle")[:, 0] - pose.point("right_ankle")[:, 0]),
    }
    for side in SIDES:
        signals.update(_side_signals(pose, side, pelvis, shoulders))
    units = {name: SIGNAL_UNITS[name.rsplit("_", 1)[0] if name.endswith(SIDES) else name] for name in signals}
    meta = KinematicsMeta(
        leg_length_px={s: leg_length_frontal(pose, s) for s in SIDES},
        medial_direction={s: leg_medial_direction(pose, s) for s in SIDES},
    )
    return Kinematics(times=pose.times, signals=signals, units=units, view=pose.view, meta=meta)


#: Steps per minute searched for midstances: walking to sprinting (as kinematics.events; convention).
MAX_STEP_RATE_SPM = 240.0
#: The stance ankle must be this much lower than the swing ankle, in leg lengths (convention).
MIN_FOOT_SEPARATION = 0.04
#: Window of the moving mean removed from the pelvis height (about one stride), seconds (convention).
DETREND_S = 0.6


def _detrended(times: np.ndarray, values: np.ndarray, window_s: float) -> np.ndarray:
    """``values`` minus its moving mean over ``window_s`` seconds (slow drift removed); NaN kept."""
    finite = np.isfinite(values)
    if finite.sum() < 3:
        return values
    filled = np.interp(times, times[finite], values[finite])
    fps = 1.0 / float(np.median(np.diff(times)))
    size = max(3, round(window_s * fps) | 1)
    trend = uniform_filter1d(filled, size=size, mode="nearest")
    return np.where(finite, filled - trend, np.nan)


def midstance_events(kin: Kinematics) -> list[Event]:
    """Midstance of each step in a front or back view of running: the lowest point of the pelvis.

    The stance foot is the one whose ankle is lower in the image at that moment (the swing foot
    is lifted behind); steps where the two ankles are within :data:`MIN_FOOT_SEPARATION` leg
    lengths of each other are skipped as ambiguous.

    Parameters
    ----------
    kin : Kinematics
        From :func:`frontal_kinematics`.

    Returns
    -------
    list of Event
        "midstance" events with the stance side, time (s, between frames) and a 0-1 confidence
        from how clearly the pelvis dips and the feet are apart.
    """
    t = kin.times
    fps = 1.0 / float(np.median(np.diff(t)))
    leg = kin.meta.mean_leg_length_px()
    h = _detrended(t, kin["pelvis_height"], window_s=DETREND_S)
    finite = np.isfinite(h)
    if finite.sum() < 5 or not np.isfinite(leg):
        return []
    depth = -np.where(finite, h, np.nanmax(h))
    span = float(np.nanpercentile(depth, 95) - np.nanpercentile(depth, 5))
    min_step = 60.0 / MAX_STEP_RATE_SPM * fps
    idx, props = find_peaks(depth, distance=max(1, int(0.7 * min_step)), prominence=0.3 * span)
    events = []
    for i, prom in zip(idx, props["prominences"], strict=True):
        if not finite[i] or min(t[i] - t[0], t[-1] - t[i]) < DETREND_S / 2:
            continue  # unknown, or too near an end for the drift to be removed
        frac = subframe_peak(depth, int(i))
        time = float(np.interp(frac, np.arange(len(t)), t))
        diff = float(np.interp(time, t, kin["ankle_height_left"] - kin["ankle_height_right"]))
        if not np.isfinite(diff) or abs(diff) < MIN_FOOT_SEPARATION * leg:
            continue
        clarity = min(1.0, abs(diff) / (0.2 * leg)) * min(1.0, prom / max(span, 1e-9))
        events.append(Event("midstance", "left" if diff < 0 else "right", time, round(frac), clarity))
    return events
