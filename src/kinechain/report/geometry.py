"""Placement maths for drawn overlays: angle arcs, their reference lines, labels, crops.

Everything here works in image pixels (x to the right, y downward) and returns plain numbers, so
it is tested on constructed geometry without drawing anything. Angles in this module are image
angles in degrees: ``atan2(dy, dx)`` with y downward, so positive turns clockwise on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np

from kinechain.model.pose import LANDMARK_INDEX, other_side
from kinechain.model.vocab import Side, is_leg

#: Virtual landmarks: the midpoint of two real ones.
MIDPOINTS: dict[str, tuple[str, str]] = {
    "hip_centre": ("left_hip", "right_hip"),
    "shoulder_centre": ("left_shoulder", "right_shoulder"),
}


def landmark_xy(xy: np.ndarray, name: str, side: Side | None = None) -> np.ndarray:
    """Image position (px) of a landmark in one frame.

    Parameters
    ----------
    xy : ndarray, shape (33, 2)
        One frame of :attr:`PoseSeries.xy`, pixels.
    name : str
        Landmark name; may hold ``{side}`` / ``{other}``, or be a key of :data:`MIDPOINTS`.
    side : str, optional
        "left" or "right" (or "both"), substituted into ``name``; ``{other}`` is the opposite leg.

    Returns
    -------
    ndarray, shape (2,)
        Pixels; NaN when unknown.
    """
    if side is not None:
        name = name.format(side=side, other=other_side(side) if is_leg(side) else side)
    if name in MIDPOINTS:
        a, b = MIDPOINTS[name]
        return cast("np.ndarray", (xy[LANDMARK_INDEX[a]] + xy[LANDMARK_INDEX[b]]) / 2.0)
    return np.asarray(xy[LANDMARK_INDEX[name]], dtype=float)


def image_angle(v: np.ndarray) -> float:
    """Image angle of a vector in degrees, (-180, 180], clockwise on screen positive."""
    return float(np.degrees(np.arctan2(v[1], v[0])))


def wrap180(a: float) -> float:
    """Wrap an angle in degrees into (-180, 180]."""
    w = (a + 180.0) % 360.0 - 180.0
    return 180.0 if w == -180.0 else w


def unit(v: np.ndarray) -> np.ndarray:
    """Return the vector scaled to length 1 (NaN for a zero vector)."""
    n = float(np.hypot(v[0], v[1]))
    return np.asarray(v, float) / n if n > 0 else np.full(2, np.nan)


@dataclass(frozen=True)
class Arc:
    """An angle drawn as an arc from a reference direction to a segment.

    Attributes
    ----------
    vertex : ndarray, shape (2,)
        Centre of the arc, px.
    radius : float
        Arc radius, px.
    start : float
        Image angle of the reference direction, degrees.
    sweep : float
        Signed turn from the reference to the segment, degrees in (-180, 180].
    reference_end : ndarray, shape (2,)
        End of the dashed reference line drawn from ``vertex``, px.
    segment_end : ndarray, shape (2,)
        Far end of the measured segment (the distal point of a joint), px.
    """

    vertex: np.ndarray
    radius: float
    start: float
    sweep: float
    reference_end: np.ndarray
    segment_end: np.ndarray

    @property
    def size(self) -> float:
        """The unsigned angle the arc spans, degrees."""
        return abs(self.sweep)

    @property
    def bisector(self) -> np.ndarray:
        """Unit vector from the vertex through the middle of the arc."""
        a = np.radians(self.start + self.sweep / 2.0)
        return np.array([np.cos(a), np.sin(a)])

    def points(self, n: int = 48) -> np.ndarray:
        """Points along the arc, shape (n, 2), px, from the reference to the segment."""
        a = np.radians(self.start + np.linspace(0.0, self.sweep, n))
        return self.vertex + self.radius * np.stack([np.cos(a), np.sin(a)], axis=1)


def _reference(
    kind: str, a: np.ndarray, b: np.ndarray, c: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Return (vertex, reference direction) of an overlay kind."""
    if kind == "joint":
        if c is None:
            raise ValueError("a joint angle needs three points")
        return b, unit(b - a)
    d = b - a
    if kind == "to_vertical":
        return a, np.array([0.0, -1.0 if d[1] <= 0 else 1.0])
    if kind == "to_horizontal":
        return a, np.array([-1.0 if d[0] < 0 else 1.0, 0.0])
    raise ValueError(f"overlay kind must be 'joint', 'to_vertical' or 'to_horizontal'; got {kind!r}")


def overlay_arc(kind: str, pts: np.ndarray, radius: float, min_radius: float = 0.0) -> Arc | None:
    """Arc of an angle overlay (see :class:`kinechain.report.spec.AngleOverlay`).

    Parameters
    ----------
    kind : str
        "joint", "to_vertical" or "to_horizontal".
    pts : ndarray, shape (k, 2)
        The overlay's points in px: (proximal, joint, distal) for "joint", (anchor, other) else.
    radius : float
        Largest arc radius, px. The arc is kept to 0.4 x the shorter segment so that arcs at
        both ends of a limb do not meet, but not below ``min_radius`` (or 0.9 x the segment,
        when that is shorter).
    min_radius : float
        Smallest arc radius on a short segment, px.

    Returns
    -------
    Arc or None
        None when a point is unknown or a segment has zero length.
    """
    if not np.isfinite(pts).all():
        return None
    a, b = pts[0], pts[1]
    c = pts[2] if len(pts) > 2 else None
    vertex, ref = _reference(kind, a, b, c)
    end = c if kind == "joint" and c is not None else b
    seg = end - vertex
    lengths = [float(np.hypot(*seg))] + ([float(np.hypot(*(b - a)))] if kind == "joint" else [])
    if min(lengths) <= 0 or not np.isfinite(ref).all():
        return None
    shortest = min(lengths)
    r = min(radius, max(0.4 * shortest, min(min_radius, 0.9 * shortest)))
    start = image_angle(ref)
    sweep = wrap180(image_angle(seg) - start)
    return Arc(vertex, r, start, sweep, vertex + ref * r * 1.6, end)


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in px: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box, pad: float = 0.0) -> bool:
        """Return True when the boxes (grown by ``pad`` px) intersect."""
        return not (
            self.x + self.w + pad <= other.x
            or other.x + other.w + pad <= self.x
            or self.y + self.h + pad <= other.y
            or other.y + other.h + pad <= self.y
        )

    def inside(self, width: float, height: float) -> bool:
        """Return True when the box lies within an image of this size."""
        return self.x >= 0 and self.y >= 0 and self.x + self.w <= width and self.y + self.h <= height


def _candidates(arc: Arc, w: float, h: float) -> list[Box]:
    """Label boxes around the vertex just outside the arc, best first.

    Preferred is the arc's bisector at the smallest distance that clears the arc; then spots
    turned away from the bisector in 20 degree steps and further out, ranked by a cost of
    0.7 px per degree turned plus 1 px per px of extra distance, relative to the arc radius.
    """
    base = np.degrees(np.arctan2(arc.bisector[1], arc.bisector[0]))
    scored = []
    for turn in np.arange(-180.0, 181.0, 20.0):
        a = np.radians(base + turn)
        u = np.array([np.cos(a), np.sin(a)])
        clear = arc.radius * 1.1 + abs(u[0]) * w / 2 + abs(u[1]) * h / 2
        for extra in (0.0, 0.6, 1.2, 2.0, 3.0):
            c = arc.vertex + (clear + extra * arc.radius) * u
            cost = 0.7 * abs(turn) / 20.0 * arc.radius / 10.0 + extra * arc.radius
            scored.append((cost, Box(float(c[0]) - w / 2, float(c[1]) - h / 2, w, h)))
    scored.sort(key=lambda cb: cb[0])
    return [b for _, b in scored]


def place_labels(
    arcs: list[Arc],
    sizes: list[tuple[float, float]],
    image_size: tuple[int, int],
    avoid: list[Box] | None = None,
    pad: float = 4.0,
) -> list[Box]:
    """Choose a box for each arc's label so that labels neither overlap nor leave the image.

    Each label takes the best free spot of :func:`_candidates` (clear of earlier labels and of
    ``avoid``); when no spot is free, the best spot inside the image.

    Parameters
    ----------
    arcs : list of Arc
        The arcs to label.
    sizes : list of (width, height)
        Label sizes, px.
    image_size : tuple of int
        (width, height) of the image, px.
    avoid : list of Box, optional
        Areas labels must not cover (e.g. the joints and bones of the measured leg).
    pad : float
        Minimum gap between labels, px.

    Returns
    -------
    list of Box
        One box per arc, in order.
    """
    avoid = list(avoid or [])
    placed: list[Box] = []
    for arc, (w, h) in zip(arcs, sizes, strict=True):
        options = [b for b in _candidates(arc, w, h) if b.inside(*image_size)] or _candidates(arc, w, h)
        free = (
            b
            for b in options
            if not any(b.overlaps(t, pad) for t in placed) and not any(b.overlaps(t) for t in avoid)
        )
        apart = (b for b in options if not any(b.overlaps(t, pad) for t in placed))
        box = next(free, None) or next(apart, options[0])
        placed.append(box)
    return placed


def person_crop(
    points: np.ndarray, image_size: tuple[int, int], margin: float = 0.12, aspect: float = 0.75
) -> tuple[int, int, int, int]:
    """Crop box (x0, y0, x1, y1) around the known landmarks, px, inside the image.

    Parameters
    ----------
    points : ndarray, shape (k, 2)
        Landmarks in px (NaN rows ignored).
    image_size : tuple of int
        (width, height), px.
    margin : float
        Margin on every side as a share of the person's larger extent.
    aspect : float
        Width / height of the crop: the box grows about its centre to reach it, so every key
        frame has the same shape (unless the image itself is too small).
    """
    width, height = image_size
    known = points[np.isfinite(points).all(axis=1)]
    if known.size == 0:
        return 0, 0, width, height
    (x0, y0), (x1, y1) = known.min(axis=0), known.max(axis=0)
    m = margin * max(y1 - y0, x1 - x0, 1.0)
    x0, x1, y0, y1 = x0 - m, x1 + m, y0 - m, y1 + m
    if (x1 - x0) < aspect * (y1 - y0):
        grow = (aspect * (y1 - y0) - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) / aspect - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    x0, x1 = _fit(x0, x1, width)
    y0, y1 = _fit(y0, y1, height)
    return int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))


def _fit(lo: float, hi: float, size: int) -> tuple[float, float]:
    """Shift the span [lo, hi] into [0, size], keeping its length when it fits, else clip it."""
    if lo < 0:
        lo, hi = 0.0, hi - lo
    if hi > size:
        lo, hi = lo - (hi - size), float(size)
    return max(0.0, lo), min(float(size), hi)


def segment_boxes(p: np.ndarray, q: np.ndarray, half: float) -> list[Box]:
    """Squares of half-size ``half`` px every ``half`` px along the segment p-q (areas to keep clear)."""
    if not (np.isfinite(p).all() and np.isfinite(q).all()):
        return []
    n = max(1, int(np.ceil(float(np.hypot(*(q - p))) / half)))
    return [
        Box(float(c[0]) - half, float(c[1]) - half, 2 * half, 2 * half)
        for c in (p + (q - p) * k / n for k in range(n + 1))
    ]


def nearest_on_box(box: Box, p: np.ndarray) -> np.ndarray:
    """Return the point of ``box`` closest to ``p``, px."""
    return np.array([np.clip(p[0], box.x, box.x + box.w), np.clip(p[1], box.y, box.y + box.h)])
