"""Running filmed from behind or in front: pelvic drop, hip adduction, FPPA, foot placement, trunk lean.

Every measure is taken at midstance of each step (the lowest point of the pelvis, with the
stance foot the lower one; :func:`kinechain.kinematics.frontal.midstance_events`), per stance
side, and averaged over the steps of that side. Definitions, signs and sources are in
docs/measures.md (evidence: clinical-evidence.md sections 1, 2, 4 and 5).
"""

from __future__ import annotations

import numpy as np

from kinechain.kinematics.frontal import frontal_kinematics, midstance_events
from kinechain.model.kinematics import Kinematics
from kinechain.model.measures import Measure, MeasureSet
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.vocab import Leg, TestKind, View
from kinechain.protocols.base import check_view, register
from kinechain.protocols.common import (
    LOW_CONFIDENCE_CAP,
    Spec,
    build,
    frontal_geometry,
    mean_visibility,
    missing,
    values_at,
)
from kinechain.protocols.confidence import Evidence
from kinechain.protocols.filming import needs_view_reason
from kinechain.protocols.ranges import FPPA_RANGE, PELVIC_DROP_RANGE, TRUNK_LATERAL_RANGE, ValidRange

# A measure averaged over a side's midstances: full confidence at STEPS_TARGET = 7 steps per side
# (Dingenen 2018, clinical-evidence.md section 2) [E reliability], as in the side view.
from kinechain.protocols.running_side import STEP_RULE
from kinechain.protocols.spec import EACH_LEG

#: Fewest midstances of a side for any measure of that side (convention).
MIN_STEPS = 3

MEASURES: dict[str, Spec] = {
    s.id: s
    for s in (
        Spec(
            "running.pelvic_drop",
            "Contralateral pelvic drop at midstance",
            "deg",
            PELVIC_DROP_RANGE,
            sides=EACH_LEG,
            needs="front",
            confidence_rule=STEP_RULE,
        ),
        Spec(
            "running.hip_adduction",
            "Hip adduction at midstance",
            "deg",
            ValidRange(-20.0, 30.0),
            sides=EACH_LEG,
            needs="front",
            confidence_rule=STEP_RULE,
        ),
        Spec(
            "running.fppa",
            "Knee frontal plane projection angle at midstance",
            "deg",
            FPPA_RANGE,
            sides=EACH_LEG,
            needs="front",
            confidence_rule=STEP_RULE,
        ),
        Spec(
            "running.step_width",
            "Stance foot distance from the body midline",
            "% leg length",
            ValidRange(-30.0, 40.0),
            sides=EACH_LEG,
            needs="front",
            confidence_rule=STEP_RULE,
        ),
        Spec(
            "running.crossover",
            "Steps landing on or across the body midline",
            "% of steps",
            ValidRange(0.0, 100.0),
            sides=EACH_LEG,
            needs="front",
            confidence_rule=STEP_RULE,
        ),
        Spec(
            "running.rearfoot_angle",
            "Rearfoot angle proxy at midstance",
            "deg",
            ValidRange(-30.0, 30.0),
            sides=EACH_LEG,
            needs="front",
            confidence_rule=STEP_RULE,
        ),
        Spec(
            "running.lateral_trunk_lean",
            "Lateral trunk lean towards the stance leg",
            "deg",
            TRUNK_LATERAL_RANGE,
            sides=EACH_LEG,
            needs="front",
            confidence_rule=STEP_RULE,
        ),
    )
}

#: Landmarks whose visibility sets each measure's confidence ("{s}": stance side).
POINTS: dict[str, tuple[str, ...]] = {
    "running.pelvic_drop": ("left_hip", "right_hip"),
    "running.hip_adduction": ("left_hip", "right_hip", "{s}_knee"),
    "running.fppa": ("{s}_hip", "{s}_knee", "{s}_ankle"),
    "running.step_width": ("left_hip", "right_hip", "{s}_ankle"),
    "running.crossover": ("left_hip", "right_hip", "{s}_ankle"),
    "running.rearfoot_angle": ("{s}_knee", "{s}_ankle", "{s}_heel"),
    "running.lateral_trunk_lean": ("left_hip", "right_hip", "left_shoulder", "right_shoulder"),
}

REARFOOT_CAUTION = (
    "a proxy from the heel point and ankle centre, not the calcaneus; 2D rearfoot angles are "
    "unreliable (clinical-evidence.md section 4): descriptive only"
)
CROSSOVER_CAUTION = (
    "the ankle centre is compared with the pelvis midline; a foot whose inner edge crosses the "
    "midline while its centre does not is not counted"
)


class RunningRear:
    """Running, filmed from directly behind or in front."""

    test: TestKind = "running"
    measures: tuple[Spec, ...] = tuple(MEASURES.values())
    title = "Running (rear or front view)"
    views: tuple[View, ...] = ("back", "front")
    required_landmarks = tuple(
        f"{s}_{p}" for s in SIDES for p in ("shoulder", "hip", "knee", "ankle", "heel")
    )

    def analyse(self, pose: PoseSeries, *, view: View) -> tuple[Kinematics, MeasureSet]:
        """Find midstances and compute every rear/front-view running measure (see docs/measures.md)."""
        check_view(self, view)
        kin = frontal_kinematics(pose)
        steps = midstance_events(kin)
        kin = kin.with_events(steps)
        geometry = frontal_geometry(pose)
        leg = kin.meta.mean_leg_length_px()
        measures: list[Measure] = []
        warnings: list[str] = []
        for side in SIDES:
            times = [e.time for e in steps if e.side == side]
            if len(times) < MIN_STEPS:
                reason = (
                    f"too few clear steps of the {side} foot were found ({len(times)}); "
                    "film at least 10 steps with the whole body in view"
                )
                measures += [missing(spec, side, reason, view) for spec in MEASURES.values()]
                warnings.append(f"{side} leg: {reason}")
                continue
            measures += _side_measures(pose, kin, side, times, leg, geometry, view)
        return kin, MeasureSet(test=self.test, view=view, measures=measures, warnings=warnings)


def _evidence(pose: PoseSeries, mid: str, side: Leg, times: list[float], geometry: float) -> Evidence:
    names = [p.format(s=side) for p in POINTS[mid]]
    return Evidence(mean_visibility(pose, names, times), pose.fps, geometry)


def _side_measures(
    pose: PoseSeries, kin: Kinematics, side: Leg, times: list[float], leg: float, geometry: float, view: View
) -> list[Measure]:
    t = kin.times
    at = {name: values_at(t, kin[f"{name}_{side}"], times) for name in _SIGNALS}
    offsets = [100.0 * v / leg for v in at["foot_offset"]]
    crossed = [100.0 if v <= 0 else 0.0 for v in offsets if np.isfinite(v)]
    out = [
        build(
            MEASURES["running.pelvic_drop"],
            side,
            at["pelvic_drop"],
            _evidence(pose, "running.pelvic_drop", side, times, geometry),
            view,
        ),
        build(
            MEASURES["running.hip_adduction"],
            side,
            at["hip_adduction"],
            _evidence(pose, "running.hip_adduction", side, times, geometry),
            view,
        ),
        build(
            MEASURES["running.fppa"],
            side,
            at["fppa"],
            _evidence(pose, "running.fppa", side, times, geometry),
            view,
        ),
        build(
            MEASURES["running.step_width"],
            side,
            offsets,
            _evidence(pose, "running.step_width", side, times, geometry),
            view,
        ),
        build(
            MEASURES["running.crossover"],
            side,
            crossed,
            _evidence(pose, "running.crossover", side, times, geometry),
            view,
            caution=CROSSOVER_CAUTION,
        ),
        _rearfoot(pose, side, times, at["rearfoot_angle"], geometry, view),
        build(
            MEASURES["running.lateral_trunk_lean"],
            side,
            at["trunk_lean_lateral"],
            _evidence(pose, "running.lateral_trunk_lean", side, times, geometry),
            view,
        ),
    ]
    return out


_SIGNALS = ("pelvic_drop", "hip_adduction", "fppa", "foot_offset", "rearfoot_angle", "trunk_lean_lateral")


def _rearfoot(
    pose: PoseSeries, side: Leg, times: list[float], values: list[float], geometry: float, view: View
) -> Measure:
    spec = MEASURES["running.rearfoot_angle"]
    if view != "back":
        return missing(spec, side, needs_view_reason("running", "back"), view)
    evidence = _evidence(pose, spec.id, side, times, geometry)
    return build(spec, side, values, evidence, view, caution=REARFOOT_CAUTION, cap=LOW_CONFIDENCE_CAP)


register(RunningRear())
