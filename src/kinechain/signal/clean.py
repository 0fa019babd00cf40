"""Clean a PoseSeries: mask unreliable points, fill short gaps, low-pass filter without lag."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

import numpy as np
from scipy.interpolate import PchipInterpolator
from scipy.signal import butter, filtfilt

from kinechain.model.pose import PoseSeries
from kinechain.signal.swaps import repair_leg_swaps

#: Defaults, with their basis. None of these numbers has a primary source in
#: docs/clinical-evidence.md; they are clinical/biomechanics convention.
DEFAULT_MIN_VISIBILITY = 0.5  # convention: MediaPipe's own "visible" threshold
DEFAULT_MAX_GAP_S = 0.10  # convention: at most ~1/7 of a running stride is interpolated
DEFAULT_CUTOFF_HZ = 10.0  # convention: running 2D kinematics are commonly low-passed at 6-12 Hz
FILTER_ORDER = 2  # 2nd-order Butterworth run forward and back: 4th-order, zero lag


def finite_runs(mask: np.ndarray) -> Iterator[tuple[int, int]]:
    """Yield (start, stop) index pairs of the runs of True in a boolean mask."""
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(int)))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        yield int(start), int(stop)


def mask_low_visibility(pose: PoseSeries, *, min_visibility: float = DEFAULT_MIN_VISIBILITY) -> PoseSeries:
    """Set to NaN the landmarks whose visibility is below ``min_visibility`` (0-1)."""
    hidden = pose.visibility < min_visibility
    xy = pose.xy.copy()
    xy[hidden] = np.nan
    world = None
    if pose.world is not None:
        world = pose.world.copy()
        world[hidden] = np.nan
    return pose.with_changes(xy=xy, world=world)


def fill_1d(times: np.ndarray, values: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Fill interior NaN gaps no longer than ``max_gap_s`` seconds by shape-preserving interpolation.

    Parameters
    ----------
    times : ndarray, shape (n,)
        Seconds.
    values : ndarray, shape (n,)
        Signal with NaN gaps.
    max_gap_s : float
        Longest gap filled, in seconds, measured between the known samples either side.
    """
    out = values.copy()
    known = np.isfinite(values)
    if known.sum() < 2 or known.all():
        return out
    interp = PchipInterpolator(times[known], values[known], extrapolate=False)
    for start, stop in finite_runs(~known):
        if start == 0 or stop == len(values):
            continue  # never extrapolate past the ends
        if times[stop] - times[start - 1] <= max_gap_s + 1e-9:
            out[start:stop] = interp(times[start:stop])
    return out


def _apply_per_column(arr: np.ndarray, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    flat = arr.reshape(arr.shape[0], -1)
    out = np.column_stack([fn(flat[:, j]) for j in range(flat.shape[1])])
    return out.reshape(arr.shape)


def fill_gaps(pose: PoseSeries, *, max_gap_s: float = DEFAULT_MAX_GAP_S) -> PoseSeries:
    """Fill short interior gaps of every landmark coordinate (see :func:`fill_1d`)."""
    xy = _apply_per_column(pose.xy, lambda c: fill_1d(pose.times, c, max_gap_s))
    world = None
    if pose.world is not None:
        world = _apply_per_column(pose.world, lambda c: fill_1d(pose.times, c, max_gap_s))
    return pose.with_changes(xy=xy, world=world)


@functools.lru_cache(maxsize=32)
def _butter_lowpass(order: int, wn: float) -> tuple[np.ndarray, np.ndarray]:
    """Butterworth low-pass coefficients for a normalised cutoff (designed once per setting)."""
    b, a = butter(order, wn, btype="low")
    return b, a


def lowpass_1d(values: np.ndarray, fs: float, cutoff_hz: float, order: int = FILTER_ORDER) -> np.ndarray:
    """Zero-lag Butterworth low-pass of each finite run of a signal (NaN gaps kept).

    Parameters
    ----------
    values : ndarray, shape (n,)
        Signal, NaN where unknown.
    fs : float
        Sampling rate in Hz.
    cutoff_hz : float
        -3 dB cutoff of the single pass, Hz; clipped below the Nyquist frequency.
    order : int
        Order of the single pass (the forward-backward filter has twice this order).
    """
    b, a = _butter_lowpass(order, round(min(cutoff_hz / (fs / 2.0), 0.99), 9))
    out = values.copy()
    padlen = 3 * max(len(a), len(b))
    for start, stop in finite_runs(np.isfinite(values)):
        if stop - start > padlen:
            out[start:stop] = filtfilt(b, a, values[start:stop], padlen=padlen)
    return out


def lowpass(pose: PoseSeries, *, cutoff_hz: float = DEFAULT_CUTOFF_HZ) -> PoseSeries:
    """Low-pass every landmark coordinate with a zero-lag Butterworth filter (see :func:`lowpass_1d`)."""
    fs = pose.fps
    xy = _apply_per_column(pose.xy, lambda c: lowpass_1d(c, fs, cutoff_hz))
    world = None
    if pose.world is not None:
        world = _apply_per_column(pose.world, lambda c: lowpass_1d(c, fs, cutoff_hz))
    return pose.with_changes(xy=xy, world=world)


def clean_pose(
    pose: PoseSeries,
    *,
    min_visibility: float = DEFAULT_MIN_VISIBILITY,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
    cutoff_hz: float = DEFAULT_CUTOFF_HZ,
    repair_swaps: bool = True,
) -> PoseSeries:
    """Mask low-visibility points, repair left/right leg swaps, fill short gaps, low-pass.

    Parameters
    ----------
    pose : PoseSeries
        Raw landmarks.
    min_visibility : float
        Points below this visibility (0-1) are treated as unknown.
    max_gap_s : float
        Longest gap filled by interpolation, seconds.
    cutoff_hz : float
        Low-pass cutoff, Hz.
    repair_swaps : bool
        Detect and undo frames where the left and right leg labels are exchanged.

    Returns
    -------
    PoseSeries
        A new series; ``meta["cleaning"]`` records the settings and the frames repaired.
    """
    masked = mask_low_visibility(pose, min_visibility=min_visibility)
    swapped = np.zeros(len(pose), dtype=bool)
    if repair_swaps:
        masked, swapped = repair_leg_swaps(masked)
    filtered = lowpass(fill_gaps(masked, max_gap_s=max_gap_s), cutoff_hz=cutoff_hz)
    meta = pose.meta.copy()
    meta["cleaning"] = {
        "min_visibility": min_visibility,
        "max_gap_s": max_gap_s,
        "cutoff_hz": cutoff_hz,
        "filter": f"Butterworth order {FILTER_ORDER}, forward-backward (zero lag)",
        "swapped_frames": int(swapped.sum()),
    }
    return filtered.with_changes(meta=meta)
