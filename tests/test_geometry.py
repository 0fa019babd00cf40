"""Angle maths on constructed geometry with known answers."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinechain.kinematics.geometry import (
    angle_to_horizontal,
    angle_to_vertical,
    flexion_angle,
    image_to_upright,
    inclination_from_vertical_up,
    signed_angle,
    unsigned_angle,
)


def polar(deg: float, r: float = 1.0) -> np.ndarray:
    """Unit vector at ``deg`` counter-clockwise from +x (y up)."""
    return r * np.array([np.cos(np.radians(deg)), np.sin(np.radians(deg))])


@given(st.floats(-179, 179), st.floats(-179, 179), st.floats(0.1, 100), st.floats(0.1, 100))
def test_signed_angle_recovers_constructed_rotation(a, b, r1, r2):
    expected = (b - a + 180) % 360 - 180
    got = signed_angle(polar(a, r1), polar(b, r2))
    assert got == pytest.approx(expected, abs=1e-6) or abs(abs(expected) - 180) < 1e-6


def test_unsigned_angle_right_angle():
    assert unsigned_angle(np.array([1.0, 0]), np.array([0, -3.0])) == pytest.approx(90)


@pytest.mark.parametrize("forward", [1.0, -1.0])
@pytest.mark.parametrize("flex", [0.0, 20.0, 45.0, 90.0, 120.0])
def test_knee_flexion_of_constructed_leg(flex, forward):
    # thigh straight down from hip to knee; shank rotated backward by `flex` degrees
    hip, knee = np.array([0.0, 1.0]), np.array([0.0, 0.0])
    shank_dir = polar(-90 - forward * flex)
    ankle = knee + 0.9 * shank_dir
    assert flexion_angle(hip, knee, ankle, forward) == pytest.approx(flex, abs=1e-9)


def test_knee_hyperextension_is_negative():
    hip, knee, ankle = np.array([0.0, 1.0]), np.array([0.0, 0.0]), np.array([0.1, -1.0])
    assert flexion_angle(hip, knee, ankle, 1.0) < 0


@pytest.mark.parametrize("forward", [1.0, -1.0])
@pytest.mark.parametrize("tilt", [-15.0, 0.0, 7.5, 30.0])
def test_tibia_angle_positive_when_ankle_ahead(tilt, forward):
    knee = np.array([2.0, 0.5])
    ankle = knee + np.array([forward * np.sin(np.radians(tilt)), -np.cos(np.radians(tilt))])
    assert angle_to_vertical(knee, ankle, forward) == pytest.approx(tilt, abs=1e-9)


@pytest.mark.parametrize("forward", [1.0, -1.0])
def test_trunk_lean_and_foot_angle(forward):
    hip = np.array([0.0, 0.0])
    shoulder = np.array([forward * np.sin(np.radians(10)), np.cos(np.radians(10))])
    assert inclination_from_vertical_up(hip, shoulder, forward) == pytest.approx(10)
    heel = np.array([0.0, 0.0])
    toe = np.array([forward * np.cos(np.radians(25)), np.sin(np.radians(25))])
    assert angle_to_horizontal(heel, toe, forward) == pytest.approx(25)


def test_angles_vectorise_and_propagate_nan():
    a = np.array([[0.0, 1.0], [np.nan, 1.0]])
    b = np.array([[0.0, 0.0], [0.0, 0.0]])
    c = np.array([[-1.0, -1.0], [-1.0, -1.0]])
    out = flexion_angle(a, b, c)
    assert out[0] == pytest.approx(45) and np.isnan(out[1])


def test_image_to_upright_flips_y_only():
    pts = np.array([[10.0, 20.0]])
    assert image_to_upright(pts).tolist() == [[10.0, -20.0]]
    assert pts.tolist() == [[10.0, 20.0]]  # input untouched
