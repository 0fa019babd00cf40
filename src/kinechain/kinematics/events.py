"""Gait events from side-view kinematics: foot strike and toe-off per foot.

Two steps. First, stride anchors by the coordinate-based method of Zeni et al. 2008 (Gait
Posture 27:710), which needs only positions relative to the pelvis and so works on a treadmill
and overground: a peak of the heel's forward distance ahead of the pelvis each stride, and a
trough of the toe's. Peaks are located between frames by fitting a parabola through the three
samples around them. These anchors are regular and robust to landmark noise, but in running they
are not contact events: against force plates (BMC trials through the virtual camera, see
docs/mocap.md) the heel peak came 25-31 ms before foot strike and the toe trough 105-125 ms after
toe-off, so contact times came out ~150 ms too long.

Second (``method="contact"``, the default), each stride's events are placed on the foot itself.
Foot strike: the heel lands at or after its anchor (a foot cannot land while it still swings
forward), once its downward speed has fallen below :data:`LANDING_SPEED_FRAC` of its fastest
late-swing descent (:func:`landing`; at most :data:`LANDING_SEARCH_S` after the anchor). Toe-off:
from that landing to a quarter stride before the next anchor, the foot is taken to be on the
ground while its heel or its toe lies within :data:`CONTACT_HEIGHT_FRAC` of the leg length above
that point's own stance level (its 5th percentile height in the window), for at least
:data:`MIN_CONTACT_RUN_S` (gaps up to :data:`MAX_CONTACT_GAP_S` bridged); the end of that run,
placed between frames, is the toe-off. A stride without a contact run keeps its toe anchor,
shifted by the median anchor-to-toe-off offset of the other strides (when
:data:`MIN_CONTACT_STRIDES` or more have one). Each stride is timed on its own, so a landmark
error in one stride does not move the others.

Why not shift all anchors by one median offset, as before: on real phone video (the treadmill
clip of tests/data/video, every contact marked by eye) the near foot's heel keeps sinking in the
image for 2-3 frames after it lands (perspective and the heel rolling), so a height-based landing
came 2.3 frames late; the heel anchor itself was within 0.3 frames of the marks for both feet.
Against force plates through the virtual camera (docs/mocap.md) the anchor came 25-31 ms before
foot strike: the two references disagree by about one frame at 30 fps; the real video is what
users film, and is the reference here (docs/validation-results.md).

The thresholds are conventions; measured accuracy on real clips is in docs/validation-results.md
(benchmarks/real_video_validation.py) and on motion capture in docs/mocap.md.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.vocab import Leg
from kinechain.signal.clean import finite_runs

#: Cadence range searched, steps per minute: walking to sprinting (convention).
MIN_STEP_RATE_SPM = 100.0
MAX_STEP_RATE_SPM = 240.0
#: Foot on the ground: heel or toe within this share of leg length of its stance level (convention).
CONTACT_HEIGHT_FRAC = 0.02
#: Stance level of a foot point: this percentile of its height over the stride (convention).
STANCE_LEVEL_PERCENTILE = 5.0
#: A contact lasts at least this long; shorter dips are not contacts (convention), seconds.
MIN_CONTACT_RUN_S = 0.04
#: Gaps in contact up to this long are bridged (landmark jitter; convention), seconds.
MAX_CONTACT_GAP_S = 0.03
#: Each stride is searched from this share of a stride before its heel anchor (late swing, the
#: foot in the air) so that a contact starting before the anchor is found whole (convention).
STRIDE_LEAD = 0.25
#: Strides with a contact run needed before unmatched toe anchors are shifted by their median
#: offset (convention).
MIN_CONTACT_STRIDES = 3
#: The heel has landed when its downward speed is below this share of its fastest late-swing
#: descent (convention).
LANDING_SPEED_FRAC = 0.25
#: Landing is searched for at most this long after the heel anchor, seconds (convention).
LANDING_SEARCH_S = 0.06
METHODS = ("contact", "zeni")


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


def _events_from(kind: str, side: Leg, values: np.ndarray, times: np.ndarray, fps: float) -> list[Event]:
    idx, prom = _peaks(values, fps)
    events = []
    for i, p in zip(idx, prom, strict=True):
        frac = subframe_peak(values, int(i))
        events.append(Event(kind, side, _time_at(times, frac), round(frac), float(min(1.0, p))))
    return events


def zeni_events(kin: Kinematics, side: Leg) -> list[Event]:
    """Stride anchors of one foot by Zeni et al. 2008: heel-ahead-of-pelvis peaks, toe troughs."""
    fps = float(1.0 / np.median(np.diff(kin.times)))
    events = _events_from("foot_strike", side, kin[f"heel_forward_{side}"], kin.times, fps)
    events += _events_from("toe_off", side, -kin[f"toe_forward_{side}"], kin.times, fps)
    return sorted(events, key=lambda e: e.time)


def _crossing(times: np.ndarray, values: np.ndarray, i: int, j: int, level: float) -> float:
    """Time between adjacent samples i and j where ``values`` crosses ``level`` (linear)."""
    vi, vj = values[i], values[j]
    if not (np.isfinite(vi) and np.isfinite(vj)) or vi == vj:
        return float(times[j])
    w = float(np.clip((level - vi) / (vj - vi), 0.0, 1.0))
    return float(times[i] + w * (times[j] - times[i]))


def _contact_run(times: np.ndarray, near: np.ndarray, idx: np.ndarray) -> tuple[int, int] | None:
    """First run of ``near`` samples (indices into the stride ``idx``) long enough to be a contact."""
    merged: list[list[int]] = []
    for start, stop in finite_runs(near[idx]):
        a, b = int(idx[start]), int(idx[stop - 1])
        if merged and times[a] - times[merged[-1][1]] <= MAX_CONTACT_GAP_S:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    for a, b in merged:
        if times[b] - times[a] >= MIN_CONTACT_RUN_S:
            return a, b
    return None


def foot_contact(kin: Kinematics, side: Leg, start: float, stop: float) -> tuple[float, float] | None:
    """Contact of one foot within a stride [start, stop) from heel and toe heights, seconds.

    Parameters
    ----------
    kin : Kinematics
        Holding ``heel_height_<side>``, ``toe_height_<side>`` (px, y up) and ``meta["leg_length_px"]``.
    side : str
        "left" or "right".
    start, stop : float
        The stride, seconds (e.g. from one foot-strike anchor to the next).

    Returns
    -------
    tuple of float or None
        (foot strike, toe-off) in seconds, or None when no contact run is found.
    """
    t = kin.times
    if f"heel_height_{side}" not in kin.signals or f"toe_height_{side}" not in kin.signals:
        return None
    heel, toe = kin[f"heel_height_{side}"], kin[f"toe_height_{side}"]
    legs = kin.meta.leg_length_px
    leg = legs.get(side, np.nan)
    leg = leg if np.isfinite(leg) else float(np.nanmean(list(legs.values()) or [np.nan]))
    idx = np.flatnonzero((t >= start) & (t < stop))
    if (
        idx.size < 4
        or not np.isfinite(leg)
        or not (np.isfinite(heel[idx]).any() and np.isfinite(toe[idx]).any())
    ):
        return None
    above = np.fmin(
        heel - np.nanpercentile(heel[idx], STANCE_LEVEL_PERCENTILE),
        toe - np.nanpercentile(toe[idx], STANCE_LEVEL_PERCENTILE),
    )
    level = CONTACT_HEIGHT_FRAC * leg
    run = _contact_run(t, np.nan_to_num(above, nan=np.inf) < level, idx)
    if run is None or run[0] == 0 or run[1] + 1 >= len(t):
        return None
    a, b = run
    return _crossing(t, above, a - 1, a, level), _crossing(t, above, b, b + 1, level)


def landing(kin: Kinematics, side: Leg, anchor: float, stride: float) -> float:
    """Time the heel lands, at or after its heel anchor (the heel's most forward point), seconds.

    The heel has landed once its downward speed has fallen below :data:`LANDING_SPEED_FRAC` of
    its fastest descent in late swing (the quarter stride before the anchor). Searched for at most
    :data:`LANDING_SEARCH_S` after the anchor; the anchor itself when the heel has already stopped
    falling there or its height is unknown.
    """
    t = kin.times
    if f"heel_height_{side}" not in kin.signals or len(t) < 3:
        return anchor
    fall = -np.gradient(kin[f"heel_height_{side}"], t)  # px/s, positive while descending
    late_swing = fall[(t >= anchor - 0.25 * stride) & (t <= anchor)]
    if not np.isfinite(late_swing).any() or np.nanmax(late_swing) <= 0:
        return anchor
    level = LANDING_SPEED_FRAC * float(np.nanmax(late_swing))
    first = int(np.searchsorted(t, anchor))
    last = min(int(np.searchsorted(t, anchor + LANDING_SEARCH_S, side="right")), len(t) - 1)
    if first >= len(t) or not np.isfinite(fall[first]) or fall[first] <= level:
        return anchor
    for i in range(first + 1, last + 1):  # one sample past the window, to place the crossing
        if np.isfinite(fall[i]) and fall[i] <= level:
            return float(np.clip(_crossing(t, fall, i - 1, i, level), anchor, anchor + LANDING_SEARCH_S))
    return anchor


def _stride_events(kin: Kinematics, side: Leg, anchors: list[Event]) -> list[Event]:
    """Foot strike (landing) and toe-off (the foot leaving its stance level) of each stride."""
    strikes = [e for e in anchors if e.kind == "foot_strike"]
    offs = [e for e in anchors if e.kind == "toe_off"]
    if len(strikes) < 2:
        return anchors
    period = float(np.median(np.diff([e.time for e in strikes])))
    out, shifts, unmatched = [], [], []
    for k, a in enumerate(strikes):
        on = landing(kin, side, a.time, period)
        out.append(_at(kin.times, a, on))
        stop = strikes[k + 1].time if k + 1 < len(strikes) else on + period
        anchor_to = [e for e in offs if a.time < e.time < stop]
        contact = foot_contact(kin, side, on, stop - STRIDE_LEAD * period)
        if contact is not None and contact[1] > on:
            off = anchor_to[0] if anchor_to else Event("toe_off", side, contact[1], 0, a.confidence)
            out.append(_at(kin.times, off, contact[1]))
            if anchor_to:
                shifts.append(contact[1] - anchor_to[0].time)
        elif anchor_to:
            unmatched.append(anchor_to[0])
    shift = float(np.median(shifts)) if len(shifts) >= MIN_CONTACT_STRIDES else 0.0
    out += [_at(kin.times, e, e.time + shift) for e in unmatched]
    return out


def _at(times: np.ndarray, e: Event, time: float) -> Event:
    """Return a copy of event ``e`` moved to ``time`` seconds, with its nearest frame."""
    frame = int(np.clip(np.searchsorted(times, time), 0, len(times) - 1))
    if frame > 0 and time - times[frame - 1] < times[frame] - time:
        frame -= 1
    return Event(e.kind, e.side, time, frame, e.confidence)


def gait_events(
    kin: Kinematics, *, sides: tuple[Leg, ...] = ("left", "right"), method: str = "contact"
) -> list[Event]:
    """Detect foot strikes and toe-offs of each side in side-view kinematics.

    Parameters
    ----------
    kin : Kinematics
        From :func:`kinechain.kinematics.sagittal.sagittal_kinematics`.
    sides : tuple of str
        Which feet to look at.
    method : str
        "contact" (default): per stride, the heel's landing at or after its Zeni anchor and the
        toe-off where the foot leaves its stance level (module docstring);
        "zeni": the anchors alone (Zeni et al. 2008).

    Returns
    -------
    list of Event
        "foot_strike" and "toe_off" events with times in seconds (between frames).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    events: list[Event] = []
    for side in sides:
        anchors = zeni_events(kin, side)
        events += _stride_events(kin, side, anchors) if method == "contact" else anchors
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
