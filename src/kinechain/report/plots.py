"""Signals over time with events marked, and the footfall pattern (matplotlib).

Figures are made with ``matplotlib.figure.Figure`` directly (no pyplot, no global backend
switch), rendered by the Agg / SVG backends.

Left is blue and solid, right is vermillion and dashed (Okabe-Ito colours, told apart by
colour-blind readers and in greyscale print). Foot strikes are filled downward triangles on the
curve of their side, toe-offs open circles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from kinechain.kinematics.cycles import regular_strides
from kinechain.kinematics.events import pair_stances
from kinechain.model.kinematics import Kinematics
from kinechain.model.pose import SIDES
from kinechain.model.vocab import Side
from kinechain.report.encode import figure_svg
from kinechain.report.spec import EVENT_NAMES, PlotSpec

SIDE_COLOURS = {"left": "#0072B2", "right": "#D55E00", "both": "#333333"}
SIDE_STYLES = {"left": "-", "right": "--", "both": "-"}
EVENT_MARKERS = {"foot_strike": ("v", True), "toe_off": ("o", False)}
OTHER_MARKER = ("D", True)
INK = "#1f2328"
MUTED = "#57606a"
#: Figure sizes, inches: a time plot fills a phone's width at about 10 px text.
FIG_WIDTH_IN = 5.6
CYCLE_WIDTH_IN = 3.6
TIME_FIG_IN = 2.6

STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Helvetica", "Arial", "sans-serif"],
    "font.size": 10.5,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "svg.fonttype": "none",
    "svg.hashsalt": "kinechain",
}


def _style() -> AbstractContextManager[None]:
    """Return a context applying kinechain's plot style (fonts, colours, SVG text as text)."""
    return mpl.rc_context(cast(Any, STYLE))


@dataclass(frozen=True)
class Trace:
    """One line of a plot: side, values (NaN gaps allowed) and whether it is shown faded."""

    side: Side
    values: np.ndarray
    faded: bool = False


def _new_figure(height_in: float, width_in: float = FIG_WIDTH_IN) -> Figure:
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    fig.patch.set_alpha(0.0)
    return fig


def _style_axes(ax: Axes, ylabel: str) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#d0d7de", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_ylabel(ylabel)
    ax.set_xlabel("time (s)")
    ax.margins(x=0.01)


def traces_for(kin: Kinematics, signal: str, faded_sides: Iterable[str] = ()) -> list[Trace]:
    """Return the traces of a signal: one per side when its name holds ``{side}``, else one ("both")."""
    faded = set(faded_sides)
    if "{side}" not in signal:
        return [Trace("both", kin[signal])] if signal in kin.signals else []
    names = [(s, signal.format(side=s)) for s in SIDES]
    return [Trace(s, kin[n], s in faded) for s, n in names if n in kin.signals and np.isfinite(kin[n]).any()]


def _event_points(kin: Kinematics, trace: Trace, kind: str, side: Side) -> tuple[np.ndarray, np.ndarray]:
    """Return times and signal values (interpolated, finite only) of one side's events of one kind."""
    times = np.array([e.time for e in kin.events_of(kind, side)])
    ok = np.isfinite(trace.values)
    if times.size == 0 or ok.sum() < 2:
        return np.zeros(0), np.zeros(0)
    vals = np.interp(times, kin.times[ok], trace.values[ok], left=np.nan, right=np.nan)
    keep = np.isfinite(vals)
    return times[keep], vals[keep]


def _draw_trace(ax: Axes, kin: Kinematics, trace: Trace, events: Sequence[str]) -> None:
    """Plot a trace; its events are marked in their own side's colour (both sides on a "both" trace)."""
    alpha = 0.35 if trace.faded else 1.0
    label = ("whole body" if trace.side == "both" else trace.side) + (
        " (not measured)" if trace.faded else ""
    )
    colour = SIDE_COLOURS[trace.side]
    ax.plot(kin.times, trace.values, SIDE_STYLES[trace.side], color=colour, lw=1.6, alpha=alpha, label=label)
    sides = SIDES if trace.side == "both" else (trace.side,)
    for kind in events:
        marker, filled = EVENT_MARKERS.get(kind, OTHER_MARKER)
        for side in sides:
            t, v = _event_points(kin, trace, kind, side)
            c = SIDE_COLOURS[side]
            ax.plot(
                t,
                v,
                ls="none",
                marker=marker,
                ms=5.5,
                mec=c,
                mfc=c if filled else "white",
                mew=1.3,
                alpha=alpha,
            )


def _legend(ax: Axes, traces: Sequence[Trace], events: Sequence[str]) -> None:
    handles, labels = ax.get_legend_handles_labels()
    for kind in events:
        marker, filled = EVENT_MARKERS.get(kind, OTHER_MARKER)
        (h,) = ax.plot(
            [], [], linestyle="none", marker=marker, ms=5.5, mec=INK, mfc=INK if filled else "white"
        )
        handles.append(h)
        labels.append(EVENT_NAMES.get(kind, kind.replace("_", " ")))
    ax.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=len(handles),
        frameon=False,
        fontsize=9,
    )


def signal_figure(
    kin: Kinematics,
    plot: PlotSpec,
    events: Sequence[str],
    faded_sides: Iterable[str] = (),
    window: tuple[float, float] | None = None,
    marks: Sequence[tuple[float, str]] = (),
) -> Figure | None:
    """Return a figure of one signal over time, per side, with the events marked; None without data.

    Parameters
    ----------
    kin : Kinematics
        Signals and events.
    plot : PlotSpec
        Which signal, and its labels.
    events : sequence of str
        Event kinds marked on the curves.
    faded_sides : iterable of str
        Sides drawn faded and labelled "not measured" (e.g. a hidden far leg).
    window : tuple of float, optional
        (start, end) in seconds shown; the whole recording when None.
    marks : sequence of (time, label)
        Moments flagged with a thin vertical line and a label (e.g. the key frames), seconds.
    """
    traces = traces_for(kin, plot.signal, faded_sides)
    if not traces:
        return None
    with _style():
        fig = _new_figure(TIME_FIG_IN)
        ax = fig.add_subplot()
        for tr in traces:
            _draw_trace(ax, kin, tr, events)
        _style_axes(ax, plot.ylabel)
        ax.axhline(0.0, color=MUTED, lw=0.8)
        if window is not None:
            ax.set_xlim(*window)
            _fit_y(ax, kin, traces, window)
        for t, text in marks:
            if window is None or window[0] <= t <= window[1]:
                ax.axvline(t, color=MUTED, lw=0.8, ls=":")
                ax.annotate(
                    text,
                    (t, 1.0),
                    xycoords=("data", "axes fraction"),
                    xytext=(3, -2),
                    textcoords="offset points",
                    va="top",
                    fontsize=8.5,
                    color=MUTED,
                )
        _legend(ax, traces, events)
    return fig


def _fit_y(ax: Axes, kin: Kinematics, traces: Sequence[Trace], window: tuple[float, float]) -> None:
    sel = (kin.times >= window[0]) & (kin.times <= window[1])
    vals = np.concatenate([t.values[sel] for t in traces])
    vals = vals[np.isfinite(vals)]
    if vals.size:
        lo, hi = min(float(vals.min()), 0.0), max(float(vals.max()), 0.0)
        pad = 0.08 * max(hi - lo, 1.0)
        ax.set_ylim(lo - pad, hi + pad)


def time_window(times: np.ndarray, focus: float | None, span: float = 6.0) -> tuple[float, float] | None:
    """Return a window of ``span`` seconds holding ``focus`` (about a quarter in), seconds.

    None when the recording is no longer than 1.3 x ``span`` (then it is shown whole).
    """
    t0, t1 = float(times[0]), float(times[-1])
    if t1 - t0 <= 1.3 * span:
        return None
    start = t0 if focus is None else focus - 0.25 * span
    start = min(max(start, t0), t1 - span)
    return start, start + span


def normalised_cycles(
    kin: Kinematics, signal: np.ndarray, side: Side, n: int = 101
) -> tuple[np.ndarray, list[float]]:
    """Return the signal over each regular stride of one foot, resampled to 0-100 % of the stride.

    A stride runs from a foot strike to the same foot's next one (strides far from the median
    duration are left out, as in the measures; see :func:`regular_strides`).

    Returns
    -------
    curves : ndarray, shape (strides, n)
        NaN where the signal is unknown.
    toe_offs : list of float
        Toe-off time within each stride that has one, percent of the stride.
    """
    strides = regular_strides(kin.events_of("foot_strike", side))
    offs = kin.events_of("toe_off", side)
    pct = np.linspace(0.0, 1.0, n)
    curves, toe = [], []
    for a, b in strides:
        curves.append(
            np.interp(a.time + pct * (b.time - a.time), kin.times, signal, left=np.nan, right=np.nan)
        )
        inside = [o.time for o in offs if a.time < o.time < b.time]
        if inside:
            toe.append(100.0 * (inside[0] - a.time) / (b.time - a.time))
    return (np.array(curves) if curves else np.zeros((0, n))), toe


def _cycle_traces(
    kin: Kinematics, plot: PlotSpec, faded_sides: Iterable[str], stride_side: Side
) -> list[tuple[Trace, np.ndarray, list[float], Side]]:
    """(trace, stride curves, toe-off percents, stride side) of each trace with regular strides."""
    out = []
    for tr in traces_for(kin, plot.signal, faded_sides):
        side = stride_side if tr.side == "both" else tr.side
        curves, toe = normalised_cycles(kin, tr.values, side)
        if len(curves):
            out.append((tr, curves, toe, side))
    return out


def cycle_figure(
    kin: Kinematics, plot: PlotSpec, faded_sides: Iterable[str] = (), stride_side: Side = "left"
) -> Figure | None:
    """Every stride overlaid on 0-100 % of the stride: thin lines, mean bold, median toe-off dotted.

    A per-side signal uses each side's own strides; a whole-body signal uses the strides of
    ``stride_side`` (the near foot). None when there is no regular stride.
    """
    traces = _cycle_traces(kin, plot, faded_sides, stride_side)
    if not traces:
        return None
    pct = np.linspace(0.0, 100.0, traces[0][1].shape[1])
    with _style():
        fig = _new_figure(TIME_FIG_IN, CYCLE_WIDTH_IN)
        ax = fig.add_subplot()
        for tr, curves, toe, side in traces:
            colour, alpha = SIDE_COLOURS[tr.side], (0.35 if tr.faded else 1.0)
            ax.plot(pct, curves.T, SIDE_STYLES[tr.side], color=colour, lw=0.7, alpha=0.18 * alpha)
            mean = np.nanmean(curves, axis=0) if np.isfinite(curves).any() else curves[0]
            name = tr.side if tr.side != "both" else f"{side} foot's strides"
            ax.plot(
                pct,
                mean,
                SIDE_STYLES[tr.side],
                color=colour,
                lw=2.2,
                alpha=alpha,
                label=f"{name} (n={len(curves)})",
            )
            if toe:
                ax.axvline(float(np.median(toe)), color=SIDE_COLOURS[side], lw=1.0, ls=":", alpha=alpha)
        _style_axes(ax, plot.ylabel)
        ax.set_xlabel("% of stride (foot strike to foot strike)")
        ax.set_xlim(0, 100)
        ax.axhline(0.0, color=MUTED, lw=0.8)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, frameon=False, fontsize=9)
    return fig


def stance_periods(kin: Kinematics, side: Side) -> list[tuple[float, float]]:
    """(foot strike, toe-off) times in seconds of each stance of one foot."""
    pairs = pair_stances(kin.events_of("foot_strike", side), kin.events_of("toe_off", side))
    return [(a.time, b.time) for a, b in pairs]


def footfall_figure(kin: Kinematics) -> Figure | None:
    """Bars of each foot's ground contact (foot strike to toe-off) over time; None without stances."""
    stances = {s: stance_periods(kin, s) for s in SIDES}
    if not any(stances.values()):
        return None
    with _style():
        fig = _new_figure(1.3, FIG_WIDTH_IN + CYCLE_WIDTH_IN)
        ax = fig.add_subplot()
        for row, side in enumerate(SIDES):
            bars = [(a, b - a) for a, b in stances[side]]
            ax.broken_barh(bars, (row - 0.32, 0.64), facecolors=SIDE_COLOURS[side], edgecolor="white", lw=0.5)
        ax.set_yticks([0, 1], [f"{s} foot" for s in SIDES])
        ax.set_ylim(-0.6, 1.6)
        ax.invert_yaxis()
        ax.set_xlim(float(kin.times[0]), float(kin.times[-1]))
        ax.spines[["top", "right", "left"]].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("time (s)")
    return fig


def figure_to_svg(fig: Figure, prefix: str, label: str) -> str:
    """Inline SVG of a figure (see :func:`kinechain.report.encode.figure_svg`)."""
    with _style():
        return figure_svg(fig, prefix, label)
