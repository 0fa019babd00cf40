"""The annotated overlay video: skeleton, live angles, event flashes and a footfall timeline.

Frames are streamed (decode -> draw -> encode), so memory stays flat whatever the clip length.
The output is H.264 in yuv420p with the index (moov atom) at the start of the file, which every
browser plays and can start playing before it has the whole file. Each frame keeps its source
timestamp, so the overlay has the source's frame count and duration, variable frame rate included.
"""

from __future__ import annotations

import bisect
import itertools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av
import cv2
import numpy as np

from kinechain.errors import InputError
from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.recording import VideoInfo
from kinechain.model.vocab import Leg, is_leg
from kinechain.report.draw import INK, WHITE, angle_arcs, draw_arc, draw_label, draw_skeleton
from kinechain.report.geometry import Box, landmark_xy
from kinechain.report.keyframes import frame_values, person_unit
from kinechain.report.plots import stance_periods
from kinechain.report.spec import EVENT_NAMES, AngleOverlay, ReportSpec, get_spec
from kinechain.report.text import put_text, text_size
from kinechain.video.reader import iter_frames, probe

if TYPE_CHECKING:
    from kinechain.model.result import Analysis

#: Colours of each side in the video (lighter Okabe-Ito tones that read on dark and light scenes).
SIDE_RGB = {"left": (86, 180, 233), "right": (230, 159, 0)}
#: How long an event's flash lasts, seconds.
FLASH_S = 0.3
#: Where an event's ring flashes (other event kinds are only named in the banner).
FLASH_POINTS = {"foot_strike": "heel", "toe_off": "foot_index"}
#: Timestamps in the output, ticks per second (the MP4 convention for video).
TIME_BASE = Fraction(1, 90000)
#: Longest side of the overlay, px; larger videos (4K phones) are downscaled to keep up.
DEFAULT_MAX_SIDE = 1280


@dataclass(frozen=True)
class OverlayStyle:
    """Sizes derived from the frame and the person, px."""

    unit: float
    text_px: int
    margin: int
    strip_h: int


def _style(width: int, height: int, pose_unit: float) -> OverlayStyle:
    short = min(width, height)
    return OverlayStyle(
        unit=pose_unit,
        text_px=max(12, round(short / 26)),
        margin=max(6, round(short / 40)),
        strip_h=max(18, round(short / 14)),
    )


def clip_unit(pose: PoseSeries, scale: float) -> float:
    """One drawing unit for the whole clip: the median person height / 100, in output px."""
    units = [person_unit(pose.xy[i]) for i in range(0, len(pose), max(1, len(pose) // 50))]
    return float(np.median(units)) * scale if units else 4.0


def footfall_strip(kin: Kinematics, width: int, height: int) -> np.ndarray:
    """Return an RGBA strip (height, width, 4) of each foot's stances: left foot above, right below."""
    strip = np.zeros((height, width, 4), np.uint8)
    strip[..., :3], strip[..., 3] = 20, 170
    t0, t1 = float(kin.times[0]), float(kin.times[-1])
    rows = {"left": (0.15, 0.47), "right": (0.53, 0.85)}
    for side in SIDES:
        y0, y1 = (round(f * height) for f in rows[side])
        for a, b in stance_periods(kin, side):
            x0 = round((a - t0) / (t1 - t0) * (width - 1))
            x1 = max(x0 + 1, round((b - t0) / (t1 - t0) * (width - 1)))
            strip[y0:y1, x0:x1, :3] = SIDE_RGB[side]
            strip[y0:y1, x0:x1, 3] = 255
    return strip


def blend_rgba(img: np.ndarray, rgba: np.ndarray, x: int, y: int) -> None:
    """Alpha-blend an RGBA image onto an RGB image in place with its top-left at (x, y)."""
    h, w = rgba.shape[:2]
    region = img[y : y + h, x : x + w]
    a = rgba[: region.shape[0], : region.shape[1], 3:4].astype(np.float32) / 255.0
    region[:] = (region * (1 - a) + rgba[: region.shape[0], : region.shape[1], :3] * a).astype(np.uint8)


class EventClock:
    """Which events flash at a given time (those that began less than ``FLASH_S`` ago)."""

    def __init__(self, events: Sequence[Event], kinds: Sequence[str]) -> None:
        self.events = sorted((e for e in events if e.kind in kinds), key=lambda e: e.time)
        self.times = [e.time for e in self.events]

    def active(self, t: float) -> list[tuple[Event, float]]:
        """Events flashing at time ``t`` (s), with their age as a share of the flash (0 to 1)."""
        hi = bisect.bisect_right(self.times, t)
        lo = bisect.bisect_left(self.times, t - FLASH_S)
        return [(e, (t - e.time) / FLASH_S) for e in self.events[lo:hi]]


def _flash(img: np.ndarray, xy: np.ndarray, event: Event, age: float, st: OverlayStyle) -> None:
    """Draw an expanding, fading ring where the foot was at the event: filled at foot strike, open at toe-off.

    ``xy`` are the landmarks (output px) at the event's frame, so the ring stays where it happened.
    """
    point = FLASH_POINTS.get(event.kind)
    if point is None or event.side not in SIDES:
        return
    p = landmark_xy(xy, f"{event.side}_{point}")
    if not np.isfinite(p).all():
        return
    colour = SIDE_RGB.get(event.side, WHITE)
    r = int(st.unit * (4 + 8 * age))
    centre = (round(float(p[0])), round(float(p[1])))
    if event.kind == "foot_strike":
        x0, y0 = max(0, centre[0] - r - 2), max(0, centre[1] - r - 2)
        region = img[y0 : centre[1] + r + 3, x0 : centre[0] + r + 3]
        layer = region.copy()
        cv2.circle(layer, (centre[0] - x0, centre[1] - y0), r, colour, -1, cv2.LINE_AA)
        opacity = 0.55 * (1 - age)
        cv2.addWeighted(layer, opacity, region, 1 - opacity, 0, dst=region)
    cv2.circle(img, centre, r, INK, max(3, round(1.1 * st.unit)), cv2.LINE_AA)
    cv2.circle(img, centre, r, colour, max(2, round(0.7 * st.unit)), cv2.LINE_AA)


def _hud_knees(
    img: np.ndarray, values: dict[str, float], measured: set[Leg], overlay: AngleOverlay, st: OverlayStyle
) -> None:
    """Draw the top-left panel: the live value of the overlay angle for each measured side."""
    y = st.margin
    for side in SIDES:
        name = overlay.signal.format(side=side) if overlay.signal else ""
        v = values.get(name, np.nan)
        shown = f"{v:.0f}°" if side in measured and np.isfinite(v) else "-"
        short = overlay.short if overlay.short.isupper() else overlay.short.lower()
        text = f"{side.capitalize()} {short} {shown}"
        w, _ = text_size(text, st.text_px)
        box = Box(st.margin, y, w + 1.2 * st.text_px, 1.55 * st.text_px)
        draw_label(img, box, text, SIDE_RGB[side], st.text_px)
        y += round(box.h + 0.35 * st.text_px)


def _banner(img: np.ndarray, events: list[tuple[Event, float]], st: OverlayStyle) -> None:
    """Write the names of the events flashing now, stacked in the top-right corner."""
    y = st.margin
    for e, _ in events[-2:]:
        text = f"{e.side} {EVENT_NAMES.get(e.kind, e.kind)}".upper()
        w, _h = text_size(text, st.text_px)
        bw = w + 1.2 * st.text_px
        box = Box(img.shape[1] - st.margin - bw, y, bw, 1.55 * st.text_px)
        draw_label(img, box, text, SIDE_RGB.get(e.side, WHITE), st.text_px)
        y += round(1.9 * st.text_px)


def _timeline(img: np.ndarray, strip: np.ndarray, progress: float, st: OverlayStyle) -> None:
    """Draw the footfall strip along the bottom (labelled L / R) with a playhead at ``progress`` (0-1)."""
    x, y = img.shape[1] - st.margin - strip.shape[1], img.shape[0] - st.margin - strip.shape[0]
    size = max(9, round(strip.shape[0] * 0.3))
    for side, row in (("L", 0.31), ("R", 0.69)):
        w, h = text_size(side, size)
        put_text(img, side, x - w - 4, y + round(row * strip.shape[0] - h / 2), size, WHITE)
    blend_rgba(img, strip, x, y)
    px = x + round(progress * (strip.shape[1] - 1))
    cv2.line(img, (px, y - 3), (px, y + strip.shape[0] + 3), INK, 5, cv2.LINE_AA)
    cv2.line(img, (px, y - 3), (px, y + strip.shape[0] + 3), WHITE, 2, cv2.LINE_AA)


@dataclass
class _Scene:
    """Everything fixed across frames of one overlay."""

    analysis: Analysis
    spec: ReportSpec
    measured: set[Leg]
    style: OverlayStyle
    strip: np.ndarray
    clock: EventClock
    scale: float


def draw_overlay_frame(img: np.ndarray, index: int, t: float, scene: _Scene) -> None:
    """Draw everything for one frame onto ``img`` (RGB uint8, output px) in place."""
    a, st = scene.analysis, scene.style
    pose, kin = a.pose, a.kinematics
    if index < len(pose):
        xy = pose.xy[index] * scene.scale
        near = a.result.view.view if a.result.view.view in SIDES else None
        draw_skeleton(img, xy, st.unit, near=near)
        values: dict[str, float] = {}
        for side in sorted(scene.measured):
            v = frame_values(kin, scene.spec, side, index) | _live_values(kin, scene.spec, side, index)
            values |= v
            for d in angle_arcs(xy, scene.spec.live_overlays, side, 7 * st.unit, v, 4 * st.unit):
                draw_arc(img, d.arc, SIDE_RGB[side], st.unit)
        active = scene.clock.active(t)
        for e, age in active:
            _flash(img, pose.xy[min(e.frame, len(pose) - 1)] * scene.scale, e, age, st)
        for ov in scene.spec.live_overlays[:1]:
            _hud_knees(img, values, scene.measured, ov, st)
        _banner(img, active, st)
    t0, t1 = float(kin.times[0]), float(kin.times[-1])
    _timeline(img, scene.strip, float(np.clip((t - t0) / max(t1 - t0, 1e-9), 0, 1)), st)


def _live_values(kin: Kinematics, spec: ReportSpec, side: str, index: int) -> dict[str, float]:
    names = {ov.signal.format(side=side) for ov in spec.live_overlays if ov.signal}
    return {
        n: float(kin.signals[n][index]) if n in kin.signals and index < len(kin.times) else np.nan
        for n in names
    }


def measured_sides(analysis: Analysis) -> set[Leg]:
    """Sides with at least one measurable per-side measure (their live angles are shown)."""
    return {m.side for m in analysis.result.measures if is_leg(m.side) and m.measurable}


def _open_output(
    path: Path, width: int, height: int, fps: float, crf: int, preset: str
) -> tuple[av.container.OutputContainer, av.video.stream.VideoStream]:
    out = av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"})
    stream = out.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    stream.options = {"crf": str(crf), "preset": preset}
    stream.codec_context.time_base = TIME_BASE
    return out, stream


def _scene(analysis: Analysis, spec: ReportSpec, width: int, height: int, scale: float) -> _Scene:
    st = _style(width, height, clip_unit(analysis.pose, scale))
    strip = footfall_strip(analysis.kinematics, width - 2 * st.margin - st.strip_h // 2, st.strip_h)
    clock = EventClock(analysis.kinematics.events, spec.marked_events)
    return _Scene(analysis, spec, measured_sides(analysis), st, strip, clock, scale)


def write_overlay(
    analysis: Analysis,
    path: str | os.PathLike[str],
    *,
    progress: Callable[[str, int, int], None] | None = None,
    max_side: int = DEFAULT_MAX_SIDE,
    crf: int = 23,
    preset: str = "veryfast",
) -> Path:
    """Write the annotated overlay video (H.264 MP4, yuv420p, fast start) of an analysis.

    Parameters
    ----------
    analysis : Analysis
        From :func:`kinechain.analyze` with the video it was run on.
    path : str or PathLike
        The MP4 file to write (written to a temporary name, then moved into place).
    progress : callable, optional
        Called as ``progress("overlay", done_frames, total_frames)``.
    max_side : int
        Longest side of the output, px (larger videos are downscaled).
    crf : int
        x264 constant rate factor (lower is better quality and larger; 23 is x264's default).
    preset : str
        x264 speed preset ("ultrafast" ... "veryslow").

    Returns
    -------
    Path
        The file written.
    """
    if analysis.video is None or not Path(analysis.video).exists():
        raise InputError("an overlay video needs the source video; run the analysis on the video file.")
    video = Path(analysis.video)
    report = progress or (lambda stage, done, total: None)
    info = probe(video)
    spec = get_spec(analysis.result.test)
    out_path = Path(path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.stem + ".part.mp4")
    try:
        _encode(analysis, video, spec, info, tmp, (max_side, crf, preset), report)
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path


def _encode(
    analysis: Analysis,
    video: Path,
    spec: ReportSpec,
    info: VideoInfo,
    tmp: Path,
    settings: tuple[int, int, str],
    report: Callable[[str, int, int], None],
) -> None:
    """Stream the video through the drawing into the encoder; settings: (max_side, crf, preset)."""
    max_side, crf, preset = settings
    frames = iter_frames(video, max_side=max_side)
    first = next(frames, None)
    if first is None:
        raise InputError(f"{video} has no decodable frames; export it again as H.264 MP4.")
    h, w = first.rgb.shape[0] // 2 * 2, first.rgb.shape[1] // 2 * 2
    out, stream = _open_output(tmp, w, h, info.fps, crf, preset)
    scene = _scene(analysis, spec, w, h, first.scale)
    try:
        for frame in itertools.chain([first], frames):
            img = cv2.convertScaleAbs(frame.rgb[:h, :w], alpha=0.85)
            draw_overlay_frame(img, frame.index, frame.time, scene)
            vf = av.VideoFrame.from_ndarray(np.asarray(img, dtype=np.uint8), format="rgb24")
            vf.pts, vf.time_base = round(frame.time / TIME_BASE), TIME_BASE
            out.mux(stream.encode(vf))
            report("overlay", frame.index + 1, max(info.n_frames, frame.index + 1))
        out.mux(stream.encode())
    finally:
        out.close()
