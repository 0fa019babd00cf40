"""Builders of model records for tests: an AnalysisResult with just the fields a test needs.

Import with ``from builders import analysis_result`` (``tests/`` is on the path through its
``conftest.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from kinechain.model.measures import Measure
from kinechain.model.recording import VideoInfo
from kinechain.model.result import AnalysisResult, ViewRecord
from kinechain.model.vocab import TestKind, View

#: Length of the clip a built result describes, seconds.
CLIP_S = 12.0


def analysis_result(
    test: TestKind = "running",
    view: View = "left",
    measures: Sequence[Measure] = (),
    *,
    fps: float | None = None,
    pose_source: str = "test",
) -> AnalysisResult:
    """Return a result of ``test`` filmed from ``view`` holding ``measures``.

    Parameters
    ----------
    test, view : str
        The movement test and the camera view (also the view asked for).
    measures : sequence of Measure
        The measures of the clip.
    fps : float, optional
        Frame rate of a 12 s portrait clip (frames per second); None: no clip record.
    pose_source : str
        The pose source, e.g. a pose model ("mediapipe:full") or "replay:...".
    """
    clip = None
    if fps is not None:
        clip = VideoInfo(
            path="run.mp4",
            codec="h264",
            container="mp4",
            width=720,
            height=1280,
            fps=fps,
            duration=CLIP_S,
            n_frames=round(fps * CLIP_S),
        )
    return AnalysisResult(
        clip=clip,
        kinechain_version="test",
        created=datetime(2025, 1, 1, tzinfo=timezone.utc),
        test=test,
        view=ViewRecord(view=view, requested=view),
        pose_source=pose_source,
        measures=list(measures),
    )
