"""Which test is in a video, and from which view: automatic detection with a confidence.

The view comes from a vote over frames (:func:`kinechain.kinematics.view.detect_view`). The test
comes from a few movement features of the cleaned landmarks, checked in order:

1. feet alternating at a running stride (0.5-0.95 s per stride, at least 3 strides) -> running;
   a slower alternation (walking) is not a battery test;
2. both feet off the floor: after standing on something raised (a box) -> drop jump; a single
   jump -> drop jump with less confidence; many rhythmic hops with arms overhead -> not a test;
3. from the side, feet split front and back with the front shank tilting forward and back
   repeatedly -> knee-to-wall;
4. repeated descents of the hips: on one leg -> step-down when the free foot reaches below the
   standing foot, else single-leg squat; on both legs -> double-leg squat;
5. one foot held off the floor without reps -> single-leg squat (low confidence).

Every threshold here is a convention checked on the shared clips (docs/protocols.md gives the
detection accuracy measured on them); the user can always override the test and the view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import numpy as np

from kinechain.kinematics.reps import Phase, Rep, airborne_phases, segment_reps
from kinechain.kinematics.scale import leg_length
from kinechain.kinematics.view import ViewGuess, detect_view
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.vocab import View
from kinechain.protocols.repwork import find_reps, pelvis_descent, stance_of

#: Stride periods of running, seconds (126-240 steps/min; convention).
RUN_STRIDE_S = (0.5, 0.95)
#: Stride periods of walking, seconds (convention).
WALK_STRIDE_S = (0.95, 1.6)
#: Alternation strength (autocorrelation peak) that counts as a gait (convention).
MIN_ALTERNATION = 0.5
#: Both feet this far above the floor (leg lengths) count as off the ground (convention).
AIR_HEIGHT = 0.08
#: Feet this far apart front to back (leg lengths) in a side view count as a split stance (convention).
SPLIT_STANCE = 0.3
#: Share of rep frames with the wrists above the head that means arms swinging with the reps
#: (jumping jacks), between arms kept down (squat) and held overhead (overhead squat) (convention).
ARM_SWING = (0.2, 0.9)
#: Arms swing (jumping jacks) only when the wrists' height relative to the shoulders ranges over
#: more than this within the reps (10th to 90th percentile), leg lengths: hands behind the head,
#: arms held forward or on a barbell move with the shoulders (convention; measured on the real
#: clips: jumping jacks 1.23, barbell squat 0.14).
ARM_SWING_RANGE = 0.5
#: A foot is planted when it travels less than this over a lunge, leg lengths (convention).
PLANTED_TRAVEL = 0.1
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Detection:
    """A detected test and view, each with a 0-1 confidence, and the evidence behind them.

    Attributes
    ----------
    test : str
        A registered test name, or "unknown" when the movement is none of the battery.
    view : str
        "left", "right", "front" or "back".
    test_confidence, view_confidence : float
        0-1.
    reason : str
        One sentence: what was seen.
    evidence : dict
        The features used (stride period, alternation strength, reps, ...).
    """

    test: str
    view: View
    test_confidence: float
    view_confidence: float
    reason: str
    evidence: dict[str, float] = field(default_factory=dict)


def _filled(times: np.ndarray, values: np.ndarray) -> np.ndarray | None:
    finite = np.isfinite(values)
    if finite.sum() < max(10, 0.5 * len(values)):
        return None
    return cast("np.ndarray | None", np.interp(times, times[finite], values[finite]))


def alternation(times: np.ndarray, signal: np.ndarray) -> tuple[float, float]:
    """Period (s) and strength (0-1) of the strongest repetition of ``signal`` between 0.4 and 1.6 s.

    The strength is the normalised autocorrelation at that period; a left-right foot difference
    repeats once per stride.
    """
    sig = _filled(times, signal)
    if sig is None or times[-1] - times[0] < 1.5:
        return float("nan"), 0.0
    sig = sig - sig.mean()
    fps = 1.0 / float(np.median(np.diff(times)))
    ac = np.correlate(sig, sig, mode="full")[len(sig) - 1 :]
    if ac[0] <= 0:
        return float("nan"), 0.0
    ac = ac / ac[0] * len(sig) / (len(sig) - np.arange(len(sig)))  # unbiased
    lo, hi = int(0.4 * fps), min(int(1.6 * fps), len(sig) // 2)
    if hi <= lo:
        return float("nan"), 0.0
    window = ac[lo:hi]
    peaks = [i for i in range(1, len(window) - 1) if window[i - 1] <= window[i] >= window[i + 1]]
    best = float(window.max())
    k = lo + next((i for i in peaks if window[i] >= 0.8 * best), int(np.argmax(window)))
    return k / fps, float(np.clip(ac[k], 0.0, 1.0))


def _gait(pose: PoseSeries, view: ViewGuess, leg: float) -> tuple[float, float]:
    """Return the stride period and strength of the feet alternating (side: front-back; front: up-down).

    From the side, when the far foot is hidden too often for the left-right difference, each
    foot's own swing ahead of and behind the hips (which also repeats once per stride) is used.
    """
    side = view.view in ("left", "right")
    axis = 0 if side else 1
    d = (pose.point("left_ankle")[:, axis] - pose.point("right_ankle")[:, axis]) / leg
    period, strength = alternation(pose.times, d)
    if strength >= MIN_ALTERNATION or not side:
        return period, strength
    hips = (pose.point("left_hip")[:, 0] + pose.point("right_hip")[:, 0]) / 2
    own = [alternation(pose.times, (pose.point(f"{s}_ankle")[:, 0] - hips) / leg) for s in SIDES]
    best = max(own, key=lambda ps: ps[1])
    return best if best[1] > strength else (period, strength)


def _floor_heights(pose: PoseSeries, leg: float) -> np.ndarray:
    """Height of the lower ankle above the lowest level the ankles reach, leg lengths."""
    lower = np.fmin(-pose.point("left_ankle")[:, 1], -pose.point("right_ankle")[:, 1])
    finite = lower[np.isfinite(lower)]
    return cast("np.ndarray", (lower - np.percentile(finite, 2)) / leg if finite.size else lower)


def _arms_overhead(pose: PoseSeries, phases: list[Phase]) -> float:
    """Share of the frames within ``phases`` with both wrists above the nose."""
    during = np.zeros(len(pose), dtype=bool)
    for f in phases:
        during |= (pose.times >= f.start) & (pose.times <= f.end)
    nose = pose.point("nose")[:, 1]
    up = (pose.point("left_wrist")[:, 1] < nose) & (pose.point("right_wrist")[:, 1] < nose)
    found = np.isfinite(nose) & during
    return float(up[found].mean()) if found.any() else 0.0


def _wrist_swing(pose: PoseSeries, phases: list[Phase], leg: float) -> float:
    """Range (10th-90th percentile) of the wrists' height above the shoulders in ``phases``, leg lengths."""
    during = np.zeros(len(pose), dtype=bool)
    for f in phases:
        during |= (pose.times >= f.start) & (pose.times <= f.end)
    shoulders = (pose.point("left_shoulder")[:, 1] + pose.point("right_shoulder")[:, 1]) / 2
    wrists = (pose.point("left_wrist")[:, 1] + pose.point("right_wrist")[:, 1]) / 2
    rise = ((shoulders - wrists) / leg)[during]
    rise = rise[np.isfinite(rise)]
    return float(np.percentile(rise, 90) - np.percentile(rise, 10)) if rise.size > 2 else 0.0


def _split_share(pose: PoseSeries, leg: float) -> float:
    """Share of frames with the ankles further apart front to back than :data:`SPLIT_STANCE`."""
    dx = np.abs(pose.point("left_ankle")[:, 0] - pose.point("right_ankle")[:, 0]) / leg
    found = np.isfinite(dx)
    return float((dx[found] > SPLIT_STANCE).mean()) if found.any() else 0.0


def _planted_lunges(pose: PoseSeries, leg: float) -> int:
    """Count forward tilts (>= 10 deg) of a shank with both feet planted (unlike a single-leg squat)."""
    from kinechain.kinematics.sagittal import sagittal_kinematics
    from kinechain.protocols.repwork import foot_travel

    kin = sagittal_kinematics(pose)
    count = 0
    for s in SIDES:
        for rep in segment_reps(kin.times, -kin[f"tibia_angle_{s}"], min_depth=10.0):
            travel = [foot_travel(pose, side, rep.start, rep.end, leg) for side in SIDES]
            count += bool(np.all(np.asarray(travel) < PLANTED_TRAVEL))
    return count


def _free_foot_below(pose: PoseSeries, reps: list[Rep], leg: float) -> float:
    """Share of single-leg reps whose free ankle is lower than the standing ankle at the bottom."""
    below = []
    for r in reps:
        stance = stance_of(pose, r, leg)
        if stance not in SIDES:
            continue
        free = "right" if stance == "left" else "left"
        i = int(np.clip(np.searchsorted(pose.times, r.bottom), 0, len(pose) - 1))
        gap = (pose.point(f"{free}_ankle")[i, 1] - pose.point(f"{stance}_ankle")[i, 1]) / leg
        below.append(bool(gap > 0.05))
    return float(np.mean(below)) if below else 0.0


def detect(pose: PoseSeries) -> Detection:
    """Detect the test and the view of a cleaned PoseSeries (see the module docstring for the rules)."""
    view = detect_view(pose)
    leg = leg_length(pose, view.view)
    if not np.isfinite(leg) or leg <= 0:
        return Detection(UNKNOWN, view.view, 0.0, view.confidence, "the legs were not found")
    ev: dict[str, float] = {"view_votes": view.confidence}
    test, conf, reason = _classify(pose, view, leg, ev)
    return Detection(test, view.view, round(conf, 3), view.confidence, reason, ev)


def _classify(pose: PoseSeries, view: ViewGuess, leg: float, ev: dict[str, float]) -> tuple[str, float, str]:
    period, strength = _gait(pose, view, leg)
    ev |= {"stride_period_s": period, "alternation": strength}
    if strength >= MIN_ALTERNATION and pose.duration >= 3 * period:
        if RUN_STRIDE_S[0] <= period < RUN_STRIDE_S[1]:
            return "running", strength, f"the feet alternate every {period:.2f} s (a running stride)"
        if WALK_STRIDE_S[0] <= period <= WALK_STRIDE_S[1]:
            return UNKNOWN, strength, f"the feet alternate every {period:.2f} s: walking, not a test"
    reps = find_reps(pose.times, pelvis_descent(pose, leg))
    ev["reps"] = float(len(reps))
    jump = _jumps(pose, leg, reps, ev)
    if jump is not None:
        return jump
    if view.view in ("left", "right"):
        split = _split_share(pose, leg)
        ev["split_stance"] = split
        if split >= 0.6 and _planted_lunges(pose, leg) >= 1:
            return (
                "knee_to_wall",
                min(1.0, split),
                "feet split front and back with the front shank tilting forward",
            )
    return _squats(pose, reps, leg, ev)


def _flights(pose: PoseSeries, leg: float) -> list[Phase]:
    """Short periods (0.1-1 s) with both feet off the floor while the hips rise above standing height.

    The floor is local (the lowest ankle level within 1.5 s either side) so a slowly drifting
    camera is not taken for a jump, and the hips must rise at least :data:`AIR_HEIGHT` above
    their median height so that a landmark glitch at the feet is not either.
    """
    lower = np.fmin(-pose.point("left_ankle")[:, 1], -pose.point("right_ankle")[:, 1])
    filled = _filled(pose.times, lower)
    if filled is None:
        return []
    half = int(1.5 * pose.fps)
    floor = np.array([np.percentile(filled[max(0, i - half) : i + half + 1], 5) for i in range(len(filled))])
    hips = -(pose.point("left_hip")[:, 1] + pose.point("right_hip")[:, 1]) / 2
    rise = (hips - np.nanmedian(hips)) / leg
    out = []
    for f in airborne_phases(pose.times, (lower - floor) / leg, threshold=AIR_HEIGHT, min_duration_s=0.1):
        sel = (pose.times >= f.start) & (pose.times <= f.end)
        if f.duration <= 1.0 and np.nanmax(rise[sel], initial=-np.inf) > AIR_HEIGHT:
            out.append(f)
    return out


def _jumps(
    pose: PoseSeries, leg: float, reps: list[Rep], ev: dict[str, float]
) -> tuple[str, float, str] | None:
    """Return a jump test when flights are followed by a landing dip of the hips, else None.

    Reps that are not landings (squats with an incidental hop between them) leave it to the squat rules.
    """
    flights = _flights(pose, leg)
    ev["jumps"] = float(len(flights))
    landing_dips = [r for r in reps if any(0.0 <= r.bottom - f.end <= 0.6 for f in flights)]
    if not flights or len(landing_dips) < len(reps) / 2:
        return None
    overhead = _arms_overhead(pose, flights)
    ev["arms_overhead"] = overhead
    if overhead > 0.5:
        return UNKNOWN, 0.7, "hops with the arms overhead (jumping jacks): not a test"
    height = _floor_heights(pose, leg)
    before = height[pose.times < flights[0].start]
    boxed = (
        bool(np.nanmedian(before) > 2 * AIR_HEIGHT) if np.isfinite(before).sum() > 0.3 * pose.fps else False
    )
    ev["box"] = float(boxed)
    if boxed:
        return "drop_jump", 0.9, "stands on something raised, drops to the floor and lands"
    return "drop_jump", 0.5, f"{len(flights)} jump(s) with both feet off the floor, no box seen"


def _squats(pose: PoseSeries, reps: list[Rep], leg: float, ev: dict[str, float]) -> tuple[str, float, str]:
    phases = [Phase(r.start, r.end) for r in reps]
    swing = _arms_overhead(pose, phases) if reps else 0.0
    ev["arms_overhead_in_reps"] = swing
    ev["wrist_swing"] = amplitude = _wrist_swing(pose, phases, leg)
    if ARM_SWING[0] < swing < ARM_SWING[1] and amplitude > ARM_SWING_RANGE:
        return UNKNOWN, 0.6, "the arms swing overhead with each dip (jumping jacks): not a test"
    if reps:
        single = [stance_of(pose, r, leg) in SIDES for r in reps]
        share = float(np.mean(single))
        ev["single_leg_share"] = share
        count = min(1.0, len(reps) / 3)
        if share >= 0.5:
            below = _free_foot_below(pose, reps, leg)
            ev["free_foot_below"] = below
            if below >= 0.5:
                return (
                    "step_down",
                    count * share,
                    "one-leg reps with the free foot reaching below the standing foot",
                )
            return "single_leg_squat", count * share, "reps on one leg with the other foot held up"
        return "double_leg_squat", count * (1 - share), f"{len(reps)} squat(s) on both feet"
    lifted = _one_foot_up(pose, leg)
    ev["one_foot_up"] = lifted
    if lifted >= 0.5:
        return "single_leg_squat", 0.3, "stands on one leg, but no squat reps were seen"
    return UNKNOWN, 0.0, "no running, jump, squat or lunge was recognised"


def _one_foot_up(pose: PoseSeries, leg: float) -> float:
    """Share of 1 s windows in which one ankle travels far more than the other (the other is planted)."""
    n = max(1, int(pose.fps))
    votes = []
    for a in range(0, len(pose) - n + 1, n):
        travel = []
        for s in SIDES:
            p = pose.point(f"{s}_ankle")[a : a + n]
            p = p[np.isfinite(p).all(axis=1)]
            travel.append(float(np.max(np.ptp(p, axis=0))) / leg if len(p) > 2 else np.nan)
        if np.isfinite(travel).all():
            votes.append(max(travel) > 0.1 and min(travel) < 0.4 * max(travel))
    return float(np.mean(votes)) if votes else 0.0
