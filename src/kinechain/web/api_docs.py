"""The browsable API documentation at /api/docs, served from local files (works offline).

FastAPI's default page loads Swagger UI from a CDN, so it is blank without internet. Here the
Swagger UI 5 files (which read OpenAPI 3.1, FastAPI's version) come from the ``swagger-ui-py``
package and are served by the app under
/api/docs-assets; the page's start-up script is a file too (static/api-docs.js), so no inline script
is needed. Without the package, /api/docs says how to get it and where the OpenAPI schema is.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/api/docs-assets"

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kinechain API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css"></head>
<body><div id="swagger-ui" data-openapi="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script></body></html>"""

_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kinechain API</title></head>
<body><h1>kinechain API</h1><p>The browsable documentation needs the swagger-ui-py package
(swagger-ui-py: <code>pip install 'kinechain[web]'</code>). The OpenAPI schema is at
<a href="{openapi}">{openapi}</a>.</p></body></html>"""


def swagger_ui_folder() -> Path | None:
    """Return the folder of the installed Swagger UI files, or None when the package is missing."""
    try:
        import swagger_ui
    except ImportError:
        return None
    folder = Path(swagger_ui.__file__).parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def install_api_docs(app: FastAPI, openapi_url: str) -> None:
    """Serve /api/docs from local Swagger UI files, or a page saying how to install them."""
    folder = swagger_ui_folder()
    if folder is not None:
        app.mount(ASSETS, StaticFiles(directory=str(folder)), name="swagger-ui")

    @app.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        """Return the Swagger UI page (local files only)."""
        page = _PAGE if folder is not None else _MISSING
        return HTMLResponse(page.format(assets=ASSETS, openapi=openapi_url))
