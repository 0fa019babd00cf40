"""Double-leg squat: knee valgus and weight shift from the front; depth, heel, trunk and tibia from the side.

Reps come from the hip centre sinking; every value is taken at the deepest point of each rep and
averaged. Definitions, signs and sources: docs/measures.md (evidence: clinical-evidence.md
sections 1 and 3; Macrum 2012 links restricted dorsiflexion to squat valgus [W]).
"""

from __future__ import annotations

import numpy as np

from kinechain.kinematics.cycles import value_at, window
from kinechain.kinematics.frontal import frontal_kinematics
from kinechain.kinematics.reps import Rep
from kinechain.kinematics.sagittal import sagittal_kinematics
from kinechain.kinematics.scale import FRONTAL_VIEWS, leg_length
from kinechain.model.kinematics import Kinematics
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
from kinechain.protocols.confidence import Evidence
from kinechain.protocols.filming import film_advice, needs_view_reason
from kinechain.protocols.ranges import FPPA_RANGE, HEEL_LIFT_RANGE, SEPARATION_RANGE, ValidRange, fppa_values
from kinechain.protocols.repwork import (
    HEEL_LIFT_MIN,
    REP_RULE,
    REPS_TARGET,
    find_reps,
    heel_rise,
    pelvis_descent,
)
from kinechain.protocols.spec import EACH_LEG

TEST: TestKind = "double_leg_squat"
#: Hips beyond either ankle at depth is not a squat, % ankle width (clinical convention).
SHIFT_RANGE = ValidRange(-100.0, 100.0)
#: Weight shift is judged only when the ankles stand at least this far apart, leg lengths (convention).
MIN_STANCE_WIDTH = 0.1
#: A far leg is measured only if its knee and ankle are this visible at the reps (convention).
MIN_FAR_VISIBILITY = 0.5

MEASURES: dict[str, Spec] = {
    s.id.split(".")[1]: s
    for s in (
        Spec(
            f"{TEST}.fppa",
            "Knee frontal plane projection angle at the deepest point",
            "deg",
            FPPA_RANGE,
            sides=EACH_LEG,
            needs="front",
            confidence_rule=REP_RULE,
        ),
        Spec(
            f"{TEST}.knee_separation_ratio",
            "Knee-to-ankle separation ratio at the deepest point",
            "ratio",
            SEPARATION_RANGE,
            needs="front",
            confidence_rule=REP_RULE,
        ),
        Spec(
            f"{TEST}.weight_shift",
            "Sideways shift of the hips towards the left at depth",
            "% ankle width",
            SHIFT_RANGE,
            needs="front",
            confidence_rule=REP_RULE,
        ),
        Spec(
            f"{TEST}.depth",
            "Peak knee flexion (depth)",
            "deg",
            ValidRange(0.0, 160.0),
            needs="side",
            confidence_rule=REP_RULE,
        ),
        Spec(
            f"{TEST}.heel_lift",
            "Heel rise at the deepest point",
            "% leg length",
            HEEL_LIFT_RANGE,
            needs="side",
            confidence_rule=REP_RULE,
        ),
        Spec(
            f"{TEST}.trunk_tibia_difference",
            "Forward trunk lean minus tibia inclination at depth",
            "deg",
            ValidRange(-60.0, 60.0),
            needs="side",
            confidence_rule=REP_RULE,
        ),
        Spec(
            f"{TEST}.ankle_dorsiflexion",
            "Tibia inclination to vertical at depth (dorsiflexion)",
            "deg",
            ValidRange(-10.0, 60.0),
            sides=EACH_LEG,
            needs="side",
            confidence_rule=REP_RULE,
        ),
    )
}


class DoubleLegSquat:
    """Double-leg (bodyweight) squat, filmed from the front, back or side."""

    test = TEST
    measures: tuple[Spec, ...] = tuple(MEASURES.values())
    title = "Double-leg squat"
    views: tuple[View, ...] = ("front", "back", "left", "right")
    required_landmarks = tuple(
        f"{s}_{p}" for s in SIDES for p in ("shoulder", "hip", "knee", "ankle", "heel")
    )

    def analyse(self, pose: PoseSeries, *, view: View) -> tuple[Kinematics, MeasureSet]:
        """Find the reps and measure each at its deepest point (see docs/measures.md)."""
        check_view(self, view)
        leg = leg_length(pose, view)
        reps = find_reps(pose.times, pelvis_descent(pose, leg))
        frontal = view in FRONTAL_VIEWS
        kin = frontal_kinematics(pose) if frontal else sagittal_kinematics(pose)
        kin = kin.with_events([e for r in reps for e in r.events("both")])
        if not reps:
            reason = f"no squats were found; {film_advice(TEST, view)}"
            ms = [missing(s, side, reason, view) for s in MEASURES.values() for side in s.sides]
            return kin, MeasureSet(test=TEST, view=view, measures=ms, warnings=[reason])
        values = _frontal_values(kin, reps) if frontal else _side_values(pose, kin, reps, leg, view)
        if frontal:
            values |= _valid_fppa(pose, values, reps)
        geometry = frontal_geometry(pose) if frontal else side_geometry(pose)
        measures = []
        for key, spec in MEASURES.items():
            for side in spec.sides:
                if not spec.taken_from(view):
                    wanted = spec.needs
                    measures.append(missing(spec, side, needs_view_reason(TEST, wanted), view))
                    continue
                measures.append(_measure(pose, spec, key, side, values, reps, geometry, view))
        return kin, MeasureSet(test=TEST, view=view, measures=measures)


def _measure(
    pose: PoseSeries,
    spec: Spec,
    key: str,
    side: Side,
    values: dict[str, list[float] | str],
    reps: list[Rep],
    geometry: float,
    view: View,
) -> Measure:
    vals = values.get(f"{key}_{side}" if spec.sides == EACH_LEG else key)
    if isinstance(vals, str) or vals is None:
        return missing(spec, side, vals or "the landmarks needed were not found", view)
    vis = leg_visibility(pose, side, [r.bottom for r in reps])
    evidence = Evidence(vis, pose.fps, geometry)
    caution = "fewer than 3 reps" if len(reps) < REPS_TARGET else None
    category = None
    if key == "heel_lift":
        finite = [v for v in vals if np.isfinite(v)]
        category = ("lifted" if np.mean(finite) > 100 * HEEL_LIFT_MIN else "down") if finite else None
    return build(spec, side, vals, evidence, view, caution=caution, category=category)


def _frontal_values(kin: Kinematics, reps: list[Rep]) -> dict[str, list[float] | str]:
    t = kin.times
    left_dir = kin.meta.medial_direction["right"]  # image-x direction of the person's left
    leg = kin.meta.mean_leg_length_px()
    shift = []
    for r in reps:
        width = value_at(t, kin["ankle_width"], r.standing)
        moved = _pelvis_offset(kin, r.bottom) - _pelvis_offset(kin, r.standing)
        shift.append(100.0 * left_dir * moved / width if width > MIN_STANCE_WIDTH * leg else np.nan)
    out: dict[str, list[float] | str] = {
        f"fppa_{s}": [value_at(t, kin[f"fppa_{s}"], r.bottom) for r in reps] for s in SIDES
    }
    out["knee_separation_ratio"] = [value_at(t, kin["knee_ankle_ratio"], r.bottom) for r in reps]
    out["weight_shift"] = (
        shift
        if np.isfinite(shift).any()
        else "the feet are too close together to judge a shift; stand with the feet hip-width apart"
    )
    return out


def _valid_fppa(
    pose: PoseSeries, values: dict[str, list[float] | str], reps: list[Rep]
) -> dict[str, list[float] | str]:
    """FPPA per side with the reps taken outside its conditions left out (all out: the reason)."""
    out: dict[str, list[float] | str] = {}
    for s in SIDES:
        raw = values[f"fppa_{s}"]
        assert not isinstance(raw, str)
        kept, why = fppa_values(pose, raw, s, [(r.bottom, r.standing) for r in reps])
        out[f"fppa_{s}"] = why if why and not np.isfinite(kept).any() else kept
    return out


def _pelvis_offset(kin: Kinematics, when: float) -> float:
    """Image-x position of the hip centre relative to the midpoint of the ankles, pixels."""
    return value_at(kin.times, kin["pelvis_x"] - kin["ankle_mid_x"], when)


def _side_values(
    pose: PoseSeries, kin: Kinematics, reps: list[Rep], leg: float, view: View
) -> dict[str, list[float] | str]:
    t, near = kin.times, near_leg(view)
    far = other_side(near)
    rise = heel_rise(kin, near, leg)
    depth = []
    for r in reps:
        w = window(t, kin[f"knee_flexion_{near}"], r.start, r.end)
        depth.append(float(np.nanmax(w)) if np.isfinite(w).any() else np.nan)
    tibia = {s: [-value_at(t, kin[f"tibia_angle_{s}"], r.bottom) for r in reps] for s in SIDES}
    out: dict[str, list[float] | str] = {
        "depth": depth,
        "heel_lift": [value_at(t, rise, r.bottom) - value_at(t, rise, r.standing) for r in reps],
        "trunk_tibia_difference": [
            value_at(t, kin["trunk_lean"], r.bottom) - ti for r, ti in zip(reps, tibia[near], strict=True)
        ],
        f"ankle_dorsiflexion_{near}": tibia[near],
    }
    far_vis = mean_visibility(pose, [f"{far}_knee", f"{far}_ankle"], [r.bottom for r in reps])
    out[f"ankle_dorsiflexion_{far}"] = (
        tibia[far]
        if far_vis >= MIN_FAR_VISIBILITY
        else f"the {far} (far) leg is hidden at depth; film the squat from the {far} side to measure it"
    )
    return out


register(DoubleLegSquat())
