"""Fixing mistakes (issue 14 fault 8): edit and delete athletes, assessments and clips, with a
confirmation step, audited; a delete removes the stored files and keypoints too."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from kinechain.config import Settings
from kinechain.store.db import make_engine, session_factory
from kinechain.store.models import Media, Trial

from .conftest import Clinic, add_assessment, add_athlete, csrf_of, sign_up, upload, wait_job


def _media_of(settings: Settings) -> list[Media]:
    engine = make_engine(settings.db_url)
    with session_factory(engine)() as s:
        rows = list(s.scalars(select(Media)))
    engine.dispose()
    return rows


def _stored_files(settings: Settings) -> list[Path]:
    return [p for p in settings.media_root.rglob("*") if p.is_file() and "incoming" not in p.parts]


def _analysed(client: TestClient) -> tuple[Clinic, int, int, int]:
    clinic = sign_up(client)
    athlete = add_athlete(clinic, "Finn Fixer")
    aid = add_assessment(clinic, athlete)
    trial = wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])
    assert trial["job"]["state"] == "done"
    return clinic, athlete, aid, trial["id"]


def test_athlete_is_edited_with_the_api_rules_and_audited(client: TestClient) -> None:
    clinic = sign_up(client)
    athlete = add_athlete(clinic, "Gil Typo")
    assert 'action="/athletes/' in client.get(f"/athletes/{athlete}/edit").text
    r = clinic.post(f"/athletes/{athlete}/edit", name="Gil Tipo", email="", sex="male", birth_year="3000")
    assert r.status_code == 422 and "birth year:" in r.text  # type: ignore[attr-defined]
    r = clinic.post(
        f"/athletes/{athlete}/edit", name="Gil Tipo", email="gil@run.org", sex="male", birth_year="1985"
    )
    assert r.status_code == 200 and r.url.path == f"/athletes/{athlete}"  # type: ignore[attr-defined]
    api = client.get(f"/api/v1/athletes/{athlete}").json()
    assert (api["name"], api["email"], api["birth_year"]) == ("Gil Tipo", "gil@run.org", 1985)
    r = client.put(f"/api/v1/athletes/{athlete}", json={"name": "Gil"}, headers={"X-CSRF-Token": clinic.csrf})
    assert r.status_code == 200 and r.json()["name"] == "Gil" and r.json()["birth_year"] is None
    assert client.get("/clinic").text.count("athlete-edited") == 2


def test_assessment_is_edited(client: TestClient) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic), day="2025-03-01")
    r = clinic.post(f"/assessments/{aid}/edit", date="2025-03-02", notes="left knee, not right")
    assert r.status_code == 200  # type: ignore[attr-defined]
    a = client.get(f"/api/v1/assessments/{aid}").json()
    assert (a["date"], a["notes"]) == ("2025-03-02", "left knee, not right")
    r = clinic.post(f"/assessments/{aid}/edit", date="2025-13-40", notes="")
    assert r.status_code == 422 and "date:" in r.text  # type: ignore[attr-defined]
    r = client.put(
        f"/api/v1/assessments/{aid}", json={"notes": "x" * 2001}, headers={"X-CSRF-Token": clinic.csrf}
    )
    assert r.status_code == 422
    assert "assessment-edited" in client.get("/clinic").text


def test_deleting_an_assessment_asks_first_then_removes_its_files(
    client: TestClient, settings: Settings
) -> None:
    clinic, athlete, aid, trial_id = _analysed(client)
    r = clinic.c.post(f"/assessments/{aid}/share", data={"csrf_token": clinic.csrf})  # type: ignore[attr-defined]
    token = re.search(r"/share/([^\"]+)\"", r.text).group(1)  # type: ignore[union-attr]
    files = _stored_files(settings)
    assert len(files) >= 3 and len(_media_of(settings)) == len(files)  # video, keypoints (uploaded, computed)
    page = client.get(f"/assessments/{aid}/delete")
    assert page.status_code == 200 and "cannot be undone" in page.text and 'value="delete"' in page.text
    r = clinic.post(f"/assessments/{aid}/delete")  # no confirmation
    assert r.status_code == 422 and client.get(f"/api/v1/assessments/{aid}").status_code == 200  # type: ignore[attr-defined]
    r = clinic.post(f"/assessments/{aid}/delete", confirm="delete")
    assert r.status_code == 200 and r.url.path == f"/athletes/{athlete}"  # type: ignore[attr-defined]
    assert client.get(f"/api/v1/assessments/{aid}").status_code == 404
    assert client.get(f"/api/v1/trials/{trial_id}").status_code == 404
    assert _stored_files(settings) == [] and _media_of(settings) == []
    assert client.get(f"/share/{token}").status_code == 404
    assert "assessment-deleted" in client.get("/clinic").text


def test_deleting_a_clip_removes_its_video_and_keypoints(client: TestClient, settings: Settings) -> None:
    clinic, _, aid, trial_id = _analysed(client)
    second = wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])  # type: ignore[attr-defined]
    before = {m.id for m in _media_of(settings)}
    assert "cannot be undone" in client.get(f"/trials/{trial_id}/delete").text
    r = clinic.post(f"/trials/{trial_id}/delete", confirm="delete")
    assert r.status_code == 200  # type: ignore[attr-defined]
    left = {m.id for m in _media_of(settings)}
    assert left < before and {p.name for p in _stored_files(settings)} == left
    assert [t["id"] for t in client.get(f"/api/v1/assessments/{aid}").json()["trials"]] == [second["id"]]
    r = client.delete(f"/api/v1/trials/{second['id']}", headers={"X-CSRF-Token": csrf_of(client)})
    assert r.status_code == 204 and _media_of(settings) == [] and _stored_files(settings) == []
    assert client.get("/clinic").text.count("trial-deleted") == 2


def test_a_clip_filmed_as_another_view_is_analysed_again(client: TestClient, settings: Settings) -> None:
    clinic, _, _, trial_id = _analysed(client)
    assert "Correct the clip" in client.get(f"/trials/{trial_id}/edit").text
    r = clinic.post(f"/trials/{trial_id}/edit", test="running", view="top")
    assert r.status_code == 422 and "view must be one of" in r.text  # type: ignore[attr-defined]
    r = clinic.post(f"/trials/{trial_id}/edit", test="running", view="front")
    assert r.status_code == 200  # type: ignore[attr-defined]
    trial = wait_job(client, trial_id)
    assert trial["view"] == "front" and trial["job"]["state"] in ("done", "failed")
    engine = make_engine(settings.db_url)
    with session_factory(engine)() as s:
        row = s.get(Trial, trial_id)
        assert row is not None and row.view == "front"
    engine.dispose()
    assert "trial-edited" in client.get("/clinic").text


def test_other_clinics_and_athletes_cannot_edit_or_delete(client: TestClient) -> None:
    _, athlete, aid, trial_id = _analysed(client)
    other = TestClient(client.app, base_url="https://testserver")
    b = sign_up(other, email="b@other.org", clinic="Other")
    for url in (f"/athletes/{athlete}/edit", f"/assessments/{aid}/edit", f"/trials/{trial_id}/edit"):
        assert other.get(url).status_code == 404, url
    assert b.post(f"/assessments/{aid}/delete", confirm="delete").status_code == 404  # type: ignore[attr-defined]
    assert b.post(f"/trials/{trial_id}/delete", confirm="delete").status_code == 404  # type: ignore[attr-defined]
    assert other.delete(f"/api/v1/assessments/{aid}", headers={"X-CSRF-Token": b.csrf}).status_code == 404
    assert client.get(f"/api/v1/assessments/{aid}").status_code == 200
