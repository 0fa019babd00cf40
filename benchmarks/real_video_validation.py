"""Event timing, contact time and angles at contact on real clips marked frame by frame by eye.

For every clip (a video ``<clip>.mp4`` beside ``<clip>.events.json``, the by-eye marks in the
format of tests/data/video/male_side.events.json) the clip is analysed as a user would: default
pose model, default settings. The pose model's output is cached per video and model (it does not
change with the event code), so later runs take seconds.

Prints the per-clip table (initial-contact and toe-off errors in frames, missed contacts, contact
time against the marks, knee and tibia angle at contact against by-eye values where the marks
give them) and the per-measure error table quoted in docs/validation-results.md.

    PYTHONPATH=src python benchmarks/real_video_validation.py [FOLDER_OR_CLIP ...] [--model balanced]

Without arguments: every clip under tests/data/validation plus tests/data/video/male_side.mp4.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import kinechain
from kinechain.errors import KinechainError
from kinechain.kinematics.events import gait_events, pair_stances
from kinechain.model.result import Analysis
from kinechain.pose import save_keypoints
from kinechain.protocols.calibration import (
    CALIBRATION,
    CONTACT_ERROR_FRAMES,
    STRIKE_ERROR_FRAMES,
    VALIDATED_FPS,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = (
    ROOT / "tests" / "data" / "validation",
    ROOT / "tests" / "data" / "video" / "male_side.events.json",
)
CACHE = Path(os.environ.get("KINECHAIN_VALIDATION_CACHE", Path.home() / ".cache" / "kinechain-validation"))
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi")


@dataclass
class Truth:
    """By-eye marks of one clip: event frames per side (left/right) and which side is near."""

    fps: float
    n_frames: int
    near: str
    contacts: dict[str, list[int]] = field(default_factory=dict)
    toe_offs: dict[str, list[int]] = field(default_factory=dict)
    angles: dict[str, dict[str, list[float]]] = field(default_factory=dict)


def _side_of(foot: str) -> tuple[str, bool]:
    """('left'|'right', is_near) from a mark's foot text such as "near (left)"."""
    found = re.search(r"left|right", foot.lower())
    if not found:
        raise ValueError(f"foot must name left or right; got {foot!r}")
    return found.group(0), foot.lower().startswith("near")


ANGLE_KEYS = {
    "knee_flexion_deg": ("knee_flexion_deg",),
    "tibia_angle_deg": ("tibia_angle_deg", "tibia_to_vertical_deg"),
    "foot_strike_angle_deg": ("foot_strike_angle_deg",),
}


def load_truth(path: Path) -> Truth:
    """Read a ``<clip>.events.json`` of by-eye marks (see tests/data/video/male_side.events.json)."""
    doc = json.loads(path.read_text())
    truth = Truth(fps=float(doc["fps"]), n_frames=int(doc.get("n_frames", 0)), near="left")
    sides = {"left": {"ic": [], "to": []}, "right": {"ic": [], "to": []}}  # type: dict[str, dict[str, list[int]]]
    angles: dict[str, dict[str, list[float]]] = {"left": {}, "right": {}}
    for e in doc["events"]:
        side, near = _side_of(e["foot"])
        truth.near = side if near else _other(side)
        kind = {"initial_contact": "ic", "toe_off": "to"}.get(e["event"])
        if kind:
            sides[side][kind].append(int(e["frame"]))
        marked = e.get("angles", e)  # by-eye angles sit in an "angles" object (docs/validation.md)
        for key, names in ANGLE_KEYS.items():
            value = next((marked[n] for n in names if marked.get(n) is not None), None)
            if kind == "ic" and value is not None:
                angles[side].setdefault(key, []).append(float(value))
    for step in doc.get("contact_time", {}).get("steps", []):
        side, _ = _side_of(step["foot"])
        if step.get("toe_off_frame") is not None and step["toe_off_frame"] not in sides[side]["to"]:
            sides[side]["to"].append(int(step["toe_off_frame"]))
    truth.contacts = {s: sorted(v["ic"]) for s, v in sides.items()}
    truth.toe_offs = {s: sorted(v["to"]) for s, v in sides.items()}
    truth.angles = angles
    return truth


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _video_of(marks: Path) -> Path | None:
    """The clip a marks file belongs to: ``<clip>.mp4`` beside it, or its "video" entry (repo path)."""
    for suffix in VIDEO_SUFFIXES:
        beside = marks.with_name(marks.name.removesuffix(".events.json") + suffix)
        if beside.exists():
            return beside
    named = json.loads(marks.read_text()).get("video")
    return ROOT / named if named and (ROOT / named).exists() else None


def find_clips(sources: list[Path]) -> list[tuple[str, Path, Path]]:
    """(clip id, video, marks) for every ``*.events.json`` under ``sources`` (or given directly)
    whose video is found; a video marked twice is taken once, from the first source."""
    clips: dict[Path, tuple[str, Path, Path]] = {}
    for src in sources:
        marks_files = [src] if src.is_file() else sorted(src.rglob("*.events.json"))
        for given in marks_files:
            marks = given if given.suffix == ".json" else given.with_suffix(".events.json")
            video = _video_of(marks) if marks.exists() else None
            if video is not None and video.resolve() not in clips:
                clip = marks.parent.name if marks.parent.name != "video" else video.stem
                clips[video.resolve()] = (clip, video, marks)
    return list(clips.values())


def cached_pose(video: Path, model: str) -> Path:
    """Keypoints of ``video`` by the pose model, computed once and cached as kinechain JSON."""
    digest = hashlib.sha256(video.read_bytes()).hexdigest()[:16]
    out = CACHE / f"{digest}-{model}.json"
    if not out.exists():
        from kinechain.pose.mediapipe_backend import MediaPipeEstimator

        CACHE.mkdir(parents=True, exist_ok=True)
        save_keypoints(MediaPipeEstimator(model).estimate(video), out)
    return out


def match(detected: np.ndarray, truth: list[int], tolerance: float) -> tuple[np.ndarray, int]:
    """Signed errors (detected - truth, frames) of the truth events found within ``tolerance`` frames,
    and how many truth events had no detection that close (missed)."""
    errors, missed = [], 0
    for t in truth:
        if detected.size and np.min(np.abs(detected - t)) <= tolerance:
            errors.append(float(detected[np.argmin(np.abs(detected - t))] - t))
        else:
            missed += 1
    return np.array(errors), missed


def truth_contact_ms(truth: Truth, side: str) -> float:
    """Mean contact time of the marked steps of one foot (contact to the next toe-off), ms."""
    spans = []
    for ic in truth.contacts[side]:
        later = [to for to in truth.toe_offs[side] if to > ic]
        nxt = [c for c in truth.contacts[side] if c > ic]
        if later and (not nxt or later[0] < nxt[0]):
            spans.append(later[0] - ic)
    return 1000.0 * float(np.mean(spans)) / truth.fps if spans else float("nan")


@dataclass
class SideRow:
    """Errors of one foot of one clip."""

    clip: str
    fps: float
    side: str
    near: bool
    ic_errors: np.ndarray
    to_errors: np.ndarray
    ic_marked: int
    missed: int
    contact_ms: float
    contact_truth_ms: float
    angle_errors: dict[str, float]
    confidence: dict[str, float]
    note: str = ""


def _detected_contact_ms(fs: list, to: list) -> float:
    """Median contact time of the detected stances, ms (for a foot whose measure is not reported)."""
    stances = pair_stances(fs, to)
    return 1000.0 * float(np.median([b.time - a.time for a, b in stances])) if stances else float("nan")


def side_row(clip: str, truth: Truth, analysis: Analysis, side: str) -> SideRow:
    """Compare the detected events and reported measures of one foot with the marks.

    Events are every one the detector finds for that foot (also for a leg whose measures are
    refused); contact time is the reported measure, or the detected stances' median marked
    "not reported" when the measure is refused.
    """
    fps, result = truth.fps, analysis.result
    strides = np.diff(truth.contacts[side]) if len(truth.contacts[side]) > 1 else np.array([fps * 0.7])
    tol = 0.25 * float(np.median(strides))  # half a step: the other foot's contact is further
    events = gait_events(analysis.kinematics, sides=(side,))
    fs = [e for e in events if e.kind == "foot_strike"]
    to = [e for e in events if e.kind == "toe_off"]
    ic_err, missed = match(np.array([e.time * fps for e in fs]), truth.contacts[side], tol)
    to_err, _ = match(np.array([e.time * fps for e in to]), truth.toe_offs[side], tol)
    contact = result.measure("running.contact_time", side)
    reported = contact is not None and contact.measurable and contact.value is not None
    angle_errors: dict[str, float] = {}
    for mid, key in ANGLES:
        m = result.measure(f"running.{mid}", side)
        marks = truth.angles[side].get(key)
        if m is not None and m.measurable and m.value is not None and marks:
            angle_errors[mid] = float(m.value - np.mean(marks))
    conf = {
        m.id.removeprefix("running."): m.confidence
        for m in result.measures
        if m.side == side and m.measurable
    }
    return SideRow(
        clip,
        fps,
        side,
        side == truth.near,
        ic_err,
        to_err,
        len(truth.contacts[side]),
        missed,
        contact.value
        if reported and contact is not None and contact.value is not None
        else _detected_contact_ms(fs, to),
        truth_contact_ms(truth, side),
        angle_errors,
        conf,
        ""
        if reported
        else "contact time not reported: " + (contact.reason or "" if contact else "no measure"),
    )


ANGLES = (
    ("knee_flexion_ic", "knee_flexion_deg"),
    ("tibia_angle_ic", "tibia_angle_deg"),
    ("foot_strike_angle", "foot_strike_angle_deg"),
)


def analyse_clip(clip: str, video: Path, marks: Path, model: str) -> list[SideRow] | str:
    """Analyse one clip with default settings; rows per foot, or the sentence that refused it."""
    truth = load_truth(marks)
    try:
        analysis = kinechain.analyze(video, keypoints=cached_pose(video, model), quality=model)
    except KinechainError as exc:
        return f"{clip}: refused: {exc}"
    return [side_row(clip, truth, analysis, s) for s in (truth.near, _other(truth.near)) if truth.contacts[s]]


def _fmt(values: np.ndarray) -> str:
    if not values.size:
        return "   -  "
    return f"{np.median(np.abs(values)):4.1f}({np.median(values):+4.1f})"


HEADER = (
    f"{'clip':25s} {'fps':>4s}  {'foot':10s} {'IC err fr':>11s}  {'TO err fr':>11s}  missed  "
    "contact ms (truth)      angle err deg"
)


def _contact_cell(r: SideRow) -> str:
    if not np.isfinite(r.contact_ms):
        return "none found"
    if not np.isfinite(r.contact_truth_ms):
        return f"{r.contact_ms:5.0f} (  - )"
    pct = 100 * (r.contact_ms / r.contact_truth_ms - 1)
    return f"{r.contact_ms:5.0f} ({r.contact_truth_ms:4.0f}) {pct:+4.0f}%"


def print_clip_table(rows: list[SideRow]) -> None:
    """One line per clip and foot: |median| (signed median) errors in frames, misses, contact time."""
    print(HEADER)
    for r in rows:
        angles = " ".join(f"{k}:{v:+.1f}" for k, v in r.angle_errors.items()) or "-"
        foot = f"{'near' if r.near else 'far'}/{r.side}"
        events = f"{_fmt(r.ic_errors):>11s}  {_fmt(r.to_errors):>11s}  {r.missed:2d}/{r.ic_marked:<3d}"
        print(f"{r.clip[:25]:25s} {r.fps:4.0f}  {foot:10s} {events}  {_contact_cell(r):22s} {angles}")
        if r.note:
            print(f"{'':31s}-> {r.note[:110]}")


def measure_errors(rows: list[SideRow]) -> dict[tuple[str, int], list[float]]:
    """Absolute errors per (measure, fps) over every clip and foot with a reported value (ms or deg)."""
    out: dict[tuple[str, int], list[float]] = {}
    for r in rows:
        fps = round(r.fps)
        ms = 1000.0 / r.fps
        foot = "near" if r.near else "far"
        if r.ic_errors.size:
            out.setdefault((f"{foot} initial contact [ms]", fps), []).extend(
                np.abs(r.ic_errors * ms).tolist()
            )
        if r.to_errors.size:
            out.setdefault((f"{foot} toe-off [ms]", fps), []).extend(np.abs(r.to_errors * ms).tolist())
        if np.isfinite(r.contact_ms) and np.isfinite(r.contact_truth_ms):
            out.setdefault((f"{foot} contact time [ms]", fps), []).append(
                abs(r.contact_ms - r.contact_truth_ms)
            )
        for mid, err in r.angle_errors.items():
            out.setdefault((f"{foot} {mid} [deg]", fps), []).append(abs(err))
    return out


def print_measure_table(rows: list[SideRow]) -> None:
    """Per measure and frame rate: median and 90th-percentile absolute error, with the count."""
    print(f"\n{'measure (foot)':34s} fps   n   median |err|   p90 |err|")
    for (name, fps), errs in sorted(measure_errors(rows).items()):
        e = np.array(errs)
        print(f"{name:34s}{fps:4d} {e.size:4d}   {np.median(e):8.1f}    {np.percentile(e, 90):8.1f}")


def print_confidence_table() -> None:
    """What high, moderate and low mean per calibrated measure and frame rate (protocols/calibration.py)."""
    print(f"\n{'measure':28s} fps  event err   high        moderate       low         note")
    for mid, cal in CALIBRATION.items():
        for fps in (30.0, 60.0, 120.0):
            frames = CONTACT_ERROR_FRAMES if mid == "running.contact_time" else STRIKE_ERROR_FRAMES
            unit = {"running.contact_time": "ms", "running.heel_to_hip_ic": "%leg"}.get(mid, "deg")
            timing = f"{frames * 1000 / fps:5.1f} ms"
            checked = cal.validated and any(abs(fps - v) <= 0.05 * v for v in VALIDATED_FPS)
            high = f"<= {cal.sdd:.1f} {unit}" if checked else "never"
            note = "checked by eye" if checked else "no by-eye check (measure or rate): at most moderate"
            print(
                f"{mid.removeprefix('running.'):28s} {fps:3.0f}  {timing:11s} {high:11s} "
                f"<= {1.75 * cal.sdd:4.1f} {unit:3s}  > {1.75 * cal.sdd:4.1f} {unit:3s}  {note}"
            )


def main(argv: list[str] | None = None) -> int:
    """Run the validation over the given clips (or the defaults) and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sources", nargs="*", type=Path, help="clip videos or folders of clips")
    parser.add_argument("--model", default="balanced", help="pose model (default: balanced, the default)")
    args = parser.parse_args(argv)
    clips = find_clips(args.sources or [p for p in DEFAULT_SOURCES if p.exists()])
    if not clips:
        print("no clips with .events.json marks found", file=sys.stderr)
        return 2
    rows: list[SideRow] = []
    for clip, video, marks in clips:
        out = analyse_clip(clip, video, marks, args.model)
        if isinstance(out, str):
            print(out)
        else:
            rows += out
    print_clip_table(rows)
    print_measure_table(rows)
    print_confidence_table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
