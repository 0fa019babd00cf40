"""Confidence of running measures at foot contact, calibrated on error measured on real clips.

A measure's confidence says how likely its value is within the measure's smallest detectable
difference (SDD). Its expected error combines three parts, in quadrature:

- the error of the events it depends on, measured on real clips marked frame by frame by eye
  (benchmarks/real_video_validation.py, docs/validation-results.md), in frames, so that it scales
  with the clip's frame period; for an angle at contact this timing error is turned into degrees by
  how fast that angle changes at contact in this clip (its own rate, deg/s);
- the step-to-step spread of this clip (standard error of the mean over its steps);
- for angles, the landmark error, grown when the person is smaller in the picture than on the
  validation clips (person height in pixels, as leg length);
- below 60 fps, how far the value moved when the validation clip was re-encoded with another
  codec (benchmarks/encoding_robustness.py).

Confidence is ``0.7 * SDD / expected error`` (clipped to 0-1) times the visibility and geometry
factors of :func:`kinechain.protocols.confidence.confidence`: "high" (>= 0.7) exactly when the expected
error is within the SDD, "moderate" (>= 0.4) within 1.75 SDD, "low" beyond. A measure whose error
was not measured on real video against by-eye values, or a clip at a frame rate the validation
set does not have, is never "high" (capped at :data:`UNVALIDATED_CAP`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Confidence of a measure never checked against by-eye values on real video: below "high".
UNVALIDATED_CAP = 0.69
#: Leg length (hip-knee-ankle, px) of the person on the validation clips (male_side: 268-290 px);
#: a smaller person gets proportionally larger landmark error.
VALIDATED_LEG_PX = 270.0
#: Foot-strike timing error on the validation set, frames: the near foot's 90th percentile of
#: |error| on male_side (30 fps, 16 contacts: 16.8 ms; docs/validation-results.md).
STRIKE_ERROR_FRAMES = 0.5
#: Contact-time error on the validation set, frames: the near foot's mean against the by-eye mean
#: on male_side (300 against 356 ms at 30 fps; docs/validation-results.md).
CONTACT_ERROR_FRAMES = 1.7
#: Frame rates of the validation clips; at any other rate the frame-scaled error is an
#: extrapolation, so the confidence is never "high" (capped at UNVALIDATED_CAP).
VALIDATED_FPS: tuple[float, ...] = (30.0,)


@dataclass(frozen=True)
class Calibration:
    """What a measure's confidence is calibrated against.

    Attributes
    ----------
    sdd : float
        Smallest detectable difference, in the measure's unit.
    landmark_error : float
        Error of the measure at the right instant from landmark noise, measure's unit (0 for timing).
    validated : bool
        Whether the measure itself was compared with by-eye values on real video.
    encoding_error : float
        Largest change of the value when the 30 fps validation clip was re-encoded (H.264, HEVC,
        VP9, AV1, ProRes; benchmarks/encoding_robustness.py), measure's unit; counted below 60 fps.
    """

    sdd: float
    landmark_error: float
    validated: bool
    encoding_error: float = 0.0


#: SDDs: Dingenen 2018 (clinical-evidence.md section 2): knee flexion 2.3-3.8 deg, tibia
#: inclination 2.2-4.8 deg, foot inclination 1.3-2.3 deg (upper ends used); contact time has no
#: published 2D SDD: 10% of a typical 300 ms (clinical convention, the issue-11 target); heel ahead
#: of hip: none published, 3% of leg length (clinical convention). Landmark errors: the
#: "same instant" errors through the virtual camera (docs/mocap.md), about 1 deg.
CALIBRATION: dict[str, Calibration] = {
    "running.contact_time": Calibration(sdd=30.0, landmark_error=0.0, validated=True, encoding_error=18.0),
    "running.knee_flexion_ic": Calibration(sdd=3.8, landmark_error=1.0, validated=False),
    "running.tibia_angle_ic": Calibration(sdd=4.8, landmark_error=1.0, validated=False),
    "running.foot_strike_angle": Calibration(
        sdd=2.3, landmark_error=1.0, validated=False, encoding_error=3.1
    ),
    "running.heel_to_hip_ic": Calibration(sdd=3.0, landmark_error=1.0, validated=False),
}


def expected_error(
    mid: str, values: list[float], *, fps: float, rate_at_contact: float = 0.0, leg_px: float = np.nan
) -> float:
    """Return the expected error of a measure's mean on this clip, in the measure's unit.

    Parameters
    ----------
    mid : str
        Measure id, a key of :data:`CALIBRATION`.
    values : list of float
        The per-step values (their spread enters as a standard error).
    fps : float
        Frame rate, frames per second.
    rate_at_contact : float
        For a value at contact: median |rate of change| of the signal at contact, unit per second.
    leg_px : float
        Leg length of the person in this clip, pixels.
    """
    cal = CALIBRATION[mid]
    finite = np.asarray([v for v in values if np.isfinite(v)], dtype=float)
    sem = float(np.std(finite, ddof=1) / np.sqrt(finite.size)) if finite.size > 1 else cal.sdd
    if mid == "running.contact_time":
        timing = CONTACT_ERROR_FRAMES * 1000.0 / fps
    else:
        timing = abs(rate_at_contact) * STRIKE_ERROR_FRAMES / fps
    size = max(1.0, VALIDATED_LEG_PX / leg_px) if np.isfinite(leg_px) and leg_px > 0 else 2.0
    encoding = cal.encoding_error if fps < 59.0 else 0.0
    return float(np.sqrt(timing**2 + sem**2 + (cal.landmark_error * size) ** 2 + encoding**2))


def calibrated_confidence(mid: str, error: float, *, fps: float, visibility: float, geometry: float) -> float:
    """Return a 0-1 confidence from the expected error against the SDD (module docstring)."""
    cal = CALIBRATION[mid]
    core = float(np.clip(0.7 * cal.sdd / max(error, 1e-9), 0.0, 1.0))
    if not cal.validated or not any(abs(fps - v) <= 0.05 * v for v in VALIDATED_FPS):
        core = min(core, UNVALIDATED_CAP)
    f_vis = float(np.clip((visibility - 0.5) / 0.4, 0.0, 1.0))
    return round(core * f_vis * float(np.clip(geometry, 0.0, 1.0)), 3)
