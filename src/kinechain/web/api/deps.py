"""Typed dependencies of every route: settings, a database session, the signed-in user, CSRF."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from kinechain.config import Settings
from kinechain.jobs.runner import JobRunner
from kinechain.store import repo
from kinechain.store.media import MediaStore
from kinechain.store.models import User
from kinechain.web.security import same, token_hash

STAFF = ("admin", "clinician")
#: Largest row id: PostgreSQL's INTEGER and a bound that keeps SQLite from OverflowError.
MAX_ID = 2**31 - 1
#: A row id in a URL: 1 to MAX_ID, else 422 before any query runs.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
#: A position in a short list in a URL (e.g. a key frame): 0 to 999.
IndexPath = Annotated[int, Path(ge=0, le=999)]


@dataclass(frozen=True)
class UserView:
    """What page templates know of the signed-in user (plain values, usable after the session ends)."""

    id: int
    name: str
    role: str
    athlete_id: int | None


class LoginRequired(Exception):
    """No valid session: pages redirect to the sign-in page, the API answers 401."""


class Forbidden(Exception):
    """The user is signed in but their role may not do this."""


class CsrfFailed(Exception):
    """A state-changing request without the matching CSRF token."""


def cookie_names(settings: Settings) -> tuple[str, str]:
    """Names of the session and CSRF cookies (``__Host-`` prefixed when cookies are Secure)."""
    prefix = "__Host-" if settings.cookie_secure else ""
    return f"{prefix}kc_session", f"{prefix}kc_csrf"


def get_settings(request: Request) -> Settings:
    """Return the app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """Return a database session for one request: committed when the route succeeds, else rolled back.

    Used with ``scope="function"`` (``SessionDep``), so the commit happens before the response is
    sent: a browser following the redirect after a form must find what the form saved. With
    FastAPI's default scope the commit ran after sending, and the next page could load before it
    (seen as a new clinic's first page asking to sign in, or findings missing a saved intake).
    """
    session: Session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_media(request: Request) -> MediaStore:
    """Return the media store."""
    media: MediaStore = request.app.state.media
    return media


def get_runner(request: Request) -> JobRunner:
    """Return the job runner (thread pool or Celery)."""
    runner: JobRunner = request.app.state.runner
    return runner


MediaDep = Annotated[MediaStore, Depends(get_media)]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]


def optional_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    """Return the signed-in user, or None."""
    token = request.cookies.get(cookie_names(settings)[0])
    user = repo.user_for_session(session, token_hash(token)) if token else None
    request.state.user = UserView(user.id, user.name, user.role, user.athlete_id) if user else None
    return user


def current_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    """Return the signed-in user; LoginRequired otherwise."""
    if user is None:
        raise LoginRequired()
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]


def staff_user(user: CurrentUser) -> User:
    """Return a signed-in clinic admin or clinician; Forbidden for athletes."""
    if user.role not in STAFF:
        raise Forbidden("only clinic staff can do this.")
    return user


def admin_user(user: CurrentUser) -> User:
    """Return a signed-in clinic admin; Forbidden otherwise."""
    if user.role != "admin":
        raise Forbidden("only the clinic's admin can do this.")
    return user


StaffUser = Annotated[User, Depends(staff_user)]
AdminUser = Annotated[User, Depends(admin_user)]


def csrf_token(request: Request) -> str:
    """Return return this browser's CSRF token (set as a cookie by the middleware, echoed in every form)."""
    token: str = request.state.csrf
    return token


async def check_csrf(request: Request, settings: SettingsDep) -> None:
    """Refuse a form or API call whose CSRF token (form field or X-CSRF-Token header) does not match.

    The token is compared with the browser's CSRF cookie (double-submit); the cookie is
    ``__Host-`` prefixed, SameSite=Lax and HttpOnly, so another site can neither read nor set it.
    """
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not same(sent, request.cookies.get(cookie_names(settings)[1])):
        raise CsrfFailed()


Csrf = Depends(check_csrf)
