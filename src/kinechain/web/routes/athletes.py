"""Pages: athlete list, an athlete's timeline with progress charts, invitations, new assessments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from kinechain.store import repo
from kinechain.web.access import ReadAccess, StaffAccess
from kinechain.web.api.deps import Csrf, CurrentUser, IdPath, MediaDep, SessionDep, SettingsDep, StaffUser
from kinechain.web.api.schemas import AssessmentCreate, AthleteCreate
from kinechain.web.export import zip_download
from kinechain.web.forms import FormError, form_model
from kinechain.web.services import export_athlete, invite, start_assessment
from kinechain.web.templating import redirect, render
from kinechain.web.uploads import UploadError
from kinechain.web.views import chart, progress_series

router = APIRouter(include_in_schema=False)


def client_of(request: Request) -> str | None:
    """Return the client's address for the audit log."""
    return request.client.host if request.client else None


@router.get("/athletes", response_class=HTMLResponse)
def athletes_page(request: Request, session: SessionDep, user: CurrentUser) -> Response:
    """Return the athletes the user may see (an athlete goes straight to their own page)."""
    if user.role == "athlete":
        return redirect(f"/athletes/{user.athlete_id}")
    return render(request, "athletes.html", athletes=repo.list_athletes(session, user))


@router.post("/athletes", dependencies=[Csrf])
def add_athlete(
    request: Request,
    session: SessionDep,
    user: StaffUser,
    name: Annotated[str, Form()],
    email: Annotated[str, Form()] = "",
    sex: Annotated[str, Form()] = "",
    birth_year: Annotated[str, Form()] = "",
) -> Response:
    """Add an athlete to the clinic (checked by the API's AthleteCreate schema)."""
    fields = {"name": name, "email": email, "sex": sex, "birth_year": birth_year}
    try:
        body = form_model(AthleteCreate, fields)
    except FormError as exc:
        athletes = repo.list_athletes(session, user)
        return render(request, "athletes.html", 422, athletes=athletes, error=str(exc))
    athlete = repo.create_athlete(
        session, user, name=body.name, email=body.email, sex=body.sex, birth_year=body.birth_year
    )
    repo.audit(session, clinic_id=user.clinic_id, user=user, athlete_id=athlete.id, action="athlete-created")
    return redirect(f"/athletes/{athlete.id}")


@router.get("/athletes/{athlete_id}", response_class=HTMLResponse)
def athlete_page(request: Request, athlete_id: IdPath, access: ReadAccess) -> Response:
    """Show an athlete's timeline: assessments, and progress against the smallest detectable difference."""
    session = access.session
    athlete = access.athlete(athlete_id, "viewed-athlete")
    series = [s for s in progress_series(repo.athlete_trials(session, athlete))]
    charts = [(s, chart(s)) for s in series]
    return render(
        request,
        "athlete.html",
        athlete=athlete,
        assessments=repo.list_assessments(session, athlete),
        charts=charts,
    )


@router.get("/athletes/{athlete_id}/export")
def export_page(
    request: Request, athlete_id: IdPath, session: SessionDep, media: MediaDep, user: CurrentUser
) -> Response:
    """Download the athlete's data as a ZIP: athlete.json (record, assessments, results) and media.

    Clinic staff for their clinic's athletes; an athlete for their own data only.
    """
    path, filename = export_athlete(session, media, user, athlete_id, client_of(request))
    return zip_download(path, filename)


@router.post("/athletes/{athlete_id}/invite", dependencies=[Csrf], response_class=HTMLResponse)
def invite_athlete(
    request: Request, athlete_id: IdPath, settings: SettingsDep, access: StaffAccess
) -> Response:
    """Create an invitation link for the athlete to see their own results."""
    athlete = access.athlete(athlete_id)
    token = invite(access.session, settings, access.user, role="athlete", athlete=athlete)
    access.audit(athlete.id, "athlete-invited")
    link = str(request.url_for("invite_page", token=token))
    return render(
        request,
        "link.html",
        title=f"Invitation for {athlete.name}",
        link=link,
        days=settings.invitation_days,
        back=f"/athletes/{athlete.id}",
        note="Send this link to the athlete. It works once.",
    )


@router.post("/athletes/{athlete_id}/assessments", dependencies=[Csrf])
def add_assessment(
    athlete_id: IdPath,
    access: ReadAccess,
    day: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
) -> Response:
    """Start a new assessment of the athlete (checked by the API's AssessmentCreate schema)."""
    athlete = access.athlete(athlete_id)
    try:
        body = form_model(AssessmentCreate, {"date": day, "notes": notes})
    except FormError as exc:
        raise UploadError(str(exc), 422) from exc
    assessment = start_assessment(access, athlete, body)
    return redirect(f"/assessments/{assessment.id}")
