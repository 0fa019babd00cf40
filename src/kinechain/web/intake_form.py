"""The intake as a web form, built from the clinic's question files (intake_questions.yaml, red_flags.yaml).

The wording is the clinic layer's own; this module only lays it out as HTML fields and turns the
submitted form back into the intake record that :class:`kinechain.clinic.intake.Intake` validates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PSFS_ROWS = 5
SIDES = ("left", "right")


@dataclass(frozen=True)
class Field:
    """One question as a form field."""

    name: str
    text: str
    kind: str
    choices: dict[str, str] = field(default_factory=dict)
    min: float | None = None
    max: float | None = None
    how: str = ""
    optional: bool = False
    max_age: int | None = None


def intake_fields() -> list[Field]:
    """Return the intake questions (without red flags) as form fields, in the file's order."""
    from kinechain.clinic.knowledge import intake_questions

    qs = intake_questions()
    out = []
    for q in qs.questions:
        if q.kind == "self_tests":
            for key, spec in qs.self_tests.items():
                text = f"{spec.name} ({spec.unit}, up to {spec.max:g})"
                out.append(Field(f"self_tests.{key}", text, "pair", max=spec.max, how=spec.how))
            continue
        if q.kind == "dynamometer":
            for key, dyn in qs.dynamometer.items():
                text = f"Dynamometer: {dyn.name} (N or kg; lever arm in m)"
                out.append(Field(f"dynamometer.{key}", text, "hhd", how=dyn.how, optional=True))
            continue
        out.append(
            Field(q.field, q.text, q.kind, dict(q.choices or {}), q.min, q.max, "", q.optional, q.max_age)
        )
    return out


def red_flag_fields() -> list[Field]:
    """Return the red-flag questions as yes/no fields."""
    from kinechain.clinic.knowledge import red_flags

    return [Field(f"red_flags.{f.id}", f.question, "yesno") for f in red_flags().flags]


def _number(raw: str | None) -> float | None:
    if raw is None or not raw.strip():
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


def _scalar(f: Field, form: Any) -> Any:
    raw = form.get(f.name)
    if f.kind == "int":
        value = _number(raw)
        return int(value) if value is not None and value.is_integer() else raw
    if f.kind == "float":
        value = _number(raw)
        return value if value is not None else raw
    return raw


def _hhd(name: str, form: Any) -> dict[str, Any] | None:
    reading: dict[str, Any] = dict(_pair(name, form) or {})
    if not reading:
        return None
    reading["unit"] = "kg" if form.get(f"{name}.unit") == "kg" else "N"
    lever = _number(form.get(f"{name}.lever_m"))
    return {**reading, "lever_m": lever} if lever is not None else reading


def _optional(f: Field, form: Any) -> tuple[bool, Any]:
    """(present, value) of a single-valued field; blank optional answers are left out."""
    raw = form.get(f.name)
    if f.kind == "yesno":
        return (raw in ("yes", "no"), raw == "yes")
    if f.optional and (raw is None or not str(raw).strip()):
        return (False, None)
    return (True, _scalar(f, form))


def _psfs(form: Any) -> list[dict[str, Any]]:
    items = []
    for i in range(PSFS_ROWS):
        activity = (form.get(f"psfs.{i}.activity") or "").strip()
        score = _number(form.get(f"psfs.{i}.score"))
        if activity:
            items.append({"activity": activity, "score": int(score) if score is not None else None})
    return items


def _pair(name: str, form: Any) -> dict[str, float] | None:
    pair = {side: _number(form.get(f"{name}.{side}")) for side in SIDES}
    return {k: v for k, v in pair.items() if v is not None} or None


def intake_from_form(form: Any, assessment_date: str, name: str | None) -> dict[str, Any]:
    """Turn a submitted intake form into an intake record (not yet validated)."""
    data: dict[str, Any] = {
        "assessment_date": assessment_date,
        "name": name,
        "red_flags": {},
        "self_tests": {},
    }
    for f in intake_fields():
        if f.kind == "multi":
            data[f.name] = list(form.getlist(f.name))
        elif f.kind == "psfs":
            data["psfs"] = _psfs(form)
        elif f.kind == "pair":
            pair = _pair(f.name, form)
            if pair:
                data["self_tests"][f.name.split(".", 1)[1]] = pair
        elif f.kind == "hhd":
            reading = _hhd(f.name, form)
            if reading:
                data.setdefault("dynamometer", {})[f.name.split(".", 1)[1]] = reading
        else:
            present, value = _optional(f, form)
            if present:
                data[f.name] = value
    for f in red_flag_fields():
        answer = form.get(f.name)
        if answer in ("yes", "no"):
            data["red_flags"][f.name.split(".", 1)[1]] = answer == "yes"
    return data


def form_values(intake: dict[str, Any] | None) -> dict[str, Any]:
    """Flatten a stored intake record into form values (to show it again for editing)."""
    if not intake:
        return {}
    values: dict[str, Any] = {k: v for k, v in intake.items() if not isinstance(v, dict | list)}
    values.update({k: "yes" if v else "no" for k, v in intake.items() if isinstance(v, bool)})
    for group, reading in (intake.get("dynamometer") or {}).items():
        for key, value in (reading or {}).items():
            values[f"dynamometer.{group}.{key}"] = value
    for k, v in intake.items():
        if isinstance(v, list) and k != "psfs":
            values[k] = v
    for key, answer in (intake.get("red_flags") or {}).items():
        values[f"red_flags.{key}"] = "yes" if answer else "no"
    for i, item in enumerate(intake.get("psfs") or []):
        values[f"psfs.{i}.activity"], values[f"psfs.{i}.score"] = item.get("activity"), item.get("score")
    for key, pair in (intake.get("self_tests") or {}).items():
        for side, value in (pair or {}).items():
            if value is not None:
                values[f"self_tests.{key}.{side}"] = value
    return values
