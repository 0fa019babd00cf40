"""Follow one person across frames when several are in view, and never mix people."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A candidate person in one frame: normalised landmarks (33, 2) in [0, 1] image units.
Candidate = np.ndarray


@dataclass(frozen=True)
class Box:
    """Axis-aligned box in normalised image units (0-1)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def around(cls, points: np.ndarray) -> Box:
        """Return the box around the finite points of an (k, 2) array."""
        lo, hi = np.nanmin(points, axis=0), np.nanmax(points, axis=0)
        return cls(float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))

    @property
    def area(self) -> float:
        """Area in normalised units squared."""
        return max(0.0, self.x1 - self.x0) * max(0.0, self.y1 - self.y0)

    @property
    def centre(self) -> tuple[float, float]:
        """Centre point."""
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        """Height in normalised units."""
        return self.y1 - self.y0

    def iou(self, other: Box) -> float:
        """Intersection over union with another box (0 to 1)."""
        inter = Box(
            max(self.x0, other.x0), max(self.y0, other.y0), min(self.x1, other.x1), min(self.y1, other.y1)
        ).area
        union = self.area + other.area - inter
        return inter / union if union > 0 else 0.0

    def contains(self, x: float, y: float) -> bool:
        """Return True when the point lies inside the box."""
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


def prominence(box: Box, aspect: float = 1.0) -> float:
    """Score a person by size and closeness to the image centre (higher is more prominent).

    Parameters
    ----------
    box : Box
        The person's box, normalised units.
    aspect : float
        Image width / height, so that distance from the centre is measured in equal units.
    """
    cx, cy = box.centre
    dist = np.hypot((cx - 0.5) * aspect, cy - 0.5)
    return box.area * float(np.exp(-2.0 * dist))


def choose_initial(boxes: list[Box], point: tuple[float, float] | None, aspect: float) -> int | None:
    """Pick the person to follow: the one containing (or nearest) ``point``, else the most prominent."""
    if not boxes:
        return None
    if point is not None:
        inside = [i for i, b in enumerate(boxes) if b.contains(*point)]
        pool = inside or range(len(boxes))
        return min(pool, key=lambda i: np.hypot(boxes[i].centre[0] - point[0], boxes[i].centre[1] - point[1]))
    return max(range(len(boxes)), key=lambda i: prominence(boxes[i], aspect))


@dataclass
class Follower:
    """Keeps hold of one person from frame to frame.

    A candidate is accepted only if it overlaps the last accepted box (IoU >= ``min_iou``) or its
    centre lies within ``max_jump`` box-heights of it; the allowed jump grows slowly while the
    person is lost so they can be picked up again, but another person is never taken instead.
    """

    point: tuple[float, float] | None = None
    aspect: float = 1.0
    min_iou: float = 0.3
    max_jump: float = 0.35
    last: Box | None = None
    lost: int = 0

    def step(self, candidates: list[Candidate]) -> int | None:
        """Return the index of the followed person among this frame's candidates, or None."""
        boxes = [Box.around(c) for c in candidates]
        idx = choose_initial(boxes, self.point, self.aspect) if self.last is None else self._match(boxes)
        if idx is None:
            self.lost += 1
            return None
        self.last, self.lost = boxes[idx], 0
        return idx

    def _match(self, boxes: list[Box]) -> int | None:
        assert self.last is not None
        last = self.last
        best, best_cost = None, np.inf
        limit = self.max_jump * (1.0 + 0.05 * self.lost)
        for i, b in enumerate(boxes):
            jump = np.hypot(b.centre[0] - last.centre[0], b.centre[1] - last.centre[1]) / max(
                last.height, 1e-6
            )
            ok = b.iou(last) >= self.min_iou or jump <= limit
            if ok and jump < best_cost:
                best, best_cost = i, jump
        return best
