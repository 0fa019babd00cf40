"""PoseSeries: 2D (and optionally 3D) landmarks of one person over time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, cast

import numpy as np
from pydantic import ConfigDict, TypeAdapter, ValidatorFunctionWrapHandler, WrapValidator, with_config
from typing_extensions import TypedDict  # pydantic validates only this one before Python 3.12

from kinechain.model.vocab import LEGS, Leg, View, other_leg
from kinechain.model.vocab import VIEWS as _VIEWS

#: The BlazePose 33-landmark set, in MediaPipe's order. Every PoseSeries uses it; sources with
#: fewer points (OpenPose, mocap) leave the ones they lack as NaN.
LANDMARK_NAMES: tuple[str, ...] = (
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
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)

LANDMARK_INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}

#: Bones drawn in overlays (pairs of landmark names).
SKELETON: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"),
    ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"),
    ("right_shoulder", "right_hip"),
    ("left_shoulder", "left_elbow"),
    ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"),
    ("right_elbow", "right_wrist"),
    ("left_hip", "left_knee"),
    ("left_knee", "left_ankle"),
    ("right_hip", "right_knee"),
    ("right_knee", "right_ankle"),
    ("left_ankle", "left_heel"),
    ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_ankle", "right_heel"),
    ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
)

SIDES: tuple[Leg, Leg] = LEGS
LEG_POINTS: tuple[str, ...] = ("hip", "knee", "ankle", "heel", "foot_index")

#: Camera views a recording can be taken from (see :data:`kinechain.model.vocab.View`).
VIEWS: tuple[View, ...] = _VIEWS


def other_side(side: Leg) -> Leg:
    """Return "right" for "left" and "left" for "right"."""
    return other_leg(side)


@with_config(ConfigDict(extra="allow"))
class CleaningRecord(TypedDict, total=False):
    """How the landmarks were cleaned (:func:`kinechain.signal.clean.clean_pose`), ``settings["cleaning"]``.

    Attributes
    ----------
    min_visibility : float
        Landmarks below this visibility (0-1) were dropped before filling.
    max_gap_s : float
        Longest gap filled, seconds.
    cutoff_hz : float
        Low-pass cutoff frequency, Hz.
    filter : str
        The filter, in words.
    swapped_frames : int
        Frames whose left and right legs were swapped back.
    """

    min_visibility: float
    max_gap_s: float
    cutoff_hz: float
    filter: str
    swapped_frames: int


@with_config(ConfigDict(extra="allow"))
class LightRecord(TypedDict):
    """Light levels of a video (:mod:`kinechain.video.light`).

    Attributes
    ----------
    brightness : float
        Median over the sampled frames of the mean luma, 0-255.
    contrast : float
        Median over the sampled frames of the luma's standard deviation, 0-255.
    frames : int
        Frames sampled.
    """

    brightness: float
    contrast: float
    frames: int


@with_config(ConfigDict(extra="allow"))
class PoseMeta(TypedDict, total=False):
    """Provenance of a :class:`PoseSeries` (``meta`` in keypoints files, ``settings["pose"]`` in results).

    Each source writes some of these keys; a file written by another version may hold others,
    kept as they are.

    Attributes
    ----------
    model : str
        The pose model, e.g. "mediapipe:full" (MediaPipe).
    model_sha256 : str
        SHA-256 checksum of the model file (MediaPipe).
    max_people_seen : int
        Most people found in any one frame (MediaPipe).
    frames_with_person : int
        Frames in which the person was found (MediaPipe).
    file : str
        The keypoints file or folder replayed (named keypoints, OpenPose).
    fps_assumed : float
        Frame rate assumed for files without timestamps, frames per second (OpenPose).
    camera : dict
        The virtual camera's settings (:class:`kinechain.mocap.camera.VirtualCamera`).
    camera_centre_m : list of float
        The virtual camera's position in the lab frame, metres.
    trial : str
        The motion-capture trial filmed by the virtual camera.
    world_frame : str
        The frame of ``world`` ("lab" for a virtual camera).
    untrimmed_duration_s : float
        Length of the pose before it was cut to the longest analysed, seconds (pipeline).
    cleaning : CleaningRecord
        The cleaning settings and frames repaired (:func:`kinechain.signal.clean.clean_pose`).
    light : LightRecord
        The video's light levels, measured on sampled frames while they were decoded (MediaPipe).
    """

    model: str
    model_sha256: str
    max_people_seen: int
    frames_with_person: int
    file: str
    fps_assumed: float
    camera: dict[str, object]
    camera_centre_m: list[float]
    trial: str
    world_frame: str
    untrimmed_duration_s: float
    cleaning: CleaningRecord
    light: LightRecord


def _keep_key_order(value: object, handler: ValidatorFunctionWrapHandler) -> object:
    """Validate ``value`` and keep its key order (pydantic puts a TypedDict's declared keys first)."""
    checked = handler(value)
    if isinstance(value, Mapping) and isinstance(checked, dict):
        return {k: checked[k] for k in value if k in checked}
    return checked


#: :class:`PoseMeta` for pydantic fields: checked, with unknown keys and the key order kept.
CheckedPoseMeta = Annotated[PoseMeta, WrapValidator(_keep_key_order)]

_POSE_META: TypeAdapter[PoseMeta] = TypeAdapter(CheckedPoseMeta)


def pose_meta(data: object) -> PoseMeta:
    """Check provenance read from a file against :class:`PoseMeta`; unknown keys and order kept.

    Raises
    ------
    pydantic.ValidationError
        ``data`` is not a mapping, or a known key holds a value of the wrong type (a ValueError).
    """
    return _POSE_META.validate_python(data)


@dataclass(frozen=True, eq=False)
class PoseSeries:
    """Landmarks of one person in every frame of a recording.

    Attributes
    ----------
    times : ndarray, shape (n,)
        Frame times in seconds from the start of the recording.
    xy : ndarray, shape (n, 33, 2)
        Image coordinates in pixels (x to the right, y downward); NaN where unknown.
    visibility : ndarray, shape (n, 33)
        Probability, 0 to 1, that each landmark is visible; 0 where unknown.
    image_size : tuple of int
        (width, height) of the frames in pixels, after rotation.
    world : ndarray, shape (n, 33, 3), optional
        Metric 3D landmarks in metres when the source gives them, else None.
    view : str, optional
        Camera view ("left", "right", "front", "back") when known.
    source : str
        Where the landmarks came from, e.g. "mediapipe:full", "replay:openpose".
    meta : PoseMeta
        Provenance (model and its checksum, people seen, file replayed, cleaning settings).
    """

    times: np.ndarray
    xy: np.ndarray
    visibility: np.ndarray
    image_size: tuple[int, int]
    world: np.ndarray | None = None
    view: View | None = None
    source: str = "unknown"
    meta: PoseMeta = field(default_factory=PoseMeta)

    def __post_init__(self) -> None:
        n = len(self.times)
        if self.xy.shape != (n, len(LANDMARK_NAMES), 2):
            raise ValueError(f"xy must have shape ({n}, 33, 2); got {self.xy.shape}")
        if self.visibility.shape != (n, len(LANDMARK_NAMES)):
            raise ValueError(f"visibility must have shape ({n}, 33); got {self.visibility.shape}")
        if self.world is not None and self.world.shape != (n, len(LANDMARK_NAMES), 3):
            raise ValueError(f"world must have shape ({n}, 33, 3); got {self.world.shape}")

    def __len__(self) -> int:
        return len(self.times)

    @property
    def fps(self) -> float:
        """Median frame rate in frames per second (0 when fewer than two frames)."""
        if len(self.times) < 2:
            return 0.0
        return float(1.0 / np.median(np.diff(self.times)))

    @property
    def duration(self) -> float:
        """Time from the first to the last frame, in seconds."""
        return float(self.times[-1] - self.times[0]) if len(self.times) else 0.0

    def point(self, name: str) -> np.ndarray:
        """Image coordinates of one landmark, shape (n, 2), pixels."""
        return self.xy[:, LANDMARK_INDEX[name], :]

    def vis(self, name: str) -> np.ndarray:
        """Visibility of one landmark, shape (n,)."""
        return self.visibility[:, LANDMARK_INDEX[name]]

    def detected(self) -> np.ndarray:
        """Boolean mask, shape (n,), of frames where any landmark is known."""
        return cast("np.ndarray", np.isfinite(self.xy[:, :, 0]).any(axis=1))

    def with_changes(self, **changes: Any) -> PoseSeries:
        """Return a copy with some fields replaced (arrays are not copied)."""
        return replace(self, **changes)

    def slice(self, start: int, stop: int) -> PoseSeries:
        """Return frames ``start`` to ``stop`` (exclusive) as a new PoseSeries."""
        world = None if self.world is None else self.world[start:stop]
        return replace(
            self,
            times=self.times[start:stop],
            xy=self.xy[start:stop],
            visibility=self.visibility[start:stop],
            world=world,
        )


def empty_pose_arrays(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return NaN xy (n, 33, 2), zero visibility (n, 33) and NaN world (n, 33, 3) arrays."""
    k = len(LANDMARK_NAMES)
    return np.full((n, k, 2), np.nan), np.zeros((n, k)), np.full((n, k, 3), np.nan)
