"""Intake, findings, plan, key frames and the assessment PDF (real clip, replayed keypoints)."""

from __future__ import annotations

import io
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader

from kinechain.web.app import create_app

from .conftest import (
    add_assessment,
    add_athlete,
    intake_form,
    make_settings,
    post_form,
    sign_up,
    upload,
    wait_job,
)


def _analysed(client: TestClient):  # type: ignore[no-untyped-def]
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    trial = wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])
    assert trial["job"]["state"] == "done"
    return clinic, aid, trial


def test_findings_wait_for_the_intake_then_appear(client: TestClient) -> None:
    clinic, aid, _ = _analysed(client)
    page = client.get(f"/assessments/{aid}").text
    assert "fill in the intake first" in page and "Download PDF" not in page
    r = post_form(client, f"/assessments/{aid}/intake", intake_form(clinic.csrf))
    assert r.status_code == 200 and r.url.path == f"/assessments/{aid}", r.text[:500]
    page = r.text
    assert (
        "Running mechanics" in page and "flagged" in page
    )  # the right knee's 33 deg peak flexion is notable
    assert "Souza 2016" in page and "[W]" in page  # every rule shows its citation and strength
    assert "Pain rule:" in page and "Download PDF" in page


def test_intake_errors_are_one_clear_sentence_and_keep_answers(client: TestClient) -> None:
    clinic, aid, _ = _analysed(client)
    form = [(k, v) for k, v in intake_form(clinic.csrf) if not k.startswith("red_flags.")]
    r = post_form(client, f"/assessments/{aid}/intake", form)
    assert r.status_code == 422 and "the intake is not complete" in r.text
    assert 'value="34"' in r.text  # the age typed is kept
    assert client.get(f"/api/v1/assessments/{aid}").status_code == 200


def test_red_flag_stops_the_plan(client: TestClient) -> None:
    clinic, aid, _ = _analysed(client)
    form = [(k, "yes" if k == "red_flags.locked_knee" else v) for k, v in intake_form(clinic.csrf)]
    page = post_form(client, f"/assessments/{aid}/intake", form).text
    assert 'role="alert"' in page and "Exercise plan" in page
    assert "Pain rule:" not in page


def test_key_frames_and_overlay_are_served(tmp_path: Path, db_url: str) -> None:
    app = create_app(make_settings(tmp_path, db_url, overlay_videos=True))
    with TestClient(app, base_url="https://testserver") as client:
        _key_frames_and_overlay(client)
    app.state.engine.dispose()


def _key_frames_and_overlay(client: TestClient) -> None:
    _, aid, trial = _analysed(client)
    assert trial["has_overlay"]
    page = client.get(f"/assessments/{aid}").text
    assert f"/trials/{trial['id']}/keyframes/0" in page and "foot strike" in page
    image = client.get(f"/trials/{trial['id']}/keyframes/0")
    assert image.status_code == 200 and image.content[:3] == b"\xff\xd8\xff"
    overlay = client.get(f"/trials/{trial['id']}/overlay")
    assert overlay.status_code == 200 and overlay.content[4:8] == b"ftyp"


def test_assessment_pdf(client: TestClient) -> None:
    clinic, aid, _ = _analysed(client)
    assert client.get(f"/assessments/{aid}/report.pdf").status_code == 404  # no intake yet
    post_form(client, f"/assessments/{aid}/intake", intake_form(clinic.csrf))
    r = client.get(f"/assessments/{aid}/report.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "Running mechanics" in text and "Clinic A" in text
