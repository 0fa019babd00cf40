"""Pages and API: the clinician edits an assessment's exercise plan and signs it off.

The edits are the ``kinechain.plan/1`` document of :mod:`kinechain.clinic.plan_edit` (the CLI's
``plan.yaml``), stored on the assessment (``assessment.plan_edits``). Saving a changed plan removes
an earlier signature; signing records the signed-in clinician's name, the time and a checksum.
Every save, sign-off and reset is audited. A plan stopped by a red flag cannot be edited: the
referral comes first. Only clinic staff edit or sign.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import FormData

from kinechain.errors import InputError
from kinechain.model.plan import Plan
from kinechain.store.models import Assessment
from kinechain.web import clinic_bridge
from kinechain.web.access import Access, StaffAccess
from kinechain.web.api.deps import Csrf, IdPath
from kinechain.web.forms import post_form
from kinechain.web.plan_form import COLUMNS, check_plan, exercise_choices, form_rows, plan_from_form
from kinechain.web.templating import render
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


def current_document(assessment: Assessment) -> dict[str, object]:
    """Return the stored edits, or the generated plan as an editable document."""
    from kinechain.clinic.plan_edit import plan_file

    generated = generated_plan(assessment)
    if assessment.plan_edits is not None:
        return assessment.plan_edits
    return plan_file(generated).model_dump(mode="json", exclude_none=True)


def store(access: Access, assessment: Assessment, doc: Mapping[str, object], action: Action) -> None:
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
            edited = sign(edited, access.user.name)
        elif old is not None and old.signed_by and old.content_sha256 == edited.digest():
            edited = old  # unchanged: the signature still covers it
        assessment.plan_edits = edited.model_dump(mode="json", exclude_none=True)
        detail = f"signed by {edited.signed_by}" if action == "sign" else f"{len(edited.items)} exercises"
    event = f"plan-{'signed' if action == 'sign' else 'reset' if action == 'reset' else 'edited'}"
    access.audit(assessment.athlete_id, event, f"assessment {assessment.id}: {detail}")


def _page(
    request: Request,
    assessment: Assessment,
    doc: Mapping[str, object],
    status: int = 200,
    error: str | None = None,
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
def plan_page(request: Request, assessment_id: IdPath, access: StaffAccess) -> Response:
    """Show the plan editor: the exercises in order with their dose and notes, and the sign-off."""
    assessment = access.assessment(assessment_id)
    try:
        doc = current_document(assessment)
    except InputError as exc:
        back = f"/assessments/{assessment.id}#findings"
        return render(
            request, "message.html", 409, title="The plan cannot be edited", message=str(exc), back=back
        )
    return _page(request, assessment, doc)


@router.post("/assessments/{assessment_id}/plan", dependencies=[Csrf])
async def save_plan(request: Request, assessment_id: IdPath, access: StaffAccess) -> Response:
    """Save the edited plan ("save"), save and sign it ("sign"), or return to the generated one ("reset")."""
    assessment = access.assessment(assessment_id)

    def save(form: FormData) -> None:
        action = str(form.get("action") or "save")
        if action not in ("save", "sign", "reset"):
            raise InputError(f"unknown action {action!r}; use the buttons of the form.")
        store(access, assessment, plan_from_form(form), cast(Action, action))

    def refused(form: FormData, error: str) -> Response:
        return _page(request, assessment, plan_from_form(form), 422, error)

    return await post_form(request, f"/assessments/{assessment.id}#findings", save, refused)


# ---------------------------------------------------------------- JSON API


class PlanEditIn(BaseModel):
    """An edited plan: exercises in order (id, dose fields, note) and a general note."""

    model_config = ConfigDict(extra="forbid")

    items: list[dict[str, object]] = Field(max_length=40)
    notes: str | None = Field(default=None, max_length=4000)


class PlanEditOut(BaseModel):
    """The plan as the clinician left it (``kinechain.plan/1``), with its sign-off."""

    plan: dict[str, object]
    edited: bool
    signed_by: str | None = None
    signed_at: str | None = None


def _text(doc: Mapping[str, object], key: str) -> str | None:
    """Return a text field of a stored plan document (None when absent)."""
    value = doc.get(key)
    return value if isinstance(value, str) else None


def _out(assessment: Assessment) -> PlanEditOut:
    doc = current_document(assessment)
    edited = assessment.plan_edits is not None
    return PlanEditOut(
        plan=doc, edited=edited, signed_by=_text(doc, "signed_by"), signed_at=_text(doc, "signed_at")
    )


@api_router.get("/assessments/{assessment_id}/plan")
def api_plan(assessment_id: IdPath, access: StaffAccess) -> PlanEditOut:
    """Return the assessment's plan document (the generated one until a clinician edits it)."""
    return _out(access.assessment(assessment_id))


@api_router.put("/assessments/{assessment_id}/plan", dependencies=[Csrf])
def api_save_plan(assessment_id: IdPath, body: PlanEditIn, access: StaffAccess) -> PlanEditOut:
    """Save an edited plan (unsigned unless nothing the signature covers changed)."""
    assessment = access.assessment(assessment_id)
    store(access, assessment, body.model_dump(), "save")
    return _out(assessment)


@api_router.post("/assessments/{assessment_id}/plan/sign", dependencies=[Csrf])
def api_sign_plan(assessment_id: IdPath, access: StaffAccess) -> PlanEditOut:
    """Sign the current plan as the signed-in clinician."""
    assessment = access.assessment(assessment_id)
    store(access, assessment, current_document(assessment), "sign")
    return _out(assessment)


@api_router.delete("/assessments/{assessment_id}/plan", dependencies=[Csrf])
def api_reset_plan(assessment_id: IdPath, access: StaffAccess) -> PlanEditOut:
    """Drop the edits and the sign-off: back to the generated plan."""
    assessment = access.assessment(assessment_id)
    store(access, assessment, {}, "reset")
    return _out(assessment)
