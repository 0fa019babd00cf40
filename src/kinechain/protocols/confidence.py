"""The confidence model: a measure's rule (declared in its spec) and the clip's evidence.

A measure's confidence is the product of four 0-1 factors (a convention; see docs/measures.md):
landmark visibility, cycles averaged against the measure's target, frame rate against the
measure's target for a value timed to an instant, and camera geometry. What a measure needs
(the targets) is declared once in its spec as a :class:`ConfidenceRule`; what the clip shows
(visibility, frame rate, geometry) is the :class:`Evidence` a protocol measures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ConfidenceRule:
    """What a measure needs for full confidence; declared in its spec.

    Attributes
    ----------
    n_target : int
        Cycles (steps, strides, reps, jumps) averaged for full confidence.
    fps_target : float
        Frame rate for full confidence in a value timed to an instant (initial contact, landing),
        frames per second; 0 when the measure is not timing-sensitive.
    """

    n_target: int
    fps_target: float = 0.0

    def inputs(self, evidence: Evidence, n: int) -> ConfidenceInputs:
        """Return the inputs of :func:`confidence` for ``n`` cycles averaged with this evidence."""
        return ConfidenceInputs(
            evidence.visibility, n, self.n_target, evidence.fps, self.fps_target, evidence.geometry
        )


@dataclass(frozen=True)
class Evidence:
    """What the clip shows of a measure, measured by the protocol.

    Attributes
    ----------
    visibility : float
        Mean landmark visibility (0-1) of the points used, at the frames used.
    fps : float
        Frame rate of the recording, frames per second.
    geometry : float
        0-1 factor for camera geometry (how square-on the view is).
    """

    visibility: float
    fps: float
    geometry: float = 1.0


@dataclass(frozen=True)
class ConfidenceInputs:
    """Evidence behind a measure's confidence.

    Attributes
    ----------
    visibility : float
        Mean landmark visibility (0-1) of the points used, at the frames used.
    n : int
        Cycles (steps, strides, reps) averaged.
    n_target : int
        Cycles needed for full confidence.
    fps : float
        Frame rate of the recording, frames per second.
    fps_target : float
        Frame rate needed for full confidence in a timing-sensitive measure (0: not timing-sensitive).
    geometry : float
        0-1 factor for camera geometry (how square-on the view is).
    """

    visibility: float
    n: int
    n_target: int
    fps: float
    fps_target: float = 0.0
    geometry: float = 1.0


def confidence(c: ConfidenceInputs) -> float:
    """Combine the evidence into a 0-1 confidence (a convention; see docs/measures.md).

    Product of: visibility factor ((v - 0.5) / 0.4, clipped to 0-1), cycles factor
    (sqrt(n / n_target), clipped), frame-rate factor (fps / fps_target, clipped; 1 when not
    timing-sensitive) and the geometry factor.
    """
    f_vis = float(np.clip((c.visibility - 0.5) / 0.4, 0.0, 1.0))
    f_n = float(np.clip(np.sqrt(c.n / max(c.n_target, 1)), 0.0, 1.0))
    f_fps = 1.0 if c.fps_target <= 0 else float(np.clip(c.fps / c.fps_target, 0.0, 1.0))
    return round(f_vis * f_n * f_fps * float(np.clip(c.geometry, 0.0, 1.0)), 3)
