"""Knee-to-wall (weight-bearing lunge) test, side view: tibia angle at the furthest lunge with the heel down.

Each lunge is a rise and return of the front shank's forward inclination. Within a lunge, only
frames with the heel down (heel rise relative to the toes at most :data:`HEEL_LIFT_MIN`) count;
the tibia angle is the largest inclination among them. The toe-to-wall distance needs a scale
and the wall's position from the user. Definitions and sources: docs/measures.md
(clinical-evidence.md section 3: Bennell 1998, Hoch & McKeon 2011, Backman & Danielson 2011).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinechain.kinematics.cycles import value_at
from kinechain.kinematics.reps import Rep, segment_reps
from kinechain.kinematics.sagittal import sagittal_kinematics
from kinechain.kinematics.scale import leg_length
from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.measures import Measure, MeasureSet
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.vocab import Leg, TestKind, View
from kinechain.protocols.base import check_view, register
from kinechain.protocols.common import Spec, build, mean_visibility, missing, side_geometry
from kinechain.protocols.confidence import Evidence
from kinechain.protocols.filming import film_advice
from kinechain.protocols.ranges import HEEL_LIFT_RANGE, ValidRange
from kinechain.protocols.repwork import HEEL_LIFT_MIN, REP_RULE, REPS_TARGET, asymmetry, heel_rise
from kinechain.protocols.spec import EACH_LEG

TEST: TestKind = "knee_to_wall"
#: Smallest lunge counted: the front shank inclines at least this much further, degrees (convention).
MIN_LUNGE_DEG = 10.0
#: A leg is measured only if its knee, ankle, heel and toe are this visible at the lunges (convention).
MIN_VISIBILITY = 0.5

MEASURES: dict[str, Spec] = {
    s.id.split(".")[1]: s
    for s in (
        Spec(
            f"{TEST}.tibia_angle",
            "Tibia angle to vertical at the furthest lunge, heel down",
            "deg",
            ValidRange(0.0, 70.0),
            sides=EACH_LEG,
            needs="side",
            confidence_rule=REP_RULE,
        ),
        Spec(
            f"{TEST}.heel_lift",
            "Heel rise at the furthest lunge",
            "% leg length",
            HEEL_LIFT_RANGE,
            sides=EACH_LEG,
            needs="side",
            confidence_rule=REP_RULE,
        ),
        Spec(
            f"{TEST}.toe_to_wall_distance",
            "Toe-to-wall distance at the furthest lunge, heel down",
            "cm",
            ValidRange(-5.0, 25.0),
            sides=EACH_LEG,
            needs="side",
            confidence_rule=REP_RULE,
        ),
        Spec(
            f"{TEST}.asymmetry",
            "Tibia angle difference between the legs",
            "deg",
            ValidRange(0.0, 30.0),
            needs="side",
        ),
    )
}
LEG_POINTS = ("knee", "ankle", "heel", "foot_index")


@dataclass(frozen=True)
class Lunge:
    """One lunge of one leg: the rep, the furthest heel-down time and the furthest time overall (s)."""

    rep: Rep
    side: Leg
    heel_down_peak: float
    peak: float


class KneeToWall:
    """Knee-to-wall lunge, filmed from the side of the front foot."""

    test = TEST
    measures: tuple[Spec, ...] = tuple(MEASURES.values())
    title = "Knee-to-wall lunge"
    views: tuple[View, ...] = ("left", "right")
    required_landmarks = tuple(f"{s}_{p}" for s in SIDES for p in LEG_POINTS)

    def analyse(
        self,
        pose: PoseSeries,
        *,
        view: View,
        foot_length_cm: float | None = None,
        wall_x: float | None = None,
    ) -> tuple[Kinematics, MeasureSet]:
        """Find the lunges of each leg and measure the tibia angle with the heel down.

        Parameters
        ----------
        pose : PoseSeries
            Cleaned landmarks from a side view.
        view : str
            "left" or "right".
        foot_length_cm : float, optional
            The person's foot length (heel to longest toe), cm: gives the image scale.
        wall_x : float, optional
            The wall's image x position at floor level, pixels.
        """
        check_view(self, view)
        kin = sagittal_kinematics(pose)
        leg = leg_length(pose, view)
        lunges = find_lunges(kin, leg)
        kin = kin.with_events([Event("lunge_peak", x.side, x.heel_down_peak, -1) for x in lunges])
        measures: list[Measure] = []
        for side in SIDES:
            mine = [x for x in lunges if x.side == side]
            measures += _side_measures(pose, kin, mine, side, leg, view, (foot_length_cm, wall_x))
        tibia = {m.side: m for m in measures if m.id == MEASURES["tibia_angle"].id}
        measures.append(asymmetry(MEASURES["asymmetry"], tibia.get("left"), tibia.get("right"), view))
        warnings = [] if lunges else [f"no lunges were found; {film_advice(TEST, view)}"]
        return kin, MeasureSet(test=TEST, view=view, measures=measures, warnings=warnings)


def find_lunges(kin: Kinematics, leg: float) -> list[Lunge]:
    """Lunges of both legs: reps of each shank's forward inclination while that foot is in front."""
    t = kin.times
    out = []
    for side in SIDES:
        other = "right" if side == "left" else "left"
        incl = -kin[f"tibia_angle_{side}"]
        rise = heel_rise(kin, side, leg)
        for rep in segment_reps(t, incl, min_depth=MIN_LUNGE_DEG):
            ahead = value_at(t, kin[f"toe_forward_{side}"] - kin[f"toe_forward_{other}"], rep.bottom)
            if not ahead > 0:
                continue  # this foot is the back foot of the lunge
            base = value_at(t, rise, rep.standing)
            sel = (t >= rep.start) & (t <= rep.end) & np.isfinite(incl)
            down = sel & (rise - base <= 100 * HEEL_LIFT_MIN)
            best = t[down][np.argmax(incl[down])] if down.any() else np.nan
            out.append(Lunge(rep, side, float(best), float(t[sel][np.argmax(incl[sel])])))
    return sorted(out, key=lambda x: x.rep.bottom)


def _side_measures(
    pose: PoseSeries,
    kin: Kinematics,
    lunges: list[Lunge],
    side: Leg,
    leg: float,
    view: View,
    scale: tuple[float | None, float | None],
) -> list[Measure]:
    keys = ("tibia_angle", "heel_lift", "toe_to_wall_distance")
    if not lunges:
        reason = f"no lunges on the {side} foot were found; {film_advice(TEST, view)}"
        return [missing(MEASURES[k], side, reason, view) for k in keys]
    times = [x.peak for x in lunges]
    vis = mean_visibility(pose, [f"{side}_{p}" for p in LEG_POINTS], times)
    if vis < MIN_VISIBILITY:
        reason = f"the {side} leg is hidden at the lunges; film from the {side} side of the {side} foot"
        return [missing(MEASURES[k], side, reason, view) for k in keys]
    t = kin.times
    rise = heel_rise(kin, side, leg)
    evidence = Evidence(vis, pose.fps, side_geometry(pose))
    lifted = [value_at(t, rise, x.peak) - value_at(t, rise, x.rep.standing) for x in lunges]
    heel = build(
        MEASURES["heel_lift"],
        side,
        lifted,
        evidence,
        view,
        category="lifted" if np.nanmean(lifted) > 100 * HEEL_LIFT_MIN else "down",
    )
    tibia = build(
        MEASURES["tibia_angle"],
        side,
        [value_at(t, -kin[f"tibia_angle_{side}"], x.heel_down_peak) for x in lunges],
        evidence,
        view,
        caution="fewer than 3 lunges" if len(lunges) < REPS_TARGET else None,
        missing_reason="the heel lifted throughout every lunge; keep the heel down and move the foot closer",
    )
    return [tibia, heel, _toe_to_wall(pose, kin, lunges, side, evidence, view, scale)]


def _toe_to_wall(
    pose: PoseSeries,
    kin: Kinematics,
    lunges: list[Lunge],
    side: Leg,
    evidence: Evidence,
    view: View,
    scale: tuple[float | None, float | None],
) -> Measure:
    spec = MEASURES["toe_to_wall_distance"]
    foot_cm, wall_x = scale
    if foot_cm is None or wall_x is None:
        return missing(
            spec,
            side,
            "needs a scale: give the foot length in cm and the wall's position in the image "
            "(--option foot_length_cm=26 --option wall_x=812)",
            view,
        )
    foot = np.hypot(*(pose.point(f"{side}_foot_index") - pose.point(f"{side}_heel")).T)
    cm_per_px = foot_cm / float(np.nanmedian(foot))
    toe = pose.point(f"{side}_foot_index")[:, 0]
    dist = [abs(wall_x - value_at(kin.times, toe, x.heel_down_peak)) * cm_per_px for x in lunges]
    caution = (
        "the image scale comes from the heel and toe landmarks matched to the given foot length; "
        "their placement error carries into the distance"
    )
    return build(spec, side, dist, evidence, view, caution=caution)


register(KneeToWall())
