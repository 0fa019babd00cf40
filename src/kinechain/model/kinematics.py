"""Kinematics: named angle and position signals over time, plus detected events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from kinechain.model.vocab import Leg, Side, View


@dataclass(frozen=True)
class Event:
    """A moment in a movement, such as a foot strike.

    Attributes
    ----------
    kind : str
        "foot_strike", "toe_off", "rep_bottom", "landing", ...
    side : str
        "left", "right" or "both".
    time : float
        Time in seconds (may fall between frames).
    frame : int
        Index of the nearest frame.
    confidence : float
        0 to 1; how clear the event was in the signal.
    """

    kind: str
    side: Side
    time: float
    frame: int
    confidence: float = 1.0


@dataclass(frozen=True)
class KinematicsMeta:
    """Provenance of a Kinematics: body scale and orientation found while deriving the signals.

    Attributes
    ----------
    leg_length_px : dict of Leg to float
        Each leg's length (hip-knee plus knee-ankle), pixels; NaN when not found.
    forward : float, optional
        Side views: +1 when the person faces image-right, -1 image-left.
    medial_direction : dict of Leg to float
        Front/back views: image-x direction (+1 or -1) towards the body's midline from each leg.
    """

    leg_length_px: Mapping[Leg, float] = field(default_factory=dict)
    forward: float | None = None
    medial_direction: Mapping[Leg, float] = field(default_factory=dict)

    def mean_leg_length_px(self) -> float:
        """Mean of the two legs' lengths, pixels (NaN when neither is known; NaN legs are skipped)."""
        return float(np.nanmean(list(self.leg_length_px.values())))


@dataclass(frozen=True, eq=False)
class Kinematics:
    """Signals derived from a PoseSeries, all sampled at ``times``.

    Attributes
    ----------
    times : ndarray, shape (n,)
        Seconds.
    signals : dict of str to ndarray
        Each signal has shape (n,); NaN where not measurable.
    units : dict of str to str
        Unit of each signal ("deg", "px", "ratio", ...).
    events : tuple of Event
        Detected events, sorted by time.
    view : str, optional
        Camera view of the source recording.
    meta : KinematicsMeta
        Leg lengths (px), facing direction, medial directions.
    """

    times: np.ndarray
    signals: dict[str, np.ndarray]
    units: dict[str, str]
    events: tuple[Event, ...] = ()
    view: View | None = None
    meta: KinematicsMeta = field(default_factory=KinematicsMeta)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.signals[name]

    def events_of(self, kind: str, side: Side | None = None) -> list[Event]:
        """Return the events of one kind (and side, when given), in time order."""
        return [e for e in self.events if e.kind == kind and (side is None or e.side == side)]

    def with_events(self, events: list[Event] | tuple[Event, ...]) -> Kinematics:
        """Return a copy holding ``events`` (sorted by time) instead of the current ones."""
        return replace(self, events=tuple(sorted(events, key=lambda e: e.time)))
