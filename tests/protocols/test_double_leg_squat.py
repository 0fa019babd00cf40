"""Double-leg squat on constructed bodies with known angles at depth, from the front and the side."""

import numpy as np
import pytest
from bodies import double_squat_session

from kinechain.protocols import get_protocol

BASE = {
    "shank": 30.0,
    "thigh": 60.0,
    "trunk": 45.0,
    "knee_in_left": 0.0,
    "knee_in_right": 0.0,
    "shift": 0.0,
    "heel": 0.0,
}


def _analyse(params, view):
    return get_protocol("double_leg_squat", view).analyse(double_squat_session(params, view), view=view)


@pytest.mark.parametrize("view", ["front", "back"])
def test_fppa_and_knee_separation_at_depth(view):
    p = BASE | {"knee_in_left": 0.04, "knee_in_right": 0.01}
    _, ms = _analyse(p, view)
    for side, k in (("left", 0.04), ("right", 0.01)):
        expected = np.degrees(
            np.arctan(k / (0.43 * np.cos(np.radians(60)))) + np.arctan(k / (0.44 * np.cos(np.radians(30))))
        )
        m = ms.get("double_leg_squat.fppa", side)
        assert m.value == pytest.approx(expected, abs=0.05) and m.n == 4
    assert ms.get("double_leg_squat.knee_separation_ratio").value == pytest.approx(
        (0.2 - 0.05) / 0.2, abs=1e-3
    )
    assert ms.get("double_leg_squat.weight_shift").value == pytest.approx(0.0, abs=0.05)
    for mid in ("depth", "heel_lift", "trunk_tibia_difference"):
        assert "needs a side view" in ms.get(f"double_leg_squat.{mid}").reason


@pytest.mark.parametrize("view", ["front", "back"])
@pytest.mark.parametrize("shift", [0.03, -0.02])
def test_weight_shift_towards_the_left_is_positive(view, shift):
    _, ms = _analyse(BASE | {"shift": shift}, view)
    assert ms.get("double_leg_squat.weight_shift").value == pytest.approx(100 * shift / 0.2, abs=0.05)


@pytest.mark.parametrize("view", ["left", "right"])
def test_side_view_depth_heel_trunk_and_tibia(view):
    _, ms = _analyse(BASE | {"heel": 0.03}, view)
    assert ms.get("double_leg_squat.depth").value == pytest.approx(90.0, abs=0.1)
    for side in ("left", "right"):  # constructed points are never hidden, so both legs count
        assert ms.get("double_leg_squat.ankle_dorsiflexion", side).value == pytest.approx(30.0, abs=0.05)
    assert ms.get("double_leg_squat.trunk_tibia_difference").value == pytest.approx(15.0, abs=0.05)
    heel = ms.get("double_leg_squat.heel_lift")
    assert heel.value == pytest.approx(100 * 0.03 / 0.87, abs=0.05) and heel.category == "lifted"
    assert "needs a front view" in ms.get("double_leg_squat.fppa", "left").reason


def test_flat_heels_are_down():
    _, ms = _analyse(BASE, "left")
    heel = ms.get("double_leg_squat.heel_lift")
    assert heel.value == pytest.approx(0.0, abs=0.05) and heel.category == "down"
