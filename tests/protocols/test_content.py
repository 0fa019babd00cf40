"""The content checks made before measuring, on constructed inputs with known answers and real clips."""

from pathlib import Path

import numpy as np
import pytest
from corpus import keypoints, rotated

from kinechain.pipeline import analyze
from kinechain.pose import save_keypoints
from kinechain.protocols.content import (
    DOUBT_FACTOR,
    MAX_DURATION_S,
    MIN_BRIGHTNESS,
    MIN_CONTRAST,
    check_declared_test,
    check_declared_view,
    check_light,
    lower_confidence,
    turn_pose,
    upright_turn,
)
from kinechain.protocols.detect import Detection
from kinechain.protocols.filming import minimum_fps
from kinechain.video.light import light_levels

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("k", [1, 2, 3])
def test_a_turned_clip_is_found_and_turned_back_exactly(k):
    pose = keypoints("male_side")
    turned = turn_pose(pose, k)
    back, _ = upright_turn(turned)
    assert back == (4 - k) % 4
    again = turn_pose(turned, back)
    assert again.image_size == pose.image_size
    np.testing.assert_allclose(again.xy, pose.xy, atol=1e-9)


def test_a_clip_turned_half_way_between_quarters_is_ambiguous():
    assert upright_turn(rotated(keypoints("male_side"), 50))[0] is None
    assert upright_turn(keypoints("male_side"))[0] == 0


def test_light_of_the_real_clip_passes_and_a_dark_or_flat_picture_fails():
    brightness, contrast = light_levels(DATA / "video" / "male_side.mp4", 360)
    assert brightness > 2 * MIN_BRIGHTNESS and contrast > 2 * MIN_CONTRAST  # measured: 108.7 and 52.8
    assert check_light(brightness, contrast).ok
    dark = check_light(0.1 * brightness, 0.1 * contrast)
    assert not dark.ok and dark.severity == "error" and "too dark" in dark.message
    assert "too flat" in check_light(150.0, 4.0).message


def test_frame_rate_per_test_comes_from_one_table():
    assert minimum_fps("running") == 25 and minimum_fps("drop_jump") == 25
    assert minimum_fps("double_leg_squat") == 20 and minimum_fps("not a test") == 20


def _found(test, conf, view="left", view_conf=1.0):
    return Detection(test, view, conf, view_conf, "what was seen")


def test_a_declared_test_is_refused_on_a_clear_contradiction_and_warned_on_a_doubt():
    assert check_declared_test(_found("running", 0.9), "running").ok
    assert check_declared_test(_found("step_down", 0.9), "single_leg_squat").ok  # filmed the same way
    clear = check_declared_test(_found("double_leg_squat", 0.9), "running")
    assert clear.severity == "error" and "declared as running, but it shows double leg squat" in clear.message
    doubt = check_declared_test(_found("double_leg_squat", 0.4), "running")
    assert not doubt.ok and doubt.severity == "warning"
    assert check_declared_test(_found("unknown", 0.7), "running").severity == "error"


def test_a_declared_view_is_refused_when_clearly_another():
    assert check_declared_view(_found("running", 1.0, "left"), "left").ok
    assert check_declared_view(_found("running", 1.0, "front", 0.9), "left").severity == "error"
    assert check_declared_view(_found("running", 1.0, "front", 0.6), "left").severity == "warning"
    assert check_declared_view(_found("running", 1.0, "back", 0.95), "front").severity == "warning"


def test_a_doubt_lowers_every_confidence():
    result = analyze(None, keypoints=DATA / "video" / "male_side.mediapipe-full.json", test="running")
    measures = result.result.measures
    from kinechain.model.measures import MeasureSet

    lowered = lower_confidence(MeasureSet(test="running", view="left", measures=measures), DOUBT_FACTOR)
    for a, b in zip(measures, lowered.measures, strict=True):
        assert b.confidence == pytest.approx(round(a.confidence * DOUBT_FACTOR, 3))


def test_a_clip_longer_than_the_cap_is_trimmed_with_a_message(tmp_path):
    pose = keypoints("male_side")
    reps = int(np.ceil(1.2 * MAX_DURATION_S / (pose.duration + 1 / pose.fps)))
    step = pose.duration + 1 / pose.fps
    times = np.concatenate([pose.times + i * step for i in range(reps)])
    tile = {"xy": np.concatenate([pose.xy] * reps), "visibility": np.concatenate([pose.visibility] * reps)}
    long = pose.with_changes(times=times, world=None, **tile)
    a = analyze(None, keypoints=save_keypoints(long, tmp_path / "long.json"), test="running")
    assert a.raw_pose.duration <= MAX_DURATION_S
    assert any(f"only its first {MAX_DURATION_S:.0f} s were analysed" in w for w in a.result.warnings)
    assert a.result.measure("running.cadence").measurable
