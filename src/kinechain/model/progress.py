"""The progress between two assessments of one person: each measure's and outcome's change and verdict.

The clinic engine (:func:`kinechain.clinic.reassess.compare`) makes a :class:`Progress`; the
report and the web app render it. How changes are judged (SDD, MCID, the clip's own noise) is
described in :mod:`kinechain.clinic.reassess`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

#: How a change of a measure is judged.
Verdict = Literal[
    "real improvement",
    "real worsening",
    "real change",
    "within measurement error",
    "no smallest detectable difference known",
    "not judged: filmed below 60 fps",
    "not judged: different pose models",
    "not judged: different frame rates",
]


class Change(BaseModel):
    """The change of one measure (one side) between two assessments."""

    model_config = ConfigDict(frozen=True)

    measure_id: str
    name: str
    side: str
    unit: str
    before: float
    after: float
    change: float
    sdd: float | None
    sdd_source: str | None
    verdict: Verdict


class PainChange(BaseModel):
    """The change of a 0-10 pain score."""

    model_config = ConfigDict(frozen=True)

    label: str
    before: int
    after: int
    change: int
    verdict: str


class PsfsChange(BaseModel):
    """The change of one PSFS activity score, judged against its MCID (2 points, convention)."""

    model_config = ConfigDict(frozen=True)

    activity: str
    before: int
    after: int
    change: int
    verdict: str = ""


class ScoreChange(BaseModel):
    """The change of a validated score's total (KOOS-PF, AKPS; 0-100, higher is better)."""

    model_config = ConfigDict(frozen=True)

    label: str
    before: float
    after: float
    change: float
    mcid: float | None
    verdict: str
    source: str


class Progress(BaseModel):
    """Everything that changed between two assessments."""

    model_config = ConfigDict(frozen=True)

    before_date: date
    after_date: date
    changes: list[Change]
    pain: list[PainChange]
    psfs: list[PsfsChange]
    only_before: list[str]
    only_after: list[str]
    pain_source: str
    scores: list[ScoreChange] = []
    psfs_source: str = ""
    method_notes: list[str] = []
