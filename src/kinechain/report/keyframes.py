"""Key frames: pick the representative event of each side and draw the measured angles on it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.vocab import Side
from kinechain.report.draw import DrawnAngle, angle_arcs, dim, draw_angles, draw_skeleton, keep_clear
from kinechain.report.geometry import person_crop
from kinechain.report.spec import ReportSpec
from kinechain.video.reader import read_frames_at

#: Width of a rendered key frame, px (twice a phone's CSS width, so it stays sharp).
KEY_FRAME_WIDTH = 720
#: Largest upscale of a small crop (more only blurs it).
MAX_UPSCALE = 2.5


@dataclass(frozen=True)
class KeyEvent:
    """The event chosen to illustrate one side, and why.

    Attributes
    ----------
    side : str
        "left" or "right".
    event : Event
        The chosen event.
    count : int
        Events of this kind on this side (the candidates).
    value : float, optional
        The pick signal at the chosen event (e.g. knee flexion, deg).
    median : float, optional
        The pick signal's median over the candidates.
    """

    side: Side
    event: Event
    count: int
    value: float | None = None
    median: float | None = None


@dataclass(frozen=True)
class KeyFrame:
    """A rendered key frame: the event, the picture (RGB uint8) and the angles drawn on it."""

    key: KeyEvent
    image: np.ndarray
    angles: list[DrawnAngle]


def key_event_kind(spec: ReportSpec, kin: Kinematics) -> str | None:
    """Return the spec's key event kind, or (generic spec) the first kind detected; None when no events."""
    if spec.key_event:
        return spec.key_event
    return kin.events[0].kind if kin.events else None


def signal_at(kin: Kinematics, name: str, frame: int) -> float:
    """Value of a signal at a frame index (NaN when the signal or the frame is missing)."""
    sig = kin.signals.get(name)
    if sig is None or not 0 <= frame < len(sig):
        return float("nan")
    return float(sig[frame])


def representative_event(kin: Kinematics, kind: str, side: Side, pick_signal: str | None) -> KeyEvent | None:
    """Return the event of ``kind`` on ``side`` closest to the median of ``pick_signal`` over all of them.

    Without a pick signal (or no finite value of it), the most confidently detected event is
    chosen. Returns None when the side has no such event.
    """
    events = kin.events_of(kind, side)
    if not events:
        return None
    if pick_signal:
        name = pick_signal.format(side=side)
        values = np.array([signal_at(kin, name, e.frame) for e in events])
        if np.isfinite(values).any():
            med = float(np.nanmedian(values))
            i = int(np.nanargmin(np.abs(values - med)))
            return KeyEvent(side, events[i], len(events), float(values[i]), med)
    best = max(events, key=lambda e: e.confidence)
    return KeyEvent(side, best, len(events))


def key_events(kin: Kinematics, spec: ReportSpec, near: str | None) -> list[KeyEvent]:
    """One representative key event per side that has any, the near side first."""
    kind = key_event_kind(spec, kin)
    if kind is None:
        return []
    sides = sorted(SIDES, key=lambda s: s != near)
    found = [representative_event(kin, kind, s, spec.pick_signal) for s in sides]
    both = [representative_event(kin, kind, "both", spec.pick_signal)] if not any(found) else []
    return [k for k in found + both if k is not None]


def frame_values(kin: Kinematics, spec: ReportSpec, side: str, frame: int) -> dict[str, float]:
    """Values at ``frame`` of the signals the spec's overlays print, keyed by signal name."""
    names = {ov.signal.format(side=side) for ov in spec.overlays if ov.signal}
    return {n: signal_at(kin, n, frame) for n in names}


def _crop_and_scale(rgb: np.ndarray, xy: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    x0, y0, x1, y1 = person_crop(xy, (rgb.shape[1], rgb.shape[0]))
    crop = rgb[y0:y1, x0:x1]
    scale = min(width / max(crop.shape[1], 1), MAX_UPSCALE)
    size = (max(1, round(crop.shape[1] * scale)), max(1, round(crop.shape[0] * scale)))
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(crop, size, interpolation=interp), (xy - [x0, y0]) * scale


def person_unit(xy: np.ndarray) -> float:
    """Drawing size unit: 1/100 of the person's height in px (from the known landmarks)."""
    known = xy[np.isfinite(xy).all(axis=1)]
    if len(known) < 2:
        return 4.0
    return max(2.0, float(np.ptp(known[:, 1])) / 100.0)


def _leg_joints(side: str) -> list[str]:
    return [f"{side}_{p}" for p in ("hip", "knee", "ankle", "heel", "foot_index")]


def _leg_bones(side: str) -> list[tuple[str, str]]:
    chain = [f"{side}_{p}" for p in ("shoulder", "hip", "knee", "ankle", "heel", "foot_index")]
    return [*itertools.pairwise(chain), ("hip_centre", "shoulder_centre")]


def render_key_frame(
    rgb: np.ndarray,
    xy: np.ndarray,
    spec: ReportSpec,
    side: Side,
    near: str | None,
    values: dict[str, float],
    width: int = KEY_FRAME_WIDTH,
) -> tuple[np.ndarray, list[DrawnAngle]]:
    """Crop a frame to the person, dim it, and draw the skeleton and the spec's angles for ``side``.

    Parameters
    ----------
    rgb : ndarray, shape (h, w, 3), uint8
        The full video frame.
    xy : ndarray, shape (33, 2)
        The frame's landmarks, px.
    spec : ReportSpec
        Which angles to draw.
    side : str
        Side of the key event ("left" / "right"); its leg's angles are drawn.
    near : str, optional
        Side nearer the camera (far-side bones are drawn grey).
    values : dict of str to float
        Signal values at this frame printed on the labels (see :func:`frame_values`).
    width : int
        Width of the returned image, px (smaller crops are upscaled at most 2.5x).

    Returns
    -------
    image : ndarray, uint8
        The annotated crop.
    angles : list of DrawnAngle
        The angles drawn, with the value shown for each.
    """
    img, pts = _crop_and_scale(rgb, xy, width)
    img = dim(img)
    unit = person_unit(pts)
    draw_skeleton(img, pts, unit, near=near, highlight=side)
    angles = angle_arcs(pts, spec.overlays, side, radius=9 * unit, values=values, min_radius=5 * unit)
    draw_angles(img, angles, unit, keep_clear(pts, _leg_joints(side), _leg_bones(side), unit))
    return img, angles


def key_frames(
    pose: PoseSeries,
    kin: Kinematics,
    spec: ReportSpec,
    video: Path,
    near: str | None,
    progress: Callable[[int, int], None] | None = None,
) -> list[KeyFrame]:
    """Decode only the key events' frames and render each (see :func:`render_key_frame`)."""
    keys = key_events(kin, spec, near)
    frames = read_frames_at(video, [k.event.frame for k in keys])
    out = []
    for i, k in enumerate(keys):
        rgb = frames.get(k.event.frame)
        if rgb is None:
            continue
        xy = pose.xy[k.event.frame]
        values = frame_values(kin, spec, k.side, k.event.frame)
        image, angles = render_key_frame(rgb, xy, spec, k.side, near, values)
        out.append(KeyFrame(k, image, angles))
        if progress:
            progress(i + 1, len(keys))
    return out
