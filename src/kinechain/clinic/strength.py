"""Hand-held dynamometer readings as measures, normalised to body mass.

A reading is a peak force per side, in N or kilogram-force, with an optional lever arm (m, joint
centre to the dynamometer pad). With the lever arm the value is a torque normalised to body mass
(N m/kg = N x m / kg); without it a force normalised to body mass (N/kg). clinical-evidence.md
gives no hand-held dynamometer norms by age and sex, so the rules for these measures are
descriptive and the report says "no cited norm"; weakness of both sides can therefore not be
judged yet (it would need such norms). The left-right symmetry is shown without the 90% cut-off,
which was studied only in ACL return to sport (Grindem 2016).
"""

from __future__ import annotations

from typing import Literal

from kinechain.clinic.intake import HHDReading, Intake
from kinechain.clinic.knowledge import intake_questions
from kinechain.model.measures import Measure, MeasureSet

#: Standard gravity, m/s^2: 1 kilogram-force = 9.80665 N.
G = 9.80665
#: Confidence of a clinician's dynamometer reading (clinical convention: better than a self-count).
HHD_CONFIDENCE = 0.8
#: What the report says beside dynamometry: clinical-evidence.md has no norms by age and sex.
NO_NORM = "no cited norm for this age and sex; compared side to side and to body mass only"


def norm_statement(intake: Intake) -> str:
    """Return the report's sentence on dynamometer norms for this person (age and sex named).

    clinical-evidence.md gives no hand-held dynamometer norms for any age or sex, so the sentence
    is the same for everyone but names whom it was checked for.
    """
    sex = intake.sex if intake.sex != "not_stated" else "sex not stated"
    return f"Hand-held dynamometry ({intake.age} years, {sex}): {NO_NORM}."


def force_newton(value: float, unit: str) -> float:
    """Convert a dynamometer reading to newtons (``unit`` "N" or "kg", kilogram-force)."""
    return value * G if unit == "kg" else value


def normalised(value: float, reading: HHDReading, body_mass_kg: float) -> tuple[float, str]:
    """Normalise one side's reading to body mass.

    Returns
    -------
    tuple of float and str
        The value and its unit: torque per mass "Nm/kg" when the lever arm is known, else force
        per mass "N/kg".
    """
    force = force_newton(value, reading.unit)
    if reading.lever_m is not None:
        return force * reading.lever_m / body_mass_kg, "Nm/kg"
    return force / body_mass_kg, "N/kg"


def dynamometer_measures(intake: Intake) -> MeasureSet:
    """Turn the dynamometer readings into measures ``hhd.<group>`` per side plus ``_lsi`` (%).

    A reading without a body mass in the intake is "not measurable" (it cannot be normalised).
    """
    out: list[Measure] = []
    dyn = intake.dynamometer
    if dyn is None:
        return MeasureSet(test="hhd", view=None, measures=[])
    for group, spec in intake_questions().dynamometer.items():
        reading: HHDReading | None = getattr(dyn, group)
        if reading is None:
            continue
        name = f"{spec.name} strength (hand-held dynamometer)"
        for side in ("left", "right"):
            value = getattr(reading, side)
            if value is not None:
                out.append(_side_measure(f"hhd.{group}", name, side, value, reading, intake.weight_kg))
        out.append(_symmetry(f"hhd.{group}_lsi", spec.name, reading))
    return MeasureSet(test="hhd", view=None, measures=out)


def _side_measure(
    mid: str, name: str, side: Literal["left", "right"], value: float, reading: HHDReading, mass: float | None
) -> Measure:
    if mass is None:
        return Measure.not_measurable(
            id=mid,
            name=name,
            unit="N/kg",
            side=side,
            reason="body mass not entered, so it cannot be normalised",
        )
    norm, unit = normalised(value, reading, mass)
    return Measure(
        id=mid,
        name=name,
        value=norm,
        unit=unit,
        side=side,
        n=1,
        per_cycle=[norm],
        confidence=HHD_CONFIDENCE,
        reason=f"clinician's hand-held dynamometer reading; {NO_NORM}",
    )


def _symmetry(mid: str, name: str, reading: HHDReading) -> Measure:
    title = f"{name} strength, limb symmetry"
    if reading.left is None or reading.right is None or max(reading.left, reading.right) == 0:
        return Measure.not_measurable(
            id=mid, name=title, unit="%", side="both", reason="only one side was entered"
        )
    value = 100.0 * min(reading.left, reading.right) / max(reading.left, reading.right)
    return Measure(id=mid, name=title, value=value, unit="%", side="both", n=1, confidence=HHD_CONFIDENCE)
