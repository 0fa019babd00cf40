"""How a protocol declares its measures: one :class:`Spec` per measure.

A spec holds everything that defines a measure: its id, unit, valid range, sides, the view it
needs and its confidence rule (what it needs for full confidence).

A protocol lists its specs in its ``measures`` attribute; :func:`kinechain.protocols.base.measure_specs`
gathers them over every registered test (docs/measures.md is checked against them by a test).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kinechain.model.vocab import Side, View
from kinechain.protocols.confidence import ConfidenceRule, Evidence, confidence
from kinechain.protocols.ranges import ValidRange

#: The view a measure needs: "front" (a front or back view), "side" (left or right) or "any".
Needs = Literal["any", "front", "side"]
#: ``Spec.sides`` of a measure taken on each leg.
EACH_LEG: tuple[Side, ...] = ("left", "right")


@dataclass(frozen=True)
class Spec:
    """The declaration of one measure, the one place that says what it is and where it applies.

    Attributes
    ----------
    id : str
        Stable id ``<test>.<name>``, documented in docs/measures.md.
    name : str
        Human-readable name.
    unit : str
        Unit of the value.
    valid : ValidRange, optional
        The range a real person doing the test can show (docs/measures.md); a value outside it is
        reported as not measurable (:func:`kinechain.protocols.ranges.limit`).
    sides : tuple of Side
        ``EACH_LEG`` for a measure of each leg, ``("both",)`` for one of the whole body or pair.
    needs : Needs
        The view the measure is taken from; from any other view it is reported as not
        measurable with the view to film (:func:`kinechain.protocols.filming.needs_view_reason`).
    confidence_rule : ConfidenceRule, optional
        Cycles and frame rate the measure needs for full confidence
        (:mod:`kinechain.protocols.confidence`). None only for a measure combined from two others
        (an asymmetry), whose confidence is the lower of theirs.
    """

    id: str
    name: str
    unit: str
    valid: ValidRange | None = None
    sides: tuple[Side, ...] = ("both",)
    needs: Needs = "any"
    confidence_rule: ConfidenceRule | None = None

    @property
    def key(self) -> str:
        """The id without its test prefix, e.g. "fppa" for "double_leg_squat.fppa"."""
        return self.id.split(".", 1)[1]

    def taken_from(self, view: View) -> bool:
        """Return True when the measure is taken from ``view``."""
        if self.needs == "any":
            return True
        return (view in ("front", "back")) == (self.needs == "front")

    def confidence(self, evidence: Evidence, n: int) -> float:
        """Return the 0-1 confidence of this measure averaged over ``n`` cycles with ``evidence``.

        Raises
        ------
        ValueError
            If the spec declares no confidence rule (a combined measure).
        """
        if self.confidence_rule is None:
            raise ValueError(f"measure {self.id} declares no confidence rule")
        return confidence(self.confidence_rule.inputs(evidence, n))
