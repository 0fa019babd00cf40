"""Running filmed from the side (treadmill or overground): events, cadence, contact, overstride.

Measure definitions and their sources are in docs/measures.md (evidence: clinical-evidence.md
section 5). The near leg is the one facing the camera; the far leg is measured only where it is
visible often enough, and otherwise reported as not measurable with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kinechain.kinematics.cycles import finite_mean, regular_strides, value_at, window
from kinechain.kinematics.events import gait_events, pair_stances
from kinechain.kinematics.sagittal import sagittal_kinematics
from kinechain.kinematics.view import width_ratio
from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.measures import Measure, MeasureSet, Side
from kinechain.model.pose import SIDES, PoseSeries, other_side
from kinechain.model.vocab import Leg, TestKind, View, near_leg
from kinechain.protocols.base import check_view, register
from kinechain.protocols.calibration import CALIBRATION, calibrated_confidence, expected_error
from kinechain.protocols.confidence import ConfidenceRule, Evidence
from kinechain.protocols.ranges import ValidRange, limit
from kinechain.protocols.spec import EACH_LEG, Spec

#: Steps averaged per side for full confidence: Dingenen 2018 averaged at least 7 steps per side
#: (clinical-evidence.md section 2) [E reliability]. Also the rear view's (running_rear).
STEPS_TARGET = 7
#: Frame rate for full confidence in contact timing (issue 4 capture advice: 60 fps or more).
TIMING_FPS = 60.0
#: Confidence rule of a measure averaged over one leg's steps or the near leg's strides (not
#: timing-sensitive; the rear view's midstance measures use it too).
STEP_RULE = ConfidenceRule(STEPS_TARGET)
#: Confidence rule of a measure timed to initial contact or toe-off (timing-sensitive).
TIMED_STEP_RULE = ConfidenceRule(STEPS_TARGET, TIMING_FPS)
#: Confidence rule of the cadence, averaged over the strides of both legs.
CADENCE_RULE = ConfidenceRule(2 * STEPS_TARGET)
#: A leg is measured only if its points are visible (>= 0.5) in this share of stance frames
#: (convention).
MIN_VISIBLE_SHARE = 0.6
#: The far leg is refused when its median contact time differs from the near leg's by more than
#: this fraction (clinical convention: contact-time asymmetry in running is typically a few %).
MAX_CONTACT_MISMATCH = 0.20
#: Foot-strike angle bands, degrees (Altman & Davis 2012 Gait Posture 35:298; not in
#: clinical-evidence.md, so marked [U] in docs/measures.md).
RFS_MIN_DEG, FFS_MAX_DEG = 8.0, -1.6
LEG_POINTS = ("knee", "ankle", "heel", "foot_index")
#: Per-leg measures that real clips marked by eye (docs/validation-results.md) showed accurate
#: on the far leg. None yet: the far foot's contacts were found (within 0.3 frames) but its
#: toe-off was 1.6-1.9 frames early (contact time 22-25% short, the foot hidden behind the near
#: leg and the treadmill), and no clip has by-eye angles of the far leg.
FAR_LEG_VALIDATED: frozenset[str] = frozenset()
FAR_LEG_REASON = (
    "the {side} (far) leg is partly hidden behind the near leg in this view, and on real clips "
    "marked by eye its toe-off and contact time were not accurate (docs/validation-results.md); "
    "film the runner's {side} side to measure it"
)

#: Every side-view running measure, by id; valid ranges in docs/measures.md.
MEASURES: dict[str, Spec] = {
    s.id: s
    for s in (
        Spec(
            "running.cadence",
            "Cadence",
            "steps/min",
            ValidRange(100.0, 240.0, "running cadence (clinical convention)"),
            needs="side",
            confidence_rule=CADENCE_RULE,
        ),
        Spec(
            "running.contact_time",
            "Ground contact time",
            "ms",
            ValidRange(100.0, 600.0),
            EACH_LEG,
            "side",
            confidence_rule=TIMED_STEP_RULE,
        ),
        Spec(
            "running.knee_flexion_ic",
            "Knee flexion at initial contact",
            "deg",
            ValidRange(-10.0, 60.0),
            EACH_LEG,
            "side",
            confidence_rule=TIMED_STEP_RULE,
        ),
        Spec(
            "running.knee_flexion_peak_stance",
            "Peak knee flexion in stance",
            "deg",
            ValidRange(0.0, 90.0),
            EACH_LEG,
            "side",
            confidence_rule=STEP_RULE,
        ),
        Spec(
            "running.tibia_angle_ic",
            "Tibia angle to vertical at initial contact",
            "deg",
            ValidRange(-30.0, 40.0),
            EACH_LEG,
            "side",
            confidence_rule=TIMED_STEP_RULE,
        ),
        Spec(
            "running.heel_to_hip_ic",
            "Heel ahead of hip at initial contact",
            "% leg length",
            ValidRange(-40.0, 80.0),
            EACH_LEG,
            "side",
            confidence_rule=TIMED_STEP_RULE,
        ),
        Spec(
            "running.foot_strike_angle",
            "Foot-strike angle",
            "deg",
            ValidRange(-30.0, 45.0),
            EACH_LEG,
            "side",
            confidence_rule=TIMED_STEP_RULE,
        ),
        Spec(
            "running.trunk_lean",
            "Forward trunk lean",
            "deg",
            ValidRange(-20.0, 45.0),
            needs="side",
            confidence_rule=STEP_RULE,
        ),
        Spec(
            "running.vertical_oscillation",
            "Vertical oscillation of the hips",
            "% leg length",
            ValidRange(0.0, 30.0),
            needs="side",
            confidence_rule=STEP_RULE,
        ),
    )
}


@dataclass(frozen=True)
class SideData:
    """One leg's usable cycles, or the reason it has none."""

    side: Leg
    stances: list[tuple[Event, Event]]
    strides: list[tuple[Event, Event]]
    visibility: float
    reason: str | None = None


def _visible_share(pose: PoseSeries, side: Leg, stances: list[tuple[Event, Event]]) -> float:
    idx = [
        pose.times.searchsorted(t) for fs, to in stances for t in np.arange(fs.time, to.time, 1 / pose.fps)
    ]
    idx = np.clip(np.array(idx, dtype=int), 0, len(pose) - 1)
    if idx.size == 0:
        return 0.0
    vis = np.stack([pose.vis(f"{side}_{p}")[idx] for p in LEG_POINTS], axis=1)
    return float((vis >= 0.5).all(axis=1).mean())


def _mean_visibility(pose: PoseSeries, side: Leg, strikes: list[Event]) -> float:
    if not strikes:
        return 0.0
    frames = [e.frame for e in strikes]
    return float(np.mean([pose.vis(f"{side}_{p}")[frames].mean() for p in LEG_POINTS]))


def _regular_stances(stances: list[tuple[Event, Event]]) -> list[tuple[Event, Event]]:
    """Drop stances whose contact time is outside 0.6-1.4 x the median (a missed or spurious event)."""
    if not stances:
        return []
    contact = np.array([to.time - fs.time for fs, to in stances])
    med = float(np.median(contact))
    return [s for s, c in zip(stances, contact, strict=True) if 0.6 * med <= c <= 1.4 * med]


def _side_data(pose: PoseSeries, kin: Kinematics, side: Leg, near: bool) -> SideData:
    strikes = kin.events_of("foot_strike", side)
    stances = _regular_stances(pair_stances(strikes, kin.events_of("toe_off", side)))
    strides = regular_strides(strikes)
    vis = _mean_visibility(pose, side, strikes)
    where = "near" if near else "far"
    if len(stances) < 3 or len(strides) < 2:
        reason = (
            f"too few clear steps of the {side} ({where}) foot were found ({len(stances)}); "
            "film at least 10 steps with the whole leg in view"
        )
        return SideData(side, [], [], vis, reason)
    share = _visible_share(pose, side, stances)
    if share < MIN_VISIBLE_SHARE:
        reason = (
            f"the {side} ({where}) leg is hidden in {100 * (1 - share):.0f}% of stance frames; "
            f"film the runner's {side} side to measure it"
        )
        return SideData(side, [], [], vis, reason)
    return SideData(side, stances, strides, vis)


def _geometry(pose: PoseSeries) -> float:
    """1 for a square-on side view, falling as the shoulders open up toward the camera."""
    r = width_ratio(pose)
    return float(np.clip(1.0 - (r - 0.2) / 0.3, 0.3, 1.0)) if np.isfinite(r) else 0.5


class RunningSide:
    """Running, filmed from the left or right side."""

    test: TestKind = "running"
    title = "Running (side view)"
    measures: tuple[Spec, ...] = tuple(MEASURES.values())
    views: tuple[View, ...] = ("left", "right")
    required_landmarks = tuple(
        f"{s}_{p}" for s in SIDES for p in ("hip", "knee", "ankle", "heel", "foot_index")
    )

    def analyse(self, pose: PoseSeries, *, view: View) -> tuple[Kinematics, MeasureSet]:
        """Detect steps and compute every side-view running measure (see docs/measures.md)."""
        check_view(self, view)
        kin = sagittal_kinematics(pose)
        kin = kin.with_events(gait_events(kin))
        geometry = _geometry(pose)
        near = near_leg(view)
        sides = {s: _side_data(pose, kin, s, near=(s == near)) for s in SIDES}
        sides[other_side(near)] = _check_far_against_near(sides[other_side(near)], sides[near])
        leg = _leg_length(kin, view)
        measures = [_cadence(sides, pose.fps, geometry, view)]
        measures += _side_measures(kin, sides[near], leg, pose.fps, geometry, view)
        far = _side_measures(kin, sides[other_side(near)], leg, pose.fps, geometry, view)
        measures += _far_leg(far, view)
        measures += _body_measures(kin, sides[near], leg, pose.fps, geometry, view)
        kin = kin.with_events(_used_events(sides)) if any(d.stances for d in sides.values()) else kin
        warnings = [f"{d.side} leg: {d.reason}" for d in sides.values() if d.reason]
        if not sides[other_side(near)].reason:
            warnings.append(f"{other_side(near)} leg: " + FAR_LEG_REASON.format(side=other_side(near)))
        return kin, MeasureSet(test=self.test, view=view, measures=measures, warnings=warnings)


def _far_leg(measures: list[Measure], view: View) -> list[Measure]:
    """Keep only the far-leg measures the validation set shows accurate (:data:`FAR_LEG_VALIDATED`)."""
    return [
        m
        if not m.measurable or m.id in FAR_LEG_VALIDATED
        else _missing(m.id, m.side, FAR_LEG_REASON.format(side=m.side), view)
        for m in measures
    ]


def _median_contact(d: SideData) -> float:
    return float(np.median([to.time - fs.time for fs, to in d.stances]))


def _check_far_against_near(far: SideData, near: SideData) -> SideData:
    """Refuse the far leg when its contact time disagrees with the near leg's by more than 20%.

    Both feet of a runner spend nearly the same time on the ground; a large difference means the
    far leg's events come from a partly hidden leg (clinical convention, see docs/measures.md).
    """
    if far.reason or near.reason:
        return far
    ratio = _median_contact(far) / _median_contact(near)
    if abs(ratio - 1.0) <= MAX_CONTACT_MISMATCH:
        return far
    reason = (
        f"the {far.side} (far) leg's ground contacts ({1000 * _median_contact(far):.0f} ms) disagree with "
        f"the {near.side} leg's ({1000 * _median_contact(near):.0f} ms), which happens when it is partly "
        f"hidden; film the runner's {far.side} side to measure it"
    )
    return SideData(far.side, [], [], far.visibility, reason)


def _used_events(sides: dict[Leg, SideData]) -> list[Event]:
    return [e for d in sides.values() for pair in d.stances for e in pair]


def _leg_length(kin: Kinematics, view: View) -> float:
    near = kin.meta.leg_length_px.get(near_leg(view), np.nan)
    return float(near if np.isfinite(near) else kin.meta.mean_leg_length_px())


def _build(
    mid: str,
    side: Side,
    values: list[float],
    evidence: Evidence,
    view: View,
    reason: str | None = None,
    category: str | None = None,
) -> Measure:
    spec = MEASURES[mid]
    if not any(np.isfinite(v) for v in values):
        return Measure.not_measurable(
            id=mid,
            name=spec.name,
            unit=spec.unit,
            side=side,
            view=view,
            reason=reason or "the landmarks needed were not found at these steps",
        )
    measure = Measure.from_cycles(
        id=mid,
        name=spec.name,
        unit=spec.unit,
        side=side,
        values=values,
        confidence=spec.confidence(evidence, len(values)),  # every cycle counts, found or not
        view=view,
        category=category,
    )
    return limit(measure, spec.valid)


def _missing(mid: str, side: Side, reason: str, view: View) -> Measure:
    spec = MEASURES[mid]
    return Measure.not_measurable(id=mid, name=spec.name, unit=spec.unit, side=side, reason=reason, view=view)


def _cadence(sides: dict[Leg, SideData], fps: float, geometry: float, view: View) -> Measure:
    usable = [d for d in sides.values() if d.strides]
    if not usable:
        reason = "; ".join(d.reason or "" for d in sides.values())
        return _missing("running.cadence", "both", reason, view)
    values = [120.0 / (b.time - a.time) for d in usable for a, b in d.strides]
    vis = float(np.mean([d.visibility for d in usable]))
    return _build("running.cadence", "both", values, Evidence(vis, fps, geometry), view)


def _strike_pattern(angle: float) -> str:
    if angle > RFS_MIN_DEG:
        return "rearfoot"
    return "forefoot" if angle < FFS_MAX_DEG else "midfoot"


def _side_measures(
    kin: Kinematics, d: SideData, leg: float, fps: float, geometry: float, view: View
) -> list[Measure]:
    side: Side = "left" if d.side == "left" else "right"
    ids = [m for m, spec in MEASURES.items() if spec.sides == EACH_LEG]
    if d.reason:
        return [_missing(m, side, d.reason, view) for m in ids]
    t, s = kin.times, d.side
    fs_times = [fs.time for fs, _ in d.stances]
    at_ic = {
        name: [value_at(t, kin[f"{name}_{s}"], x) for x in fs_times]
        for name in ("knee_flexion", "tibia_angle", "heel_forward", "foot_angle")
    }
    peak_knee = [
        float(np.nanmax(w))
        if np.isfinite(w := window(t, kin[f"knee_flexion_{s}"], a.time, b.time)).any()
        else np.nan
        for a, b in d.stances
    ]
    fsa = [ic - _flat_foot(kin, s, a, b) for ic, (a, b) in zip(at_ic["foot_angle"], d.stances, strict=True)]
    evidence = Evidence(d.visibility, fps, geometry)
    mean_fsa = finite_mean(fsa)
    measures = [
        _build(
            "running.contact_time", side, [1000 * (b.time - a.time) for a, b in d.stances], evidence, view
        ),
        _build("running.knee_flexion_ic", side, at_ic["knee_flexion"], evidence, view),
        _build("running.knee_flexion_peak_stance", side, peak_knee, evidence, view),
        _build("running.tibia_angle_ic", side, at_ic["tibia_angle"], evidence, view),
        _build(
            "running.heel_to_hip_ic", side, [100 * v / leg for v in at_ic["heel_forward"]], evidence, view
        ),
        _build(
            "running.foot_strike_angle",
            side,
            fsa,
            evidence,
            view,
            category=_strike_pattern(mean_fsa) if np.isfinite(mean_fsa) else None,
        ),
    ]
    return [_calibrated(m, kin, d, fps, geometry) for m in measures]


#: Signal whose rate at contact turns event-timing error into the measure's error.
_RATE_SIGNAL = {
    "running.knee_flexion_ic": "knee_flexion",
    "running.tibia_angle_ic": "tibia_angle",
    "running.foot_strike_angle": "foot_angle",
    "running.heel_to_hip_ic": "heel_forward",
}


def _calibrated(m: Measure, kin: Kinematics, d: SideData, fps: float, geometry: float) -> Measure:
    """Replace the confidence of a measure at contact by one calibrated on measured error."""
    if not m.measurable or m.id not in CALIBRATION:
        return m
    rate = 0.0
    if m.id in _RATE_SIGNAL:
        signal = np.gradient(kin[f"{_RATE_SIGNAL[m.id]}_{d.side}"], kin.times)
        rate = float(np.nanmedian(np.abs([value_at(kin.times, signal, fs.time) for fs, _ in d.stances])))
        if m.id == "running.heel_to_hip_ic":
            rate *= 100.0 / kin.meta.leg_length_px.get(d.side, np.nan)  # px/s -> % leg/s
    leg = kin.meta.leg_length_px.get(d.side, np.nan)
    error = expected_error(m.id, m.per_cycle, fps=fps, rate_at_contact=rate, leg_px=leg)
    conf = calibrated_confidence(m.id, error, fps=fps, visibility=d.visibility, geometry=geometry)
    return m.model_copy(update={"confidence": conf})


def _flat_foot(kin: Kinematics, side: Leg, fs: Event, to: Event) -> float:
    """Foot angle with the foot flat: the median over the middle third of stance, degrees."""
    third = (to.time - fs.time) / 3
    w = window(kin.times, kin[f"foot_angle_{side}"], fs.time + third, to.time - third)
    w = w[np.isfinite(w)]
    return float(np.median(w)) if w.size else float("nan")


def _body_measures(
    kin: Kinematics, near: SideData, leg: float, fps: float, geometry: float, view: View
) -> list[Measure]:
    if near.reason:
        return [
            _missing(m, "both", near.reason, view)
            for m in ("running.trunk_lean", "running.vertical_oscillation")
        ]
    t = kin.times
    lean = [finite_mean(window(t, kin["trunk_lean"], a.time, b.time)) for a, b in near.strides]
    osc = []
    for a, b in near.strides:
        h = window(t, kin["pelvis_height"], a.time, b.time)
        osc.append(100 * (np.nanmax(h) - np.nanmin(h)) / leg if np.isfinite(h).sum() > 3 else np.nan)
    evidence = Evidence(near.visibility, fps, geometry)
    return [
        _build("running.trunk_lean", "both", lean, evidence, view),
        _build("running.vertical_oscillation", "both", osc, evidence, view),
    ]


register(RunningSide())
