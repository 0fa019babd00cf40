"""Side-view running events and measures on recorded keypoints of the real treadmill clip."""

import itertools
import json
import re

import numpy as np
import pytest

import kinechain
from kinechain.kinematics.events import gait_events, subframe_peak
from kinechain.kinematics.sagittal import sagittal_kinematics
from kinechain.model.kinematics import Kinematics
from kinechain.model.pose import LANDMARK_INDEX
from kinechain.pose import load_keypoints
from kinechain.protocols import get_protocol
from kinechain.protocols.running_side import MEASURES
from kinechain.signal import clean_pose


@pytest.fixture(scope="module")
def truth(data_dir):
    return json.loads((data_dir / "video" / "male_side.groundtruth.json").read_text())["cadence_spm"]["value"]


@pytest.fixture(scope="module", params=["male_side.mediapipe-full.json", "male_side.rtmpose.json"])
def analysis(request, data_dir):
    return kinechain.analyze(None, keypoints=data_dir / "video" / request.param)


def test_subframe_peak_of_a_parabola():
    x = np.arange(10.0)
    values = -((x - 4.3) ** 2)
    assert subframe_peak(values, 4) == pytest.approx(4.3)


def test_events_on_constructed_heel_motion():
    fps, f_stride = 60.0, 1.4
    t = np.arange(0, 6, 1 / fps)
    heel = 100 * np.sin(2 * np.pi * f_stride * t)
    toe = 100 * np.sin(2 * np.pi * f_stride * t - 1.2)
    sig = {
        f"{k}_{s}": v for s in ("left", "right") for k, v in (("heel_forward", heel), ("toe_forward", toe))
    }
    kin = Kinematics(times=t, signals=sig, units={})
    strikes = [e.time for e in gait_events(kin, sides=("left",)) if e.kind == "foot_strike"]
    expected = (0.25 + np.arange(9)) / f_stride
    assert np.allclose(strikes, expected[: len(strikes)], atol=1e-3)
    assert len(strikes) == 8


def test_cadence_within_one_step_of_ground_truth(analysis, truth):
    cadence = analysis.result.measure("running.cadence")
    assert cadence.measurable and cadence.n >= 14  # strides of one foot at least, over 12 s
    assert abs(cadence.value - truth) < 1.0


def test_every_measure_reported_per_side_with_honesty_fields(analysis):
    ids = {m.id for m in analysis.result.measures}
    assert ids == set(MEASURES)
    for m in analysis.result.measures:
        assert 0.0 <= m.confidence <= 1.0
        if m.measurable:
            assert m.n >= 3 and len(m.per_cycle) == m.n and m.value is not None
        else:
            assert m.value is None and m.reason


def test_events_alternate_and_stances_are_plausible(analysis):
    strikes = [e for e in analysis.result.events if e.kind == "foot_strike"]
    sides = [e.side for e in strikes]
    if len(set(sides)) == 2:  # both feet measured: left and right strikes take turns
        alternations = sum(a != b for a, b in itertools.pairwise(sides))
        assert alternations >= 0.8 * (len(sides) - 1)
    contact = analysis.result.measure("running.contact_time", "left")
    assert 250 < contact.value < 400  # 333 +/- 47 ms marked by eye (male_side.events.json)


def test_hidden_far_leg_is_not_measurable(data_dir):
    pose = load_keypoints(data_dir / "video" / "male_side.mediapipe-full.json")
    vis = pose.visibility.copy()
    for p in ("knee", "ankle", "heel", "foot_index"):
        vis[::2, LANDMARK_INDEX[f"right_{p}"]] = 0.1  # the far leg hidden in half the frames
    _kin, measures = get_protocol("running").analyse(
        clean_pose(pose.with_changes(visibility=vis)), view="left"
    )
    far = measures.get("running.knee_flexion_ic", "right")
    assert not far.measurable and "right (far) leg" in far.reason
    assert measures.get("running.knee_flexion_ic", "left").measurable
    assert measures.get("running.cadence").measurable


def test_view_is_detected_from_facing_direction(data_dir):
    pose = clean_pose(load_keypoints(data_dir / "video" / "male_side.rtmpose.json"))
    kin = sagittal_kinematics(pose)
    assert kin.meta.forward == -1.0  # the runner faces image-left, showing the left side
    mirrored = pose.with_changes(xy=pose.xy * np.array([-1.0, 1.0]) + np.array([720.0, 0.0]))
    assert sagittal_kinematics(mirrored).meta.forward == 1.0


def test_measure_ids_are_documented():
    doc = (kinechain_root() / "docs" / "measures.md").read_text()
    documented = set(re.findall(r"`(running\.[a-z_]+)`", doc))
    assert set(MEASURES) <= documented


def kinechain_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[1]


def test_far_leg_with_inconsistent_contacts_is_refused(data_dir):
    """RTMPose on the real clip: the far (right) leg, partly hidden by the treadmill console, gives
    contacts less than half as long as the near leg's; its measures must not be reported."""
    result = kinechain.analyze(None, keypoints=data_dir / "video" / "male_side.rtmpose.json").result
    far = result.measure("running.contact_time", "right")
    assert not far.measurable and "disagree" in far.reason
    assert result.measure("running.contact_time", "left").measurable
