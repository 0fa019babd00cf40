"""Pages: the assessment's intake form (pain, history, red flags, PSFS, self-tests)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from kinechain.store.models import Assessment
from kinechain.web import clinic_bridge
from kinechain.web.access import ReadAccess
from kinechain.web.api.deps import Csrf
from kinechain.web.forms import post_form
from kinechain.web.intake_form import form_values, intake_fields, intake_from_form, red_flag_fields
from kinechain.web.templating import render

router = APIRouter(include_in_schema=False)


def _defaults(assessment: Assessment) -> dict[str, object]:
    athlete = assessment.athlete
    values: dict[str, object] = {"sex": athlete.sex or ""}
    if athlete.birth_year:
        values["age"] = assessment.date.year - athlete.birth_year
    return values


def _page(
    request: Request,
    assessment: Assessment,
    values: Mapping[str, object],
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
def intake_page(request: Request, assessment_id: int, access: ReadAccess) -> Response:
    """Show the intake form, filled with what is stored (or the athlete's age and sex)."""
    assessment = access.assessment(assessment_id)
    return _page(request, assessment, form_values(assessment.intake) or _defaults(assessment))


@router.post("/assessments/{assessment_id}/intake", dependencies=[Csrf])
async def save_intake(request: Request, assessment_id: int, access: ReadAccess) -> Response:
    """Validate and store the intake; findings and plan follow from it."""
    assessment = access.assessment(assessment_id)

    def save(form: FormData) -> None:
        data = intake_from_form(form, assessment.date.isoformat(), assessment.athlete.name)
        assessment.intake = clinic_bridge.parse_intake(data).model_dump(mode="json")
        access.audit(assessment.athlete_id, "intake-saved", f"assessment {assessment.id}")

    def refused(form: FormData, error: str) -> Response:
        values = {k: (form.getlist(k) if len(form.getlist(k)) > 1 else v) for k, v in form.items()}
        return _page(request, assessment, values, 422, error)

    return await post_form(request, f"/assessments/{assessment.id}#findings", save, refused)
