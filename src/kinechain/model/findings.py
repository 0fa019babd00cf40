"""The findings of one assessment: measures judged against their rules, ranked per factor.

The clinic engine (:mod:`kinechain.clinic.findings`) makes these; the plan, the explanations, the
report and the web app read them. Scoring weights are clinical convention (docs/clinic.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kinechain.model.measures import confidence_label
from kinechain.model.vocab import Side

#: Evidence strength of a rule: established, weak, unclear (clinical-evidence.md marks).
Strength = Literal["E", "W", "U"]
#: The band a measured value falls in.
Band = Literal["typical", "borderline", "notable"]

#: Points per band (clinical convention).
BAND_POINTS: dict[str, float] = {"notable": 2.0, "borderline": 1.0, "typical": 0.0}
#: Weight per strength mark (clinical convention).
STRENGTH_WEIGHT: dict[str, float] = {"E": 1.0, "W": 0.6, "U": 0.3}
Status = Literal["flagged", "typical", "descriptive", "not_assessed"]


class Caveat(BaseModel):
    """A piece of evidence that qualifies a whole factor."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    citation: str
    strength: Strength


class RedFlagHit(BaseModel):
    """A red-flag question answered "yes"."""

    model_config = ConfigDict(frozen=True)

    id: str
    question: str
    reason: str
    urgency: str
    source: str | None = None


class Referral(BaseModel):
    """The most urgent red-flag level reached: what to do, in words a person acts on."""

    model_config = ConfigDict(frozen=True)

    urgency: str
    title: str
    action: str


class MeasureFinding(BaseModel):
    """One measure judged against its rule."""

    model_config = ConfigDict(frozen=True)

    measure_id: str
    name: str
    test: str
    side: Side
    value: float
    unit: str
    spread: float | None = None
    n: int = 0
    per_cycle: list[float] = Field(default_factory=list)
    confidence: float
    band: Band | None
    band_text: str
    band_note: str | None = None
    rule_id: str
    rule_title: str
    citation: str
    strength: Strength
    band_basis: str
    factors: list[str]
    sdd: float | None
    sentence: str

    @property
    def flagged(self) -> bool:
        """True for a borderline or notable band."""
        return self.band in ("borderline", "notable")

    @property
    def score(self) -> float:
        """Band points x strength weight x measurement confidence."""
        points = BAND_POINTS.get(self.band or "typical", 0.0)
        return points * STRENGTH_WEIGHT[self.strength] * self.confidence


class NotMeasured(BaseModel):
    """Something a factor would use that this assessment did not give, and why."""

    model_config = ConfigDict(frozen=True)

    what: str
    test: str
    reason: str


class LinkFinding(BaseModel):
    """A link along the kinetic chain, shown because its factors were flagged."""

    model_config = ConfigDict(frozen=True)

    text: str
    citation: str
    strength: Strength


class FactorFinding(BaseModel):
    """The finding for one kinetic-chain factor."""

    model_config = ConfigDict(frozen=True)

    factor: str
    title: str
    plain: str
    status: Status
    score: float
    weight: float
    weight_reasons: list[str]
    confidence: float
    evidence: list[MeasureFinding]
    links: list[LinkFinding] = Field(default_factory=list)
    caveats: list[Caveat] = Field(default_factory=list)
    not_measured: list[NotMeasured] = Field(default_factory=list)
    headline: str = ""
    explanation: str = ""

    @property
    def confidence_label(self) -> str:
        """Return "high", "moderate" or "low"."""
        return confidence_label(self.confidence)


class Findings(BaseModel):
    """Everything the findings engine concluded for one assessment."""

    model_config = ConfigDict(frozen=True)

    stopped: bool
    red_flags: list[RedFlagHit]
    stop_message: str | None
    referral: Referral | None = None
    factors: list[FactorFinding]
    measures: list[MeasureFinding]
    not_measurable: list[NotMeasured]
    unknown_measures: list[str]

    def flagged(self) -> list[FactorFinding]:
        """Return the flagged factors, highest score first."""
        return [f for f in self.factors if f.status == "flagged"]

    def factor(self, factor: str) -> FactorFinding:
        """Return the finding of one factor (KeyError when absent)."""
        for f in self.factors:
            if f.factor == factor:
                return f
        raise KeyError(factor)
