"""What a report shows for each movement test: key events, the angles drawn on them, the plots.

A test plugs into the report (HTML key frames, overlay video, clinic and web views) by registering
one :class:`ReportSpec`. Landmark and signal names may hold ``{side}`` (the side of the key event)
and ``{other}`` (the opposite side); the landmark names ``hip_centre`` and ``shoulder_centre`` are
the midpoints of the two hips and the two shoulders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from kinechain.model.result import AnalysisResult
from kinechain.report.summary import generic_summary, running_summary

OverlayKind = Literal["joint", "to_vertical", "to_horizontal"]

#: Colours of the angle overlays (bright on a dimmed video frame; near-black text on them
#: keeps a contrast ratio above 7:1).
AMBER, SKY, GREEN, PINK, VIOLET = "#FFC400", "#38BDF8", "#4ADE80", "#F9A8D4", "#C4B5FD"


@dataclass(frozen=True)
class AngleOverlay:
    """One angle drawn on a key frame.

    Attributes
    ----------
    label : str
        Full name shown in the legend, e.g. "Knee flexion".
    short : str
        Name shown on the frame beside the arc, e.g. "Knee".
    kind : str
        "joint": the arc at ``points[1]`` between the straight-on continuation of
        ``points[0]``->``points[1]`` and the segment ``points[1]``->``points[2]`` (0 deg = straight).
        "to_vertical" / "to_horizontal": the arc at ``points[0]`` between the vertical (or
        horizontal) through it and the segment to ``points[1]``.
    points : tuple of str
        Landmark names (may hold ``{side}`` / ``{other}``).
    signal : str, optional
        Kinematics signal whose value at the key frame is printed (signed, in the protocol's
        convention); when None or missing, the unsigned drawn angle is printed.
    colour : str
        "#RRGGBB".
    measure : str, optional
        Id of the measure this angle illustrates, linking the legend to the table.
    note : str
        Plain-language reading of the angle, shown in the legend.
    """

    label: str
    short: str
    kind: OverlayKind
    points: tuple[str, ...]
    signal: str | None
    colour: str
    measure: str | None = None
    note: str = ""


@dataclass(frozen=True)
class PlotSpec:
    """One angle-over-time plot.

    Attributes
    ----------
    title : str
        Plot title, e.g. "Knee flexion".
    signal : str
        Kinematics signal name; with ``{side}`` it is drawn once per side.
    ylabel : str
        Axis label with unit, e.g. "flexion (deg)".
    note : str
        One sentence under the plot saying how to read it.
    """

    title: str
    signal: str
    ylabel: str
    note: str = ""


@dataclass(frozen=True)
class ReportSpec:
    """How one movement test is reported.

    Attributes
    ----------
    test : str
        Test name as registered in :mod:`kinechain.protocols`.
    key_event : str
        Event kind shown as a key frame, once per side (e.g. "foot_strike", "rep_bottom").
    key_event_label : str
        Plain name of that event ("foot strike").
    pick_signal : str, optional
        Signal (with ``{side}``) sampled at each key event; the event whose value is closest to
        the median over that side's events is shown (the representative one). None: the event
        with the highest detection confidence.
    overlays : tuple of AngleOverlay
        Angles drawn on each key frame, in drawing order.
    plots : tuple of PlotSpec
        Angle-over-time plots.
    marked_events : tuple of str
        Event kinds marked on the plots and flashed in the overlay video.
    live_overlays : tuple of AngleOverlay
        Angles drawn live on every frame of the overlay video (for each side in ``live_sides``).
    descriptions : dict of str to str
        Plain-language meaning of each measure id, shown in the measure table.
    cycle_word : str
        What a measure's ``n`` counts ("steps", "reps", ...).
    cycle_words : dict of str to str
        Exceptions to ``cycle_word`` by measure id (e.g. cadence counts strides).
    summary : callable
        Turns the result into the plain-language sentences at the top of the report.
    """

    test: str
    key_event: str
    key_event_label: str
    pick_signal: str | None
    overlays: tuple[AngleOverlay, ...]
    plots: tuple[PlotSpec, ...]
    marked_events: tuple[str, ...] = ("foot_strike", "toe_off")
    live_overlays: tuple[AngleOverlay, ...] = ()
    descriptions: dict[str, str] = field(default_factory=dict)
    cycle_word: str = "cycles"
    cycle_words: dict[str, str] = field(default_factory=dict)
    summary: Callable[[AnalysisResult], list[str]] = generic_summary


#: Readable names of event kinds, for captions, legends and flashes.
EVENT_NAMES: dict[str, str] = {
    "foot_strike": "foot strike",
    "toe_off": "toe-off",
    "rep_bottom": "lowest point",
    "landing": "landing",
    "midstance": "midstance",
}

KNEE = AngleOverlay(
    "Knee flexion",
    "Knee",
    "joint",
    ("{side}_hip", "{side}_knee", "{side}_ankle"),
    "knee_flexion_{side}",
    AMBER,
    "running.knee_flexion_ic",
    "how far the knee is bent; 0° is a straight leg",
)
TIBIA = AngleOverlay(
    "Tibia angle to vertical",
    "Shin",
    "to_vertical",
    ("{side}_ankle", "{side}_knee"),
    "tibia_angle_{side}",
    SKY,
    "running.tibia_angle_ic",
    "lean of the shin from upright; positive when the ankle lands ahead of the knee",
)
FOOT = AngleOverlay(
    "Foot angle",
    "Foot",
    "to_horizontal",
    ("{side}_heel", "{side}_foot_index"),
    "foot_angle_{side}",
    GREEN,
    "running.foot_strike_angle",
    "heel-to-toe line against the image horizontal, toes up positive; the table's foot-strike "
    "angle is taken from the foot's own flat position in mid-stance instead",
)
TRUNK = AngleOverlay(
    "Forward trunk lean",
    "Trunk",
    "to_vertical",
    ("hip_centre", "shoulder_centre"),
    "trunk_lean",
    PINK,
    "running.trunk_lean",
    "lean of the hip-to-shoulder line from upright; positive leaning forward",
)

RUNNING_SIDE = ReportSpec(
    test="running",
    key_event="foot_strike",
    key_event_label="foot strike",
    pick_signal="knee_flexion_{side}",
    overlays=(TRUNK, KNEE, TIBIA, FOOT),
    plots=(
        PlotSpec(
            "Knee flexion",
            "knee_flexion_{side}",
            "knee flexion (°)",
            "0° is a straight knee; the knee bends after each foot strike as the body is caught.",
        ),
        PlotSpec(
            "Tibia angle to vertical",
            "tibia_angle_{side}",
            "tibia angle (°)",
            "Positive when the ankle is ahead of the knee; the values at foot strikes are the ones measured.",
        ),
        PlotSpec(
            "Foot angle",
            "foot_angle_{side}",
            "foot angle (°)",
            "Heel-to-toe line against the image horizontal; toes up is positive.",
        ),
        PlotSpec(
            "Forward trunk lean",
            "trunk_lean",
            "trunk lean (°)",
            "Lean of the hip-to-shoulder line from vertical; forward is positive.",
        ),
    ),
    live_overlays=(KNEE,),
    cycle_word="steps",
    summary=running_summary,
    cycle_words={
        m: "strides" for m in ("running.cadence", "running.trunk_lean", "running.vertical_oscillation")
    },
    descriptions={
        "running.cadence": "Steps per minute, both feet counted.",
        "running.contact_time": "How long each foot stays on the ground, foot strike to toe-off.",
        "running.knee_flexion_ic": "How bent the knee is as the foot lands (0° = straight).",
        "running.knee_flexion_peak_stance": "The most the knee bends while the foot is on the ground.",
        "running.tibia_angle_ic": "Lean of the shin as the foot lands; positive: ankle ahead of knee.",
        "running.heel_to_hip_ic": "How far ahead of the hips the heel lands, as a share of leg length.",
        "running.foot_strike_angle": "Foot angle as it lands, relative to flat; heel first is positive.",
        "running.trunk_lean": "Forward lean of the trunk from upright, averaged over each stride.",
        "running.vertical_oscillation": "Up-and-down travel of the hips per stride, share of leg length.",
    },
)

_SPECS: dict[str, ReportSpec] = {}


def register_spec(spec: ReportSpec) -> ReportSpec:
    """Add (or replace) the report description of a test."""
    _SPECS[spec.test] = spec
    return spec


def get_spec(test: str) -> ReportSpec:
    """Return the report description of a test, or a generic one (skeleton only, no angles).

    The generic description shows the first event kind's key frames without angle overlays and
    plots no signals, so a test without a description still gets a truthful report.
    """
    return _SPECS.get(test) or ReportSpec(
        test=test,
        key_event="",
        key_event_label="event",
        pick_signal=None,
        overlays=(),
        plots=(),
        marked_events=(),
    )


register_spec(RUNNING_SIDE)
