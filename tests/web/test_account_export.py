"""An athlete's data export (ZIP of athlete.json and media) and the password change on the account page."""

from __future__ import annotations

import io
import json
import zipfile

from fastapi.testclient import TestClient

from kinechain.config import Settings
from kinechain.store.models import AuditEvent, Trial, User

from .conftest import (
    CLIP,
    add_assessment,
    add_athlete,
    csrf_of,
    intake_form,
    post_form,
    sign_up,
    upload,
    wait_job,
)
from .test_api import db_rows

OLD, NEW = "correct horse", "battery staple 2"


def _archive(c: TestClient, url: str) -> zipfile.ZipFile:
    r = c.get(url)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"] == "application/zip"
    assert r.headers["content-disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(r.content))


def test_export_holds_the_record_results_and_media_files(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    athlete_id = add_athlete(clinic, "Ben Runner", "ben@runner.org")
    aid = add_assessment(clinic, athlete_id)
    assert post_form(client, f"/assessments/{aid}/intake", intake_form(clinic.csrf)).status_code == 200
    trial_id = wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])["id"]
    assert f'href="/athletes/{athlete_id}/export"' in client.get(f"/athletes/{athlete_id}").text

    zf = _archive(client, f"/athletes/{athlete_id}/export")
    doc = json.loads(zf.read("athlete.json"))
    assert doc["format"] == "kinechain.athlete-export/1"
    assert doc["athlete"]["name"] == "Ben Runner" and doc["athlete"]["email"] == "ben@runner.org"
    (assessment,) = doc["assessments"]
    assert assessment["id"] == aid and assessment["intake"]["pain_location"]
    assert assessment["findings"]["available"] and assessment["plan"]["available"]
    (trial,) = assessment["trials"]
    (row,) = db_rows(settings, Trial)
    assert trial["id"] == trial_id and trial["job"]["state"] == "done" and trial["result"] == row.result
    files = trial["files"]
    assert zf.read(files["video"]) == CLIP.read_bytes()
    stored = {"video": row.video_id, "keypoints": row.keypoints_id}
    stored |= {f"keyframe-{i}": f["id"] for i, f in enumerate(row.keyframes or [])}
    assert set(stored) <= set(files) and len(stored) > 2
    for kind, media_id in stored.items():
        assert zf.read(files[kind]) == (settings.media_root / media_id[:2] / media_id).read_bytes(), kind
    assert sorted(zf.namelist()) == sorted(["athlete.json", *files.values()])
    assert not list((settings.media_root / "incoming").glob("*.zip"))  # the temporary ZIP is gone


def test_export_is_audited_and_offered_by_the_json_api(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    athlete_id = add_athlete(clinic)
    add_assessment(clinic, athlete_id)
    api = _archive(client, f"/api/v1/athletes/{athlete_id}/export")
    assert len(json.loads(api.read("athlete.json"))["assessments"]) == 1
    _archive(client, f"/athletes/{athlete_id}/export")
    events = db_rows(settings, AuditEvent, action="athlete-exported")
    assert len(events) == 2 and all(e.athlete_id == athlete_id and e.user_id for e in events)
    assert "athlete-exported" in client.get("/clinic").text


def test_export_of_another_clinics_athlete_is_not_found(client: TestClient, settings: Settings) -> None:
    athlete_id = add_athlete(sign_up(client))
    other = TestClient(client.app, base_url="https://testserver")
    sign_up(other, email="admin@clinic-b.org", clinic="Clinic B")
    assert other.get(f"/athletes/{athlete_id}/export").status_code == 404
    assert other.get(f"/api/v1/athletes/{athlete_id}/export").status_code == 404
    assert db_rows(settings, AuditEvent, action="athlete-exported") == []


def _change(c: TestClient, csrf: str, current: str, new: str, repeat: str | None = None):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf, "current": current, "new": new, "repeat": new if repeat is None else repeat}
    return c.post("/account/password", data=data)


def _login(c: TestClient, password: str, email: str = "admin@clinic-a.org") -> int:
    r = c.post("/login", data={"csrf_token": csrf_of(c), "email": email, "password": password})
    return r.status_code


def test_password_change_replaces_the_old_password(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    elsewhere = TestClient(client.app, base_url="https://testserver")
    assert _login(elsewhere, OLD) == 200 and elsewhere.get("/api/v1/me").status_code == 200
    page = client.get("/account")
    assert page.status_code == 200 and 'action="/account/password"' in page.text
    assert 'href="/account"' in client.get("/athletes").text
    r = _change(client, clinic.csrf, OLD, NEW)
    assert r.status_code == 200 and r.url.path == "/account" and "password is changed" in r.text
    assert client.get("/api/v1/me").status_code == 200  # this browser got a fresh session
    assert elsewhere.get("/api/v1/me").status_code == 401  # other sessions ended
    (user,) = db_rows(settings, User)
    assert user.password_hash.startswith("$argon2id$") and NEW not in user.password_hash
    assert "password-changed" in client.get("/clinic").text
    client.post("/logout", data={"csrf_token": clinic.csrf})
    assert _login(client, OLD) == 401
    assert _login(client, NEW) == 200


def test_password_change_refusals_say_why(client: TestClient) -> None:
    clinic = sign_up(client)
    r = _change(client, clinic.csrf, "not my password", NEW)
    assert r.status_code == 403 and "the current password is wrong" in r.text
    r = _change(client, clinic.csrf, OLD, NEW, repeat=NEW + "x")
    assert r.status_code == 400 and "the two new passwords differ" in r.text
    r = _change(client, clinic.csrf, OLD, "short")
    assert r.status_code == 400 and "at least 8 characters" in r.text
    r = client.post("/account/password", data={"current": OLD, "new": NEW, "repeat": NEW})
    assert r.status_code == 403 and "form has expired" in r.text
    client.post("/logout", data={"csrf_token": clinic.csrf})
    assert _login(client, NEW) == 401 and _login(client, OLD) == 200


def test_password_change_is_rate_limited(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    for _ in range(settings.login_max_attempts):
        assert _change(client, clinic.csrf, "wrong password", NEW).status_code == 403
    r = _change(client, clinic.csrf, OLD, NEW)
    assert r.status_code == 429 and "too many wrong passwords" in r.text


def test_athlete_changes_their_own_password(client: TestClient) -> None:
    clinic = sign_up(client)
    athlete_id = add_athlete(clinic, "Ann Runner", "ann@runner.org")
    path = clinic.post(f"/athletes/{athlete_id}/invite").text.split('value="https://testserver', 1)[1]  # type: ignore[attr-defined]
    runner = TestClient(client.app, base_url="https://testserver")
    token = csrf_of(runner)
    form = {"csrf_token": token, "name": "Ann", "email": "ann@runner.org", "password": "athlete pw 1"}
    runner.post(path.split('"')[0], data=form)
    assert 'href="/account"' in runner.get(f"/athletes/{athlete_id}").text
    own = runner.get(f"/athletes/{athlete_id}/export")  # an athlete may take their own data
    assert own.status_code == 200 and own.headers["content-type"] == "application/zip"
    other = add_athlete(clinic, "Bo Other", "bo@runner.org")
    assert runner.get(f"/athletes/{other}/export").status_code == 404  # never another athlete's
    assert _change(runner, token, "athlete pw 1", NEW).status_code == 200
    runner.post("/logout", data={"csrf_token": token})
    assert _login(runner, NEW, email="ann@runner.org") == 200
