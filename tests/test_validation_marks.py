"""The by-eye validation marks (tests/data/validation) are complete and self-consistent.

The angles stored with each contact are recomputed from the stored points with kinechain's own
geometry, so the marks use the same sign conventions as the measures they validate.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from kinechain.kinematics.geometry import (
    angle_to_horizontal,
    angle_to_vertical,
    flexion_angle,
    image_to_upright,
)

NEAR, FAR = "near (left)", "far (right)"
FORWARD = -1.0  # the runner faces image-left


@pytest.fixture(scope="module")
def marks(data_dir: Path) -> dict:
    """The male_side marks."""
    return json.loads((data_dir / "validation" / "male_side" / "male_side.events.json").read_text())


def test_every_event_of_both_feet_is_marked(marks: dict) -> None:
    """34 contacts and 34 toe-offs, feet alternating, at 30 fps."""
    ics = [e for e in marks["events"] if e["event"] == "initial_contact"]
    tos = [e for e in marks["events"] if e["event"] == "toe_off"]
    assert len(ics) == 34
    assert len(tos) == 34
    feet = [e["foot"] for e in sorted(ics, key=lambda e: e["frame"])]
    assert all(a != b for a, b in pairwise(feet))
    for e in marks["events"]:
        assert e["time_s"] == pytest.approx(e["frame"] / marks["fps"], abs=1e-4)


def test_contact_times_follow_from_the_events(marks: dict) -> None:
    """Each step pairs a contact with the same foot's next toe-off; contact time in s."""
    tos = {(e["frame"], e["foot"]) for e in marks["events"] if e["event"] == "toe_off"}
    steps = marks["contact_time"]["steps"]
    assert len(steps) == 33  # the last near contact's toe-off is past the clip's end
    for s in steps:
        assert (s["toe_off_frame"], s["foot"]) in tos
        assert s["contact_frames"] == s["toe_off_frame"] - s["ic_frame"]
        assert s["contact_time_s"] == pytest.approx(s["contact_frames"] / marks["fps"], abs=1e-4)
    near = [s["contact_time_s"] for s in steps if s["foot"] == NEAR]
    summary = marks["contact_time"]["summary_s"][NEAR]
    assert summary["mean"] == pytest.approx(np.mean(near), abs=1e-4)
    assert summary["sd"] == pytest.approx(np.std(near, ddof=1), abs=1e-4)


def _upright(points: dict, name: str) -> np.ndarray:
    return image_to_upright(np.asarray(points[name], dtype=float))


def test_stored_angles_match_kinechain_geometry(marks: dict) -> None:
    """Knee flexion, tibia and foot angles recomputed from the stored px with kinechain.kinematics."""
    near = [e for e in marks["events"] if e["event"] == "initial_contact" and e["foot"] == NEAR]
    assert len(near) == 17
    for e in near:
        a = e["angles"]
        p = a["points_px"]
        hip, knee, ankle = (_upright(p, k) for k in ("hip", "knee", "ankle"))
        assert a["knee_flexion_deg"] == pytest.approx(flexion_angle(hip, knee, ankle, FORWARD), abs=0.06)
        assert a["tibia_to_vertical_deg"] == pytest.approx(angle_to_vertical(knee, ankle, FORWARD), abs=0.06)
        foot = angle_to_horizontal(_upright(p, "heel"), _upright(p, "toe"), FORWARD)
        assert a["foot_to_belt_deg"] == pytest.approx(foot, abs=0.06)
        assert set(a["uncertainty_deg"]) >= {"knee_flexion_deg", "tibia_to_vertical_deg", "foot_to_belt_deg"}


def test_far_leg_angles_are_hidden_not_guessed(marks: dict) -> None:
    """The far knee and tibia carry no number, only the reason; the far shoe angle is given."""
    far = [e for e in marks["events"] if e["event"] == "initial_contact" and e["foot"] == FAR]
    assert len(far) == 17
    for e in far:
        assert e["angles"]["knee_flexion_deg"] is None
        assert e["angles"]["tibia_to_vertical_deg"] is None
        assert "hidden" in e["angles"]["note"]
        assert e["angles"]["foot_to_belt_deg"] > 0
