"""Kinematics: named angle and position signals over time, plus detected events."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from kinechain.model.vocab import Side, View


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
    meta : dict
        Provenance (filter cutoff, leg length, facing direction, ...).
    """

    times: np.ndarray
    signals: dict[str, np.ndarray]
    units: dict[str, str]
    events: tuple[Event, ...] = ()
    view: View | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.signals[name]

    def events_of(self, kind: str, side: Side | None = None) -> list[Event]:
        """Return the events of one kind (and side, when given), in time order."""
        return [e for e in self.events if e.kind == kind and (side is None or e.side == side)]

    def with_events(self, events: list[Event] | tuple[Event, ...]) -> Kinematics:
        """Return a copy holding ``events`` (sorted by time) instead of the current ones."""
        return replace(self, events=tuple(sorted(events, key=lambda e: e.time)))
