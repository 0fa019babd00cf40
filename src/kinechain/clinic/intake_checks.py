"""Checks on an intake for the clinician: osteoarthritis criteria and contradictions.

Knee osteoarthritis is *suggested* (never diagnosed) from the clinical criteria the issue lists:
age 50 or more, morning stiffness under 30 minutes, crepitus, bony enlargement and bony
tenderness. clinical-evidence.md (section 8) gives the treatment pathway but not these criteria,
so the list and the "3 or more of 5" count are labelled clinical convention [U]. Morning
stiffness of more than 30 minutes is a red flag instead (section 10).

Contradictions are answers that cannot all be true (for example no pain now but unable to bear
weight); they are listed for the clinician to check with the person, and change nothing else.
Every rule here is clinical convention.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from kinechain.clinic.intake import Intake

#: Age (years) from which age counts as an osteoarthritis criterion (the issue's "50 or more").
OA_AGE = 50
#: Morning stiffness below this (minutes) counts as a criterion; above it is a red flag.
OA_STIFFNESS_MIN = 30
#: Criteria needed to suggest osteoarthritis (clinical convention).
OA_NEEDED = 3
OA_SOURCE = (
    "clinical convention [U]: the clinical criteria named in issue 15 (age 50 or more, morning "
    "stiffness under 30 min, crepitus, bony enlargement, bony tenderness), 3 or more of 5; "
    "clinical-evidence.md section 8 gives the treatment pathway, not these criteria"
)


class OACriteria(BaseModel):
    """Which osteoarthritis criteria were met, and whether the pathway is suggested."""

    model_config = ConfigDict(frozen=True)

    met: list[str]
    unanswered: list[str]
    suggested: bool
    source: str = OA_SOURCE

    @property
    def count(self) -> int:
        """Number of criteria met."""
        return len(self.met)


def oa_criteria(intake: Intake) -> OACriteria:
    """Count the osteoarthritis criteria met by an intake (module docstring)."""
    stiff = intake.morning_stiffness_minutes
    answers: dict[str, bool | None] = {
        f"age {OA_AGE} or more": intake.age >= OA_AGE,
        f"morning stiffness under {OA_STIFFNESS_MIN} minutes": None
        if stiff is None
        else 0 < stiff < OA_STIFFNESS_MIN and not intake.red_flags.get("morning_stiffness", False),
        "crepitus (grating or crackling in the knee)": intake.crepitus,
        "bony enlargement of the knee": intake.bony_enlargement,
        "bony tenderness of the knee": intake.bony_tenderness,
    }
    met = [k for k, v in answers.items() if v]
    unanswered = [k for k, v in answers.items() if v is None]
    return OACriteria(met=met, unanswered=unanswered, suggested=len(met) >= OA_NEEDED)


def oa_pathway(intake: Intake) -> bool:
    """Whether the osteoarthritis pathway applies: a clinician's label or the criteria."""
    return intake.known_diagnosis == "osteoarthritis" or oa_criteria(intake).suggested


def contradictions(intake: Intake) -> list[str]:
    """Answers that contradict each other, in plain words for the clinician (clinical convention)."""
    flags = intake.red_flags
    out: list[str] = []
    if flags.get("cannot_bear_weight") and intake.pain_now == 0:
        out.append(
            f"Cannot bear weight or move the knee, yet pain now is 0/10 "
            f"(worst during running {intake.pain_worst_running}/10)."
        )
    if flags.get("cannot_bear_weight") and _single_leg_tests(intake):
        out.append("Cannot bear weight, yet single-leg self-tests were entered.")
    if flags.get("cannot_bear_weight") and intake.weekly_km > 0:
        out.append(f"Cannot bear weight, yet running {intake.weekly_km:g} km a week now.")
    if intake.onset == "gradual" and (
        flags.get("rapid_swelling_after_injury") or flags.get("suspected_fracture_dislocation_rupture")
    ):
        out.append("Onset given as gradual, without an injury, yet an injury question was answered yes.")
    out += _stiffness_contradictions(intake)
    if intake.weekly_km == 0 and intake.pain_worst_running > 0:
        out.append(
            f"Not running now (0 km a week), yet worst pain during running last week was "
            f"{intake.pain_worst_running}/10: check when running stopped."
        )
    if intake.adolescent and intake.known_diagnosis == "osteoarthritis":
        out.append("An osteoarthritis label under 18 years is unusual: check the label.")
    return out


def _stiffness_contradictions(intake: Intake) -> list[str]:
    stiff, flag = intake.morning_stiffness_minutes, intake.red_flags.get("morning_stiffness", False)
    if stiff is None:
        return []
    if flag and stiff <= OA_STIFFNESS_MIN:
        return [f"Morning stiffness over 30 minutes answered yes, yet given as {stiff} minutes."]
    if not flag and stiff > OA_STIFFNESS_MIN:
        return [f"Morning stiffness over 30 minutes answered no, yet given as {stiff} minutes."]
    return []


def _single_leg_tests(intake: Intake) -> bool:
    tests = intake.self_tests
    return any(getattr(tests, k) is not None for k in ("sit_to_stand_reps", "bridge_reps", "calf_raise_reps"))
