"""Gait events on the real treadmill clip against every contact marked frame by frame by eye.

tests/data/video/male_side.events.json: 34 initial contacts and 4 toe-offs of male_side.mp4
(30 fps) marked by eye with no pose model. The bounds are the figures this code reaches on the
bundled keypoints (docs/validation-results.md), so a change that makes events worse fails here.
"""

import json

import numpy as np
import pytest

import kinechain
from kinechain.kinematics.events import gait_events

FPS = 30.0
KEYPOINTS = ["male_side.mediapipe-full.json", "male_side.rtmpose.json"]


@pytest.fixture(scope="module")
def marks(data_dir):
    doc = json.loads((data_dir / "video" / "male_side.events.json").read_text())
    out: dict[str, dict[str, list[int]]] = {"left": {"ic": [], "to": []}, "right": {"ic": [], "to": []}}
    for e in doc["events"]:
        out["left" if "left" in e["foot"] else "right"]["ic"].append(e["frame"])
    for step in doc["contact_time"]["steps"]:
        out["left" if "left" in step["foot"] else "right"]["to"].append(step["toe_off_frame"])
    return out


@pytest.fixture(scope="module", params=KEYPOINTS)
def analysis(request, data_dir):
    return kinechain.analyze(None, keypoints=data_dir / "video" / request.param)


def _errors(detected: list[float], marked: list[int], tolerance: float = 5.0) -> tuple[np.ndarray, int]:
    """Frame errors of the marked events found within ``tolerance`` frames, and the number missed."""
    found = np.array(detected)
    errors = [
        found[np.argmin(np.abs(found - m))] - m for m in marked if np.min(np.abs(found - m)) <= tolerance
    ]
    return np.array(errors), len(marked) - len(errors)


def _detected(analysis, kind: str, side: str) -> list[float]:
    return [e.time * FPS for e in gait_events(analysis.kinematics, sides=(side,)) if e.kind == kind]


@pytest.mark.parametrize("side", ["left", "right"])
def test_initial_contact_within_half_a_frame_and_at_most_one_in_ten_missed(analysis, marks, side):
    errors, missed = _errors(_detected(analysis, "foot_strike", side), marks[side]["ic"])
    assert np.median(np.abs(errors)) <= 0.5  # target: 1 frame
    assert missed <= 0.1 * len(marks[side]["ic"])  # the one contact 3 frames before the clip ends


def test_near_toe_off_within_one_and_a_half_frames(analysis, marks):
    errors, missed = _errors(_detected(analysis, "toe_off", "left"), marks["left"]["to"])
    assert missed == 0 and np.median(np.abs(errors)) <= 1.5


def test_near_contact_time_against_the_marks(analysis, marks):
    truth_ms = 1000 * np.mean(np.subtract(marks["left"]["to"], marks["left"]["ic"][:2])) / FPS
    contact = analysis.result.measure("running.contact_time", "left")
    # 294 ms (MediaPipe full) and 334 ms (RTMPose) against 333 +/- 47 ms by eye: the target of
    # 10% is reached with RTMPose keypoints only (docs/validation-results.md)
    assert contact.measurable and abs(contact.value / truth_ms - 1) <= 0.13
