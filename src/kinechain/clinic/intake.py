"""The intake: who the person is, where it hurts, red flags, PSFS and self-tests.

The file format is YAML or JSON (chosen by the file suffix) holding the fields of :class:`Intake`;
``docs/clinic.md`` shows an example. :func:`kinechain.clinic.intake_prompts.prompt_intake` asks
the questions of ``data/intake_questions.yaml`` and ``data/red_flags.yaml`` one by one (the CLI).
No item text of KOOS, KOOS-PF, Kujala/AKPS or the Foot Posture Index manual is used.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kinechain.clinic.knowledge import RedFlag, intake_questions, red_flags
from kinechain.errors import InputError
from kinechain.model.measures import Measure, MeasureSet

PainLocation = Literal["front", "outer", "inner", "back", "diffuse"]
Aggravating = Literal["stairs", "squatting", "prolonged_sitting", "downhill", "hills"]
Diagnosis = Literal["none", "patellofemoral_pain", "itb_syndrome", "osteoarthritis", "patellar_tendinopathy"]

INTAKE_SCHEMA = "kinechain.intake/1"
#: Below this age (years) the adolescent pathway applies (clinical convention: "under 18").
ADULT_AGE = 18
#: The adolescent questions (asked under 18 only).
ADOLESCENT_FIELDS = ("tuberosity_pain", "lower_pole_pain", "growth_spurt")
#: Confidence given to a self-reported count: clinical convention ("moderate"; observed by the
#: person, not by the camera).
SELF_TEST_CONFIDENCE = 0.6


class PSFSItem(BaseModel):
    """One Patient-Specific Functional Scale activity: 0 unable, 10 as well as before."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    activity: str = Field(min_length=1, max_length=120)
    score: int = Field(ge=0, le=10)


#: The largest self-test value any test accepts (its own maximum in ``intake_questions.yaml`` is
#: lower); clinical convention, a guard against typing errors such as 9e29.
SELF_TEST_CEILING = 1000.0


class SidePair(BaseModel):
    """A self-test result for each leg (or side); None when not done."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    left: float | None = Field(default=None, ge=0, le=SELF_TEST_CEILING, allow_inf_nan=False)
    right: float | None = Field(default=None, ge=0, le=SELF_TEST_CEILING, allow_inf_nan=False)


class SelfTests(BaseModel):
    """Self-tests the person does and enters (see ``intake_questions.yaml`` for how and the maxima)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sit_to_stand_reps: SidePair | None = None
    bridge_reps: SidePair | None = None
    side_plank_time: SidePair | None = None
    calf_raise_reps: SidePair | None = None

    @model_validator(mode="before")
    @classmethod
    def _within_maxima(cls, data: Any) -> Any:
        problems = self_test_problems(data) if isinstance(data, dict) else []
        if problems:
            raise ValueError("; ".join(problems))
        return data


def self_test_problems(doc: dict[str, Any]) -> list[str]:
    """Self-test values above the test's maximum (``max`` in ``intake_questions.yaml``, clinical convention).

    Checked on the raw document so that every value above its maximum is reported at once.
    """
    problems = []
    for field, spec in intake_questions().self_tests.items():
        pair = doc.get(field)
        for side in ("left", "right"):
            value = _as_number(pair.get(side)) if isinstance(pair, dict) else None
            if value is not None and value > spec.max:
                problems.append(
                    f"self_tests.{field}.{side}: {value:g} {spec.unit} is more than the {spec.max:g}"
                    f" {spec.unit} accepted for the {spec.name.lower()}"
                )
    return problems


def _as_number(raw: Any) -> float | None:
    try:
        return float(raw) if raw is not None and not isinstance(raw, bool) else None
    except (TypeError, ValueError):
        return None


#: Largest hand-held dynamometer force accepted, N (clinical convention: above any human peak
#: force this device records, so that only typing errors are refused).
HHD_MAX_N = 2000.0
#: Newtons in one kilogram-force (standard gravity).
KGF_IN_N = 9.80665


class HHDReading(BaseModel):
    """Hand-held dynamometer peak force for one muscle group, both sides.

    Attributes
    ----------
    left, right : float, optional
        Peak force, in ``unit`` (N or kgf).
    unit : str
        "N" or "kg" (kilogram-force; 1 kgf = 9.80665 N).
    lever_m : float, optional
        Lever arm, m: joint centre to where the dynamometer pressed. With it the value is a torque.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    left: float | None = Field(default=None, gt=0, le=HHD_MAX_N)
    right: float | None = Field(default=None, gt=0, le=HHD_MAX_N)
    unit: Literal["N", "kg"] = "N"
    lever_m: float | None = Field(default=None, gt=0.05, le=1.2)

    @model_validator(mode="after")
    def _kilograms_within_maximum(self) -> HHDReading:
        """In kilogram-force the maximum is :data:`HHD_MAX_N` converted (203.9 kg)."""
        top = HHD_MAX_N / KGF_IN_N
        over = [s for s in ("left", "right") if self.unit == "kg" and (getattr(self, s) or 0) > top]
        if over:
            raise ValueError(f"{' and '.join(over)} above {top:.1f} kg ({HHD_MAX_N:g} N), the most accepted")
        return self


class Dynamometer(BaseModel):
    """Hand-held dynamometer readings of the five muscle groups (any may be left out)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    hip_abduction: HHDReading | None = None
    hip_extension: HHDReading | None = None
    knee_extension: HHDReading | None = None
    knee_flexion: HHDReading | None = None
    ankle_plantar_flexion: HHDReading | None = None


class Intake(BaseModel):
    """Everything the person tells kinechain before the videos are analysed.

    Attributes
    ----------
    age : int
        Years.
    sex : str
        "female", "male" or "not_stated"; used only where evidence gives values by sex.
    pain_location : list of str
        One or more of "front", "outer", "inner", "back", "diffuse".
    pain_now, pain_worst_running : int
        Pain 0-10 now and at worst during running in the last week.
    weekly_km : float
        Running volume per week, km.
    red_flags : dict of str to bool
        The answer to every red-flag question of ``red_flags.yaml`` (True = yes).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal["kinechain.intake/1"] = "kinechain.intake/1"
    name: str | None = None
    assessment_date: date = Field(default_factory=date.today)
    age: int = Field(ge=10, le=100)
    sex: Literal["female", "male", "not_stated"]
    pain_location: list[PainLocation] = Field(min_length=1)
    pain_now: int = Field(ge=0, le=10)
    pain_worst_running: int = Field(ge=0, le=10)
    onset: Literal["gradual", "injury"]
    aggravating: list[Aggravating] = Field(default_factory=list)
    weekly_km: float = Field(ge=0, le=400)
    volume_change: Literal["increased", "unchanged", "decreased"]
    known_diagnosis: Diagnosis = "none"
    red_flags: dict[str, bool]
    psfs: list[PSFSItem] = Field(default_factory=list, max_length=5)
    self_tests: SelfTests = Field(default_factory=SelfTests)
    # --- added by issue 15; all optional so that earlier intakes stay valid
    painful_side: Literal["left", "right", "both"] | None = None
    irritability: Literal["low", "moderate", "high"] | None = None
    height_cm: float | None = Field(default=None, ge=100, le=230)
    weight_kg: float | None = Field(default=None, ge=25, le=250)
    running_years: float | None = Field(default=None, ge=0, le=80)
    runs_per_week: int | None = Field(default=None, ge=0, le=21)
    shoe_change: Literal["none", "new_pair_same_model", "different_model"] | None = None
    morning_stiffness_minutes: int | None = Field(default=None, ge=0, le=1440)
    crepitus: bool | None = None
    bony_enlargement: bool | None = None
    bony_tenderness: bool | None = None
    koos_pf: float | None = Field(default=None, ge=0, le=100)
    akps: int | None = Field(default=None, ge=0, le=100)
    tuberosity_pain: bool | None = None
    lower_pole_pain: bool | None = None
    growth_spurt: bool | None = None
    dynamometer: Dynamometer | None = None

    @model_validator(mode="after")
    def _all_flags_answered(self) -> Intake:
        problems = red_flag_problems(self.red_flags, self.age)
        problems += adolescent_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def adolescent(self) -> bool:
        """True under 18 years (the adolescent pathway; clinical convention for the age)."""
        return self.age < ADULT_AGE

    @property
    def bmi(self) -> float | None:
        """Body-mass index, kg/m^2, when height and weight were entered."""
        if self.height_cm is None or self.weight_kg is None:
            return None
        return self.weight_kg / (self.height_cm / 100.0) ** 2

    def applicable_flags(self) -> list[RedFlag]:
        """Red-flag questions that apply at this age."""
        return [f for f in red_flags().flags if f.max_age is None or self.age <= f.max_age]

    def positive_red_flags(self) -> list[RedFlag]:
        """Return the red flags answered "yes" (only those that apply at this age)."""
        return [f for f in self.applicable_flags() if self.red_flags.get(f.id, False)]

    @property
    def sex_for_bands(self) -> str | None:
        """Return "female" or "male", or None when not stated."""
        return self.sex if self.sex in ("female", "male") else None


def red_flag_problems(answers: dict[str, bool], age: int | None) -> list[str]:
    """Problems with the red-flag answers: unknown ids, and unanswered questions for this age."""
    flags = red_flags()
    problems = []
    unknown = sorted(set(answers) - set(flags.ids()))
    if unknown:
        problems.append(f"unknown red-flag question(s) {unknown}; allowed: {', '.join(flags.ids())}")
    applicable = [f for f in flags.flags if f.max_age is None or (age is not None and age <= f.max_age)]
    missing = [f.id for f in applicable if f.id not in answers]
    if missing:
        problems.append(f"every red-flag question must be answered, missing: {', '.join(missing)}")
    return problems


def adolescent_problems(intake: Intake) -> list[str]:
    """Under 18, the adolescent questions must be answered."""
    if not intake.adolescent:
        return []
    missing = [k for k in ADOLESCENT_FIELDS if getattr(intake, k) is None]
    if missing:
        return [f"under 18 the adolescent questions must be answered, missing: {', '.join(missing)}"]
    return []


def load_intake(path: str | os.PathLike[str]) -> Intake:
    """Read an intake file (YAML or JSON by suffix) and validate it.

    Raises
    ------
    InputError
        When the file cannot be read or a field is missing or invalid (the message names it).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        doc = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise InputError(f"the intake file {p} cannot be read ({exc}); check the path and format.") from exc
    return parse_intake(doc, source=str(p))


def intake_problems(doc: Any) -> list[str]:
    """Every problem of an intake document at once ("field: message"); empty when it is valid.

    Field errors are all listed; the red-flag answers are checked as well even when other fields
    are wrong, so that one round of corrections is enough.
    """
    try:
        Intake.model_validate(doc)
    except ValidationError as exc:
        problems = [p for e in exc.errors() for p in _problems(e)]
        return problems + _record_problems(doc, problems)
    return []


def _record_problems(doc: Any, found: list[str]) -> list[str]:
    """Whole-record checks the model skips while a field is invalid, run on the raw document."""
    age = doc.get("age") if isinstance(doc, dict) else None
    if not isinstance(age, int) or any("must be answered" in p for p in found):
        return []
    flags = doc.get("red_flags")
    out = [f"red_flags: {p}" for p in red_flag_problems(flags, age)] if isinstance(flags, dict) else []
    missing = [k for k in ADOLESCENT_FIELDS if doc.get(k) is None]
    if age < ADULT_AGE and missing:
        out.append(f"under 18 the adolescent questions must be answered, missing: {', '.join(missing)}")
    return out


def _problems(err: Any) -> list[str]:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if not err["loc"] or err["loc"] == ("self_tests",):  # whole-record checks join problems with "; "
        return msg.split("; ")
    return [f"{'.'.join(str(p) for p in err['loc'])}: {msg}"]


def parse_intake(doc: Any, *, source: str = "intake") -> Intake:
    """Validate a parsed intake document; InputError lists every bad field at once."""
    problems = intake_problems(doc)
    if problems:
        n = len(problems)
        head = f"{source}: {n} problem{'s' if n > 1 else ''}: " if n > 1 else f"{source}: "
        raise InputError(f"{head}{'; '.join(problems)}; fix {'them' if n > 1 else 'it'} and try again.")
    return Intake.model_validate(doc)


def save_intake(intake: Intake, path: str | os.PathLike[str]) -> Path:
    """Write an intake as YAML (or JSON when the suffix is .json) and return the path."""
    p = Path(path)
    doc = intake.model_dump(mode="json", exclude_none=True)
    text = json.dumps(doc, indent=2) if p.suffix.lower() == ".json" else yaml.safe_dump(doc, sort_keys=False)
    p.write_text(text, encoding="utf-8")
    return p


def self_test_measures(intake: Intake) -> MeasureSet:
    """Turn the self-tests into measures: one per side, plus a limb symmetry index (%).

    Measure ids are ``self.<field>`` per side (e.g. ``self.bridge_reps``) and
    ``self.<test>_lsi`` (weaker side as % of the stronger, e.g. ``self.bridge_lsi``) for both.
    """
    specs = intake_questions().self_tests
    measures: list[Measure] = []
    for field, spec in specs.items():
        pair: SidePair | None = getattr(intake.self_tests, field)
        if pair is None:
            continue
        mid = f"self.{field}"
        stem = f"self.{field.rsplit('_', 1)[0]}"
        for side in ("left", "right"):
            value = getattr(pair, side)
            if value is not None:
                measures.append(_self_measure(mid, spec.name, spec.unit, side, value))
        measures.append(_lsi(f"{stem}_lsi", spec.name, pair))
    return MeasureSet(test="self_tests", view=None, measures=measures)


def _self_measure(mid: str, name: str, unit: str, side: Literal["left", "right"], value: float) -> Measure:
    return Measure(
        id=mid,
        name=name,
        value=float(value),
        unit=unit,
        side=side,
        n=1,
        per_cycle=[float(value)],
        confidence=SELF_TEST_CONFIDENCE,
        reason="self-reported",
    )


def _lsi(mid: str, name: str, pair: SidePair) -> Measure:
    title = f"{name}, limb symmetry"
    if pair.left is None or pair.right is None:
        reason = "only one side was entered"
        return Measure.not_measurable(id=mid, name=title, unit="%", side="both", reason=reason)
    strong = max(pair.left, pair.right)
    if strong == 0:
        reason = "both sides were 0"
        return Measure.not_measurable(id=mid, name=title, unit="%", side="both", reason=reason)
    value = 100.0 * min(pair.left, pair.right) / strong
    return Measure(
        id=mid, name=title, value=value, unit="%", side="both", n=1, confidence=SELF_TEST_CONFIDENCE
    )
