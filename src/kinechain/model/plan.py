"""The exercise plan as data: the plan, its exercises and weekly doses, pathways and education.

The clinic engine (:func:`kinechain.clinic.plan.make_plan`) makes a :class:`Plan` from the
findings and the exercise library (``clinic/data/exercises.yaml``, read into :class:`Exercise`);
a clinician edits it (:mod:`kinechain.clinic.plan_edit`); the report and the web app render it.
Doses and the pain rule are described in :mod:`kinechain.clinic.plan`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kinechain.model.findings import Strength


class _Frozen(BaseModel):
    """A knowledge-file record: frozen, and unknown keys are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


#: The pain-monitoring rule given with every plan (Silbernagel 2007 [W]).
PAIN_RULE = (
    "Pain monitoring: you may keep exercising and running if the pain during the activity stays at "
    "or below 5 out of 10, has settled by the next morning, and is not getting worse from week to "
    "week. If any of these is not true, go back to the previous week's dose; if pain keeps rising, "
    "stop and see a clinician."
)
#: The pain rule's source with its strength mark (as :func:`kinechain.clinic.explain.cite` writes it).
PAIN_RULE_SOURCE = "Silbernagel 2007 AJSM [W]"


class Dosage(_Frozen):
    """A base dose: sets with reps, a hold or minutes, rest, intensity and days a week.

    ``intensity`` is the exercise's own target (e.g. "RPE 3-4 of 10" for aerobic work); when it
    is None the schedule's phase intensity applies. All doses are clinical convention.
    """

    sets: int = Field(ge=1)
    reps: int | None = None
    hold_s: int | None = None
    minutes: int | None = None
    sessions: int | None = None
    days_per_week: int = Field(ge=1, le=7)
    rest_s: int | None = Field(default=None, ge=0, le=600)
    intensity: str | None = None

    def describe(self, extra_sets: int = 0, intensity: str | None = None) -> str:
        """Plain words, e.g. "3 sets of 10 at RPE 6-7 of 10, rest 90 s, 3 days a week"."""
        sets = self.sets + extra_sets
        if self.reps is not None:
            what = f"{sets} sets of {self.reps}"
        elif self.hold_s is not None:
            what = f"{sets} holds of {self.hold_s} s"
        elif self.minutes is not None:
            what = f"{self.minutes + MINUTES_PER_EXTRA_SET * extra_sets} minutes"
        else:
            what = f"{self.sessions or sets} session(s)"
        level = self.intensity or intensity
        parts = [what + (f" at {level}" if level else "")]
        if self.rest_s:
            parts.append(f"rest {self.rest_s} s between sets")
        parts.append(f"{self.days_per_week} day{'s' if self.days_per_week > 1 else ''} a week")
        return ", ".join(parts)


#: Minutes added per schedule "extra set" to time-based exercises (clinical convention).
MINUTES_PER_EXTRA_SET = 5


class Evidence(_Frozen):
    """Why an exercise was chosen: a citation and its strength mark."""

    citation: str
    strength: Strength


ExerciseKind = Literal["strength", "neuromuscular", "mobility", "aerobic", "running"]


class Exercise(_Frozen):
    """One exercise of the library.

    ``kind`` decides whether the schedule's intensity (RPE) applies (strength and neuromuscular
    work); ``pathway_only`` exercises are chosen only by a condition pathway (e.g. the isometric
    wall sit by the tendon pathway), never for a flagged factor in general.
    """

    id: str
    name: str
    kind: ExerciseKind = "strength"
    pathway_only: bool = False
    factors: list[str] = Field(min_length=1)
    evidence: Evidence
    how_to: list[str] = Field(min_length=1)
    dosage: Dosage
    progression: str
    regression: str
    equipment: list[str]
    cautions: list[str]
    figure: str | None


class EducationTopic(_Frozen):
    """One topic of kinechain's own plain-language education module."""

    id: str
    title: str
    points: list[str] = Field(min_length=1)
    source: str
    applies_to: Literal["all", "adolescent", "osteoarthritis", "runner"] = "all"


class Pathway(BaseModel):
    """A condition pathway or piece of guidance with its source."""

    model_config = ConfigDict(frozen=True)

    title: str
    points: list[str]
    source: str


class WeekDose(BaseModel):
    """What to do with one exercise in one week."""

    model_config = ConfigDict(frozen=True)

    week: int
    phase: str
    variant: str
    dose: str
    note: str
    progress_when: str = ""


class PlanExercise(BaseModel):
    """An exercise chosen for the plan, why, and its week-by-week dose."""

    model_config = ConfigDict(frozen=True)

    exercise: Exercise
    factor: str
    why: str
    weeks: list[WeekDose]
    #: Set by a clinician's edit (see :mod:`kinechain.clinic.plan_edit`).
    clinician_note: str | None = None
    edited: bool = False
    added_by_clinician: bool = False


class RunningGuidance(BaseModel):
    """Step-rate retraining and load advice for a runner."""

    model_config = ConfigDict(frozen=True)

    measured_cadence: float | None
    beats: list[int]
    weeks: list[str]
    load_advice: list[str]
    sources: list[str]


class Plan(BaseModel):
    """The generated plan, or the reason there is none."""

    model_config = ConfigDict(frozen=True)

    stopped: bool
    stop_message: str | None = None
    start: date
    weeks: int = 0
    retest: date | None = None
    exercises: list[PlanExercise] = Field(default_factory=list)
    pain_rule: str = PAIN_RULE
    pain_rule_source: str = PAIN_RULE_SOURCE
    running: RunningGuidance | None = None
    pathways: list[Pathway] = Field(default_factory=list)
    conventions: list[str] = Field(default_factory=list)
    education: list[EducationTopic] = Field(default_factory=list)
    adolescent: bool = False
    #: A clinician's general note and sign-off (see :mod:`kinechain.clinic.plan_edit`).
    clinician_notes: str | None = None
    signed_by: str | None = None
    signed_at: datetime | None = None


class StickFigure(_Frozen):
    """Joint coordinates (0-100 box, y down) and prop lines of one exercise figure."""

    joints: dict[str, tuple[float, float]]
    props: list[tuple[float, float, float, float]] = Field(default_factory=list)
