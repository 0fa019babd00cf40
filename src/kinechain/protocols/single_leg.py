"""The single-leg squat and the step-down share one analysis: reps on one leg, measured at depth.

From the front (or back): knee FPPA at the deepest point of each rep (Willson 2006 method,
valgus positive), knee medial displacement, contralateral pelvic drop and lateral trunk lean;
from the side: depth (peak knee flexion). Reps are found from the hip centre sinking, and the
standing leg from which foot stays planted. Definitions and sources: docs/measures.md.
"""

from __future__ import annotations

import numpy as np

from kinechain.kinematics.cycles import value_at, window
from kinechain.kinematics.frontal import frontal_kinematics
from kinechain.kinematics.sagittal import sagittal_kinematics
from kinechain.kinematics.scale import FRONTAL_VIEWS, leg_length
from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.measures import Measure, MeasureSet
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.vocab import Leg, TestKind, View
from kinechain.protocols.base import check_view
from kinechain.protocols.common import Spec, build, frontal_geometry, mean_visibility, missing, side_geometry
from kinechain.protocols.confidence import Evidence
from kinechain.protocols.filming import film_advice, needs_view_reason
from kinechain.protocols.ranges import (
    FPPA_RANGE,
    PELVIC_DROP_RANGE,
    TRUNK_LATERAL_RANGE,
    ValidRange,
    fppa_values,
)
from kinechain.protocols.repwork import (
    REP_RULE,
    REPS_TARGET,
    SideRep,
    asymmetry,
    find_reps,
    pelvis_descent,
    reps_measure,
    single_leg_reps,
)
from kinechain.protocols.spec import EACH_LEG

#: suffix -> (name, unit, valid range); ranges in docs/measures.md.
SUFFIXES: dict[str, tuple[str, str, ValidRange | None]] = {
    "reps": ("Reps on the standing leg", "reps", None),
    "fppa_peak": ("Knee frontal plane projection angle at the deepest point", "deg", FPPA_RANGE),
    "knee_medial_displacement": (
        "Knee medial displacement relative to the ankle",
        "% leg length",
        ValidRange(-30.0, 40.0),
    ),
    "pelvic_drop": ("Contralateral pelvic drop at the deepest point", "deg", PELVIC_DROP_RANGE),
    "lateral_trunk_lean": (
        "Lateral trunk lean towards the standing leg at the deepest point",
        "deg",
        TRUNK_LATERAL_RANGE,
    ),
    "depth": ("Peak knee flexion (depth)", "deg", ValidRange(0.0, 150.0)),
    "fppa_asymmetry": ("FPPA difference between the legs", "deg", ValidRange(0.0, 40.0)),
}
FRONTAL_ONLY = (
    "fppa_peak",
    "knee_medial_displacement",
    "pelvic_drop",
    "lateral_trunk_lean",
    "fppa_asymmetry",
)

#: Landmarks whose visibility sets each frontal measure's confidence ("{s}": standing leg).
POINTS: dict[str, tuple[str, ...]] = {
    "fppa_peak": ("{s}_hip", "{s}_knee", "{s}_ankle"),
    "knee_medial_displacement": ("{s}_hip", "{s}_knee", "{s}_ankle"),
    "pelvic_drop": ("left_hip", "right_hip"),
    "lateral_trunk_lean": ("left_hip", "right_hip", "left_shoulder", "right_shoulder"),
    "depth": ("{s}_hip", "{s}_knee", "{s}_ankle"),
}
BACK_CAUTION = "measured from behind; the method and its reference values film from the front"


def specs(test: str) -> dict[str, Spec]:
    """Return the measure specs of a single-leg test, keyed by suffix (ids ``<test>.<suffix>``).

    Every measure but the asymmetry is of the standing leg; those in :data:`FRONTAL_ONLY` need a
    front or back view, the depth a side view. Their confidence follows :data:`REP_RULE`, but for
    the asymmetry, whose confidence is the lower of its two legs'.
    """
    return {
        k: Spec(
            f"{test}.{k}",
            name,
            unit,
            valid,
            ("both",) if k == "fppa_asymmetry" else EACH_LEG,
            "front" if k in FRONTAL_ONLY else "any" if k == "reps" else "side",
            None if k == "fppa_asymmetry" else REP_RULE,
        )
        for k, (name, unit, valid) in SUFFIXES.items()
    }


class SingleLegTest:
    """A single-leg rep test (single-leg squat or step-down), filmed from the front, back or side."""

    views: tuple[View, ...] = ("front", "back", "left", "right")
    required_landmarks = tuple(f"{s}_{p}" for s in SIDES for p in ("shoulder", "hip", "knee", "ankle"))

    def __init__(self, test: TestKind, title: str) -> None:
        self.test = test
        self.title = title
        self.specs = specs(test)
        self.measures = tuple(self.specs.values())

    def analyse(self, pose: PoseSeries, *, view: View) -> tuple[Kinematics, MeasureSet]:
        """Find the reps and their standing leg, and measure each rep at its deepest point."""
        check_view(self, view)
        leg = leg_length(pose, view)
        reps = single_leg_reps(pose, find_reps(pose.times, pelvis_descent(pose, leg), min_relative=0.0), leg)
        frontal = view in FRONTAL_VIEWS
        kin = frontal_kinematics(pose) if frontal else sagittal_kinematics(pose)
        kin = kin.with_events(_rep_events(reps))
        measures: list[Measure] = []
        for side in SIDES:
            mine = [r for r in reps if r.stance == side]
            vis = mean_visibility(
                pose, [f"{side}_{p}" for p in ("hip", "knee", "ankle")], [r.rep.bottom for r in mine]
            )
            measures.append(reps_measure(self.specs["reps"], side, reps, vis, view))
            measures += self._side_measures(pose, kin, mine, side, leg, view)
        by_side = {m.side: m for m in measures if m.id == self.specs["fppa_peak"].id}
        if frontal:
            measures.append(
                asymmetry(self.specs["fppa_asymmetry"], by_side.get("left"), by_side.get("right"), view)
            )
        else:
            measures.append(
                missing(self.specs["fppa_asymmetry"], "both", needs_view_reason(self.test, "front"), view)
            )
        warnings = [] if reps else [f"no single-leg reps were found; {film_advice(self.test, view)}"]
        return kin, MeasureSet(test=self.test, view=view, measures=measures, warnings=warnings)

    def _side_measures(
        self, pose: PoseSeries, kin: Kinematics, reps: list[SideRep], side: Leg, leg: float, view: View
    ) -> list[Measure]:
        keys = [k for k in SUFFIXES if k not in ("reps", "fppa_asymmetry")]
        if not reps:
            reason = f"no reps on the {side} leg were found; {film_advice(self.test, view)}"
            return [missing(self.specs[k], side, reason, view) for k in keys]
        frontal = view in FRONTAL_VIEWS
        values = _frontal_values(kin, reps, side, leg) if frontal else _side_values(kin, reps, side)
        refused = None
        if frontal:
            spans = [(r.rep.bottom, r.rep.standing) for r in reps]
            values["fppa_peak"], refused = fppa_values(pose, values["fppa_peak"], side, spans)
        geometry = frontal_geometry(pose) if frontal else side_geometry(pose)
        bottoms = [r.rep.bottom for r in reps]
        out = []
        for k in keys:
            if not self.specs[k].taken_from(view):
                out.append(
                    missing(self.specs[k], side, needs_view_reason(self.test, self.specs[k].needs), view)
                )
                continue
            names = [p.format(s=side) for p in POINTS[k]]
            evidence = Evidence(mean_visibility(pose, names, bottoms), pose.fps, geometry)
            caution = _caution(len(reps), view)
            if k == "fppa_peak" and refused:
                caution = "; ".join(c for c in (caution, f"some reps left out: {refused}") if c)
            why = (
                refused if k == "fppa_peak" else None
            ) or "the landmarks needed were not found at these reps"
            out.append(
                build(self.specs[k], side, values[k], evidence, view, caution=caution, missing_reason=why)
            )
        return out


def _caution(n: int, view: View) -> str | None:
    notes = []
    if n < REPS_TARGET:
        notes.append("fewer than 3 reps: the method averages 3 reps")
    if view == "back":
        notes.append(BACK_CAUTION)
    return "; ".join(notes) or None


def _frontal_values(kin: Kinematics, reps: list[SideRep], side: Leg, leg: float) -> dict[str, list[float]]:
    t = kin.times

    def at(name: str, when: float) -> float:
        return value_at(t, kin[f"{name}_{side}"], when)

    return {
        "fppa_peak": [at("fppa", r.rep.bottom) for r in reps],
        "knee_medial_displacement": [
            100.0 * (at("knee_medial_offset", r.rep.bottom) - at("knee_medial_offset", r.rep.standing)) / leg
            for r in reps
        ],
        "pelvic_drop": [at("pelvic_drop", r.rep.bottom) for r in reps],
        "lateral_trunk_lean": [at("trunk_lean_lateral", r.rep.bottom) for r in reps],
    }


def _side_values(kin: Kinematics, reps: list[SideRep], side: Leg) -> dict[str, list[float]]:
    t = kin.times
    depth = []
    for r in reps:
        w = window(t, kin[f"knee_flexion_{side}"], r.rep.start, r.rep.end)
        depth.append(float(np.nanmax(w)) if np.isfinite(w).any() else float("nan"))
    return {"depth": depth}


def _rep_events(reps: list[SideRep]) -> list[Event]:
    return [e for r in reps for e in r.rep.events(r.stance)]
