"""Knee-to-wall lunge on constructed lunges with known tibia angles and heel lift."""

import numpy as np
import pytest
from bodies import CENTRE, SCALE, lunge_session

from kinechain.errors import UnsupportedView
from kinechain.protocols import get_protocol

TILT = 38.0  # deg of forward shank inclination at the furthest lunge
FOOT_CM = 100 * float(np.hypot(0.22, 0.01))  # the constructed heel-to-toe landmark distance


@pytest.mark.parametrize("view", ["left", "right"])
def test_tibia_angle_with_the_heel_down(view):
    _, ms = get_protocol("knee_to_wall", view).analyse(lunge_session(view, TILT), view=view)
    for side in ("left", "right"):
        tibia = ms.get("knee_to_wall.tibia_angle", side)
        assert tibia.value == pytest.approx(TILT, abs=0.05) and tibia.n == 3
        heel = ms.get("knee_to_wall.heel_lift", side)
        assert heel.value == pytest.approx(0.0, abs=0.01) and heel.category == "down"
        assert "needs a scale" in ms.get("knee_to_wall.toe_to_wall_distance", side).reason
    assert ms.get("knee_to_wall.asymmetry").value == pytest.approx(0.0, abs=0.05)


def test_a_lifted_heel_is_detected_and_only_heel_down_frames_count():
    _, ms = get_protocol("knee_to_wall", "right").analyse(
        lunge_session("right", TILT, heel_lift=0.05), view="right"
    )
    heel = ms.get("knee_to_wall.heel_lift", "left")
    assert heel.category == "lifted" and heel.value == pytest.approx(100 * 0.05 / 0.87, abs=0.05)
    # the heel passes 3% of leg length (2.61 cm) at w = 0.8 + 0.2 * 0.0261 / 0.05
    w_max = 0.8 + 0.2 * 0.03 * 0.87 / 0.05
    tibia = ms.get("knee_to_wall.tibia_angle", "left").value
    # within one frame of the limit: near there w grows by about 0.063 per frame at 30 fps
    assert TILT * (w_max - 0.07) <= tibia <= TILT * w_max + 1e-9


def test_toe_to_wall_distance_with_a_scale():
    wall_z = 0.35  # m ahead of the ankle; the toe is at 0.16 m
    wall_x = CENTRE[0] + SCALE * wall_z  # right view: image x = +Z
    pose = lunge_session("right", TILT)
    _, ms = get_protocol("knee_to_wall", "right").analyse(
        pose, view="right", foot_length_cm=FOOT_CM, wall_x=wall_x
    )
    for side in ("left", "right"):
        assert ms.get("knee_to_wall.toe_to_wall_distance", side).value == pytest.approx(19.0, abs=0.01)


def test_front_view_is_refused_with_what_to_film():
    with pytest.raises(UnsupportedView, match="measured from the left or right view, not the front view"):
        get_protocol("knee_to_wall", "front")
    pose = lunge_session("front", TILT)
    with pytest.raises(UnsupportedView, match="film the test from the left"):
        get_protocol("knee_to_wall", "left").analyse(pose, view="front")
