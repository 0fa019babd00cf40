"""Data types that flow through the pipeline; this package imports nothing else of kinechain."""

from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.measures import Measure, MeasureSet, confidence_label
from kinechain.model.pose import LANDMARK_NAMES, PoseSeries
from kinechain.model.recording import VideoInfo

__all__ = [
    "LANDMARK_NAMES",
    "Event",
    "Kinematics",
    "Measure",
    "MeasureSet",
    "PoseSeries",
    "VideoInfo",
    "confidence_label",
]
