"""Replay backend: recorded keypoints (kinechain JSON, OpenPose JSON, named-keypoint JSON).

Everything after pose estimation can be run and tested exactly, without a model, by replaying
keypoints recorded earlier by kinechain or by another tool.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from kinechain.errors import KeypointFileError
from kinechain.model.pose import (
    LANDMARK_INDEX,
    LANDMARK_NAMES,
    PoseMeta,
    PoseSeries,
    empty_pose_arrays,
    pose_meta,
)
from kinechain.pose.base import ProgressFn
from kinechain.pose.tracking import Follower

SCHEMA = "kinechain.keypoints/1"

#: OpenPose BODY_25 and COCO-18 keypoint order, mapped to BlazePose names (None: no equivalent).
OPENPOSE_BODY25: tuple[str | None, ...] = (
    "nose",
    None,
    "right_shoulder",
    "right_elbow",
    "right_wrist",
    "left_shoulder",
    "left_elbow",
    "left_wrist",
    None,
    "right_hip",
    "right_knee",
    "right_ankle",
    "left_hip",
    "left_knee",
    "left_ankle",
    "right_eye",
    "left_eye",
    "right_ear",
    "left_ear",
    "left_foot_index",
    None,
    "left_heel",
    "right_foot_index",
    None,
    "right_heel",
)
OPENPOSE_COCO18: tuple[str | None, ...] = (
    "nose",
    None,
    "right_shoulder",
    "right_elbow",
    "right_wrist",
    "left_shoulder",
    "left_elbow",
    "left_wrist",
    "right_hip",
    "right_knee",
    "right_ankle",
    "left_hip",
    "left_knee",
    "left_ankle",
    "right_eye",
    "left_eye",
    "right_ear",
    "left_ear",
)


def canonical_name(name: str) -> str | None:
    """Map a keypoint name from common sets (COCO, Halpe, OpenPose) to a BlazePose name."""
    n = name.strip().lower().replace(" ", "_")
    for short, long in (("l_", "left_"), ("r_", "right_")):
        if n.startswith(short):
            n = long + n[len(short) :]
    n = n.replace("big_toe", "foot_index")
    return n if n in LANDMARK_INDEX else None


def _null_to_nan(a: Any) -> np.ndarray:
    return np.array(a, dtype=object).astype(float)


def _meta_of(meta: object, path: Path) -> PoseMeta:
    """Return the file's provenance, checked against PoseMeta (keys it does not know are kept)."""
    try:
        return pose_meta(meta or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in ("meta", *first["loc"]))
        raise KeypointFileError(
            f"{path} has a {where} that cannot be read ({first['msg']}); export the keypoints again."
        ) from exc


def _from_kinechain(doc: dict[str, Any], path: Path) -> PoseSeries:
    try:
        names = list(doc["landmarks"])
        times = np.asarray(doc["times"], dtype=float)
        xy_in = _null_to_nan(doc["xy"])
        vis_in = _null_to_nan(doc["visibility"])
    except (KeyError, TypeError, ValueError) as exc:
        raise KeypointFileError(f"{path} is not a valid {SCHEMA} file ({exc}).") from exc
    xy, vis, world = empty_pose_arrays(len(times))
    for j, name in enumerate(names):
        if name in LANDMARK_INDEX:
            xy[:, LANDMARK_INDEX[name]] = xy_in[:, j]
            vis[:, LANDMARK_INDEX[name]] = np.nan_to_num(vis_in[:, j])
    has_world = doc.get("world") is not None
    if has_world:
        w_in = _null_to_nan(doc["world"])
        for j, name in enumerate(names):
            if name in LANDMARK_INDEX:
                world[:, LANDMARK_INDEX[name]] = w_in[:, j]
    return PoseSeries(
        times=times,
        xy=xy,
        visibility=vis,
        image_size=(int(doc["image_size"][0]), int(doc["image_size"][1])),
        world=world if has_world else None,
        view=doc.get("view"),
        source=f"replay:{doc.get('source', 'kinechain')}",
        meta=_meta_of(doc.get("meta"), path),
    )


def _from_named(doc: dict[str, Any], path: Path) -> PoseSeries:
    """Read a JSON with ``keypoint_names`` and ``frames`` of [x, y, score] rows (e.g. Halpe-26)."""
    try:
        names = [canonical_name(n) for n in doc["keypoint_names"]]
        frames = np.asarray(doc["frames"], dtype=float)
        fps = float(doc.get("fps") or 30.0)
    except (KeyError, TypeError, ValueError) as exc:
        raise KeypointFileError(f"{path} has keypoint_names/frames that cannot be read ({exc}).") from exc
    times = np.asarray(doc.get("timestamps") or np.arange(len(frames)) / fps, dtype=float)
    xy, vis, _ = empty_pose_arrays(len(frames))
    for j, name in enumerate(names):
        if name is not None:
            xy[:, LANDMARK_INDEX[name]] = frames[:, j, :2]
            vis[:, LANDMARK_INDEX[name]] = np.clip(frames[:, j, 2], 0.0, 1.0)
    size = (int(doc.get("width") or 0), int(doc.get("height") or 0))
    return PoseSeries(
        times=times,
        xy=xy,
        visibility=vis,
        image_size=size,
        view=None,
        source=f"replay:{doc.get('source', 'named-keypoints')}",
        meta={"file": str(path)},
    )


def _openpose_people(doc: dict[str, Any]) -> list[np.ndarray]:
    people = []
    for person in doc.get("people", []):
        flat = np.asarray(person.get("pose_keypoints_2d", []), dtype=float)
        if flat.size % 3 or flat.size // 3 not in (18, 25):
            raise KeypointFileError(
                f"OpenPose pose_keypoints_2d must hold 18 or 25 keypoints; got {flat.size / 3:g}."
            )
        people.append(flat.reshape(-1, 3))
    return people


def _openpose_files(path: Path) -> list[Path]:
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise KeypointFileError(f"{path} holds no OpenPose .json files.")
    return files


def _from_openpose(path: Path, fps: float, image_size: tuple[int, int]) -> PoseSeries:
    """Read OpenPose output: a folder of per-frame JSON files (or one file), BODY_25 or COCO-18."""
    files = _openpose_files(path)
    xy, vis, _ = empty_pose_arrays(len(files))
    w, h = image_size
    follower = Follower(aspect=w / h if w and h else 1.0)
    for i, f in enumerate(files):
        people = _openpose_people(json.loads(f.read_text()))
        scale = np.array([w or 1.0, h or 1.0])
        norm = [np.where(p[:, 2:3] > 0, p[:, :2], np.nan) / scale for p in people]
        idx = follower.step(norm) if norm else None
        if idx is None:
            continue
        kp = people[idx]
        order = OPENPOSE_BODY25 if len(kp) == 25 else OPENPOSE_COCO18
        for j, name in enumerate(order):
            if name is not None and kp[j, 2] > 0:
                xy[i, LANDMARK_INDEX[name]] = kp[j, :2]
                vis[i, LANDMARK_INDEX[name]] = min(1.0, kp[j, 2])
    times = np.arange(len(files)) / fps
    return PoseSeries(
        times=times,
        xy=xy,
        visibility=vis,
        image_size=image_size,
        source="replay:openpose",
        meta={"file": str(path), "fps_assumed": fps},
    )


def load_keypoints(
    path: str | os.PathLike[str], *, fps: float | None = None, image_size: tuple[int, int] | None = None
) -> PoseSeries:
    """Load recorded keypoints as a PoseSeries, whatever their format.

    Parameters
    ----------
    path : str or PathLike
        A kinechain keypoints JSON, a named-keypoint JSON, one OpenPose JSON, or a folder of
        OpenPose per-frame JSON files.
    fps : float, optional
        Frame rate for formats without timestamps (OpenPose); default 30 frames per second.
    image_size : tuple of int, optional
        (width, height) in pixels for formats that do not state it (OpenPose).
    """
    p = Path(path)
    if not p.exists():
        raise KeypointFileError(f"{p} does not exist; give a keypoints JSON file or folder.")
    try:
        return _read_keypoints(p, fps, image_size)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KeypointFileError(f"{p} is not valid JSON ({exc}); export the keypoints again.") from exc
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise KeypointFileError(
            f"{p} has keypoints that do not fit together ({type(exc).__name__}: {exc}); export them "
            "again, or see docs/keypoints.md for the formats kinechain reads."
        ) from exc


def _read_keypoints(p: Path, fps: float | None, image_size: tuple[int, int] | None) -> PoseSeries:
    if p.is_dir():
        return _from_openpose(p, fps or 30.0, image_size or (0, 0))
    doc = json.loads(p.read_text())
    if not isinstance(doc, dict):
        raise KeypointFileError(f"{p} is JSON but not a keypoints object; see docs/keypoints.md.")
    if doc.get("schema") == SCHEMA:
        return _from_kinechain(doc, p)
    if "keypoint_names" in doc and "frames" in doc:
        return _from_named(doc, p)
    if "people" in doc:
        return _from_openpose(p, fps or 30.0, image_size or (0, 0))
    raise KeypointFileError(f"{p} is not a keypoint format kinechain reads; see docs/keypoints.md.")


def _nan_to_null(a: np.ndarray, digits: int) -> Any:
    rounded = np.round(a.astype(float), digits).astype(object)
    rounded[~np.isfinite(a.astype(float))] = None
    return rounded.tolist()


def save_keypoints(pose: PoseSeries, path: str | os.PathLike[str]) -> Path:
    """Write a PoseSeries as kinechain keypoints JSON (NaN written as null); return the path."""
    doc = {
        "schema": SCHEMA,
        "source": pose.source,
        "image_size": list(pose.image_size),
        "view": pose.view,
        "landmarks": list(LANDMARK_NAMES),
        "times": np.round(pose.times, 6).tolist(),
        "xy": _nan_to_null(pose.xy, 2),
        "visibility": _nan_to_null(pose.visibility, 3),
        "world": None if pose.world is None else _nan_to_null(pose.world, 4),
        "meta": pose.meta,
    }
    out = Path(path)
    out.write_text(json.dumps(doc, separators=(",", ":")))
    return out


class ReplayEstimator:
    """An Estimator that returns recorded keypoints instead of running a model.

    Parameters
    ----------
    keypoints : str or PathLike
        The recorded keypoints (any format :func:`load_keypoints` reads).
    fps, image_size
        Passed to :func:`load_keypoints` for formats that lack them.
    """

    def __init__(
        self,
        keypoints: str | os.PathLike[str],
        *,
        fps: float | None = None,
        image_size: tuple[int, int] | None = None,
    ) -> None:
        self.keypoints = Path(keypoints)
        self.fps = fps
        self.image_size = image_size
        self.name = "replay"

    def estimate(
        self, video: str | os.PathLike[str] | None = None, *, progress: ProgressFn | None = None
    ) -> PoseSeries:
        """Return the recorded PoseSeries (``video`` is not decoded)."""
        pose = load_keypoints(self.keypoints, fps=self.fps, image_size=self.image_size)
        if progress:
            progress(len(pose), len(pose))
        return pose
