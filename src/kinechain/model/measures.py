"""Measure and MeasureSet: the numbers a test produces, with their honesty attached."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from kinechain.model.vocab import ClinicSource, Side, TestKind, View

__all__ = ["Measure", "MeasureSet", "Side", "confidence_label"]


def confidence_label(confidence: float) -> str:
    """Return "high" (>= 0.7), "moderate" (>= 0.4) or "low" for a 0-1 confidence."""
    if confidence >= 0.7:
        return "high"
    if confidence >= 0.4:
        return "moderate"
    return "low"


class Measure(BaseModel):
    """One measured quantity of a test, or the reason it could not be measured.

    Attributes
    ----------
    id : str
        Stable identifier, documented in docs/measures.md (e.g. "running.cadence").
    name : str
        Human-readable name.
    value : float, optional
        Mean over the cycles or reps used; None when not measurable.
    unit : str
        "deg", "steps/min", "ms", "% leg length", ...
    side : str
        "left", "right", "both" (a whole-body measure) or "none".
    n : int
        Number of steps, strides or reps the value averages.
    spread : float, optional
        Sample standard deviation over those cycles, same unit as ``value``.
    per_cycle : list of float
        The value in each cycle, in time order.
    confidence : float
        0 to 1, from landmark visibility, number of cycles and camera geometry.
    category : str, optional
        A categorical result (e.g. foot-strike pattern "rearfoot").
    measurable : bool
        False when the video cannot give this measure; ``reason`` then says why.
    reason : str, optional
        Why the measure is not measurable, or a caution about it.
    view : str, optional
        Camera view the measure came from.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    value: float | None
    unit: str
    side: Side
    n: int = 0
    spread: float | None = None
    per_cycle: list[float] = Field(default_factory=list)
    confidence: float = 0.0
    category: str | None = None
    measurable: bool = True
    reason: str | None = None
    view: View | None = None

    @property
    def confidence_label(self) -> str:
        """Return "high", "moderate" or "low"."""
        return confidence_label(self.confidence)

    @classmethod
    def from_cycles(
        cls,
        *,
        id: str,
        name: str,
        unit: str,
        side: Side,
        values: Sequence[float],
        confidence: float,
        view: View | None = None,
        category: str | None = None,
        reason: str | None = None,
    ) -> Measure:
        """Build a measure from per-cycle values, ignoring NaN ones.

        Raises ValueError when no finite value is left; callers use :meth:`not_measurable`.
        """
        finite = [float(v) for v in values if v is not None and math.isfinite(v)]
        if not finite:
            raise ValueError(f"no finite per-cycle values for {id}")
        arr = np.asarray(finite)
        spread = float(np.std(arr, ddof=1)) if len(arr) > 1 else None
        return cls(
            id=id,
            name=name,
            value=float(np.mean(arr)),
            unit=unit,
            side=side,
            n=len(arr),
            spread=spread,
            per_cycle=[round(v, 4) for v in finite],
            confidence=round(float(np.clip(confidence, 0.0, 1.0)), 3),
            category=category,
            view=view,
            reason=reason,
        )

    @classmethod
    def not_measurable(
        cls, *, id: str, name: str, unit: str, side: Side, reason: str, view: View | None = None
    ) -> Measure:
        """Build the record of a measure that this video cannot give, with the reason."""
        return cls(
            id=id,
            name=name,
            value=None,
            unit=unit,
            side=side,
            measurable=False,
            reason=reason,
            view=view,
        )


class MeasureSet(BaseModel):
    """All measures of one test on one recording."""

    model_config = ConfigDict(frozen=True)

    test: TestKind | ClinicSource
    view: View | None
    measures: list[Measure]
    warnings: list[str] = Field(default_factory=list)

    def get(self, id: str, side: Side | None = None) -> Measure | None:
        """Return the measure with this id (and side, when given), or None."""
        for m in self.measures:
            if m.id == id and (side is None or m.side == side):
                return m
        return None

    def measurable(self) -> list[Measure]:
        """Return the measures that have a value."""
        return [m for m in self.measures if m.measurable]
