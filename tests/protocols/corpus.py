"""Invalid and valid variants of the repo's real clips and keypoints, made at test time.

Keypoint variants transform the landmarks MediaPipe recorded from the real clips (tests/data/video
and tests/data/protocols/keypoints) exactly as the picture transform would move them. Video
variants transform the pixels of tests/data/video/male_side.mp4 with numpy and write them with
PyAV (no ffmpeg binary needed).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np

from kinechain.model.pose import LANDMARK_NAMES, PoseSeries
from kinechain.pose import load_keypoints
from kinechain.protocols.content import turn_pose
from kinechain.video.reader import iter_frames

DATA = Path(__file__).resolve().parents[1] / "data"
RUN_KP = DATA / "video" / "male_side.mediapipe-full.json"
KP = DATA / "protocols" / "keypoints"
RUN_VIDEO = DATA / "video" / "male_side.mp4"
SEED = 12


def keypoints(name: str) -> PoseSeries:
    """Recorded keypoints of a repo clip: "male_side", or one in tests/data/protocols/keypoints."""
    return load_keypoints(RUN_KP if name == "male_side" else KP / f"{name}.mediapipe-full.json")


def _swap_sides(pose: PoseSeries) -> PoseSeries:
    """Swap the left and right landmark labels (what a mirrored picture does to the model's labels)."""
    names = list(LANDMARK_NAMES)
    order = [
        names.index(n.replace("left", "@").replace("right", "left").replace("@", "right")) for n in names
    ]
    world = None if pose.world is None else pose.world[:, order]
    return pose.with_changes(xy=pose.xy[:, order], visibility=pose.visibility[:, order], world=world)


def mirrored(pose: PoseSeries) -> PoseSeries:
    """The picture flipped left to right."""
    xy = pose.xy.copy()
    xy[..., 0] = pose.image_size[0] - xy[..., 0]
    world = None if pose.world is None else pose.world * np.array([-1.0, 1.0, 1.0])
    return _swap_sides(pose.with_changes(xy=xy, world=world))


def rotated(pose: PoseSeries, deg: float) -> PoseSeries:
    """The picture turned ``deg`` counter-clockwise about its centre onto a canvas that holds it all."""
    if deg % 90 == 0:
        return turn_pose(pose, int(deg // 90))
    w, h = pose.image_size
    a = np.radians(deg)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
    side = int(np.hypot(w, h))
    xy = (pose.xy - [w / 2, h / 2]) @ rot.T + side / 2
    return pose.with_changes(xy=xy, image_size=(side, side))


def scaled(pose: PoseSeries, factor: float, pad: tuple[int, int] = (0, 0)) -> PoseSeries:
    """The picture scaled by ``factor`` and placed ``pad`` pixels in on a larger canvas (letterbox)."""
    w, h = pose.image_size
    xy = pose.xy * factor + np.array(pad, float)
    size = (round(w * factor) + 2 * pad[0], round(h * factor) + 2 * pad[1])
    return pose.with_changes(xy=xy, image_size=size)


def every(pose: PoseSeries, step: int) -> PoseSeries:
    """Every ``step``-th frame: the clip filmed at 1/step of the frame rate."""
    idx = np.arange(0, len(pose), step)
    world = None if pose.world is None else pose.world[idx]
    return pose.with_changes(
        times=pose.times[idx], xy=pose.xy[idx], visibility=pose.visibility[idx], world=world
    )


def frozen(pose: PoseSeries, frame: int = 0) -> PoseSeries:
    """One frame's landmarks repeated for the length of the clip (a still picture)."""
    n = len(pose)
    world = None if pose.world is None else np.repeat(pose.world[frame : frame + 1], n, axis=0)
    return pose.with_changes(
        xy=np.repeat(pose.xy[frame : frame + 1], n, axis=0),
        visibility=np.repeat(pose.visibility[frame : frame + 1], n, axis=0),
        world=world,
    )


def random_keypoints(pose: PoseSeries, *, static: bool) -> PoseSeries:
    """Uniformly random landmarks in the picture, visibility 1: one skeleton repeated, or new each frame."""
    rng = np.random.default_rng(SEED)
    n = 1 if static else len(pose)
    xy = rng.uniform(0, 1, (n, len(LANDMARK_NAMES), 2)) * np.array(pose.image_size, float)
    xy = np.repeat(xy, len(pose), axis=0) if static else xy
    return pose.with_changes(xy=xy, visibility=np.ones(xy.shape[:2]), world=None)


def shuffled(pose: PoseSeries) -> PoseSeries:
    """The frames' landmarks in a random order (timestamps kept)."""
    idx = np.random.default_rng(SEED).permutation(len(pose))
    world = None if pose.world is None else pose.world[idx]
    return pose.with_changes(xy=pose.xy[idx], visibility=pose.visibility[idx], world=world)


def slowed(pose: PoseSeries, factor: float) -> PoseSeries:
    """Timestamps stretched by ``factor`` (a clip whose frame rate is declared wrongly)."""
    return pose.with_changes(times=pose.times * factor)


# --- video -------------------------------------------------------------------------------------

FrameFn = Callable[[np.ndarray], np.ndarray]


def source_frames(seconds: float = 4.0, max_side: int = 640) -> tuple[list[np.ndarray], float]:
    """The first ``seconds`` of male_side.mp4 as RGB frames (longer side ``max_side`` px), and its fps."""
    frames = [f.rgb for f in iter_frames(RUN_VIDEO, max_side=max_side, prefetch=0) if f.time < seconds]
    return frames, 30.0


def write_clip(path: Path, frames: list[np.ndarray], fps: float, *, crf: int = 20) -> Path:
    """Encode RGB frames as H.264 MP4 at quality ``crf`` (sizes rounded down to even pixels)."""
    h, w = (d - d % 2 for d in frames[0].shape[:2])
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=round(fps))
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.options = {"preset": "ultrafast", "crf": str(crf)}
        for rgb in frames:
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb[:h, :w]), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def resize(rgb: np.ndarray, w: int, h: int) -> np.ndarray:
    """Nearest-neighbour resize to w x h pixels (what a low-resolution camera keeps)."""
    ys = (np.arange(h) * rgb.shape[0] / h).astype(int)
    xs = (np.arange(w) * rgb.shape[1] / w).astype(int)
    return rgb[ys][:, xs]


def letterbox(rgb: np.ndarray, pad: int) -> np.ndarray:
    """Black bars of ``pad`` pixels left and right."""
    return np.pad(rgb, ((0, 0), (pad, pad), (0, 0)))


def rotate_pixels(rgb: np.ndarray, deg: float) -> np.ndarray:
    """Turn the picture ``deg`` counter-clockwise about its centre (nearest neighbour, black corners)."""
    h, w = rgb.shape[:2]
    side = int(np.hypot(w, h)) // 2 * 2
    yy, xx = np.mgrid[0:side, 0:side].astype(float) - side / 2
    a = np.radians(deg)
    sx = np.cos(a) * xx - np.sin(a) * yy + w / 2
    sy = np.sin(a) * xx + np.cos(a) * yy + h / 2
    inside = (sx >= 0) & (sx < w) & (sy >= 0) & (sy < h)
    out = np.zeros((side, side, 3), np.uint8)
    out[inside] = rgb[sy[inside].astype(int), sx[inside].astype(int)]
    return out
