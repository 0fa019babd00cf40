"""Pages that fix mistakes: edit an athlete, an assessment or a clip; delete an assessment or a clip.

Every delete is two steps: a GET page saying what will be removed, and a POST from its form
(``confirm=delete``). Only clinic staff edit athletes or delete; the use cases are in
:mod:`kinechain.web.editing`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kinechain.store import repo
from kinechain.store.models import Assessment, Athlete, Trial
from kinechain.web import editing
from kinechain.web.access import StaffAccess
from kinechain.web.api.deps import Csrf, CurrentUser, IdPath, MediaDep, RunnerDep, SessionDep, StaffUser
from kinechain.web.api.schemas import AssessmentCreate, AthleteCreate
from kinechain.web.catalogue import test_choices
from kinechain.web.forms import FormError, form_model
from kinechain.web.templating import redirect, render

router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
SEXES = [("", "not given"), ("female", "female"), ("male", "male")]


def _field(name: str, label: str, value: object, kind: str = "text", **extra: object) -> dict[str, object]:
    return {"name": name, "label": label, "value": value, "kind": kind, **extra}


def _athlete_form(
    request: Request, athlete: Athlete, status: int = 200, error: str | None = None
) -> Response:
    fields = [
        _field("name", "Name", athlete.name, maxlength=200, required=True),
        _field("email", "E-mail (optional)", athlete.email, "email", maxlength=320),
        _field("sex", "Sex", athlete.sex or "", options=SEXES),
        _field("birth_year", "Birth year (optional)", athlete.birth_year, "number"),
    ]
    return render(
        request,
        "edit.html",
        status,
        title=f"Edit {athlete.name}",
        fields=fields,
        action=f"/athletes/{athlete.id}/edit",
        back=f"/athletes/{athlete.id}",
        error=error,
    )


@router.get("/athletes/{athlete_id}/edit", response_class=HTMLResponse)
def athlete_edit_page(request: Request, athlete_id: IdPath, session: SessionDep, user: StaffUser) -> Response:
    """Return the form to correct an athlete's record."""
    return _athlete_form(request, repo.get_athlete(session, user, athlete_id))


@router.post("/athletes/{athlete_id}/edit", dependencies=[Csrf])
def athlete_edit(
    request: Request,
    athlete_id: IdPath,
    session: SessionDep,
    user: StaffUser,
    name: FormText = "",
    email: FormText = "",
    sex: FormText = "",
    birth_year: FormText = "",
) -> Response:
    """Save an athlete's record (checked by the API's AthleteCreate schema)."""
    athlete = repo.get_athlete(session, user, athlete_id)
    try:
        body = form_model(AthleteCreate, {"name": name, "email": email, "sex": sex, "birth_year": birth_year})
    except FormError as exc:
        return _athlete_form(request, athlete, 422, str(exc))
    editing.edit_athlete(session, user, athlete, body)
    return redirect(f"/athletes/{athlete.id}")


def _assessment_form(
    request: Request, a: Assessment, status: int = 200, error: str | None = None
) -> Response:
    fields = [
        _field("date", "Date", a.date.isoformat(), "date", required=True),
        _field("notes", "Notes (private to the clinic)", a.notes, "textarea", maxlength=2000),
    ]
    return render(
        request,
        "edit.html",
        status,
        title=f"Edit the assessment of {a.date.isoformat()}",
        fields=fields,
        action=f"/assessments/{a.id}/edit",
        back=f"/assessments/{a.id}",
        error=error,
    )


@router.get("/assessments/{assessment_id}/edit", response_class=HTMLResponse)
def assessment_edit_page(
    request: Request, assessment_id: IdPath, session: SessionDep, user: CurrentUser
) -> Response:
    """Return the form to correct an assessment's date and notes."""
    return _assessment_form(request, repo.get_assessment(session, user, assessment_id))


@router.post("/assessments/{assessment_id}/edit", dependencies=[Csrf])
def assessment_edit(
    request: Request,
    assessment_id: IdPath,
    session: SessionDep,
    user: CurrentUser,
    date: FormText = "",
    notes: FormText = "",
) -> Response:
    """Save an assessment's date and notes (checked by the API's AssessmentCreate schema)."""
    a = repo.get_assessment(session, user, assessment_id)
    try:
        body = form_model(AssessmentCreate, {"date": date, "notes": notes})
    except FormError as exc:
        return _assessment_form(request, a, 422, str(exc))
    editing.edit_assessment(session, user, a, body)
    return redirect(f"/assessments/{a.id}")


@router.get("/assessments/{assessment_id}/delete", response_class=HTMLResponse)
def assessment_delete_page(
    request: Request, assessment_id: IdPath, session: SessionDep, user: StaffUser
) -> Response:
    """Ask for confirmation before deleting an assessment, saying what goes with it."""
    a = repo.get_assessment(session, user, assessment_id)
    n = len(a.trials)
    return render(
        request,
        "confirm.html",
        title=f"Delete the assessment of {a.date.isoformat()}?",
        message=f"This deletes the assessment of {a.athlete.name} on {a.date.isoformat()} "
        "and everything in it:",
        removes=[
            f"{n} clip{'s' if n != 1 else ''} with their videos, keypoints, overlay videos and key frames",
            "the results, the intake, the notes and every share link (they stop working)",
        ],
        action=f"/assessments/{a.id}/delete",
        back=f"/assessments/{a.id}",
    )


def _unconfirmed(request: Request, back: str) -> Response:
    return render(
        request,
        "message.html",
        422,
        title="Not deleted",
        message="the deletion was not confirmed; use the Delete button of the confirmation page.",
        back=back,
    )


@router.post("/assessments/{assessment_id}/delete", dependencies=[Csrf])
def assessment_delete(
    request: Request, assessment_id: IdPath, media: MediaDep, access: StaffAccess, confirm: FormText = ""
) -> Response:
    """Delete an assessment with its clips and stored files, once confirmed."""
    a = access.assessment(assessment_id)
    if confirm != "delete":
        return _unconfirmed(request, f"/assessments/{a.id}")
    athlete_id = a.athlete_id
    editing.delete_assessment(access.session, media, access.user, a)
    return redirect(f"/athletes/{athlete_id}")


def _trial_form(request: Request, trial: Trial, status: int = 200, error: str | None = None) -> Response:
    choices = test_choices()
    views = sorted({v for c in choices for v in c.views})
    fields = [
        _field("test", "Test", trial.test, options=[(c.test, c.title) for c in choices]),
        _field("view", "View", trial.view, options=[(v, v) for v in views]),
    ]
    return render(
        request,
        "edit.html",
        status,
        title="Correct the clip's test or view",
        note="Saving analyses the clip again as the test and view chosen; the old result is replaced.",
        fields=fields,
        action=f"/trials/{trial.id}/edit",
        back=f"/assessments/{trial.assessment_id}#trial-{trial.id}",
        error=error,
    )


@router.get("/trials/{trial_id}/edit", response_class=HTMLResponse)
def trial_edit_page(request: Request, trial_id: IdPath, session: SessionDep, user: CurrentUser) -> Response:
    """Return the form to correct which test and view a clip shows."""
    return _trial_form(request, repo.get_trial(session, user, trial_id))


@router.post("/trials/{trial_id}/edit", dependencies=[Csrf])
def trial_edit(
    request: Request,
    trial_id: IdPath,
    session: SessionDep,
    runner: RunnerDep,
    user: CurrentUser,
    test: FormText = "",
    view: FormText = "",
) -> Response:
    """Save a clip's test and view and analyse it again."""
    trial = repo.get_trial(session, user, trial_id)
    try:
        editing.reanalyse_trial(session, runner, user, trial, test=test, view=view)
    except FormError as exc:
        return _trial_form(request, trial, 422, str(exc))
    return redirect(f"/assessments/{trial.assessment_id}#trial-{trial.id}")


@router.get("/trials/{trial_id}/delete", response_class=HTMLResponse)
def trial_delete_page(request: Request, trial_id: IdPath, session: SessionDep, user: StaffUser) -> Response:
    """Ask for confirmation before deleting a clip."""
    trial = repo.get_trial(session, user, trial_id)
    title = trial.test.replace("_", " ")
    return render(
        request,
        "confirm.html",
        title=f"Delete this {title} clip?",
        message=f"This deletes the {title} clip ({trial.view} view) of the assessment of "
        f"{trial.assessment.date.isoformat()}:",
        removes=["its video, keypoints, overlay video and key frames", "its analysis and measures"],
        action=f"/trials/{trial.id}/delete",
        back=f"/assessments/{trial.assessment_id}#trial-{trial.id}",
    )


@router.post("/trials/{trial_id}/delete", dependencies=[Csrf])
def trial_delete(
    request: Request, trial_id: IdPath, media: MediaDep, access: StaffAccess, confirm: FormText = ""
) -> Response:
    """Delete a clip with its stored files, once confirmed."""
    trial = access.trial(trial_id)
    back = f"/assessments/{trial.assessment_id}"
    if confirm != "delete":
        return _unconfirmed(request, back)
    editing.delete_trial(access.session, media, access.user, trial)
    return redirect(back)
