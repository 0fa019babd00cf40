"""Pose segments run in child processes (kinechain.pose.parallel and kinechain.pose.worker)."""

from __future__ import annotations

import pickle
import time
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from kinechain.errors import UnreadableVideo
from kinechain.pose import parallel
from kinechain.pose.mediapipe_backend import MediaPipeEstimator, _track_span
from kinechain.pose.segments import plan
from kinechain.video import probe, read_frames_at
from kinechain.video.light import light_picks, luma_stats

CLIP = Path(__file__).parent / "data" / "video" / "male_side.mp4"


def test_a_segment_tracked_in_a_child_process_equals_the_same_segment_tracked_here():
    """The bundled clip's second segment (6.5-12 s, 1 s warm-up): the child's landmarks, times and
    people count are those of the same tracker run in this process, and its progress arrives."""
    info = probe(CLIP)
    span = plan(info.duration, 2)[1]
    estimator = MediaPipeEstimator("fast", threads=2)
    job = partial(_track_span, estimator, str(CLIP), info, span)
    reports: list[int] = []
    there = parallel.in_child(job, reports.append)
    here = job(lambda _done: None)
    assert there.times == here.times and len(here.times) > 150
    assert np.array_equal(np.array(there.xy), np.array(here.xy), equal_nan=True)
    assert there.max_people == here.max_people == 1
    # the light samples in the segment (warm-up included) come back from the child, as decoded apart
    picks = sorted(light_picks(info.n_frames))
    apart = {k: luma_stats(rgb) for k, rgb in read_frames_at(CLIP, picks).items()}
    in_span = {k: v for k, v in apart.items() if k / info.fps >= span.decode_from - 0.02}
    assert there.luma == here.luma == in_span
    assert len(there.luma) >= 5
    assert reports and reports == sorted(reports) and reports[-1] <= len(here.times) + 30


def test_an_error_inside_the_child_is_raised_here_with_its_sentence(tmp_path):
    missing = tmp_path / "missing.mp4"
    info = probe(CLIP)
    job = partial(_track_span, MediaPipeEstimator("fast"), str(missing), info, plan(info.duration, 2)[1])
    with pytest.raises(UnreadableVideo, match="does not exist; check the path"):
        parallel.run_segments([lambda _report: None, job])


def test_a_child_that_dies_without_a_result_makes_run_segments_return_none(monkeypatch):
    """The caller then analyses the clip in one process (MediaPipeEstimator.estimate)."""
    monkeypatch.setattr(parallel, "WORKER_ARGS", ("-c", "import sys; sys.exit(3)"))
    assert parallel.run_segments([lambda _report: 1, partial(max, 2)]) is None


def test_run_threads_returns_results_in_order_and_raises_a_jobs_error():
    def job(n: int, _report: object) -> int:
        if n < 0:
            raise ValueError("negative")
        return n * 10

    assert parallel.run_threads([partial(job, 1), partial(job, 2)]) == [10, 20]
    with pytest.raises(ValueError, match="negative"):
        parallel.run_threads([partial(job, 1), partial(job, -1)])


def test_a_job_that_cannot_be_sent_fails_at_once_instead_of_hanging():
    with pytest.raises((pickle.PicklingError, AttributeError)):
        parallel.run_segments([lambda _report: 1, lambda _report: 2])


def test_an_estimator_with_a_wrapped_method_still_reaches_the_child():
    """A benchmark wraps ``estimate`` on the instance; the child gets the settings only."""
    estimator = MediaPipeEstimator("fast", max_side=640)
    estimator.estimate = lambda *a, **k: None  # type: ignore[method-assign]
    copy = pickle.loads(pickle.dumps(estimator))
    assert (copy.quality, copy.max_side, copy.model) == ("fast", 640, estimator.model)
    assert "estimate" not in vars(copy)


def test_a_report_that_raises_kills_the_child_instead_of_hanging():
    """A caller whose progress report raises (a cancelled job) gets its exception back, and the
    child is killed. Before, the parent waited for the child to exit while the child, its work
    done, waited for someone to read its result: a hang (the bound below only catches that)."""
    info = probe(CLIP)
    job = partial(_track_span, MediaPipeEstimator("fast"), str(CLIP), info, plan(info.duration, 2)[0])

    def report(_done: int) -> None:
        raise KeyboardInterrupt("cancelled")

    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt, match="cancelled"):
        parallel.in_child(job, report)
    assert time.monotonic() - start < 60.0
