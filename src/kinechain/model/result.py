"""The result of analysing one recording: the JSON record (AnalysisResult) and Analysis.

Analysis holds the record together with the pose and kinematics it came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, with_config
from typing_extensions import TypedDict  # pydantic validates only this one before Python 3.12

from kinechain.model.kinematics import Kinematics
from kinechain.model.measures import Measure
from kinechain.model.pose import CheckedPoseMeta, CleaningRecord, PoseSeries
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


class CheckRecord(BaseModel):
    """One capture check as written to the result: passed or not, how serious, what to do, its value."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    severity: str
    message: str = ""
    value: int | float | None = None


class QualityRecord(BaseModel):
    """How the recording was captured and what the capture checks found.

    Attributes
    ----------
    frames, frames_with_person : int
        Frames read, and frames where the person was found.
    fps : float
        Mean frame rate of the pose series, frames per second.
    duration_s : float
        Seconds.
    variable_frame_rate : bool
        True when more than 5 % of the frame intervals differ from the median by over 10 %.
    image_size : list of int
        [width, height] in pixels, after rotation.
    mean_visibility : float
        Mean landmark visibility (0-1) over the frames with the person.
    source_fps : float, optional
        The video's own frame rate, when there was a video.
    checks : dict of str to CheckRecord
        The capture checks by name (docs/protocols.md).
    """

    model_config = ConfigDict(frozen=True)

    frames: int = 0
    frames_with_person: int = 0
    fps: float = 0.0
    duration_s: float = 0.0
    variable_frame_rate: bool = False
    image_size: list[int] = Field(default_factory=lambda: [0, 0])
    mean_visibility: float = 0.0
    source_fps: float | None = None
    checks: dict[str, CheckRecord] = Field(default_factory=dict)


class DetectionRecord(TypedDict, total=False):
    """What test and view detection saw, ``settings["detection"]`` of a result.

    The test keys are present only when the pose was searched for a test.

    Attributes
    ----------
    requested_test : str
        The test asked for ("auto" or a test name).
    view : str
        The view the pose looks like ("left", "right", "front" or "back").
    view_confidence : float
        0-1 confidence in that view.
    test : str
        The test the movement looks like ("unknown" when none).
    test_confidence : float
        0-1 confidence in that test.
    reason : str
        One sentence: what was seen.
    evidence : dict of str to float or None
        The figures behind the guess (e.g. ``stride_period_s``, seconds); None when not finite.
    """

    requested_test: str
    view: str
    view_confidence: float
    test: str
    test_confidence: float
    reason: str
    evidence: dict[str, float | None]


@with_config(ConfigDict(extra="allow"))
class AnalysisSettings(TypedDict, total=False):
    """How a result was made, ``AnalysisResult.settings``; keys written in this order.

    A record written by another version may lack keys or hold others (kept as they are).

    Attributes
    ----------
    pose : PoseMeta
        The pose engine's provenance (:attr:`PoseSeries.meta` without its cleaning record), e.g.
        ``model``, ``model_sha256``, ``max_people_seen``; the keys differ between engines.
    cleaning : CleaningRecord
        The cleaning settings and frames repaired.
    model_choice : str
        The pose model asked for ("fast", "balanced" or "accurate").
    detection : DetectionRecord
        What test and view detection saw.
    options : dict of str to float
        The test options given (e.g. ``foot_length_cm``, cm).
    """

    pose: CheckedPoseMeta
    cleaning: CleaningRecord
    model_choice: str
    detection: DetectionRecord
    options: dict[str, float]


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
    settings: AnalysisSettings = Field(default_factory=AnalysisSettings)
    quality: QualityRecord = Field(default_factory=QualityRecord)
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
        return [c.message for c in self.quality.checks.values() if not c.ok and c.severity == "error"]


@dataclass(frozen=True)
class Analysis:
    """The outcome of analysing one recording.

    Attributes
    ----------
    result : AnalysisResult
        The versioned, JSON-serialisable record (measures, events, clip, settings).
    raw_pose : PoseSeries
        Landmarks as the estimator gave them.
    pose : PoseSeries
        Cleaned landmarks the measures were taken from.
    kinematics : Kinematics
        Signals and events.
    video : Path, optional
        The source video, when there was one (for key frames and overlays).
    """

    result: AnalysisResult
    raw_pose: PoseSeries
    pose: PoseSeries
    kinematics: Kinematics
    video: Path | None

    def to_json(self, path: str | os.PathLike[str] | None = None) -> str:
        """Return the result as JSON text, and write it to ``path`` when given."""
        text = self.result.model_dump_json(indent=2)
        if path is not None:
            Path(path).write_text(text)
        return text
