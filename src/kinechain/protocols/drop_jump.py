"""Drop vertical jump: knee valgus at landing from the front, knee flexion at landing from the side.

Landings are found from the lower ankle coming down to the floor (the lowest level the feet
reach in the clip) after being off it (on the box, or in the air). A drop jump's landing is the
one followed by a take-off within :data:`MAX_CONTACT_S` (the jump); when no landing is followed
by a jump, every landing is used (a drop landing). Peak flexion is the deepest point before the
take-off. Definitions, signs and sources: docs/measures.md (clinical-evidence.md section 1:
Herrington & Munro 2010 drop-jump FPPA reference values; Munro 2012 reliability).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinechain.kinematics.cycles import value_at
from kinechain.kinematics.frontal import frontal_kinematics
from kinechain.kinematics.reps import contacts, peak_after
from kinechain.kinematics.sagittal import sagittal_kinematics
from kinechain.kinematics.scale import FRONTAL_VIEWS, leg_length
from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.measures import Measure, MeasureSet
from kinechain.model.pose import SIDES, PoseSeries, other_side
from kinechain.model.vocab import Side, TestKind, View, near_leg
from kinechain.protocols.base import check_view, register
from kinechain.protocols.common import (
    Spec,
    build,
    frontal_geometry,
    leg_visibility,
    mean_visibility,
    missing,
    side_geometry,
)
from kinechain.protocols.confidence import ConfidenceRule, Evidence
from kinechain.protocols.filming import film_advice, needs_view_reason
from kinechain.protocols.ranges import FPPA_RANGE, SEPARATION_RANGE, ValidRange
from kinechain.protocols.repwork import pelvis_descent
from kinechain.protocols.spec import EACH_LEG

TEST: TestKind = "drop_jump"
#: Jumps averaged for full confidence: the FPPA method averages 3 trials (Willson 2006; Munro
#: 2012), clinical-evidence.md section 1.
JUMPS_TARGET = 3
#: Frame rate for full confidence in values at the instant of landing (issue 4 capture advice).
TIMING_FPS = 60.0
#: Confidence rule of a measure averaged over landings.
JUMP_RULE = ConfidenceRule(JUMPS_TARGET)
#: Confidence rule of a measure taken at the instant of landing (timing-sensitive).
LANDING_RULE = ConfidenceRule(JUMPS_TARGET, TIMING_FPS)
#: A foot is on the floor when its ankle is within this share of leg length of the floor level
#: (about 4 cm; convention).
CONTACT_TOL = 0.05
#: Longest ground contact between a landing and the jump that follows, seconds (convention).
MAX_CONTACT_S = 1.0
#: Peak flexion is looked for at most this long after landing, seconds (convention).
PEAK_WITHIN_S = 0.6
#: A far leg is measured from the side only if its knee and ankle are this visible (convention).
MIN_FAR_VISIBILITY = 0.5

MEASURES: dict[str, Spec] = {
    s.id.split(".")[1]: s
    for s in (
        Spec(
            f"{TEST}.fppa_landing",
            "Knee FPPA at initial contact",
            "deg",
            FPPA_RANGE,
            sides=EACH_LEG,
            needs="front",
            confidence_rule=LANDING_RULE,
        ),
        Spec(
            f"{TEST}.fppa_peak",
            "Knee FPPA at the deepest point of the landing",
            "deg",
            FPPA_RANGE,
            sides=EACH_LEG,
            needs="front",
            confidence_rule=JUMP_RULE,
        ),
        Spec(
            f"{TEST}.knee_separation_ratio",
            "Knee-to-ankle separation ratio at the deepest point",
            "ratio",
            SEPARATION_RANGE,
            needs="front",
            confidence_rule=JUMP_RULE,
        ),
        Spec(
            f"{TEST}.knee_flexion_landing",
            "Knee flexion at initial contact",
            "deg",
            ValidRange(-10.0, 90.0),
            sides=EACH_LEG,
            needs="side",
            confidence_rule=LANDING_RULE,
        ),
        Spec(
            f"{TEST}.knee_flexion_range",
            "Knee flexion from initial contact to its peak",
            "deg",
            ValidRange(0.0, 150.0),
            sides=EACH_LEG,
            needs="side",
            confidence_rule=LANDING_RULE,
        ),
        Spec(
            f"{TEST}.landing_symmetry",
            "Time between the two feet touching down",
            "ms",
            ValidRange(0.0, 250.0),
            needs="front",
            confidence_rule=LANDING_RULE,
        ),
    )
}


@dataclass(frozen=True)
class Landing:
    """One landing: initial contact, deepest point, and each foot's own touchdown (s; NaN if unseen)."""

    contact: float
    peak: float
    left: float
    right: float


class DropJump:
    """Drop vertical jump (or drop landing), filmed from the front, back or side."""

    test = TEST
    measures: tuple[Spec, ...] = tuple(MEASURES.values())
    title = "Drop jump"
    views: tuple[View, ...] = ("front", "back", "left", "right")
    required_landmarks = tuple(f"{s}_{p}" for s in SIDES for p in ("hip", "knee", "ankle"))

    def analyse(self, pose: PoseSeries, *, view: View) -> tuple[Kinematics, MeasureSet]:
        """Find the landings and measure each at initial contact and at its deepest point."""
        check_view(self, view)
        frontal = view in FRONTAL_VIEWS
        kin = frontal_kinematics(pose) if frontal else sagittal_kinematics(pose)
        leg = leg_length(pose, view)
        depth = pelvis_descent(pose, leg) if frontal else kin[f"knee_flexion_{view}"]
        landings = find_landings(pose, depth, leg)
        kin = kin.with_events(_events(landings))
        if not landings:
            reason = f"no landing was found; {film_advice(TEST, view)}"
            ms = [missing(s, side, reason, view) for s in MEASURES.values() for side in s.sides]
            return kin, MeasureSet(test=TEST, view=view, measures=ms, warnings=[reason])
        values = _frontal_values(kin, landings) if frontal else _side_values(pose, kin, landings, view)
        geometry = frontal_geometry(pose) if frontal else side_geometry(pose)
        measures = []
        for key, spec in MEASURES.items():
            for side in spec.sides:
                if not spec.taken_from(view):
                    wanted = spec.needs
                    measures.append(missing(spec, side, needs_view_reason(TEST, wanted), view))
                else:
                    measures.append(_measure(pose, spec, key, side, values, landings, geometry, view))
        return kin, MeasureSet(test=TEST, view=view, measures=measures)


def foot_heights(pose: PoseSeries, leg: float) -> dict[str, np.ndarray]:
    """Each ankle's height above the floor (the lowest level the ankles reach), in leg lengths."""
    heights = {s: -pose.point(f"{s}_ankle")[:, 1] for s in SIDES}
    lower = np.fmin(heights["left"], heights["right"])
    finite = lower[np.isfinite(lower)]
    floor = float(np.percentile(finite, 2)) if finite.size else np.nan
    out: dict[str, np.ndarray] = {s: (h - floor) / leg for s, h in heights.items()}
    out["lower"] = (lower - floor) / leg
    return out


def find_landings(pose: PoseSeries, depth: np.ndarray, leg: float) -> list[Landing]:
    """Landings of the clip: drop-jump landings (followed by a jump) if any, else every landing.

    ``depth`` is the signal whose maximum after contact marks the deepest point (pelvis descent
    from the front, knee flexion from the side).
    """
    if not np.isfinite(leg):
        return []
    feet = foot_heights(pose, leg)
    t = pose.times
    offs, downs = contacts(t, feet["lower"], threshold=CONTACT_TOL)
    nxt = {d: next((o for o in offs if o > d), np.inf) for d in downs}
    jumped = [d for d in downs if nxt[d] - d <= MAX_CONTACT_S]
    landings = []
    for d in jumped or downs:
        within = min(PEAK_WITHIN_S, nxt[d] - d)
        peak = peak_after(t, depth, d, within)
        each = {s: _foot_touchdown(t, feet[s], d) for s in SIDES}
        landings.append(Landing(d, peak[0] if peak else np.nan, each["left"], each["right"]))
    return landings


def _foot_touchdown(times: np.ndarray, height: np.ndarray, near: float) -> float:
    """Return one foot's touchdown closest to ``near`` (within 0.25 s), seconds; NaN if none."""
    _, downs = contacts(times, height, threshold=CONTACT_TOL)
    close = [d for d in downs if abs(d - near) <= 0.25]
    return min(close, key=lambda d: abs(d - near)) if close else float("nan")


def _frontal_values(kin: Kinematics, landings: list[Landing]) -> dict[str, list[float] | str]:
    t = kin.times
    out: dict[str, list[float] | str] = {}
    for s in SIDES:
        out[f"fppa_landing_{s}"] = [value_at(t, kin[f"fppa_{s}"], x.contact) for x in landings]
        out[f"fppa_peak_{s}"] = [value_at(t, kin[f"fppa_{s}"], x.peak) for x in landings]
    out["knee_separation_ratio"] = [value_at(t, kin["knee_ankle_ratio"], x.peak) for x in landings]
    out["landing_symmetry"] = [1000.0 * abs(x.left - x.right) for x in landings]
    return out


def _side_values(
    pose: PoseSeries, kin: Kinematics, landings: list[Landing], view: View
) -> dict[str, list[float] | str]:
    t = kin.times
    out: dict[str, list[float] | str] = {}
    far = other_side(near_leg(view))
    far_vis = mean_visibility(pose, [f"{far}_knee", f"{far}_ankle"], [x.contact for x in landings])
    for s in SIDES:
        if s == far and far_vis < MIN_FAR_VISIBILITY:
            hidden = (
                f"the {far} (far) leg is hidden at landing; film the jump from the {far} side to measure it"
            )
            out[f"knee_flexion_landing_{s}"] = out[f"knee_flexion_range_{s}"] = hidden
            continue
        knee = kin[f"knee_flexion_{s}"]
        at_contact = [value_at(t, knee, x.contact) for x in landings]
        at_peak = [value_at(t, knee, x.peak) for x in landings]
        out[f"knee_flexion_landing_{s}"] = at_contact
        out[f"knee_flexion_range_{s}"] = [b - a for a, b in zip(at_contact, at_peak, strict=True)]
    return out


def _measure(
    pose: PoseSeries,
    spec: Spec,
    key: str,
    side: Side,
    values: dict[str, list[float] | str],
    landings: list[Landing],
    geometry: float,
    view: View,
) -> Measure:
    vals = values.get(f"{key}_{side}" if spec.sides == EACH_LEG else key)
    if isinstance(vals, str) or vals is None:
        return missing(spec, side, vals or "the landmarks needed were not found", view)
    vis = leg_visibility(pose, side, [x.contact for x in landings])
    notes = []
    if len(landings) < JUMPS_TARGET:
        notes.append("fewer than 3 jumps: the method averages 3")
    rule = spec.confidence_rule
    if rule is not None and pose.fps < rule.fps_target:
        notes.append(
            f"filmed at {pose.fps:.0f} fps: the instant of landing is known to +/- one frame; film at 60 fps"
        )
    return build(spec, side, vals, Evidence(vis, pose.fps, geometry), view, caution="; ".join(notes) or None)


def _events(landings: list[Landing]) -> list[Event]:
    out = []
    for x in landings:
        out.append(Event("landing", "both", x.contact, -1))
        if np.isfinite(x.peak):
            out.append(Event("landing_peak", "both", x.peak, -1))
    return out


register(DropJump())
