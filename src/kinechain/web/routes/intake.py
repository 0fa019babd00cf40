"""Pages: the assessment's intake form (pain, history, red flags, PSFS, self-tests)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kinechain.errors import KinechainError
from kinechain.store import repo
from kinechain.store.models import Assessment
from kinechain.web import clinic_bridge
from kinechain.web.api.deps import Csrf, CurrentUser, SessionDep
from kinechain.web.intake_form import form_values, intake_fields, intake_from_form, red_flag_fields
from kinechain.web.routes.athletes import client_of
from kinechain.web.templating import redirect, render

router = APIRouter(include_in_schema=False)


def _defaults(assessment: Assessment) -> dict[str, Any]:
    athlete = assessment.athlete
    values: dict[str, Any] = {"sex": athlete.sex or ""}
    if athlete.birth_year:
        values["age"] = assessment.date.year - athlete.birth_year
    return values


def _page(
    request: Request,
    assessment: Assessment,
    values: dict[str, Any],
    status: int = 200,
    error: str | None = None,
) -> Response:
    return render(
        request,
        "intake.html",
        status,
        assessment=assessment,
        fields=intake_fields(),
        flags=red_flag_fields(),
        values=values,
        error=error,
    )


@router.get("/assessments/{assessment_id}/intake", response_class=HTMLResponse)
def intake_page(request: Request, assessment_id: int, session: SessionDep, user: CurrentUser) -> Response:
    """Show the intake form, filled with what is stored (or the athlete's age and sex)."""
    assessment = repo.get_assessment(session, user, assessment_id)
    return _page(request, assessment, form_values(assessment.intake) or _defaults(assessment))


@router.post("/assessments/{assessment_id}/intake", dependencies=[Csrf])
async def save_intake(
    request: Request, assessment_id: int, session: SessionDep, user: CurrentUser
) -> Response:
    """Validate and store the intake; findings and plan follow from it."""
    assessment = repo.get_assessment(session, user, assessment_id)
    form = await request.form()
    data = intake_from_form(form, assessment.date.isoformat(), assessment.athlete.name)
    try:
        intake = clinic_bridge.parse_intake(data)
    except KinechainError as exc:
        values = {k: (form.getlist(k) if len(form.getlist(k)) > 1 else v) for k, v in form.items()}
        return _page(request, assessment, values, 422, str(exc))
    assessment.intake = intake.model_dump(mode="json")
    repo.audit(
        session,
        clinic_id=assessment.athlete.clinic_id,
        user=user,
        athlete_id=assessment.athlete_id,
        action="intake-saved",
        detail=f"assessment {assessment.id}",
        client=client_of(request),
    )
    return redirect(f"/assessments/{assessment.id}#findings")
