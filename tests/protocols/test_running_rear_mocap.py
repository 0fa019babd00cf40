"""Rear- and front-view running on real motion capture filmed by a virtual camera, against 3D truth.

The BMC and RIC treadmill trials (../shared/data/mocap) are turned into BlazePose landmarks
(kinechain.mocap), filmed by a level virtual camera 4 m behind or in front at 0.9 m, and run
through the rear-view protocol. Truth: force-plate contacts (BMC) for the midstance events, the
pelvis marker frame for pelvic drop, and the thigh in the pelvis frame for hip adduction. The
landmarks are perfect, so this measures the 2D method and camera geometry, not a pose model.
"""

import numpy as np
import pytest

from kinechain.mocap.camera import VirtualCamera, virtual_pose
from kinechain.mocap.grf import grf_events
from kinechain.mocap.skeleton import build_skeleton
from kinechain.mocap.trial import load_trial
from kinechain.protocols import get_protocol
from kinechain.signal import clean_pose

TRIALS = {
    "bmc35": "mocap/bmc-running-RBDS001/RBDS001runT35.c3d",
    "bmc25": "mocap/bmc-running-RBDS001/RBDS001runT25markers.txt",
    "ric": "mocap/ric-running-20140515T133244/20140515T133244_run.c3d",
}
pytestmark = pytest.mark.shared


@pytest.fixture(scope="module", params=sorted(TRIALS))
def trial(request, shared_data):
    tr = load_trial(shared_data / TRIALS[request.param])
    return request.param, tr, build_skeleton(tr.markers, tr.markerset, tr.static)


def _film(skeleton, view, fps=60.0, noise=0.0):
    cam = VirtualCamera(
        view=view,
        distance_m=4.0,
        height_m=0.9,
        fps=fps,
        image_size=(1080, 1920),
        focal_px=1700.0,
        noise_px=noise,
        seed=1,
    )
    pose = clean_pose(virtual_pose(skeleton.times, skeleton.world(), cam))
    return get_protocol("running", view).analyse(pose, view=view)


def _interp3(times, arr, t):
    return np.array([np.interp(t, times, arr[:, k]) for k in range(arr.shape[1])])


def _truth(skeleton, side, t):
    """3D contralateral pelvic drop and hip adduction (deg) of stance ``side`` at time ``t``."""
    frame = np.stack([_interp3(skeleton.times, skeleton.pelvis[:, :, k], t) for k in range(3)], axis=1)
    right_axis, up_axis = frame[:, 2], frame[:, 1]
    elevation_right = np.degrees(np.arcsin(right_axis[1] / np.linalg.norm(right_axis)))
    drop = -elevation_right if side == "left" else elevation_right
    thigh = _interp3(skeleton.times, skeleton.get(f"{side}_knee"), t) - _interp3(
        skeleton.times, skeleton.get(f"{side}_hip"), t
    )
    medial = 1.0 if side == "left" else -1.0  # the left leg's medial side is towards the lab's right (+z)
    adduction = np.degrees(np.arctan2(medial * (thigh @ right_axis), -(thigh @ up_axis)))
    return drop, adduction


@pytest.mark.parametrize("view", ["back", "front"])
def test_pelvic_drop_and_hip_adduction_against_3d_truth(trial, view):
    name, _, skeleton = trial
    kin, ms = _film(skeleton, view)
    for side in ("left", "right"):
        steps = [e.time for e in kin.events_of("midstance", side)]
        assert len(steps) >= 30, name
        truth = np.array([_truth(skeleton, side, t) for t in steps])
        drop2d = [float(np.interp(t, kin.times, kin[f"pelvic_drop_{side}"])) for t in steps]
        add2d = [float(np.interp(t, kin.times, kin[f"hip_adduction_{side}"])) for t in steps]
        drop_err = np.array(drop2d) - truth[:, 0]
        add_err = np.array(add2d) - truth[:, 1]
        # measured: pelvic drop RMSE 0.07-0.32 deg, hip adduction RMSE 0.37-1.88 deg (all trials, both views)
        assert np.sqrt(np.mean(drop_err**2)) < 0.5, (name, side)
        assert np.sqrt(np.mean(add_err**2)) < 2.5, (name, side)
        assert np.corrcoef(drop2d, truth[:, 0])[0, 1] > 0.95
        m = ms.get("running.pelvic_drop", side)
        assert m.value == pytest.approx(np.mean(truth[:, 0]), abs=0.5) and m.n == len(steps)


def test_every_midstance_falls_in_the_right_foots_force_plate_contact(trial):
    name, tr, skeleton = trial
    if not tr.forces:
        pytest.skip(f"{name} has no force data")
    heights = {
        s: np.fmin(skeleton.get(f"{s}_heel")[:, 1], skeleton.get(f"{s}_foot_index")[:, 1])
        for s in ("left", "right")
    }
    events = grf_events(tr.forces[0], skeleton.times, heights)
    stances = [
        (a.time, b.time, a.side)
        for a, b in zip(events[::2], events[1::2], strict=False)
        if a.kind == "foot_strike" and b.kind == "toe_off"
    ]
    kin, _ = _film(skeleton, "back")
    where = []
    for m in kin.events_of("midstance"):
        inside = [(a, b) for a, b, s in stances if s == m.side and a <= m.time <= b]
        assert inside, (name, m)
        a, b = inside[0]
        where.append((m.time - a) / (b - a))
    # measured: midstance (lowest pelvis) at 45-46% of stance, SD 1.2%
    assert 0.40 < np.mean(where) < 0.52 and np.std(where) < 0.03
    assert len(where) >= 0.9 * len(stances)


@pytest.mark.parametrize(("fps", "noise"), [(30.0, 0.0), (60.0, 3.0)])
def test_frame_rate_and_pixel_noise_barely_move_the_means(trial, fps, noise):
    _, _, skeleton = trial
    _, clean = _film(skeleton, "back")
    _, other = _film(skeleton, "back", fps=fps, noise=noise)
    for mid in ("running.pelvic_drop", "running.hip_adduction", "running.fppa"):
        for side in ("left", "right"):
            assert other.get(mid, side).value == pytest.approx(clean.get(mid, side).value, abs=0.6), (
                mid,
                side,
            )


def test_step_width_and_crossover_against_3d_truth(trial):
    """Stance ankle's distance from the pelvis midline (% leg length) against the lab frame.

    Measured (back view): RMSE 0.09-0.26 % leg length; crossover shares agree within 3 points."""
    name, _, skeleton = trial
    kin, ms = _film(skeleton, "back")
    leg3d = np.nanmedian(
        np.linalg.norm(skeleton.get("left_hip") - skeleton.get("left_knee"), axis=1)
        + np.linalg.norm(skeleton.get("left_knee") - skeleton.get("left_ankle"), axis=1)
    )
    for side in ("left", "right"):
        outward = -1.0 if side == "left" else 1.0  # lab z points to the runner's right
        steps = [e.time for e in kin.events_of("midstance", side)]
        truth = []
        for t in steps:
            pelvis = (
                _interp3(skeleton.times, skeleton.get("left_hip"), t)
                + _interp3(skeleton.times, skeleton.get("right_hip"), t)
            ) / 2
            ankle = _interp3(skeleton.times, skeleton.get(f"{side}_ankle"), t)
            truth.append(100 * outward * (ankle[2] - pelvis[2]) / leg3d)
        width = ms.get("running.step_width", side)
        assert np.sqrt(np.mean((np.array(width.per_cycle) - truth) ** 2)) < 0.5, (name, side)
        crossed = 100 * np.mean(np.array(truth) <= 0)
        assert ms.get("running.crossover", side).value == pytest.approx(crossed, abs=10.0), (name, side)
