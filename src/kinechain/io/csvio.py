"""CSV exports of results and keypoint series, and readers for them (round trip).

- Measures: one row per measure, the fields of :class:`kinechain.model.Measure`; ``per_cycle``
  values joined by ";".
- Events: one row per event (kind, side, time in s, frame, confidence).
- Keypoints: one row per frame: ``time`` (s), then ``<landmark>_x``, ``<landmark>_y`` (image px,
  y down) and ``<landmark>_visibility`` for the 33 BlazePose landmarks, then ``<landmark>_X/_Y/_Z``
  (metres) when the series has 3D landmarks. A first comment line (``# kinechain.keypoints-csv/1``)
  records image size, view and source.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from kinechain.errors import KeypointFileError
from kinechain.model.kinematics import Event
from kinechain.model.measures import Measure
from kinechain.model.pose import LANDMARK_NAMES, PoseSeries
from kinechain.model.vocab import parse_side, parse_view

PathLike = str | os.PathLike[str]
POSE_CSV_SCHEMA = "kinechain.keypoints-csv/1"
MEASURE_FIELDS = (
    "id",
    "name",
    "side",
    "value",
    "unit",
    "n",
    "spread",
    "confidence",
    "confidence_label",
    "category",
    "measurable",
    "reason",
    "view",
    "per_cycle",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def write_measures_csv(measures: Iterable[Measure], path: PathLike) -> Path:
    """Write measures as CSV (one row each; see the module docstring) and return the path."""
    p = Path(path)
    with p.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(MEASURE_FIELDS)
        for m in measures:
            row = {**m.model_dump(), "confidence_label": m.confidence_label}
            row["per_cycle"] = ";".join(repr(v) for v in m.per_cycle)
            writer.writerow([_cell(row[f]) for f in MEASURE_FIELDS])
    return p


def _float(text: str) -> float | None:
    return float(text) if text != "" else None


def read_measures_csv(path: PathLike) -> list[Measure]:
    """Read measures written by :func:`write_measures_csv`."""
    with Path(path).open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        out.append(
            Measure(
                id=r["id"],
                name=r["name"],
                side=r["side"],  # type: ignore[arg-type]
                value=_float(r["value"]),
                unit=r["unit"],
                n=int(r["n"]),
                spread=_float(r["spread"]),
                confidence=float(r["confidence"]),
                category=r["category"] or None,
                measurable=r["measurable"] == "True",
                reason=r["reason"] or None,
                view=parse_view(r["view"]) if r["view"] else None,
                per_cycle=[float(v) for v in r["per_cycle"].split(";") if v],
            )
        )
    return out


def write_events_csv(events: Iterable[Any], path: PathLike) -> Path:
    """Write events (objects with kind, side, time, frame, confidence) as CSV and return the path."""
    p = Path(path)
    with p.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["kind", "side", "time_s", "frame", "confidence"])
        for e in events:
            writer.writerow([e.kind, e.side, repr(float(e.time)), int(e.frame), repr(float(e.confidence))])
    return p


def read_events_csv(path: PathLike) -> list[Event]:
    """Read events written by :func:`write_events_csv`."""
    with Path(path).open(newline="", encoding="utf-8") as fh:
        return [
            Event(
                r["kind"], parse_side(r["side"]), float(r["time_s"]), int(r["frame"]), float(r["confidence"])
            )
            for r in csv.DictReader(fh)
        ]


def _pose_columns(world: bool) -> list[str]:
    cols = ["time"]
    cols += [f"{n}_{c}" for n in LANDMARK_NAMES for c in ("x", "y", "visibility")]
    if world:
        cols += [f"{n}_{c}" for n in LANDMARK_NAMES for c in ("X", "Y", "Z")]
    return cols


def write_pose_csv(pose: PoseSeries, path: PathLike) -> Path:
    """Write a keypoint series as CSV (see the module docstring) and return the path."""
    p = Path(path)
    head = {
        "schema": POSE_CSV_SCHEMA,
        "image_size": list(pose.image_size),
        "view": pose.view,
        "source": pose.source,
    }
    n = len(pose)
    parts = [
        pose.times[:, None],
        np.concatenate([pose.xy, pose.visibility[..., None]], axis=2).reshape(n, -1),
    ]
    if pose.world is not None:
        parts.append(pose.world.reshape(n, -1))
    table = np.concatenate(parts, axis=1)
    with p.open("w", newline="", encoding="utf-8") as fh:
        fh.write("# " + json.dumps(head) + "\n")
        writer = csv.writer(fh)
        writer.writerow(_pose_columns(pose.world is not None))
        for row in table:
            writer.writerow(["" if not np.isfinite(v) else repr(float(v)) for v in row])
    return p


def read_pose_csv(path: PathLike) -> PoseSeries:
    """Read a keypoint series written by :func:`write_pose_csv`.

    Raises
    ------
    KeypointFileError
        When the file is not a kinechain keypoint CSV.
    """
    p = Path(path)
    with p.open(newline="", encoding="utf-8") as fh:
        first = fh.readline()
        try:
            head = json.loads(first.lstrip("# ").strip())
        except json.JSONDecodeError as exc:
            raise KeypointFileError(
                f"{p} does not start with a kinechain keypoints header; export it again."
            ) from exc
        rows = list(csv.reader(fh))
    if head.get("schema") != POSE_CSV_SCHEMA or not rows:
        raise KeypointFileError(f"{p} is not a '{POSE_CSV_SCHEMA}' file; export it with kinechain export.")
    world = rows[0] == _pose_columns(True)
    if not world and rows[0] != _pose_columns(False):
        raise KeypointFileError(f"{p} has unexpected columns; export it again with kinechain export.")
    table = np.array([[float(v) if v else np.nan for v in r] for r in rows[1:]], dtype=float)
    n, k = len(table), len(LANDMARK_NAMES)
    image = table[:, 1 : 1 + 3 * k].reshape(n, k, 3)
    return PoseSeries(
        times=table[:, 0],
        xy=image[..., :2].copy(),
        visibility=np.nan_to_num(image[..., 2]),
        image_size=(int(head["image_size"][0]), int(head["image_size"][1])),
        world=table[:, 1 + 3 * k :].reshape(n, k, 3).copy() if world else None,
        view=head.get("view"),
        source=str(head.get("source", "csv")),
    )
