"""Write ``tests/data/validation/male_side/male_side.events.json`` from the by-eye readings below.

Every number in the tables of this file was read by eye from contact sheets made with
``scripts/contact_sheet.py`` (no pose model); see ``docs/validation.md`` for the rules.
This script only arranges those readings, derives contact times and joint angles from
them, and writes the JSON.

Usage::

    python scripts/build_validation_marks.py [OUT.json]
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from pathlib import Path
from typing import Any

FPS = 30.0
NEAR, FAR = "near (left)", "far (right)"

# Initial contacts (0-based frame) from the shared marks, each re-checked on a c-2..c+1 sheet.
# Value: (foot, note). Empty note = agree with no doubt.
CONTACTS: dict[int, tuple[str, str]] = {
    5: (FAR, "agree; f4 shoe already sharp, heel just above its shadow"),
    15: (NEAR, ""),
    26: (FAR, ""),
    37: (NEAR, ""),
    47: (FAR, ""),
    58: (NEAR, ""),
    69: (FAR, ""),
    80: (NEAR, "agree; f79 borderline (shoe sharp, heel at the shadow's edge)"),
    90: (FAR, ""),
    100: (NEAR, ""),
    111: (FAR, ""),
    122: (NEAR, ""),
    133: (FAR, "agree; f132 borderline (shoe fairly sharp, heel just above its shadow)"),
    144: (NEAR, "agree; f143 borderline (shoe fairly sharp, heel just above its shadow)"),
    154: (FAR, ""),
    165: (NEAR, ""),
    176: (FAR, ""),
    187: (NEAR, ""),
    197: (FAR, ""),
    208: (NEAR, ""),
    219: (FAR, ""),
    229: (NEAR, ""),
    240: (FAR, "agree; f239 borderline (shoe fairly sharp, heel just above its shadow)"),
    250: (NEAR, ""),
    261: (FAR, ""),
    272: (NEAR, ""),
    282: (FAR, ""),
    293: (NEAR, ""),
    304: (FAR, "agree; f303 borderline (shoe fairly sharp, heel just above its shadow)"),
    314: (NEAR, ""),
    325: (FAR, "agree; f324 borderline (shoe sharp and low, heel just above its shadow)"),
    335: (NEAR, "agree; f335 still slightly blurred, but it is the first frame at belt level"),
    346: (FAR, ""),
    357: (NEAR, ""),
}

# Toe-offs (0-based frame): first frame in which the toe is visibly off the belt, read on
# 1.4x sheets of frames t-2..t with a 20 px grid (toe-tip height) plus the toe-shadow gap.
# Value: (foot, note). The near toe-off at frame 5 ends a contact that began before frame 0.
TOE_OFFS: dict[int, tuple[str, str]] = {
    5: (NEAR, "f4 borderline (toe tip up ~7 px, under the reading uncertainty)"),
    15: (FAR, ""),
    26: (NEAR, "f25 borderline (toe tip up ~7 px); shared marks say 25"),
    36: (FAR, "f36 toe tip ~12-17 px above f35, shadow gap visible"),
    47: (NEAR, ""),
    58: (FAR, "f57 borderline (toe tip up <10 px); shared marks say 57"),
    69: (NEAR, "f68 borderline (toe tip up ~10 px, blurred)"),
    79: (FAR, "f79 toe tip ~14 px above f78"),
    90: (NEAR, ""),
    100: (FAR, ""),
    111: (NEAR, ""),
    122: (FAR, "f121 borderline (toe tip up ~7 px)"),
    133: (NEAR, "f132 borderline (toe partly outside the crop, tip up ~10 px?)"),
    144: (FAR, "f143 borderline (toe tip up ~5 px)"),
    154: (NEAR, ""),
    165: (FAR, "f164 borderline (toe tip up ~5 px)"),
    176: (NEAR, ""),
    187: (FAR, "f186 borderline (toe tip up ~5 px)"),
    197: (NEAR, ""),
    208: (FAR, ""),
    219: (NEAR, ""),
    229: (FAR, ""),
    240: (NEAR, ""),
    250: (FAR, ""),
    261: (NEAR, ""),
    272: (FAR, ""),
    282: (NEAR, ""),
    293: (FAR, "f292 borderline (toe tip up ~5 px)"),
    304: (NEAR, ""),
    314: (FAR, ""),
    325: (NEAR, ""),
    335: (FAR, ""),
    346: (NEAR, ""),
    357: (FAR, ""),
}

# Shared marks' toe-offs (first four steps), for the agreement table.
SHARED_TOE_OFFS = {25: NEAR, 36: FAR, 47: NEAR, 57: FAR}


def event(frame: int, foot: str, kind: str, note: str) -> dict[str, Any]:
    """One event record (frame 0-based, time in s)."""
    out: dict[str, Any] = {"frame": frame, "time_s": round(frame / FPS, 4), "foot": foot, "event": kind}
    if note:
        out["note"] = note
    return out


def steps() -> list[dict[str, Any]]:
    """Pair each contact with the next toe-off of the same foot; contact time in s."""
    out = []
    for ic, (foot, _) in sorted(CONTACTS.items()):
        later = [t for t, (f, _) in sorted(TOE_OFFS.items()) if f == foot and t > ic]
        if later:
            n = later[0] - ic
            out.append(
                {
                    "foot": foot,
                    "ic_frame": ic,
                    "toe_off_frame": later[0],
                    "contact_frames": n,
                    "contact_time_s": round(n / FPS, 4),
                }
            )
    return out


def summary(values: list[float]) -> dict[str, float | int]:
    """Mean, sample SD, min, max and count of a list (same unit as the values)."""
    return {
        "n": len(values),
        "mean": round(statistics.mean(values), 4),
        "sd": round(statistics.stdev(values), 4),
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def contact_time(step_list: list[dict[str, Any]]) -> dict[str, Any]:
    """Contact-time block: steps plus a summary per foot (s)."""
    per_foot = {
        foot: summary([s["contact_time_s"] for s in step_list if s["foot"] == foot]) for foot in (NEAR, FAR)
    }
    return {
        "steps": step_list,
        "summary_s": per_foot,
        "mean_s": round(statistics.mean(s["contact_time_s"] for s in step_list), 4),
        "uncertainty_s": round(math.sqrt(2) / FPS, 3),
    }


HEADER: dict[str, Any] = {
    "clip": "male_side.mp4",
    "video": "tests/data/video/male_side.mp4",
    "what": (
        "Frame-level gait events of this clip marked by eye, with no pose model, to validate event timing, "
        "contact time and sagittal angles at contact on real phone video."
    ),
    "fps": FPS,
    "n_frames": 360,
    "sides": (
        "The runner faces image-left, so the camera sees the LEFT side: near = left, far = right. "
        "The camera is slightly above the belt, so the near foot lands lower in the image."
    ),
    "frames": "0-based decode indices (OpenCV/ffmpeg order); time_s = frame / 30.",
    "initial_contact_rule": (
        "First frame in which the heel of the landing shoe meets its shadow on the belt; the shoe is sharpest "
        "(momentarily still) there, and it was also the shoe's most-forward position in every step. "
        "Checked on sheets of frames c-2..c+1 for every contact."
    ),
    "toe_off_rule": (
        "First frame in which the toe is visibly off the belt: the toe tip clearly above its height in the "
        "previous frames (more than the ~5 px reading uncertainty) or a gap between toe and shadow. "
        "Read on 1.4x sheets of frames t-2..t with a 20 px grid. Every toe-off of both feet."
    ),
    "method": "docs/validation.md",
    "marked_by": "kinechain developers, by eye, 2026-12-03",
    "licence": "marks CC0; clip MIT (see tests/data/validation/PROVENANCE.md)",
    "uncertainty": {"event_frames": 1, "contact_time_s": round(math.sqrt(2) / FPS, 3), "cadence_spm": 0.96},
    "cadence_spm": 168.75,
}


def build() -> dict[str, Any]:
    """Assemble the whole JSON document."""
    events = [event(f, foot, "initial_contact", note) for f, (foot, note) in CONTACTS.items()]
    events += [event(f, foot, "toe_off", note) for f, (foot, note) in TOE_OFFS.items()]
    events.sort(key=lambda e: (e["frame"], e["event"] != "toe_off"))
    doc = dict(HEADER)
    doc["events"] = events
    doc["contact_time"] = contact_time(steps())
    doc["agreement_with_shared_marks"] = agreement()
    return doc


def agreement() -> dict[str, Any]:
    """How these marks compare with the shared file's 34 contacts and 4 toe-offs."""
    diffs = {}
    for t, foot in SHARED_TOE_OFFS.items():
        same_foot = [m for m, (f, _) in TOE_OFFS.items() if f == foot]
        diffs[str(t)] = min(same_foot, key=lambda m: abs(m - t)) - t
    return {
        "initial_contacts": "34 of 34 agree (re-checked on c-2..c+1 sheets); 7 with a borderline c-1 frame noted",
        "toe_offs_here_minus_shared_frames": diffs,
    }


def main() -> None:
    """Write the JSON (default path under tests/data/validation)."""
    root = Path(__file__).resolve().parents[1]
    out = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else root / "tests/data/validation/male_side/male_side.events.json"
    )
    out.write_text(json.dumps(build(), indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
