"""Compose the stages: video -> PoseSeries -> cleaned PoseSeries -> Kinematics -> MeasureSet.

No maths here: each stage is a function of the previous one's type. A progress callback is
told which stage is running and how far it has got.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from kinechain._version import __version__
from kinechain.errors import UnsupportedView, check_option
from kinechain.kinematics.view import ViewGuess, estimate_view
from kinechain.model.kinematics import Kinematics
from kinechain.model.pose import VIEWS, PoseSeries
from kinechain.model.recording import VideoInfo
from kinechain.model.result import AnalysisResult, EventRecord, ViewRecord
from kinechain.pose.base import Estimator
from kinechain.pose.replay import ReplayEstimator
from kinechain.protocols import get_protocol, views_of
from kinechain.signal.clean import DEFAULT_CUTOFF_HZ, clean_pose
from kinechain.video.reader import probe

#: Progress callback: (stage name, done, total); total is 0 when unknown.
StageProgress = Callable[[str, int, int], None]

VIEW_CHOICES: tuple[str, ...] = ("auto", "side", *VIEWS)


@dataclass(frozen=True)
class Analysis:
    """The outcome of analysing one recording.

    Attributes
    ----------
    result : AnalysisResult
        The versioned, JSON-serialisable record (measures, events, clip, settings).
    raw_pose : PoseSeries
        Landmarks as the estimator gave them.
    pose : PoseSeries
        Cleaned landmarks the measures were taken from.
    kinematics : Kinematics
        Signals and events.
    video : Path, optional
        The source video, when there was one (for key frames and overlays).
    """

    result: AnalysisResult
    raw_pose: PoseSeries
    pose: PoseSeries
    kinematics: Kinematics
    video: Path | None

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """Return the result as JSON text, and write it to ``path`` when given."""
        text = self.result.model_dump_json(indent=2)
        if path is not None:
            Path(path).write_text(text)
        return text


def resolve_view(requested: str, pose: PoseSeries, allowed: tuple[str, ...]) -> tuple[str, ViewGuess]:
    """Turn the requested view ("auto", "side" or an explicit view) into the view analysed."""
    check_option("view", requested, VIEW_CHOICES)
    guess = estimate_view(pose)
    if requested in VIEWS:
        return requested, guess
    if requested == "side":
        if guess.view in ("front", "back") and guess.confidence >= 0.7:
            raise UnsupportedView(
                f"this video looks like a {guess.view} view (shoulders square to the camera), not a "
                "side view; film the runner side-on, or pass --view front/back for a frontal test."
            )
        return ("left" if guess.forward < 0 else "right"), guess
    if guess.view not in allowed:
        raise UnsupportedView(
            f"the view looks like {guess.view}, which this test does not use; film from the "
            f"{allowed[0]} or pass --view to override."
        )
    return guess.view, guess


def _quality(raw: PoseSeries, info: VideoInfo | None) -> dict[str, object]:
    found = raw.detected()
    steps = np.diff(raw.times)
    vfr = bool(steps.size and (np.abs(steps - np.median(steps)) > 0.1 * np.median(steps)).mean() > 0.05)
    return {
        "frames": len(raw),
        "frames_with_person": int(found.sum()),
        "fps": round(raw.fps, 3),
        "duration_s": round(raw.duration, 3),
        "variable_frame_rate": vfr,
        "image_size": list(raw.image_size),
        "mean_visibility": round(float(raw.visibility[found].mean()) if found.any() else 0.0, 3),
        "source_fps": info.fps if info else None,
    }


def _make_estimator(
    quality: str, keypoints: str | os.PathLike[str] | None, person: tuple[float, float] | None
) -> Estimator:
    if keypoints is not None:
        return ReplayEstimator(keypoints)
    from kinechain.pose.mediapipe_backend import MediaPipeEstimator

    return MediaPipeEstimator(quality, person=person)


def analyze(
    video: str | os.PathLike[str] | None,
    *,
    test: str = "running",
    view: str = "side",
    quality: str = "balanced",
    keypoints: str | os.PathLike[str] | None = None,
    person: tuple[float, float] | None = None,
    estimator: Estimator | None = None,
    cutoff_hz: float = DEFAULT_CUTOFF_HZ,
    progress: StageProgress | None = None,
) -> Analysis:
    """Analyse one recording of a movement test.

    Parameters
    ----------
    video : str or PathLike, optional
        The phone video. May be None when ``keypoints`` are replayed without the video.
    test : str
        Movement test, e.g. "running".
    view : str
        "side" (left or right, detected), "auto", or one of "left", "right", "front", "back".
    quality : str
        Pose model: "fast", "balanced" (default) or "accurate".
    keypoints : str or PathLike, optional
        Recorded keypoints to replay instead of running the pose model.
    person : tuple of float, optional
        (x, y) in 0-1 image units on the person to follow when several are in view.
    estimator : Estimator, optional
        A ready estimator (overrides ``quality``, ``keypoints`` and ``person``).
    cutoff_hz : float
        Low-pass cutoff for the landmarks, Hz.
    progress : callable, optional
        Called as ``progress(stage, done, total)``.

    Returns
    -------
    Analysis
        The result record plus the pose and kinematics it came from.
    """
    allowed = views_of(test)
    check_option("view", view, VIEW_CHOICES)
    check_option("model", quality, ("fast", "balanced", "accurate"))
    report = progress or (lambda stage, done, total: None)
    info = probe(video) if video is not None and keypoints is None else None
    est = estimator or _make_estimator(quality, keypoints, person)
    raw = est.estimate(video, progress=lambda d, t: report("pose", d, t))  # type: ignore[arg-type]
    report("cleaning", 0, 1)
    pose = clean_pose(raw, cutoff_hz=cutoff_hz)
    chosen, guess = resolve_view(view, pose, allowed)
    protocol = get_protocol(test, chosen)
    pose = pose.with_changes(view=chosen)
    report("measures", 0, 1)
    kin, measures = protocol.analyse(pose, view=chosen)
    report("measures", 1, 1)
    result = AnalysisResult(
        kinechain_version=__version__,
        created=datetime.now(timezone.utc),
        test=test,
        view=ViewRecord(
            view=chosen, requested=view, detected=guess.view, detected_confidence=round(guess.confidence, 3)
        ),
        clip=info,
        pose_source=raw.source,
        settings={
            "pose": {k: v for k, v in raw.meta.items() if k != "cleaning"},
            "cleaning": pose.meta.get("cleaning", {}),
            "model_choice": quality,
        },
        quality=_quality(raw, info),
        measures=measures.measures,
        events=[
            EventRecord(
                kind=e.kind,
                side=e.side,
                time=round(e.time, 4),
                frame=e.frame,
                confidence=round(e.confidence, 3),
            )
            for e in kin.events
        ],
        warnings=measures.warnings,
    )
    return Analysis(result, raw, pose, kin, Path(video) if video is not None else None)
