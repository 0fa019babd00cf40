"""The capture-quality gate on constructed recordings with one known problem each."""

import numpy as np
import pytest
from bodies import double_squat_session, rotate_coronal, running_body, standing, to_pose

from kinechain.errors import QualityError
from kinechain.kinematics.frontal import frontal_kinematics, midstance_events
from kinechain.kinematics.scale import leg_length
from kinechain.model.pose import LANDMARK_INDEX
from kinechain.protocols.quality import capture_checks, count_check

SQUAT = {
    "shank": 30.0,
    "thigh": 60.0,
    "trunk": 30.0,
    "knee_in_left": 0.0,
    "knee_in_right": 0.0,
    "shift": 0.0,
    "heel": 0.0,
}


def _report(pose, test="double_leg_squat"):
    return capture_checks(pose, pose, test=test, view=pose.view, leg=leg_length(pose, pose.view))


def test_a_good_recording_passes_every_check():
    report = _report(double_squat_session(SQUAT, "front"))
    assert all(c.ok for c in report.checks), report.warnings
    report.raise_for_errors()


def test_feet_cut_off_stop_the_analysis_with_what_to_do():
    pose = double_squat_session(SQUAT, "front")
    xy = pose.xy.copy()
    for name in ("left_ankle", "right_ankle", "left_heel", "right_heel"):
        xy[: int(0.6 * len(pose)), LANDMARK_INDEX[name], 1] = 2000.0  # below a 1920 px tall image
    report = _report(pose.with_changes(xy=xy))
    with pytest.raises(
        QualityError,
        match=r"^The feet are cut off at the bottom of the picture in 60% of frames; "
        r"move the camera back",
    ):
        report.raise_for_errors()


def test_poor_visibility_names_the_worst_part():
    pose = double_squat_session(SQUAT, "front")
    vis = pose.visibility.copy()
    vis[:] = 0.6
    vis[:, LANDMARK_INDEX["left_knee"]] = 0.2
    check = next(c for c in _report(pose.with_changes(visibility=vis)).checks if c.name == "visibility")
    assert not check.ok and check.severity == "warning" and "the left knee most of all" in check.message
    vis[:] = 0.3
    check = next(c for c in _report(pose.with_changes(visibility=vis)).checks if c.name == "visibility")
    assert check.severity == "error" and "good light" in check.message


@pytest.mark.parametrize(
    ("fps", "test", "severity"),
    [
        (15.0, "double_leg_squat", "error"),
        (30.0, "running", "warning"),
        (30.0, "double_leg_squat", None),
        (60.0, "running", None),
    ],
)
def test_frame_rate_against_the_tests_advice(fps, test, severity):
    pose = double_squat_session(SQUAT, "front", fps=fps)
    check = next(c for c in _report(pose, test).checks if c.name == "frame_rate")
    assert check.ok == (severity is None)
    if severity:
        assert check.severity == severity
    if severity == "warning":
        assert (
            "film at 60 fps or more" in check.message
            and "contact and timing measures are flagged" in check.message
        )


def test_more_than_one_person_is_a_warning():
    pose = double_squat_session(SQUAT, "front")
    report = _report(pose.with_changes(meta={"max_people_seen": 2}))
    assert any("2 people were seen" in w for w in report.warnings)


def test_a_tilted_camera_is_noticed_from_the_front():
    body = standing()
    everything = list(body)
    rotate_coronal(body, everything, np.zeros(3), 15.0)  # the whole picture rotated 15 deg
    pose = to_pose([body] * 60, "front", fps=30.0)
    check = next(c for c in _report(pose).checks if c.name == "camera")
    assert (
        not check.ok
        and "level the camera" in check.message
        and abs(check.value) == pytest.approx(15.0, abs=0.1)
    )


def test_a_high_camera_is_noticed_from_the_side():
    body = standing()
    body["right_ankle"] = body["right_ankle"] + np.array([0.0, 0.15, 0.0])  # far foot shows higher
    pose = to_pose([body] * 60, "left", fps=30.0)
    check = next(c for c in _report(pose).checks if c.name == "camera")
    assert not check.ok and "lower it to knee-to-hip height" in check.message


def test_too_few_steps_and_reps_are_warned_about():
    period = 20 / 60
    times = np.arange(0, 6 * period, 1 / 60)
    pose = to_pose([running_body(t, period, _RUN) for t in times], "back")
    kin = frontal_kinematics(pose)
    kin = kin.with_events(midstance_events(kin))
    check = count_check("running", kin)
    assert not check.ok and "film at least 10 steps" in check.message
    from kinechain.protocols import get_protocol

    squat = double_squat_session(SQUAT, "front", reps=2)
    kin, _ = get_protocol("double_leg_squat", "front").analyse(squat, view="front")
    check = count_check("double_leg_squat", kin)
    assert not check.ok and check.value == 2 and "at least 3 reps" in check.message


_RUN = {
    s: {"drop": 3.0, "thigh_in": 3.0, "shank_out": 1.0, "lean": 1.0, "eversion": 2.0}
    for s in ("left", "right")
}


def test_hidden_landmarks_are_not_counted_as_cut_off():
    pose = double_squat_session(SQUAT, "front")
    xy = pose.xy.copy()
    xy[::2, LANDMARK_INDEX["right_ankle"]] = np.nan  # hidden in half the frames, not out of the picture
    check = next(c for c in _report(pose.with_changes(xy=xy)).checks if c.name == "framing")
    assert check.ok
