"""Pages: the read-only shared report (signed, expiring link) and the assessment PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from kinechain.store import repo
from kinechain.store.media import MediaStore
from kinechain.store.models import Clinic, Trial
from kinechain.web import clinic_bridge
from kinechain.web.access import ReadAccess
from kinechain.web.api.deps import IdPath, MediaDep, SessionDep
from kinechain.web.api.schemas import SharedReport
from kinechain.web.routes.athletes import client_of
from kinechain.web.services import open_share_link
from kinechain.web.shared import shared_report
from kinechain.web.templating import render

if TYPE_CHECKING:
    from kinechain.model.result import Analysis
from kinechain.web.views import result_of

router = APIRouter(include_in_schema=False)


@router.get("/share/{token}", response_class=HTMLResponse)
def shared_report_page(request: Request, token: str, session: SessionDep) -> Response:
    """Return the assessment's report, read-only, for whoever holds a live link (each view is audited)."""
    report = open_shared(request, session, token)
    return render(request, "shared.html", user=None, report=report)


def open_shared(request: Request, session: Session, token: str) -> SharedReport:
    """Open a share token (NotFound when expired, revoked or unknown), audit it, return the report."""
    link_id, assessment = open_share_link(session, token)
    repo.audit(
        session,
        clinic_id=assessment.athlete.clinic_id,
        athlete_id=assessment.athlete_id,
        action="viewed-shared-report",
        detail=f"assessment {assessment.id}, link {link_id}",
        client=client_of(request),
        share_link_id=link_id,
    )
    return shared_report(assessment)


def rebuild_clip(media: MediaStore, session: Session, trial: Trial) -> Analysis | None:
    """Return the trial's Analysis replayed from its stored keypoints (None when they are gone)."""
    from kinechain.pipeline import analyze

    result = result_of(trial)
    keypoints = repo.get_media(session, trial.keypoints_id)
    if result is None or keypoints is None:
        return None
    video = repo.get_media(session, trial.video_id)
    return analyze(
        media.path(video.id) if video else None,
        test=trial.test,
        view=result.view.view,
        keypoints=media.path(keypoints.id),
    )


@router.get("/assessments/{assessment_id}/report.pdf")
def assessment_pdf(request: Request, assessment_id: IdPath, media: MediaDep, access: ReadAccess) -> Response:
    """Return the assessment PDF (findings, plan, key frames), or a page saying why there is none."""
    session = access.session
    assessment = access.assessment(assessment_id)
    done = [t for t in assessment.trials if t.result]
    results = [r for r in (result_of(t) for t in done) if r is not None]
    available = clinic_bridge.pdf_available(results, assessment.intake)
    if available.missing or assessment.intake is None:
        return render(
            request,
            "message.html",
            404,
            title="PDF not available",
            message=available.missing or "",
            back=f"/assessments/{assessment.id}",
        )
    access.audit(assessment.athlete_id, "downloaded-pdf", f"assessment {assessment.id}")
    clinic = session.get(Clinic, assessment.athlete.clinic_id)
    info = {"name": clinic.name, "email": clinic.contact_email or ""} if clinic else {}
    clips = [rebuild_clip(media, session, t) for t in done]
    evidence = str(request.url_for("evidence_page"))
    pdf = clinic_bridge.assessment_pdf(
        results, assessment.intake, clips, info, evidence_url=evidence, plan_edits=assessment.plan_edits
    )
    name = f"kinechain-assessment-{assessment.id}-{assessment.date.isoformat()}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
