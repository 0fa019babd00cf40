"""Frontal-plane maths on constructed bodies with known angles, seen from the front and from behind."""

import numpy as np
import pytest
from bodies import project, rotate_coronal, set_leg, standing, to_pose

from kinechain.kinematics import frontal

VIEWS = ("front", "back")
SIDES = ("left", "right")


def _frontal_signals(body, view):
    return frontal.frontal_kinematics(to_pose([body], view))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize(("thigh_in", "shank_out"), [(0.0, 0.0), (6.0, 4.0), (-5.0, -3.0), (12.0, 0.0)])
def test_fppa_is_thigh_plus_shank_tilt_valgus_positive(view, side, thigh_in, shank_out):
    body = standing()
    set_leg(body, side, thigh_in, shank_out)
    kin = _frontal_signals(body, view)
    assert kin[f"fppa_{side}"][0] == pytest.approx(thigh_in + shank_out, abs=1e-9)
    other = "right" if side == "left" else "left"
    assert kin[f"fppa_{other}"][0] == pytest.approx(0.0, abs=1e-9)


def test_fppa_function_on_points_and_medial_direction():
    hip, knee, ankle = np.array([100.0, 0.0]), np.array([110.0, 100.0]), np.array([100.0, 200.0])
    # knee 10 px towards +x over 100 px: thigh and shank each tilt atan(0.1)
    expected = 2 * np.degrees(np.arctan(0.1))
    assert frontal.fppa(hip, knee, ankle, +1.0) == pytest.approx(expected)
    assert frontal.fppa(hip, knee, ankle, -1.0) == pytest.approx(-expected)
    assert np.isnan(frontal.fppa(hip, np.array([np.nan, 1.0]), ankle, 1.0))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("drop", [0.0, 4.0, -3.0])
def test_pelvic_drop_and_hip_adduction_with_vertical_thighs(view, drop):
    """The pelvis tilts ``drop`` deg with the right hip lower; femurs stay vertical."""
    body = standing()
    hips = ["left_hip", "right_hip"]
    rotate_coronal(body, hips, body["left_hip"], -drop)  # pivot on the left (stance) hip
    for side in SIDES:  # keep each thigh vertical below its (moved) hip
        body[f"{side}_knee"] = body[f"{side}_hip"] + np.array([0.0, -0.43, 0.0])
    kin = _frontal_signals(body, view)
    assert kin["pelvic_drop_left"][0] == pytest.approx(drop, abs=1e-9)
    assert kin["pelvic_drop_right"][0] == pytest.approx(-drop, abs=1e-9)
    # with a vertical femur, contralateral drop is stance-hip adduction of the same size
    assert kin["hip_adduction_left"][0] == pytest.approx(drop, abs=1e-9)
    assert kin["hip_adduction_right"][0] == pytest.approx(-drop, abs=1e-9)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("side", SIDES)
def test_hip_adduction_with_level_pelvis_is_femur_tilt(view, side):
    body = standing()
    set_leg(body, side, 7.0, -7.0)  # thigh 7 deg inward, shank vertical
    kin = _frontal_signals(body, view)
    assert kin[f"hip_adduction_{side}"][0] == pytest.approx(7.0, abs=1e-9)
    assert kin[f"fppa_{side}"][0] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("lean", [5.0, -8.0])
def test_lateral_trunk_lean_positive_towards_the_side(view, lean):
    """Shoulders and head rotate ``lean`` deg about the pelvis centre towards the person's left."""
    body = standing()
    upper = [k for k in body if not k.endswith(("hip", "knee", "ankle", "heel", "foot_index"))]
    rotate_coronal(body, upper, np.array([0.0, 0.95, 0.0]), lean)
    kin = _frontal_signals(body, view)
    assert kin["trunk_lean_lateral_left"][0] == pytest.approx(lean, abs=1e-9)
    assert kin["trunk_lean_lateral_right"][0] == pytest.approx(-lean, abs=1e-9)


@pytest.mark.parametrize("view", VIEWS)
def test_knee_ankle_separation_ratio_and_medial_offsets(view):
    body = standing()
    for side, sign in (("left", 1.0), ("right", -1.0)):
        body[f"{side}_knee"] = np.array([sign * 0.05, 0.52, 0.0])  # knees 0.10 m apart
        body[f"{side}_ankle"] = np.array([sign * 0.12, 0.08, 0.0])  # ankles 0.24 m apart
    kin = _frontal_signals(body, view)
    assert kin["knee_ankle_ratio"][0] == pytest.approx(0.10 / 0.24)
    for side in SIDES:
        assert kin[f"knee_medial_offset_{side}"][0] == pytest.approx(0.07 * 400)  # px
        assert kin[f"foot_offset_{side}"][0] == pytest.approx(0.12 * 400)  # lateral of midline


@pytest.mark.parametrize("view", VIEWS)
def test_crossover_gives_a_negative_foot_offset(view):
    body = standing()
    body["left_ankle"] = np.array([-0.02, 0.08, 0.0])  # left foot 2 cm past the midline
    kin = _frontal_signals(body, view)
    assert kin["foot_offset_left"][0] == pytest.approx(-0.02 * 400)


@pytest.mark.parametrize("side", SIDES)
def test_rearfoot_angle_heel_outward_positive_from_behind(side):
    body = standing()
    ankle = body[f"{side}_ankle"]
    out = 1.0 if side == "left" else -1.0
    a = np.radians(10.0)
    body[f"{side}_heel"] = ankle + np.array([out * 0.05 * np.sin(a), -0.05 * np.cos(a), -0.06])
    kin = _frontal_signals(body, "back")
    assert kin[f"rearfoot_angle_{side}"][0] == pytest.approx(10.0, abs=1e-9)


def test_front_and_back_views_mirror_the_image_but_not_the_measures():
    body = standing()
    set_leg(body, "left", 5.0, 3.0)
    set_leg(body, "right", -2.0, 1.0)
    rotate_coronal(body, ["left_hip", "right_hip"], body["left_hip"], -3.0)
    front, back = project(body, "front"), project(body, "back")
    assert front["left_hip"][0] > front["right_hip"][0]  # left leg on the image right from the front
    assert back["left_hip"][0] < back["right_hip"][0]
    kf, kb = _frontal_signals(body, "front"), _frontal_signals(body, "back")
    for name in kf.signals:
        if name in ("pelvis_x", "ankle_mid_x"):  # image positions, mirrored by design
            continue
        assert kf[name] == pytest.approx(kb[name], nan_ok=True), name


def test_leg_length_ignores_foreshortened_frames():
    frames = []
    for drop in (0.0, 0.0, 0.0, 0.2, 0.2):  # the hip sinks and the thigh points at the camera
        body = standing()
        body["left_hip"] = body["left_hip"] - np.array([0.0, drop, 0.0])
        body["left_knee"] = body["left_knee"] + np.array([0.0, 0.0, np.sqrt(0.43**2 - (0.43 - drop) ** 2)])
        frames.append(body)
    pose = to_pose(frames, "front")
    assert frontal.leg_length_frontal(pose, "left") == pytest.approx((0.43 + 0.44) * 400, rel=1e-6)
    assert frontal.leg_medial_direction(pose, "left") == -1.0  # front view: left leg medial is image -x
    assert frontal.leg_medial_direction(to_pose(frames, "back"), "left") == 1.0
