"""Segment repeated movements into reps, and jumps into flight and ground-contact phases.

A rep (squat, step-down, lunge) is a rise of a "depth" signal (knee flexion in degrees from a
side view, or hip descent in leg lengths from the front) from a standing level to a peak and
back. Jump phases come from a height-above-floor signal (the lower foot, or the pelvis).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
from scipy.signal import find_peaks

from kinechain.kinematics.events import subframe_peak
from kinechain.model.kinematics import Event
from kinechain.model.vocab import Side

#: A rep starts and ends where the depth signal is back within this fraction of the rep's
#: excursion above the standing level (convention).
RETURN_FRACTION = 0.2
#: A rep must reach this fraction of the clip's deepest rep (convention).
MIN_RELATIVE_DEPTH = 0.4
#: Shortest time between two rep bottoms, seconds (convention: a controlled rep takes > 1 s).
MIN_REP_GAP_S = 0.6
#: The standing reference of a rep is looked for in this long a window before it, seconds
#: (convention: close enough that a drifting camera or person matters little).
STANDING_WINDOW_S = 1.0


@dataclass(frozen=True)
class Rep:
    """One repetition of a movement.

    Attributes
    ----------
    start, bottom, end : float
        Times in seconds: leaving the standing level, the deepest point, back at the standing level.
    depth : float
        Peak of the depth signal above the rep's standing level (the higher of the lowest
        values on either side of the peak, before the neighbouring reps), in the signal's unit.
    peak : float
        The depth signal's value at ``bottom``.
    confidence : float
        0-1: how complete the signal was over the rep.
    standing : float
        Time in seconds of the standing reference before the rep: the shallowest point in the
        :data:`STANDING_WINDOW_S` before ``start`` (no earlier than the previous rep's end).
    """

    start: float
    bottom: float
    end: float
    depth: float
    peak: float
    confidence: float
    standing: float

    def events(self, side: Side = "both") -> list[Event]:
        """Return the rep as "rep_start", "rep_bottom" and "rep_end" events (frame -1: not located)."""
        return [
            Event("rep_start", side, self.start, -1, self.confidence),
            Event("rep_bottom", side, self.bottom, -1, self.confidence),
            Event("rep_end", side, self.end, -1, self.confidence),
        ]


def _filled(times: np.ndarray, values: np.ndarray) -> np.ndarray:
    finite = np.isfinite(values)
    return cast("np.ndarray", np.interp(times, times[finite], values[finite]))


def _crossing(values: np.ndarray, start: int, level: float, step: int) -> int | None:
    """First index from ``start`` moving by ``step`` where ``values`` is at or below ``level``."""
    i = start
    while 0 <= i < len(values):
        if values[i] <= level:
            return i
        i += step
    return None


def segment_reps(
    times: np.ndarray,
    depth: np.ndarray,
    *,
    min_depth: float,
    return_fraction: float = RETURN_FRACTION,
    min_gap_s: float = MIN_REP_GAP_S,
    min_relative: float = MIN_RELATIVE_DEPTH,
) -> list[Rep]:
    """Find the reps of a repeated descent-and-return movement.

    Parameters
    ----------
    times : ndarray, shape (n,)
        Seconds.
    depth : ndarray, shape (n,)
        Larger when deeper (knee flexion in deg, hip descent in leg lengths ...); NaN allowed.
    min_depth : float
        Smallest excursion above the standing level that counts as a rep, in the signal's unit.
    return_fraction : float
        A rep starts/ends where the signal is within this fraction of its excursion of the
        standing level.
    min_gap_s : float
        Shortest time between two rep bottoms, seconds.
    min_relative : float
        A rep must reach at least this fraction of the deepest rep's depth (drops small
        wobbles and landmark noise in a clip with real reps).

    Returns
    -------
    list of Rep
        Complete reps only (a rep cut by the start or end of the clip is left out), in time order.
    """
    finite = np.isfinite(depth)
    if finite.sum() < 5:
        return []
    sig = _filled(times, depth)
    fps = 1.0 / float(np.median(np.diff(times)))
    peaks, props = find_peaks(sig, prominence=min_depth, distance=max(1, int(min_gap_s * fps)))
    reps = []
    for p, left_base, right_base in zip(peaks, props["left_bases"], props["right_bases"], strict=True):
        standing = max(sig[left_base], sig[right_base])
        level = standing + return_fraction * (sig[p] - standing)
        a = _crossing(sig, int(p), level, -1)
        b = _crossing(sig, int(p), level, +1)
        if a is None or b is None or a == 0 or b == len(sig) - 1:
            continue  # cut by the clip's start or end
        frac = subframe_peak(sig, int(p))
        reps.append(
            Rep(
                start=float(times[a]),
                bottom=float(np.interp(frac, np.arange(len(times)), times)),
                end=float(times[b]),
                depth=float(sig[p] - standing),
                peak=float(sig[p]),
                confidence=float(finite[a : b + 1].mean()),
                standing=_standing_time(
                    times, sig, a, max(int(left_base), a - round(STANDING_WINDOW_S * fps))
                ),
            )
        )
    reps = _without_overlaps(reps)
    deepest = max((r.depth for r in reps), default=0.0)
    return [r for r in reps if r.depth >= min_relative * deepest]


def _standing_time(times: np.ndarray, sig: np.ndarray, start: int, earliest: int) -> float:
    """Time of the shallowest sample of ``sig`` from index ``earliest`` to ``start``."""
    lo = max(0, min(earliest, start))
    return float(times[lo + int(np.argmin(sig[lo : start + 1]))])


def _without_overlaps(reps: list[Rep]) -> list[Rep]:
    """Keep the deeper of two reps whose spans overlap (a pause near the bottom makes two peaks)."""
    kept: list[Rep] = []
    for rep in reps:
        if kept and rep.start < kept[-1].end:
            if rep.depth > kept[-1].depth:
                kept[-1] = rep
            continue
        kept.append(rep)
    return kept


@dataclass(frozen=True)
class Phase:
    """An interval of time, seconds: ``start`` to ``end``."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return self.end - self.start


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    padded = np.concatenate(([False], mask, [False]))
    edges = np.flatnonzero(np.diff(padded.astype(int)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _crossing_time(times: np.ndarray, values: np.ndarray, i: int, level: float) -> float:
    """Time between samples ``i - 1`` and ``i`` where ``values`` crosses ``level`` (linear)."""
    if i <= 0 or i >= len(values):
        return float(times[min(max(i, 0), len(times) - 1)])
    v0, v1 = values[i - 1], values[i]
    w = (level - v0) / (v1 - v0) if v1 != v0 else 0.0
    return float(times[i - 1] + np.clip(w, 0.0, 1.0) * (times[i] - times[i - 1]))


def airborne_phases(
    times: np.ndarray, height: np.ndarray, *, threshold: float, min_duration_s: float = 0.08
) -> list[Phase]:
    """Intervals where ``height`` stays above ``threshold`` (e.g. the lower foot above the floor).

    Parameters
    ----------
    times : ndarray
        Seconds.
    height : ndarray
        Height above the floor or standing level (any unit, y up); NaN allowed.
    threshold : float
        Level above which the body is taken to be off the ground, same unit.
    min_duration_s : float
        Shorter excursions are ignored (noise, a stumble), seconds.

    Returns
    -------
    list of Phase
        Take-off to landing, with times interpolated between samples, in time order. Phases
        cut by the clip's start or end are left out.
    """
    if np.isfinite(height).sum() < 5:
        return []
    sig = _filled(times, height)
    phases = []
    for a, b in _runs(sig > threshold):
        if a == 0 or b == len(sig):
            continue
        phase = Phase(_crossing_time(times, sig, a, threshold), _crossing_time(times, sig, b, threshold))
        if phase.duration >= min_duration_s:
            phases.append(phase)
    return phases


def peak_after(
    times: np.ndarray, signal: np.ndarray, start: float, within_s: float
) -> tuple[float, float] | None:
    """Time and value of the maximum of ``signal`` in [start, start + within_s] s; None if all NaN."""
    sel = (times >= start) & (times <= start + within_s) & np.isfinite(signal)
    if not sel.any():
        return None
    idx = np.flatnonzero(sel)
    i = int(idx[np.argmax(signal[idx])])
    return float(times[i]), float(signal[i])


def contacts(
    times: np.ndarray, height: np.ndarray, *, threshold: float, min_air_s: float = 0.08
) -> tuple[list[float], list[float]]:
    """Take-off and touchdown times of a height-above-floor signal.

    A touchdown is where ``height`` comes down through ``threshold`` after being above it for at
    least ``min_air_s`` (an off-the-floor period that began before the clip counts: someone
    standing on a box at the start); a take-off is where it goes up through ``threshold`` and
    stays above for ``min_air_s`` (one that lasts to the clip's end counts too). Each touchdown
    is then moved forward to the first sample where the height is within 30% of ``threshold``
    of the floor (within 0.1 s), so the foot is down rather than still arriving.

    Parameters
    ----------
    times : ndarray
        Seconds.
    height : ndarray
        Height above the floor, any unit, y up; NaN allowed.
    threshold : float
        Height above which the foot is off the floor, same unit.
    min_air_s : float
        Shortest off-the-floor period counted, seconds.

    Returns
    -------
    (list of float, list of float)
        Take-off times and touchdown times, seconds, in time order.
    """
    if np.isfinite(height).sum() < 5:
        return [], []
    sig = _filled(times, height)
    offs, downs = [], []
    for a, b in _runs(sig > threshold):
        if times[min(b, len(sig) - 1)] - times[a] < min_air_s:
            continue
        if a > 0:
            offs.append(_crossing_time(times, sig, a, threshold))
        if b < len(sig):
            downs.append(_settled(times, sig, b, threshold))
    return offs, downs


def _settled(times: np.ndarray, sig: np.ndarray, i: int, threshold: float) -> float:
    """Time of the first sample from ``i`` within 0.3 x ``threshold`` of the floor (0.1 s at most)."""
    j = i
    while j < len(sig) and times[j] - times[i] <= 0.1:
        if sig[j] <= 0.3 * threshold:
            return float(times[j])
        j += 1
    return _crossing_time(times, sig, i, threshold)
