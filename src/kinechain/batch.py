"""Analyse the clips of a battery at once, each in a process of its own, one per core.

One clip analysed with one pose tracker keeps about one core busy (the landmarker runs on one
core), so a battery analysed clip after clip leaves the other core mostly idle. Each clip here is
analysed by :func:`kinechain.pipeline.analyze` in a ``python -m kinechain.pose.worker`` process
(:func:`kinechain.pose.parallel.in_child`), as many at once as there are cores: the same code with
the same settings as one clip at a time, so the same results (tested), in less time
(``benchmarks/battery_speed.py``). Replayed keypoints need no pose model and are analysed here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kinechain.config import MAX_DEFAULT_JOBS, usable_cores
from kinechain.model.result import Analysis
from kinechain.pipeline import StageProgress, analyze
from kinechain.pose.parallel import ChildDied, in_child
from kinechain.video.reader import probe

log = logging.getLogger(__name__)

#: Environment variable that sets how many clips are analysed at once (1: one after the other).
AT_ONCE_ENV = "KINECHAIN_CLIPS_AT_ONCE"


@dataclass(frozen=True)
class Clip:
    """One clip of a battery: the movement test, the camera view and the video (or keypoints).

    Attributes
    ----------
    test, view : str
        As :func:`kinechain.pipeline.analyze` takes them.
    video : Path, optional
        The video file.
    keypoints : Path, optional
        Recorded keypoints replayed instead of running the pose model.
    """

    test: str
    view: str
    video: Path | None
    keypoints: Path | None = None


def clips_at_once() -> int:
    """Return how many clips to analyse at once: $KINECHAIN_CLIPS_AT_ONCE, else the usable cores.

    The default is at most :data:`kinechain.config.MAX_DEFAULT_JOBS`.
    """
    given = os.environ.get(AT_ONCE_ENV, "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    return min(usable_cores(), MAX_DEFAULT_JOBS)


def analyze_clips(
    clips: Sequence[Clip],
    *,
    quality: str = "balanced",
    progress: StageProgress | None = None,
    at_once: int | None = None,
) -> list[Analysis]:
    """Analyse every clip with the pose model ``quality``, several at once, and return them in order.

    Parameters
    ----------
    clips : sequence of Clip
        The battery.
    quality : str
        Pose model: "fast", "balanced" (default) or "accurate".
    progress : callable, optional
        Called as ``progress(stage, done, total)``; clips analysed at once report only their pose
        stage, named ``"clip k (test): pose"`` (frames).
    at_once : int, optional
        Clips analysed at once (default :func:`clips_at_once`); 1 analyses them in this process,
        one after the other.

    Returns
    -------
    list of Analysis
        One per clip, in the order given. The first clip's error (in that order) is raised.
    """
    report = progress or (lambda stage, done, total: None)
    n = at_once or clips_at_once()
    if n <= 1 or sum(c.keypoints is None for c in clips) <= 1:
        return [_here(clip, quality, report) for clip in clips]
    pool = ThreadPoolExecutor(n, thread_name_prefix="kinechain-clip")
    try:
        futures = [pool.submit(_one, k, clip, quality, report) for k, clip in enumerate(clips, 1)]
        return [f.result() for f in futures]
    finally:  # after an error or Ctrl-C, clips not started yet are not started
        pool.shutdown(wait=True, cancel_futures=True)


def _here(clip: Clip, quality: str, report: StageProgress) -> Analysis:
    video, keys = clip.video, clip.keypoints
    return analyze(video, test=clip.test, view=clip.view, quality=quality, keypoints=keys, progress=report)


def _one(k: int, clip: Clip, quality: str, report: StageProgress) -> Analysis:
    """Analyse clip ``k`` in a child process (here when its keypoints are replayed or the child dies)."""
    if clip.keypoints is not None or clip.video is None:
        return _here(clip, quality, lambda stage, done, total: None)
    return analyse_in_child(clip, quality, report, stage=f"clip {k} ({clip.test.replace('_', ' ')}): pose")


def analyse_in_child(clip: Clip, quality: str, report: StageProgress, *, stage: str = "pose") -> Analysis:
    """Analyse one video clip in a child process and return it.

    Parameters
    ----------
    clip : Clip
        The clip (its video is analysed; keypoints are not replayed here).
    quality : str
        Pose model: "fast", "balanced" or "accurate".
    report : callable
        Called as ``report(stage, frames done, frames)`` while the pose model runs; an exception
        it raises (a cancelled job) stops the child and propagates.
    stage : str
        The stage name reported.

    Returns
    -------
    Analysis
        As :func:`kinechain.pipeline.analyze` returns it; analysed in this process if the child
        process died (killed, e.g. for memory, or crashed).
    """
    assert clip.video is not None
    total = probe(clip.video).n_frames
    report(stage, 0, total)
    try:
        analysis = in_child(partial(_analyse, clip, quality), lambda done: report(stage, done, total))
    except ChildDied as exc:
        log.warning("the analysis process of %s died (%s); it is analysed in this process", clip.video, exc)
        analysis = _here(clip, quality, report)
    report(stage, total, total)  # the child reports now and then, not necessarily its last frame
    return analysis


def _analyse(clip: Clip, quality: str, report: Callable[[int], None]) -> Analysis:
    """Analyse one clip, reporting pose frames done (a job for :func:`in_child`)."""

    def on_stage(stage: str, done: int, _total: int) -> None:
        if stage == "pose":
            report(done)

    return analyze(clip.video, test=clip.test, view=clip.view, quality=quality, progress=on_stage)
