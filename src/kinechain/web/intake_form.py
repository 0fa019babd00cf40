"""The intake as a web form, built from the clinic's question files (intake_questions.yaml, red_flags.yaml).

The wording is the clinic layer's own; this module only lays it out as HTML fields and turns the
submitted form back into the intake record that :class:`kinechain.clinic.intake.Intake` validates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from starlette.datastructures import FormData

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


def _text(form: FormData, name: str) -> str | None:
    """Return the posted text of a field (None when absent, or when a file was posted instead)."""
    raw = form.get(name)
    return raw if isinstance(raw, str) else None


def _scalar(f: Field, form: FormData) -> float | str | None:
    raw = _text(form, f.name)
    if f.kind == "int":
        value = _number(raw)
        return int(value) if value is not None and value.is_integer() else raw
    if f.kind == "float":
        value = _number(raw)
        return value if value is not None else raw
    return raw


def _hhd(name: str, form: FormData) -> dict[str, float | str] | None:
    reading: dict[str, float | str] = dict(_pair(name, form) or {})
    if not reading:
        return None
    reading["unit"] = "kg" if _text(form, f"{name}.unit") == "kg" else "N"
    lever = _number(_text(form, f"{name}.lever_m"))
    return {**reading, "lever_m": lever} if lever is not None else reading


def _optional(f: Field, form: FormData) -> tuple[bool, float | str | bool | None]:
    """(present, value) of a single-valued field; blank optional answers are left out."""
    raw = _text(form, f.name)
    if f.kind == "yesno":
        return (raw in ("yes", "no"), raw == "yes")
    if f.optional and (raw is None or not raw.strip()):
        return (False, None)
    return (True, _scalar(f, form))


def _psfs(form: FormData) -> list[dict[str, str | int | None]]:
    items: list[dict[str, str | int | None]] = []
    for i in range(PSFS_ROWS):
        activity = (_text(form, f"psfs.{i}.activity") or "").strip()
        score = _number(_text(form, f"psfs.{i}.score"))
        if activity:
            items.append({"activity": activity, "score": int(score) if score is not None else None})
    return items


def _pair(name: str, form: FormData) -> dict[str, float] | None:
    pair = {side: _number(_text(form, f"{name}.{side}")) for side in SIDES}
    return {k: v for k, v in pair.items() if v is not None} or None


def intake_from_form(form: FormData, assessment_date: str, name: str | None) -> dict[str, object]:
    """Turn a submitted intake form into an intake record (not yet validated)."""
    red_flags: dict[str, bool] = {}
    self_tests: dict[str, dict[str, float]] = {}
    dynamometer: dict[str, dict[str, float | str]] = {}
    data: dict[str, object] = {"assessment_date": assessment_date, "name": name}
    for f in intake_fields():
        key = f.name.split(".", 1)[-1]
        if f.kind == "multi":
            data[f.name] = [v for v in form.getlist(f.name) if isinstance(v, str)]
        elif f.kind == "psfs":
            data["psfs"] = _psfs(form)
        elif f.kind == "pair" and (pair := _pair(f.name, form)):
            self_tests[key] = pair
        elif f.kind == "hhd" and (reading := _hhd(f.name, form)):
            dynamometer[key] = reading
        elif f.kind not in ("pair", "hhd"):
            present, value = _optional(f, form)
            if present:
                data[f.name] = value
    for f in red_flag_fields():
        answer = _text(form, f.name)
        if answer in ("yes", "no"):
            red_flags[f.name.split(".", 1)[1]] = answer == "yes"
    data.update(red_flags=red_flags, self_tests=self_tests)
    return {**data, "dynamometer": dynamometer} if dynamometer else data


def _mapping(value: object) -> Mapping[str, object]:
    """Return a stored JSON object, or an empty one when the value is missing or not an object."""
    return value if isinstance(value, dict) else {}


def _values_of_groups(intake: Mapping[str, object]) -> dict[str, object]:
    """Form values of the nested answers: dynamometer readings, red flags, PSFS rows, self-tests."""
    values: dict[str, object] = {}
    for group, reading in _mapping(intake.get("dynamometer")).items():
        for key, value in _mapping(reading).items():
            values[f"dynamometer.{group}.{key}"] = value
    for key, answer in _mapping(intake.get("red_flags")).items():
        values[f"red_flags.{key}"] = "yes" if answer else "no"
    psfs = intake.get("psfs")
    for i, item in enumerate(psfs if isinstance(psfs, list) else []):
        row = _mapping(item)
        values[f"psfs.{i}.activity"], values[f"psfs.{i}.score"] = row.get("activity"), row.get("score")
    for key, pair in _mapping(intake.get("self_tests")).items():
        for side, value in _mapping(pair).items():
            if value is not None:
                values[f"self_tests.{key}.{side}"] = value
    return values


def form_values(intake: Mapping[str, object] | None) -> dict[str, object]:
    """Flatten a stored intake record into form values (to show it again for editing)."""
    if not intake:
        return {}
    values: dict[str, object] = {k: v for k, v in intake.items() if not isinstance(v, dict | list)}
    values.update({k: "yes" if v else "no" for k, v in intake.items() if isinstance(v, bool)})
    values.update({k: v for k, v in intake.items() if isinstance(v, list) and k != "psfs"})
    values.update(_values_of_groups(intake))
    return values
