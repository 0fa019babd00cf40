"""Pages: the read-only shared report (signed, expiring link) and the assessment PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kinechain.store import repo
from kinechain.web.api.deps import CurrentUser, MediaDep, SessionDep, SettingsDep
from kinechain.web.routes.assessments import assessment_context
from kinechain.web.routes.athletes import client_of
from kinechain.web.services import open_share_link
from kinechain.web.templating import render
from kinechain.web.views import result_of

router = APIRouter(include_in_schema=False)


@router.get("/share/{token}", response_class=HTMLResponse)
def shared_report(request: Request, token: str, session: SessionDep, settings: SettingsDep) -> Response:
    """Return the assessment's report, read-only, for whoever holds a valid link (each view is audited)."""
    link_id, assessment = open_share_link(session, settings, token)
    repo.audit(
        session,
        clinic_id=assessment.athlete.clinic_id,
        athlete_id=assessment.athlete_id,
        action="viewed-shared-report",
        detail=f"assessment {assessment.id}, link {link_id}",
        client=client_of(request),
        share_link_id=link_id,
    )
    ctx = assessment_context(session, assessment)
    return render(request, "assessment.html", tests=[], shared=True, user=None, **ctx)


@router.get("/assessments/{assessment_id}/report.pdf")
def assessment_pdf(
    request: Request, assessment_id: int, session: SessionDep, media: MediaDep, user: CurrentUser
) -> Response:
    """Return the assessment PDF, when this version can make it; otherwise a page saying why not."""
    from kinechain.web import clinic_bridge

    assessment = repo.get_assessment(session, user, assessment_id)
    available = clinic_bridge.pdf_available()
    if available.missing:
        return render(
            request,
            "message.html",
            404,
            title="PDF not available",
            message=available.missing,
            back=f"/assessments/{assessment.id}",
        )
    repo.audit(
        session,
        clinic_id=assessment.athlete.clinic_id,
        user=user,
        athlete_id=assessment.athlete_id,
        action="downloaded-pdf",
        detail=f"assessment {assessment.id}",
        client=client_of(request),
    )
    results = [r for r in (result_of(t) for t in assessment.trials) if r is not None]
    pdf = clinic_bridge.assessment_pdf(results, assessment.intake)
    name = f"kinechain-assessment-{assessment.id}-{assessment.date.isoformat()}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
