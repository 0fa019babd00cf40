"""The clinical rules' data types: band conditions, bands, smallest detectable differences, rules.

The clinic engine (:mod:`kinechain.clinic.knowledge`) reads them from ``rules.yaml``; the findings,
the knowledge documentation and the report's band bars read them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kinechain.model.findings import Band, Strength

#: Which way a rule's measure gets worse.
Direction = Literal["higher_is_worse", "lower_is_worse", "none"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Condition(_Frozen):
    """One side of a band boundary: exactly one of the four comparisons is set."""

    above: float | None = None
    at_or_above: float | None = None
    below: float | None = None
    at_or_below: float | None = None

    @model_validator(mode="after")
    def _one(self) -> Condition:
        if sum(v is not None for v in self._pairs().values()) != 1:
            raise ValueError("a band condition needs exactly one of above, at_or_above, below, at_or_below")
        return self

    def _pairs(self) -> dict[str, float | None]:
        return {
            "above": self.above,
            "at_or_above": self.at_or_above,
            "below": self.below,
            "at_or_below": self.at_or_below,
        }

    @property
    def op(self) -> str:
        """The comparison in use ("above", "at_or_above", "below" or "at_or_below")."""
        return next(k for k, v in self._pairs().items() if v is not None)

    @property
    def threshold(self) -> float:
        """The boundary value, in the rule's unit."""
        value = self._pairs()[self.op]
        assert value is not None
        return value

    def holds(self, value: float) -> bool:
        """Return True when ``value`` meets the condition."""
        t = self.threshold
        return {
            "above": value > t,
            "at_or_above": value >= t,
            "below": value < t,
            "at_or_below": value <= t,
        }[self.op]

    def describe(self, unit: str) -> str:
        """Plain words, e.g. "at or above 16.8 deg"."""
        return f"{self.op.replace('_', ' ')} {self.threshold:g} {unit}".strip()


class BandSet(_Frozen):
    """The notable and (optional) borderline conditions of one rule for one sex (or any)."""

    notable: Condition
    borderline: Condition | None = None

    def band(self, value: float) -> Band:
        """Return the band of ``value``: notable first, then borderline, else typical."""
        if self.notable.holds(value):
            return "notable"
        if self.borderline is not None and self.borderline.holds(value):
            return "borderline"
        return "typical"


class SDD(_Frozen):
    """Smallest detectable difference (or minimal detectable change) of a measure."""

    value: float = Field(gt=0)
    citation: str
    strength: Strength
    note: str | None = None


class Rule(_Frozen):
    """One knowledge-base rule: which measures, which bands, which factor, which evidence."""

    id: str
    title: str
    measures: list[str] = Field(min_length=1)
    unit: str | None
    factors: list[str]
    direction: Direction
    bands: dict[Literal["any", "female", "male"], BandSet] | None
    band_basis: str
    derivation: str | None = None
    sdd: SDD | None
    citation: str
    strength: Strength
    plain: str
    #: A value at the instant of foot contact: not compared between clips filmed below 60 fps.
    timing: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if self.bands is not None:
            keys = set(self.bands)
            if keys not in ({"any"}, {"female", "male"}):
                raise ValueError(f"rule {self.id}: bands must be keyed 'any' or both 'female' and 'male'")
            if self.direction == "none" or self.unit is None:
                raise ValueError(f"rule {self.id}: banded rules need a direction and a unit")
            for bs in self.bands.values():
                _check_order(self.id, self.direction, bs)
        if "{value}" not in self.plain:
            raise ValueError(f"rule {self.id}: 'plain' must contain {{value}}")
        if len({m.split(".", 1)[1] for m in self.measures}) > 1 and "{name}" not in self.plain:
            raise ValueError(f"rule {self.id}: a rule over different measures must name them with {{name}}")
        return self

    def bands_for(self, sex: str | None) -> BandSet | None:
        """Return the bands for this sex; None when descriptive, or sex-specific and sex unknown."""
        if self.bands is None:
            return None
        if "any" in self.bands:
            return self.bands["any"]
        return self.bands.get(sex) if sex in ("female", "male") else None  # type: ignore[call-overload]

    @property
    def by_sex(self) -> bool:
        """True when the bands differ for women and men."""
        return self.bands is not None and "any" not in self.bands


def _check_order(rule_id: str, direction: str, bs: BandSet) -> None:
    if bs.borderline is None:
        return
    worse_is_higher = direction == "higher_is_worse"
    ok = (
        bs.notable.threshold >= bs.borderline.threshold
        if worse_is_higher
        else bs.notable.threshold <= bs.borderline.threshold
    )
    wrong_ops = ("below", "at_or_below") if worse_is_higher else ("above", "at_or_above")
    if not ok or bs.notable.op in wrong_ops or bs.borderline.op in wrong_ops:
        raise ValueError(f"rule {rule_id}: notable and borderline thresholds contradict {direction}")
