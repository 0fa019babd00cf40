"""A virtual camera: pinhole projection of 3D landmarks into the PoseSeries the video path produces.

The camera stands level (optical axis horizontal) at a chosen height, at a chosen distance from
the runner's mean pelvis position, on the runner's left or right side, in front or behind, and
samples the motion at its own frame rate: landmark trajectories are interpolated at the frame
times (a camera samples instants; it does not low-pass). Optional Gaussian pixel noise (seeded)
stands in for landmark jitter. The output is in image pixels (x to the right, y down) exactly as
a pose model's, so :func:`kinechain.signal.clean_pose` and every protocol run on it unchanged.

Views follow :data:`kinechain.model.pose.VIEWS`: "left" films the runner's left side (the left
leg is the near leg and the runner faces image-left), "right" the right side, "front" faces the
runner, "back" films from behind.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import cast

import numpy as np

from kinechain.errors import ConfigError, check_option
from kinechain.model.pose import LANDMARK_NAMES, VIEWS, PoseMeta, PoseSeries
from kinechain.model.vocab import View

#: Viewing direction (lab frame: x forward, y up, z right) of each view.
VIEW_DIRECTIONS: dict[str, tuple[float, float, float]] = {
    "left": (0.0, 0.0, 1.0),
    "right": (0.0, 0.0, -1.0),
    "front": (-1.0, 0.0, 0.0),
    "back": (1.0, 0.0, 0.0),
}


@dataclass(frozen=True)
class VirtualCamera:
    """Where the virtual camera stands and how it records.

    Defaults are a phone on a tripod at hip height 4 m from a treadmill, landscape 1920x1080 with a
    ~69 deg horizontal field of view (focal length 1400 px), 60 frames per second: filming
    conventions, not measured values.

    Attributes
    ----------
    view : str
        "left", "right", "front" or "back".
    distance_m : float
        Horizontal distance from the runner's mean pelvis position to the camera, metres.
    height_m : float
        Camera height above the floor (lab y = 0), metres.
    focal_px : float
        Focal length in pixels.
    image_size : tuple of int
        (width, height) in pixels; the principal point is the image centre.
    fps : float
        Frames per second.
    noise_px : float
        Standard deviation of Gaussian noise added to every image coordinate, pixels.
    seed : int
        Seed of the noise generator.
    start_s : float
        Delay of the first frame after the first marker sample, seconds (the sampling phase).
    """

    view: View = "left"
    distance_m: float = 4.0
    height_m: float = 1.0
    focal_px: float = 1400.0
    image_size: tuple[int, int] = (1920, 1080)
    fps: float = 60.0
    noise_px: float = 0.0
    seed: int = 0
    start_s: float = 0.0

    def __post_init__(self) -> None:
        check_option("view", self.view, VIEWS)
        if self.distance_m <= 0 or self.focal_px <= 0 or self.fps <= 0 or self.noise_px < 0:
            raise ConfigError(
                "camera distance, focal length and frame rate must be positive, noise not negative."
            )


def camera_frame(
    view: str, target: np.ndarray, distance_m: float, height_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Camera centre (3,) and rotation (3, 3) whose rows are the image-x, image-y (down) and optical axes."""
    d = np.asarray(VIEW_DIRECTIONS[view], dtype=float)
    up = np.array([0.0, 1.0, 0.0])
    centre = np.array([target[0], 0.0, target[2]]) - distance_m * d
    centre[1] = height_m
    right = np.cross(d, up)
    return centre, np.stack([right, -up, d])


def project(
    points: np.ndarray, centre: np.ndarray, rotation: np.ndarray, focal_px: float, size: tuple[int, int]
) -> np.ndarray:
    """Pinhole projection of lab points (..., 3), metres, to image pixels (..., 2); NaN behind the camera."""
    cam = (np.asarray(points, float) - centre) @ rotation.T
    z = cam[..., 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        x = size[0] / 2.0 + focal_px * cam[..., 0] / z
        y = size[1] / 2.0 + focal_px * cam[..., 1] / z
    out = np.stack([x, y], axis=-1)
    out[~(z > 0)] = np.nan
    return out


def resample(times: np.ndarray, values: np.ndarray, new_times: np.ndarray) -> np.ndarray:
    """Linear interpolation of (n, ...) samples at ``new_times``; NaN where a neighbour is NaN or outside."""
    flat = values.reshape(len(times), -1)
    i = np.clip(np.searchsorted(times, new_times) - 1, 0, len(times) - 2)
    w = ((new_times - times[i]) / (times[i + 1] - times[i]))[:, None]
    out = flat[i] * (1 - w) + flat[i + 1] * w
    out[(new_times < times[0]) | (new_times > times[-1])] = np.nan
    return cast("np.ndarray", out.reshape((len(new_times), *values.shape[1:])))


def frame_times(times: np.ndarray, fps: float, start_s: float = 0.0) -> np.ndarray:
    """Camera frame times within the span of ``times``, seconds."""
    first = times[0] + start_s
    count = int(np.floor((times[-1] - first) * fps + 1e-9)) + 1
    return cast("np.ndarray", first + np.arange(max(count, 0)) / fps)


def virtual_pose(
    times: np.ndarray, world: np.ndarray, camera: VirtualCamera, *, source_name: str = ""
) -> PoseSeries:
    """Film 3D landmarks with a virtual camera.

    Parameters
    ----------
    times : ndarray, shape (n,)
        Seconds.
    world : ndarray, shape (n, 33, 3)
        BlazePose landmarks in the lab frame (x forward, y up, z right), metres; NaN where not given.
    camera : VirtualCamera
        View, placement, frame rate and noise.
    source_name : str
        Name of the trial, kept in ``meta``.

    Returns
    -------
    PoseSeries
        Frame times on the trial's clock (s); image pixels (y down); visibility 1 where a landmark
        is given, 0 elsewhere; ``world`` holds the lab coordinates at the frame times; source
        "mocap:virtual-camera".
    """
    if world.shape[1:] != (len(LANDMARK_NAMES), 3):
        raise ValueError(f"world must have shape (n, 33, 3); got {world.shape}")
    t = frame_times(times, camera.fps, camera.start_s)
    lab = resample(times, world, t)
    target = np.nanmean(
        lab[:, [LANDMARK_NAMES.index("left_hip"), LANDMARK_NAMES.index("right_hip")]], axis=(0, 1)
    )
    centre, rot = camera_frame(camera.view, target, camera.distance_m, camera.height_m)
    xy = project(lab, centre, rot, camera.focal_px, camera.image_size)
    if camera.noise_px > 0:
        xy = xy + np.random.default_rng(camera.seed).normal(0.0, camera.noise_px, xy.shape)
    visibility = np.isfinite(xy).all(axis=2).astype(float)
    meta: PoseMeta = {
        "camera": asdict(camera),
        "camera_centre_m": centre.tolist(),
        "trial": source_name,
        "world_frame": "lab",
    }
    return PoseSeries(
        times=t,
        xy=xy,
        visibility=visibility,
        image_size=camera.image_size,
        world=lab,
        view=camera.view,
        source="mocap:virtual-camera",
        meta=meta,
    )
