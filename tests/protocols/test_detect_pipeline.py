"""Automatic test and view detection on constructed movements, through kinechain.analyze."""

import numpy as np
import pytest
from bodies import (
    double_squat_session,
    drop_jump_session,
    lunge_session,
    running_body,
    squat_session,
    to_pose,
)

import kinechain
from kinechain.errors import ConfigError, InputError, QualityError
from kinechain.model.pose import LANDMARK_INDEX
from kinechain.pose import save_keypoints
from kinechain.protocols.detect import detect

SQUAT = {
    "shank": 30.0,
    "thigh": 60.0,
    "trunk": 30.0,
    "knee_in_left": 0.02,
    "knee_in_right": 0.02,
    "shift": 0.0,
    "heel": 0.0,
}
ONE_LEG = {s: {"knee_in": 0.03, "drop": 3.0, "lean": 2.0} for s in ("left", "right")}
RUN = {
    s: {"drop": 3.0, "thigh_in": 3.0, "shank_out": 1.0, "lean": 1.0, "eversion": 2.0}
    for s in ("left", "right")
}


def _running(view):
    period = 20 / 60
    return to_pose([running_body(t, period, RUN) for t in np.arange(0, 24 * period, 1 / 60)], view)


CASES = {
    "running-back": (lambda: _running("back"), "running", "back"),
    "running-front": (lambda: _running("front"), "running", "front"),
    "double-front": (lambda: double_squat_session(SQUAT, "front"), "double_leg_squat", "front"),
    "double-right": (lambda: double_squat_session(SQUAT, "right"), "double_leg_squat", "right"),
    "single-front": (lambda: squat_session(ONE_LEG, "front"), "single_leg_squat", "front"),
    "single-left": (lambda: squat_session(ONE_LEG, "left"), "single_leg_squat", "left"),
    "stepdown-front": (lambda: squat_session(ONE_LEG, "front", step_down=True), "step_down", "front"),
    "dropjump-front": (lambda: drop_jump_session(SQUAT, "front")[0], "drop_jump", "front"),
    "dropjump-left": (lambda: drop_jump_session(SQUAT, "left")[0], "drop_jump", "left"),
    "kneewall-right": (lambda: lunge_session("right", 38.0), "knee_to_wall", "right"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_constructed_test_is_recognised_with_its_view(case):
    make, test, view = CASES[case]
    found = detect(make())
    assert (found.test, found.view) == (test, view), found.reason
    assert found.test_confidence > 0.3 and found.view_confidence > 0.8


def test_analyze_with_test_auto_records_the_detection(tmp_path):
    path = save_keypoints(squat_session(ONE_LEG, "front"), tmp_path / "sls.json")
    analysis = kinechain.analyze(None, keypoints=path, test="auto")
    result = analysis.result
    assert result.test == "single_leg_squat" and result.view.view == "front"
    detection = result.settings["detection"]
    assert detection["requested_test"] == "auto" and detection["test"] == "single_leg_squat"
    assert result.measure("single_leg_squat.fppa_peak", "left").n == 3
    assert result.quality.checks["framing"].ok is True


def test_a_declared_test_the_clip_contradicts_is_refused_unless_the_gate_is_off(tmp_path):
    path = save_keypoints(double_squat_session(SQUAT, "front"), tmp_path / "dls.json")
    with pytest.raises(QualityError, match=r"declared as single leg squat, but it shows double leg squat"):
        kinechain.analyze(None, keypoints=path, test="single_leg_squat", view="front")
    result = kinechain.analyze(
        None, keypoints=path, test="single_leg_squat", view="front", quality_gate=False
    ).result
    assert (
        result.test == "single_leg_squat"
        and result.settings["detection"]["requested_test"] == "single_leg_squat"
    )
    assert result.measure("single_leg_squat.reps", "left").measurable is False  # two feet: no one-leg reps


def test_an_unrecognised_movement_asks_for_the_test(tmp_path):
    path = save_keypoints(
        double_squat_session(SQUAT, "front", reps=0), tmp_path / "still.json"
    )  # stands still
    with pytest.raises(InputError, match=r"could not tell which test this video shows .* pass --test"):
        kinechain.analyze(None, keypoints=path, test="auto")


def test_the_quality_gate_stops_before_measuring(tmp_path):
    pose = double_squat_session(SQUAT, "front")
    xy = pose.xy.copy()
    xy[:, LANDMARK_INDEX["nose"], 1] = -50.0  # the head is out of the picture throughout
    path = save_keypoints(pose.with_changes(xy=xy), tmp_path / "cut.json")
    with pytest.raises(QualityError, match=r"^The head is cut off at the top of the picture"):
        kinechain.analyze(None, keypoints=path, test="double_leg_squat", view="front")
    result = kinechain.analyze(
        None, keypoints=path, test="double_leg_squat", view="front", quality_gate=False
    ).result
    assert any("head is cut off" in w for w in result.warnings)


def test_knee_to_wall_options_pass_through_and_others_are_refused(tmp_path):
    path = save_keypoints(lunge_session("right", 38.0), tmp_path / "lunge.json")
    result = kinechain.analyze(
        None,
        keypoints=path,
        test="knee_to_wall",
        view="right",
        options={"foot_length_cm": 22.0, "wall_x": 680.0},
    ).result
    assert result.measure("knee_to_wall.toe_to_wall_distance", "left").measurable
    with pytest.raises(ConfigError, match=r"does not take the option"):
        kinechain.analyze(
            None,
            keypoints=path,
            test="double_leg_squat",
            view="right",
            options={"wall_x": 1.0},
            quality_gate=False,  # a lunge is not a squat: the gate would refuse it first
        )


def _with_arms(pose, where):
    """The constructed squat with the wrists placed: behind the head, held forward, or swinging overhead."""
    xy = pose.xy.copy()
    nose, shoulders = pose.point("nose"), (pose.point("left_shoulder") + pose.point("right_shoulder")) / 2
    hips = (pose.point("left_hip") + pose.point("right_hip")) / 2
    wobble = 4.0 * np.sin(2 * np.pi * 3.0 * pose.times)  # px: the hands shift a little about the head
    for s, dx in (("left", 60.0), ("right", -60.0)):
        if where == "behind_head":
            y = nose[:, 1] + wobble
        elif where == "forward":
            y = shoulders[:, 1] + wobble
        else:  # swing: hips level when standing, overhead at the bottom of each dip
            depth = (hips[:, 1] - hips[:, 1].min()) / np.ptp(hips[:, 1])
            y = hips[:, 1] + depth * (nose[:, 1] - 150.0 - hips[:, 1])
        xy[:, LANDMARK_INDEX[f"{s}_wrist"], 0] = nose[:, 0] + dx
        xy[:, LANDMARK_INDEX[f"{s}_wrist"], 1] = y
    return pose.with_changes(xy=xy)


@pytest.mark.parametrize(
    ("arms", "expected"),
    [("behind_head", "double_leg_squat"), ("forward", "double_leg_squat"), ("swing", "unknown")],
)
def test_squats_with_hands_behind_the_head_are_not_jumping_jacks(arms, expected):
    found = detect(_with_arms(double_squat_session(SQUAT, "front"), arms))
    assert found.test == expected, found.reason
