"""Pictures for the assessment report: band bars, exercise stick figures, plots, key frames.

Everything returns text ready for HTML: inline SVG for the small hand-drawn pictures, and
``data:`` URIs for matplotlib plots (SVG) and video key frames (JPEG), so one HTML file holds the
whole report and WeasyPrint can turn it into a PDF.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from html import escape
from pathlib import Path

import cv2
import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

from kinechain.model.findings import MeasureFinding
from kinechain.model.kinematics import Kinematics
from kinechain.model.plan import StickFigure
from kinechain.model.pose import LANDMARK_INDEX, SKELETON, PoseSeries
from kinechain.model.progress import Change
from kinechain.model.rules import Rule
from kinechain.model.vocab import SIDES, parse_side
from kinechain.video.reader import read_frames_at

BAND_COLOURS: dict[str, str] = {"typical": "#4c9a6a", "borderline": "#e0a526", "notable": "#c8553d"}
#: Bones of the exercise stick figures (joint names of figures.yaml).
BONES: tuple[tuple[str, str], ...] = (
    ("shoulder", "hip"),
    ("hip", "knee"),
    ("knee", "ankle"),
    ("ankle", "toe"),
    ("hip", "knee2"),
    ("knee2", "ankle2"),
    ("ankle2", "toe2"),
    ("shoulder", "elbow"),
    ("elbow", "hand"),
)
KEY_FRAME_WIDTH = 320


def svg_uri(svg: str) -> str:
    """Wrap SVG text as a base64 ``data:`` URI."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# --------------------------------------------------------------------------- stick figures


def stick_figure_svg(fig: StickFigure, *, size: int = 110, title: str = "") -> str:
    """Draw an exercise stick figure (joints in a 0-100 box) as an inline SVG element."""
    j = fig.joints
    lines = [
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#999" stroke-width="1.5"/>'
        for x1, y1, x2, y2 in fig.props
    ]
    for a, b in BONES:
        if a in j and b in j:
            (x1, y1), (x2, y2) = j[a], j[b]
            colour = "#1f5f8b" if b.endswith("2") or a.endswith("2") else "#222"
            lines.append(
                f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" '
                'stroke-width="3.2" stroke-linecap="round"/>'
            )
    if "head" in j and "shoulder" in j:
        (hx, hy), (sx, sy) = j["head"], j["shoulder"]
        lines.append(f'<line x1="{hx}" y1="{hy}" x2="{sx}" y2="{sy}" stroke="#222" stroke-width="3.2"/>')
        lines.append(f'<circle cx="{hx}" cy="{hy}" r="5.5" fill="#fff" stroke="#222" stroke-width="2.5"/>')
    label = f"<title>{escape(title)}</title>" if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="{size}" height="{size}" '
        f'role="img">{label}{"".join(lines)}</svg>'
    )


# --------------------------------------------------------------------------- band bars


def _zones(rule: Rule, f: MeasureFinding, sex: str | None) -> list[tuple[float, float, str]]:
    bands = rule.bands_for(sex)
    assert bands is not None
    cuts = [bands.notable.threshold] + ([bands.borderline.threshold] if bands.borderline else [])
    lo = min([f.value, *cuts]) - 0.25 * (max(cuts) - min(cuts) + abs(max(cuts)) * 0.3 + 1)
    hi = max([f.value, *cuts]) + 0.25 * (max(cuts) - min(cuts) + abs(max(cuts)) * 0.3 + 1)
    n, b = bands.notable.threshold, (bands.borderline.threshold if bands.borderline else None)
    if rule.direction == "higher_is_worse":
        edges = [(lo, b if b is not None else n, "typical")]
        edges += [(b, n, "borderline")] if b is not None else []
        edges += [(n, hi, "notable")]
    else:
        edges = [(lo, n, "notable")]
        edges += [(n, b, "borderline")] if b is not None else []
        edges += [(b if b is not None else n, hi, "typical")]
    return edges


def band_bar_svg(rule: Rule, f: MeasureFinding, sex: str | None, *, width: int = 220) -> str:
    """Draw a horizontal bar coloured by band, with a marker at the measured value (inline SVG).

    Returns an empty string when the rule has no band for this person.
    """
    if rule.bands_for(sex) is None:
        return ""
    zones = _zones(rule, f, sex)
    lo, hi = zones[0][0], zones[-1][1]

    def x(v: float) -> float:
        return round(4 + (width - 8) * (v - lo) / (hi - lo), 1)

    parts = [
        f'<rect x="{x(a)}" y="6" width="{max(x(b) - x(a), 0.5)}" height="10" fill="{BAND_COLOURS[band]}" '
        f'opacity="0.75"><title>{band}</title></rect>'
        for a, b, band in zones
    ]
    vx = x(f.value)
    parts.append(f'<path d="M{vx - 5},0 L{vx + 5},0 L{vx},7 Z" fill="#111"/>')
    parts.append(f'<line x1="{vx}" y1="4" x2="{vx}" y2="18" stroke="#111" stroke-width="2"/>')
    for a, _, _ in zones[1:]:
        parts.append(f'<text x="{x(a)}" y="28" font-size="8" text-anchor="middle" fill="#444">{a:g}</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="30" viewBox="0 0 {width} 30" '
        f'role="img" aria-label="{escape(f.band or "")}">{"".join(parts)}</svg>'
    )


# --------------------------------------------------------------------------- matplotlib plots


def _figure_svg(fig: Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    return svg_uri(buf.getvalue())


def per_cycle_plot(findings: Sequence[MeasureFinding], title: str) -> str | None:
    """Each step's or rep's value of the banded measures of one clip, as a data URI (SVG).

    One small axis per measure (its own scale): dots are cycles, the bar is the mean, coloured by
    band. Returns None when no measure has per-cycle values.
    """
    rows = [f for f in findings if len(f.per_cycle) > 1]
    if not rows:
        return None
    with rc_context({"svg.fonttype": "none", "font.size": 8}):
        fig = Figure(figsize=(6.2, 0.55 * len(rows) + 0.6), layout="constrained")
        axes = fig.subplots(len(rows), 1, squeeze=False)[:, 0]
        for ax, f in zip(axes, rows, strict=True):
            vals = np.asarray(f.per_cycle)
            colour = BAND_COLOURS.get(f.band or "", "#777")
            ax.scatter(vals, np.zeros(vals.size), s=12, color=colour, alpha=0.7)
            ax.plot([f.value, f.value], [-0.4, 0.4], color="#111", lw=2)
            ax.set_yticks([0], [f"{f.name} ({f.side})"])
            ax.set_ylim(-0.6, 0.6)
            ax.set_xlabel(f.unit, labelpad=0)
            for spine in ("top", "right", "left"):
                ax.spines[spine].set_visible(False)
        axes[0].set_title(title + ": each step or repetition (dots) and the mean (bar)", fontsize=9)
        return _figure_svg(fig)


def signal_plot(kin: Kinematics, signal: str, title: str) -> str | None:
    """One kinematic signal over time with its foot-strike events, as a data URI (SVG)."""
    if signal not in kin.signals or not np.isfinite(kin[signal]).any():
        return None
    tail = signal.rsplit("_", 1)[-1]
    strikes = kin.events_of("foot_strike", parse_side(tail)) if tail in SIDES else []
    with rc_context({"svg.fonttype": "none", "font.size": 8}):
        fig = Figure(figsize=(6.2, 1.9))
        ax = fig.subplots()
        ax.plot(kin.times, kin[signal], color="#1f5f8b", lw=1.2)
        for e in strikes:
            ax.axvline(e.time, color="#c8553d", lw=0.7, alpha=0.6)
        ax.set_xlabel("time (s); red lines: foot strikes")
        ax.set_ylabel(kin.units.get(signal, ""))
        ax.set_title(title, fontsize=9)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        return _figure_svg(fig)


def progress_plot(changes: Sequence[Change]) -> str | None:
    """Change of each measure in units of its SDD; the grey band is measurement error (SVG URI)."""
    rows = [c for c in changes if c.sdd]
    if not rows:
        return None
    with rc_context({"svg.fonttype": "none", "font.size": 8}):
        fig = Figure(figsize=(6.2, 0.4 * len(rows) + 1.0))
        ax = fig.subplots()
        ratios = [c.change / c.sdd for c in rows if c.sdd]
        colours = [
            {"real improvement": "#4c9a6a", "real worsening": "#c8553d"}.get(c.verdict, "#888") for c in rows
        ]
        ax.axvspan(-1, 1, color="#ddd", zorder=0)
        ax.barh(range(len(rows)), ratios, color=colours)
        ax.set_yticks(range(len(rows)), [f"{c.name} ({c.side})" for c in rows])
        ax.set_xlabel("change / smallest detectable difference (grey: within measurement error)")
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        return _figure_svg(fig)


# --------------------------------------------------------------------------- key frames


def _crop_box(pose: PoseSeries, frame: int, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    pts = pose.xy[frame]
    ok = np.isfinite(pts).all(axis=1)
    h, w = shape[:2]
    if not ok.any():
        return 0, 0, w, h
    x0, y0 = np.nanmin(pts[ok], axis=0)
    x1, y1 = np.nanmax(pts[ok], axis=0)
    pad = 0.15 * max(x1 - x0, y1 - y0)
    return (
        int(max(x0 - pad, 0)),
        int(max(y0 - pad, 0)),
        int(min(x1 + pad, w)),
        int(min(y1 + pad, h)),
    )


def draw_pose(rgb: np.ndarray, pose: PoseSeries, frame: int) -> np.ndarray:
    """Draw the skeleton of one frame on a copy of the image (RGB uint8)."""
    img = rgb.copy()
    pts = pose.xy[frame]
    thick = max(2, round(img.shape[0] / 300))
    for a, b in SKELETON:
        pa, pb = pts[LANDMARK_INDEX[a]], pts[LANDMARK_INDEX[b]]
        if np.isfinite(pa).all() and np.isfinite(pb).all():
            colour = (31, 95, 139) if a.startswith("left") or b.startswith("left") else (200, 85, 61)
            cv2.line(img, tuple(int(v) for v in pa), tuple(int(v) for v in pb), colour, thick, cv2.LINE_AA)
    return img


def _jpeg_uri(rgb: np.ndarray) -> str:
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(buf.tobytes()).decode("ascii")


def key_frames(
    video: Path,
    pose: PoseSeries,
    kin: Kinematics,
    *,
    kinds: Sequence[str] = ("foot_strike", "rep_bottom", "landing"),
) -> list[tuple[str, str]]:
    """Up to two annotated frames (caption, JPEG data URI) at the middle event of each side.

    The first event kind in ``kinds`` that the kinematics hold is used.
    """
    kind = next((k for k in kinds if kin.events_of(k)), None)
    if kind is None:
        return []
    picks = []
    for side in ("left", "right"):
        events = kin.events_of(kind, side)
        if events:
            picks.append((side, events[len(events) // 2]))
    frames = read_frames_at(video, [e.frame for _, e in picks])
    out = []
    for side, e in picks:
        rgb = frames.get(e.frame)
        if rgb is None:
            continue
        x0, y0, x1, y1 = _crop_box(pose, e.frame, rgb.shape)
        crop = draw_pose(rgb, pose, e.frame)[y0:y1, x0:x1]
        scale = KEY_FRAME_WIDTH / max(crop.shape[1], 1)
        small = cv2.resize(
            crop, (KEY_FRAME_WIDTH, max(int(crop.shape[0] * scale), 1)), interpolation=cv2.INTER_AREA
        )
        caption = f"{kind.replace('_', ' ')}, {side} leg, t = {e.time:.2f} s"
        out.append((caption, _jpeg_uri(small)))
    return out
