"""Checks of what a clip shows, made before measuring.

Is there an upright, large enough, well-lit person who moves like a real body, doing the test
that was declared, for no longer than the cap?

Each check returns a :class:`~kinechain.protocols.quality.QualityCheck` with one sentence of
advice; its threshold is listed in docs/filming.md. Replayed keypoints pass the same checks as
the pose model's (a still or random skeleton is refused). All thresholds are filming conventions
checked on the project's real clips (none is in clinical-evidence.md).
"""

from __future__ import annotations

import numpy as np

from kinechain.model.measures import MeasureSet
from kinechain.model.pose import LANDMARK_INDEX, PoseSeries
from kinechain.model.vocab import View
from kinechain.protocols.detect import UNKNOWN, Detection
from kinechain.protocols.quality import KEY_POINTS, QualityCheck

#: Longest clip analysed, seconds: the longest test (5 slow reps on each leg) takes about a minute.
MAX_DURATION_S = 120.0
#: The frames' body axes must agree this well (length of their mean direction, 0-1) for the clip to
#: be called upright, or turned upright without asking (convention).
UPRIGHT_AGREEMENT = 0.7
#: The mean body axis (ankles to shoulders) may lean this far from the quarter turn it is given,
#: degrees (convention; beyond it joint angles against the vertical are wrong by as much. The
#: 4-camera clip's high, rolled corner camera shows its standing person 37 deg off and is refused).
UPRIGHT_TOLERANCE_DEG = 30.0
#: Person height in the picture (head to heels), pixels: refused below / warned below (the pose
#: model's landmark stage works on a 256 px crop; a 160 px person gives a leg of about 70 px, where
#: one pixel is about one degree of a joint angle).
MIN_PERSON_PX, ADVISED_PERSON_PX = 160.0, 240.0
#: The body must move at least this far over the clip (the largest 5-95% range of a head-to-heel
#: landmark), leg lengths; still frames or a photo move less (real clips: 0.74-1.7).
MIN_MOVEMENT = 0.1
#: Median frame-to-frame jump of the head-to-heel landmarks above which they are not following a
#: body (random or shuffled keypoints), leg lengths (real clips at 30-60 fps: 0.002-0.04).
MAX_JITTER = 0.3
#: Light: median brightness (0-255 luma) and contrast (standard deviation of luma) of the frames
#: below which the clip is too dark or too flat to measure.
MIN_BRIGHTNESS, MIN_CONTRAST = 35.0, 15.0
#: A detected test or view contradicting the declared one with at least this confidence refuses
#: the clip; with less it is a warning that lowers every measure's confidence (convention).
MISMATCH_CONFIDENCE = 0.6
#: Factor applied to every measure's confidence when the declared test or view is in doubt.
DOUBT_FACTOR = 0.7
#: Tests filmed the same way, between which detection is not a contradiction.
RELATED_TESTS = ({"single_leg_squat", "step_down"},)


def _mid(pose: PoseSeries, a: str, b: str) -> np.ndarray:
    return np.asarray((pose.point(a) + pose.point(b)) / 2, dtype=float)


def body_axis_deg(pose: PoseSeries) -> np.ndarray:
    """Return the direction of the ankles-to-shoulders axis per frame, degrees.

    0 upright, 90 head to the image right, -90 head to the left, +/-180 upside down; NaN where
    not found.
    """
    d = _mid(pose, "left_shoulder", "right_shoulder") - _mid(pose, "left_ankle", "right_ankle")
    return np.asarray(np.degrees(np.arctan2(d[:, 0], -d[:, 1])), dtype=float)


def upright_turn(pose: PoseSeries) -> tuple[int | None, float]:
    """Quarter turns (counter-clockwise, as :func:`numpy.rot90`) that make the person upright.

    From the mean direction of the body axis over the frames (:func:`body_axis_deg`).

    Returns
    -------
    (int or None, float)
        0 when already upright, 1-3 for a clip filmed sideways or upside down, None when the
        frames do not agree or the mean axis lies between two quarter turns; and the mean axis
        direction, degrees.
    """
    angle = np.radians(body_axis_deg(pose))
    angle = angle[np.isfinite(angle)]
    if angle.size == 0:
        return None, float("nan")
    mean = complex(np.mean(np.exp(1j * angle)))
    direction = float(np.degrees(np.angle(mean)))
    quarter = int(np.round(direction / 90.0))
    if abs(mean) < UPRIGHT_AGREEMENT or abs(direction - 90.0 * quarter) > UPRIGHT_TOLERANCE_DEG:
        return None, direction
    return quarter % 4, direction


def turn_pose(pose: PoseSeries, k: int) -> PoseSeries:
    """Return the landmarks as they would be in the picture turned ``k`` quarter turns counter-clockwise.

    Exactly what :func:`numpy.rot90` does to the pixels, applied to the image coordinates (and
    in-plane to the world landmarks); the image size swaps for odd ``k``.
    """
    k %= 4
    if k == 0:
        return pose
    w, h = pose.image_size
    x, y = pose.xy[..., 0], pose.xy[..., 1]
    new = {1: (y, w - x), 2: (w - x, h - y), 3: (h - y, x)}[k]
    size = (h, w) if k % 2 else (w, h)
    world = None
    if pose.world is not None:
        wx, wy, wz = pose.world[..., 0], pose.world[..., 1], pose.world[..., 2]
        world = np.stack({1: (wy, -wx, wz), 2: (-wx, -wy, wz), 3: (-wy, wx, wz)}[k], axis=-1)
    return pose.with_changes(xy=np.stack(new, axis=-1), image_size=size, world=world)


def check_orientation(pose: PoseSeries) -> QualityCheck:
    """Check that the person is upright in the picture (after any turn already made)."""
    k, direction = upright_turn(pose)
    value = round(direction, 1) if np.isfinite(direction) else None
    if k == 0:
        return QualityCheck("orientation", True, value=value)
    what = "is not upright" if k is None else "lies sideways or upside down"
    sentence = (
        f"the person {what} in the picture; film with the phone held level and the person standing "
        "up in the picture (a phone on its side for landscape is fine)"
    )
    return QualityCheck("orientation", False, "error", sentence, value)


def person_height_px(pose: PoseSeries) -> float:
    """Median height of the person in the picture, top of the head landmarks to the lowest heel, pixels."""
    ys = pose.xy[:, [LANDMARK_INDEX[k] for k in KEY_POINTS], 1]
    ok = np.isfinite(ys).any(axis=1)
    if not ok.any():
        return float("nan")
    return float(np.median(np.nanmax(ys[ok], axis=1) - np.nanmin(ys[ok], axis=1)))


def check_person_size(pose: PoseSeries) -> QualityCheck:
    """Check that the person is tall enough in the picture for joint angles (:data:`MIN_PERSON_PX`)."""
    h = person_height_px(pose)
    if not np.isfinite(h) or h >= ADVISED_PERSON_PX:
        return QualityCheck("person_size", True, value=None if not np.isfinite(h) else round(h))
    sentence = (
        f"the person is only {h:.0f} pixels tall in the picture; move the camera closer (about 2-3 m) or "
        f"film at a higher resolution so the person is at least {ADVISED_PERSON_PX:.0f} pixels tall"
    )
    return QualityCheck("person_size", False, "error" if h < MIN_PERSON_PX else "warning", sentence, round(h))


def _key_xy(pose: PoseSeries) -> np.ndarray:
    return pose.xy[:, [LANDMARK_INDEX[k] for k in KEY_POINTS]]


def movement(pose: PoseSeries, leg: float) -> float:
    """Largest 5-95% range of position of a head-to-heel landmark over the clip, leg lengths."""
    xy = _key_xy(pose)
    if not np.isfinite(xy).any() or not np.isfinite(leg) or leg <= 0:
        return float("nan")
    span = np.nanpercentile(xy, 95, axis=0) - np.nanpercentile(xy, 5, axis=0)
    return float(np.nanmax(np.linalg.norm(span, axis=-1)) / leg)


def jitter(pose: PoseSeries, leg: float) -> float:
    """Median frame-to-frame jump of the head-to-heel landmarks, leg lengths."""
    xy = _key_xy(pose)
    if len(xy) < 3 or not np.isfinite(leg) or leg <= 0:
        return float("nan")
    step = np.linalg.norm(np.diff(xy, axis=0), axis=-1)
    return float(np.nanmedian(step) / leg) if np.isfinite(step).any() else float("nan")


def check_motion(pose: PoseSeries, leg: float) -> QualityCheck:
    """Check that the landmarks follow one moving body: not still (a photo, frozen frames), not random."""
    move, jump = movement(pose, leg), jitter(pose, leg)
    if np.isfinite(jump) and jump > MAX_JITTER:
        sentence = (
            "the landmarks jump about from frame to frame instead of following a body (random or "
            "shuffled keypoints); use the keypoints kinechain recorded from the video, or the video itself"
        )
        return QualityCheck("motion", False, "error", sentence, round(jump, 3))
    if np.isfinite(move) and move < MIN_MOVEMENT:
        sentence = (
            "the person hardly moves in this clip (a still picture or frozen frames); film the whole "
            "test being done"
        )
        return QualityCheck("motion", False, "error", sentence, round(move, 3))
    if not np.isfinite(move):
        return QualityCheck(
            "motion", False, "error", "no body was found to follow; film the whole body", None
        )
    return QualityCheck("motion", True, value=round(move, 3))


def check_light(brightness: float, contrast: float) -> QualityCheck:
    """Enough light and contrast (see :data:`MIN_BRIGHTNESS`, :data:`MIN_CONTRAST`)."""
    if not np.isfinite(brightness):
        return QualityCheck("light", True, value=None)
    if brightness < MIN_BRIGHTNESS or contrast < MIN_CONTRAST:
        what = "too dark" if brightness < MIN_BRIGHTNESS else "too flat (little contrast)"
        sentence = (
            f"the picture is {what} (brightness {brightness:.0f}/255, contrast {contrast:.0f}); film in good "
            "light from in front of the person, against a plain background that differs from their clothes"
        )
        return QualityCheck("light", False, "error", sentence, round(brightness, 1))
    return QualityCheck("light", True, value=round(brightness, 1))


def _related(a: str, b: str) -> bool:
    return a == b or any({a, b} <= group for group in RELATED_TESTS)


def check_declared_test(found: Detection, test: str) -> QualityCheck:
    """Check the movement against the declared test: a clear contradiction refuses, a doubt warns."""
    if _related(found.test, test):
        return QualityCheck("declared_test", True, value=found.test_confidence)
    shows = "no test of the battery" if found.test == UNKNOWN else found.test.replace("_", " ")
    if found.test_confidence >= MISMATCH_CONFIDENCE:
        sentence = (
            f"the clip was declared as {test.replace('_', ' ')}, but it shows {shows} ({found.reason}); "
            "film the declared test, name the test shown with --test, or pass --no-gate to measure anyway"
        )
        return QualityCheck("declared_test", False, "error", sentence, found.test_confidence)
    sentence = (
        f"the movement could not be confirmed as {test.replace('_', ' ')} ({found.reason}); "
        "the measures' confidence is lowered"
    )
    return QualityCheck("declared_test", False, "warning", sentence, found.test_confidence)


def check_declared_view(found: Detection, view: View) -> QualityCheck:
    """Check the camera view against the declared one: a confident contradiction refuses, else warns."""
    if found.view == view:
        return QualityCheck("declared_view", True, value=found.view_confidence)
    frontal = {"front", "back"}
    both_frontal = view in frontal and found.view in frontal
    sentence = (
        f"the clip was declared as a {view} view, but it looks like a {found.view} view; "
        "film from the declared side, pass the view it shows with --view, or --no-gate to measure anyway"
    )
    # front and back are told apart by the face alone, so they only warn
    if found.view_confidence >= 0.8 and not both_frontal:
        return QualityCheck("declared_view", False, "error", sentence, found.view_confidence)
    return QualityCheck("declared_view", False, "warning", sentence, found.view_confidence)


def lower_confidence(measures: MeasureSet, factor: float) -> MeasureSet:
    """Return the measures with every confidence multiplied by ``factor`` (a doubt about the clip)."""
    lowered = [
        m.model_copy(update={"confidence": round(m.confidence * factor, 3)}) for m in measures.measures
    ]
    return measures.model_copy(update={"measures": lowered})
