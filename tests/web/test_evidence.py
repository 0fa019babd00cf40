"""The clinical evidence reference is served (HTML and Markdown) and every web and report link reaches it."""

from __future__ import annotations

import io
import re

from fastapi.testclient import TestClient
from pypdf import PdfReader

from kinechain.clinic.knowledge import evidence_text

from .conftest import intake_form, post_form
from .test_findings import _analysed as analysed


def test_evidence_page_is_served_signed_out(client: TestClient) -> None:
    r = client.get("/evidence")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<h1>Clinical evidence reference</h1>" in r.text
    assert "<h2>1. Frontal plane projection angle (FPPA, dynamic knee valgus)</h2>" in r.text
    assert "<strong>[E]</strong>" in r.text  # Markdown rendered, not shown raw
    source = client.get("/evidence/clinical-evidence.md")
    assert source.status_code == 200 and source.headers["content-type"].startswith("text/markdown")
    assert source.text == evidence_text()


def test_findings_tab_and_shared_report_link_to_it(client: TestClient) -> None:
    clinic, aid, _ = analysed(client)
    page = post_form(client, f"/assessments/{aid}/intake", intake_form(clinic.csrf)).text
    assert 'href="/evidence"' in page
    r = client.post(f"/assessments/{aid}/share", data={"csrf_token": clinic.csrf})
    token = re.search(r"/share/([^\"]+)\"", r.text).group(1)  # type: ignore[union-attr]
    anon = TestClient(client.app, base_url="https://testserver")
    shared = anon.get(f"/share/{token}")
    assert shared.status_code == 200 and 'href="/evidence"' in shared.text
    assert anon.get("/evidence").status_code == 200  # the link resolves for a reader who is not signed in


def _link_targets(pdf: bytes) -> set[str]:
    """Every URI a PDF's link annotations point to."""
    out = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action:
                out.add(str(action["/URI"]))
    return out


def test_pdf_report_links_the_served_page(client: TestClient) -> None:
    clinic, aid, _ = analysed(client)
    post_form(client, f"/assessments/{aid}/intake", intake_form(clinic.csrf))
    r = client.get(f"/assessments/{aid}/report.pdf")
    assert r.status_code == 200
    targets = _link_targets(r.content)
    assert "https://testserver/evidence" in targets, targets
    assert not any(t.endswith("clinical-evidence.md") for t in targets)  # no dangling file link
    anon = TestClient(client.app, base_url="https://testserver")
    assert anon.get("/evidence").status_code == 200
