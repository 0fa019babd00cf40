"""Joint centres, cluster tracking, segment frames and 3D reference angles on constructed geometry."""

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from kinechain.mocap.joints import (
    carry_point,
    frame_from_axes,
    harrington_hip_centres,
    pelvis_frame,
    rigid_fit,
    trochanter_hip_centres,
)
from kinechain.mocap.skeleton import Skeleton
from kinechain.mocap.truth import hip_adduction, knee_flexion, pelvic_drop, tibia_angle


def test_harrington_on_a_level_pelvis_matches_the_regression_by_hand():
    # Pelvis facing +x, 240 mm between the ASIS, 160 mm deep; mid-ASIS at (1, 1, 0) m.
    rasis, lasis = np.array([1.0, 1.0, 0.12]), np.array([1.0, 1.0, -0.12])
    rpsis, lpsis = np.array([0.84, 1.0, 0.05]), np.array([0.84, 1.0, -0.05])
    right, left = harrington_hip_centres(rasis, lasis, rpsis, lpsis)
    pw, pd = 240.0, 160.0
    expected = np.array([-0.24 * pd - 9.9, -0.30 * pw - 10.9, 0.33 * pw + 7.3]) / 1000
    assert right == pytest.approx(np.array([1.0, 1.0, 0.0]) + expected)
    assert left == pytest.approx(np.array([1.0, 1.0, 0.0]) + expected * [1, 1, -1])


def test_harrington_turns_with_the_pelvis():
    rot = Rotation.from_euler("ZXY", [20, -10, 35], degrees=True)
    pts = np.array([[0.0, 0, 0.12], [0.0, 0, -0.12], [-0.16, 0, 0.05], [-0.16, 0, -0.05]])
    shift = np.array([2.0, 0.9, 0.3])
    moved = rot.apply(pts) + shift
    right, _ = harrington_hip_centres(*moved)
    ref_right, _ = harrington_hip_centres(*pts)
    assert right == pytest.approx(rot.apply(ref_right) + shift)
    frame = pelvis_frame(*moved)
    assert frame @ frame.T == pytest.approx(np.eye(3))
    assert frame == pytest.approx(rot.as_matrix())


def test_greater_trochanter_method_is_a_quarter_of_the_way_across():
    right, left = trochanter_hip_centres(np.array([0.0, 0.9, 0.2]), np.array([0.0, 0.9, -0.2]))
    assert right == pytest.approx([0.0, 0.9, 0.1])
    assert left == pytest.approx([0.0, 0.9, -0.1])


def test_rigid_fit_recovers_a_known_motion_with_missing_markers():
    rng = np.random.default_rng(3)
    ref = rng.normal(0, 0.05, (5, 3))
    rots = Rotation.random(40, random_state=7)
    trans = rng.normal(0, 1, (40, 3))
    current = np.stack([rots[i].apply(ref) + trans[i] for i in range(40)])
    current[5, 1] = np.nan  # one marker lost in one frame: four remain
    current[9, :3] = np.nan  # three lost: two remain, too few for a rigid fit
    rot, t = rigid_fit(ref, current)
    ok = np.ones(40, bool)
    ok[9] = False
    assert rot[ok] == pytest.approx(rots.as_matrix()[ok], abs=1e-9)
    assert t[ok] == pytest.approx(trans[ok], abs=1e-9)
    assert np.isnan(rot[9]).all()
    point = np.array([0.1, -0.2, 0.05])  # an anatomical point fixed to the cluster
    carried = carry_point(point, rot, t)
    assert carried[ok] == pytest.approx(rots.apply(point)[ok] + trans[ok], abs=1e-9)


def test_rigid_fit_agrees_with_scipy_align_vectors():
    rng = np.random.default_rng(11)
    ref = rng.normal(0, 0.05, (4, 3))
    cur = Rotation.from_euler("xyz", [10, 50, -30], degrees=True).apply(ref) + 0.3
    cur = cur + rng.normal(0, 0.002, cur.shape)  # skin movement: no exact rigid motion
    rot, _ = rigid_fit(ref, cur[None])
    expected, _ = Rotation.align_vectors(cur - cur.mean(0), ref - ref.mean(0))
    assert rot[0] == pytest.approx(expected.as_matrix(), abs=1e-9)


def test_frame_from_axes_is_right_handed_and_orthonormal():
    f = frame_from_axes(np.array([0.1, 1.0, 0.0]), np.array([0.0, 0.2, 1.0]))
    assert f.T @ f == pytest.approx(np.eye(3))
    assert np.linalg.det(f) == pytest.approx(1.0)
    assert f[:, 0] @ [1, 0, 0] > 0.9  # x comes out forward


def _leg(side: str, add: float, tibia: float, drop: float) -> dict[str, np.ndarray]:
    """A standing leg (lab: x forward, y up, z right): adducted hip, tilted pelvis, inclined shank."""
    s = 1.0 if side == "right" else -1.0
    pelvis = Rotation.from_euler("x", -s * drop, degrees=True)  # stance side up, other side down
    centre = np.array([0.0, 0.9, 0.0])
    hip = pelvis.apply([0.0, 0.0, s * 0.09]) + centre
    other = pelvis.apply([0.0, 0.0, -s * 0.09]) + centre
    thigh_rot = pelvis * Rotation.from_euler("x", s * add, degrees=True)
    knee = hip + thigh_rot.apply([0, -0.45, 0])
    shank_rot = Rotation.from_euler("z", tibia, degrees=True)  # ankle ahead of knee by `tibia` deg
    ankle = knee + shank_rot.apply([0, -0.42, 0])
    # Shank and thigh share the medio-lateral axis of the thigh frame.
    ml_thigh = thigh_rot.apply([0, 0, s * 0.05])
    return {
        f"{side}_hip": hip,
        f"{'left' if side == 'right' else 'right'}_hip": other,
        f"{side}_knee": knee,
        f"{side}_knee_lateral": knee + ml_thigh,
        f"{side}_knee_medial": knee - ml_thigh,
        f"{side}_ankle": ankle,
        f"{side}_ankle_lateral": ankle + shank_rot.apply([0, 0, s * 0.035]),
        f"{side}_ankle_medial": ankle - shank_rot.apply([0, 0, s * 0.035]),
        "pelvis": pelvis.as_matrix(),
    }


@pytest.mark.parametrize("side", ["right", "left"])
def test_reference_angles_of_a_constructed_leg(side):
    pts = _leg(side, add=7.0, tibia=12.0, drop=4.0)
    pelvis = pts.pop("pelvis")[None]
    sk = Skeleton(times=np.zeros(1), points={k: v[None] for k, v in pts.items()}, pelvis=pelvis)
    assert pelvic_drop(sk, side)[0] == pytest.approx(4.0, abs=1e-6)
    assert hip_adduction(sk, side)[0] == pytest.approx(7.0, abs=1e-6)
    assert tibia_angle(sk, side)[0] == pytest.approx(12.0, abs=1e-6)


@pytest.mark.parametrize("side", ["right", "left"])
@pytest.mark.parametrize("flex", [0.0, 20.0, 65.0])
def test_knee_flexion_of_a_shank_swung_back(side, flex):
    s = 1.0 if side == "right" else -1.0
    hip, knee = np.array([0.0, 0.9, s * 0.1]), np.array([0.0, 0.45, s * 0.1])
    shank = Rotation.from_euler("z", -flex, degrees=True)  # -z turns the down-pointing shank backwards
    ankle = knee + shank.apply([0, -0.42, 0])
    pts = {
        f"{side}_hip": hip,
        f"{side}_knee": knee,
        f"{side}_knee_lateral": knee + np.array([0, 0, s * 0.05]),
        f"{side}_knee_medial": knee - np.array([0, 0, s * 0.05]),
        f"{side}_ankle": ankle,
        f"{side}_ankle_lateral": ankle + shank.apply([0, 0, s * 0.035]),
        f"{side}_ankle_medial": ankle - shank.apply([0, 0, s * 0.035]),
    }
    sk = Skeleton(times=np.zeros(1), points={k: v[None] for k, v in pts.items()})
    assert ankle[0] <= 1e-12  # the ankle moves behind the knee
    assert knee_flexion(sk, side)[0] == pytest.approx(flex, abs=1e-6)
