"""The plan as a file a clinician edits and signs (schema ``kinechain.plan/1``, YAML or JSON).

``kinechain assess`` writes ``plan.yaml`` beside the report: the exercises in order with their
base dose. The clinician may reorder, remove or add exercises (any id of ``exercises.yaml``),
change any dose field, add a note per exercise and a general note, then sign it
(``kinechain sign-plan plan.yaml --by NAME``, which records the time and a checksum of the
content). Passing the file back (``--plan``) rebuilds the week-by-week doses from the edited base
dose and shows who signed, and when. A signed file changed after signing is refused, so that a
signature always covers what is shown. A plan stopped by a red flag cannot be restarted by an
edit: the red flag needs the referral first.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kinechain.clinic.intake import Intake
from kinechain.clinic.knowledge import exercise_library
from kinechain.clinic.plan import hold_weeks, weekly_doses
from kinechain.errors import InputError
from kinechain.model.plan import Exercise, Plan, PlanExercise

PLAN_SCHEMA = "kinechain.plan/1"
#: Dose fields a clinician may change.
DOSE_FIELDS = ("sets", "reps", "hold_s", "minutes", "days_per_week", "rest_s", "intensity")


class PlanItem(BaseModel):
    """One exercise of the edited plan: its id, base dose and the clinician's note."""

    model_config = ConfigDict(extra="forbid")

    id: str
    sets: int | None = Field(default=None, ge=1, le=10)
    reps: int | None = Field(default=None, ge=1, le=100)
    hold_s: int | None = Field(default=None, ge=1, le=600)
    minutes: int | None = Field(default=None, ge=1, le=180)
    days_per_week: int | None = Field(default=None, ge=1, le=7)
    rest_s: int | None = Field(default=None, ge=0, le=600)
    intensity: str | None = Field(default=None, max_length=120)
    note: str | None = Field(default=None, max_length=1000)


class PlanFile(BaseModel):
    """The editable plan: items in order, a general note, and the sign-off."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal["kinechain.plan/1"] = "kinechain.plan/1"
    items: list[PlanItem] = Field(min_length=1)
    notes: str | None = Field(default=None, max_length=4000)
    signed_by: str | None = Field(default=None, min_length=2, max_length=200)
    signed_at: datetime | None = None
    content_sha256: str | None = None

    @model_validator(mode="after")
    def _valid(self) -> PlanFile:
        lib_ids = [e.id for e in exercise_library().exercises]
        problems = [f"unknown exercise {i.id!r}" for i in self.items if i.id not in lib_ids]
        ids = [i.id for i in self.items]
        problems += [f"exercise {i!r} is listed twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
        if (self.signed_by is None) != (self.signed_at is None):
            problems.append("signed_by and signed_at go together (use `kinechain sign-plan`)")
        if problems:
            raise ValueError("; ".join(problems) + f" (exercise ids: {', '.join(lib_ids)})")
        return self

    def digest(self) -> str:
        """Checksum of the items and notes (what a signature covers)."""
        body = {"items": [i.model_dump(exclude_none=True) for i in self.items], "notes": self.notes}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def plan_file(plan: Plan) -> PlanFile:
    """Return the generated plan as an editable file (items in order with their base dose)."""
    items = [
        PlanItem(
            id=p.exercise.id, **p.exercise.dosage.model_dump(include=set(DOSE_FIELDS)), note=p.clinician_note
        )
        for p in plan.exercises
    ]
    return PlanFile(items=items, notes=plan.clinician_notes)


def sign(plan: PlanFile, by: str, *, at: datetime | None = None) -> PlanFile:
    """Return the plan signed by ``by`` at ``at`` (now, UTC, by default), with its checksum."""
    when = at or datetime.now(timezone.utc).replace(microsecond=0)
    doc = {**plan.model_dump(), "signed_by": by.strip(), "signed_at": when, "content_sha256": plan.digest()}
    try:
        return PlanFile.model_validate(doc)
    except ValidationError as exc:
        raise InputError(f"the plan cannot be signed: {_why(exc)}.") from exc


def save_plan_file(plan: PlanFile, path: str | os.PathLike[str]) -> Path:
    """Write the plan file as YAML (or JSON by suffix) and return the path."""
    p = Path(path)
    doc = plan.model_dump(mode="json", exclude_none=True)
    text = json.dumps(doc, indent=2) if p.suffix.lower() == ".json" else yaml.safe_dump(doc, sort_keys=False)
    p.write_text(text, encoding="utf-8")
    return p


def load_plan_file(path: str | os.PathLike[str], *, check_signature: bool = True) -> PlanFile:
    """Read and check a plan file; InputError names every problem, or a change after signing.

    ``check_signature=False`` reads a signed file that was changed (to sign it again).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"the plan file {p} cannot be read ({exc.strerror}); check the path.") from exc
    try:
        doc: Any = json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
        plan = PlanFile.model_validate(doc)
    except (ValueError, yaml.YAMLError) as exc:
        raise InputError(f"the plan file {p} cannot be used: {_why(exc)}; fix it and try again.") from exc
    if check_signature and plan.signed_by is not None and plan.content_sha256 != plan.digest():
        raise InputError(
            f"the plan file {p} was changed after {plan.signed_by} signed it; "
            f"sign it again with `kinechain sign-plan {p} --by NAME`."
        )
    return plan


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or 'plan'}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        )
    return str(exc)


def apply_plan_file(plan: Plan, edits: PlanFile, intake: Intake) -> Plan:
    """Return the plan as the clinician edited it: order, doses, notes and the sign-off.

    Raises
    ------
    InputError
        When the generated plan was stopped by a red flag.
    """
    if plan.stopped:
        raise InputError(
            "this plan was stopped by a red flag; an edited plan cannot restart it before the referral."
        )
    generated = {p.exercise.id: p for p in plan.exercises}
    lib = exercise_library()
    out = []
    for item in edits.items:
        base = lib.get(item.id)
        exercise = _with_dose(base, item)
        old = generated.get(item.id)
        out.append(
            PlanExercise(
                exercise=exercise,
                factor=old.factor if old else base.factors[0],
                why=old.why if old else "Added by the clinician.",
                weeks=weekly_doses(
                    exercise, plan.weeks, lib, adolescent=intake.adolescent, hold_weeks=hold_weeks(intake)
                ),
                clinician_note=item.note,
                edited=old is not None and (exercise.dosage != old.exercise.dosage or item.note is not None),
                added_by_clinician=old is None,
            )
        )
    return plan.model_copy(
        update={
            "exercises": out,
            "clinician_notes": edits.notes,
            "signed_by": edits.signed_by,
            "signed_at": edits.signed_at,
        }
    )


def _with_dose(ex: Exercise, item: PlanItem) -> Exercise:
    changes = {k: getattr(item, k) for k in DOSE_FIELDS if getattr(item, k) is not None}
    return ex.model_copy(update={"dosage": ex.dosage.model_copy(update=changes)})
