"""Load a motion-capture trial: running markers, static trial, forces, marker set, lab frame.

Companion files are found beside the running trial when not given:

- forces: for a marker table ``<stem>markers.txt``, the table ``<stem>forces.txt``; a C3D file
  carries its own force platforms;
- static trial: a sibling whose name contains "static" (C3D preferred, then TRC, then a table)
  sharing the longest name prefix with the running trial (``RBDS001runT25markers.txt`` ->
  ``RBDS001static.c3d``; ``20140515T133244_run.c3d`` -> ``20140515T133244_static.c3d``).

Everything is returned in kinechain's lab frame (metres; x forward, y up, z right); units and
axes are taken as declared or detected (see :mod:`kinechain.mocap.axes`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from kinechain.errors import MocapFileError
from kinechain.mocap.axes import LabAxes, detect_axes, forces_to_lab, guess_length_units, markers_to_lab
from kinechain.mocap.data import Forces, Markers
from kinechain.mocap.markerset import MarkerSet, detect_markerset, load_markerset
from kinechain.mocap.readers import (
    read_c3d,
    read_force_table,
    read_grf_mot,
    read_marker_table,
    read_trc_markers,
)
from kinechain.model.pose import SIDES

PathLike = str | os.PathLike[str]
MARKER_SUFFIXES = (".c3d", ".trc", ".txt", ".tsv")


@dataclass(frozen=True, eq=False)
class MocapTrial:
    """A running trial ready for joint centres, truth and the virtual camera (lab frame, metres).

    Attributes
    ----------
    name : str
        The running trial's file stem.
    markers : Markers
        Running-trial markers.
    static : Markers, optional
        Static (standing calibration) trial markers.
    forces : list of Forces
        Force plates (newtons, vertical = y, up positive).
    markerset : MarkerSet
        The marker-set definition used.
    meta : dict
        Files read, axes and units used, force-rate inference.
    """

    name: str
    markers: Markers
    static: Markers | None
    forces: list[Forces]
    markerset: MarkerSet
    meta: dict[str, Any] = field(default_factory=dict)


def _read_markers(path: Path, units: str | None) -> tuple[Markers, list[Forces]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise MocapFileError(f"{path} does not exist; check the path.")
    if suffix == ".c3d":
        return read_c3d(path)
    if suffix == ".trc":
        return read_trc_markers(path), []
    if suffix in (".txt", ".tsv"):
        return read_marker_table(path, units=units), []
    raise MocapFileError(f"{path}: marker files must be .c3d, .trc or a tab-separated .txt table.")


def find_static(path: Path) -> Path | None:
    """Return the static trial beside ``path`` (see the module docstring), or None."""
    candidates = [
        p
        for p in path.parent.iterdir()
        if p != path and "static" in p.name.lower() and p.suffix.lower() in MARKER_SUFFIXES
    ]
    if not candidates:
        return None

    def score(p: Path) -> tuple[int, int]:
        a, b = p.name.lower(), path.name.lower()
        prefix = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        return prefix, -MARKER_SUFFIXES.index(p.suffix.lower())

    return max(candidates, key=score)


def find_forces(path: Path) -> Path | None:
    """Return the force table paired with a marker table ``<stem>markers.txt``, or None."""
    stem = path.stem
    if not stem.lower().endswith("markers"):
        return None
    candidate = path.with_name(stem[: -len("markers")] + "forces" + path.suffix)
    return candidate if candidate.is_file() else None


def _mean(markers: Markers, names: list[str]) -> np.ndarray:
    pts = [markers.positions[n] for n in names if n in markers.positions]
    if not pts:
        return np.full(3, np.nan)
    return cast("np.ndarray", np.nanmean(np.concatenate(pts, axis=0), axis=0))


def _axes_for(markers: Markers, ms: MarkerSet) -> LabAxes:
    pelvis = _mean(markers, ms.cluster_names(markers, "pelvis", "right"))
    feet = _mean(markers, [n for s in SIDES for n in ms.cluster_names(markers, "foot", s)])
    diffs = []
    for seg in ("thigh", "shank", "foot"):
        r, left = ms.cluster_names(markers, seg, "right"), ms.cluster_names(markers, seg, "left")
        if r and left:
            diffs.append(_mean(markers, r) - _mean(markers, left))
    for role in ("asis", "psis", "greater_trochanter", "knee_lateral", "heel"):
        r_xyz, l_xyz = ms.resolve(markers, role, "right"), ms.resolve(markers, role, "left")
        if r_xyz is not None and l_xyz is not None:
            diffs.append(np.nanmean(r_xyz - l_xyz, axis=0))
    if not diffs or not np.isfinite(pelvis).all() or not np.isfinite(feet).all():
        raise MocapFileError(
            f"{markers.source}: cannot tell up and forward from these markers; declare --up and --forward."
        )
    toe = [ms.resolve(markers, r, s) for s in SIDES for r in ("toe", "heel")]
    heel_to_toe = None
    if all(t is not None for t in toe):
        heel_to_toe = np.nanmean(np.concatenate([toe[0] - toe[1], toe[2] - toe[3]]), axis=0)  # type: ignore[operator]
    return detect_axes(pelvis, feet, np.nanmean(np.array(diffs), axis=0), heel_to_toe)


def _to_lab(markers: Markers, ms: MarkerSet, axes: LabAxes | None, units: str | None) -> Markers:
    unit = units or markers.units or guess_length_units(markers)
    markers = markers.with_changes(meta={**markers.meta, "units_guessed": not (units or markers.units)})
    return markers_to_lab(markers, axes or _axes_for(markers, ms), unit)


def _upright(forces: Forces) -> Forces:
    """Flip the sign when the plate reports the force on the plate (vertical mostly negative)."""
    fy = forces.force[:, 1]
    big = np.abs(fy) > 0.5 * np.nanmax(np.abs(fy))
    if big.any() and np.nanmedian(fy[big]) < 0:
        return forces.with_changes(force=-forces.force, meta={**forces.meta, "sign_flipped": True})
    return forces


def _read_forces(path: Path, markers: Markers, force_rate: float | None) -> list[Forces]:
    if path.suffix.lower() == ".mot":
        return read_grf_mot(path)
    duration = len(markers) / markers.rate if markers.rate > 0 else None
    return [read_force_table(path, rate=force_rate, duration_s=duration)]


def load_trial(
    path: PathLike,
    *,
    static: PathLike | None = None,
    forces: PathLike | None = None,
    markerset: str | None = None,
    up: str | None = None,
    forward: str | None = None,
    units: str | None = None,
    force_rate: float | None = None,
) -> MocapTrial:
    """Read a running trial with its static trial and forces, in the lab frame.

    Parameters
    ----------
    path : str or PathLike
        Running-trial markers: .c3d, .trc or a tab-separated table.
    static : str or PathLike, optional
        Static trial; found beside ``path`` when omitted.
    forces : str or PathLike, optional
        Force file (.mot GRF or a force table); C3D force platforms or ``<stem>forces.txt`` when omitted.
    markerset : str, optional
        "bmc", "ric", "opensim" or a TOML file; detected from the marker names when omitted.
    up, forward : str, optional
        Signed file axes ("+y", "-z", ...) pointing up and in the running direction; detected
        from the anatomy when omitted (both must be given to declare them).
    units : str, optional
        Marker length unit ("mm", "cm", "m") when the file does not say; guessed when omitted.
    force_rate : float, optional
        Sampling rate (Hz) of a force table whose time column numbers the samples; inferred from
        the marker trial's duration when omitted.

    Returns
    -------
    MocapTrial
    """
    run_path = Path(path)
    raw, plates = _read_markers(run_path, units)
    ms = load_markerset(markerset) if markerset else detect_markerset(raw)
    axes = LabAxes(up=up, forward=forward) if up and forward else None
    markers = _to_lab(raw, ms, axes, units)
    lab_axes = LabAxes(**{k: v for k, v in markers.meta["axes"].items() if k in ("up", "forward")})
    static_path = Path(static) if static else find_static(run_path)
    static_markers = None
    if static_path is not None:
        static_raw, _ = _read_markers(static_path, units)
        static_markers = _to_lab(static_raw, ms, axes, units)
    force_path = Path(forces) if forces else (find_forces(run_path) if not plates else None)
    if force_path is not None:
        plates = _read_forces(force_path, raw, force_rate)
    lab_forces = [_upright(forces_to_lab(f, lab_axes)) for f in plates]
    meta = {
        "files": {
            "markers": str(run_path),
            "static": str(static_path or ""),
            "forces": str(force_path or ""),
        },
        "axes": markers.meta["axes"],
        "units": markers.meta["units_read"],
    }
    return MocapTrial(run_path.stem, markers, static_markers, lab_forces, ms, meta)
