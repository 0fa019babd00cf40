"""Rep and jump-phase segmentation on constructed signals and real OpenCap joint angles."""

import numpy as np
import pytest
from opencap import read_mot

from kinechain.kinematics.reps import airborne_phases, peak_after, segment_reps

G = 9.81  # m/s^2


@pytest.fixture(scope="module")
def squats(data_dir):
    return read_mot(data_dir / "protocols" / "opencap" / "squats1_videoAndMocap.mot")


@pytest.fixture(scope="module")
def jump(data_dir):
    return read_mot(data_dir / "protocols" / "opencap" / "jump2.mot")


def test_constructed_reps_are_found_with_their_bottoms_and_depths():
    t = np.arange(0, 12, 1 / 30)
    depth = np.zeros_like(t)
    for bottom, size in ((2.0, 60.0), (5.0, 70.0), (8.0, 80.0)):
        depth += size * np.exp(-(((t - bottom) / 0.5) ** 2))
    depth[140:144] = np.nan  # a short gap at 4.67-4.77 s
    reps = segment_reps(t, depth, min_depth=20)
    assert [round(r.bottom, 3) for r in reps] == [2.0, 5.0, 8.0]
    assert [r.depth for r in reps] == pytest.approx([60, 70, 80], abs=0.1)
    assert all(r.start < r.bottom < r.end for r in reps)
    assert reps[1].confidence < 1.0 and reps[0].confidence == 1.0  # the gap lies in rep 2


def test_a_rep_cut_by_the_clip_end_is_left_out():
    t = np.arange(0, 6, 1 / 30)
    depth = 50 * np.exp(-(((t - 2.0) / 0.5) ** 2)) + 50 * np.exp(-(((t - 6.0) / 0.5) ** 2))
    assert [round(r.bottom, 2) for r in segment_reps(t, depth, min_depth=20)] == [2.0]


def test_small_wobbles_are_not_reps():
    t = np.arange(0, 10, 1 / 30)
    depth = 5 * np.sin(2 * np.pi * 0.5 * t)
    assert segment_reps(t, depth, min_depth=20) == []


@pytest.mark.parametrize("knee", ["knee_angle_r", "knee_angle_l"])
def test_five_squats_in_real_opencap_knee_angles(squats, knee):
    """squats1: 8 s of repeated double-leg squats (OpenCap, knee 0-87 deg); bottoms read off the
    signal's plot at about 0.95, 2.45, 4.0, 5.55 and 7.15 s."""
    reps = segment_reps(squats["time"], squats[knee], min_depth=20)
    assert len(reps) == 5
    assert [r.bottom for r in reps] == pytest.approx([0.95, 2.46, 3.97, 5.56, 7.18], abs=0.05)
    for r in reps:
        window = (squats["time"] >= r.start) & (squats["time"] <= r.end)
        assert r.peak == pytest.approx(squats[knee][window].max(), abs=0.5)
        assert 70 < r.depth < 90  # from about 3 deg standing to 78-88 deg
        assert 0.8 < r.end - r.start < 1.3  # seconds per rep


def test_both_knees_give_the_same_rep_timing(squats):
    right = segment_reps(squats["time"], squats["knee_angle_r"], min_depth=20)
    left = segment_reps(squats["time"], squats["knee_angle_l"], min_depth=20)
    assert np.abs(np.array([r.bottom for r in right]) - [r.bottom for r in left]).max() < 0.02


def test_jump_flight_is_ballistic_in_real_opencap_pelvis_height(jump):
    """jump2: one vertical jump. The flight found from the pelvis height must obey projectile
    motion: the pelvis rises g T^2 / 8 above the crossing level during a flight of T seconds."""
    t, h = jump["time"], jump["pelvis_ty"]
    standing = float(np.median(h[(t > 1.5) & (t < 2.3)]))
    level = 0.05  # m above standing: the heels are off the floor by then
    phases = airborne_phases(t, h - standing, threshold=level)
    assert len(phases) == 1
    flight = phases[0]
    rise = h[(t >= flight.start) & (t <= flight.end)].max() - (standing + level)
    assert rise == pytest.approx(G * flight.duration**2 / 8, rel=0.06)
    assert 2.7 < flight.start < 2.9 and 3.4 < flight.end < 3.6


def test_landing_peak_knee_flexion_after_the_real_jump(jump):
    t = jump["time"]
    standing = float(np.median(jump["pelvis_ty"][(t > 1.5) & (t < 2.3)]))
    flight = airborne_phases(t, jump["pelvis_ty"] - standing, threshold=0.05)[0]
    for knee in ("knee_angle_r", "knee_angle_l"):
        at_landing = float(np.interp(flight.end, t, jump[knee]))
        when, peak = peak_after(t, jump[knee], flight.end, within_s=0.6)
        assert 0.2 < when - flight.end < 0.45  # peak flexion 0.2-0.45 s after landing
        assert peak - at_landing > 60  # a soft landing: the knee flexes a further 60+ deg
        reps = segment_reps(t, jump[knee], min_depth=20)
        assert any(abs(r.bottom - when) < 0.05 for r in reps)  # the landing is also a "rep"
