"""What every movement-test module provides, the registry of tests, and the confidence model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kinechain.errors import ConfigError, UnsupportedView
from kinechain.model.kinematics import Kinematics
from kinechain.model.measures import MeasureSet
from kinechain.model.pose import PoseSeries


class TestProtocol(Protocol):
    """A movement test: which views it accepts, and how to turn a PoseSeries into measures."""

    test: str
    title: str
    views: tuple[str, ...]
    required_landmarks: tuple[str, ...]

    def analyse(self, pose: PoseSeries, *, view: str) -> tuple[Kinematics, MeasureSet]:
        """Return the kinematics (signals and events) and the measures of this test."""
        ...


_REGISTRY: dict[str, TestProtocol] = {}


def register(protocol: TestProtocol) -> TestProtocol:
    """Add a test protocol to the registry (keyed by ``protocol.test``)."""
    _REGISTRY[protocol.test] = protocol
    return protocol


def get_protocol(test: str) -> TestProtocol:
    """Return the registered protocol for a test name."""
    if test not in _REGISTRY:
        names = ", ".join(repr(t) for t in sorted(_REGISTRY))
        raise ConfigError(f"test must be one of {names}; got {test!r}.")
    return _REGISTRY[test]


def available_tests() -> list[str]:
    """Names of the registered tests."""
    return sorted(_REGISTRY)


def check_view(protocol: TestProtocol, view: str) -> None:
    """Raise UnsupportedView with what to film when ``view`` is not one the test accepts."""
    if view not in protocol.views:
        wanted = " or ".join(protocol.views)
        raise UnsupportedView(
            f"{protocol.title} is measured from the {wanted} view, but this video is a {view} "
            f"view; film the test from the {protocol.views[0]} (see docs/filming.md)."
        )


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
