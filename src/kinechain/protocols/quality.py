"""The capture-quality gate: can this video be measured, and how to film it better.

Checks run on the landmarks before any measure (framing, visibility, frame rate, people, camera
tilt and height) and on the analysis after it (enough steps or reps). Each failed check gives one
actionable sentence. A check of severity "error" stops the analysis with
:class:`kinechain.errors.QualityError`; a "warning" is reported with the results.

All limits are clinical/filming conventions (none is in clinical-evidence.md), except the frame
rate advice for running (60 fps, issue 4), the 10 steps (Dingenen 2018 averaged >= 7 steps per
side) and the 3 reps (FPPA is the mean of 3, Willson 2006; clinical-evidence.md section 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kinechain.errors import QualityError
from kinechain.model.kinematics import Kinematics
from kinechain.model.pose import LANDMARK_INDEX, SIDES, PoseSeries
from kinechain.model.result import CheckRecord
from kinechain.model.vocab import View
from kinechain.protocols.filming import advised_fps, minimum_fps

#: Landmarks that must be in the picture and visible for any test: head to heels.
KEY_POINTS = (
    "nose",
    "left_shoulder",
    "right_shoulder",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
)
#: Share of frames with the whole body in the picture below which analysis stops / is warned about.
FRAMING_ERROR, FRAMING_WARNING = 0.5, 0.9
#: Mean landmark visibility below which analysis stops / is warned about.
VISIBILITY_ERROR, VISIBILITY_WARNING = 0.5, 0.7
#: Frame rate below which no movement is measured, frames per second.
MIN_FPS = 20.0
#: Share of frames with the person found below which a warning is given.
MIN_FOUND = 0.8
#: Body midline tilt from the image vertical (front and back views) above which a warning is given, degrees.
MAX_TILT_DEG = 10.0
#: Apparent height difference of the two planted ankles in a side view above which the camera is
#: taken to be high, leg lengths (about 10 cm).
MAX_FOOT_OFFSET = 0.12
#: Steps (running) and reps per side needed (see the module docstring).
MIN_STEPS = 10
MIN_REPS = 3


@dataclass(frozen=True)
class QualityCheck:
    """One capture check: its name, whether it passed, how bad a failure is, and what to do."""

    name: str
    ok: bool
    severity: str = "warning"
    message: str = ""
    value: float | None = None


@dataclass(frozen=True)
class QualityReport:
    """All the capture checks of one recording."""

    checks: list[QualityCheck] = field(default_factory=list)

    @property
    def errors(self) -> list[QualityCheck]:
        """Failed checks that stop the analysis."""
        return [c for c in self.checks if not c.ok and c.severity == "error"]

    @property
    def warnings(self) -> list[str]:
        """One sentence per failed check that does not stop the analysis."""
        return [c.message for c in self.checks if not c.ok and c.severity == "warning"]

    @property
    def problems(self) -> list[str]:
        """One sentence per failed check, blocking or not (for a report made with the gate off)."""
        return [c.message for c in self.checks if not c.ok]

    def raise_for_errors(self) -> None:
        """Raise QualityError with the first blocking problem (and how many more there are)."""
        if not self.errors:
            return
        first, rest = self.errors[0], self.errors[1:]
        tail = f" (and: {'; '.join(c.message for c in rest)})" if rest else ""
        raise QualityError(first.message[0].upper() + first.message[1:] + tail + ".")

    def as_records(self) -> dict[str, CheckRecord]:
        """Return the checks by name, as written to the result JSON."""
        return {
            c.name: CheckRecord(ok=c.ok, severity=c.severity, message=c.message, value=c.value)
            for c in self.checks
        }


def _found(pose: PoseSeries) -> np.ndarray:
    return pose.detected()


def check_framing(raw: PoseSeries) -> QualityCheck:
    """Whole body, head to heels, inside the picture in most frames where the person is found."""
    found = _found(raw)
    if not found.any():
        return QualityCheck(
            "framing", False, "error", "no person was found; film the whole body, head to toe"
        )
    idx = [LANDMARK_INDEX[k] for k in KEY_POINTS]
    xy = raw.xy[found][:, idx]
    w, h = raw.image_size
    # a landmark placed outside the picture is cut off; an unknown one (NaN: hidden) is a
    # visibility matter, not a framing one
    outside = (xy[..., 0] < 0) | (xy[..., 0] > w) | (xy[..., 1] < 0) | (xy[..., 1] > h)
    inside = ~outside
    share = float(inside.all(axis=1).mean())
    if share >= FRAMING_WARNING:
        return QualityCheck("framing", True, value=share)
    head_out = 1 - inside[:, 0].mean()
    feet_out = 1 - inside[:, -4:].all(axis=1).mean()
    part = "the head is cut off at the top" if head_out > feet_out else "the feet are cut off at the bottom"
    sentence = (
        f"{part} of the picture in {100 * (1 - share):.0f}% of frames; move the camera back or "
        "turn it to portrait so the whole body, head to toe, stays in view"
    )
    return QualityCheck("framing", False, "error" if share < FRAMING_ERROR else "warning", sentence, share)


def check_visibility(raw: PoseSeries) -> QualityCheck:
    """Landmark visibility as a proxy for light, blur and baggy clothes."""
    found = _found(raw)
    if not found.any():
        return QualityCheck("visibility", False, "error", "no person was found; film in good light")
    vis = {k: float(raw.visibility[found, LANDMARK_INDEX[k]].mean()) for k in KEY_POINTS}
    mean = float(np.mean(list(vis.values())))
    if mean >= VISIBILITY_WARNING:
        return QualityCheck("visibility", True, value=round(mean, 3))
    worst = min(vis, key=lambda k: vis[k]).replace("_", " ")
    sentence = (
        f"the body is hard to see (the {worst} most of all); film in good light coming from in "
        "front of the person, in close-fitting clothes, with the phone held still"
    )
    severity = "error" if mean < VISIBILITY_ERROR else "warning"
    return QualityCheck("visibility", False, severity, sentence, round(mean, 3))


def check_frame_rate(raw: PoseSeries, test: str) -> QualityCheck:
    """Frame rate against the test's minimum (refused below) and advice (warned below).

    Both come from the one frame-rate-per-test table, filming.yaml (``min_fps`` and ``fps``).
    """
    fps = raw.fps
    advised = advised_fps(test)
    least = max(MIN_FPS, minimum_fps(test))
    if fps < least:
        return QualityCheck(
            "frame_rate",
            False,
            "error",
            f"the video has only {fps:.0f} frames per second, and this test needs {least:.0f} or more; "
            f"film at {advised} fps",
            round(fps, 2),
        )
    if fps < 0.9 * advised:
        sentence = (
            f"filmed at {fps:.0f} fps: the instant of foot contact or landing is known only to +/- one "
            f"frame, so contact and timing measures are flagged; film at {advised} fps or more"
        )
        return QualityCheck("frame_rate", False, "warning", sentence, round(fps, 2))
    return QualityCheck("frame_rate", True, value=round(fps, 2))


def check_people(raw: PoseSeries) -> QualityCheck:
    """One person in the picture, found in most frames."""
    seen = int(raw.meta.get("max_people_seen", 1) or 1)
    found = float(_found(raw).mean()) if len(raw) else 0.0
    if seen > 1:
        sentence = (
            f"{seen} people were seen; only the person being tested should be in the picture "
            "(or pass --person X,Y to choose who is measured)"
        )
        return QualityCheck("one_person", False, "warning", sentence, float(seen))
    if found < MIN_FOUND:
        sentence = (
            f"the person was found in only {100 * found:.0f}% of frames; keep them in the picture throughout"
        )
        return QualityCheck("one_person", False, "warning", sentence, found)
    return QualityCheck("one_person", True, value=float(seen))


def check_camera(pose: PoseSeries, view: View, leg: float, test: str = "") -> QualityCheck:
    """Camera tilt (front/back views: body midline against the image vertical) or height (side views).

    From the side, a camera above hip height looking down shows the far foot well above the near
    one while both stand on the floor; this is checked on the stillest 20% of frames, except in
    running, where both feet are never on the floor together (camera height is then not checked).
    """
    if view in ("front", "back"):
        ankles = (pose.point("left_ankle") + pose.point("right_ankle")) / 2
        shoulders = (pose.point("left_shoulder") + pose.point("right_shoulder")) / 2
        d = shoulders - ankles
        tilt = float(np.degrees(np.nanmedian(np.arctan2(d[:, 0], -d[:, 1]))))
        if abs(tilt) > MAX_TILT_DEG:
            sentence = (
                f"the body leans {abs(tilt):.0f} deg from upright in the picture; level the camera "
                "(not tilted sideways) and film from knee-to-hip height"
            )
            return QualityCheck("camera", False, "warning", sentence, round(tilt, 1))
        return QualityCheck("camera", True, value=round(tilt, 1))
    if test == "running":
        return QualityCheck("camera", True, value=None)
    offset = _planted_foot_offset(pose, leg)
    if np.isfinite(offset) and offset > MAX_FOOT_OFFSET:
        sentence = (
            "the camera looks down on the person from above (the far foot shows well above the near "
            "one); lower it to knee-to-hip height and keep it level"
        )
        return QualityCheck("camera", False, "warning", sentence, round(offset, 3))
    return QualityCheck("camera", True, value=None if not np.isfinite(offset) else round(offset, 3))


def _planted_foot_offset(pose: PoseSeries, leg: float) -> float:
    """Median vertical distance between the ankles over the stillest 20% of frames, leg lengths."""
    hips = (pose.point("left_hip")[:, 1] + pose.point("right_hip")[:, 1]) / 2
    speed = np.abs(np.gradient(hips)) if len(hips) > 2 else np.full(len(hips), np.nan)
    ok = np.isfinite(speed)
    if ok.sum() < 10 or not np.isfinite(leg):
        return float("nan")
    still = ok & (speed <= np.percentile(speed[ok], 20))
    dy = np.abs(pose.point("left_ankle")[still, 1] - pose.point("right_ankle")[still, 1]) / leg
    return float(np.nanmedian(dy)) if np.isfinite(dy).any() else float("nan")


def capture_checks(raw: PoseSeries, pose: PoseSeries, *, test: str, view: View, leg: float) -> QualityReport:
    """Run the checks made before measuring: framing, visibility, frame rate, people, camera."""
    return QualityReport(
        [
            check_framing(raw),
            check_visibility(raw),
            check_frame_rate(raw, test),
            check_people(raw),
            check_camera(pose, view, leg, test),
        ]
    )


def count_check(test: str, kin: Kinematics) -> QualityCheck:
    """Enough steps (running: 10) or reps (3 per side) were found in the analysis."""
    if test == "running":
        steps = len(kin.events_of("foot_strike")) or len(kin.events_of("midstance"))
        if steps < MIN_STEPS:
            sentence = (
                f"only {steps} steps were found; film at least {MIN_STEPS} steps after settling into the pace"
            )
            return QualityCheck("enough_cycles", False, "warning", sentence, float(steps))
        return QualityCheck("enough_cycles", True, value=float(steps))
    kinds = {"drop_jump": "landing", "knee_to_wall": "lunge_peak"}
    kind = kinds.get(test, "rep_bottom")
    counts = {s: len(kin.events_of(kind, s)) for s in (*SIDES, "both")}
    per_side = [counts[s] for s in SIDES if counts[s]] or [counts["both"]]
    fewest = min(per_side)
    if fewest < MIN_REPS:
        what = "jumps" if test == "drop_jump" else "reps"
        sentence = f"only {fewest} {what} were found on a side; film at least {MIN_REPS} {what} on each side"
        return QualityCheck("enough_cycles", False, "warning", sentence, float(fewest))
    return QualityCheck("enough_cycles", True, value=float(fewest))
