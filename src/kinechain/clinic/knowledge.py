"""Load and validate the clinical knowledge files shipped as package data.

The files in ``kinechain/clinic/data/`` are meant to be read and reviewed by a clinician:
``rules.yaml`` (measure bands with citations), ``exercises.yaml`` (exercise library and weekly
schedule), ``red_flags.yaml``, ``intake_questions.yaml`` and ``figures.yaml``. This module turns
them into typed, validated objects; a malformed file raises :class:`~kinechain.errors.ConfigError`
naming the file and the problem.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import Field, model_validator

from kinechain.clinic.knowledge_base import Strength, _Frozen, _parse, read_data
from kinechain.clinic.knowledge_intake import (
    EVIDENCE_FILE,
    URGENCY_ORDER,
    DynamometerSpec,
    Education,
    IntakeQuestions,
    Question,
    RedFlag,
    RedFlags,
    RuleNote,
    RuleNotes,
    SelfTestSpec,
    UrgencyLevel,
    education,
    evidence_text,
    intake_questions,
    red_flags,
    rule_notes,
)
from kinechain.errors import ConfigError
from kinechain.model.findings import Band, Caveat
from kinechain.model.plan import Exercise, StickFigure
from kinechain.model.rules import SDD, BandSet, Condition, Direction, Rule

#: Re-exported from :mod:`knowledge_base` and :mod:`knowledge_intake` (the split keeps modules small),
#: and the rule and figure types from :mod:`kinechain.model`.
__all__ = [
    "EVIDENCE_FILE",
    "SDD",
    "URGENCY_ORDER",
    "Band",
    "BandSet",
    "Caveat",
    "Condition",
    "Direction",
    "DynamometerSpec",
    "Education",
    "IntakeQuestions",
    "Question",
    "RedFlag",
    "RedFlags",
    "Rule",
    "RuleNote",
    "RuleNotes",
    "SelfTestSpec",
    "StickFigure",
    "Strength",
    "UrgencyLevel",
    "education",
    "evidence_text",
    "intake_questions",
    "read_data",
    "red_flags",
    "rule_notes",
]

#: The kinetic-chain factors, in the order the issue names them.
FACTORS: tuple[str, ...] = (
    "collapsing_mechanics",
    "ankle_mobility",
    "hip_core_foot",
    "quadriceps",
    "running_mechanics",
    "osteoarthritis",
)

STRENGTH_WORDS: dict[str, str] = {
    "E": "established",
    "W": "weak",
    "U": "unverified",
}


class Factor(_Frozen):
    """A kinetic-chain factor: its title, plain description and evidence caveats."""

    title: str
    plain: str
    caveats: list[Caveat] = Field(default_factory=list)


class Weighting(_Frozen):
    """Factors that a pain location or a known diagnosis points to, and why."""

    label: str
    factors: list[str]
    basis: str


class ChainLink(_Frozen):
    """A link along the kinetic chain between two factors (or from one factor to the knee)."""

    id: str
    from_: str = Field(alias="from")
    to: str | None
    text: str
    citation: str
    strength: Strength


class TestInfo(_Frozen):
    """A movement test named by the first part of a measure id, and what to film for it."""

    title: str
    film: str


class Knowledge(_Frozen):
    """The rules file: factors, weighting by pain location and diagnosis, chain links, rules."""

    version: int
    factors: dict[str, Factor]
    tests: dict[str, TestInfo]
    location_weight: float = Field(gt=0)
    pain_locations: dict[str, Weighting]
    known_diagnoses: dict[str, Weighting]
    chain_links: list[ChainLink]
    patient_reported: dict[str, dict[str, Any]]
    rules: list[Rule]

    @model_validator(mode="after")
    def _references(self) -> Knowledge:
        if tuple(self.factors) != FACTORS:
            raise ValueError(f"factors must be exactly {', '.join(FACTORS)} in that order")
        used = [f for r in self.rules for f in r.factors]
        used += [
            f for w in (*self.pain_locations.values(), *self.known_diagnoses.values()) for f in w.factors
        ]
        used += [f for c in self.chain_links for f in (c.from_, c.to) if f is not None]
        unknown = sorted(set(used) - set(FACTORS))
        if unknown:
            raise ValueError(f"unknown factor(s) {unknown}; allowed: {', '.join(FACTORS)}")
        prefixes = {m.split(".", 1)[0] for r in self.rules for m in r.measures}
        if prefixes - set(self.tests):
            raise ValueError(f"tests is missing {sorted(prefixes - set(self.tests))}")
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique")
        keys = [(m, r.unit) for r in self.rules for m in r.measures]
        if len(keys) != len(set(keys)):
            raise ValueError("a measure id may appear in only one rule per unit")
        return self

    def rule_for(self, measure_id: str, unit: str | None = None) -> Rule | None:
        """Return the rule for a measure: matching unit first, else a unit-free one, else None."""
        matches = [r for r in self.rules if measure_id in r.measures]
        exact = [r for r in matches if r.unit is not None and r.unit == unit]
        loose = [r for r in matches if r.unit is None]
        best = exact or loose
        return best[0] if best else None

    def rules_for_factor(self, factor: str) -> list[Rule]:
        """Rules that inform a factor, in file order."""
        return [r for r in self.rules if factor in r.factors]

    def measure_ids(self) -> list[str]:
        """Every measure id the rules know, in file order, without repeats."""
        return list(dict.fromkeys(m for r in self.rules for m in r.measures))


class ScheduleStep(_Frozen):
    """One phase of the weekly progression (clinical convention).

    ``intensity`` is the effort target of strength and neuromuscular work (rating of perceived
    exertion, RPE, 0-10, with the repetitions left in reserve); ``progress_when`` says what must
    hold before moving on to the next phase.
    """

    weeks: list[int]
    phase: str
    variant: Literal["base", "progression"]
    extra_sets: int = Field(ge=0)
    note: str
    intensity: str
    progress_when: str
    #: Repetitions left in reserve (low, high): with ``reps`` per set the load is about
    #: (reps + low) to (reps + high) RM, a repetition maximum (clinical convention).
    reps_in_reserve: tuple[int, int] | None = None

    def rm_for(self, reps: int | None) -> str:
        """Return the load as a repetition maximum for sets of ``reps``, or "" when not known."""
        if reps is None or self.reps_in_reserve is None:
            return ""
        low, high = self.reps_in_reserve
        return f"a load you could lift about {reps + low}-{reps + high} times ({reps + low}-{reps + high} RM)"


class ExerciseLibrary(_Frozen):
    """The exercise file: weekly schedule and exercises."""

    schedule: list[ScheduleStep]
    exercises: list[Exercise]

    @model_validator(mode="after")
    def _valid(self) -> ExerciseLibrary:
        unknown = sorted({f for e in self.exercises for f in e.factors} - set(FACTORS))
        if unknown:
            raise ValueError(f"unknown factor(s) {unknown} in exercises")
        missing = [f for f in FACTORS if not any(f in e.factors for e in self.exercises)]
        if missing:
            raise ValueError(f"no exercise targets {missing}")
        weeks = sorted(w for s in self.schedule for w in s.weeks)
        if weeks != list(range(1, 9)):
            raise ValueError("the schedule must cover weeks 1 to 8 once each")
        return self

    def get(self, exercise_id: str) -> Exercise:
        """Return an exercise by id (KeyError when absent)."""
        for e in self.exercises:
            if e.id == exercise_id:
                return e
        raise KeyError(exercise_id)

    def step_for_week(self, week: int) -> ScheduleStep:
        """Return the schedule phase a week falls in."""
        return next(s for s in self.schedule if week in s.weeks)


class Figures(_Frozen):
    """The stick-figure file."""

    figures: dict[str, StickFigure]


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """Return the validated rules file (cached)."""
    kb: Knowledge = _parse(Knowledge, "rules.yaml")
    return kb


@lru_cache(maxsize=1)
def exercise_library() -> ExerciseLibrary:
    """Return the validated exercise library (cached)."""
    lib: ExerciseLibrary = _parse(ExerciseLibrary, "exercises.yaml")
    figs = figures().figures
    bad = [e.id for e in lib.exercises if e.figure is not None and e.figure not in figs]
    if bad:
        raise ConfigError(
            f"the knowledge file exercises.yaml names figures missing from figures.yaml: {bad}."
        )
    return lib


@lru_cache(maxsize=1)
def figures() -> Figures:
    """Return the validated stick figures (cached)."""
    f: Figures = _parse(Figures, "figures.yaml")
    return f
