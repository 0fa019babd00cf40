"""Test and view detection, and the protocols, on keypoints recorded from every shared clip.

Keypoints: MediaPipe BlazePose "full" run once per clip by kinechain (tests/data/protocols/
PROVENANCE.md), replayed here without a model. Reference labels: the running clip's and the
squat clips' views and rep counts from their PROVENANCE; the 4-camera clip's views computed from
the camera calibration and the Pose2Sim 3D keypoints; the demo clip by eye (jumping jacks facing
the camera for about 3 s, then walking side-on): no battery test.
"""

from pathlib import Path

import numpy as np
import pytest
from stance4cams import camera_azimuth, ideal_front_pose, read_cameras, reference_pose, views_for_azimuth

from kinechain.kinematics.frontal import frontal_kinematics
from kinechain.pose import load_keypoints
from kinechain.protocols import get_protocol
from kinechain.protocols.detect import detect
from kinechain.signal import clean_pose

DATA = Path(__file__).resolve().parents[1] / "data"
KP = DATA / "protocols" / "keypoints"
STANCE = DATA / "protocols" / "single-leg-stance"
TRC = STANCE / "BalancingTrial_0-100_filt_butterworth.trc"


def _pose(name):
    path = (
        DATA / "video" / "male_side.mediapipe-full.json"
        if name == "male_side"
        else KP / f"{name}.mediapipe-full.json"
    )
    return clean_pose(load_keypoints(path))


def _stance_views(cam):
    camera = read_cameras(STANCE / "Calib.qca.txt")[cam]
    return views_for_azimuth(camera_azimuth(TRC, camera, "hip")) | views_for_azimuth(
        camera_azimuth(TRC, camera, "shoulder")
    )


#: clip -> (expected test, accepted views or a camera to compute them from)
EXPECTED = {
    "male_side": ("running", {"left"}),  # PROVENANCE: side view, runner faces image-left
    "goblet": ("double_leg_squat", {"right"}),  # side view, faces image-right
    "barbell": (
        "double_leg_squat",
        {"left", "front"},
    ),  # PROVENANCE: oblique side view; faces image-left, turned to the camera
    "demo": (
        "unknown",
        {"front"},
    ),  # jumping jacks facing the camera (~90 frames), then walking side-on (~65)
    "cam01": (
        "single_leg_squat",
        "cam01",
    ),  # single-leg stance: the closest battery test is the single-leg squat
    "cam02": ("single_leg_squat", "cam02"),
    "cam03": ("single_leg_squat", "cam03"),
    "cam04": ("single_leg_squat", "cam04"),
}
KNOWN_MISSES = {
    ("cam02", "test"): "left/right labels swap in about 20% of frames, hiding which foot is lifted",
    ("demo", "view"): "the frames with the arms overhead look side-on; the walking part then wins the vote",
}


def _clips(what):
    """Every clip as a parameter; the known misses marked as strict expected failures."""
    return [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[(c, what)]))
        if (c, what) in KNOWN_MISSES
        else c
        for c in sorted(EXPECTED)
    ]


@pytest.mark.parametrize("clip", _clips("test"))
def test_test_detection_on_every_shared_clip(clip):
    found = detect(_pose(clip))
    assert found.test == EXPECTED[clip][0], found.reason
    assert 0.0 <= found.test_confidence <= 1.0


@pytest.mark.parametrize("clip", _clips("view"))
def test_view_detection_on_every_shared_clip(clip):
    expected = EXPECTED[clip][1]
    views = _stance_views(expected) if isinstance(expected, str) else expected
    found = detect(_pose(clip))
    assert found.view in views, (found.view, views)


def test_detection_accuracy_over_the_shared_clips():
    """The figure reported in docs/protocols.md: 7 of 8 tests and 7 of 8 views right."""
    tests = views = 0
    for clip, (test, expected) in EXPECTED.items():
        found = detect(_pose(clip))
        tests += found.test == test
        views += found.view in (_stance_views(expected) if isinstance(expected, str) else expected)
    assert (tests, views) == (8 - 1, 8 - 1)


def test_goblet_squat_reps_match_the_clips_description():
    """PROVENANCE: two full squats at about 9.5-11 s and 15.5-18 s (by eye)."""
    kin, ms = get_protocol("double_leg_squat", "right").analyse(_pose("goblet"), view="right")
    bottoms = [e.time for e in kin.events if e.kind == "rep_bottom"]
    assert len(bottoms) == 2 and 9.5 <= bottoms[0] <= 11.0 and 15.5 <= bottoms[1] <= 18.0
    depth = ms.get("double_leg_squat.depth")
    assert depth.n == 2 and depth.value > 90  # thighs well below parallel in the clip
    assert ms.get("double_leg_squat.heel_lift").category == "down"  # heels stay down in the clip


def test_barbell_squat_has_one_rep():
    """PROVENANCE: one heavy barbell back squat (a hard, dim, partly hidden clip)."""
    kin, _ = get_protocol("double_leg_squat", "left").analyse(_pose("barbell"), view="left")
    assert len([e for e in kin.events if e.kind == "rep_bottom"]) == 1


@pytest.mark.parametrize("cam", ["cam01", "cam02", "cam03", "cam04"])
def test_pose_model_against_the_multi_camera_reference_in_the_same_camera(cam):
    """MediaPipe's frontal signals against Pose2Sim's 3D keypoints projected into the same camera.

    Measured (stance leg, 100 frames): lateral trunk lean RMSE 1.9-4.1 deg (r 0.97-0.99); FPPA
    RMSE 9-14 deg; pelvic drop RMSE 6-29 deg (the hip landmarks of the two models differ and the
    pelvis is only 60-80 px wide in these high, oblique views)."""
    mp = _pose(cam)
    ref = reference_pose(TRC, read_cameras(STANCE / "Calib.qca.txt")[cam], mp.image_size)
    km, kr = frontal_kinematics(mp), frontal_kinematics(ref)
    n = min(len(mp), len(ref))

    def rmse(name):
        return float(np.sqrt(np.nanmean((km[name][:n] - kr[name][:n]) ** 2)))

    assert rmse("trunk_lean_lateral_left") < 5.0
    assert np.corrcoef(km["trunk_lean_lateral_left"][:n], kr["trunk_lean_lateral_left"][:n])[0, 1] > 0.95
    assert rmse("fppa_left") < 16.0


def test_only_the_square_on_camera_sees_the_frontal_plane():
    """The reference keypoints seen by each real camera against a square-on orthographic front view.

    Measured: cam02 (7 deg off the front, 11 deg above) FPPA RMSE 10 deg, pelvic drop 3.5, hip
    adduction 2.9, trunk lean 4.1; the oblique cameras (41-60 deg off) give FPPA errors of 17-55 deg.
    """
    cams = read_cameras(STANCE / "Calib.qca.txt")
    ideal = frontal_kinematics(ideal_front_pose(TRC))

    def rmse(cam, name):
        k = frontal_kinematics(reference_pose(TRC, cams[cam], (1080, 1920)))
        return float(np.sqrt(np.nanmean((k[name] - ideal[name]) ** 2)))

    for name in ("pelvic_drop_left", "hip_adduction_left", "trunk_lean_lateral_left"):
        assert rmse("cam02", name) < 5.0, name
    assert rmse("cam02", "fppa_left") < 12.0
    assert min(rmse(c, "fppa_left") for c in ("cam01", "cam03", "cam04")) > 15.0
