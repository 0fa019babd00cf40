"""Single-leg squat and step-down on constructed bodies with known angles at depth."""

import numpy as np
import pytest
from bodies import squat_session

from kinechain.protocols import get_protocol

PARAMS = {
    "left": {"knee_in": 0.06, "drop": 5.0, "lean": 4.0},
    "right": {"knee_in": 0.02, "drop": 2.0, "lean": -3.0},
}
LEG = 0.87  # m: hip-knee + knee-ankle standing, the longest in the image


def _expected_fppa(knee_in):
    return np.degrees(np.arctan(knee_in / 0.27) + np.arctan(knee_in / 0.37))


@pytest.mark.parametrize("test", ["single_leg_squat", "step_down"])
@pytest.mark.parametrize("view", ["front", "back"])
def test_frontal_measures_at_depth_match_the_construction(test, view):
    pose = squat_session(PARAMS, view, step_down=test == "step_down")
    kin, ms = get_protocol(test, view).analyse(pose, view=view)
    for side, p in PARAMS.items():
        assert ms.get(f"{test}.reps", side).value == 3
        fppa = ms.get(f"{test}.fppa_peak", side)
        assert fppa.value == pytest.approx(_expected_fppa(p["knee_in"]), abs=0.05)
        assert fppa.n == 3 and fppa.spread < 0.01
        kmd = ms.get(f"{test}.knee_medial_displacement", side)
        assert kmd.value == pytest.approx(100 * p["knee_in"] / LEG, abs=0.05)
        assert ms.get(f"{test}.pelvic_drop", side).value == pytest.approx(p["drop"], abs=0.05)
        assert ms.get(f"{test}.lateral_trunk_lean", side).value == pytest.approx(p["lean"], abs=0.05)
        depth = ms.get(f"{test}.depth", side)
        assert not depth.measurable and depth.reason.startswith(
            "this measure needs a side view: film from the side"
        )
    asym = ms.get(f"{test}.fppa_asymmetry")
    expected = _expected_fppa(0.06) - _expected_fppa(0.02)
    assert asym.value == pytest.approx(expected, abs=0.1) and asym.category == "left"
    bottoms = [e for e in kin.events if e.kind == "rep_bottom"]
    assert [e.side for e in bottoms] == ["left"] * 3 + ["right"] * 3
    assert np.allclose(np.diff([e.time for e in bottoms])[:2], 3.0, atol=0.02)
    if view == "back":
        assert "measured from behind" in ms.get(f"{test}.fppa_peak", "left").reason


@pytest.mark.parametrize("view", ["left", "right"])
def test_side_view_gives_depth_and_sends_frontal_measures_to_the_front(view):
    pose = squat_session(PARAMS, view)
    _, ms = get_protocol("single_leg_squat", view).analyse(pose, view=view)
    # knee flexion at depth: thigh (0.27 down, 0.2 forward), shank (0.37 down, 0.2 back)
    expected = np.degrees(np.arctan(0.2 / 0.27) + np.arctan(0.2 / 0.37))
    for side in ("left", "right"):
        depth = ms.get("single_leg_squat.depth", side)
        assert depth.value == pytest.approx(expected, abs=0.1), side
        fppa = ms.get("single_leg_squat.fppa_peak", side)
        assert not fppa.measurable and "needs a front view: film from directly in front" in fppa.reason


def test_two_reps_are_measured_but_flagged_below_the_three_the_method_averages():
    pose = squat_session(PARAMS, "front", reps=2)
    _, ms = get_protocol("single_leg_squat", "front").analyse(pose, view="front")
    fppa = ms.get("single_leg_squat.fppa_peak", "left")
    assert fppa.n == 2 and "fewer than 3 reps" in fppa.reason
    assert fppa.confidence < ms.get("single_leg_squat.fppa_peak", "left").confidence + 1e-9
    full = get_protocol("single_leg_squat", "front").analyse(squat_session(PARAMS, "front"), view="front")[1]
    assert fppa.confidence < full.get("single_leg_squat.fppa_peak", "left").confidence


def test_standing_still_gives_no_reps_and_says_how_to_film():
    pose = squat_session(PARAMS, "front", reps=0)
    _, ms = get_protocol("single_leg_squat", "front").analyse(pose, view="front")
    assert all(not m.measurable for m in ms.measures)
    assert "film from directly in front at knee height" in ms.warnings[0]


def test_a_weaker_leg_that_squats_less_deep_keeps_its_reps():
    """Left reps reach 35% of the right's depth (below the 40% a rep must reach of the clip's
    deepest): each leg's reps are judged against that leg's deepest, so all 3 + 3 are found."""
    from bodies import _window, squat_body, standing, to_pose

    frames = []
    for side, scale in (("left", 0.35), ("right", 1.0)):
        for _ in range(3):
            for t in np.arange(0, 3.0, 1 / 30):
                w = 0.0 if t < 1.0 else scale * _window(t, 1.0, 2.0)
                frames.append(squat_body(side, w, PARAMS[side]))
        frames += [standing()] * 30
    _, ms = get_protocol("single_leg_squat").analyse(to_pose(frames, "front"), view="front")
    assert ms.get("single_leg_squat.reps", "left").value == 3
    assert ms.get("single_leg_squat.reps", "right").value == 3
