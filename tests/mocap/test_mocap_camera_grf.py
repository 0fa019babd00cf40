"""Force-plate events on synthetic force curves; virtual camera projection maths and views."""

import numpy as np
import pytest

from kinechain.mocap.camera import VirtualCamera, camera_frame, frame_times, project, resample, virtual_pose
from kinechain.mocap.data import Forces
from kinechain.mocap.grf import contact_intervals, contact_side, grf_events
from kinechain.model.pose import LANDMARK_INDEX, LANDMARK_NAMES


def _force_curve(rate=1000.0, contacts=((0.10, 0.35), (0.50, 0.75), (0.90, 1.15)), noise=0.0, seed=0):
    t = np.arange(0, 1.3, 1 / rate)
    fy = np.zeros_like(t)
    for on, off in contacts:
        inside = (t >= on) & (t <= off)
        fy[inside] = 1500 * np.sin(np.pi * (t[inside] - on) / (off - on))
    fy += np.random.default_rng(seed).normal(0, noise, len(t))
    return Forces(times=t, force=np.column_stack([np.zeros_like(t), fy, np.zeros_like(t)]), frame="lab")


def test_contacts_of_half_sine_steps_at_the_threshold_crossings():
    found = contact_intervals(_force_curve(), threshold_n=50.0)
    # A half sine of 1500 N reaches 50 N at asin(50/1500)/pi of its duration from each end.
    lag = np.arcsin(50 / 1500) / np.pi * 0.25
    expected = [(on + lag, off - lag) for on, off in ((0.10, 0.35), (0.50, 0.75), (0.90, 1.15))]
    assert np.allclose(found, expected, atol=2e-4)


def test_noise_in_flight_does_not_make_extra_contacts():
    noisy = _force_curve(noise=15.0, seed=4)
    assert len(contact_intervals(noisy, threshold_n=50.0)) == 3
    # At 20 N, 15 N noise crosses the threshold in flight, but never for 80 ms.
    assert len(contact_intervals(noisy, threshold_n=20.0)) == 3


def test_contacts_cut_by_the_record_ends_are_dropped():
    f = _force_curve(contacts=((-0.1, 0.2), (0.5, 0.75), (1.1, 1.5)))
    assert len(contact_intervals(f)) == 1


def test_grf_events_assign_each_contact_to_the_lower_foot():
    f = _force_curve()
    t = np.linspace(0, 1.3, 131)
    left = np.where(((t > 0.1) & (t < 0.35)) | ((t > 0.9) & (t < 1.15)), 0.02, 0.2)
    right = np.where((t > 0.5) & (t < 0.75), 0.02, 0.2)
    events = grf_events(f, t, {"left": left, "right": right})
    strikes = [e for e in events if e.kind == "foot_strike"]
    assert [e.side for e in strikes] == ["left", "right", "left"]
    assert contact_side(t, {"left": left, "right": right}, 0.55, 0.7) == "right"


def test_projection_of_points_at_known_positions():
    centre, rot = camera_frame("left", np.array([0.0, 0.9, 0.0]), 4.0, 1.0)
    assert centre == pytest.approx([0.0, 1.0, -4.0])
    size, f = (1920, 1080), 1400.0
    on_axis = project(np.array([0.0, 1.0, 0.0]), centre, rot, f, size)
    assert on_axis == pytest.approx([960.0, 540.0])
    # A point 0.5 m forward and 0.2 m higher at 4 m: x = 960 - f*0.5/4 (faces image-left), y above centre.
    p = project(np.array([0.5, 1.2, 0.0]), centre, rot, f, size)
    assert p == pytest.approx([960 - f * 0.5 / 4, 540 - f * 0.2 / 4])
    behind = project(np.array([0.0, 1.0, -5.0]), centre, rot, f, size)
    assert np.isnan(behind).all()


@pytest.mark.parametrize(
    ("view", "right_side_on_image_right", "forward_on_image_right"),
    [("left", None, False), ("right", None, True), ("back", True, None), ("front", False, None)],
)
def test_views_show_the_runner_the_right_way_round(view, right_side_on_image_right, forward_on_image_right):
    centre, rot = camera_frame(view, np.zeros(3), 4.0, 1.0)
    origin = project(np.array([0.0, 1.0, 0.0]), centre, rot, 1000.0, (1000, 1000))[0]
    if forward_on_image_right is not None:
        ahead = project(np.array([0.3, 1.0, 0.0]), centre, rot, 1000.0, (1000, 1000))[0]
        assert (ahead > origin) == forward_on_image_right
    if right_side_on_image_right is not None:
        right = project(np.array([0.0, 1.0, 0.3]), centre, rot, 1000.0, (1000, 1000))[0]
        assert (right > origin) == right_side_on_image_right


def test_resample_and_frame_times():
    t = np.arange(0, 1.0001, 1 / 150)
    values = np.column_stack([2 * t, t**0])
    ft = frame_times(t, 60.0, start_s=0.005)
    assert ft[0] == pytest.approx(0.005) and np.diff(ft) == pytest.approx(np.full(len(ft) - 1, 1 / 60))
    assert resample(t, values, ft)[:, 0] == pytest.approx(2 * ft)
    assert np.isnan(resample(t, values, np.array([1.5]))).all()


def test_virtual_pose_is_a_pose_series_with_seeded_noise():
    t = np.arange(0, 2, 1 / 150)
    world = np.full((len(t), len(LANDMARK_NAMES), 3), np.nan)
    for name, xyz in {
        "left_hip": (0, 0.9, -0.1),
        "right_hip": (0, 0.9, 0.1),
        "left_heel": (-0.1, 0.05, -0.1),
    }.items():
        world[:, LANDMARK_INDEX[name]] = xyz
    world[:, LANDMARK_INDEX["left_heel"], 0] += 0.3 * np.sin(2 * np.pi * 1.4 * t)
    pose = virtual_pose(t, world, VirtualCamera(view="left", fps=30.0))
    assert pose.fps == pytest.approx(30.0) and pose.source == "mocap:virtual-camera" and pose.view == "left"
    assert pose.visibility[:, LANDMARK_INDEX["left_hip"]].min() == 1.0
    assert pose.visibility[:, LANDMARK_INDEX["nose"]].max() == 0.0
    a = virtual_pose(t, world, VirtualCamera(noise_px=2.0, seed=5))
    b = virtual_pose(t, world, VirtualCamera(noise_px=2.0, seed=5))
    c = virtual_pose(t, world, VirtualCamera(noise_px=0.0))
    assert np.array_equal(a.xy, b.xy, equal_nan=True)
    spread = np.nanstd(a.xy - c.xy)
    assert 1.8 < spread < 2.2
