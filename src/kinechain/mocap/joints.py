"""Joint centres and segment frames from skin markers (lab frame, metres).

- Hip joint centre from the pelvis markers by the regression of Harrington, Zavatsky, Lawson,
  Yuan & Theologis 2007 (J Biomech 40:595-602), from pelvic width (inter-ASIS distance, PW) and
  pelvic depth (mid-ASIS to mid-PSIS distance, PD), in the pelvis frame with origin at mid-ASIS,
  in millimetres: anterior ``-0.24 PD - 9.9``, superior ``-0.30 PW - 10.9``, lateral
  ``0.33 PW + 7.3``.
- Or, for marker sets without ASIS/PSIS, the greater-trochanter method evaluated by Weinhandl &
  O'Connor 2010 (J Biomech 43:2633-2636): a quarter of the way from one greater trochanter to
  the other.
- Knee and ankle centres: midpoints of the femoral epicondyles and of the malleoli.

Segment frames follow the ISB convention (Wu et al. 2002): x anterior, y superior (along the
segment), z to the right, as 3x3 matrices whose columns are the axes in lab coordinates.
"""

from __future__ import annotations

from typing import cast

import numpy as np

#: Harrington et al. 2007 regression coefficients (millimetres): (slope, intercept) per axis.
HARRINGTON_ANTERIOR = (-0.24, -9.9)  # times pelvic depth
HARRINGTON_SUPERIOR = (-0.30, -10.9)  # times pelvic width
HARRINGTON_LATERAL = (0.33, 7.3)  # times pelvic width
#: Weinhandl & O'Connor 2010: hip centre this share of the way to the other greater trochanter.
TROCHANTER_FRACTION = 0.25


def unit(v: np.ndarray) -> np.ndarray:
    """Vectors scaled to length 1 along the last axis (NaN for zero length)."""
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, v / n, np.nan)


def frame_from_axes(y_axis: np.ndarray, z_hint: np.ndarray) -> np.ndarray:
    """Right-handed frames (..., 3, 3) with columns x, y, z: y along ``y_axis``, z nearest ``z_hint``.

    x = y cross z_hint (anterior when y is up and z points right), then z = x cross y.
    """
    y = unit(y_axis)
    x = unit(np.cross(y, z_hint))
    z = np.cross(x, y)
    return np.stack([x, y, z], axis=-1)


def pelvis_frame(rasis: np.ndarray, lasis: np.ndarray, rpsis: np.ndarray, lpsis: np.ndarray) -> np.ndarray:
    """ISB pelvis frame (..., 3, 3) from the spines: z from left to right ASIS, x forward, y up."""
    mid_asis = (rasis + lasis) / 2.0
    mid_psis = (rpsis + lpsis) / 2.0
    z = unit(rasis - lasis)
    x = unit(np.cross(np.cross(z, mid_asis - mid_psis), z))
    y = np.cross(z, x)
    return np.stack([x, y, z], axis=-1)


def harrington_hip_centres(
    rasis: np.ndarray, lasis: np.ndarray, rpsis: np.ndarray, lpsis: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Right and left hip joint centres, metres, by Harrington et al. 2007.

    Parameters
    ----------
    rasis, lasis, rpsis, lpsis : ndarray, shape (..., 3)
        Anterior and posterior superior iliac spines, metres, lab frame.

    Returns
    -------
    right, left : ndarray, shape (..., 3)
        Hip joint centres, metres, lab frame.
    """
    frame = pelvis_frame(rasis, lasis, rpsis, lpsis)
    origin = (rasis + lasis) / 2.0
    pw = 1000.0 * np.linalg.norm(rasis - lasis, axis=-1)
    pd = 1000.0 * np.linalg.norm(origin - (rpsis + lpsis) / 2.0, axis=-1)
    ant = HARRINGTON_ANTERIOR[0] * pd + HARRINGTON_ANTERIOR[1]
    sup = HARRINGTON_SUPERIOR[0] * pw + HARRINGTON_SUPERIOR[1]
    lat = HARRINGTON_LATERAL[0] * pw + HARRINGTON_LATERAL[1]
    out = []
    for sign in (1.0, -1.0):
        local = np.stack([ant, sup, sign * lat], axis=-1) / 1000.0
        out.append(origin + np.einsum("...ij,...j->...i", frame, local))
    return out[0], out[1]


def trochanter_hip_centres(right_gt: np.ndarray, left_gt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Right and left hip centres a quarter of the way between the greater trochanters.

    Weinhandl & O'Connor 2010 (J Biomech 43:2633): the GT method, from the ipsilateral towards the
    contralateral greater trochanter.
    """
    span = left_gt - right_gt
    return right_gt + TROCHANTER_FRACTION * span, left_gt - TROCHANTER_FRACTION * span


def rigid_fit(reference: np.ndarray, current: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares rigid motion of a marker cluster in every frame (Kabsch/SVD).

    Finds R (rotation) and t so that ``current ≈ R @ reference + t`` over the markers seen in each
    frame; frames with fewer than three markers seen get NaN.

    Parameters
    ----------
    reference : ndarray, shape (k, 3)
        Cluster marker positions in the reference (static) pose.
    current : ndarray, shape (n, k, 3)
        The same markers in each of n frames; NaN where unseen.

    Returns
    -------
    rotation : ndarray, shape (n, 3, 3)
    translation : ndarray, shape (n, 3)
    """
    w = np.isfinite(current).all(axis=2) & np.isfinite(reference).all(axis=1)[None, :]
    wf = w.astype(float)
    count = wf.sum(axis=1)
    safe = np.maximum(count, 1.0)[:, None]
    ref = np.where(np.isfinite(reference), reference, 0.0)
    cur = np.where(w[..., None], current, 0.0)
    ref_c = wf @ ref / safe
    cur_c = np.einsum("nk,nkj->nj", wf, cur) / safe
    a = (ref[None, :, :] - ref_c[:, None, :]) * wf[..., None]
    b = (cur - cur_c[:, None, :]) * wf[..., None]
    h = np.einsum("nki,nkj->nij", a, b)
    u, _, vt = np.linalg.svd(h)
    d = np.sign(np.linalg.det(np.transpose(vt, (0, 2, 1)) @ np.transpose(u, (0, 2, 1))))
    corr = np.tile(np.eye(3), (len(h), 1, 1))
    corr[:, 2, 2] = d
    rot = np.transpose(vt, (0, 2, 1)) @ corr @ np.transpose(u, (0, 2, 1))
    trans = cur_c - np.einsum("nij,nj->ni", rot, ref_c)
    bad = count < 3
    rot[bad] = np.nan
    trans[bad] = np.nan
    return rot, trans


def carry_point(point: np.ndarray, rotation: np.ndarray, translation: np.ndarray) -> np.ndarray:
    """Move a point fixed to a cluster (given in the reference pose) with the cluster's motion.

    Returns positions of shape (n, 3).
    """
    return cast("np.ndarray", np.einsum("nij,j->ni", rotation, point) + translation)
