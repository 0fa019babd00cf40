"""Full shared trials (../shared/data/mocap, skipped when absent): targets, frame rates, cross-checks."""

import itertools

import numpy as np
import pytest

from kinechain.mocap.camera import VirtualCamera
from kinechain.mocap.grf import grf_events
from kinechain.mocap.skeleton import build_skeleton
from kinechain.mocap.trial import load_trial
from kinechain.mocap.truth import reference_signals
from kinechain.studies.mocap_validation import truth_events, validate_trial

pytestmark = pytest.mark.shared

BMC = "mocap/bmc-running-RBDS001"
TRIALS = {"T25": f"{BMC}/RBDS001runT25markers.txt", "T35": f"{BMC}/RBDS001runT35.c3d"}


@pytest.fixture(scope="module")
def trials(shared_data):
    return {k: load_trial(shared_data / v) for k, v in TRIALS.items()}


def test_t35_c3d_carries_its_treadmill_forces(trials):
    t35 = trials["T35"]
    (plate,) = t35.forces
    assert plate.rate == pytest.approx(300.0) and plate.times[-1] == pytest.approx(29.9967, abs=1e-3)
    sk = build_skeleton(t35.markers, t35.markerset, t35.static)
    events = truth_events(t35, sk)
    strikes = [e for e in events if e.kind == "foot_strike"]
    assert len(strikes) == 85
    assert all(a.side != b.side for a, b in itertools.pairwise(strikes))  # feet alternate


@pytest.mark.parametrize("name", ["T25", "T35"])
@pytest.mark.parametrize("fps", [30.0, 60.0, 120.0])
def test_bmc_full_trials_against_force_plates(trials, name, fps):
    report = validate_trial(trials[name], camera=VirtualCamera(fps=fps), rear=False)
    assert abs(report.get("cadence").bias) < 0.5
    for side in ("left", "right"):
        knee = report.get("knee flexion at contact, end to end", side)
        assert knee.n >= 35 and abs(knee.bias) < 3.0
        strike, zeni = report.get("foot strike", side), report.get("foot strike, Zeni anchors only", side)
        # Foot strike stays on (or just after) the heel anchor: real video marked by eye puts contact
        # there (docs/validation-results.md); against these force plates it is 25-31 ms early.
        assert strike.rmse <= zeni.rmse + 1.0 and -35.0 < strike.bias <= 0.0
        off, zeni_off = report.get("toe-off", side), report.get("toe-off, Zeni anchors only", side)
        assert off.rmse < 12.0 and zeni_off.bias > 90.0
        contact = report.get("contact time", side)
        assert abs(contact.bias) < 40.0


def test_bmc_rear_view_against_3d(trials):
    for trial in trials.values():
        report = validate_trial(trial, camera=VirtualCamera(fps=60.0))
        for side in ("left", "right"):
            for q in ("pelvic drop at midstance", "hip adduction at midstance"):
                assert report.get(f"{q}, end to end", side).rmse < 2.0
                assert report.get(f"{q}, same instant", side).rmse < 1.0


def test_noise_degrades_timing_gracefully(trials):
    report = validate_trial(trials["T35"], camera=VirtualCamera(fps=60.0, noise_px=3.0, seed=2), rear=False)
    for side in ("left", "right"):
        assert report.get("toe-off", side).rmse < 15.0
        assert abs(report.get("knee flexion at contact, end to end", side).bias) < 3.0


def _cycle_mean(times, signal, strikes):
    curves = [np.interp(np.linspace(a, b, 101), times, signal) for a, b in itertools.pairwise(strikes)]
    return np.nanmean(curves, axis=0)


@pytest.mark.parametrize(("name", "speed"), [("T25", "25"), ("T35", "35")])
def test_3d_angles_agree_with_the_published_processed_angles(trials, shared_data, name, speed):
    trial = trials[name]
    published = np.genfromtxt(shared_data / BMC / "RBDS001processed.txt", names=True)
    sk = build_skeleton(trial.markers, trial.markerset, trial.static)
    ref = reference_signals(sk)
    heights = {
        s: np.fmin(sk.get(f"{s}_heel")[:, 1], sk.get(f"{s}_foot_index")[:, 1]) for s in ("left", "right")
    }
    events = grf_events(trial.forces[0], sk.times, heights)
    for side, s in (("right", "R"), ("left", "L")):
        strikes = [e.time for e in events if e.kind == "foot_strike" and e.side == side]
        knee = _cycle_mean(sk.times, ref[f"knee_flexion_{side}"], strikes)
        hip = _cycle_mean(sk.times, ref[f"hip_adduction_{side}"], strikes)
        # Authors' gait-cycle means (Visual3D): knee flexion about Z, hip adduction about X.
        assert np.sqrt(np.mean((knee - published[f"{s}kneeAngZ{speed}"]) ** 2)) < 6.0
        assert np.sqrt(np.mean((hip - published[f"{s}hipAngX{speed}"]) ** 2)) < 2.5
        assert abs(knee.max() - published[f"{s}kneeAngZ{speed}"].max()) < 4.0


def test_ric_full_trial_same_instant(shared_data):
    trial = load_trial(shared_data / "mocap" / "ric-running-20140515T133244" / "20140515T133244_run.c3d")
    assert trial.meta["axes"]["forward"] == "-z"
    report = validate_trial(trial, camera=VirtualCamera(fps=60.0))
    for side in ("left", "right"):
        assert report.get("knee flexion at contact, same instant", side).rmse < 3.0
        assert report.get("pelvic drop at midstance, same instant", side).rmse < 1.0
        assert report.get("hip adduction at midstance, same instant", side).rmse < 2.5


def test_opencap_trc_reads_with_the_opensim_marker_set(shared_data):
    trial = load_trial(shared_data / "kinematics" / "opencap" / "walk.trc")
    assert trial.markerset.name == "opensim" and trial.meta["units"] == "m"
    sk = build_skeleton(trial.markers, trial.markerset, trial.static)
    assert sk.meta["how"]["hip"] == "marked hip centres"
    assert {"right_shoulder", "left_foot_index", "right_heel"} <= set(sk.points)
    thigh = np.linalg.norm(sk.get("right_hip") - sk.get("right_knee"), axis=1)
    assert 0.35 < np.nanmedian(thigh) < 0.55  # a 1.86 m subject's femur length, metres
