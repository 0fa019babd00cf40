"""Video keypoints and angles into OpenSim: TRC marker files and MOT angle files.

TRC axes follow OpenSim (Y up). From image keypoints (``coordinates="image"``), a point at
image pixel (x, y) becomes X = x / s, Y = (image height - y) / s, Z = 0, with ``s`` the scale in
pixels per metre, which the user must give (a known distance in the picture): a 2D video has no
metric scale of its own. From the metric 3D landmarks of a pose model (``coordinates="world"``,
MediaPipe's world landmarks: x image right, y down, z away from the camera, metres), the TRC
holds X = x, Y = -y, Z = -z (a rotation of half a turn about X). Marker names are the BlazePose
landmark names; landmarks a series lacks are left out.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from kinechain.errors import ConfigError, check_option
from kinechain.io.mot import write_mot
from kinechain.io.trc import write_trc
from kinechain.model.kinematics import Kinematics
from kinechain.model.pose import LANDMARK_NAMES, PoseSeries

PathLike = str | os.PathLike[str]


def pose_markers(
    pose: PoseSeries, *, coordinates: str = "world", px_per_m: float | None = None
) -> dict[str, np.ndarray]:
    """Landmark trajectories in OpenSim axes (metres), per BlazePose name, shape (n, 3) each.

    Parameters
    ----------
    pose : PoseSeries
        Keypoints.
    coordinates : str
        "world" (the series' metric 3D landmarks) or "image" (pixels scaled by ``px_per_m``).
    px_per_m : float, optional
        Image scale, pixels per metre; required with ``coordinates="image"``.
    """
    check_option("coordinates", coordinates, ("world", "image"))
    if coordinates == "world":
        if pose.world is None:
            raise ConfigError(
                "these keypoints have no 3D (world) landmarks; use --trc-from image with --px-per-m."
            )
        xyz = pose.world * np.array([1.0, -1.0, -1.0])
    else:
        if px_per_m is None or px_per_m <= 0:
            raise ConfigError(
                "a TRC from image keypoints needs the scale: give --px-per-m (pixels per metre)."
            )
        x = pose.xy[..., 0] / px_per_m
        y = (pose.image_size[1] - pose.xy[..., 1]) / px_per_m
        xyz = np.stack([x, y, np.zeros_like(x)], axis=-1)
        xyz[pose.visibility <= 0] = np.nan
    return {name: xyz[:, i] for i, name in enumerate(LANDMARK_NAMES) if np.isfinite(xyz[:, i]).any()}


def pose_to_trc(
    pose: PoseSeries, path: PathLike, *, coordinates: str = "world", px_per_m: float | None = None
) -> Path:
    """Write keypoints as an OpenSim TRC file in metres (see the module docstring)."""
    markers = pose_markers(pose, coordinates=coordinates, px_per_m=px_per_m)
    if not markers:
        raise ConfigError("no landmark was found in these keypoints; nothing to write.")
    return write_trc(path, pose.times, markers, units="m", rate=pose.fps or None)


def kinematics_to_mot(kin: Kinematics, path: PathLike) -> Path:
    """Write the angle signals (unit "deg") of a Kinematics as an OpenSim .mot file (inDegrees=yes)."""
    angles = {name: values for name, values in kin.signals.items() if kin.units.get(name) == "deg"}
    if not angles:
        raise ConfigError("these kinematics hold no angle signals; nothing to write.")
    return write_mot(path, kin.times, angles, name=Path(path).stem, in_degrees=True)
