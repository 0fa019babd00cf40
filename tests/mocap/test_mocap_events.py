"""Gait events: heel landing after its Zeni anchor, toe-off from foot height; constructed feet, real clip."""

import numpy as np
import pytest

import kinechain
from kinechain.kinematics.events import (
    CONTACT_HEIGHT_FRAC,
    LANDING_SEARCH_S,
    LANDING_SPEED_FRAC,
    foot_contact,
    gait_events,
)
from kinechain.model.kinematics import Kinematics, KinematicsMeta

PERIOD, ON, OFF = 0.7, 0.20, 0.45  # stride (s) and the contact within each stride (s)
LEG_PX, LIFT_PX = 300.0, 80.0


def _height(t: np.ndarray) -> np.ndarray:
    """Flat on the ground during contact, a sin^2 bump of LIFT_PX in swing (px, y up)."""
    phase = np.mod(t, PERIOD)
    swing = PERIOD - (OFF - ON)
    tau = np.mod(phase - OFF, PERIOD)
    return np.where((phase >= ON) & (phase <= OFF), 0.0, LIFT_PX * np.sin(np.pi * tau / swing) ** 2)


def _kinematics(fps: float, with_heights: bool = True, heel_lead: float = 0.06) -> Kinematics:
    t = np.arange(0, 8, 1 / fps)
    # Heel furthest ahead `heel_lead` s before contact; toe furthest behind 110 ms after toe-off.
    heel = 100 * np.cos(2 * np.pi * (t - (ON - heel_lead)) / PERIOD)
    toe = -100 * np.cos(2 * np.pi * (t - (OFF + 0.11)) / PERIOD)
    sig = {}
    for s in ("left", "right"):
        sig |= {f"heel_forward_{s}": heel, f"toe_forward_{s}": toe}
        if with_heights:
            sig |= {f"heel_height_{s}": _height(t) + 3.0, f"toe_height_{s}": _height(t) + 1.0}
    return Kinematics(
        times=t, signals=sig, units={}, meta=KinematicsMeta(leg_length_px={"left": LEG_PX, "right": LEG_PX})
    )


def _expected_shift() -> float:
    # The sin^2 bump reaches CONTACT_HEIGHT_FRAC * LEG_PX this long after toe-off (and before strike).
    swing = PERIOD - (OFF - ON)
    return float(np.arcsin(np.sqrt(CONTACT_HEIGHT_FRAC * LEG_PX / LIFT_PX)) * swing / np.pi)


def _expected_landing_lead() -> float:
    # The sin^2 bump falls at LANDING_SPEED_FRAC of its fastest descent this long before contact.
    swing = PERIOD - (OFF - ON)
    return float(swing * np.arcsin(LANDING_SPEED_FRAC) / (2 * np.pi))


@pytest.mark.parametrize("fps", [30.0, 60.0, 120.0])
def test_contact_events_land_on_the_constructed_contacts(fps):
    kin = _kinematics(fps)
    events = gait_events(kin, sides=("left",))
    strikes = np.array([e.time for e in events if e.kind == "foot_strike"])
    offs = np.array([e.time for e in events if e.kind == "toe_off"])
    k = np.round((strikes - ON) / PERIOD)
    # the heel anchor is 60 ms early; landing is where the heel's fall has slowed to 25%
    assert np.allclose(strikes, k * PERIOD + ON - _expected_landing_lead(), atol=0.3 / fps + 2e-3)
    k = np.round((offs - OFF) / PERIOD)
    assert np.allclose(offs, k * PERIOD + OFF + _expected_shift(), atol=0.25 / fps + 1e-3)


def test_zeni_anchors_are_kept_when_asked_or_without_heights():
    zeni = gait_events(_kinematics(60.0), sides=("left",), method="zeni")
    plain = gait_events(_kinematics(60.0, with_heights=False), sides=("left",))
    strikes = [e.time for e in zeni if e.kind == "foot_strike"]
    assert strikes == [e.time for e in plain if e.kind == "foot_strike"]
    k = np.round((np.array(strikes) - ON) / PERIOD)
    assert np.allclose(strikes, k * PERIOD + ON - 0.06, atol=1e-3)
    with pytest.raises(ValueError, match="method"):
        gait_events(_kinematics(60.0), method="guess")


def test_foot_strike_never_moves_before_the_heel_anchor():
    # Heights put contact 40 ms before strike-side ground level, the heel peaks only 10 ms before it.
    kin = _kinematics(60.0, heel_lead=0.01)
    anchors = [e.time for e in gait_events(kin, sides=("left",), method="zeni") if e.kind == "foot_strike"]
    strikes = [e.time for e in gait_events(kin, sides=("left",)) if e.kind == "foot_strike"]
    assert strikes == pytest.approx(anchors)
    offs = [e.time for e in gait_events(kin, sides=("left",)) if e.kind == "toe_off"]
    k = np.round((np.array(offs) - OFF) / PERIOD)
    assert np.allclose(offs, k * PERIOD + OFF + _expected_shift(), atol=0.25 / 60 + 1e-3)


def test_foot_contact_of_one_stride():
    kin = _kinematics(120.0)
    on, off = foot_contact(kin, "left", 2 * PERIOD, 3 * PERIOD)
    d = _expected_shift()
    assert on == pytest.approx(2 * PERIOD + ON - d, abs=2e-3)
    assert off == pytest.approx(2 * PERIOD + OFF + d, abs=2e-3)


def test_real_clip_strikes_stay_within_the_landing_search_of_their_anchors(data_dir):
    analysis = kinechain.analyze(None, keypoints=data_dir / "video" / "male_side.mediapipe-full.json")
    kin = analysis.kinematics
    for side in ("left", "right"):
        zeni = [e.time for e in gait_events(kin, sides=(side,), method="zeni") if e.kind == "foot_strike"]
        contact = [e.time for e in gait_events(kin, sides=(side,)) if e.kind == "foot_strike"]
        assert len(zeni) == len(contact)  # one strike per stride: cadence unchanged
        shift = np.array(contact) - np.array(zeni)
        assert (shift >= 0).all() and (shift <= LANDING_SEARCH_S + 1e-9).all()
