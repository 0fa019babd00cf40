"""Pages: the clinic admin's page (privacy settings, staff, invitations, consultations, audit log)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kinechain.store import repo
from kinechain.store.models import Clinic
from kinechain.web.api.deps import AdminUser, Csrf, IdPath, MediaDep, SessionDep, SettingsDep, StaffUser
from kinechain.web.services import invite
from kinechain.web.templating import redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/clinic", response_class=HTMLResponse)
def clinic_page(request: Request, session: SessionDep, user: StaffUser) -> Response:
    """Clinic settings, staff, consultation requests and (for the admin) the audit log."""
    clinic = session.get(Clinic, user.clinic_id)
    events = repo.audit_events(session, user.clinic_id) if user.role == "admin" else []
    return render(
        request,
        "clinic.html",
        users=repo.clinic_users(session, user.clinic_id),
        clinic=clinic,
        staff=repo.staff(session, user.clinic_id),
        consultations=repo.consultations(session, user.clinic_id),
        events=events,
    )


@router.post("/clinic/settings", dependencies=[Csrf])
def clinic_settings(
    session: SessionDep,
    user: AdminUser,
    blur_faces: Annotated[bool, Form()] = False,
    delete_source_videos: Annotated[bool, Form()] = False,
) -> Response:
    """Change the clinic's privacy settings (applied to clips analysed from now on)."""
    clinic = session.get(Clinic, user.clinic_id)
    assert clinic is not None
    clinic.blur_faces, clinic.delete_source_videos = blur_faces, delete_source_videos
    repo.audit(
        session,
        clinic_id=clinic.id,
        user=user,
        action="privacy-settings",
        detail=f"blur_faces={blur_faces} delete_source_videos={delete_source_videos}",
    )
    return redirect("/clinic")


@router.post("/clinic/invite", dependencies=[Csrf], response_class=HTMLResponse)
def invite_clinician(
    request: Request, session: SessionDep, settings: SettingsDep, user: AdminUser
) -> Response:
    """Create an invitation link for a new clinician."""
    token = invite(session, settings, user, role="clinician", athlete=None)
    link = str(request.url_for("invite_page", token=token))
    return render(
        request,
        "link.html",
        title="Invitation for a clinician",
        link=link,
        days=settings.invitation_days,
        back="/clinic",
        note="Send this link to the clinician. It works once.",
    )


@router.post("/clinic/users/{user_id}/deactivate", dependencies=[Csrf])
def deactivate(user_id: IdPath, session: SessionDep, user: AdminUser) -> Response:
    """Turn off an account of the clinic (it can no longer sign in; its data stays)."""
    gone = repo.deactivate_user(session, user, user_id)
    repo.audit(
        session,
        clinic_id=user.clinic_id,
        user=user,
        athlete_id=gone.athlete_id,
        action="account-deactivated",
        detail=f"user {gone.id}",
    )
    return redirect("/clinic")


@router.post("/athletes/{athlete_id}/delete", dependencies=[Csrf], response_class=HTMLResponse)
def delete_athlete(
    request: Request,
    athlete_id: IdPath,
    session: SessionDep,
    media: MediaDep,
    user: AdminUser,
    confirm: Annotated[str, Form()] = "",
) -> Response:
    """Erase an athlete and all their data (videos, results, account), after typing their name."""
    athlete = repo.get_athlete(session, user, athlete_id)
    if confirm.strip() != athlete.name:
        return render(
            request,
            "message.html",
            422,
            title="Not deleted",
            back=f"/athletes/{athlete.id}",
            message="type the athlete's name exactly as shown to confirm the deletion.",
        )
    for media_id in repo.delete_athlete(session, athlete):
        media.delete(media_id)
    repo.audit(
        session, clinic_id=user.clinic_id, user=user, action="athlete-deleted", detail=f"athlete {athlete_id}"
    )
    return redirect("/athletes")
