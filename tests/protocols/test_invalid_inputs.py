"""A corpus of inputs that cannot give a measure: each is refused, or its measures are not measurable.

Made at test time from the repo's real clips (see corpus.py): landmarks MediaPipe recorded from
them, transformed as the picture would be, and (marked ``model``) the running clip's pixels
transformed and run through the pose model. Valid variants of the same clips must still measure
within the clips' usual spread (test_valid_variants below).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from bodies import double_squat_session
from corpus import (
    every,
    frozen,
    keypoints,
    letterbox,
    mirrored,
    random_keypoints,
    resize,
    rotate_pixels,
    rotated,
    scaled,
    shuffled,
    slowed,
    source_frames,
    write_clip,
)

from kinechain.errors import KinechainError
from kinechain.model.result import AnalysisResult
from kinechain.pipeline import analyze
from kinechain.pose import save_keypoints

#: case -> (make the landmarks, declared test, declared view, measure ids that must be not
#: measurable; None: the clip must be refused outright)
KeypointCase = tuple[Callable[[], object], str, str, tuple[str, ...] | None]

DEEP = {"shank": 40.0, "thigh": 85.0, "trunk": 40.0, "knee_in_left": 0.02, "knee_in_right": 0.02}
DEEP |= {"shift": 0.0, "heel": 0.0}

KEYPOINT_CASES: dict[str, KeypointCase] = {
    "run-still-frame": (lambda: frozen(keypoints("male_side")), "running", "side", None),
    "run-still-frame-mid": (lambda: frozen(keypoints("male_side"), 150), "running", "side", None),
    "squat-still-frame": (lambda: frozen(keypoints("goblet"), 300), "double_leg_squat", "right", None),
    "random-static": (lambda: random_keypoints(keypoints("male_side"), static=True), "running", "side", None),
    "random-static-auto": (
        lambda: random_keypoints(keypoints("male_side"), static=True),
        "auto",
        "side",
        None,
    ),
    "random-moving": (
        lambda: random_keypoints(keypoints("male_side"), static=False),
        "running",
        "side",
        None,
    ),
    "random-moving-squat": (
        lambda: random_keypoints(keypoints("goblet"), static=False),
        "double_leg_squat",
        "front",
        None,
    ),
    "run-shuffled-frames": (lambda: shuffled(keypoints("male_side")), "running", "side", None),
    "run-tiny-person": (lambda: scaled(keypoints("male_side"), 0.15), "running", "side", None),
    "squat-tiny-person": (lambda: scaled(keypoints("goblet"), 0.2), "double_leg_squat", "right", None),
    "run-10fps": (lambda: every(keypoints("male_side"), 3), "running", "side", None),
    "run-15fps": (lambda: every(keypoints("male_side"), 2), "running", "side", None),
    "run-timestamps-stretched": (lambda: slowed(keypoints("male_side"), 2.5), "running", "side", None),
    "squat-10fps": (lambda: every(keypoints("goblet"), 3), "double_leg_squat", "right", None),
    "run-rotated-45": (lambda: rotated(keypoints("male_side"), 45), "running", "side", None),
    "run-rotated-135": (lambda: rotated(keypoints("male_side"), 135), "running", "side", None),
    "squat-rotated-50": (lambda: rotated(keypoints("goblet"), -50), "double_leg_squat", "right", None),
    "walk-jacks-as-running": (lambda: keypoints("demo"), "running", "side", None),
    "walk-jacks-as-squat": (lambda: keypoints("demo"), "double_leg_squat", "front", None),
    "squat-as-running": (lambda: keypoints("goblet"), "running", "side", None),
    "squat-as-knee-to-wall": (lambda: keypoints("goblet"), "knee_to_wall", "right", None),
    "running-as-squat": (lambda: keypoints("male_side"), "double_leg_squat", "left", None),
    "running-as-step-down": (lambda: keypoints("male_side"), "step_down", "left", None),
    "running-as-drop-jump": (lambda: keypoints("male_side"), "drop_jump", "left", None),
    "running-declared-front": (lambda: keypoints("male_side"), "running", "front", None),
    "running-declared-right": (lambda: keypoints("male_side"), "running", "right", None),
    "squat-declared-front": (lambda: keypoints("goblet"), "double_leg_squat", "front", None),
    "squat-declared-left": (lambda: keypoints("goblet"), "double_leg_squat", "left", None),
    "oblique-barbell-squat": (
        lambda: keypoints("barbell"),
        "double_leg_squat",
        "front",
        ("double_leg_squat.fppa",),
    ),
    "stance-no-reps": (
        lambda: keypoints("cam02"),
        "single_leg_squat",
        "front",
        ("single_leg_squat.fppa_peak", "single_leg_squat.pelvic_drop"),
    ),
    "deep-front-squat": (
        lambda: double_squat_session(DEEP, "front"),
        "double_leg_squat",
        "front",
        ("double_leg_squat.fppa",),
    ),
}


def outcome(run: Callable[[], AnalysisResult], must_fail: tuple[str, ...] | None) -> tuple[bool, str]:
    """Run one case: (whether it was refused or not measurable as required, what it got)."""
    try:
        result = run()
    except KinechainError as exc:
        return True, f"refused ({type(exc).__name__}): {exc}"
    if must_fail is None:
        got = [
            f"{m.id} {m.side} {m.value:.1f} (conf {m.confidence})" for m in result.measures if m.measurable
        ]
        return not got, "measured: " + "; ".join(got[:3])
    bad = [m for m in result.measures if m.id in must_fail and m.measurable]
    reasons = {m.reason for m in result.measures if m.id in must_fail}
    shown = ", ".join(f"{m.id} {m.side} {m.value:.1f}" for m in bad) or "; ".join(
        sorted(r or "" for r in reasons)
    )
    return not bad, ("measured: " if bad else "not measurable: ") + shown


@pytest.mark.parametrize("case", sorted(KEYPOINT_CASES))
def test_invalid_keypoints_are_refused_or_not_measurable(case, tmp_path):
    make, test, view, must_fail = KEYPOINT_CASES[case]
    path = save_keypoints(make(), tmp_path / f"{case}.json")
    ok, got = outcome(lambda: analyze(None, keypoints=path, test=test, view=view).result, must_fail)
    assert ok, got


#: valid variant -> (clip, make it, declared view, measures compared with the untouched clip's)
VALID_KEYPOINTS = {
    "run-mirrored": ("male_side", mirrored, "side", ("running.cadence", "running.trunk_lean")),
    "run-upside-down": (
        "male_side",
        lambda p: rotated(p, 180),
        "side",
        ("running.cadence", "running.trunk_lean"),
    ),
    "run-turned-90": (
        "male_side",
        lambda p: rotated(p, 90),
        "side",
        ("running.cadence", "running.trunk_lean"),
    ),
    "run-turned-270": (
        "male_side",
        lambda p: rotated(p, 270),
        "side",
        ("running.cadence", "running.trunk_lean"),
    ),
    "run-letterboxed": ("male_side", lambda p: scaled(p, 1.0, (280, 0)), "side", ("running.cadence",)),
    "run-upscaled": (
        "male_side",
        lambda p: scaled(p, 1.5),
        "side",
        ("running.cadence", "running.trunk_lean"),
    ),
    "squat-mirrored": ("goblet", mirrored, "side", ("double_leg_squat.depth",)),
    "squat-letterboxed": ("goblet", lambda p: scaled(p, 0.8, (0, 120)), "side", ("double_leg_squat.depth",)),
}
TEST_OF = {"male_side": "running", "goblet": "double_leg_squat"}


def close_enough(variant: AnalysisResult, original: AnalysisResult, ids: tuple[str, ...]) -> list[str]:
    """Measures of ``ids`` that moved more than the original's spread (sample SD over cycles), or 1 unit."""
    far = []
    for mid in ids:
        a, b = original.measure(mid), variant.measure(mid)
        assert a is not None and a.measurable, mid
        if b is None or not b.measurable or abs(b.value - a.value) > max(a.spread or 0.0, 1.0):
            far.append(f"{mid}: {a.value:.1f} -> {None if b is None else b.value}")
    return far


@pytest.mark.parametrize("case", sorted(VALID_KEYPOINTS))
def test_valid_keypoint_variants_measure_within_the_usual_spread(case, tmp_path):
    clip, change, view, ids = VALID_KEYPOINTS[case]
    original = analyze(
        None, keypoints=save_keypoints(keypoints(clip), tmp_path / "o.json"), test=TEST_OF[clip]
    )
    path = save_keypoints(change(keypoints(clip)), tmp_path / f"{case}.json")
    variant = analyze(None, keypoints=path, test=TEST_OF[clip], view=view).result
    assert close_enough(variant, original.result, ids) == []


# --- videos through the pose model --------------------------------------------------------------

VideoCase = tuple[Callable[[list[np.ndarray]], list[np.ndarray]], float, str, str]

VIDEO_CASES: dict[str, VideoCase] = {
    "video-black": (lambda fs: [np.zeros_like(f) for f in fs], 30, "running", "side"),
    "video-nearly-black": (lambda fs: [(f * 0.06).astype(np.uint8) for f in fs], 30, "running", "side"),
    "video-dark": (lambda fs: [(f * 0.12).astype(np.uint8) for f in fs], 30, "running", "side"),
    "video-dim": (lambda fs: [(f * 0.25).astype(np.uint8) for f in fs], 30, "running", "side"),
    "video-low-contrast": (lambda fs: [(f * 0.25 + 90).astype(np.uint8) for f in fs], 30, "running", "side"),
    "video-washed-out": (lambda fs: [(f * 0.08 + 150).astype(np.uint8) for f in fs], 30, "running", "side"),
    "video-160x120": (lambda fs: [resize(f, 160, 120) for f in fs], 30, "running", "side"),
    "video-68x120": (lambda fs: [resize(f, 68, 120) for f in fs], 30, "running", "side"),
    "video-10fps": (lambda fs: fs[::3], 10, "running", "side"),
    "video-15fps": (lambda fs: fs[::2], 15, "running", "side"),
    "video-still-frame": (lambda fs: [fs[20]] * len(fs), 30, "running", "side"),
    "video-rotated-45": (lambda fs: [rotate_pixels(f, 45) for f in fs], 30, "running", "side"),
    "video-noise": (
        lambda fs: [
            np.clip(f + np.random.default_rng(i).normal(0, 90, f.shape), 0, 255).astype(np.uint8)
            for i, f in enumerate(fs)
        ],
        30,
        "running",
        "side",
    ),
    "video-running-as-squat": (lambda fs: fs, 30, "double_leg_squat", "left"),
}


@cache
def _frames() -> tuple[list[np.ndarray], float]:
    return source_frames(seconds=4.0)


@cache
def _analyse_video(case: str, folder: Path) -> tuple[bool, str]:
    change, fps, test, view = VIDEO_CASES[case]
    path = write_clip(folder / f"{case}.mp4", change(_frames()[0]), fps)
    return outcome(lambda: analyze(path, test=test, view=view).result, None)


@pytest.mark.model
@pytest.mark.parametrize("case", sorted(VIDEO_CASES))
def test_invalid_videos_are_refused(case, tmp_path_factory, require_models):
    ok, got = _analyse_video(case, tmp_path_factory.getbasetemp())
    assert ok, got


#: valid video variant -> (change the frames, H.264 quality (crf), declared view)
VALID_VIDEOS = {
    "video-mirrored": (lambda fs: [np.ascontiguousarray(f[:, ::-1]) for f in fs], 20, "side"),
    "video-letterboxed": (lambda fs: [letterbox(f, 140) for f in fs], 20, "side"),
    "video-reencoded": (lambda fs: fs, 32, "side"),
    "video-upside-down": (lambda fs: [np.ascontiguousarray(f[::-1, ::-1]) for f in fs], 20, "side"),
    "video-turned-90-no-metadata": (
        lambda fs: [np.ascontiguousarray(np.rot90(f, -1)) for f in fs],
        20,
        "side",
    ),
}
RUN_IDS = ("running.cadence", "running.trunk_lean")


@cache
def _video_result(case: str, folder: Path) -> AnalysisResult:
    change, crf, view = VALID_VIDEOS.get(case, (lambda fs: fs, 20, "side"))
    path = write_clip(folder / f"{case}.mp4", change(_frames()[0]), 30, crf=crf)
    return analyze(path, test="running", view=view).result


@pytest.mark.model
@pytest.mark.parametrize("case", sorted(VALID_VIDEOS))
def test_valid_video_variants_measure_within_the_usual_spread(case, tmp_path_factory, require_models):
    folder = tmp_path_factory.getbasetemp()
    assert close_enough(_video_result(case, folder), _video_result("original", folder), RUN_IDS) == []


@pytest.mark.model
def test_rotation_metadata_is_applied_and_gives_the_upright_clips_landmarks(data_dir, require_models):
    """The 3 s clips are too short for running measures, so their landmarks are compared instead."""
    formats = data_dir / "video" / "formats"
    upright = analyze(formats / "h264.mp4", test="running", quality_gate=False)
    turned = analyze(formats / "rotated90.mp4", test="running", quality_gate=False)
    assert turned.raw_pose.image_size == upright.raw_pose.image_size
    assert not any("was turned" in w for w in turned.result.warnings)
    gap = np.nanmedian(np.abs(turned.raw_pose.xy - upright.raw_pose.xy))
    assert gap < 0.02 * upright.raw_pose.image_size[1]
