"""Pages that fix mistakes: edit an athlete, an assessment or a clip; delete an assessment or a clip.

Every delete is two steps: a GET page saying what will be removed (:class:`Confirmation`, one
template), and a POST from its form (``confirm=delete``). Every edit is a form (:class:`EditForm`,
one template) that is shown again with the refusal when a field is wrong. Only clinic staff edit
athletes or delete; the use cases are in :mod:`kinechain.web.editing`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kinechain.store.models import Assessment, Athlete, Trial
from kinechain.web import editing
from kinechain.web.access import ReadAccess, StaffAccess
from kinechain.web.api.deps import Csrf, IdPath, MediaDep, RunnerDep
from kinechain.web.api.schemas import AssessmentCreate, AthleteCreate
from kinechain.web.catalogue import test_choices
from kinechain.web.forms import FormError, form_model
from kinechain.web.templating import redirect, render

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
SEXES = [("", "not given"), ("female", "female"), ("male", "male")]


@dataclass(frozen=True)
class EditForm:
    """An edit page: its title, fields, where it posts, where Cancel goes and an optional note."""

    title: str
    fields: list[dict[str, object]]
    action: str
    back: str
    note: str | None = None


@dataclass(frozen=True)
class Confirmation:
    """A "delete X?" page: what is deleted, the list of what goes with it, where it posts and Cancel."""

    title: str
    message: str
    removes: list[str]
    action: str
    back: str


def _field(name: str, label: str, value: object, kind: str = "text", **extra: object) -> dict[str, object]:
    return {"name": name, "label": label, "value": value, "kind": kind, **extra}


def _form_page(request: Request, form: EditForm, status: int = 200, error: str | None = None) -> Response:
    return render(request, "edit.html", status, error=error, **asdict(form))


def _save(request: Request, form: EditForm, done: str, save: Callable[[], object]) -> Response:
    """Run ``save``; redirect to ``done``, or show ``form`` again (422) with its one-sentence refusal."""
    try:
        save()
    except FormError as exc:
        return _form_page(request, form, 422, str(exc))
    return redirect(done)


def _confirm_page(request: Request, page: Confirmation) -> Response:
    return render(request, "confirm.html", **asdict(page))


def _delete(request: Request, confirm: str, back: str, delete: Callable[[], object], done: str) -> Response:
    """Run ``delete`` once confirmed and redirect to ``done``; else say it was not deleted (422)."""
    if confirm != "delete":
        return render(
            request,
            "message.html",
            422,
            title="Not deleted",
            message="the deletion was not confirmed; use the Delete button of the confirmation page.",
            back=back,
        )
    delete()
    return redirect(done)


def _athlete_form(athlete: Athlete) -> EditForm:
    fields = [
        _field("name", "Name", athlete.name, maxlength=200, required=True),
        _field("email", "E-mail (optional)", athlete.email, "email", maxlength=320),
        _field("sex", "Sex", athlete.sex or "", options=SEXES),
        _field("birth_year", "Birth year (optional)", athlete.birth_year, "number"),
    ]
    path = f"/athletes/{athlete.id}"
    return EditForm(f"Edit {athlete.name}", fields, f"{path}/edit", path)


@router.get("/athletes/{athlete_id}/edit", response_class=HTMLResponse)
def athlete_edit_page(request: Request, athlete_id: IdPath, access: StaffAccess) -> Response:
    """Return the form to correct an athlete's record."""
    return _form_page(request, _athlete_form(access.athlete(athlete_id)))


@router.post("/athletes/{athlete_id}/edit", dependencies=[Csrf])
def athlete_edit(
    request: Request,
    athlete_id: IdPath,
    access: StaffAccess,
    name: FormText = "",
    email: FormText = "",
    sex: FormText = "",
    birth_year: FormText = "",
) -> Response:
    """Save an athlete's record (checked by the API's AthleteCreate schema)."""
    athlete = access.athlete(athlete_id)
    posted = {"name": name, "email": email, "sex": sex, "birth_year": birth_year}
    return _save(
        request,
        _athlete_form(athlete),
        f"/athletes/{athlete.id}",
        lambda: editing.edit_athlete(access, athlete, form_model(AthleteCreate, posted)),
    )


def _assessment_form(a: Assessment) -> EditForm:
    fields = [
        _field("date", "Date", a.date.isoformat(), "date", required=True),
        _field("notes", "Notes (private to the clinic)", a.notes, "textarea", maxlength=2000),
    ]
    path = f"/assessments/{a.id}"
    return EditForm(f"Edit the assessment of {a.date.isoformat()}", fields, f"{path}/edit", path)


@router.get("/assessments/{assessment_id}/edit", response_class=HTMLResponse)
def assessment_edit_page(request: Request, assessment_id: IdPath, access: ReadAccess) -> Response:
    """Return the form to correct an assessment's date and notes."""
    return _form_page(request, _assessment_form(access.assessment(assessment_id)))


@router.post("/assessments/{assessment_id}/edit", dependencies=[Csrf])
def assessment_edit(
    request: Request, assessment_id: IdPath, access: ReadAccess, date: FormText = "", notes: FormText = ""
) -> Response:
    """Save an assessment's date and notes (checked by the API's AssessmentCreate schema)."""
    a = access.assessment(assessment_id)
    posted = {"date": date, "notes": notes}
    return _save(
        request,
        _assessment_form(a),
        f"/assessments/{a.id}",
        lambda: editing.edit_assessment(access, a, form_model(AssessmentCreate, posted)),
    )


@router.get("/assessments/{assessment_id}/delete", response_class=HTMLResponse)
def assessment_delete_page(request: Request, assessment_id: IdPath, access: StaffAccess) -> Response:
    """Ask for confirmation before deleting an assessment, saying what goes with it."""
    a = access.assessment(assessment_id)
    n = len(a.trials)
    removes = [
        f"{n} clip{'s' if n != 1 else ''} with their videos, keypoints, overlay videos and key frames",
        "the results, the intake, the notes and every share link (they stop working)",
    ]
    message = f"This deletes the assessment of {a.athlete.name} on {a.date.isoformat()} and everything in it:"
    title = f"Delete the assessment of {a.date.isoformat()}?"
    path = f"/assessments/{a.id}"
    return _confirm_page(request, Confirmation(title, message, removes, f"{path}/delete", path))


@router.post("/assessments/{assessment_id}/delete", dependencies=[Csrf])
def assessment_delete(
    request: Request, assessment_id: IdPath, media: MediaDep, access: StaffAccess, confirm: FormText = ""
) -> Response:
    """Delete an assessment with its clips and stored files, once confirmed."""
    a = access.assessment(assessment_id)
    done = f"/athletes/{a.athlete_id}"
    return _delete(
        request, confirm, f"/assessments/{a.id}", lambda: editing.delete_assessment(access, media, a), done
    )


def _trial_back(trial: Trial) -> str:
    return f"/assessments/{trial.assessment_id}#trial-{trial.id}"


def _trial_form(trial: Trial) -> EditForm:
    choices = test_choices()
    views = sorted({v for c in choices for v in c.views})
    fields = [
        _field("test", "Test", trial.test, options=[(c.test, c.title) for c in choices]),
        _field("view", "View", trial.view, options=[(v, v) for v in views]),
    ]
    note = "Saving analyses the clip again as the test and view chosen; the old result is replaced."
    return EditForm(
        "Correct the clip's test or view", fields, f"/trials/{trial.id}/edit", _trial_back(trial), note
    )


@router.get("/trials/{trial_id}/edit", response_class=HTMLResponse)
def trial_edit_page(request: Request, trial_id: IdPath, access: ReadAccess) -> Response:
    """Return the form to correct which test and view a clip shows."""
    return _form_page(request, _trial_form(access.trial(trial_id)))


@router.post("/trials/{trial_id}/edit", dependencies=[Csrf])
def trial_edit(
    request: Request,
    trial_id: IdPath,
    runner: RunnerDep,
    access: ReadAccess,
    test: FormText = "",
    view: FormText = "",
) -> Response:
    """Save a clip's test and view and analyse it again."""
    trial = access.trial(trial_id)
    return _save(
        request,
        _trial_form(trial),
        _trial_back(trial),
        lambda: editing.reanalyse_trial(access, runner, trial, test=test, view=view),
    )


@router.get("/trials/{trial_id}/delete", response_class=HTMLResponse)
def trial_delete_page(request: Request, trial_id: IdPath, access: StaffAccess) -> Response:
    """Ask for confirmation before deleting a clip."""
    trial = access.trial(trial_id)
    title = trial.test.replace("_", " ")
    message = (
        f"This deletes the {title} clip ({trial.view} view) of the assessment of "
        f"{trial.assessment.date.isoformat()}:"
    )
    removes = ["its video, keypoints, overlay video and key frames", "its analysis and measures"]
    page = Confirmation(
        f"Delete this {title} clip?", message, removes, f"/trials/{trial.id}/delete", _trial_back(trial)
    )
    return _confirm_page(request, page)


@router.post("/trials/{trial_id}/delete", dependencies=[Csrf])
def trial_delete(
    request: Request, trial_id: IdPath, media: MediaDep, access: StaffAccess, confirm: FormText = ""
) -> Response:
    """Delete a clip with its stored files, once confirmed."""
    trial = access.trial(trial_id)
    back = f"/assessments/{trial.assessment_id}"
    return _delete(request, confirm, back, lambda: editing.delete_trial(access, media, trial), back)
