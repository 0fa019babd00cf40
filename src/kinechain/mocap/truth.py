"""Reference (3D, marker-based) values of the measures the 2D pipeline reports.

All from a :class:`~kinechain.mocap.skeleton.Skeleton` in the lab frame (x forward, y up, z right):

- **Knee flexion**: the flexion angle of the joint coordinate system (Grood & Suntay 1983; ISB,
  Wu et al. 2002): Cardan angles of the shank frame relative to the thigh frame in the order
  flexion (about the thigh's medio-lateral axis), adduction, rotation; flexion positive. The
  thigh frame runs from the knee centre to the hip centre with the epicondyles giving the
  medio-lateral axis; the shank frame from the ankle centre to the knee centre with the malleoli.
  Without medial markers it falls back to the 3D angle between thigh and shank lines.
- **Tibia angle**: the shank line (knee centre to ankle centre) projected on the lab sagittal plane,
  from the downward vertical; positive when the ankle is ahead of the knee (as the 2D measure).
- **Pelvic drop** of a stance side: elevation of the line from the stance-side hip centre to the
  other hip centre below the horizontal plane; positive when the other (swing-side) hip is lower.
- **Hip adduction**: Cardan adduction angle of the thigh frame relative to the pelvis frame (same
  order as the knee), adduction (knee towards the midline) positive.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from scipy.spatial.transform import Rotation

from kinechain.mocap.joints import frame_from_axes
from kinechain.mocap.skeleton import Skeleton
from kinechain.model.pose import SIDES, other_side
from kinechain.model.vocab import Leg

#: Right-pointing medio-lateral axis from a (lateral, medial) marker pair, per side.
_ML_SIGN = {"right": 1.0, "left": -1.0}


def _ml_axis(sk: Skeleton, side: str, joint: str) -> np.ndarray:
    return cast(
        "np.ndarray", _ML_SIGN[side] * (sk.get(f"{side}_{joint}_lateral") - sk.get(f"{side}_{joint}_medial"))
    )


def thigh_frame(sk: Skeleton, side: str) -> np.ndarray:
    """Thigh (femur) frames, shape (n, 3, 3): y knee-to-hip, z to the right (epicondyles), x forward."""
    return frame_from_axes(sk.get(f"{side}_hip") - sk.get(f"{side}_knee"), _ml_axis(sk, side, "knee"))


def shank_frame(sk: Skeleton, side: str) -> np.ndarray:
    """Shank (tibia) frames, shape (n, 3, 3): y ankle-to-knee, z to the right (malleoli), x forward."""
    return frame_from_axes(sk.get(f"{side}_knee") - sk.get(f"{side}_ankle"), _ml_axis(sk, side, "ankle"))


def cardan_zxy(proximal: np.ndarray, distal: np.ndarray) -> np.ndarray:
    """Cardan angles (z, x, y order), degrees, of distal frames relative to proximal frames, shape (n, 3).

    Rows with a NaN frame give NaN.
    """
    rel = np.einsum("nji,njk->nik", proximal, distal)
    ok = np.isfinite(rel).all(axis=(1, 2))
    out = np.full((len(rel), 3), np.nan)
    if ok.any():
        out[ok] = Rotation.from_matrix(rel[ok]).as_euler("ZXY", degrees=True)
    return out


def _line_angle(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    cos = np.einsum("ni,ni->n", a, b) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return cast("np.ndarray", np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def knee_flexion(sk: Skeleton, side: str) -> np.ndarray:
    """Knee flexion, degrees, shape (n,): joint-coordinate-system flexion (module docstring)."""
    medial = f"{side}_knee_medial" in sk.points and f"{side}_ankle_medial" in sk.points
    if not medial:
        thigh = sk.get(f"{side}_knee") - sk.get(f"{side}_hip")
        shank = sk.get(f"{side}_ankle") - sk.get(f"{side}_knee")
        return _line_angle(thigh, shank)
    # Flexion turns the shank backwards: a negative rotation about the thigh's rightward z axis.
    return -cardan_zxy(thigh_frame(sk, side), shank_frame(sk, side))[:, 0]


def tibia_angle(sk: Skeleton, side: str) -> np.ndarray:
    """Shank inclination in the lab sagittal plane from the downward vertical, degrees.

    Positive when the ankle is ahead of the knee.
    """
    seg = sk.get(f"{side}_ankle") - sk.get(f"{side}_knee")
    return cast("np.ndarray", np.degrees(np.arctan2(seg[:, 0], -seg[:, 1])))


def pelvic_drop(sk: Skeleton, stance: Leg) -> np.ndarray:
    """Drop of the other hip centre below the stance-side one, as an elevation angle, degrees."""
    line = sk.get(f"{other_side(stance)}_hip") - sk.get(f"{stance}_hip")
    return cast(
        "np.ndarray", np.degrees(np.arcsin(np.clip(-line[:, 1] / np.linalg.norm(line, axis=1), -1.0, 1.0)))
    )


def hip_adduction(sk: Skeleton, side: str) -> np.ndarray:
    """Hip adduction, degrees, shape (n,): thigh relative to pelvis, adduction positive.

    NaN when the trial gives no pelvis frame.
    """
    if sk.pelvis is None:
        return np.full(len(sk.times), np.nan)
    angles = cardan_zxy(sk.pelvis, thigh_frame(sk, side))
    # About the forward x axis a positive rotation swings the right knee to the left (medially).
    return _ML_SIGN[side] * angles[:, 1]


def reference_signals(sk: Skeleton) -> dict[str, np.ndarray]:
    """Every reference signal per side, degrees, shape (n,) each.

    Keys: ``knee_flexion_<side>``, ``tibia_angle_<side>``, ``hip_adduction_<side>`` and
    ``pelvic_drop_<side>`` (with <side> the stance side).
    """
    out: dict[str, np.ndarray] = {}
    for side in SIDES:
        out[f"knee_flexion_{side}"] = knee_flexion(sk, side)
        out[f"tibia_angle_{side}"] = tibia_angle(sk, side)
        out[f"hip_adduction_{side}"] = hip_adduction(sk, side)
        out[f"pelvic_drop_{side}"] = pelvic_drop(sk, side)
    return out
