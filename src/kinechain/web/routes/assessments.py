"""Pages: an assessment (trials, upload, recording, results, findings, plan), media, share, consult."""

from __future__ import annotations

from typing import Annotated, TypedDict

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from kinechain.config import Settings
from kinechain.jobs.analysis import overlay_available
from kinechain.model.findings import Findings
from kinechain.model.measures import Measure
from kinechain.model.plan import Plan
from kinechain.model.result import AnalysisResult
from kinechain.store import repo, sharing
from kinechain.store.media import MediaStore
from kinechain.store.models import Assessment, Athlete, Media, ShareLink, Trial
from kinechain.web import clinic_bridge
from kinechain.web.access import ReadAccess
from kinechain.web.api.deps import (
    Csrf,
    CurrentUser,
    IdPath,
    IndexPath,
    MediaDep,
    RunnerDep,
    SessionDep,
    SettingsDep,
    cookie_names,
)
from kinechain.web.catalogue import framing, guide, test_choices
from kinechain.web.security import same
from kinechain.web.services import (
    add_trial_from_upload,
    queue_trial,
    retry_trial,
    revoke_share_link,
    share_link_token,
)
from kinechain.web.templating import redirect, render
from kinechain.web.uploads import UploadError, discard_quietly, receive_upload
from kinechain.web.views import job_public, measure_rows, result_of

router = APIRouter(include_in_schema=False)


class TrialView(TypedDict):
    """A trial as the assessment page shows it: result, measure rows, job, stored media, key frames."""

    trial: Trial
    result: AnalysisResult | None
    rows: list[Measure]
    job: dict[str, object]
    video: Media | None
    overlay: Media | None
    keyframes: list[dict[str, str]]


class AssessmentContext(TypedDict):
    """What the assessment page shows: its trials, findings, plan, PDF availability and share links."""

    assessment: Assessment
    athlete: Athlete
    trials: list[TrialView]
    findings: clinic_bridge.Outcome[Findings]
    plan: clinic_bridge.Outcome[Plan]
    pdf: clinic_bridge.Outcome[bool]
    overlay_available: bool
    links: list[tuple[ShareLink, bool]]


def assessment_context(session: Session, assessment: Assessment) -> AssessmentContext:
    """Return what the assessment page and the shared report show."""
    trials = [(t, result_of(t)) for t in assessment.trials]
    results = [r for _, r in trials if r is not None]
    found = clinic_bridge.findings(results, assessment.intake)
    keyframes = {
        t.id: [f for f in (t.keyframes or []) if repo.get_media(session, f["id"])] for t, _ in trials
    }
    return {
        "assessment": assessment,
        "athlete": assessment.athlete,
        "trials": [
            {
                "trial": t,
                "result": r,
                "rows": measure_rows(r) if r else [],
                "job": job_public(t.job),
                "video": repo.get_media(session, t.video_id),
                "overlay": repo.get_media(session, t.overlay_id),
                "keyframes": keyframes[t.id],
            }
            for t, r in trials
        ],
        "findings": found,
        "plan": clinic_bridge.plan(found.value, results, assessment.intake, assessment.plan_edits),
        "pdf": clinic_bridge.pdf_available(results, assessment.intake),
        "overlay_available": overlay_available(),
        "links": [(link, sharing.share_link_live(link)) for link in sharing.share_links(session, assessment)],
    }


@router.get("/assessments/{assessment_id}", response_class=HTMLResponse)
def assessment_page(request: Request, assessment_id: IdPath, access: ReadAccess) -> Response:
    """Return an assessment: each trial's status, overlay, measures; findings and plan; upload boxes."""
    assessment = access.assessment(assessment_id, "viewed-assessment")
    ctx = assessment_context(access.session, assessment)
    return render(request, "assessment.html", tests=test_choices(), shared=False, **ctx)


@router.post(
    "/assessments/{assessment_id}/share-links/{link_id}/revoke",
    dependencies=[Csrf],
    response_class=HTMLResponse,
)
def revoke_link(request: Request, assessment_id: IdPath, link_id: IdPath, access: ReadAccess) -> Response:
    """Withdraw a share link: its token never opens anything again."""
    assessment = access.assessment(assessment_id)
    revoke_share_link(access, assessment, link_id)
    return redirect(f"/assessments/{assessment.id}#share-links")


async def receive_trial(
    request: Request, session: Session, settings: Settings, media: MediaStore, assessment: Assessment
) -> Trial:
    """Stream a multipart upload to disk, check its CSRF token, and store it as a trial.

    Raises UploadError (with nothing kept) on any problem.
    """
    parsed = None
    try:
        parsed = await receive_upload(request, media, settings.upload_limit_bytes)
        sent = request.headers.get("x-csrf-token") or parsed.fields.get("csrf_token")
        if not same(sent, request.cookies.get(cookie_names(settings)[1])):
            raise UploadError("the form has expired; reload the page and upload again.", 403)
        return add_trial_from_upload(session, settings, media, assessment, parsed)
    except UploadError:
        discard_quietly(parsed)
        raise


@router.post("/assessments/{assessment_id}/trials")
async def upload_trial(
    request: Request,
    assessment_id: IdPath,
    settings: SettingsDep,
    media: MediaDep,
    runner: RunnerDep,
    access: ReadAccess,
) -> Response:
    """Receive a clip (streamed to disk), check it by probing, queue its analysis."""
    session = access.session
    assessment = access.assessment(assessment_id)
    wants_json = "application/json" in request.headers.get("accept", "")
    try:
        trial = await receive_trial(request, session, settings, media, assessment)
    except UploadError as exc:
        if wants_json:
            return JSONResponse({"detail": str(exc)}, status_code=exc.status)
        ctx = assessment_context(session, assessment)
        return render(
            request,
            "assessment.html",
            exc.status,
            tests=test_choices(),
            shared=False,
            upload_error=str(exc),
            **ctx,
        )
    access.audit(assessment.athlete_id, "trial-uploaded", f"assessment {assessment.id}")
    queue_trial(session, runner, trial)
    if wants_json:
        return JSONResponse({"trial": trial.id, "job": job_public(trial.job)}, status_code=201)
    return redirect(f"/assessments/{assessment.id}#trial-{trial.id}")


@router.get("/assessments/{assessment_id}/record", response_class=HTMLResponse)
def record_page(
    request: Request,
    assessment_id: IdPath,
    session: SessionDep,
    user: CurrentUser,
    test: str = "running",
    view: str = "side",
) -> Response:
    """Film in the browser with the camera, with a framing guide for the test."""
    assessment = repo.get_assessment(session, user, assessment_id)
    return render(
        request,
        "record.html",
        assessment=assessment,
        test=test,
        view=view,
        guide=guide(test, view),
        framing=framing(test),
    )


@router.post("/trials/{trial_id}/retry", dependencies=[Csrf])
def retry(trial_id: IdPath, runner: RunnerDep, access: ReadAccess) -> Response:
    """Run a failed analysis again (the Retry button)."""
    trial = access.trial(trial_id)
    retry_trial(access, runner, trial)
    return redirect(f"/assessments/{trial.assessment_id}#trial-{trial.id}")


@router.get("/trials/{trial_id}/status")
def trial_status(trial_id: IdPath, access: ReadAccess) -> JSONResponse:
    """Return the trial's job state, and whether its findings are stored, for the page's poller.

    The result is stored before the overlay video is drawn, so "findings" turns true while the
    job still runs.
    """
    trial = access.trial(trial_id)
    return JSONResponse({**job_public(trial.job), "findings": trial.result is not None})


def _media_response(session: Session, store: MediaStore, media_id: str | None, filename: str) -> Response:
    m = repo.get_media(session, media_id)
    if m is None:
        raise repo.NotFound("this file is not stored (it may have been deleted after analysis).")
    return FileResponse(
        store.path(m.id), media_type=m.content_type, filename=filename, content_disposition_type="inline"
    )


@router.get("/trials/{trial_id}/{kind}")
def trial_media(trial_id: IdPath, kind: str, media: MediaDep, access: ReadAccess) -> Response:
    """Return a trial's "video", "overlay" or "keypoints" file to users who may see the athlete."""
    trial = access.trial(trial_id)
    ids = {"video": trial.video_id, "overlay": trial.overlay_id, "keypoints": trial.keypoints_id}
    if kind not in ids:
        raise repo.NotFound("no such file kind; use video, overlay or keypoints.")
    access.audit(trial.assessment.athlete_id, f"viewed-{kind}", f"assessment {trial.assessment_id}")
    ext = "json" if kind == "keypoints" else "mp4"
    return _media_response(access.session, media, ids[kind], f"trial-{trial.id}-{kind}.{ext}")


@router.get("/trials/{trial_id}/keyframes/{index}")
def trial_keyframe(trial_id: IdPath, index: IndexPath, media: MediaDep, access: ReadAccess) -> Response:
    """Return one of a trial's key-frame pictures (JPEG)."""
    trial = access.trial(trial_id)
    frames = trial.keyframes or []
    if not 0 <= index < len(frames):
        raise repo.NotFound("this clip has no such key frame.")
    access.audit(trial.assessment.athlete_id, "viewed-keyframe", f"assessment {trial.assessment_id}")
    return _media_response(
        access.session, media, frames[index]["id"], f"trial-{trial.id}-keyframe-{index}.jpg"
    )


@router.post("/assessments/{assessment_id}/share", dependencies=[Csrf], response_class=HTMLResponse)
def share(request: Request, assessment_id: IdPath, settings: SettingsDep, access: ReadAccess) -> Response:
    """Create an expiring read-only link to the assessment's report."""
    assessment = access.assessment(assessment_id)
    token = share_link_token(access, settings, assessment)
    link = str(request.url_for("shared_report_page", token=token))
    return render(
        request,
        "link.html",
        title="Read-only share link",
        link=link,
        days=settings.share_link_days,
        back=f"/assessments/{assessment.id}",
        note="Anyone with this link can read this assessment's report until it expires.",
    )


@router.post("/assessments/{assessment_id}/consult", dependencies=[Csrf], response_class=HTMLResponse)
def consult(
    request: Request,
    assessment_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    message: Annotated[str, Form()],
    contact: Annotated[str, Form()] = "",
) -> Response:
    """Store a consultation request for the clinic (and e-mail it when SMTP is configured)."""
    from kinechain.web.mail import notify_consultation

    assessment = repo.get_assessment(session, user, assessment_id)
    if not message.strip():
        return redirect(f"/assessments/{assessment.id}#consult")
    req = repo.add_consultation(
        session,
        user,
        assessment.athlete,
        message=message.strip()[:4000],
        contact=contact.strip()[:320],
        assessment_id=assessment.id,
    )
    session.commit()
    req.emailed = notify_consultation(settings, session, req)
    return render(request, "consult_sent.html", assessment=assessment, emailed=req.emailed)
