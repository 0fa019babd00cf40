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

import numpy as np

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

# Toe-offs (0-based frame): first frame in which the toe is visibly off the belt, made concrete as:
# the lowest point of the shoe is at least 8 px (~2 cm) higher than in the frame before. Heights were read
# on 2x sheets of frames c-3..c around the other foot's contact c (20 px grid; 1.5x for 198 and 283).
# A first pass at 1.4x was too coarse and is superseded (14 toe-offs moved by one frame on re-reading).
# Value: (foot, note); "borderline" = within ~1 px of the 8 px margin. The near toe-off at frame 4 ends
# a contact that began before frame 0.
TOE_OFFS: dict[int, tuple[str, str]] = {
    4: (NEAR, "f4 10 px above f3"),
    14: (FAR, "f14 12 px above f13"),
    26: (NEAR, "f25 only 5 px above f24; shared marks say 25"),
    36: (FAR, "f36 18 px above f35"),
    47: (NEAR, ""),
    57: (FAR, "f57 10 px above f56"),
    69: (NEAR, "f68 only 5 px above f67"),
    79: (FAR, "borderline: f78 7-8 px above f77; f79 20 px above f78"),
    90: (NEAR, ""),
    100: (FAR, ""),
    111: (NEAR, ""),
    121: (FAR, "f121 10 px above f120"),
    132: (NEAR, "f132 12 px above f131"),
    143: (FAR, "f143 23 px above f142"),
    154: (NEAR, ""),
    164: (FAR, "f164 10 px above f163"),
    175: (NEAR, "f175 13 px above f174"),
    186: (FAR, "f186 10 px above f185"),
    198: (NEAR, "f197 only 3 px above f196, f198 13 px: one frame after the far contact at 197"),
    208: (FAR, "borderline: f207 7 px above f206"),
    219: (NEAR, ""),
    229: (FAR, "borderline: f228 7 px above f227"),
    240: (NEAR, ""),
    250: (FAR, ""),
    261: (NEAR, ""),
    271: (FAR, "f271 13 px above f270"),
    283: (NEAR, "borderline: f282 7 px above f281, f283 13 px: one frame after the far contact at 282"),
    292: (FAR, "f292 12 px above f291"),
    304: (NEAR, ""),
    313: (FAR, "borderline: f313 8 px above f312, at the margin"),
    325: (NEAR, ""),
    335: (FAR, ""),
    346: (NEAR, ""),
    357: (FAR, ""),
}

# Shared marks' toe-offs (first four steps), for the agreement table.
SHARED_TOE_OFFS = {25: NEAR, 36: FAR, 47: NEAR, 57: FAR}


# Near (left) leg at each near initial contact, full-frame px (x right, y down), read by eye:
# hip = centre of the garment's width at y 895 (greater trochanter under hoodie and shorts),
# knee = centre between the leg's front and back contours at the knee (y 1025, just below the patella),
# ankle = lateral malleolus just above the shoe collar, heel = rear-lowest point of the shoe,
# toe = front-most point of the shoe. Sheets: hip 2.2x, knee 1.7x/3.3x, foot 2x, grids 10-20 px.
NEAR_POINTS: dict[int, dict[str, tuple[float, float]]] = {
    15: {
        "hip": (275, 895),
        "knee": (250, 1025),
        "ankle": (222, 1163),
        "heel": (230, 1207),
        "toe": (140, 1160),
    },
    37: {
        "hip": (271, 895),
        "knee": (241, 1025),
        "ankle": (215, 1163),
        "heel": (226, 1210),
        "toe": (133, 1158),
    },
    58: {
        "hip": (272, 895),
        "knee": (244, 1025),
        "ankle": (216, 1163),
        "heel": (226, 1198),
        "toe": (138, 1153),
    },
    80: {
        "hip": (273, 895),
        "knee": (241, 1025),
        "ankle": (217, 1163),
        "heel": (227, 1203),
        "toe": (137, 1150),
    },
    100: {
        "hip": (270, 895),
        "knee": (241, 1025),
        "ankle": (220, 1165),
        "heel": (228, 1205),
        "toe": (140, 1158),
    },
    122: {
        "hip": (265, 895),
        "knee": (226, 1025),
        "ankle": (205, 1163),
        "heel": (221, 1203),
        "toe": (128, 1148),
    },
    144: {
        "hip": (250, 895),
        "knee": (220, 1025),
        "ankle": (195, 1163),
        "heel": (210, 1190),
        "toe": (112, 1138),
    },
    165: {
        "hip": (254, 895),
        "knee": (217, 1025),
        "ankle": (203, 1158),
        "heel": (208, 1193),
        "toe": (113, 1143),
    },
    187: {
        "hip": (257, 895),
        "knee": (222, 1025),
        "ankle": (216, 1163),
        "heel": (224, 1210),
        "toe": (126, 1153),
    },
    208: {
        "hip": (264, 895),
        "knee": (236, 1025),
        "ankle": (210, 1160),
        "heel": (217, 1208),
        "toe": (127, 1148),
    },
    229: {
        "hip": (268, 895),
        "knee": (241, 1025),
        "ankle": (211, 1160),
        "heel": (220, 1205),
        "toe": (128, 1153),
    },
    250: {
        "hip": (267, 895),
        "knee": (235, 1025),
        "ankle": (211, 1160),
        "heel": (218, 1208),
        "toe": (121, 1148),
    },
    272: {
        "hip": (268, 895),
        "knee": (240, 1025),
        "ankle": (217, 1160),
        "heel": (227, 1210),
        "toe": (133, 1158),
    },
    293: {
        "hip": (283, 895),
        "knee": (262, 1025),
        "ankle": (236, 1158),
        "heel": (250, 1208),
        "toe": (153, 1158),
    },
    314: {
        "hip": (290, 895),
        "knee": (267, 1025),
        "ankle": (241, 1160),
        "heel": (251, 1205),
        "toe": (158, 1153),
    },
    335: {
        "hip": (280, 895),
        "knee": (266, 1025),
        "ankle": (250, 1163),
        "heel": (265, 1208),
        "toe": (163, 1153),
    },
    357: {
        "hip": (285, 895),
        "knee": (264, 1025),
        "ankle": (238, 1160),
        "heel": (253, 1208),
        "toe": (156, 1153),
    },
}

# Near shoe with the foot flat, 5 frames after each near contact (inside the middle third of stance):
# (contact frame, flat frame, heel (rear-lowest point), toe (front-most point)), px, 2x sheets, 10 px grid.
# Motion blur (the belt carries the shoe ~15 px per frame) smears the ends sideways, not up or down.
NEAR_FLAT: dict[int, tuple[int, tuple[float, float], tuple[float, float]]] = {
    15: (20, (372, 1226), (252, 1218)),
    37: (42, (377, 1230), (260, 1220)),
    58: (63, (378, 1223), (258, 1218)),
    80: (85, (387, 1223), (269, 1218)),
    100: (105, (355, 1225), (235, 1218)),
    122: (127, (368, 1220), (240, 1213)),
    144: (149, (362, 1220), (239, 1210)),
    165: (170, (350, 1215), (230, 1208)),
    187: (192, (378, 1230), (255, 1225)),
    208: (213, (374, 1230), (257, 1225)),
    229: (234, (357, 1225), (240, 1218)),
    250: (255, (348, 1228), (233, 1218)),
    272: (277, (386, 1225), (263, 1220)),
    293: (298, (399, 1225), (279, 1218)),
    314: (319, (402, 1233), (277, 1225)),
    335: (340, (388, 1228), (268, 1218)),
}

# Reading uncertainty per point (1 SD, px, x and y), judged from re-reading the same points on sheets of
# different zoom (heel/toe moved up to ~8 px between a 1.6x and a 2x sheet) and from how well each landmark
# shows: the hip is under loose clothing, the knee has no visible joint line, the malleolus is a black sock.
POINT_SD_PX = {
    "hip": (15.0, 20.0),
    "knee": (10.0, 12.0),
    "ankle": (6.0, 6.0),
    "heel": (6.0, 6.0),
    "toe": (6.0, 6.0),
}

FAR_HIDDEN = (
    "hidden: the far (right) hip is never visible, and the far knee and ankle are seen from their "
    "medial side "
    "with no landmark (a trial reading put the knee within +/-15 px only, tibia +/-8 deg), so knee flexion "
    "and tibia angle are not marked for the far leg; only its shoe is clearly visible"
)

# Far (right) shoe at each far initial contact, px: (heel = rear-lowest point, toe = front-most point),
# read on 1.9x sheets with a 20 px grid. The shoe is seen from its medial side.
FAR_SHOE: dict[int, tuple[tuple[float, float], tuple[float, float]]] = {
    5: ((250, 1195), (172, 1140)),
    26: ((255, 1190), (165, 1132)),
    47: ((255, 1190), (165, 1128)),
    69: ((255, 1195), (162, 1135)),
    90: ((250, 1192), (162, 1130)),
    111: ((250, 1190), (160, 1128)),
    133: ((215, 1185), (137, 1128)),
    154: ((218, 1182), (133, 1128)),
    176: ((222, 1185), (140, 1125)),
    197: ((226, 1192), (143, 1125)),
    219: ((237, 1190), (158, 1128)),
    240: ((227, 1188), (145, 1128)),
    261: ((233, 1190), (150, 1130)),
    282: ((245, 1188), (158, 1128)),
    304: ((271, 1195), (184, 1138)),
    325: ((270, 1195), (183, 1135)),
    346: ((254, 1190), (164, 1133)),
}


def event(frame: int, foot: str, kind: str, note: str) -> dict[str, Any]:
    """One event record (frame 0-based, time in s)."""
    out: dict[str, Any] = {"frame": frame, "time_s": round(frame / FPS, 4), "foot": foot, "event": kind}
    if note:
        out["note"] = note
    return out


def ic_event(frame: int, foot: str, note: str) -> dict[str, Any]:
    """Initial-contact record, with the by-eye angles for near contacts (far leg: hidden)."""
    out = event(frame, foot, "initial_contact", note)
    if frame in NEAR_POINTS:
        out["angles"] = angles_with_uncertainty(NEAR_POINTS[frame])
        out["angles"].update(foot_strike(frame, out["angles"]["foot_to_belt_deg"]))
    elif frame in FAR_SHOE:
        out["angles"] = far_angles(frame)
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
        "First frame in which the heel of the landing shoe meets its shadow on the belt; "
        "the shoe is sharpest "
        "(momentarily still) there, and it was also the shoe's most-forward position in every step. "
        "Checked on sheets of frames c-2..c+1 for every contact."
    ),
    "toe_off_rule": (
        "First frame in which the toe is visibly off the belt, made concrete as: the lowest point of the "
        "shoe is at least 8 px (~2 cm, twice the reading SD) higher than in the frame before. Read on 2x "
        "sheets of frames c-3..c around the other foot's contact c, 20 px grid. Every toe-off of both feet."
    ),
    "method": "docs/validation.md",
    "marked_by": "kinechain developers, by eye, 2026-12-03",
    "licence": "marks CC0; clip MIT (see tests/data/validation/PROVENANCE.md)",
    "uncertainty": {"event_frames": 1, "contact_time_s": round(math.sqrt(2) / FPS, 3), "cadence_spm": 0.96},
    "cadence_spm": 168.75,
}


def build() -> dict[str, Any]:
    """Assemble the whole JSON document."""
    events = [ic_event(f, foot, note) for f, (foot, note) in CONTACTS.items()]
    events += [event(f, foot, "toe_off", note) for f, (foot, note) in TOE_OFFS.items()]
    events.sort(key=lambda e: (e["frame"], e["event"] != "toe_off"))
    doc = dict(HEADER)
    doc["events"] = events
    doc["contact_time"] = contact_time(steps())
    doc["angles_at_contact"] = angle_summary()
    doc["agreement_with_shared_marks"] = agreement()
    return doc


def agreement() -> dict[str, Any]:
    """How these marks compare with the shared file's 34 contacts and 4 toe-offs."""
    diffs = {}
    for t, foot in SHARED_TOE_OFFS.items():
        same_foot = [m for m, (f, _) in TOE_OFFS.items() if f == foot]
        diffs[str(t)] = min(same_foot, key=lambda m: abs(m - t)) - t
    return {
        "initial_contacts": (
            "34 of 34 agree (re-checked on c-2..c+1 sheets); 7 with a borderline c-1 frame noted"
        ),
        "toe_offs_here_minus_shared_frames": diffs,
    }


def segment_angles(pts: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Sagittal angles (deg) from points in image px (x right, y down), runner facing image-left.

    Parameters
    ----------
    pts : dict of str to ndarray
        ``hip``, ``knee``, ``ankle``, ``heel``, ``toe``; each shape (..., 2) in px.

    Returns
    -------
    dict of str to ndarray
        ``thigh_to_vertical_deg`` (+ = knee ahead of hip), ``tibia_to_vertical_deg`` (+ = ankle ahead of
        knee, toward image-left), ``knee_flexion_deg`` (180 - angle hip-knee-ankle, + = knee in front of
        the hip-ankle line, - = apparent hyperextension) and ``foot_to_belt_deg`` (heel-to-toe line of the
        shoe against image horizontal, + = toe up; the belt runs image-horizontal within ~3 deg).
    """
    hip, knee, ankle, heel, toe = (pts[k] for k in ("hip", "knee", "ankle", "heel", "toe"))
    thigh = np.degrees(np.arctan2(hip[..., 0] - knee[..., 0], knee[..., 1] - hip[..., 1]))
    tibia = np.degrees(np.arctan2(knee[..., 0] - ankle[..., 0], ankle[..., 1] - knee[..., 1]))
    foot = np.degrees(np.arctan2(heel[..., 1] - toe[..., 1], heel[..., 0] - toe[..., 0]))
    return {
        "thigh_to_vertical_deg": thigh,
        "tibia_to_vertical_deg": tibia,
        "knee_flexion_deg": thigh - tibia,
        "foot_to_belt_deg": foot,
    }


def angles_with_uncertainty(points: dict[str, tuple[float, float]], n: int = 20000) -> dict[str, Any]:
    """Angles at one contact and their SD (deg) from the per-point reading SD, by Monte Carlo.

    Parameters
    ----------
    points : dict of str to tuple of float
        By-eye points in px.
    n : int
        Number of Monte Carlo draws (fixed seed, so the output is reproducible).

    Returns
    -------
    dict
        ``points_px``, the angles (deg, 1 decimal) and ``uncertainty_deg`` (1 SD) per angle.
    """
    rng = np.random.default_rng(11)
    exact = segment_angles({k: np.asarray(v, float) for k, v in points.items()})
    draws = {k: np.asarray(v, float) + rng.normal(0.0, POINT_SD_PX[k], (n, 2)) for k, v in points.items()}
    spread = segment_angles(draws)
    out: dict[str, Any] = {"points_px": {k: list(v) for k, v in points.items()}}
    out.update({k: round(float(v), 1) for k, v in exact.items()})
    out["uncertainty_deg"] = {k: round(float(np.std(v)), 1) for k, v in spread.items()}
    out["uncertainty_px"] = {k: list(v) for k, v in POINT_SD_PX.items()}
    return out


def far_angles(ic: int) -> dict[str, Any]:
    """Far-leg record at one far contact: shoe angle to the belt (deg) and why the rest is hidden."""
    heel, toe = FAR_SHOE[ic]
    rng = np.random.default_rng(11)
    draws = {
        k: np.asarray(v, float) + rng.normal(0.0, 6.0, (20000, 2)) for k, v in (("heel", heel), ("toe", toe))
    }
    spread = np.degrees(
        np.arctan2(draws["heel"][:, 1] - draws["toe"][:, 1], draws["heel"][:, 0] - draws["toe"][:, 0])
    )
    return {
        "points_px": {"heel": list(heel), "toe": list(toe)},
        "foot_to_belt_deg": round(math.degrees(math.atan2(heel[1] - toe[1], heel[0] - toe[0])), 1),
        "uncertainty_deg": {"foot_to_belt_deg": round(float(np.std(spread)), 1)},
        "uncertainty_px": {"heel": [6.0, 6.0], "toe": [6.0, 6.0]},
        "knee_flexion_deg": None,
        "tibia_to_vertical_deg": None,
        "foot_strike_angle_deg": None,
        "note": FAR_HIDDEN + "; no foot-flat reference was read for the far shoe, so no foot-strike angle",
    }


def foot_strike(ic: int, foot_ic_deg: float) -> dict[str, Any]:
    """Foot angle with the foot flat and the foot-strike angle (deg) as kinechain defines it.

    Parameters
    ----------
    ic : int
        Near initial-contact frame.
    foot_ic_deg : float
        Heel-to-toe angle at contact (deg, + = toe up).

    Returns
    -------
    dict
        ``flat_frame``, ``flat_points_px``, ``foot_flat_deg`` and ``foot_strike_angle_deg``
        (at-contact minus flat), or a note when the flat frame is past the clip's end.
    """
    if ic not in NEAR_FLAT:
        return {"foot_strike_angle_deg": None, "note": "foot-flat frame is past the end of the clip"}
    frame, heel, toe = NEAR_FLAT[ic]
    flat = math.degrees(math.atan2(heel[1] - toe[1], heel[0] - toe[0]))
    return {
        "flat_frame": frame,
        "flat_points_px": {"heel": list(heel), "toe": list(toe)},
        "foot_flat_deg": round(flat, 1),
        "foot_strike_angle_deg": round(foot_ic_deg - flat, 1),
    }


def angle_summary() -> dict[str, Any]:
    """Mean and SD over the near contacts of each angle (deg)."""
    per = [angles_with_uncertainty(p) for p in NEAR_POINTS.values()]
    keys = ("knee_flexion_deg", "tibia_to_vertical_deg", "foot_to_belt_deg", "thigh_to_vertical_deg")
    near: dict[str, Any] = {k: summary([a[k] for a in per]) for k in keys}
    fsa = [
        foot_strike(ic, a["foot_to_belt_deg"])["foot_strike_angle_deg"]
        for ic, a in zip(NEAR_POINTS, per, strict=True)
    ]
    near["foot_strike_angle_deg"] = summary([v for v in fsa if v is not None])
    far = [far_angles(ic)["foot_to_belt_deg"] for ic in FAR_SHOE]
    return {
        "near (left)": near,
        "far (right)": {"foot_to_belt_deg": summary(far), "knee_flexion_deg": "hidden", "note": FAR_HIDDEN},
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
