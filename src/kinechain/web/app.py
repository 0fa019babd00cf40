"""The FastAPI application factory: pages, JSON API, security headers, CSRF cookie, error mapping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError

from kinechain import __version__
from kinechain.config import Settings
from kinechain.errors import KinechainError
from kinechain.jobs.analysis import JobContext
from kinechain.jobs.runner import JobRunner, make_runner
from kinechain.store import repo
from kinechain.store.db import make_engine, session_factory, upgrade
from kinechain.store.media import MediaStore
from kinechain.store.redact import strip_paths
from kinechain.web import security
from kinechain.web.api.deps import CsrfFailed, Forbidden, LoginRequired, cookie_names
from kinechain.web.api_docs import install_api_docs
from kinechain.web.security import new_token
from kinechain.web.templating import render
from kinechain.web.uploads import UploadError

log = logging.getLogger(__name__)

#: Content Security Policy: only this origin's scripts, styles and media; no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    message = strip_paths(message)
    if _is_api(request) or "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"detail": message}, status_code=status)
    title = {401: "Please sign in", 403: "Not allowed", 404: "Not found", 413: "Too large", 429: "Slow down"}
    return render(
        request, "message.html", status, title=title.get(status, "Something is wrong"), message=message
    )


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "sign in first."}, status_code=401)
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        return _error(request, 403, str(exc))

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        return _error(
            request, 403, "the form has expired or came from another site; reload the page and try again."
        )

    @app.exception_handler(repo.NotFound)
    async def _missing(request: Request, exc: repo.NotFound) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(UploadError)
    async def _upload(request: Request, exc: UploadError) -> Response:
        return _error(request, exc.status, str(exc))

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> Response:
        log.warning("refused a value the database cannot store: %s", exc.orig)
        return _error(
            request, 422, "a value is out of range or has characters that cannot be stored; correct it."
        )

    @app.exception_handler(KinechainError)
    async def _kinechain(request: Request, exc: KinechainError) -> Response:
        return _error(request, 422, str(exc))


def _install_middleware(app: FastAPI, settings: Settings) -> None:
    csrf_cookie = cookie_names(settings)[1]

    @app.middleware("http")
    async def _headers_and_csrf(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        existing = request.cookies.get(csrf_cookie)
        request.state.csrf = existing or new_token()
        request.state.user = None
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if settings.cookie_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if not existing:
            response.set_cookie(
                csrf_cookie,
                request.state.csrf,
                httponly=True,
                secure=settings.cookie_secure,
                samesite="lax",
                path="/",
            )
        return response


def create_app(
    settings: Settings | None = None, *, runner: JobRunner | None = None, migrate: bool = True
) -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    settings : Settings, optional
        Defaults to ``Settings()`` (KINECHAIN_* environment variables).
    runner : JobRunner, optional
        Where analysis jobs go; default a thread pool, or Celery when ``broker_url`` is set.
    migrate : bool
        Bring the database schema up to date on start (Alembic).
    """
    settings = settings or Settings()
    security.use_test_cost(settings.environment == "test")
    engine = make_engine(settings.db_url)
    if migrate:
        upgrade(engine)
    sessions = session_factory(engine)
    media = MediaStore(settings.media_root)
    ctx = JobContext(settings, sessions, media)
    job_runner = runner or make_runner(ctx)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resumed = job_runner.resume_pending()
        if resumed:
            log.info("resumed %d unfinished analysis jobs", resumed)
        yield
        job_runner.shutdown()

    app = FastAPI(
        title="kinechain",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # served from local files by install_api_docs
        redoc_url=None,
        openapi_url="/api/openapi.json",
        description="Clinic app of kinechain: athletes, assessments, clip analysis, results.",
    )
    app.state.settings, app.state.sessions, app.state.media, app.state.runner = (
        settings,
        sessions,
        media,
        job_runner,
    )
    app.state.engine = engine
    _install_handlers(app)
    _install_middleware(app, settings)
    static = resources.files("kinechain.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _include_routers(app)
    install_api_docs(app, "/api/openapi.json")
    return app


def _include_routers(app: FastAPI) -> None:
    from kinechain.web.api import routes as api_routes
    from kinechain.web.routes import (
        assessments,
        athletes,
        auth,
        clinic,
        editing,
        evidence,
        intake,
        plan,
        share,
    )

    for module in (
        auth,
        athletes,
        editing,
        assessments,
        intake,
        share,
        clinic,
        evidence,
        plan,
    ):  # editing before /trials/{id}/{kind}
        app.include_router(module.router)
    app.include_router(plan.api_router)
    app.include_router(api_routes.router, prefix="/api/v1")
