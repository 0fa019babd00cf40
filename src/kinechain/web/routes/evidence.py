"""Pages: the clinical evidence reference that every report links to, readable without signing in.

The document is the copy shipped in the package (``kinechain/clinic/data/clinical-evidence.md``,
read by :func:`kinechain.clinic.knowledge.evidence_text`); it holds no patient data, so the shared
report's readers, who are not signed in, can follow its links too.
"""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from kinechain.web.templating import render

router = APIRouter(include_in_schema=False)

#: Where the web app serves the evidence reference (HTML; the Markdown source beside it).
EVIDENCE_PATH = "/evidence"
EVIDENCE_SOURCE_PATH = "/evidence/clinical-evidence.md"


@lru_cache(maxsize=1)
def _evidence_html() -> str:
    """Render the evidence reference from Markdown (raw HTML in it is escaped, tables kept)."""
    from markdown_it import MarkdownIt

    from kinechain.clinic.knowledge import evidence_text

    html: str = MarkdownIt("commonmark", {"html": False}).enable("table").render(evidence_text())
    return html


@router.get(EVIDENCE_PATH, response_class=HTMLResponse)
def evidence_page(request: Request) -> Response:
    """Show the clinical evidence reference as a page."""
    return render(request, "evidence.html", body=_evidence_html(), source=EVIDENCE_SOURCE_PATH)


@router.get(EVIDENCE_SOURCE_PATH, response_class=PlainTextResponse)
def evidence_source() -> Response:
    """Return the clinical evidence reference as Markdown text."""
    from kinechain.clinic.knowledge import evidence_text

    return PlainTextResponse(evidence_text(), media_type="text/markdown; charset=utf-8")
