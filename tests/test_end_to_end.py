"""End to end with the real pose model on real clips (skipped when models are not installed)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import kinechain
from kinechain.errors import NoPersonFound
from kinechain.pose.mediapipe_backend import MediaPipeEstimator
from kinechain.pose.segments import plan
from kinechain.video import probe
from kinechain.video.light import light_levels

VIDEO = Path(__file__).parent / "data" / "video"
pytestmark = pytest.mark.usefixtures("require_models")


@pytest.fixture(scope="module")
def full_run():
    return kinechain.analyze(VIDEO / "male_side.mp4", test="running", view="side")


def test_cadence_on_the_real_treadmill_clip(full_run):
    truth = json.loads((VIDEO / "male_side.groundtruth.json").read_text())["cadence_spm"]["value"]
    cadence = full_run.result.measure("running.cadence")
    assert abs(cadence.value - truth) < 1.0
    assert full_run.result.view.view == "left"
    assert full_run.result.quality.frames_with_person == 360
    assert full_run.result.clip is not None and full_run.result.clip.codec == "h264"


def test_the_light_check_uses_the_samples_taken_while_pose_decoded(full_run):
    """The light check's brightness is the one measured by decoding the sampled frames apart."""
    brightness, _contrast = light_levels(VIDEO / "male_side.mp4", 360)
    light = full_run.result.quality.checks["light"]
    assert light.ok and light.value == round(brightness, 1)
    assert full_run.pose.meta["light"]["frames"] == 12 and "light" not in full_run.result.settings["pose"]


def test_contacts_of_the_real_clip_against_the_marks_by_eye(full_run):
    """Default model and settings on male_side.mp4: every near-foot contact marked by eye
    (male_side.events.json) found within half a frame (median), at most 1 in 10 missed."""
    marks = json.loads((VIDEO / "male_side.events.json").read_text())["events"]
    near = [e["frame"] for e in marks if e["foot"].startswith("near") and e["event"] == "initial_contact"]
    found = np.array(
        [e.time * 30.0 for e in full_run.result.events if e.kind == "foot_strike" and e.side == "left"]
    )
    errors = [np.min(np.abs(found - m)) for m in near if np.min(np.abs(found - m)) <= 5]
    assert np.median(errors) <= 0.5 and len(near) - len(errors) <= 0.1 * len(near)
    assert full_run.result.measure("running.contact_time", "left").confidence_label != "high"  # 30 fps


def test_no_person_gives_the_clear_error():
    with pytest.raises(NoPersonFound, match="no person was found"):
        kinechain.analyze(VIDEO / "formats" / "no_person.mp4")
    proc = subprocess.run(
        [sys.executable, "-m", "kinechain", "analyze", str(VIDEO / "formats" / "no_person.mp4")],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert [ln for ln in proc.stderr.splitlines() if ln.strip()] == [
        ln for ln in proc.stderr.splitlines() if ln.startswith("error: no person was found")
    ]


@pytest.fixture(scope="module")
def h264_pose():
    return MediaPipeEstimator("fast").estimate(VIDEO / "formats" / "h264.mp4")


@pytest.mark.parametrize("name", ["hevc.mp4", "vp9.webm", "h264.mov", "rotated90.mp4"])
def test_every_format_gives_the_same_person(name, h264_pose):
    pose = MediaPipeEstimator("fast").estimate(VIDEO / "formats" / name)
    assert pose.image_size == (360, 640)
    assert pose.detected().mean() > 0.95
    hips = pose.point("left_hip") - h264_pose.point("left_hip")
    assert np.nanmedian(np.linalg.norm(hips, axis=1)) < 6  # px, in a 360x640 frame


def test_multi_person_clip_follows_one_person(shared_data):
    """demo.mp4: a man walks on a shed roof (hips at y ~ 200-460 px) while a woman walks across the
    grass below (hips at y ~ 600-700 px, frames ~60-160); he then jumps down (frame ~170).
    Positions read off the frames by eye. The man is found first and must be kept throughout."""
    pose = MediaPipeEstimator("fast").estimate(shared_data / "video" / "walk-and-jumping-jacks" / "demo.mp4")
    found = pose.detected()
    hips_y = pose.xy[:, [23, 24], 1].mean(axis=1)
    on_roof = found & (np.arange(len(pose)) < 165)
    assert on_roof[40:165].mean() > 0.9
    assert np.all(hips_y[on_roof] < 520)  # never the woman on the grass


def test_two_pose_segments_keep_every_frame_and_the_first_share():
    """The bundled 12 s clip cut in two segments on two threads: the same frames and times, the
    first segment's share identical to one tracker's, the rest within a few pixels (median)."""
    one = MediaPipeEstimator("fast", threads=1).estimate(VIDEO / "male_side.mp4")
    two = MediaPipeEstimator("fast", threads=2).estimate(VIDEO / "male_side.mp4")
    assert np.array_equal(one.times, two.times)
    cut = int(np.searchsorted(one.times, plan(probe(VIDEO / "male_side.mp4").duration, 2)[1].keep_from))
    assert 150 < cut < 210
    assert np.array_equal(one.xy[:cut], two.xy[:cut], equal_nan=True)
    err = np.linalg.norm(one.xy[cut:] - two.xy[cut:], axis=2)
    assert np.nanmedian(err) < 4.0  # px in a 720x1280 frame
    assert two.detected().sum() == one.detected().sum() == 360
