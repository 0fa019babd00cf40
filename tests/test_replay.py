"""The replay backend on recorded real keypoints: kinechain JSON, named keypoints, OpenPose."""

import json

import numpy as np
import pytest

from kinechain.errors import KeypointFileError
from kinechain.model.pose import LANDMARK_INDEX
from kinechain.pose import ReplayEstimator, load_keypoints, save_keypoints
from kinechain.pose.replay import OPENPOSE_BODY25, canonical_name


@pytest.fixture(scope="module")
def mediapipe_pose(data_dir):
    return load_keypoints(data_dir / "video" / "male_side.mediapipe-full.json")


@pytest.fixture(scope="module")
def rtm_pose(data_dir):
    return load_keypoints(data_dir / "video" / "male_side.rtmpose.json")


def test_kinechain_json_round_trip(mediapipe_pose, tmp_path):
    pose = mediapipe_pose
    pose.xy[3, 5] = np.nan  # a missing point survives as null
    path = save_keypoints(pose, tmp_path / "k.json")
    back = load_keypoints(path)
    assert np.allclose(back.xy, pose.xy, atol=0.006, equal_nan=True)
    assert np.allclose(back.visibility, pose.visibility, atol=0.001)
    assert back.world is not None and np.allclose(back.world, pose.world, atol=1e-4, equal_nan=True)
    assert back.image_size == (720, 1280) and len(back) == 360
    assert back.meta == pose.meta and list(back.meta) == list(pose.meta)


def test_meta_of_an_older_version_keeps_its_keys_in_order(mediapipe_pose):
    # this file was written before "multi_person_tracking" was dropped; the key stays where it was
    assert list(mediapipe_pose.meta) == [
        "model",
        "model_sha256",
        "max_people_seen",
        "multi_person_tracking",
        "frames_with_person",
    ]
    assert mediapipe_pose.meta["max_people_seen"] == 1 and mediapipe_pose.meta["frames_with_person"] == 360


def test_meta_with_a_value_of_the_wrong_type_is_refused(mediapipe_pose, tmp_path):
    odd = mediapipe_pose.slice(0, 3).with_changes(meta={"max_people_seen": "two"})
    path = save_keypoints(odd, tmp_path / "k.json")
    with pytest.raises(KeypointFileError, match=r"meta\.max_people_seen"):
        load_keypoints(path)


def test_named_keypoints_map_halpe_to_blazepose(rtm_pose):
    assert canonical_name("l_big_toe") == "left_foot_index"
    assert canonical_name("mid_hip") is None
    assert rtm_pose.image_size == (720, 1280)
    assert np.isfinite(rtm_pose.point("left_heel")).all()
    assert np.isnan(rtm_pose.point("left_pinky")).all()  # Halpe-26 has no fingers
    assert rtm_pose.fps == pytest.approx(30.0, abs=0.1)


def _to_openpose(pose, folder):
    """Write a real PoseSeries as OpenPose BODY_25 per-frame files, plus a decoy person."""
    folder.mkdir()
    for i in range(len(pose)):
        kp = np.zeros((25, 3))
        for j, name in enumerate(OPENPOSE_BODY25):
            if name is not None and np.isfinite(pose.xy[i, LANDMARK_INDEX[name]]).all():
                kp[j, :2] = pose.xy[i, LANDMARK_INDEX[name]]
                kp[j, 2] = 0.9
        decoy = kp.copy()
        decoy[:, 0] = np.where(decoy[:, 2] > 0, decoy[:, 0] * 0.2 + 600, 0)
        people = [{"pose_keypoints_2d": decoy.ravel().tolist()}, {"pose_keypoints_2d": kp.ravel().tolist()}]
        (folder / f"clip_{i:012d}_keypoints.json").write_text(json.dumps({"version": 1.3, "people": people}))


def test_openpose_folder_follows_one_person(rtm_pose, tmp_path):
    short = rtm_pose.slice(0, 40)
    _to_openpose(short, tmp_path / "op")
    pose = ReplayEstimator(tmp_path / "op", fps=30.0, image_size=(720, 1280)).estimate(None)
    assert len(pose) == 40 and pose.source == "replay:openpose"
    # the larger, more central runner is followed, never the narrow decoy at x ~ 600-700 px
    assert np.allclose(pose.point("left_knee"), short.point("left_knee"))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "not a keypoints object"),
        ('{"a": 1}', "not a keypoint format"),
    ],
)
def test_bad_keypoint_files(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(KeypointFileError, match=words):
        load_keypoints(path)


def test_openpose_wrong_keypoint_count(tmp_path):
    path = tmp_path / "op.json"
    path.write_text(json.dumps({"people": [{"pose_keypoints_2d": [1.0] * 30}]}))
    with pytest.raises(KeypointFileError, match="18 or 25"):
        load_keypoints(path)
