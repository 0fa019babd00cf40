"""Helpers shared by protocols: sampling signals at event times and cleaning up cycle lists."""

from __future__ import annotations

import itertools

import numpy as np

from kinechain.model.kinematics import Event


def value_at(times: np.ndarray, signal: np.ndarray, t: float) -> float:
    """Linearly interpolate ``signal`` at time ``t`` (s); NaN if a neighbouring sample is NaN."""
    i = int(np.searchsorted(times, t))
    if i <= 0 or i >= len(times):
        j = min(max(i, 0), len(times) - 1)
        return float(signal[j])
    t0, t1 = times[i - 1], times[i]
    w = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
    return float(signal[i - 1] * (1 - w) + signal[i] * w)


def window(times: np.ndarray, signal: np.ndarray, t0: float, t1: float) -> np.ndarray:
    """Return the samples of ``signal`` with t0 <= time <= t1."""
    sel = (times >= t0) & (times <= t1)
    return signal[sel]


def regular_strides(
    strikes: list[Event], *, low: float = 0.75, high: float = 1.33
) -> list[tuple[Event, Event]]:
    """Consecutive same-foot strike pairs whose duration is within [low, high] x the median.

    Strides far from the median come from missed or spurious events (occlusion, a stumble)
    and are dropped rather than averaged in.
    """
    pairs = list(itertools.pairwise(strikes))
    if not pairs:
        return []
    durations = np.array([b.time - a.time for a, b in pairs])
    med = float(np.median(durations))
    return [p for p, d in zip(pairs, durations, strict=True) if low * med <= d <= high * med]


def finite_mean(values: list[float] | np.ndarray) -> float:
    """Mean of the finite values (NaN when none)."""
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    return float(arr.mean()) if arr.size else float("nan")
