"""The intake: who the person is, where it hurts, red flags, PSFS and self-tests.

The file format is YAML or JSON (chosen by the file suffix) holding the fields of :class:`Intake`;
``docs/clinic.md`` shows an example. :func:`prompt_intake` asks the questions of
``data/intake_questions.yaml`` and ``data/red_flags.yaml`` one by one (the CLI uses it).
No item text of KOOS, KOOS-PF, Kujala/AKPS or the Foot Posture Index manual is used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kinechain.clinic.knowledge import Question, RedFlag, intake_questions, red_flags
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


# --------------------------------------------------------------------------- interactive prompts

Ask = Callable[[str], str]
Say = Callable[[str], None]


def _parse_answer(q: Question, raw: str) -> Any:
    """Turn one typed answer into a field value; ValueError with a hint when it is invalid."""
    raw = raw.strip()
    if q.kind in ("int", "float"):
        value = int(raw) if q.kind == "int" else float(raw)
        if (q.min is not None and value < q.min) or (q.max is not None and value > q.max):
            raise ValueError(f"enter a number from {q.min:g} to {q.max:g}")
        return value
    choices = q.choices or {}
    keys = list(choices)
    picked = [_pick(keys, part) for part in raw.replace(" ", ",").split(",") if part]
    if q.kind == "choice":
        if len(picked) != 1:
            raise ValueError("enter one number from the list")
        return picked[0]
    return picked


def _pick(keys: list[str], part: str) -> str:
    if part in keys:
        return part
    if part.isdigit() and 1 <= int(part) <= len(keys):
        return keys[int(part) - 1]
    raise ValueError(f"enter numbers from 1 to {len(keys)}")


def _ask_question(q: Question, ask: Ask, say: Say) -> Any:
    """Ask one question until the answer is valid; None for a blank optional answer."""
    if q.kind == "yesno":
        return _ask_yes_no(q.text, ask, say, optional=q.optional)
    if q.choices:
        say(q.text + (" (blank to skip)" if q.optional else ""))
        for i, label in enumerate(q.choices.values(), start=1):
            say(f"  {i}. {label}")
    while True:
        raw = ask(">" if q.choices else q.text + (" (blank to skip) " if q.optional else " "))
        if q.kind == "multi" and not raw.strip():
            return []
        if q.optional and not raw.strip():
            return None
        try:
            return _parse_answer(q, raw)
        except ValueError as exc:
            say(f"  {exc}")


def _ask_yes_no(text: str, ask: Ask, say: Say, *, optional: bool = False) -> bool | None:
    while True:
        raw = ask(f"{text} [y/n{', blank to skip' if optional else ''}] ").strip().lower()
        if optional and not raw:
            return None
        if raw in ("y", "yes", "n", "no"):
            return raw.startswith("y")
        say("  answer y or n")


def _ask_number(text: str, ask: Ask, say: Say, lo: float, hi: float) -> float | None:
    q = Question(field="n", text=text, kind="float", min=lo, max=hi)
    while raw := ask(text + " ").strip():
        try:
            value: float = _parse_answer(q, raw)
            return value
        except ValueError as exc:
            say(f"  {exc}")
    return None


def _ask_dynamometer(ask: Ask, say: Say) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, spec in intake_questions().dynamometer.items():
        say(f"{spec.name}: {spec.how}")
        pair = {
            side: _ask_number(f"  {side}, N or kg (blank if not done)", ask, say, 1, 2000)
            for side in ("left", "right")
        }
        reading: dict[str, Any] = {k: v for k, v in pair.items() if v is not None}
        if not reading:
            continue
        unit = ask("  unit, N or kg [N] ").strip() or "N"
        reading["unit"] = "kg" if unit.lower().startswith("k") else "N"
        lever = _ask_number("  lever arm, m (blank if not measured)", ask, say, 0.05, 1.2)
        out[key] = {**reading, **({"lever_m": lever} if lever is not None else {})}
    return out


def _ask_psfs(ask: Ask, say: Say) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while len(items) < 5:
        activity = ask(f"PSFS activity {len(items) + 1} (blank to finish): ").strip()
        if not activity:
            break
        q = Question(field="score", text=f"  score for '{activity}' (0-10)", kind="int", min=0, max=10)
        items.append({"activity": activity, "score": _ask_question(q, ask, say)})
    return items


def _ask_self_tests(ask: Ask, say: Say) -> dict[str, dict[str, float]]:
    result: dict[str, dict[str, float]] = {}
    for field, spec in intake_questions().self_tests.items():
        say(f"{spec.name} ({spec.unit}): {spec.how}")
        pair: dict[str, float] = {}
        for side in ("left", "right"):
            q = Question(field=side, text=f"  {side} (blank if not done)", kind="float", min=0, max=spec.max)
            raw = ask(q.text + " ").strip()
            while raw:
                try:
                    pair[side] = _parse_answer(q, raw)
                    break
                except ValueError as exc:
                    say(f"  {exc}")
                    raw = ask(q.text + " ").strip()
        if pair:
            result[field] = pair
    return result


def prompt_intake(ask: Ask = input, say: Say = print) -> Intake:
    """Ask every intake question, then the red-flag questions, and return the Intake.

    Parameters
    ----------
    ask : callable
        Shows a prompt and returns the typed answer (``input`` by default).
    say : callable
        Shows a line of text (``print`` by default).
    """
    doc: dict[str, Any] = {}
    sections = {"psfs": _ask_psfs, "self_tests": _ask_self_tests, "dynamometer": _ask_dynamometer}
    for q in intake_questions().questions:
        if q.max_age is not None and doc.get("age", 0) > q.max_age:
            continue
        if q.kind in sections:
            say(q.text)
            answer = sections[q.kind](ask, say)
        else:
            answer = _ask_question(q, ask, say)
        if answer is not None and answer != {}:
            doc[q.field] = answer
    say("Safety questions: answer each one.")
    flags = [f for f in red_flags().flags if f.max_age is None or doc["age"] <= f.max_age]
    doc["red_flags"] = {f.id: _ask_yes_no(f.question, ask, say) for f in flags}
    return parse_intake(doc)
