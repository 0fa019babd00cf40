"""Units and axis conventions: from a file's own frame to kinechain's lab frame.

kinechain's lab frame, used by every mocap computation: metres; **x forward** (the running
direction: the way the runner faces), **y up**, **z to the runner's right**. It is right-handed
and is the ISB pelvis/segment convention (Wu et al. 2002), so segment frames built from markers
line up with it in standing.

A file's frame is described by which of its signed axes points up and which points forward,
e.g. ``LabAxes(up="+y", forward="+x")`` for the BMC data or ``LabAxes(up="+y", forward="-z")``
for the Running Injury Clinic data. Both can be declared, or detected from the anatomy: the
pelvis lies above the feet, the right-side markers lie to the right of the left-side ones, and
forward completes a right-handed frame (checked against toe-ahead-of-heel when both are marked).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinechain.errors import ConfigError, MocapFileError
from kinechain.mocap.data import LENGTH_UNITS, Forces, Markers

AXIS_NAMES = ("+x", "-x", "+y", "-y", "+z", "-z")


def axis_vector(spec: str) -> np.ndarray:
    """Return the unit vector of a signed axis name such as "+y" or "-z"."""
    if spec not in AXIS_NAMES:
        raise ConfigError(f"an axis must be one of {', '.join(AXIS_NAMES)}; got {spec!r}.")
    v = np.zeros(3)
    v["xyz".index(spec[1])] = 1.0 if spec[0] == "+" else -1.0
    return v


def axis_name(v: np.ndarray) -> str:
    """Signed axis name of the coordinate axis nearest to vector ``v``."""
    i = int(np.argmax(np.abs(v)))
    return ("+" if v[i] >= 0 else "-") + "xyz"[i]


@dataclass(frozen=True)
class LabAxes:
    """Which axes of a file point up and forward (the running direction).

    Attributes
    ----------
    up : str
        Signed file axis pointing up, e.g. "+y" or "+z".
    forward : str
        Signed file axis pointing in the running direction, e.g. "+x" or "-z".
    detected : bool
        True when found from the anatomy rather than declared.
    """

    up: str
    forward: str
    detected: bool = False

    def matrix(self) -> np.ndarray:
        """Rotation, shape (3, 3), taking file coordinates to lab coordinates (rows: forward, up, right)."""
        up, fwd = axis_vector(self.up), axis_vector(self.forward)
        if abs(float(up @ fwd)) > 0.5:
            raise ConfigError(f"the up axis ({self.up}) and forward axis ({self.forward}) must differ.")
        return np.stack([fwd, up, np.cross(fwd, up)])


def length_scale(units: str) -> float:
    """Metres per unit for "m", "cm" or "mm"."""
    if units not in LENGTH_UNITS:
        raise ConfigError(f"length units must be one of {', '.join(LENGTH_UNITS)}; got {units!r}.")
    return LENGTH_UNITS[units]


def guess_length_units(markers: Markers) -> str:
    """Guess the length unit from the size of the marker cloud (a person's lower body is ~0.5-2 m).

    Returns "m" below 5 units across, "cm" below 500, else "mm".
    """
    pts = np.concatenate([xyz for xyz in markers.positions.values()], axis=0)
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) == 0:
        raise MocapFileError(f"{markers.source} holds no marker positions; check the file.")
    extent = float(np.max(np.percentile(pts, 99, axis=0) - np.percentile(pts, 1, axis=0)))
    if extent < 5.0:
        return "m"
    return "cm" if extent < 500.0 else "mm"


def _dominant(v: np.ndarray, exclude: np.ndarray | None = None) -> np.ndarray:
    w = np.array(v, dtype=float)
    if exclude is not None:
        w[np.argmax(np.abs(exclude))] = 0.0
    return axis_vector(axis_name(w))


def detect_axes(
    pelvis: np.ndarray, feet: np.ndarray, right_minus_left: np.ndarray, heel_to_toe: np.ndarray | None = None
) -> LabAxes:
    """Find the up and forward axes of a file from where body parts lie.

    Parameters
    ----------
    pelvis : ndarray, shape (3,)
        Mean position of pelvis markers, file axes.
    feet : ndarray, shape (3,)
        Mean position of foot markers, file axes.
    right_minus_left : ndarray, shape (3,)
        Mean of right-side minus left-side marker positions, file axes.
    heel_to_toe : ndarray, shape (3,), optional
        Mean toe minus heel position; when given, must point forward (else the file is
        left-handed or its sides are swapped, and axes must be declared).

    Returns
    -------
    LabAxes
        With ``detected=True``.
    """
    up = _dominant(pelvis - feet)
    right = _dominant(right_minus_left, exclude=up)
    forward = np.cross(up, right)
    if heel_to_toe is not None and np.all(np.isfinite(heel_to_toe)):
        along = heel_to_toe - (heel_to_toe @ up) * up
        if float(along @ forward) < 0:
            raise MocapFileError(
                "the toes lie behind the heels in a right-handed frame built from these markers: the "
                "left and right labels look swapped or the file is left-handed; declare --up and --forward."
            )
    return LabAxes(up=axis_name(up), forward=axis_name(forward), detected=True)


def markers_to_lab(markers: Markers, axes: LabAxes, units: str) -> Markers:
    """Return the markers in metres in the lab frame (x forward, y up, z right)."""
    rot = axes.matrix() * length_scale(units)
    positions = {k: v @ rot.T for k, v in markers.positions.items()}
    meta = {**markers.meta, "axes": {"up": axes.up, "forward": axes.forward, "detected": axes.detected}}
    meta["units_read"] = units
    return markers.with_changes(positions=positions, units="m", frame="lab", meta=meta)


def forces_to_lab(forces: Forces, axes: LabAxes) -> Forces:
    """Return the forces in the lab frame (newtons; centre of pressure in metres)."""
    rot = axes.matrix()
    cop = None
    if forces.cop is not None:
        cop = forces.cop @ (rot * length_scale(forces.units)).T
    return forces.with_changes(force=forces.force @ rot.T, cop=cop, units="m", frame="lab")
