"""The plan editor as a web form: one row per exercise (order, exercise, dose, note), plus a general note.

The form is turned into the ``kinechain.plan/1`` document of :mod:`kinechain.clinic.plan_edit`
(the same file the CLI's ``sign-plan`` signs), and checked by it; every problem is reported at once.
"""

from __future__ import annotations

from typing import Any

from kinechain.errors import InputError

#: Blank rows under the plan's exercises, to add exercises.
EXTRA_ROWS = 3
#: Most rows a form may send (the library has fewer exercises than this).
MAX_ROWS = 40
#: Whole-number dose fields (``kinechain.clinic.plan_edit.DOSE_FIELDS`` less ``intensity``).
NUMBER_FIELDS = ("sets", "reps", "hold_s", "minutes", "days_per_week", "rest_s")
#: The columns of a row, with their headings (units in brackets).
COLUMNS = {
    "sets": "sets",
    "reps": "reps",
    "hold_s": "hold (s)",
    "minutes": "minutes",
    "days_per_week": "days a week",
    "rest_s": "rest (s)",
    "intensity": "intensity (e.g. RPE 6-7 of 10)",
    "note": "note",
}


def exercise_choices() -> dict[str, str]:
    """Return every library exercise as id -> name, for the row's exercise menu."""
    from kinechain.clinic.knowledge import exercise_library

    return {e.id: e.name for e in exercise_library().exercises}


def form_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the rows the form shows for a plan document: its items in order, then blank rows."""
    rows = [{"order": i + 1, **item} for i, item in enumerate(doc.get("items") or [])]
    start = len(rows)
    return rows + [{"order": start + i + 1} for i in range(EXTRA_ROWS)]


def _number(raw: str) -> int | str:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return raw  # the plan check names the field and says a whole number is expected
    return int(value) if value.is_integer() else raw


def _row(form: Any, i: int) -> dict[str, Any] | None:
    """One submitted row as a plan item, or None when it is blank or marked for removal."""
    ex_id = str(form.get(f"items.{i}.id") or "").strip()
    if not ex_id or form.get(f"items.{i}.remove"):
        return None
    item: dict[str, Any] = {"id": ex_id}
    for key in (*NUMBER_FIELDS, "intensity", "note"):
        raw = str(form.get(f"items.{i}.{key}") or "").strip()
        if raw:
            item[key] = _number(raw) if key in NUMBER_FIELDS else raw
    return item


def _order(form: Any, i: int) -> float:
    raw = str(form.get(f"items.{i}.order") or "").strip()
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return float(i + 1)


def plan_from_form(form: Any) -> dict[str, Any]:
    """Return the submitted plan as a ``kinechain.plan/1`` document (not yet checked).

    Rows are sorted by their order number (ties keep the form's order); blank rows and rows
    marked for removal are left out.
    """
    rows = [(i, _row(form, i)) for i in range(MAX_ROWS)]
    kept = sorted(((_order(form, i), i, item) for i, item in rows if item is not None), key=lambda r: r[:2])
    notes = str(form.get("notes") or "").strip()
    return {"items": [item for _, _, item in kept], "notes": notes or None}


def check_plan(doc: dict[str, Any]) -> Any:
    """Validate a plan document; InputError naming every problem in one sentence.

    Returns
    -------
    kinechain.clinic.plan_edit.PlanFile
        The checked plan (unsigned unless the document carries a signature).
    """
    from pydantic import ValidationError

    from kinechain.clinic.plan_edit import PlanFile

    try:
        return PlanFile.model_validate(doc)
    except ValidationError as exc:
        names = exercise_choices()
        problems = [_problem(e, doc, names) for e in exc.errors()]
        raise InputError(
            f"the plan cannot be saved: {'; '.join(problems)}; correct it and save again."
        ) from exc


def _problem(err: Any, doc: dict[str, Any], names: dict[str, str]) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    loc = list(err["loc"])
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        item = (doc.get("items") or [])[loc[1]]
        name = names.get(str(item.get("id")), str(item.get("id")))
        field = COLUMNS.get(str(loc[2]), str(loc[2])) if len(loc) > 2 else "exercise"
        return f"exercise {loc[1] + 1} ({name}), {field}: {msg}"
    if loc == ["items"]:
        return f"the plan needs at least one exercise ({msg})"
    return f"{'.'.join(str(p) for p in loc) or 'plan'}: {msg}"
