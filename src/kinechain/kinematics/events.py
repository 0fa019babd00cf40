"""Gait events from side-view kinematics: foot strike and toe-off per foot.

Coordinate-based method of Zeni et al. 2008 (Gait Posture 27:710), which needs only positions
relative to the pelvis and so works on a treadmill and overground: foot strike at each peak of
the heel's forward distance ahead of the pelvis, toe-off at each trough of the toe's forward
distance. Peaks are located between frames by fitting a parabola through the three samples
around them.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from kinechain.model.kinematics import Event, Kinematics

#: Cadence range searched, steps per minute: walking to sprinting (convention).
MIN_STEP_RATE_SPM = 100.0
MAX_STEP_RATE_SPM = 240.0


def subframe_peak(values: np.ndarray, i: int) -> float:
    """Return the fractional index of the peak near sample ``i`` by parabolic interpolation."""
    if i <= 0 or i >= len(values) - 1:
        return float(i)
    y0, y1, y2 = values[i - 1], values[i], values[i + 1]
    denom = y0 - 2 * y1 + y2
    if not np.isfinite(denom) or abs(denom) < 1e-12:
        return float(i)
    return float(i + np.clip(0.5 * (y0 - y2) / denom, -0.5, 0.5))


def _time_at(times: np.ndarray, frac_index: float) -> float:
    i = int(np.floor(frac_index))
    if i >= len(times) - 1:
        return float(times[-1])
    return float(times[i] + (frac_index - i) * (times[i + 1] - times[i]))


def _peaks(values: np.ndarray, fps: float) -> tuple[np.ndarray, np.ndarray]:
    """Return indices of prominent peaks at most one per stride, and each peak's prominence."""
    finite = np.isfinite(values)
    if finite.sum() < 5:
        return np.zeros(0, int), np.zeros(0)
    filled = np.where(finite, values, np.nanmin(values))
    min_stride_frames = 2 * 60.0 / MAX_STEP_RATE_SPM * fps
    span = np.nanpercentile(values, 95) - np.nanpercentile(values, 5)
    idx, props = find_peaks(filled, distance=max(1, int(0.7 * min_stride_frames)), prominence=0.3 * span)
    keep = finite[idx]
    return idx[keep], props["prominences"][keep] / max(span, 1e-9)


def _events_from(kind: str, side: str, values: np.ndarray, times: np.ndarray, fps: float) -> list[Event]:
    idx, prom = _peaks(values, fps)
    events = []
    for i, p in zip(idx, prom, strict=True):
        frac = subframe_peak(values, int(i))
        events.append(Event(kind, side, _time_at(times, frac), round(frac), float(min(1.0, p))))
    return events


def gait_events(kin: Kinematics, *, sides: tuple[str, ...] = ("left", "right")) -> list[Event]:
    """Detect foot strikes and toe-offs of each side in side-view kinematics.

    Parameters
    ----------
    kin : Kinematics
        From :func:`kinechain.kinematics.sagittal.sagittal_kinematics`.
    sides : tuple of str
        Which feet to look at.

    Returns
    -------
    list of Event
        "foot_strike" and "toe_off" events with times in seconds (between frames).
    """
    fps = float(1.0 / np.median(np.diff(kin.times)))
    events: list[Event] = []
    for side in sides:
        heel = kin[f"heel_forward_{side}"]
        toe = kin[f"toe_forward_{side}"]
        events += _events_from("foot_strike", side, heel, kin.times, fps)
        events += _events_from("toe_off", side, -toe, kin.times, fps)
    return sorted(events, key=lambda e: e.time)


def pair_stances(
    strikes: list[Event], toe_offs: list[Event], *, max_contact_s: float = 0.5
) -> list[tuple[Event, Event]]:
    """Pair each foot strike with the first toe-off of the same foot before the next strike."""
    pairs = []
    for k, fs in enumerate(strikes):
        nxt = strikes[k + 1].time if k + 1 < len(strikes) else np.inf
        later = [to for to in toe_offs if fs.time < to.time < nxt and to.time - fs.time <= max_contact_s]
        if later:
            pairs.append((fs, later[0]))
    return pairs
