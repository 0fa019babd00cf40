"""Marker trajectories and ground reaction forces of one motion-capture trial.

Both types are plain containers; readers fill them in a file's own axes and units, and
:mod:`kinechain.mocap.axes` turns them into kinechain's lab frame (metres, x forward in the
running direction, y up, z to the runner's right).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

#: Lengths in each unit, in metres.
LENGTH_UNITS: dict[str, float] = {"m": 1.0, "cm": 0.01, "mm": 0.001}


@dataclass(frozen=True, eq=False)
class Markers:
    """Marker trajectories sampled at common times.

    Attributes
    ----------
    times : ndarray, shape (n,)
        Seconds.
    positions : dict of str to ndarray
        Each marker's positions, shape (n, 3); NaN where the marker was not seen.
    units : str
        Length unit of ``positions`` ("m", "cm" or "mm").
    frame : str
        "file" while in the file's own axes, "lab" once in kinechain's lab frame
        (x forward, y up, z right).
    source : str
        Where the markers came from (a file path).
    meta : dict
        Provenance (file format, units as declared, axes used, ...).
    """

    times: np.ndarray
    positions: dict[str, np.ndarray]
    units: str = "m"
    frame: str = "file"
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.times)

    @property
    def rate(self) -> float:
        """Sampling rate, Hz (0 when fewer than two frames)."""
        return float(1.0 / np.median(np.diff(self.times))) if len(self.times) > 1 else 0.0

    @property
    def names(self) -> list[str]:
        """Marker names in file order."""
        return list(self.positions)

    def find(self, name: str) -> np.ndarray | None:
        """Positions of the marker called ``name`` (compared without case), or None."""
        if name in self.positions:
            return self.positions[name]
        lower = name.lower()
        for key, value in self.positions.items():
            if key.lower() == lower:
                return value
        return None

    def with_changes(self, **changes: Any) -> Markers:
        """Return a copy with some fields replaced (arrays are not copied)."""
        return replace(self, **changes)

    def between(self, start_s: float, stop_s: float) -> Markers:
        """Return the frames with ``start_s <= time < stop_s``."""
        keep = (self.times >= start_s) & (self.times < stop_s)
        return replace(
            self, times=self.times[keep], positions={k: v[keep] for k, v in self.positions.items()}
        )

    def mean_pose(self) -> dict[str, np.ndarray]:
        """Each marker's mean position over the frames where it was seen, shape (3,) (NaN if never)."""
        out = {}
        for name, xyz in self.positions.items():
            seen = np.isfinite(xyz).all(axis=1)
            out[name] = xyz[seen].mean(axis=0) if seen.any() else np.full(3, np.nan)
        return out


@dataclass(frozen=True, eq=False)
class Forces:
    """Ground reaction force of one force plate (or one foot, in OpenSim GRF files).

    Attributes
    ----------
    times : ndarray, shape (n,)
        Seconds, on the same clock as the markers of the trial.
    force : ndarray, shape (n, 3)
        Force exerted by the ground on the person, newtons.
    cop : ndarray, shape (n, 3), optional
        Centre of pressure, in the length unit of ``units`` (NaN where undefined).
    name : str
        Plate name ("plate 1", "treadmill") or OpenSim prefix ("R", "L").
    units : str
        Length unit of ``cop``.
    frame : str
        "file" or "lab", as for :class:`Markers`.
    meta : dict
        Provenance (sign flipped, rate inferred, ...).
    """

    times: np.ndarray
    force: np.ndarray
    cop: np.ndarray | None = None
    name: str = "plate"
    units: str = "m"
    frame: str = "file"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Sampling rate, Hz (0 when fewer than two samples)."""
        return float(1.0 / np.median(np.diff(self.times))) if len(self.times) > 1 else 0.0

    def with_changes(self, **changes: Any) -> Forces:
        """Return a copy with some fields replaced (arrays are not copied)."""
        return replace(self, **changes)

    def between(self, start_s: float, stop_s: float) -> Forces:
        """Return the samples with ``start_s <= time < stop_s``."""
        keep = (self.times >= start_s) & (self.times < stop_s)
        cop = None if self.cop is None else self.cop[keep]
        return replace(self, times=self.times[keep], force=self.force[keep], cop=cop)
