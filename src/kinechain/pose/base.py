"""The Estimator protocol: anything that turns a video into a PoseSeries."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from kinechain.model.pose import PoseSeries

#: Progress callback: (frames done, frames in total or 0 when unknown).
ProgressFn = Callable[[int, int], None]


@runtime_checkable
class Estimator(Protocol):
    """Estimates one person's landmarks in every frame of a video."""

    name: str

    def estimate(self, video: str | os.PathLike[str], *, progress: ProgressFn | None = None) -> PoseSeries:
        """Return the PoseSeries of the followed person in ``video``."""
        ...
