"""MediaPipe BlazePose backend (33 landmarks with heels and toes, world landmarks, visibility)."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from kinechain.errors import NoPersonFound
from kinechain.model.pose import LANDMARK_NAMES, PoseMeta, PoseSeries, empty_pose_arrays
from kinechain.model.recording import VideoInfo
from kinechain.pose.base import ProgressFn
from kinechain.pose.models import ModelFile, model_path
from kinechain.pose.parallel import run_segments
from kinechain.pose.segments import Segment, plan, pose_threads
from kinechain.pose.tracking import Follower
from kinechain.video.light import light_picks, median_levels
from kinechain.video.reader import Frame, iter_frames, probe

#: Frames analysed with the multi-person landmarker before deciding one person is in view.
SCAN_FRAMES = 3
#: A video with fewer frames holding the person than this fraction is refused.
MIN_DETECTED_FRACTION = 0.25
#: In single-person mode, frames without the followed person before all people are searched again.
LOST_FRAMES_BEFORE_RESCAN = 3


class _StderrSilencer:
    """Point file descriptor 2 at /dev/null while any thread is inside, and restore it once.

    Model creation runs in a background thread while the first frames are analysed, so two
    threads can be inside at once. Each saving and restoring descriptor 2 on its own lost stderr
    for good about one run in ten (the second thread saved /dev/null and "restored" it last);
    here the first thread in saves the real descriptor and the last one out puts it back.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved = -1

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        self._enter()
        try:
            yield
        finally:
            self._exit()

    def _enter(self) -> None:
        with self._lock:
            if self._depth == 0:
                sys.stderr.flush()
                self._saved = os.dup(2)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                os.close(devnull)
            self._depth += 1

    def _exit(self) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0:
                os.dup2(self._saved, 2)
                os.close(self._saved)
                self._saved = -1


#: Hides the C++ start-up chatter MediaPipe and TFLite print straight to file descriptor 2; used
#: only around model creation and the first inferences. Python exceptions still propagate.
_native_stderr_silenced = _StderrSilencer()


def _landmarker(model: ModelFile, num_poses: int) -> Any:
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model.path)),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=num_poses,
        min_pose_detection_confidence=0.5,
        min_pose_presence_confidence=0.5,
        min_tracking_confidence=0.5,
    )
    with _native_stderr_silenced():
        return vision.PoseLandmarker.create_from_options(options)


def _to_arrays(result: Any) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Convert a PoseLandmarkerResult into (norm xy (33,2), visibility (33,), world (33,3)) per person."""
    people = []
    for i, lms in enumerate(result.pose_landmarks):
        img = np.array([(p.x, p.y, p.visibility or 0.0) for p in lms], dtype=float)
        world = np.array([(p.x, p.y, p.z) for p in result.pose_world_landmarks[i]], dtype=float)
        people.append((img[:, :2], img[:, 2], world))
    return people


@dataclass
class _Collector:
    """Accumulates the followed person's landmarks frame by frame."""

    width: int
    height: int
    follower: Follower
    times: list[float] = field(default_factory=list)
    xy: list[np.ndarray] = field(default_factory=list)
    vis: list[np.ndarray] = field(default_factory=list)
    world: list[np.ndarray] = field(default_factory=list)
    max_people: int = 0
    luma: dict[int, tuple[float, float]] = field(default_factory=dict)

    def since(self, start: float) -> _Collector:
        """Drop the frames before ``start`` (s), e.g. a segment's warm-up; returns self."""
        k = int(np.searchsorted(np.array(self.times), start, side="left"))
        del self.times[:k], self.xy[:k], self.vis[:k], self.world[:k]
        return self

    @classmethod
    def joined(cls, parts: list[_Collector]) -> _Collector:
        """Join consecutive segments' collectors into one."""
        out = cls(parts[0].width, parts[0].height, parts[0].follower)
        for part in parts:
            out.times += part.times
            out.xy += part.xy
            out.vis += part.vis
            out.world += part.world
            out.max_people = max(out.max_people, part.max_people)
            out.luma.update(part.luma)  # a frame seen by two segments has the same pixels in both
        return out

    def add(self, time: float, people: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> None:
        self.times.append(time)
        self.max_people = max(self.max_people, len(people))
        idx = self.follower.step([p[0] for p in people])
        if idx is None:
            nan_xy, zero_vis, nan_world = empty_pose_arrays(1)
            self.xy.append(nan_xy[0])
            self.vis.append(zero_vis[0])
            self.world.append(nan_world[0])
            return
        xy, vis, world = people[idx]
        self.xy.append(xy * np.array([self.width, self.height]))
        self.vis.append(vis)
        self.world.append(world)


#: Longest side, in pixels, of the frames given to the landmarker (see MediaPipeEstimator).
DEFAULT_MAX_SIDE = 960


class _Engines:
    """The multi-person landmarker used first, and the faster one-person landmarker.

    Every video starts with a landmarker that looks for several people. If after
    ``SCAN_FRAMES`` frames only one person was seen, a one-person landmarker (built in the
    background meanwhile) takes over; if the followed person is then lost for
    ``LOST_FRAMES_BEFORE_RESCAN`` frames, everyone is searched for again.
    """

    def __init__(self, model: ModelFile, max_people: int, *, single_allowed: bool) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinechain-model")
        self.multi = _landmarker(model, max_people)
        self._pending: Future[Any] | None = (
            self._pool.submit(_landmarker, model, 1) if single_allowed else None
        )
        self.single: Any = None

    def pick(self, k: int, people_seen: int, lost: int) -> Any:
        """Return the landmarker to use for frame ``k``."""
        if k == SCAN_FRAMES and people_seen <= 1 and self._pending is not None:
            self.single, self._pending = self._pending.result(), None
        if self.single is not None and lost >= LOST_FRAMES_BEFORE_RESCAN:
            self.single.close()  # the person may be hidden behind someone: look at everyone again
            self.single = None
        return self.single or self.multi

    def __enter__(self) -> _Engines:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pending is not None:
            self._pending.result().close()
        for engine in (self.multi, self.single):
            if engine is not None:
                engine.close()
        self._pool.shutdown(wait=False)


class MediaPipeEstimator:
    """BlazePose through MediaPipe Tasks, in tracking (VIDEO) mode, fully offline.

    Parameters
    ----------
    quality : str
        "fast" (lite), "balanced" (full, default) or "accurate" (heavy).
    person : tuple of float, optional
        A point (x, y) in normalised image units (0-1) on the person to follow, in the first
        frame where people are found. By default the largest, most central person is followed.
    max_side : int
        Frames are downscaled so their longer side is at most this many pixels before inference
        (the landmark model sees a 256 px crop, so this loses nothing for a person filling
        a third of the frame or more).
    models_dir : Path, optional
        Where the installed bundles are; defaults to :func:`kinechain.pose.models.models_dir`.
    max_people : int
        People the first frames are searched for.
    threads : int, optional
        Time segments of a clip analysed at once, one per core; 1 runs one tracker. Default:
        :func:`kinechain.pose.segments.pose_threads` (one tracker up to 40 fps, two above, or
        $KINECHAIN_POSE_THREADS).
    """

    #: The light levels come with the landmarks (``meta["light"]``), taken from the frames decoded.
    measures_light = True

    def __init__(
        self,
        quality: str = "balanced",
        *,
        person: tuple[float, float] | None = None,
        max_side: int = DEFAULT_MAX_SIDE,
        models_dir: Path | None = None,
        max_people: int = 4,
        threads: int | None = None,
    ) -> None:
        self.model = model_path(quality, directory=models_dir)
        self.quality = quality
        self.person = person
        self.max_side = max_side
        self.max_people = max_people
        self.threads = threads
        self.name = f"mediapipe:{self.model.variant}"

    def __getstate__(self) -> dict[str, object]:
        """Pickle the settings only (for a segment's child process), not attributes set on the instance."""
        keep = ("model", "quality", "person", "max_side", "max_people", "threads", "name")
        return {k: self.__dict__[k] for k in keep}

    def estimate(self, video: str | os.PathLike[str], *, progress: ProgressFn | None = None) -> PoseSeries:
        """Return the followed person's landmarks in every frame of ``video``.

        A high-frame-rate clip of a few seconds or more is cut into time segments analysed at
        once on separate cores (:mod:`kinechain.pose.segments`), unless a person to follow was
        given or more than one person was seen; otherwise one tracker runs through the clip.

        Raises
        ------
        NoPersonFound
            When the person is found in fewer than a quarter of the frames.
        """
        info = probe(video)
        spans = plan(info.duration, self.threads or pose_threads(info.fps))
        if len(spans) > 1 and self.person is None:
            acc = self._segmented(video, info, spans, progress)
            if acc is not None:
                return self._series(acc, info)
        frames = iter_frames(video, max_side=self.max_side, luma_at=light_picks(info.n_frames))
        return self.estimate_frames(frames, info, progress=progress)

    def estimate_frames(
        self, frames: Iterable[Frame], info: VideoInfo, *, progress: ProgressFn | None = None
    ) -> PoseSeries:
        """Run the landmarker over already-decoded frames (see :meth:`estimate`)."""
        return self._series(self._collect(frames, info, progress), info)

    def _collect(self, frames: Iterable[Frame], info: VideoInfo, progress: ProgressFn | None) -> _Collector:
        """Track the person through ``frames`` with one landmarker."""
        follower = Follower(point=self.person, aspect=info.width / max(info.height, 1))
        acc = _Collector(info.width, info.height, follower)
        last_ts = -1
        with _Engines(self.model, self.max_people, single_allowed=self.person is None) as engines:
            for k, frame in enumerate(frames):
                engine = engines.pick(k, acc.max_people, follower.lost)
                last_ts = max(round(frame.time * 1000.0), last_ts + 1)  # strictly increasing ms
                quiet = _native_stderr_silenced() if acc.max_people == 0 or k == SCAN_FRAMES else None
                with quiet or contextlib.nullcontext():
                    result = engine.detect_for_video(_mp_image(frame.rgb), last_ts)
                acc.add(frame.time, _to_arrays(result))
                if frame.luma is not None:
                    acc.luma[frame.index] = frame.luma
                if progress:
                    progress(k + 1, info.n_frames)
        return acc

    def _segmented(
        self,
        video: str | os.PathLike[str],
        info: VideoInfo,
        spans: list[Segment],
        progress: ProgressFn | None,
    ) -> _Collector | None:
        """Track each segment with its own tracker, all at once, and join them.

        The later segments run in child processes (:mod:`kinechain.pose.parallel`). Returns None
        when any segment saw several
        people (its tracker could then follow someone else than the whole clip's tracker would),
        or when a segment's process died.
        """
        jobs = [partial(_track_span, self, str(video), info, span) for span in spans]
        total = (lambda done: progress(min(done, info.n_frames), info.n_frames)) if progress else None
        parts = run_segments(jobs, total)
        if parts is None or any(part.max_people > 1 for part in parts):
            return None
        return _Collector.joined(parts)

    def _series(self, acc: _Collector, info: VideoInfo) -> PoseSeries:
        xy, vis, world = np.array(acc.xy), np.array(acc.vis), np.array(acc.world)
        times = np.array(acc.times)
        found = np.isfinite(xy[:, :, 0]).any(axis=1) if len(xy) else np.zeros(0, bool)
        if len(times) == 0 or found.mean() < MIN_DETECTED_FRACTION:
            raise NoPersonFound(
                f"no person was found in {info.path} ({int(found.sum())} of {len(times)} frames); "
                "film the whole body, head to toe, in good light."
            )
        meta: PoseMeta = {
            "model": self.name,
            "model_sha256": self.model.sha256,
            "max_people_seen": acc.max_people,
            "frames_with_person": int(found.sum()),
        }
        if acc.luma:
            brightness, contrast = median_levels(acc.luma.values())
            meta["light"] = {"brightness": brightness, "contrast": contrast, "frames": len(acc.luma)}
        return PoseSeries(
            times=times,
            xy=xy.reshape(len(times), len(LANDMARK_NAMES), 2),
            visibility=vis,
            image_size=(info.width, info.height),
            world=world,
            source=self.name,
            meta=meta,
        )


def _track_span(
    estimator: MediaPipeEstimator, video: str, info: VideoInfo, span: Segment, report: Callable[[int], None]
) -> _Collector:
    """Track the person through one segment of ``video`` and keep its share (a job of run_segments)."""
    frames = iter_frames(
        video,
        max_side=estimator.max_side,
        start_s=span.decode_from,
        stop_s=span.stop,
        luma_at=light_picks(info.n_frames),
    )
    return estimator._collect(frames, info, lambda done, _total: report(done)).since(span.keep_from)


def _mp_image(rgb: np.ndarray) -> Any:
    import mediapipe as mp

    return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
