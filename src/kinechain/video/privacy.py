"""Face blurring from pose landmarks: no extra model, the nose, eyes and ears give the face.

For each frame the face box is the bounding box of the visible face landmarks, widened by a
margin proportional to its size (and never smaller than a fraction of the shoulder width or
the image), then pixelated so that the face cannot be recognised.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from kinechain.model.pose import LANDMARK_INDEX, PoseSeries
from kinechain.video.reader import iter_frames

FACE_POINTS = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
)
#: Box margin as a multiple of the landmark spread, and smallest half-size as a fraction of the
#: image's shorter side (privacy convention: generous, since a missed face cannot be undone).
MARGIN = 1.5
MIN_HALF = 0.07
#: Pixelation cell, as a fraction of the face box side.
CELL = 0.2


def face_box(points: np.ndarray, image_size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """Return the pixel box (x0, y0, x1, y1) to blur around face points, or None when none is visible.

    Parameters
    ----------
    points : ndarray, shape (k, 2)
        Face landmark positions in image pixels; NaN rows are ignored.
    image_size : tuple of int
        (width, height) in pixels.
    """
    ok = np.isfinite(points).all(axis=1)
    if not ok.any():
        return None
    p = points[ok]
    w, h = image_size
    centre = (p.min(axis=0) + p.max(axis=0)) / 2
    half = max(float(np.ptp(p, axis=0).max()) * (0.5 + MARGIN), MIN_HALF * min(w, h))
    x0, y0 = np.floor(centre - half).astype(int)
    x1, y1 = np.ceil(centre + half).astype(int)
    box = (max(0, x0), max(0, y0), min(w, x1), min(h, y1))
    return box if box[2] > box[0] and box[3] > box[1] else None


def pixelate(rgb: np.ndarray, box: tuple[int, int, int, int]) -> None:
    """Pixelate ``box`` of an RGB image in place with cells of about ``CELL`` of the box side."""
    x0, y0, x1, y1 = box
    region = rgb[y0:y1, x0:x1]
    cell = max(4, int(max(x1 - x0, y1 - y0) * CELL))
    for yy in range(0, region.shape[0], cell):
        for xx in range(0, region.shape[1], cell):
            block = region[yy : yy + cell, xx : xx + cell]
            block[...] = block.reshape(-1, 3).mean(axis=0).astype(np.uint8)


def _face_points(pose: PoseSeries, frame: int, scale: float) -> np.ndarray:
    idx = [LANDMARK_INDEX[n] for n in FACE_POINTS if n in LANDMARK_INDEX]
    xy = pose.xy[min(frame, len(pose) - 1), idx].astype(float) * scale
    vis = pose.visibility[min(frame, len(pose) - 1), idx]
    xy[vis <= 0.0] = np.nan
    return xy


def blur_faces(
    video: str | os.PathLike[str], pose: PoseSeries, out: str | os.PathLike[str], *, crf: int = 23
) -> Path:
    """Write a copy of ``video`` (rotated upright, H.264 MP4) with the tracked person's face pixelated.

    Parameters
    ----------
    video : str or PathLike
        The source video.
    pose : PoseSeries
        Landmarks of the same video, one row per decoded frame, in image pixels.
    out : str or PathLike
        The MP4 to write.
    crf : int
        x264 constant rate factor (lower is better quality).

    Returns
    -------
    Path
        ``out``.
    """
    path = Path(out)
    with av.open(str(path), mode="w") as container:
        stream = None
        for frame in iter_frames(video):
            if stream is None:
                stream = _open_stream(container, frame.rgb.shape, pose.fps, crf)
            rgb = frame.rgb[: stream.height, : stream.width].copy()
            box = face_box(_face_points(pose, frame.index, frame.scale), (rgb.shape[1], rgb.shape[0]))
            if box is not None:
                pixelate(rgb, box)
            av_frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            av_frame.pts = round(frame.time * 1000)
            av_frame.time_base = Fraction(1, 1000)
            container.mux(stream.encode(av_frame))
        if stream is not None:
            container.mux(stream.encode(None))
    return path


def _open_stream(
    container: av.container.OutputContainer, shape: tuple[int, ...], fps: float, crf: int
) -> av.video.stream.VideoStream:
    stream = container.add_stream("libx264", rate=max(1, round(fps or 30)))
    stream.height, stream.width = shape[0] // 2 * 2, shape[1] // 2 * 2
    stream.pix_fmt = "yuv420p"
    stream.time_base = Fraction(1, 1000)
    stream.options = {"crf": str(crf), "preset": "veryfast", "movflags": "+faststart"}
    return stream
