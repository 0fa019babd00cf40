"""Planar geometry on arrays of 2D points: angles between segments and against the vertical.

All functions take arrays of shape (..., 2) in a y-up frame unless said otherwise, work
element-wise over leading axes, and return degrees. NaN in, NaN out.
"""

from __future__ import annotations

from typing import cast

import numpy as np


def image_to_upright(xy: np.ndarray) -> np.ndarray:
    """Convert image pixels (y downward) to a y-up frame by negating y."""
    out = np.array(xy, dtype=float, copy=True)
    out[..., 1] *= -1.0
    return out


def signed_angle(v1: np.ndarray, v2: np.ndarray) -> np.ndarray:
    """Angle from vector ``v1`` to ``v2`` in degrees, counter-clockwise positive, in (-180, 180].

    Parameters
    ----------
    v1, v2 : ndarray, shape (..., 2)
        Vectors in a y-up frame.
    """
    cross = v1[..., 0] * v2[..., 1] - v1[..., 1] * v2[..., 0]
    dot = v1[..., 0] * v2[..., 0] + v1[..., 1] * v2[..., 1]
    return cast("np.ndarray", np.degrees(np.arctan2(cross, dot)))


def unsigned_angle(v1: np.ndarray, v2: np.ndarray) -> np.ndarray:
    """Angle between two vectors in degrees, 0 to 180."""
    return cast("np.ndarray", np.abs(signed_angle(v1, v2)))


def angle_to_vertical(top: np.ndarray, bottom: np.ndarray, forward: float = 1.0) -> np.ndarray:
    """Inclination of the segment ``top``->``bottom`` from the downward vertical, degrees.

    Positive when ``bottom`` lies ahead of ``top`` in the ``forward`` direction (+1: +x, -1: -x).
    For the shank (knee to ankle) this is the tibia angle: positive when the ankle is ahead of
    the knee, as at initial contact when overstriding.
    """
    seg = bottom - top
    down = np.array([0.0, -1.0])
    return forward * signed_angle(np.broadcast_to(down, seg.shape), seg)


def inclination_from_vertical_up(bottom: np.ndarray, top: np.ndarray, forward: float = 1.0) -> np.ndarray:
    """Lean of the segment ``bottom``->``top`` from the upward vertical, degrees.

    Positive when ``top`` lies ahead of ``bottom`` in the ``forward`` direction; for the trunk
    (hip centre to shoulder centre) this is forward trunk lean.
    """
    seg = top - bottom
    up = np.array([0.0, 1.0])
    return -forward * signed_angle(np.broadcast_to(up, seg.shape), seg)


def angle_to_horizontal(back: np.ndarray, front: np.ndarray, forward: float = 1.0) -> np.ndarray:
    """Angle of the segment ``back``->``front`` above the forward horizontal, degrees.

    For the foot (heel to toe) this is positive when the toes point up (a heel-first contact).
    """
    seg = front - back
    horiz = np.array([forward, 0.0])
    return forward * signed_angle(np.broadcast_to(horiz, seg.shape), seg)


def flexion_angle(
    proximal: np.ndarray,
    joint: np.ndarray,
    distal: np.ndarray,
    forward: float = 1.0,
    flex_backward: bool = True,
) -> np.ndarray:
    """Sagittal flexion at ``joint``, degrees: 0 when the three points are in line.

    Parameters
    ----------
    proximal, joint, distal : ndarray, shape (..., 2)
        Points in a y-up frame (e.g. hip, knee, ankle).
    forward : float
        +1 when the person faces +x, -1 when facing -x.
    flex_backward : bool
        True for the knee (flexion swings the distal segment backward); False for the hip
        (flexion swings the distal segment forward).

    Returns
    -------
    ndarray
        Flexion positive, extension (hyperextension at the knee) negative.
    """
    a = joint - proximal
    b = distal - joint
    rot = signed_angle(a, b) * forward
    return -rot if flex_backward else rot


def distance(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Euclidean distance between points, same unit as the input."""
    return cast("np.ndarray", np.linalg.norm(np.asarray(p, float) - np.asarray(q, float), axis=-1))


def midpoint(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Point halfway between ``p`` and ``q``."""
    return cast("np.ndarray", (np.asarray(p, float) + np.asarray(q, float)) / 2.0)
