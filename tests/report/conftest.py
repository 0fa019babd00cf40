"""Fixtures for the report tests: the real treadmill clip analysed from its recorded keypoints."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import kinechain
from kinechain.model.pose import LANDMARK_INDEX
from kinechain.pose.replay import load_keypoints

VIDEO_DIR = Path(__file__).resolve().parents[1] / "data" / "video"
CLIP = VIDEO_DIR / "male_side.mp4"
KEYPOINTS = VIDEO_DIR / "male_side.mediapipe-full.json"


@pytest.fixture(scope="session")
def running_analysis() -> kinechain.Analysis:
    """The bundled clip analysed by the real pipeline from MediaPipe keypoints (no model needed)."""
    return kinechain.analyze(CLIP, keypoints=KEYPOINTS, test="running", view="side")


class HiddenLegEstimator:
    """Replays the recorded keypoints with one leg's knee, ankle and foot removed in 7 frames out of
    10, as when the far leg is mostly hidden behind the near one."""

    name = "replay-hidden-leg"

    def __init__(self, side: str) -> None:
        self.side = side

    def estimate(self, video, *, progress=None):
        pose = load_keypoints(KEYPOINTS)
        xy, vis = pose.xy.copy(), pose.visibility.copy()
        for part in ("knee", "ankle", "heel", "foot_index"):
            i = LANDMARK_INDEX[f"{self.side}_{part}"]
            hidden = np.arange(len(pose)) % 10 < 7
            xy[hidden, i] = np.nan
            vis[hidden, i] = 0.0
        return pose.with_changes(xy=xy, visibility=vis)


@pytest.fixture(scope="session")
def hidden_leg_analysis() -> kinechain.Analysis:
    """The bundled clip with the far (right) leg hidden: its measures are not measurable."""
    return kinechain.analyze(CLIP, estimator=HiddenLegEstimator("right"), test="running", view="left")
