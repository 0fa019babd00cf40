"""Jinja templates (server-rendered pages) and the helpers every page uses."""

from __future__ import annotations

from importlib import resources

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from kinechain import __version__

templates = Jinja2Templates(directory=str(resources.files("kinechain.web").joinpath("templates")))
templates.env.globals["version"] = __version__
templates.env.globals["disclaimer"] = (
    "kinechain is a screening and coaching aid, not a diagnosis. See a clinician for pain that is "
    "severe, getting worse, or comes with swelling, locking or giving way."
)


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


templates.env.filters["fmt"] = _fmt


def render(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    """Render a page with the signed-in user and this browser's CSRF token in its context."""
    context.setdefault("user", getattr(request.state, "user", None))
    context["csrf_token"] = request.state.csrf
    return templates.TemplateResponse(request, name, context, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """Return a 303 redirect (after a form post, the browser follows it with GET)."""
    return RedirectResponse(url, status_code=303)
