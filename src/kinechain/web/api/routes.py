"""The JSON API, version 1 (OpenAPI at /api/openapi.json, browsable at /api/docs).

Authentication is the same session cookie as the pages (``POST /api/v1/login``); every call that
changes state needs the ``X-CSRF-Token`` header, echoing the CSRF cookie's value that
``GET /api/v1/csrf`` returns.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from kinechain.store import repo, sharing
from kinechain.store.models import Assessment, ShareLink, Trial
from kinechain.store.redact import public_result
from kinechain.web import editing
from kinechain.web.access import ReadAccess, StaffAccess
from kinechain.web.api.deps import (
    Csrf,
    CurrentUser,
    IdPath,
    MediaDep,
    RunnerDep,
    SessionDep,
    SettingsDep,
    StaffUser,
    csrf_token,
)
from kinechain.web.api.schemas import (
    AssessmentCreate,
    AssessmentPublic,
    AthleteCreate,
    AthletePublic,
    JobPublic,
    LoginIn,
    SharedReport,
    ShareLinkPublic,
    ShareLinkRow,
    TrialEdit,
    TrialPublic,
    UserPublic,
)
from kinechain.web.export import zip_download
from kinechain.web.forms import FormError
from kinechain.web.routes.assessments import receive_trial
from kinechain.web.routes.athletes import client_of
from kinechain.web.routes.auth import device_cookie_name, set_device_cookie, set_session_cookie
from kinechain.web.routes.share import open_shared
from kinechain.web.services import (
    AuthError,
    export_athlete,
    queue_trial,
    retry_trial,
    revoke_share_link,
    share_link_token,
    sign_in,
    start_assessment,
)
from kinechain.web.uploads import UploadError
from kinechain.web.views import job_public

router = APIRouter(tags=["api"])


def trial_public(trial: Trial) -> TrialPublic:
    """Return a trial as the API returns it."""
    return TrialPublic(
        id=trial.id,
        test=trial.test,
        view=trial.view,
        job=JobPublic.model_validate(job_public(trial.job)),
        has_video=trial.video_id is not None,
        has_overlay=trial.overlay_id is not None,
        result=public_result(trial.result),
    )


@router.get("/csrf")
def get_csrf(request: Request) -> dict[str, str]:
    """Return return this client's CSRF token, to send back as the X-CSRF-Token header."""
    return {"csrf_token": csrf_token(request)}


@router.post("/login", dependencies=[Csrf], response_model=UserPublic)
def api_login(body: LoginIn, request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Sign in; sets the session cookie (rate limited like the sign-in page)."""
    client = request.client.host if request.client else "unknown"
    device = request.cookies.get(device_cookie_name(settings))
    try:
        new = sign_in(
            session, settings, email=body.email, password=body.password, client=client, device=device
        )
    except AuthError as exc:
        session.commit()
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)
    response = JSONResponse(UserPublic.model_validate(new.user).model_dump())
    set_session_cookie(response, settings, new)
    set_device_cookie(response, settings, new)
    return response


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    """Return the signed-in user."""
    return UserPublic.model_validate(user)


@router.get("/athletes", response_model=list[AthletePublic])
def list_athletes(session: SessionDep, user: CurrentUser) -> list[AthletePublic]:
    """Athletes the user may see (an athlete sees only themself)."""
    return [AthletePublic.model_validate(a) for a in repo.list_athletes(session, user)]


@router.post("/athletes", dependencies=[Csrf], response_model=AthletePublic, status_code=201)
def create_athlete(body: AthleteCreate, session: SessionDep, user: StaffUser) -> AthletePublic:
    """Add an athlete to the clinic (staff only)."""
    a = repo.create_athlete(
        session, user, name=body.name, email=body.email, sex=body.sex, birth_year=body.birth_year
    )
    repo.audit(session, clinic_id=user.clinic_id, user=user, athlete_id=a.id, action="athlete-created")
    return AthletePublic.model_validate(a)


@router.get("/athletes/{athlete_id}", response_model=AthletePublic)
def get_athlete(athlete_id: IdPath, access: ReadAccess) -> AthletePublic:
    """One athlete (404 when not visible to the user)."""
    return AthletePublic.model_validate(access.athlete(athlete_id, "viewed-athlete"))


@router.put("/athletes/{athlete_id}", dependencies=[Csrf], response_model=AthletePublic)
def edit_athlete(athlete_id: IdPath, body: AthleteCreate, access: StaffAccess) -> AthletePublic:
    """Replace an athlete's name, e-mail, sex and birth year (staff only; audited)."""
    a = access.athlete(athlete_id)
    editing.edit_athlete(access, a, body)
    return AthletePublic.model_validate(a)


@router.put("/assessments/{assessment_id}", dependencies=[Csrf], response_model=AssessmentPublic)
def edit_assessment(assessment_id: IdPath, body: AssessmentCreate, access: ReadAccess) -> AssessmentPublic:
    """Change an assessment's date (kept when not given) and notes (audited)."""
    a = access.assessment(assessment_id)
    editing.edit_assessment(access, a, body)
    return _assessment_public(a)


@router.delete("/assessments/{assessment_id}", dependencies=[Csrf], status_code=204)
def delete_assessment(assessment_id: IdPath, media: MediaDep, access: StaffAccess) -> Response:
    """Delete an assessment with its clips, results, share links and stored files (staff; audited)."""
    editing.delete_assessment(access, media, access.assessment(assessment_id))
    return Response(status_code=204)


@router.put("/trials/{trial_id}", dependencies=[Csrf], response_model=TrialPublic)
def edit_trial(trial_id: IdPath, body: TrialEdit, runner: RunnerDep, access: ReadAccess) -> Response:
    """Correct which test and view a clip shows; its analysis is queued again (audited)."""
    trial = access.trial(trial_id)
    try:
        editing.reanalyse_trial(access, runner, trial, test=body.test, view=body.view)
    except FormError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=422)
    return JSONResponse(trial_public(trial).model_dump(mode="json"))


@router.delete("/trials/{trial_id}", dependencies=[Csrf], status_code=204)
def delete_trial(trial_id: IdPath, media: MediaDep, access: StaffAccess) -> Response:
    """Delete a clip with its analysis and stored files (staff; audited)."""
    editing.delete_trial(access, media, access.trial(trial_id))
    return Response(status_code=204)


@router.get(
    "/athletes/{athlete_id}/export",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "The athlete's data as a ZIP."}},
)
def export(
    athlete_id: IdPath, request: Request, session: SessionDep, media: MediaDep, user: CurrentUser
) -> Response:
    """Download an athlete's data (staff of the clinic, or the athlete): athlete.json and media."""
    path, filename = export_athlete(session, media, user, athlete_id, client_of(request))
    return zip_download(path, filename)


@router.get("/athletes/{athlete_id}/assessments", response_model=list[AssessmentPublic])
def list_assessments(athlete_id: IdPath, access: ReadAccess) -> list[AssessmentPublic]:
    """Return an athlete's assessments, oldest first, with trials and results."""
    athlete = access.athlete(athlete_id, "viewed-assessments")
    return [_assessment_public(a) for a in repo.list_assessments(access.session, athlete)]


@router.post(
    "/athletes/{athlete_id}/assessments",
    dependencies=[Csrf],
    response_model=AssessmentPublic,
    status_code=201,
)
def create_assessment(athlete_id: IdPath, body: AssessmentCreate, access: ReadAccess) -> AssessmentPublic:
    """Start an assessment (audited); upload clips to ``POST /assessments/{id}/trials`` (multipart)."""
    return _assessment_public(start_assessment(access, access.athlete(athlete_id), body))


def _assessment_public(a: Assessment) -> AssessmentPublic:
    return AssessmentPublic(
        id=a.id,
        athlete_id=a.athlete_id,
        date=a.date,
        notes=a.notes,
        created=a.created,
        trials=[trial_public(t) for t in a.trials],
    )


@router.get("/assessments/{assessment_id}", response_model=AssessmentPublic)
def get_assessment(assessment_id: IdPath, access: ReadAccess) -> AssessmentPublic:
    """One assessment with its trials, job states and results."""
    return _assessment_public(access.assessment(assessment_id, "viewed-assessment"))


@router.get("/trials/{trial_id}", response_model=TrialPublic)
def get_trial(trial_id: IdPath, access: ReadAccess) -> TrialPublic:
    """One trial: job state and progress, and the result when done."""
    return trial_public(access.trial(trial_id))


@router.post("/trials/{trial_id}/retry", dependencies=[Csrf], response_model=TrialPublic)
def retry(trial_id: IdPath, runner: RunnerDep, access: ReadAccess) -> TrialPublic:
    """Run a failed analysis again from scratch (404 unless the trial's analysis failed)."""
    trial = access.trial(trial_id)
    retry_trial(access, runner, trial)
    return trial_public(trial)


@router.post("/assessments/{assessment_id}/share", dependencies=[Csrf], response_model=ShareLinkPublic)
def create_share_link(
    assessment_id: IdPath, request: Request, settings: SettingsDep, access: ReadAccess
) -> ShareLinkPublic:
    """Return an expiring read-only link to the assessment's report."""
    token = share_link_token(access, settings, access.assessment(assessment_id))
    return ShareLinkPublic(
        url=str(request.url_for("shared_report_page", token=token)), expires_days=settings.share_link_days
    )


@router.get("/assessments/{assessment_id}/share-links", response_model=list[ShareLinkRow])
def list_share_links(assessment_id: IdPath, access: ReadAccess) -> list[ShareLinkRow]:
    """Every share link of the assessment: created, expires, last opened, opens, revoked (newest first)."""
    a = access.assessment(assessment_id)
    return [share_link_row(link) for link in sharing.share_links(access.session, a)]


@router.post(
    "/assessments/{assessment_id}/share-links/{link_id}/revoke",
    dependencies=[Csrf],
    response_model=ShareLinkRow,
)
def revoke_link(assessment_id: IdPath, link_id: IdPath, access: ReadAccess) -> ShareLinkRow:
    """Withdraw a share link; its token never opens anything again."""
    return share_link_row(revoke_share_link(access, access.assessment(assessment_id), link_id))


def share_link_row(link: ShareLink) -> ShareLinkRow:
    """Return a share link as the API lists it."""
    return ShareLinkRow(
        id=link.id,
        created=link.created,
        expires=link.expires,
        last_opened=link.last_opened,
        opens=link.opens or 0,
        revoked=link.revoked,
        live=sharing.share_link_live(link),
    )


@router.get("/share/{token}", response_model=SharedReport)
def read_shared(token: str, request: Request, session: SessionDep) -> SharedReport:
    """Return a shared report: findings, plan, measures; no notes, ids or files (404 once withdrawn)."""
    return open_shared(request, session, token)


@router.post(
    "/assessments/{assessment_id}/trials",
    response_model=TrialPublic,
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["video"],
                        "properties": {
                            "video": {"type": "string", "format": "binary"},
                            "test": {"type": "string", "default": "running"},
                            "view": {"type": "string", "default": "side"},
                        },
                    }
                }
            },
        }
    },
)
async def upload_trial(
    assessment_id: IdPath,
    request: Request,
    settings: SettingsDep,
    media: MediaDep,
    runner: RunnerDep,
    access: ReadAccess,
) -> Response:
    """Upload a clip (multipart: video, test, view; X-CSRF-Token header) and queue its analysis.

    The upload is streamed to disk, limited in size (413), and checked by probing its content (422).
    """
    a = access.assessment(assessment_id)
    try:
        trial = await receive_trial(request, access.session, settings, media, a)
    except UploadError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)
    access.audit(a.athlete_id, "trial-uploaded", f"assessment {a.id}")
    queue_trial(access.session, runner, trial)
    return JSONResponse(trial_public(trial).model_dump(), status_code=201)
