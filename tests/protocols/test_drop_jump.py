"""Drop jump on constructed jumps with known knee angles at contact and at depth; real jump phases."""

import numpy as np
import pytest
from bodies import drop_jump_session
from opencap import read_mot

from kinechain.kinematics.reps import contacts
from kinechain.protocols import get_protocol

P = {
    "shank": 30.0,
    "thigh": 60.0,
    "trunk": 30.0,
    "knee_in_left": 0.05,
    "knee_in_right": 0.02,
    "shift": 0.0,
    "heel": 0.0,
}


def _fppa(k, w):
    ts, tt = np.radians(30.0 * w), np.radians(60.0 * w)
    return np.degrees(np.arctan(k * w / (0.43 * np.cos(tt))) + np.arctan(k * w / (0.44 * np.cos(ts))))


@pytest.mark.parametrize("view", ["front", "back"])
def test_landings_and_valgus_at_contact_and_depth(view):
    pose, contact_times, deepest = drop_jump_session(P, view)
    kin, ms = get_protocol("drop_jump", view).analyse(pose, view=view)
    landings = [e.time for e in kin.events if e.kind == "landing"]
    assert landings == pytest.approx(contact_times, abs=1 / 60)  # the drop landings, not the second ones
    peaks = [e.time for e in kin.events if e.kind == "landing_peak"]
    assert peaks == pytest.approx(deepest, abs=1 / 60)
    for side in ("left", "right"):
        k = P[f"knee_in_{side}"]
        assert ms.get("drop_jump.fppa_landing", side).value == pytest.approx(_fppa(k, 0.1), abs=0.05)
        assert ms.get("drop_jump.fppa_peak", side).value == pytest.approx(_fppa(k, 1.0), abs=0.05)
        assert ms.get("drop_jump.fppa_peak", side).n == 3
    assert ms.get("drop_jump.knee_separation_ratio").value == pytest.approx((0.2 - 0.07) / 0.2, abs=1e-3)
    assert ms.get("drop_jump.landing_symmetry").value == pytest.approx(0.0, abs=1e-6)
    assert "needs a side view" in ms.get("drop_jump.knee_flexion_landing", "left").reason


def test_one_foot_landing_late_is_asymmetric():
    pose, _, _ = drop_jump_session(P, "front", late_right=0.05)
    _, ms = get_protocol("drop_jump", "front").analyse(pose, view="front")
    assert ms.get("drop_jump.landing_symmetry").value == pytest.approx(50.0, abs=1000 / 60)


@pytest.mark.parametrize("view", ["left", "right"])
def test_side_view_knee_flexion_at_contact_and_its_range(view):
    pose, _, _ = drop_jump_session(P | {"knee_in_left": 0.0, "knee_in_right": 0.0}, view)
    _, ms = get_protocol("drop_jump", view).analyse(pose, view=view)
    for side in ("left", "right"):
        assert ms.get("drop_jump.knee_flexion_landing", side).value == pytest.approx(9.0, abs=0.05)
        assert ms.get("drop_jump.knee_flexion_range", side).value == pytest.approx(81.0, abs=0.1)
    assert "needs a front view" in ms.get("drop_jump.fppa_peak", "left").reason


def test_thirty_fps_flags_values_at_contact():
    pose, _, _ = drop_jump_session(P, "front", fps=30.0)
    _, ms = get_protocol("drop_jump", "front").analyse(pose, view="front")
    at_contact = ms.get("drop_jump.fppa_landing", "left")
    assert "film at 60 fps" in at_contact.reason
    assert "film at 60 fps" not in (ms.get("drop_jump.fppa_peak", "left").reason or "")


def test_no_jump_says_how_to_film():
    pose, _, _ = drop_jump_session(P, "front", box=0.0)
    _, ms = get_protocol("drop_jump", "front").analyse(pose.slice(0, 20), view="front")
    assert all(not m.measurable for m in ms.measures)
    assert "box, landing and jump in view" in ms.warnings[0]


def test_take_off_and_touchdown_of_the_real_opencap_jump(data_dir):
    jump = read_mot(data_dir / "protocols" / "opencap" / "jump2.mot")
    t, h = jump["time"], jump["pelvis_ty"]
    standing = float(np.median(h[(t > 1.5) & (t < 2.3)]))
    offs, downs = contacts(t, h - standing, threshold=0.05)
    assert len(offs) == 1 and len(downs) == 1
    flight = downs[0] - offs[0]
    rise = h.max() - standing
    # projectile motion: the pelvis rises g T^2 / 8 above the take-off level during T seconds of flight;
    # the touchdown is moved to where the pelvis is back within 1.5 cm of standing, so T is a little longer
    assert 0.65 < flight < 0.8 and rise == pytest.approx(0.05 + 9.81 * flight**2 / 8, rel=0.15)
