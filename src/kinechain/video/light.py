"""Light levels of a clip: luma brightness and contrast of frames sampled evenly through it.

The samples are taken while the frames are decoded for the pose model (``iter_frames(...,
luma_at=...)``), so the light check costs no decoding of its own; :func:`light_levels` decodes
them apart for an estimator that does not read the video itself.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from kinechain.video.reader import luma_stats, read_frames_at

__all__ = ["LIGHT_SAMPLES", "light_levels", "light_picks", "luma_stats", "median_levels"]

#: Frames sampled, evenly from the first to the last, for the light levels.
LIGHT_SAMPLES = 12


def light_picks(n_frames: int, samples: int = LIGHT_SAMPLES) -> frozenset[int]:
    """Return the indices of the frames sampled from a clip of ``n_frames`` frames."""
    return frozenset(int(i) for i in np.unique(np.linspace(0, max(n_frames - 1, 0), samples).astype(int)))


def median_levels(stats: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """Return the median brightness and contrast of sampled frames' ``(mean, std)`` luma, or NaNs."""
    pairs = list(stats)
    if not pairs:
        return float("nan"), float("nan")
    return float(np.median([m for m, _ in pairs])), float(np.median([s for _, s in pairs]))


def light_levels(
    video: str | os.PathLike[str], n_frames: int, samples: int = LIGHT_SAMPLES
) -> tuple[float, float]:
    """Decode the sampled frames of ``video`` and return their median brightness and contrast (0-255)."""
    frames = read_frames_at(video, sorted(light_picks(n_frames, samples)))
    return median_levels(luma_stats(f) for f in frames.values())
