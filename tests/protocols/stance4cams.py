"""The single-leg-stance trial filmed by 4 calibrated cameras (Pose2Sim demo), for the tests.

Pose2Sim's triangulated 3D keypoints (TRC, metres, Y up) are projected into each camera with its
Qualisys calibration (Calib.qca.txt, millimetres, Z up), giving a 2D reference PoseSeries in the
same camera as the MediaPipe keypoints recorded from that camera's video.

Conventions, checked against an independent solvePnP fit of the MediaPipe keypoints (camera
centres agree within 0.15 m): QCA world = (TRC z, TRC x, TRC y); world-to-camera rotation =
diag(1, -1, -1) @ R with R the ``transform`` r11..r33; focal length and principal point are the
``intrinsic`` values divided by 64 (sub-pixel units); lens distortion (k1 ~ -0.05) is ignored.
"""

import re
from pathlib import Path

import numpy as np

from kinechain.io.trc import read_trc
from kinechain.model.pose import LANDMARK_INDEX, PoseSeries, empty_pose_arrays

#: Pose2Sim (OpenPose BODY_25B-style) names -> BlazePose names.
NAMES = {
    "Nose": "nose",
    "RShoulder": "right_shoulder",
    "LShoulder": "left_shoulder",
    "RElbow": "right_elbow",
    "LElbow": "left_elbow",
    "RWrist": "right_wrist",
    "LWrist": "left_wrist",
    "RHip": "right_hip",
    "LHip": "left_hip",
    "RKnee": "right_knee",
    "LKnee": "left_knee",
    "RAnkle": "right_ankle",
    "LAnkle": "left_ankle",
    "RHeel": "right_heel",
    "LHeel": "left_heel",
    "RBigToe": "right_foot_index",
    "LBigToe": "left_foot_index",
}


def read_cameras(path: Path) -> dict[str, dict[str, np.ndarray]]:
    """Camera centre (m, QCA world), world-to-camera rotation, focal (px) and principal point (px)."""
    text = path.read_text()
    cams = {}
    for serial, tr, intr in re.findall(
        r'serial="(cam\d+)".*?<transform (.*?)/>.*?<intrinsic (.*?)/>', text, re.S
    ):
        a = {k: float(v) for k, v in re.findall(r'(\w+)="([-\d.e]+)"', tr)}
        b = {k: float(v) for k, v in re.findall(r'(\w+)="([-\d.e]+)"', intr)}
        r = np.array([[a[f"r{i}{j}"] for j in (1, 2, 3)] for i in (1, 2, 3)])
        cams[serial] = {
            "centre": np.array([a["x"], a["y"], a["z"]]) / 1000.0,
            "rotation": np.diag([1.0, -1.0, -1.0]) @ r,
            "focal": np.array([b["focalLengthU"], b["focalLengthV"]]) / 64.0,
            "principal": np.array([b["centerPointU"], b["centerPointV"]]) / 64.0,
        }
    return cams


def reference_pose(trc_path: Path, camera: dict[str, np.ndarray], image_size: tuple[int, int]) -> PoseSeries:
    """The Pose2Sim 3D keypoints projected into one camera, as a PoseSeries (visibility 1)."""
    trc = read_trc(trc_path)
    xy, vis, _ = empty_pose_arrays(len(trc.times))
    for src, dst in NAMES.items():
        p = trc.markers[src]
        world = np.stack([p[:, 2], p[:, 0], p[:, 1]], axis=1)
        cam = (world - camera["centre"]) @ camera["rotation"].T
        xy[:, LANDMARK_INDEX[dst]] = camera["focal"] * cam[:, :2] / cam[:, 2:3] + camera["principal"]
        vis[:, LANDMARK_INDEX[dst]] = 1.0
    return PoseSeries(
        times=trc.times - trc.times[0], xy=xy, visibility=vis, image_size=image_size, source="pose2sim"
    )


def trc_points(trc_path: Path) -> dict[str, np.ndarray]:
    """The 3D keypoints by BlazePose name, metres, TRC axes (Y up)."""
    trc = read_trc(trc_path)
    return {dst: trc.markers[src] for src, dst in NAMES.items()}


def ideal_front_pose(trc_path: Path, scale: float = 400.0) -> PoseSeries:
    """The 3D keypoints seen square-on from the front by an orthographic camera, frame by frame.

    The image plane is the body's frontal plane in each frame: its horizontal axis is the hips'
    left-right direction (horizontal part), its vertical axis is up. This is the view the FPPA
    method assumes; comparing a real camera's projection with it shows the camera-geometry error.
    """
    pts = trc_points(trc_path)
    left = pts["left_hip"] - pts["right_hip"]
    left[:, 1] = 0.0
    left /= np.linalg.norm(left, axis=1, keepdims=True)
    xy, vis, _ = empty_pose_arrays(len(left))
    for name, p in pts.items():
        u = np.einsum("ij,ij->i", p, left)
        xy[:, LANDMARK_INDEX[name]] = np.stack([scale * u, -scale * p[:, 1]], axis=1)
        vis[:, LANDMARK_INDEX[name]] = 1.0
    times = read_trc(trc_path).times
    return PoseSeries(
        times=times - times[0], xy=xy, visibility=vis, image_size=(0, 0), source="pose2sim:frontal"
    )


def camera_azimuth(trc_path: Path, camera: dict[str, np.ndarray], axis: str = "hip") -> float:
    """Mean direction of the camera seen from the person, degrees: 0 in front, +90 at their left,
    -90 at their right, +/-180 behind (facing from the left-right ``axis``, "hip" or "shoulder")."""
    pts = trc_points(trc_path)
    pelvis = (pts["left_hip"] + pts["right_hip"]) / 2
    left = pts[f"left_{axis}"] - pts[f"right_{axis}"]
    left[:, 1] = 0.0
    left /= np.linalg.norm(left, axis=1, keepdims=True)
    forward = np.cross(left, [0.0, 1.0, 0.0])
    centre = camera["centre"][[1, 2, 0]]  # QCA world (x, y, z) -> TRC axes (y, z, x)
    to_cam = centre - pelvis
    to_cam[:, 1] = 0.0
    angle = np.degrees(
        np.arctan2(np.einsum("ij,ij->i", to_cam, left), np.einsum("ij,ij->i", to_cam, forward))
    )
    return float(np.degrees(np.angle(np.mean(np.exp(1j * np.radians(angle))))))  # circular mean


def views_for_azimuth(azimuth: float, tolerance: float = 30.0) -> set[str]:
    """Return the view(s) of a camera at ``azimuth``: one within ``tolerance`` deg, else both neighbours."""
    canon = {"front": 0.0, "left": 90.0, "back": 180.0, "right": -90.0}
    gaps = {v: abs((azimuth - a + 180.0) % 360.0 - 180.0) for v, a in canon.items()}
    close = {v for v, g in gaps.items() if g <= tolerance}
    return close or {v for v, g in gaps.items() if g < 90.0}
