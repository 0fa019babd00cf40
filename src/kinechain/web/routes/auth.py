"""Pages: sign up a clinic, sign in and out, accept an invitation, the account page (password)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from kinechain.config import Settings
from kinechain.store import repo
from kinechain.web import throttle
from kinechain.web.api.deps import (
    Csrf,
    CurrentUser,
    OptionalUser,
    SessionDep,
    SettingsDep,
    cookie_names,
)
from kinechain.web.services import (
    AuthError,
    NewSession,
    accept_invite,
    change_password,
    sign_in,
    sign_up_clinic,
)
from kinechain.web.templating import redirect, render

router = APIRouter()
Text = Annotated[str, Form()]


def set_session_cookie(response: Response, settings: Settings, new: NewSession) -> None:
    """Put the session token in a Secure, HttpOnly, SameSite=Lax cookie."""
    response.set_cookie(
        cookie_names(settings)[0],
        new.token,
        max_age=int(settings.session_hours * 3600),
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        path="/",
    )


def set_device_cookie(response: Response, settings: Settings, new: NewSession) -> None:
    """Remember this browser as trusted for the account (its sign-ins escape others' failures)."""
    if new.device:
        response.set_cookie(
            device_cookie_name(settings),
            new.device,
            max_age=throttle.DEVICE_DAYS * 86400,
            httponly=True,
            secure=settings.cookie_secure,
            samesite="lax",
            path="/",
        )


def device_cookie_name(settings: Settings) -> str:
    """Name of the trusted-browser cookie (``__Host-`` prefixed when cookies are Secure)."""
    return ("__Host-" if settings.cookie_secure else "") + "kc_device"


def home_url(user: object) -> str:
    """Where a user lands after signing in."""
    athlete_id = getattr(user, "athlete_id", None)
    return f"/athletes/{athlete_id}" if getattr(user, "role", "") == "athlete" and athlete_id else "/athletes"


def _safe_next(url: str | None) -> str | None:
    return url if url and url.startswith("/") and not url.startswith("//") else None


@router.get("/", include_in_schema=False)
def index(user: OptionalUser) -> RedirectResponse:
    """Send visitors to sign in and users to their home page."""
    return redirect(home_url(user) if user else "/login")


@router.get("/signup", response_class=HTMLResponse, include_in_schema=False)
def signup_page(request: Request, user: OptionalUser) -> HTMLResponse:
    """Return the clinic sign-up form."""
    return render(request, "signup.html")


@router.post("/signup", dependencies=[Csrf], include_in_schema=False)
def signup(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clinic: Text,
    name: Text,
    email: Text,
    password: Text,
) -> Response:
    """Create a clinic and its admin account."""
    try:
        new = sign_up_clinic(session, settings, clinic=clinic, name=name, email=email, password=password)
    except AuthError as exc:
        return render(
            request,
            "signup.html",
            exc.status,
            error=str(exc),
            form={"clinic": clinic, "name": name, "email": email},
        )
    response = redirect("/athletes")
    set_session_cookie(response, settings, new)
    return response


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, user: OptionalUser, next: str | None = None) -> HTMLResponse:
    """Return the sign-in form."""
    return render(request, "login.html", next=_safe_next(next))


@router.post("/login", dependencies=[Csrf], include_in_schema=False)
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Text,
    password: Text,
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """Check the password and start a session."""
    client = request.client.host if request.client else "unknown"
    device = request.cookies.get(device_cookie_name(settings))
    try:
        new = sign_in(session, settings, email=email, password=password, client=client, device=device)
    except AuthError as exc:
        session.commit()  # keep the failed attempt for rate limiting
        return render(request, "login.html", exc.status, error=str(exc), email=email, next=_safe_next(next))
    response = redirect(_safe_next(next) or home_url(new.user))
    set_session_cookie(response, settings, new)
    set_device_cookie(response, settings, new)
    return response


@router.post("/logout", dependencies=[Csrf], include_in_schema=False)
def logout(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """End the session and clear its cookie."""
    from kinechain.web.security import token_hash

    name = cookie_names(settings)[0]
    token = request.cookies.get(name)
    if token:
        repo.end_session(session, token_hash(token))
    response = redirect("/login")
    response.delete_cookie(name, path="/", secure=settings.cookie_secure, httponly=True, samesite="lax")
    return response


@router.get("/invite/{token}", response_class=HTMLResponse, include_in_schema=False)
def invite_page(request: Request, token: str, session: SessionDep, user: OptionalUser) -> HTMLResponse:
    """Return the form to accept an invitation and choose a password."""
    from kinechain.web.security import token_hash

    inv = repo.open_invitation(session, token_hash(token))
    return render(request, "invite.html", token=token, email=inv.email or "", role=inv.role)


@router.post("/invite/{token}", dependencies=[Csrf], include_in_schema=False)
def invite_accept(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    name: Text,
    email: Text,
    password: Text,
) -> Response:
    """Create the invited account."""
    try:
        new = accept_invite(session, settings, token, name=name, email=email, password=password)
    except AuthError as exc:
        return render(request, "invite.html", exc.status, error=str(exc), token=token, email=email, role="")
    response = redirect(home_url(new.user))
    set_session_cookie(response, settings, new)
    return response


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, user: CurrentUser, changed: bool = False) -> HTMLResponse:
    """Return the signed-in user's account page with the password change form."""
    return render(request, "account.html", account=user, changed=changed)


@router.post("/account/password", dependencies=[Csrf], include_in_schema=False)
def account_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    current: Text,
    new: Text,
    repeat: Text,
) -> Response:
    """Change the password (current password first); other sessions end, this browser stays signed in."""
    client = request.client.host if request.client else "unknown"
    try:
        fresh = change_password(
            session, settings, user, current=current, new=new, repeat=repeat, client=client
        )
    except AuthError as exc:  # the session still commits: a wrong password counts for the rate limit
        return render(request, "account.html", exc.status, account=user, error=str(exc))
    response = redirect("/account?changed=true")
    set_session_cookie(response, settings, fresh)
    return response
