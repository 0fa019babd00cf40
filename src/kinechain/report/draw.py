"""Draw a skeleton and measured angles on a video frame (RGB uint8 numpy arrays, OpenCV).

Used for the report's key frames, the overlay video, and the clinic and web views. Sizes scale
with a ``unit`` length in px (about 1/100 of the person's height), so lines and labels read the
same on a crop shown on a phone and on a full-size video frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from kinechain.model.pose import LANDMARK_INDEX, SKELETON
from kinechain.model.vocab import Side
from kinechain.report.geometry import (
    Arc,
    Box,
    landmark_xy,
    nearest_on_box,
    overlay_arc,
    place_labels,
    segment_boxes,
)
from kinechain.report.spec import AngleOverlay
from kinechain.report.text import put_text, text_size

INK = (17, 17, 17)
WHITE = (255, 255, 255)
FAR_BONE = (200, 200, 200)
#: Landmarks drawn as joints (the face and hands are left out to keep the figure calm).
JOINTS = tuple(
    f"{s}_{p}" for s in ("left", "right") for p in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """Convert "#RRGGBB" to an (r, g, b) tuple of 0-255 ints."""
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def dim(img: np.ndarray, factor: float = 0.72) -> np.ndarray:
    """Return a darker copy of an RGB image so drawn overlays stand out (factor 0-1)."""
    return (img.astype(np.float32) * factor).astype(np.uint8)


def _pt(p: np.ndarray) -> tuple[int, int]:
    return round(float(p[0]) * 16), round(float(p[1]) * 16)


def draw_line(
    img: np.ndarray, p: np.ndarray, q: np.ndarray, colour: tuple[int, int, int], width: int, outline: int = 0
) -> None:
    """Anti-aliased line (with an optional dark outline ``outline`` px wide), sub-pixel exact."""
    if not (np.isfinite(p).all() and np.isfinite(q).all()):
        return
    if outline:
        cv2.line(img, _pt(p), _pt(q), INK, width + 2 * outline, cv2.LINE_AA, 4)
    cv2.line(img, _pt(p), _pt(q), colour, width, cv2.LINE_AA, 4)


def draw_dashed(
    img: np.ndarray, p: np.ndarray, q: np.ndarray, colour: tuple[int, int, int], width: int, dash: float
) -> None:
    """Dashed anti-aliased line from ``p`` to ``q`` with dashes ``dash`` px long."""
    length = float(np.hypot(*(q - p)))
    n = max(1, int(length / (2 * dash)))
    for k in range(n + 1):
        a = p + (q - p) * min(1.0, 2 * k * dash / length)
        b = p + (q - p) * min(1.0, (2 * k + 1) * dash / length)
        draw_line(img, a, b, colour, width, outline=1)


def _bone_side(a: str, b: str) -> str | None:
    sides = {n.split("_", 1)[0] for n in (a, b)}
    return sides.pop() if len(sides) == 1 else None


def draw_skeleton(
    img: np.ndarray, xy: np.ndarray, unit: float, near: str | None = None, highlight: str | None = None
) -> None:
    """Draw bones and joints of one frame's landmarks onto ``img`` in place.

    Parameters
    ----------
    img : ndarray, shape (h, w, 3), uint8
        RGB image, modified in place.
    xy : ndarray, shape (33, 2)
        Landmarks in the image's px (NaN: not drawn).
    unit : float
        Size unit, px (about 1/100 of the person's height).
    near : str, optional
        The side nearer the camera; the far side's bones are drawn thinner and grey.
    highlight : str, optional
        A side whose leg is drawn thicker (the leg of a key event).
    """
    width = max(1, round(0.9 * unit))
    for a, b in SKELETON:
        side = _bone_side(a, b)
        lit = side is not None and side == highlight
        far = near is not None and side is not None and side != near and not lit
        w = width + (1 if lit else 0)
        colour = FAR_BONE if far else WHITE
        draw_line(img, xy[LANDMARK_INDEX[a]], xy[LANDMARK_INDEX[b]], colour, w, outline=max(1, width // 2))
    r = max(2, round(1.1 * unit))
    for name in JOINTS:
        p = xy[LANDMARK_INDEX[name]]
        if np.isfinite(p).all():
            far = near is not None and not name.startswith((near, highlight or near))
            cv2.circle(img, _pt(p), r * 16, INK, -1, cv2.LINE_AA, 4)
            cv2.circle(img, _pt(p), (r - 1) * 16, FAR_BONE if far else WHITE, -1, cv2.LINE_AA, 4)


def _fill_sector(img: np.ndarray, poly: np.ndarray, colour: tuple[int, int, int], alpha: float) -> None:
    """Blend a filled polygon into ``img`` with opacity ``alpha``, touching only its bounding box."""
    h, w = img.shape[:2]
    x0, y0 = np.clip(np.floor(poly.min(axis=0)).astype(int) - 1, 0, [w, h])
    x1, y1 = np.clip(np.ceil(poly.max(axis=0)).astype(int) + 2, 0, [w, h])
    if x1 <= x0 or y1 <= y0:
        return
    region = img[y0:y1, x0:x1]
    layer = region.copy()
    shifted = np.round((poly - [x0, y0]) * 16).astype(np.int32)
    cv2.fillPoly(layer, [shifted], colour, cv2.LINE_AA, 4)
    cv2.addWeighted(layer, alpha, region, 1 - alpha, 0, dst=region)


def draw_arc(img: np.ndarray, arc: Arc, colour: tuple[int, int, int], unit: float) -> None:
    """Draw an angle: dashed reference line, arc and a light fill of the swept sector."""
    pts = arc.points(max(8, int(arc.size / 3) + 2))
    _fill_sector(img, np.vstack([arc.vertex, pts]), colour, 0.35)
    draw_dashed(img, arc.vertex, arc.reference_end, colour, max(1, round(0.5 * unit)), dash=1.6 * unit)
    line_w = max(1, round(0.7 * unit))
    poly = [np.round(pts * 16).astype(np.int32)]
    cv2.polylines(img, poly, False, INK, line_w + 2, cv2.LINE_AA, 4)
    cv2.polylines(img, poly, False, colour, line_w, cv2.LINE_AA, 4)


def label_text(overlay: AngleOverlay, value: float) -> str:
    """Text of an angle's label on the frame, e.g. "Knee 8°"."""
    return f"{overlay.short} {value:.0f}°"


def draw_label(img: np.ndarray, box: Box, text: str, colour: tuple[int, int, int], size_px: int) -> None:
    """Draw a rounded pill filled with ``colour`` holding near-black ``text`` (contrast above 7:1)."""
    x0, y0, x1, y1 = round(box.x), round(box.y), round(box.x + box.w), round(box.y + box.h)
    rad = max(2, (y1 - y0) // 3)
    cv2.rectangle(img, (x0 + rad, y0), (x1 - rad, y1), colour, -1, cv2.LINE_AA)
    cv2.rectangle(img, (x0, y0 + rad), (x1, y1 - rad), colour, -1, cv2.LINE_AA)
    for cx, cy in ((x0 + rad, y0 + rad), (x1 - rad, y0 + rad), (x0 + rad, y1 - rad), (x1 - rad, y1 - rad)):
        cv2.circle(img, (cx, cy), rad, colour, -1, cv2.LINE_AA)
    tw, th = text_size(text, size_px)
    put_text(img, text, x0 + (x1 - x0 - tw) // 2, y0 + (y1 - y0 - th) // 2, size_px, INK)


@dataclass(frozen=True)
class DrawnAngle:
    """An angle drawn on a frame: which overlay, its arc, and the value printed."""

    overlay: AngleOverlay
    arc: Arc
    value: float


def angle_arcs(
    xy: np.ndarray,
    overlays: Sequence[AngleOverlay],
    side: Side,
    radius: float,
    values: dict[str, float] | None = None,
    min_radius: float = 0.0,
) -> list[DrawnAngle]:
    """Arcs of the overlays that can be drawn on this frame, with the value each shows.

    ``values`` maps an overlay's signal name (``{side}`` filled in) to its value at the frame;
    an overlay whose value is missing or NaN shows the unsigned drawn angle instead.
    """
    drawn = []
    for ov in overlays:
        pts = np.array([landmark_xy(xy, name, side) for name in ov.points])
        arc = overlay_arc(ov.kind, pts, radius, min_radius)
        if arc is None:
            continue
        key = ov.signal.format(side=side) if ov.signal else None
        value = (values or {}).get(key, np.nan) if key else np.nan
        drawn.append(DrawnAngle(ov, arc, float(value) if np.isfinite(value) else arc.size))
    return drawn


def draw_angles(img: np.ndarray, angles: Sequence[DrawnAngle], unit: float, avoid: list[Box]) -> list[Box]:
    """Draw arcs and their labels (placed clear of each other and of ``avoid``); return the label boxes.

    The measured segment of a "to_vertical" / "to_horizontal" angle is drawn in the angle's
    colour; a label that had to move away from its arc gets a thin leader line to it.
    """
    for a in angles:
        colour = hex_rgb(a.overlay.colour)
        if a.overlay.kind != "joint":
            draw_line(img, a.arc.vertex, a.arc.segment_end, colour, max(1, round(0.6 * unit)), outline=1)
        draw_arc(img, a.arc, colour, unit)
    size_px = max(10, round(3.8 * unit))
    texts = [label_text(a.overlay, a.value) for a in angles]
    sizes = [(text_size(t, size_px)[0] + 1.1 * size_px, 1.55 * size_px) for t in texts]
    boxes = place_labels([a.arc for a in angles], sizes, (img.shape[1], img.shape[0]), avoid)
    for a, box, text in zip(angles, boxes, texts, strict=True):
        colour = hex_rgb(a.overlay.colour)
        mid = a.arc.vertex + a.arc.radius * a.arc.bisector
        near = nearest_on_box(box, mid)
        if float(np.hypot(*(near - mid))) > 0.25 * a.arc.radius:
            draw_line(img, mid, near, colour, max(1, round(0.35 * unit)), outline=1)
        draw_label(img, box, text, colour, size_px)
    return boxes


def keep_clear(
    xy: np.ndarray, names: Sequence[str], bones: Sequence[tuple[str, str]], unit: float
) -> list[Box]:
    """Areas labels should not cover: around the named joints and along the listed bones."""
    boxes = joint_boxes(xy, names, 2.5 * unit)
    for a, b in bones:
        boxes += segment_boxes(landmark_xy(xy, a), landmark_xy(xy, b), 1.2 * unit)
    return boxes


def joint_boxes(xy: np.ndarray, names: Sequence[str], half: float) -> list[Box]:
    """Squares of half-size ``half`` px around the named landmarks (areas labels should not cover)."""
    out = []
    for n in names:
        p = xy[LANDMARK_INDEX[n]]
        if np.isfinite(p).all():
            out.append(Box(float(p[0]) - half, float(p[1]) - half, 2 * half, 2 * half))
    return out
