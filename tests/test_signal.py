"""Signal cleaning on constructed signals with known answers."""

import numpy as np
import pytest

from kinechain.model.pose import LANDMARK_INDEX, PoseSeries, empty_pose_arrays
from kinechain.signal.clean import clean_pose, fill_1d, finite_runs, lowpass_1d, mask_low_visibility
from kinechain.signal.swaps import repair_leg_swaps, swap_decisions


def test_finite_runs():
    assert list(finite_runs(np.array([0, 1, 1, 0, 1], bool))) == [(1, 3), (4, 5)]


def test_fill_short_gap_only():
    t = np.arange(20) / 10.0
    v = np.sin(t)
    v[5:7] = np.nan  # 0.3 s between known samples: filled with max 0.3
    v[10:16] = np.nan  # 0.7 s: left alone
    out = fill_1d(t, v, max_gap_s=0.3)
    assert np.allclose(out[5:7], np.sin(t[5:7]), atol=5e-3)
    assert np.isnan(out[10:16]).all()


def test_fill_never_extrapolates_ends():
    t = np.arange(10) / 10.0
    v = t.copy()
    v[:2] = np.nan
    assert np.isnan(fill_1d(t, v, max_gap_s=1.0)[:2]).all()


def test_lowpass_zero_lag_and_attenuation():
    fs = 100.0
    t = np.arange(0, 4, 1 / fs)
    slow = np.sin(2 * np.pi * 1.0 * t)
    fast = 0.5 * np.sin(2 * np.pi * 30.0 * t)
    out = lowpass_1d(slow + fast, fs, cutoff_hz=6.0)
    core = slice(50, -50)
    assert np.max(np.abs(out[core] - slow[core])) < 0.02  # fast part removed, slow kept in phase
    lag = np.argmax(np.correlate(out[core], slow[core], "full")) - (len(slow[core]) - 1)
    assert lag == 0


def test_lowpass_keeps_nan_gaps():
    v = np.sin(np.arange(100) / 5.0)
    v[40:45] = np.nan
    out = lowpass_1d(v, 30.0, 5.0)
    assert np.isnan(out[40:45]).all() and np.isfinite(out[:40]).all()


def _pose(xy: np.ndarray, vis: np.ndarray, fps: float = 30.0) -> PoseSeries:
    n = len(xy)
    return PoseSeries(times=np.arange(n) / fps, xy=xy, visibility=vis, image_size=(640, 480))


def test_mask_low_visibility():
    xy, vis, _ = empty_pose_arrays(3)
    xy[:] = 1.0
    vis[:] = 0.9
    vis[1, 5] = 0.2
    masked = mask_low_visibility(_pose(xy, vis), min_visibility=0.5)
    assert np.isnan(masked.xy[1, 5]).all() and np.isfinite(masked.xy[0, 5]).all()


def _legs(n: int = 120, fps: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """Two legs swinging in antiphase like a runner from the side: (n, 4, 2) each, pixels."""
    t = np.arange(n) / fps
    phase = 2 * np.pi * 1.4 * t
    base = np.array([[300, 400], [300, 500], [300, 560], [330, 570]], float)
    swing = np.stack([np.zeros(n), 60 * np.sin(phase), 110 * np.sin(phase), 120 * np.sin(phase)], axis=1)
    lift = np.stack(
        [
            np.zeros(n),
            np.zeros(n),
            25 * np.clip(np.cos(phase), 0, None),
            20 * np.clip(np.cos(phase), 0, None),
        ],
        axis=1,
    )
    left = base + np.stack([swing, -lift], axis=-1)
    right = base + np.stack([-swing, -np.roll(lift, int(fps / 2.8))], axis=-1)
    return left, right


def test_swap_decisions_find_injected_swaps():
    left, right = _legs()
    truth = np.zeros(len(left), bool)
    for start, stop in [(10, 12), (47, 48), (80, 84)]:
        truth[start:stop] = True
    bad_l = np.where(truth[:, None, None], right, left)
    bad_r = np.where(truth[:, None, None], left, right)
    assert (swap_decisions(bad_l, bad_r) == truth).all()


def test_swap_decisions_leave_clean_legs_alone():
    left, right = _legs()
    assert not swap_decisions(left, right).any()


def test_repair_leg_swaps_restores_labels():
    left, right = _legs()
    xy, vis, _ = empty_pose_arrays(len(left))
    names = ("knee", "ankle", "heel", "foot_index")
    for k, name in enumerate(names):
        xy[:, LANDMARK_INDEX[f"left_{name}"]] = left[:, k]
        xy[:, LANDMARK_INDEX[f"right_{name}"]] = right[:, k]
    vis[:] = 1.0
    broken = xy.copy()
    li = [LANDMARK_INDEX[f"left_{n}"] for n in names]
    ri = [LANDMARK_INDEX[f"right_{n}"] for n in names]
    broken[36:39][:, li], broken[36:39][:, ri] = (
        xy[36:39][:, ri],
        xy[36:39][:, li],
    )  # between two leg crossings
    fixed, swapped = repair_leg_swaps(_pose(broken, vis))
    assert np.flatnonzero(swapped).tolist() == [36, 37, 38]
    assert np.allclose(fixed.xy[:, li], xy[:, li], equal_nan=True)


def test_clean_pose_records_settings():
    left, _right = _legs()
    xy, vis, _ = empty_pose_arrays(len(left))
    xy[:] = 100.0
    vis[:] = 1.0
    cleaned = clean_pose(_pose(xy, vis), cutoff_hz=8.0)
    assert cleaned.meta["cleaning"]["cutoff_hz"] == 8.0
    assert cleaned.xy[10, 0, 0] == pytest.approx(100.0)


def test_swap_repair_never_invents_a_missing_leg():
    left, right = _legs()
    right[:] = np.nan  # the far leg is never found
    assert not swap_decisions(left, right).any()
    right2 = _legs()[1]
    right2[50:70] = np.nan  # hidden for a while, then seen again
    assert not swap_decisions(left, right2)[50:70].any()
