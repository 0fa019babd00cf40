"""Validation harness: the 2D pipeline on virtually filmed motion capture against force plates and 3D truth.

For one trial: joint centres and BlazePose landmarks from the markers
(:mod:`kinechain.mocap.skeleton`), filmed by a virtual camera from the side and from behind
(:mod:`kinechain.mocap.camera`), cleaned and measured exactly as a phone video would be
(:func:`kinechain.signal.clean_pose`, the running side-view and rear-view protocols). The
result is compared with the truth:

- event timing: each 2D foot strike and toe-off against the nearest force-plate event of the same
  foot (:mod:`kinechain.mocap.grf`), in ms and camera frames;
- cadence: the protocol's value against the force-plate stride times;
- knee flexion and tibia angle at contact: the 2D value at each detected foot strike against
  the 3D value (:mod:`kinechain.mocap.truth`) at the matching force-plate strike ("end to end"),
  and against the 3D value at the same instant ("same instant", which isolates the projection);
- contralateral pelvic drop and hip adduction at midstance (rear view): the 2D value at each
  detected midstance against the 3D value at the middle of the matching force-plate contact, and
  at the same instant.

Without force data only the same-instant comparisons are made (the truth then has no events).
Errors are 2D minus truth; bias is their mean, RMSE their root mean square.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, cast

import numpy as np

from kinechain.kinematics.cycles import value_at
from kinechain.kinematics.events import gait_events, pair_stances
from kinechain.kinematics.sagittal import sagittal_kinematics
from kinechain.mocap.camera import VirtualCamera, virtual_pose
from kinechain.mocap.grf import CONTACT_THRESHOLD_N, grf_events
from kinechain.mocap.skeleton import Skeleton, build_skeleton
from kinechain.mocap.trial import MocapTrial
from kinechain.mocap.truth import reference_signals
from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.measures import MeasureSet
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.vocab import Side
from kinechain.protocols import get_protocol
from kinechain.signal.clean import clean_pose

#: Targets of issue 3 on the BMC trial: foot strike within one frame at 60 Hz, cadence within
#: 0.5 steps/min, knee flexion at contact within 3 deg of the 3D value.
FOOT_STRIKE_TARGET_MS = 1000.0 / 60.0
CADENCE_TARGET_SPM = 0.5
KNEE_TARGET_DEG = 3.0
#: A 2D event is matched to a force-plate event of the same foot within this time (convention), s.
MATCH_WINDOW_S = 0.2


@dataclass(frozen=True)
class Comparison:
    """One validated quantity: errors of the 2D pipeline against the truth.

    Attributes
    ----------
    quantity : str
        What is compared, e.g. "foot strike", "knee flexion at contact (end to end)".
    side : str
        "left", "right" or "both"; ``near`` says whether it is the leg facing the camera.
    unit : str
        Unit of the errors ("ms", "deg", "steps/min").
    n : int
        Number of paired values.
    bias, rmse, sd, max_abs : float
        Mean, root mean square, sample SD and largest absolute error (2D minus truth).
    value_2d, value_truth : float
        Mean of the 2D values and of the truth values.
    frame_ms : float
        Camera frame period in ms (timing rows express errors in frames with it).
    target : float, optional
        The target on |bias| or RMSE (see ``target_on``), same unit.
    target_on : str
        "rmse" or "bias".
    near : bool, optional
        True for the near leg, False for the far leg, None for whole-body rows.
    truth : str
        Where the truth comes from ("force plate", "3D markers at force-plate event", ...).
    """

    quantity: str
    side: str
    unit: str
    n: int
    bias: float
    rmse: float
    sd: float
    max_abs: float
    value_2d: float = float("nan")
    value_truth: float = float("nan")
    frame_ms: float = float("nan")
    target: float | None = None
    target_on: str = "rmse"
    near: bool | None = None
    truth: str = ""

    @property
    def met(self) -> bool | None:
        """True/False against the target; None without one."""
        if self.target is None:
            return None
        err = self.rmse if self.target_on == "rmse" else abs(self.bias)
        return bool(np.isfinite(err) and err <= self.target)


@dataclass(frozen=True)
class ValidationReport:
    """Every comparison for one trial and camera setup, with what was used."""

    trial: str
    camera: dict[str, Any]
    rows: list[Comparison]
    has_forces: bool
    meta: dict[str, Any] = field(default_factory=dict)

    def get(self, quantity: str, side: str | None = None) -> Comparison | None:
        """Return the row of a quantity (and side, when given), or None."""
        for r in self.rows:
            if r.quantity == quantity and (side is None or r.side == side):
                return r
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data (NaN written as None)."""

        def clean(value: Any) -> Any:
            if isinstance(value, float):
                return None if not np.isfinite(value) else round(value, 4)
            if isinstance(value, dict):
                return {k: clean(v) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return [clean(v) for v in value]
            return value

        rows = [{**asdict(r), "met": r.met} for r in self.rows]
        return cast(
            "dict[str, Any]",
            clean(
                {
                    "trial": self.trial,
                    "camera": self.camera,
                    "has_forces": self.has_forces,
                    "rows": rows,
                    "meta": self.meta,
                }
            ),
        )


def format_row(row: Comparison) -> dict[str, str]:
    """Printable cells of a row (quantity with unit, side, n, errors, means, target and result)."""

    def num(v: float) -> str:
        return f"{v:.1f}" if np.isfinite(v) else "-"

    timing = row.unit == "ms" and row.quantity != "contact time" and np.isfinite(row.frame_ms)
    absolute = not timing
    result = {None: "", True: "met", False: "NOT MET"}[row.met]
    if row.target is not None:
        result += f" ({row.target_on} <= {row.target:.1f})"
    return {
        "quantity": f"{row.quantity} ({row.unit})",
        "side": row.side + ("" if row.near is None else (" near" if row.near else " far")),
        "n": str(row.n),
        "bias": num(row.bias) + (f" ({row.bias / row.frame_ms:+.2f} fr)" if timing else ""),
        "RMSE": num(row.rmse) + (f" ({row.rmse / row.frame_ms:.2f} fr)" if timing else ""),
        "SD": num(row.sd),
        "max": num(row.max_abs),
        "2D": num(row.value_2d) if absolute else "",
        "truth": num(row.value_truth) if absolute else "",
        "result": result,
    }


def compare(
    quantity: str, side: str, unit: str, pairs: list[tuple[float, float]], **extra: Any
) -> Comparison:
    """Summarise (2D, truth) pairs into a :class:`Comparison` (NaN pairs left out)."""
    arr = np.array([p for p in pairs if np.isfinite(p[0]) and np.isfinite(p[1])], dtype=float).reshape(-1, 2)
    err = arr[:, 0] - arr[:, 1]
    n = len(err)
    nan = float("nan")
    return Comparison(
        quantity=quantity,
        side=side,
        unit=unit,
        n=n,
        bias=float(err.mean()) if n else nan,
        rmse=float(np.sqrt(np.mean(err**2))) if n else nan,
        sd=float(err.std(ddof=1)) if n > 1 else nan,
        max_abs=float(np.abs(err).max()) if n else nan,
        value_2d=float(arr[:, 0].mean()) if n else nan,
        value_truth=float(arr[:, 1].mean()) if n else nan,
        **extra,
    )


def match_events(
    found: list[Event], truth: list[Event], window_s: float = MATCH_WINDOW_S
) -> list[tuple[Event, Event]]:
    """Pair each found event with the nearest truth event of the same kind and side within ``window_s``."""
    pairs = []
    for e in found:
        same = [t for t in truth if t.kind == e.kind and t.side == e.side]
        if not same:
            continue
        best = min(same, key=lambda t: abs(t.time - e.time))
        if abs(best.time - e.time) <= window_s:
            pairs.append((e, best))
    return pairs


def truth_events(trial: MocapTrial, sk: Skeleton, *, threshold_n: float = CONTACT_THRESHOLD_N) -> list[Event]:
    """Force-plate foot strikes and toe-offs of every plate of the trial (empty without forces)."""
    heights = {s: np.fmin(sk.get(f"{s}_heel")[:, 1], sk.get(f"{s}_foot_index")[:, 1]) for s in SIDES}
    heights = {s: np.where(np.isfinite(h), h, sk.get(f"{s}_ankle")[:, 1]) for s, h in heights.items()}
    events: list[Event] = []
    for plate in trial.forces:
        events += grf_events(plate, sk.times, heights, threshold_n=threshold_n)
    return sorted(events, key=lambda e: e.time)


def _cadence_truth(truth: list[Event], start: float, stop: float) -> float:
    values = []
    for side in SIDES:
        times = [
            e.time for e in truth if e.kind == "foot_strike" and e.side == side and start <= e.time <= stop
        ]
        values += [120.0 / d for d in np.diff(times)]
    return float(np.mean(values)) if values else float("nan")


def _timing_rows(kin: Kinematics, truth: list[Event], view: str, frame_ms: float) -> list[Comparison]:
    rows = []
    pairs = match_events(list(kin.events), truth)
    for kind, label in (("foot_strike", "foot strike"), ("toe_off", "toe-off")):
        for side in SIDES:
            ms = [(1000 * a.time, 1000 * b.time) for a, b in pairs if a.kind == kind and a.side == side]
            target = FOOT_STRIKE_TARGET_MS if kind == "foot_strike" else None
            rows.append(
                compare(
                    label,
                    side,
                    "ms",
                    ms,
                    frame_ms=frame_ms,
                    near=side == view,
                    truth="force plate",
                    target=target,
                )
            )
    return rows


def _at(times: np.ndarray, signal: np.ndarray, t: float) -> float:
    return value_at(times, signal, t) if times[0] <= t <= times[-1] else float("nan")


def _instants(kin: Kinematics, kind: str, side: str) -> list[Event]:
    return [e for e in kin.events if e.kind == kind and e.side == side]


def _angle_rows(
    kin: Kinematics,
    ref: dict[str, np.ndarray],
    ref_times: np.ndarray,
    found: list[tuple[Event, Event | None]],
    spec: tuple[str, str, str],
    view: str,
) -> list[Comparison]:
    """End-to-end and same-instant rows of one angle for one side.

    ``found`` pairs each 2D event with its truth instant (None without forces); ``spec`` is
    (2D signal, reference signal, label), both signal names with the side.
    """
    sig2d, sigref, label = spec
    side = sig2d.rsplit("_", 1)[1]
    target = KNEE_TARGET_DEG if label.startswith("knee flexion") else None
    same = [(_at(kin.times, kin[sig2d], e.time), _at(ref_times, ref[sigref], e.time)) for e, _ in found]
    rows = []
    with_truth = [(e, t) for e, t in found if t is not None]
    if with_truth:
        end = [
            (_at(kin.times, kin[sig2d], e.time), _at(ref_times, ref[sigref], t.time)) for e, t in with_truth
        ]
        rows.append(
            compare(
                f"{label}, end to end",
                side,
                "deg",
                end,
                near=side == view,
                target=target,
                target_on="bias",
                truth="3D markers at the force-plate event",
            )
        )
    rows.append(
        compare(
            f"{label}, same instant",
            side,
            "deg",
            same,
            near=side == view,
            truth="3D markers at the 2D event",
        )
    )
    return rows


def contacts(truth: list[Event], side: str) -> list[tuple[float, float]]:
    """Force-plate contact intervals (strike, toe-off) of one foot, seconds."""
    offs = [e.time for e in truth if e.kind == "toe_off" and e.side == side]
    out = []
    for e in truth:
        if e.kind == "foot_strike" and e.side == side:
            after = [t for t in offs if t > e.time]
            if after:
                out.append((e.time, after[0]))
    return out


def _paired_instants(
    kin: Kinematics, truth: list[Event], kind: str, side: Side
) -> list[tuple[Event, Event | None]]:
    """Each 2D event of a kind and side with its truth instant; None for every event without forces.

    Foot strikes pair with the nearest force-plate strike; midstances with the middle of the
    force-plate contact of that foot that contains them.
    """
    found = _instants(kin, kind, side)
    if not truth:
        return [(e, None) for e in found]
    if kind != "midstance":
        return [(a, b) for a, b in match_events(found, truth)]
    out: list[tuple[Event, Event | None]] = []
    spans = contacts(truth, side)
    for e in found:
        inside = [(a, b) for a, b in spans if a <= e.time <= b]
        if inside:
            out.append((e, Event("midstance", side, 0.5 * (inside[0][0] + inside[0][1]), 0)))
    return out


def _contact_rows(kin: Kinematics, truth: list[Event], view: str) -> list[Comparison]:
    rows = []
    for side in SIDES:
        spans = contacts(truth, side)
        found = contacts(list(kin.events), side)
        pairs = []
        for a, b in found:
            near = [(c, d) for c, d in spans if abs(c - a) <= MATCH_WINDOW_S and abs(d - b) <= MATCH_WINDOW_S]
            if near:
                pairs.append((1000 * (b - a), 1000 * (near[0][1] - near[0][0])))
        rows.append(compare("contact time", side, "ms", pairs, near=side == view, truth="force plate"))
    return rows


def _zeni_rows(pose: PoseSeries, truth: list[Event], view: str, frame_ms: float) -> list[Comparison]:
    """Compare the timing of the Zeni et al. 2008 anchors alone, to set the shipped method against."""
    kin = sagittal_kinematics(pose)
    used: list[Event] = []
    for side in SIDES:
        ev = gait_events(kin, sides=(side,), method="zeni")
        strikes = [e for e in ev if e.kind == "foot_strike"]
        for fs, to in pair_stances(strikes, [e for e in ev if e.kind == "toe_off"]):
            used += [fs, to]
    rows = _timing_rows(kin.with_events(used), truth, view, frame_ms)
    return [replace(r, quantity=f"{r.quantity}, Zeni anchors only", target=None) for r in rows]


def _film(sk: Skeleton, camera: VirtualCamera, name: str) -> tuple[PoseSeries, Kinematics, MeasureSet]:
    pose = clean_pose(virtual_pose(sk.times, sk.world(), camera, source_name=name))
    kin, measures = get_protocol("running", camera.view).analyse(pose, view=camera.view)
    return pose, kin, measures


def _side_rows(
    sk: Skeleton, ref: dict[str, np.ndarray], truth: list[Event], camera: VirtualCamera, name: str
) -> list[Comparison]:
    pose, kin, measures = _film(sk, camera, name)
    frame_ms = 1000.0 / camera.fps
    rows: list[Comparison] = []
    if truth:
        rows += _timing_rows(kin, truth, camera.view, frame_ms)
        rows += _zeni_rows(pose, truth, camera.view, frame_ms)
        rows += _contact_rows(kin, truth, camera.view)
        cadence = measures.get("running.cadence")
        value = cadence.value if cadence is not None and cadence.value is not None else float("nan")
        pair = [(value, _cadence_truth(truth, float(pose.times[0]), float(pose.times[-1])))]
        rows.append(
            compare(
                "cadence",
                "both",
                "steps/min",
                pair,
                target=CADENCE_TARGET_SPM,
                target_on="bias",
                truth="force plate",
            )
        )
    for side in SIDES:
        found = _paired_instants(kin, truth, "foot_strike", side)
        for sig, label in (
            ("knee_flexion", "knee flexion at contact"),
            ("tibia_angle", "tibia angle at contact"),
        ):
            rows += _angle_rows(
                kin, ref, sk.times, found, (f"{sig}_{side}", f"{sig}_{side}", label), camera.view
            )
    return rows


def _rear_rows(
    sk: Skeleton, ref: dict[str, np.ndarray], truth: list[Event], camera: VirtualCamera, name: str
) -> list[Comparison]:
    _, kin, _ = _film(sk, camera, name)
    rows: list[Comparison] = []
    for side in SIDES:
        found = _paired_instants(kin, truth, "midstance", side)
        for sig, label in (
            ("pelvic_drop", "pelvic drop at midstance"),
            ("hip_adduction", "hip adduction at midstance"),
        ):
            rows += _angle_rows(kin, ref, sk.times, found, (f"{sig}_{side}", f"{sig}_{side}", label), "")
    return [replace(r, near=None) for r in rows]


def validate_trial(
    trial: MocapTrial,
    *,
    camera: VirtualCamera | None = None,
    rear: bool = True,
    threshold_n: float = CONTACT_THRESHOLD_N,
) -> ValidationReport:
    """Run the 2D pipeline on a virtually filmed trial and compare it with the truth.

    Parameters
    ----------
    trial : MocapTrial
        From :func:`kinechain.mocap.trial.load_trial`.
    camera : VirtualCamera, optional
        The side-view camera (default: left side, 60 fps, no noise); the rear view uses the same
        settings from behind.
    rear : bool
        Also film from behind and compare pelvic drop and hip adduction.
    threshold_n : float
        Vertical force threshold of the force-plate events, newtons.

    Returns
    -------
    ValidationReport
    """
    cam = camera or VirtualCamera()
    if cam.view not in SIDES:
        cam = replace(cam, view="left")
    sk = build_skeleton(trial.markers, trial.markerset, trial.static)
    ref = reference_signals(sk)
    truth = truth_events(trial, sk, threshold_n=threshold_n)
    rows = _side_rows(sk, ref, truth, cam, trial.name)
    if rear:
        rows += _rear_rows(sk, ref, truth, replace(cam, view="back"), trial.name)
    notes = []
    if not truth:
        notes.append("no force data: only same-instant comparisons against the 3D markers")
    if any(f"{s}_foot_index" not in sk.points for s in SIDES):
        notes.append(
            "no toe landmark in this marker set: side-view foot strikes are the Zeni heel anchors, "
            "toe-offs and the side-view protocol's stance measures are not available"
        )
    meta = {
        "notes": notes,
        "markerset": trial.markerset.name,
        "skeleton": sk.meta,
        "files": trial.meta.get("files", {}),
        "force_threshold_n": threshold_n,
        "force_events": len(truth),
        "duration_s": float(sk.times[-1] - sk.times[0]),
    }
    return ValidationReport(trial.name, asdict(cam), rows, bool(truth), meta)
