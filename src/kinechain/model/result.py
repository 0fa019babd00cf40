"""AnalysisResult: the versioned JSON record of one analysed recording."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kinechain.model.measures import Measure
from kinechain.model.recording import VideoInfo
from kinechain.model.vocab import Side, TestKind, View, ViewChoice

SCHEMA_VERSION = "kinechain.result/1"


class EventRecord(BaseModel):
    """A detected event: kind, side, time (s), nearest frame, confidence (0-1)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    side: Side
    time: float
    frame: int
    confidence: float


class ViewRecord(BaseModel):
    """The camera view analysed, and how it was decided."""

    model_config = ConfigDict(frozen=True)

    view: View
    requested: ViewChoice
    detected: View | None = None
    detected_confidence: float | None = None


class AnalysisResult(BaseModel):
    """Everything measured on one recording, as written to ``--json``.

    The schema is versioned by ``schema_version``; fields are only ever added within a version.
    """

    model_config = ConfigDict(frozen=True)

    schema_version: Literal["kinechain.result/1"] = "kinechain.result/1"
    kinechain_version: str
    created: datetime
    test: TestKind
    view: ViewRecord
    clip: VideoInfo | None = None
    pose_source: str
    settings: dict[str, Any] = Field(default_factory=dict)
    quality: dict[str, Any] = Field(default_factory=dict)
    measures: list[Measure]
    events: list[EventRecord] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def measure(self, id: str, side: Side | None = None) -> Measure | None:
        """Return the measure with this id (and side, when given), or None."""
        for m in self.measures:
            if m.id == id and (side is None or m.side == side):
                return m
        return None

    def refusals(self) -> list[str]:
        """Return why the capture checks would have refused this clip (it was analysed with the gate off).

        A clip that was not the declared test, or could not be measured reliably, is listed here;
        its measures are not interpreted (:meth:`kinechain.clinic.assessment.Assessment.measure_sets`).
        """
        checks = self.quality.get("checks", {})
        return [
            str(c.get("message", ""))
            for c in checks.values()
            if isinstance(c, dict) and not c.get("ok", True) and c.get("severity") == "error"
        ]
