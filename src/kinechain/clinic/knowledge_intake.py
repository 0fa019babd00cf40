"""Knowledge files about the person: red flags, intake questions, education, notes, evidence.

The report's closing note and the shipped evidence reference are read here too.

Split from :mod:`kinechain.clinic.knowledge` (which re-exports every name here) to keep modules
small; a malformed file raises :class:`~kinechain.errors.ConfigError` naming it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import Field, model_validator

from kinechain.clinic.knowledge_base import Strength, _Frozen, _parse
from kinechain.errors import ConfigError
from kinechain.model.plan import EducationTopic

#: Red-flag urgency levels, most urgent first (clinical convention).
Urgency = Literal["emergency", "within_days", "discuss"]
URGENCY_ORDER: tuple[str, ...] = ("emergency", "within_days", "discuss")


class RedFlag(_Frozen):
    """One red-flag question: a "yes" ends the report at the referral."""

    id: str
    question: str
    reason: str
    urgency: Urgency
    max_age: int | None = None
    #: Where the question comes from when it is not clinical-evidence.md section 10.
    source: str | None = None


class UrgencyLevel(_Frozen):
    """What a person does at one urgency level: a title and an action sentence."""

    title: str
    action: str


class RedFlags(_Frozen):
    """All red-flag questions with their shared source and the urgency levels."""

    citation: str
    strength: Strength
    levels: dict[Urgency, UrgencyLevel]
    flags: list[RedFlag] = Field(min_length=1)

    @model_validator(mode="after")
    def _all_levels(self) -> RedFlags:
        if set(self.levels) != set(URGENCY_ORDER):
            raise ValueError(f"levels must be exactly {', '.join(URGENCY_ORDER)}")
        return self

    def ids(self) -> list[str]:
        """Return the flag ids in file order."""
        return [f.id for f in self.flags]

    def get(self, flag_id: str) -> RedFlag:
        """Return a flag by id (KeyError when absent)."""
        for f in self.flags:
            if f.id == flag_id:
                return f
        raise KeyError(flag_id)


class Education(_Frozen):
    """The education file: topics shown first in every plan."""

    topics: list[EducationTopic] = Field(min_length=1)


class Question(_Frozen):
    """One intake question."""

    field: str
    text: str
    kind: Literal["int", "float", "choice", "multi", "yesno", "psfs", "self_tests", "dynamometer"]
    min: float | None = None
    max: float | None = None
    choices: dict[str, str] | None = None
    #: May be left blank (the field is then not recorded).
    optional: bool = False
    #: Asked only up to this age (years), e.g. 17 for the adolescent questions.
    max_age: int | None = None


class SelfTestSpec(_Frozen):
    """How to do one self-test, its unit and the largest value accepted per side (clinical convention)."""

    name: str
    unit: str
    max: float = Field(gt=0)
    how: str


class DynamometerSpec(_Frozen):
    """One hand-held dynamometer muscle group: its name and how to test it."""

    name: str
    how: str


class IntakeQuestions(_Frozen):
    """The intake questions file."""

    questions: list[Question]
    self_tests: dict[str, SelfTestSpec]
    dynamometer: dict[str, DynamometerSpec] = Field(default_factory=dict)


@lru_cache(maxsize=1)
def red_flags() -> RedFlags:
    """Return the validated red-flag questions (cached)."""
    flags: RedFlags = _parse(RedFlags, "red_flags.yaml")
    return flags


@lru_cache(maxsize=1)
def intake_questions() -> IntakeQuestions:
    """Return the validated intake questions (cached)."""
    q: IntakeQuestions = _parse(IntakeQuestions, "intake_questions.yaml")
    return q


class RuleNote(_Frozen):
    """One rule of the report's closing note, with its source."""

    rule: str
    source: str


class RuleNotes(_Frozen):
    """The closing note of the report."""

    title: str
    notes: list[RuleNote] = Field(min_length=1)


@lru_cache(maxsize=1)
def rule_notes() -> RuleNotes:
    """Return the closing note's rules and sources (cached)."""
    n: RuleNotes = _parse(RuleNotes, "rule_notes.yaml")
    return n


#: The evidence reference shipped with the package, which every report links to.
EVIDENCE_FILE = "clinical-evidence.md"


def evidence_text() -> str:
    """Return the shipped evidence reference (``kinechain/clinic/data/clinical-evidence.md``)."""
    path = resources.files("kinechain.clinic").joinpath("data", EVIDENCE_FILE)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"the evidence reference {EVIDENCE_FILE} cannot be read ({exc}); reinstall kinechain."
        ) from exc


@lru_cache(maxsize=1)
def education() -> Education:
    """Return the validated education module (cached)."""
    e: Education = _parse(Education, "education.yaml")
    return e
