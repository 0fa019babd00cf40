"""The plan editor as a web form: one row per exercise (order, exercise, dose, note), plus a general note.

The form is turned into the ``kinechain.plan/1`` document of :mod:`kinechain.clinic.plan_edit`
(the same file the CLI's ``sign-plan`` signs), and checked by it; every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pydantic_core import ErrorDetails
from starlette.datastructures import FormData

from kinechain.errors import InputError

if TYPE_CHECKING:
    from kinechain.clinic.plan_edit import PlanFile

#: One exercise of a plan document: its id, dose fields (whole numbers, or the text as posted) and note.
PlanRow = dict[str, int | str]

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


def _items(doc: Mapping[str, object]) -> list[Mapping[str, object]]:
    """Return the items of a plan document (those that are JSON objects)."""
    items = doc.get("items")
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []


def form_rows(doc: Mapping[str, object]) -> list[dict[str, object]]:
    """Return the rows the form shows for a plan document: its items in order, then blank rows."""
    rows: list[dict[str, object]] = [{"order": i + 1, **item} for i, item in enumerate(_items(doc))]
    start = len(rows)
    return rows + [{"order": start + i + 1} for i in range(EXTRA_ROWS)]


def _number(raw: str) -> int | str:
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return raw  # the plan check names the field and says a whole number is expected
    return int(value) if value.is_integer() else raw


def _posted(form: FormData, name: str) -> str:
    """Return a posted field's text, stripped ("" when absent or when a file was posted)."""
    raw = form.get(name)
    return raw.strip() if isinstance(raw, str) else ""


def _row(form: FormData, i: int) -> PlanRow | None:
    """One submitted row as a plan item, or None when it is blank or marked for removal."""
    ex_id = _posted(form, f"items.{i}.id")
    if not ex_id or form.get(f"items.{i}.remove"):
        return None
    item: PlanRow = {"id": ex_id}
    for key in (*NUMBER_FIELDS, "intensity", "note"):
        raw = _posted(form, f"items.{i}.{key}")
        if raw:
            item[key] = _number(raw) if key in NUMBER_FIELDS else raw
    return item


def _order(form: FormData, i: int) -> float:
    raw = _posted(form, f"items.{i}.order")
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return float(i + 1)


def plan_from_form(form: FormData) -> dict[str, object]:
    """Return the submitted plan as a ``kinechain.plan/1`` document (not yet checked).

    Rows are sorted by their order number (ties keep the form's order); blank rows and rows
    marked for removal are left out.
    """
    rows = [(i, _row(form, i)) for i in range(MAX_ROWS)]
    kept = sorted(((_order(form, i), i, item) for i, item in rows if item is not None), key=lambda r: r[:2])
    notes = _posted(form, "notes")
    return {"items": [item for _, _, item in kept], "notes": notes or None}


def check_plan(doc: Mapping[str, object]) -> PlanFile:
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


def _problem(err: ErrorDetails, doc: Mapping[str, object], names: dict[str, str]) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    loc = list(err["loc"])
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
        item = _items(doc)[loc[1]]
        name = names.get(str(item.get("id")), str(item.get("id")))
        field = COLUMNS.get(str(loc[2]), str(loc[2])) if len(loc) > 2 else "exercise"
        return f"exercise {loc[1] + 1} ({name}), {field}: {msg}"
    if loc == ["items"]:
        return f"the plan needs at least one exercise ({msg})"
    return f"{'.'.join(str(p) for p in loc) or 'plan'}: {msg}"
