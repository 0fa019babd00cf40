"""Pages and API: the clinician edits an assessment's exercise plan and signs it off.

The edits are the ``kinechain.plan/1`` document of :mod:`kinechain.clinic.plan_edit` (the CLI's
``plan.yaml``), stored on the assessment (``assessment.plan_edits``). Saving a changed plan removes
an earlier signature; signing records the signed-in clinician's name, the time and a checksum.
Every save, sign-off and reset is audited. A plan stopped by a red flag cannot be edited: the
referral comes first. Only clinic staff edit or sign.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from kinechain.errors import InputError
from kinechain.model.plan import Plan
from kinechain.store import repo
from kinechain.store.models import Assessment, User
from kinechain.web import clinic_bridge
from kinechain.web.api.deps import Csrf, IdPath, SessionDep, StaffUser
from kinechain.web.plan_form import COLUMNS, check_plan, exercise_choices, form_rows, plan_from_form
from kinechain.web.routes.athletes import client_of
from kinechain.web.templating import redirect, render
from kinechain.web.views import result_of

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["plan"])

Action = Literal["save", "sign", "reset"]


def generated_plan(assessment: Assessment) -> Plan:
    """Return the plan generated from the assessment's findings (no edits); InputError when there is none."""
    results = [r for r in (result_of(t) for t in assessment.trials) if r is not None]
    found = clinic_bridge.findings(results, assessment.intake)
    made = clinic_bridge.plan(found.value, results, assessment.intake)
    if made.value is None:
        raise InputError(made.missing or "the exercise plan is not available yet.")
    if made.value.stopped:
        raise InputError(
            "this plan was stopped by a red flag, so it cannot be edited or signed before the referral."
        )
    return made.value


def current_document(assessment: Assessment) -> dict[str, Any]:
    """Return the stored edits, or the generated plan as an editable document."""
    from kinechain.clinic.plan_edit import plan_file

    generated = generated_plan(assessment)
    if assessment.plan_edits is not None:
        return assessment.plan_edits
    return plan_file(generated).model_dump(mode="json", exclude_none=True)


def store(
    request: Request,
    session: Session,
    user: User,
    assessment: Assessment,
    doc: dict[str, Any],
    action: Action,
) -> None:
    """Save, sign or reset the plan of an assessment, and audit it.

    Saving keeps an earlier signature only when nothing it covers changed.
    """
    from kinechain.clinic.plan_edit import PlanFile, sign

    generated_plan(assessment)  # refuses a stopped or missing plan
    if action == "reset":
        assessment.plan_edits, detail = None, "back to the generated plan"
    else:
        edited = check_plan({"items": doc.get("items"), "notes": doc.get("notes")})
        old = PlanFile.model_validate(assessment.plan_edits) if assessment.plan_edits else None
        if action == "sign":
            edited = sign(edited, user.name)
        elif old is not None and old.signed_by and old.content_sha256 == edited.digest():
            edited = old  # unchanged: the signature still covers it
        assessment.plan_edits = edited.model_dump(mode="json", exclude_none=True)
        detail = f"signed by {edited.signed_by}" if action == "sign" else f"{len(edited.items)} exercises"
    repo.audit(
        session,
        clinic_id=assessment.athlete.clinic_id,
        user=user,
        athlete_id=assessment.athlete_id,
        action=f"plan-{'signed' if action == 'sign' else 'reset' if action == 'reset' else 'edited'}",
        detail=f"assessment {assessment.id}: {detail}",
        client=client_of(request),
    )


def _page(
    request: Request, assessment: Assessment, doc: dict[str, Any], status: int = 200, error: str | None = None
) -> Response:
    return render(
        request,
        "plan_edit.html",
        status,
        assessment=assessment,
        rows=form_rows(doc),
        notes=doc.get("notes") or "",
        signed_by=doc.get("signed_by"),
        signed_at=doc.get("signed_at"),
        columns=COLUMNS,
        choices=exercise_choices(),
        error=error,
    )


@router.get("/assessments/{assessment_id}/plan", response_class=HTMLResponse)
def plan_page(request: Request, assessment_id: IdPath, session: SessionDep, user: StaffUser) -> Response:
    """Show the plan editor: the exercises in order with their dose and notes, and the sign-off."""
    assessment = repo.get_assessment(session, user, assessment_id)
    try:
        doc = current_document(assessment)
    except InputError as exc:
        back = f"/assessments/{assessment.id}#findings"
        return render(
            request, "message.html", 409, title="The plan cannot be edited", message=str(exc), back=back
        )
    return _page(request, assessment, doc)


@router.post("/assessments/{assessment_id}/plan", dependencies=[Csrf])
async def save_plan(
    request: Request, assessment_id: IdPath, session: SessionDep, user: StaffUser
) -> Response:
    """Save the edited plan ("save"), save and sign it ("sign"), or return to the generated one ("reset")."""
    assessment = repo.get_assessment(session, user, assessment_id)
    form = await request.form()
    action = str(form.get("action") or "save")
    doc = plan_from_form(form)
    if action not in ("save", "sign", "reset"):
        return _page(
            request, assessment, doc, 422, f"unknown action {action!r}; use the buttons of the form."
        )
    try:
        store(request, session, user, assessment, doc, cast(Action, action))
    except InputError as exc:
        return _page(request, assessment, doc, 422, str(exc))
    return redirect(f"/assessments/{assessment.id}#findings")


# ---------------------------------------------------------------- JSON API


class PlanEditIn(BaseModel):
    """An edited plan: exercises in order (id, dose fields, note) and a general note."""

    model_config = ConfigDict(extra="forbid")

    items: list[dict[str, Any]] = Field(max_length=40)
    notes: str | None = Field(default=None, max_length=4000)


class PlanEditOut(BaseModel):
    """The plan as the clinician left it (``kinechain.plan/1``), with its sign-off."""

    plan: dict[str, Any]
    edited: bool
    signed_by: str | None = None
    signed_at: str | None = None


def _out(assessment: Assessment) -> PlanEditOut:
    doc = current_document(assessment)
    edited = assessment.plan_edits is not None
    return PlanEditOut(
        plan=doc, edited=edited, signed_by=doc.get("signed_by"), signed_at=doc.get("signed_at")
    )


@api_router.get("/assessments/{assessment_id}/plan")
def api_plan(assessment_id: IdPath, session: SessionDep, user: StaffUser) -> PlanEditOut:
    """Return the assessment's plan document (the generated one until a clinician edits it)."""
    return _out(repo.get_assessment(session, user, assessment_id))


@api_router.put("/assessments/{assessment_id}/plan", dependencies=[Csrf])
def api_save_plan(
    request: Request, assessment_id: IdPath, body: PlanEditIn, session: SessionDep, user: StaffUser
) -> PlanEditOut:
    """Save an edited plan (unsigned unless nothing the signature covers changed)."""
    assessment = repo.get_assessment(session, user, assessment_id)
    store(request, session, user, assessment, body.model_dump(), "save")
    return _out(assessment)


@api_router.post("/assessments/{assessment_id}/plan/sign", dependencies=[Csrf])
def api_sign_plan(
    request: Request, assessment_id: IdPath, session: SessionDep, user: StaffUser
) -> PlanEditOut:
    """Sign the current plan as the signed-in clinician."""
    assessment = repo.get_assessment(session, user, assessment_id)
    store(request, session, user, assessment, current_document(assessment), "sign")
    return _out(assessment)


@api_router.delete("/assessments/{assessment_id}/plan", dependencies=[Csrf])
def api_reset_plan(
    request: Request, assessment_id: IdPath, session: SessionDep, user: StaffUser
) -> PlanEditOut:
    """Drop the edits and the sign-off: back to the generated plan."""
    assessment = repo.get_assessment(session, user, assessment_id)
    store(request, session, user, assessment, {}, "reset")
    return _out(assessment)
