"""Anatomical points over time from the markers of a running trial (and its static trial).

The running trial of many protocols carries only rigid marker clusters; anatomical points
(epicondyles, malleoli, greater trochanters) are marked in a static standing trial. Each such
point is expressed relative to the cluster of the segment it belongs to in the static trial and
carried through the running trial by that cluster's least-squares rigid motion
(:func:`kinechain.mocap.joints.rigid_fit`). Joint centres follow (hip by regression, knee and
ankle as midpoints), then the BlazePose landmark names kinechain uses: hips, knees, ankles,
heels, foot_index (toes) and shoulders when the set marks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kinechain.errors import MocapFileError
from kinechain.mocap.data import Markers
from kinechain.mocap.joints import (
    carry_point,
    harrington_hip_centres,
    pelvis_frame,
    rigid_fit,
    trochanter_hip_centres,
)
from kinechain.mocap.markerset import ROLES, MarkerSet
from kinechain.model.pose import LANDMARK_INDEX, LANDMARK_NAMES, SIDES

#: BlazePose landmark (without side) -> marker-set role giving it directly.
DIRECT = {"heel": "heel", "foot_index": "toe", "shoulder": "shoulder"}


@dataclass(frozen=True, eq=False)
class Skeleton:
    """Anatomical points and the pelvis frame of a trial, lab frame (x forward, y up, z right), metres.

    Attributes
    ----------
    times : ndarray, shape (n,)
        Seconds.
    points : dict of str to ndarray
        Shape (n, 3) each: BlazePose names ("right_hip", "left_knee", "right_foot_index", ...) and
        the anatomical markers behind them ("right_knee_lateral", "left_ankle_medial", "right_asis" ...).
    pelvis : ndarray, shape (n, 3, 3), optional
        Pelvis anatomical frame (columns x forward, y up, z right, in lab coordinates).
    meta : dict
        How each point was found (marked, carried by which cluster, hip method).
    """

    times: np.ndarray
    points: dict[str, np.ndarray]
    pelvis: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> np.ndarray:
        """Positions (n, 3) of a point, all NaN when the trial does not give it."""
        return self.points.get(name, np.full((len(self.times), 3), np.nan))

    def world(self) -> np.ndarray:
        """Return the BlazePose landmarks as an array (n, 33, 3), metres, lab frame; NaN where not given."""
        out = np.full((len(self.times), len(LANDMARK_NAMES), 3), np.nan)
        for name, xyz in self.points.items():
            if name in LANDMARK_INDEX:
                out[:, LANDMARK_INDEX[name]] = xyz
        return out


class _Builder:
    """Resolves roles in the running trial, carrying them from the static trial when needed."""

    def __init__(self, run: Markers, static: Markers | None, ms: MarkerSet) -> None:
        self.run, self.static, self.ms = run, static, ms
        self.static_mean = static.mean_pose() if static is not None else {}
        self.static_lower = {n.lower(): n for n in self.static_mean}
        self.fits: dict[tuple[str, str], tuple[np.ndarray, np.ndarray] | None] = {}
        self.how: dict[str, str] = {}

    def fit(self, segment: str, side: str) -> tuple[np.ndarray, np.ndarray] | None:
        key = (segment, "right" if segment == "pelvis" else side)
        if key not in self.fits:
            self.fits[key] = self._fit(segment, side)
        return self.fits[key]

    def _fit(self, segment: str, side: str) -> tuple[np.ndarray, np.ndarray] | None:
        pairs = []
        for name in self.ms.cluster_names(self.run, segment, side):
            ref = self.static_mean.get(self.static_lower.get(name.lower(), ""))
            if ref is not None and np.isfinite(ref).all():
                pairs.append((name, ref))
        if len(pairs) < 3:
            return None
        reference = np.array([ref for _, ref in pairs])
        current = np.stack([self.run.positions[name] for name, _ in pairs], axis=1)
        return rigid_fit(reference, current)

    def static_point(self, role: str, side: str) -> np.ndarray | None:
        if self.static is None:
            return None
        xyz = self.ms.resolve(self.static, role, side)
        if xyz is None:
            return None
        seen = np.isfinite(xyz).all(axis=1)
        return xyz[seen].mean(axis=0) if seen.any() else None

    def role(self, role: str, side: str) -> np.ndarray | None:
        xyz = self.ms.resolve(self.run, role, side)
        if xyz is not None:
            self.how[f"{side}_{role}"] = "marked"
            return xyz
        segment = self.ms.carry.get(role)
        ref = self.static_point(role, side)
        fit = self.fit(segment, side) if segment else None
        if ref is None or fit is None or segment is None:
            return None
        owner = "the pelvis" if segment == "pelvis" else f"the {side} {segment}"
        self.how[f"{side}_{role}"] = f"carried from the static trial by {owner} cluster"
        return carry_point(ref, *fit)

    def pelvis_fit(self) -> tuple[np.ndarray, np.ndarray] | None:
        return self.fit("pelvis", "right")


def _hip_centres(b: _Builder, pts: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """Right and left hip centres: marked, else by the set's method, else by the other method."""
    marked = [b.ms.resolve(b.run, "hip_centre", s) for s in ("right", "left")]
    if marked[0] is not None and marked[1] is not None:
        b.how["hip"] = "marked hip centres"
        return marked[0], marked[1]
    methods = [b.ms.hip_method] + [m for m in ("harrington", "greater_trochanter") if m != b.ms.hip_method]
    for method in methods:
        hips = _by_method(b, pts, method)
        if hips is not None:
            return hips
    return None


def _by_method(b: _Builder, pts: dict[str, np.ndarray], method: str) -> tuple[np.ndarray, np.ndarray] | None:
    roles = ("asis", "psis") if method == "harrington" else ("greater_trochanter",)
    names = [f"{s}_{r}" for r in roles for s in ("right", "left")]
    compute = harrington_hip_centres if method == "harrington" else trochanter_hip_centres
    label = (
        "Harrington et al. 2007"
        if method == "harrington"
        else "greater trochanters (Weinhandl & O'Connor 2010)"
    )
    if method == "harrington" and all(b.how.get(n) == "marked" for n in names):
        b.how["hip"] = f"{label}, every frame"
        return compute(*[pts[n] for n in names])
    statics = [b.static_point(r, s) for r in roles for s in ("right", "left")]
    fit = b.pelvis_fit()
    if any(p is None for p in statics) or fit is None:
        return None
    right, left = compute(*statics)  # type: ignore[arg-type]
    b.how["hip"] = f"{label} in the static trial, carried by the pelvis cluster"
    return carry_point(right, *fit), carry_point(left, *fit)


def _pelvis_frames(b: _Builder, pts: dict[str, np.ndarray]) -> np.ndarray | None:
    spines = [f"{s}_{r}" for r in ("asis", "psis") for s in ("right", "left")]
    if all(n in pts for n in spines):
        b.how["pelvis_frame"] = "ISB frame from ASIS and PSIS"
        return pelvis_frame(*[pts[n] for n in spines])
    fit = b.pelvis_fit()
    if fit is None:
        return None
    b.how["pelvis_frame"] = "lab axes in the static (standing) trial, carried by the pelvis cluster"
    return fit[0]


def _landmarks(pts: dict[str, np.ndarray], side: str, how: dict[str, str]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for joint in ("knee", "ankle"):
        lat, med = pts.get(f"{side}_{joint}_lateral"), pts.get(f"{side}_{joint}_medial")
        if lat is not None and med is not None:
            out[f"{side}_{joint}"] = (lat + med) / 2.0
            how[f"{side}_{joint}"] = "midpoint of lateral and medial markers"
        elif lat is not None:
            out[f"{side}_{joint}"] = lat
            how[f"{side}_{joint}"] = "lateral marker only (no medial marker): centre placed on the skin"
    for name, role in DIRECT.items():
        if f"{side}_{role}" in pts:
            out[f"{side}_{name}"] = pts[f"{side}_{role}"]
    return out


def build_skeleton(run: Markers, ms: MarkerSet, static: Markers | None = None) -> Skeleton:
    """Anatomical points and BlazePose landmarks of a running trial.

    Parameters
    ----------
    run : Markers
        The running trial, lab frame, metres.
    ms : MarkerSet
        Marker-set definition.
    static : Markers, optional
        The static trial, lab frame, metres: source of points the running trial does not mark.

    Returns
    -------
    Skeleton
        ``meta["how"]`` says how each point was obtained.

    Raises
    ------
    MocapFileError
        When the hip centres or knees cannot be found (wrong marker set or no static trial).
    """
    b = _Builder(run, static, ms)
    pts: dict[str, np.ndarray] = {}
    for side in SIDES:
        for role in ROLES:
            xyz = b.role(role, side)
            if xyz is not None:
                pts[f"{side}_{role}"] = xyz
    hips = _hip_centres(b, pts)
    if hips is None:
        raise MocapFileError(
            f"{run.source}: no hip centres: the '{ms.name}' marker set needs ASIS and PSIS or "
            "greater-trochanter markers (in the running or static trial); give the static trial or "
            "another marker set."
        )
    pts["right_hip"], pts["left_hip"] = hips
    for side in SIDES:
        pts.update(_landmarks(pts, side, b.how))
    missing = [f"{s}_knee" for s in SIDES if f"{s}_knee" not in pts]
    if missing:
        raise MocapFileError(
            f"{run.source}: no knee markers for {', '.join(missing)}; give the static trial with "
            "the epicondyles."
        )
    meta = {"markerset": ms.name, "how": dict(b.how)}
    return Skeleton(times=run.times, points=pts, pelvis=_pelvis_frames(b, pts), meta=meta)
