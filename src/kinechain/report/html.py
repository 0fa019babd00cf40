"""The self-contained HTML report of one analysis (key frames, plots, measure table, notes).

Everything the page needs is inside the file: key frames as base64 JPEG, plots as inline SVG,
CSS inline; it makes no network request, so it can be mailed, archived and printed as is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from kinechain._version import __version__
from kinechain.model.measures import Measure
from kinechain.model.vocab import Leg, is_leg
from kinechain.report import plots
from kinechain.report.clip import clip_facts, pose_model_text, quality_notes
from kinechain.report.encode import image_data_uri
from kinechain.report.keyframes import KeyFrame, key_frames
from kinechain.report.spec import EVENT_NAMES, ReportSpec, get_spec

if TYPE_CHECKING:
    from kinechain.model.result import Analysis

ReportProgress = Callable[[str, int, int], None]

SIDE_ORDER = {"both": 0, "left": 1, "right": 2, "none": 3}
DISCLAIMER = (
    "kinechain is a screening and coaching aid, not a diagnosis. Its numbers come from 2D video and "
    "carry measurement error; they describe how this person moved in this recording, not what causes "
    "their pain. Seek medical assessment promptly for a hot, red or swollen knee, a knee that locks or "
    "cannot bear weight, numbness, pins and needles or colour change in the leg, or pain at night or at "
    "rest (red flags from NHS musculoskeletal pathways)."
)


@dataclass(frozen=True)
class LegendItem:
    """One angle drawn on a key frame: swatch colour, name, value shown, how to read it."""

    colour: str
    label: str
    value: str
    note: str


@dataclass(frozen=True)
class KeyFrameView:
    """A key frame as the template shows it."""

    title: str
    src: str
    width: int
    height: int
    alt: str
    caption: str
    legend: list[LegendItem]


@dataclass(frozen=True)
class PlotView:
    """An angle plot as the template shows it: over time, and per stride."""

    title: str
    note: str
    time_svg: Markup
    cycle_svg: Markup | None
    window_note: str


@dataclass(frozen=True)
class MeasureRow:
    """One row of the measure table."""

    id: str
    name: str
    description: str
    side: str
    measurable: bool
    value: str = ""
    category: str = ""
    spread: str = ""
    n: str = ""
    confidence: str = ""
    confidence_value: str = ""
    reason: str = ""
    colour: str | None = None


@dataclass(frozen=True)
class ReportContent:
    """Everything the template renders."""

    title: str
    clip_name: str
    facts: list[tuple[str, str]]
    summary: list[str]
    key_frames: list[KeyFrameView]
    key_event_label: str
    footfall_svg: Markup | None
    plots: list[PlotView]
    rows: list[MeasureRow]
    notes: list[str]
    method: list[tuple[str, str]]
    disclaimer: str = DISCLAIMER
    version: str = __version__
    created: str = ""
    has_video: bool = True


def _decimals(unit: str) -> int:
    return 0 if unit in ("ms",) else 1


def format_measure(m: Measure) -> tuple[str, str]:
    """(value, spread) texts of a measurable measure, e.g. ("8.3°", "± 6.1°")."""
    d = _decimals(m.unit)
    unit = "°" if m.unit == "deg" else f" {m.unit}"
    value = f"{m.value:.{d}f}{unit}" if m.value is not None else ""
    spread = f"± {m.spread:.{d}f}{unit}" if m.spread is not None else "-"
    return value, spread


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""


def _row(m: Measure, spec: ReportSpec, colour: str | None) -> MeasureRow:
    side = m.side if m.side in ("left", "right") else "both"
    desc = spec.descriptions.get(m.id, "")
    if not m.measurable:
        reason = _sentence(m.reason or "")
        return MeasureRow(m.id, m.name, desc, side, False, reason=reason, colour=colour)
    value, spread = format_measure(m)
    return MeasureRow(
        m.id,
        m.name,
        desc,
        side,
        True,
        value=value,
        category=m.category or "",
        spread=spread,
        n=f"{m.n} {spec.cycle_words.get(m.id, spec.cycle_word)}",
        confidence=m.confidence_label,
        confidence_value=f"{m.confidence:.2f}",
        reason=_sentence(m.reason) if m.reason else "",
        colour=colour,
    )


def measure_rows(measures: Sequence[Measure], spec: ReportSpec) -> list[MeasureRow]:
    """Table rows in the protocol's measure order, whole-body first within each measure."""
    colours = {ov.measure: ov.colour for ov in spec.overlays if ov.measure}
    order = {m.id: i for i, m in reversed(list(enumerate(measures)))}
    rows = []
    for m in sorted(measures, key=lambda m: (order[m.id], SIDE_ORDER.get(m.side, 9))):
        rows.append(_row(m, spec, colours.get(m.id)))
    return rows


def _key_frame_view(kf: KeyFrame, spec: ReportSpec, event_label: str) -> KeyFrameView:
    k = kf.key
    legend = [
        LegendItem(a.overlay.colour, a.overlay.label, f"{a.value:.0f}°", a.overlay.note) for a in kf.angles
    ]
    why = (
        f"the one closest to the median {spec.pick_signal.split('_{')[0].replace('_', ' ')} "
        f"({k.median:.0f}°) of the {k.count} {k.side} {event_label}s"
        if k.median is not None and spec.pick_signal
        else f"the clearest of the {k.count} detected"
    )
    caption = (
        f"{k.side.capitalize()} {event_label} at {k.event.time:.2f} s (frame {k.event.frame}): {why}. "
        "Angles are this frame's; the table gives the average over all of them."
    )
    values = ", ".join(f"{i.label.lower()} {i.value}" for i in legend)
    alt = f"Video frame of the {k.side} {event_label} with the body's skeleton drawn over the runner" + (
        f" and the angles marked: {values}." if values else "."
    )
    h, w = kf.image.shape[:2]
    return KeyFrameView(
        title=f"{k.side.capitalize()} {event_label}",
        src=image_data_uri(kf.image, "jpeg", quality=90),
        width=w,
        height=h,
        alt=alt,
        caption=caption,
        legend=legend,
    )


def _faded_sides(measures: Sequence[Measure]) -> set[str]:
    """Sides none of whose per-side measures could be taken (their curves are shown faded)."""
    return {
        s
        for s in ("left", "right")
        if (mine := [m for m in measures if m.side == s]) and not any(m.measurable for m in mine)
    }


def plot_views(
    analysis: Analysis, spec: ReportSpec, key_times: Sequence[tuple[float, str]], near: Leg | None
) -> list[PlotView]:
    """Time and per-stride SVG plots of every plot in the spec that has data."""
    kin = analysis.kinematics
    faded = _faded_sides(analysis.result.measures)
    window = plots.time_window(kin.times, key_times[0][0] if key_times else None)
    out = []
    for i, p in enumerate(spec.plots):
        fig = plots.signal_figure(kin, p, spec.marked_events, faded, window, key_times)
        if fig is None:
            continue
        cyc = plots.cycle_figure(kin, p, faded, stride_side=near or "left")
        shown = (
            f"{window[1] - window[0]:.0f} s of {kin.times[-1] - kin.times[0]:.0f} s shown"
            if window
            else "the whole recording"
        )
        out.append(
            PlotView(
                title=p.title,
                note=p.note,
                time_svg=Markup(plots.figure_to_svg(fig, f"t{i}", f"{p.title} over time, {shown}")),
                cycle_svg=Markup(plots.figure_to_svg(cyc, f"c{i}", f"{p.title} over each stride"))
                if cyc
                else None,
                window_note=shown,
            )
        )
    return out


def _footfall(analysis: Analysis, spec: ReportSpec) -> Markup | None:
    if "foot_strike" not in spec.marked_events:
        return None
    fig = plots.footfall_figure(analysis.kinematics)
    if fig is None:
        return None
    return Markup(plots.figure_to_svg(fig, "ff", "Ground contact of each foot over time"))


def _method(analysis: Analysis) -> list[tuple[str, str]]:
    r = analysis.result
    clean = r.settings.get("cleaning", {})
    items = [
        (
            "Pose landmarks",
            f"{pose_model_text(r.pose_source, r.settings.get('pose', {}).get('model'))} "
            f"({r.pose_source}); 33 BlazePose landmarks per frame, image pixels",
        ),
        (
            "Cleaning",
            f"points below visibility {clean.get('min_visibility', '?')} masked; gaps up to "
            f"{clean.get('max_gap_s', '?')} s filled; {clean.get('filter', 'low-pass filter')} at "
            f"{clean.get('cutoff_hz', '?')} Hz; {clean.get('swapped_frames', 0)} frames with left/right "
            "legs swapped by the model repaired",
        ),
        ("View", f"{r.view.view} (asked: {r.view.requested}; detected: {r.view.detected})"),
        (
            "Confidence",
            "product of landmark visibility, number of cycles, frame rate (for timing) and camera "
            "angle factors, 0 to 1; high from 0.7, moderate from 0.4 (clinical convention, "
            "see docs/measures.md)",
        ),
        ("Result schema", f"{r.schema_version}, kinechain {r.kinechain_version}"),
    ]
    if r.test == "running":
        items.insert(
            2,
            (
                "Events",
                "foot strike and toe-off from heel and toe positions relative to the pelvis "
                "(Zeni et al. 2008, Gait Posture 27:710), timed between frames",
            ),
        )
    return items


def build_content(analysis: Analysis, spec: ReportSpec, progress: ReportProgress) -> ReportContent:
    """Gather and render (key frames, plots) everything the report shows.

    Progress is reported as 4 steps: key frames, plots, page, file.
    """
    from kinechain.protocols import get_protocol

    r = analysis.result
    label = EVENT_NAMES.get(spec.key_event, spec.key_event_label)
    near = r.view.view if is_leg(r.view.view) else None
    video = Path(analysis.video) if analysis.video is not None else None
    frames = (
        key_frames(analysis.pose, analysis.kinematics, spec, video, near) if video and video.exists() else []
    )
    progress("report", 1, 4)
    key_times = [(kf.key.event.time, f"key frame ({kf.key.side})") for kf in frames]
    plot_list = plot_views(analysis, spec, key_times, near)
    progress("report", 2, 4)
    facts, clip_name = clip_facts(analysis)
    return ReportContent(
        title=get_protocol(r.test).title,
        clip_name=clip_name,
        facts=facts,
        summary=spec.summary(r),
        key_frames=[_key_frame_view(kf, spec, label) for kf in frames],
        key_event_label=label,
        footfall_svg=_footfall(analysis, spec),
        plots=plot_list,
        rows=measure_rows(r.measures, spec),
        notes=[_sentence(w) for w in r.warnings] + quality_notes(analysis),
        method=_method(analysis),
        created=r.created.strftime("%d %b %Y, %H:%M UTC"),
        has_video=bool(video and video.exists()),
    )


def render_html(content: ReportContent, template: str = "report.html") -> str:
    """Render the report template (package data ``kinechain/report/templates``)."""
    env = Environment(
        loader=PackageLoader("kinechain.report", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(template).render(c=content)


def write_report(
    analysis: Analysis, path: str | os.PathLike[str], *, progress: ReportProgress | None = None
) -> Path:
    """Write the self-contained HTML report of an analysis.

    Parameters
    ----------
    analysis : Analysis
        From :func:`kinechain.analyze`; key frames need ``analysis.video`` (without it the
        report has no key frames and says so).
    path : str or PathLike
        The HTML file to write (parent folders are created).
    progress : callable, optional
        Called as ``progress("report", done, total)``.

    Returns
    -------
    Path
        The file written.
    """
    report = progress or (lambda stage, done, total: None)
    spec = get_spec(analysis.result.test)
    content = build_content(analysis, spec, report)
    html = render_html(content)
    report("report", 3, 4)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    report("report", 4, 4)
    return out
