"""The web app on a real database: accounts, CSRF, rate limiting, uploads, analysis, audit, privacy."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from kinechain.config import Settings
from kinechain.store.db import current_revision, head_revision, make_engine, session_factory
from kinechain.store.models import AuditEvent, ConsultationRequest, Media, Trial, User
from kinechain.web.app import create_app

from .conftest import (
    CLIP,
    KEYPOINTS,
    add_assessment,
    add_athlete,
    csrf_of,
    make_settings,
    sign_up,
    upload,
    wait_job,
)


def db_rows(settings: Settings, model: type, **where: object) -> list:  # type: ignore[type-arg]
    """Rows of a table, read straight from the database."""
    engine = make_engine(settings.db_url)
    with session_factory(engine)() as s:
        rows = list(s.scalars(select(model).filter_by(**where)))
    engine.dispose()
    return rows


def test_schema_is_migrated_to_head(client: TestClient, settings: Settings) -> None:
    engine = make_engine(settings.db_url)
    assert current_revision(engine) == head_revision(engine)
    engine.dispose()


def test_every_state_changing_route_checks_csrf(client: TestClient) -> None:
    unprotected = []
    for route in client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, APIRoute) or not (route.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            continue
        deps = {d.call.__name__ for d in route.dependant.dependencies if d.call is not None}
        if "check_csrf" not in deps and route.name != "upload_trial":  # uploads check it after streaming
            unprotected.append(route.path)
    assert unprotected == []


def test_form_without_csrf_is_refused(client: TestClient) -> None:
    r = client.post(
        "/signup", data={"clinic": "X", "name": "Y", "email": "y@x.org", "password": "long enough"}
    )
    assert r.status_code == 403
    assert "form has expired" in r.text
    assert db_rows(client.app.state.settings, User) == []  # type: ignore[attr-defined]


def test_signup_hashes_password_with_argon2_and_sets_secure_cookie(client: TestClient) -> None:
    token = csrf_of(client)
    r = client.post(
        "/signup",
        data={
            "csrf_token": token,
            "clinic": "C",
            "name": "N",
            "email": "N@Example.org",
            "password": "correct horse",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("__Host-kc_session=")
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
        assert flag.lower() in cookie.lower()
    user = db_rows(client.app.state.settings, User)[0]  # type: ignore[attr-defined]
    assert user.email == "n@example.org" and user.role == "admin"
    assert user.password_hash.startswith("$argon2id$") and "correct horse" not in user.password_hash


def test_security_headers(client: TestClient) -> None:
    r = client.get("/login")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_short_password_and_duplicate_email_are_refused(client: TestClient) -> None:
    token = csrf_of(client)
    r = client.post(
        "/signup",
        data={"csrf_token": token, "clinic": "C", "name": "N", "email": "a@b.org", "password": "short"},
    )
    assert r.status_code == 400 and "at least 8 characters" in r.text
    sign_up(client, email="a@b.org")
    other = TestClient(client.app, base_url="https://testserver")
    token = csrf_of(other)
    r = other.post(
        "/signup",
        data={
            "csrf_token": token,
            "clinic": "C2",
            "name": "M",
            "email": "A@b.org",
            "password": "long enough",
        },
    )
    assert r.status_code == 409 and "already exists" in r.text


def test_login_logout_cycle(client: TestClient) -> None:
    clinic = sign_up(client, email="cycle@clinic.org")
    assert client.get("/api/v1/me").json()["email"] == "cycle@clinic.org"
    clinic.post("/logout")
    assert client.get("/api/v1/me").status_code == 401
    r = client.get("/athletes", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    token = csrf_of(client)
    r = client.post(
        "/login", data={"csrf_token": token, "email": "cycle@clinic.org", "password": "correct horse"}
    )
    assert r.status_code == 200 and r.url.path == "/athletes"


def test_insecure_settings_refused_outside_development(tmp_path: Path) -> None:
    from kinechain.errors import ConfigError

    with pytest.raises(ConfigError, match="KINECHAIN_SECRET_KEY"):
        Settings(environment="production", data_dir=tmp_path)
    with pytest.raises(ConfigError, match="at least 32"):
        Settings(environment="production", secret_key="short", data_dir=tmp_path)
    assert Settings(environment="development", data_dir=tmp_path).secret_key == "changethis"


def test_invited_athlete_signs_up_and_sees_own_page(client: TestClient) -> None:
    clinic = sign_up(client)
    athlete_id = add_athlete(clinic, "Cara Athlete", "cara@runner.org")
    r = clinic.post(f"/athletes/{athlete_id}/invite")
    link = r.text.split('data-testid="link"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert "/invite/" in link
    runner = TestClient(client.app, base_url="https://testserver")
    path = link.replace("https://testserver", "")
    page = runner.get(path)
    assert page.status_code == 200 and "cara@runner.org" in page.text
    token = csrf_of(runner)
    r = runner.post(
        path,
        data={"csrf_token": token, "name": "Cara", "email": "cara@runner.org", "password": "my own pass"},
    )
    assert r.url.path == f"/athletes/{athlete_id}"
    assert runner.get("/api/v1/me").json()["role"] == "athlete"
    assert [a["id"] for a in runner.get("/api/v1/athletes").json()] == [athlete_id]
    r = runner.post(
        path, data={"csrf_token": token, "name": "Eve", "email": "eve@x.org", "password": "another pw"}
    )
    assert r.status_code == 404 and "not valid any more" in r.text  # single use


def test_upload_analyses_real_clip_and_audits(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    r = upload(client, clinic.csrf, aid)
    assert r.status_code == 201, r.text
    trial = wait_job(client, r.json()["trial"])
    assert trial["job"]["state"] == "done", trial["job"]
    assert trial["job"]["progress"] == 1.0 and trial["job"]["attempts"] == 1
    cadence = next(m for m in trial["result"]["measures"] if m["id"] == "running.cadence")
    assert abs(cadence["value"] - 168.9) < 3.0  # the clip author's pixel count: 168.9 steps/min
    page = client.get(f"/assessments/{aid}")
    assert "Cadence" in page.text and "steps/min" in page.text
    video = client.get(f"/trials/{trial['id']}/video")
    assert video.status_code == 200 and video.content == CLIP.read_bytes()
    actions = {e.action for e in db_rows(settings, AuditEvent)}
    assert {"trial-uploaded", "viewed-assessment", "viewed-video"} <= actions


def test_served_type_is_the_probed_one_not_the_clients_claim(client: TestClient) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    # with keypoints to replay, so that closing the app does not wait a minute for the pose model
    files = {
        "video": ("page.html", CLIP.read_bytes(), "text/html"),
        "keypoints": (KEYPOINTS.name, KEYPOINTS.read_bytes(), "application/json"),
    }
    r = client.post(
        f"/assessments/{aid}/trials",
        data={"csrf_token": clinic.csrf},
        files=files,
        headers={"Accept": "application/json"},
    )
    video = client.get(f"/trials/{r.json()['trial']}/video")
    assert (
        video.headers["content-type"] == "video/mp4" and video.headers["x-content-type-options"] == "nosniff"
    )


def test_media_is_stored_under_random_ids_outside_static(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])
    media = db_rows(settings, Media)
    assert {m.kind for m in media} >= {"video", "keypoints"}
    for m in media:
        path = settings.media_root / m.id[:2] / m.id
        assert path.is_file() and len(m.id) == 32
        assert client.get(f"/static/{m.id}").status_code == 404
    assert not list((settings.media_root / "incoming").iterdir())


def test_upload_of_non_video_is_refused_with_a_clear_reason(client: TestClient, tmp_path: Path) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    fake = tmp_path / "holiday.mp4"
    fake.write_bytes(b"this is a text file named like a video\n" * 100)
    r = upload(client, clinic.csrf, aid, video=fake, keypoints=None)
    assert r.status_code == 422
    assert "cannot be read as a video" in r.json()["detail"] and "holiday.mp4" in r.json()["detail"]
    page = upload(client, clinic.csrf, aid, video=fake, keypoints=None, accept_json=False)
    assert page.status_code == 422 and "cannot be read as a video" in page.text
    assert client.get(f"/api/v1/assessments/{aid}").json()["trials"] == []


def test_upload_over_the_limit_is_refused(tmp_path: Path, db_url: str) -> None:
    settings = make_settings(tmp_path, db_url, upload_limit_mb=1)
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as c:
        clinic = sign_up(c)
        aid = add_assessment(clinic, add_athlete(clinic))
        r = upload(c, clinic.csrf, aid, keypoints=None)  # the clip is 1.9 MB
        assert r.status_code == 413 and "1 MB limit" in r.json()["detail"]
        assert not list((settings.media_root / "incoming").iterdir())
    app.state.engine.dispose()


def test_unknown_test_or_view_names_the_allowed_ones(client: TestClient) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    r = upload(client, clinic.csrf, aid, view="top")
    assert r.status_code == 422 and "view must be one of" in r.json()["detail"]


def test_failed_analysis_reports_the_reason(client: TestClient, tmp_path: Path) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    bad = tmp_path / "kp.json"
    bad.write_text('{"schema": "kinechain.keypoints/1", "landmarks": []}')
    trial = wait_job(client, upload(client, clinic.csrf, aid, keypoints=bad).json()["trial"])
    assert trial["job"]["state"] == "failed"
    assert "not a valid kinechain.keypoints/1 file" in trial["job"]["reason"]
    assert "Failed:" in client.get(f"/assessments/{aid}").text


def test_consultation_request_is_stored_for_the_clinic(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    athlete_id = add_athlete(clinic)
    aid = add_assessment(clinic, athlete_id)
    r = clinic.post(f"/assessments/{aid}/consult", message="Knee hurts after 5 km", contact="0123 456")
    assert r.status_code == 200 and "request sent" in r.text.lower()
    (req,) = db_rows(settings, ConsultationRequest)
    assert req.athlete_id == athlete_id and req.message == "Knee hurts after 5 km" and not req.emailed
    assert "Knee hurts after 5 km" in client.get("/clinic").text


def test_privacy_blur_and_delete_source(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    clinic.post("/clinic/settings", blur_faces="true", delete_source_videos="true")
    aid = add_assessment(clinic, add_athlete(clinic))
    trial = wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])
    assert trial["job"]["state"] == "done" and trial["has_video"] is False
    row = db_rows(settings, Trial)[0]
    assert row.video_id is None and row.keypoints_id is not None and row.result is not None
    videos = db_rows(settings, Media, kind="video")
    assert len(videos) == 2 and all(v.deleted is not None for v in videos)  # original and blurred copy
    assert not any((settings.media_root / v.id[:2] / v.id).exists() for v in videos)
    assert "deleted after analysis" in client.get(f"/assessments/{aid}").text
    assert client.get(f"/trials/{trial['id']}/video").status_code == 404
    assert client.get(f"/trials/{trial['id']}/keypoints").status_code == 200


def test_openapi_lists_the_json_api(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/v1/athletes", "/api/v1/assessments/{assessment_id}", "/api/v1/trials/{trial_id}"} <= set(
        paths
    )


def test_json_api_flow_with_csrf_header(client: TestClient) -> None:
    sign_up(client, email="api@clinic.org")
    token = client.get("/api/v1/csrf").json()["csrf_token"]
    assert client.post("/api/v1/athletes", json={"name": "No Header"}).status_code == 403
    headers = {"X-CSRF-Token": token}
    athlete = client.post(
        "/api/v1/athletes", json={"name": "Api Runner", "sex": "female"}, headers=headers
    ).json()
    a = client.post(
        f"/api/v1/athletes/{athlete['id']}/assessments", json={"date": "2025-04-01"}, headers=headers
    )
    assert a.status_code == 201 and a.json()["date"] == "2025-04-01"
    files = {
        "video": (CLIP.name, CLIP.read_bytes(), "video/mp4"),
        "keypoints": (KEYPOINTS.name, KEYPOINTS.read_bytes(), "application/json"),
    }
    url = f"/api/v1/assessments/{a.json()['id']}/trials"
    assert client.post(url, data={"test": "running", "view": "side"}, files=files).status_code == 403
    r = client.post(url, data={"test": "running", "view": "side"}, files=files, headers=headers)
    assert r.status_code == 201 and r.json()["job"]["state"] == "queued"
    assert wait_job(client, r.json()["id"])["job"]["state"] == "done"
    listed = client.get(f"/api/v1/athletes/{athlete['id']}/assessments").json()
    assert listed[0]["trials"][0]["result"]["schema_version"] == "kinechain.result/1"


def test_consultation_is_emailed_when_smtp_is_set(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[object] = []

    class Recorder:
        """Stands in for the SMTP server connection; records what would be sent."""

        def __init__(self, host: str, port: int, timeout: float) -> None:
            self.host, self.port = host, port

        def __enter__(self) -> Recorder:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def starttls(self) -> None:
            sent.append("starttls")

        def login(self, user: str, password: str) -> None:
            sent.append(("login", user))

        def send_message(self, msg: object) -> None:
            sent.append(msg)

    monkeypatch.setattr("smtplib.SMTP", Recorder)
    settings = make_settings(
        tmp_path, db_url, smtp_host="mail.clinic.test", smtp_from="app@clinic.test", smtp_user="app"
    )
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as c:
        clinic = sign_up(c, email="desk@clinic-a.org")
        aid = add_assessment(clinic, add_athlete(clinic, "Mo Runner"))
        clinic.post(f"/assessments/{aid}/consult", message="Sore after long runs; private detail", contact="")
    app.state.engine.dispose()
    msg = sent[-1]
    assert sent[:2] == ["starttls", ("login", "app")]
    assert msg["To"] == "desk@clinic-a.org" and "Mo Runner" in msg["Subject"]  # type: ignore[index]
    assert "private detail" not in msg.get_content()  # type: ignore[attr-defined]  # no health data in e-mail
    assert db_rows(settings, ConsultationRequest)[0].emailed is True


def test_in_process_jobs_left_running_resume_at_next_start(tmp_path: Path, db_url: str) -> None:
    from sqlalchemy import update

    from kinechain.store.models import Job

    settings = make_settings(tmp_path, db_url)
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as c:
        clinic = sign_up(c)
        aid = add_assessment(clinic, add_athlete(clinic))
        trial_id = wait_job(c, upload(c, clinic.csrf, aid).json()["trial"])["id"]
    engine = make_engine(settings.db_url)
    with engine.begin() as conn:  # as if the process had died in the middle of the analysis
        conn.execute(update(Job).values(state="running", progress=0.4, stage="pose", attempts=1))
    engine.dispose()
    app.state.engine.dispose()
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as c:
        c.post(
            "/login",
            data={"csrf_token": csrf_of(c), "email": "admin@clinic-a.org", "password": "correct horse"},
        )
        trial = wait_job(c, trial_id)
    app.state.engine.dispose()
    assert trial["job"]["state"] == "done" and trial["job"]["attempts"] == 2


def test_admin_erases_an_athlete_with_all_their_data(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    gone, kept = add_athlete(clinic, "Gone Runner"), add_athlete(clinic, "Kept Runner")
    for athlete in (gone, kept):
        aid = add_assessment(clinic, athlete)
        wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])
    clinic.post(f"/assessments/{aid}/consult", message="keep me")
    paths = {m.id: settings.media_root / m.id[:2] / m.id for m in db_rows(settings, Media)}
    assert clinic.post(f"/athletes/{gone}/delete", confirm="wrong name").status_code == 422
    r = clinic.post(f"/athletes/{gone}/delete", confirm="Gone Runner")
    assert r.status_code == 200 and r.url.path == "/athletes" and "Gone Runner" not in r.text
    left = {m.id for m in db_rows(settings, Media)}
    removed = set(paths) - left
    assert removed and not any(paths[i].exists() for i in removed)
    assert all(paths[i].exists() for i in left)
    (trial,) = db_rows(settings, Trial)  # the other athlete's trial and its files are untouched
    assert {trial.video_id, trial.keypoints_id} <= left
    assert client.get(f"/athletes/{gone}").status_code == 404
    assert len(db_rows(settings, ConsultationRequest)) == 1
    assert "athlete-deleted" in client.get("/clinic").text


def test_admin_deactivates_an_account(client: TestClient) -> None:
    clinic = sign_up(client)
    athlete_id = add_athlete(clinic, "Ex Client", "ex@runner.org")
    r = clinic.post(f"/athletes/{athlete_id}/invite")
    path = r.text.split('value="https://testserver', 1)[1].split('"')[0]
    runner = TestClient(client.app, base_url="https://testserver")
    runner.post(
        path,
        data={
            "csrf_token": csrf_of(runner),
            "name": "Ex",
            "email": "ex@runner.org",
            "password": "athlete pw 1",
        },
    )
    assert runner.get("/api/v1/me").status_code == 200
    me = client.get("/api/v1/me").json()
    users = db_rows(client.app.state.settings, User)  # type: ignore[attr-defined]
    ex = next(u for u in users if u.email == "ex@runner.org")
    assert clinic.post(f"/clinic/users/{me['id']}/deactivate").status_code == 404  # not oneself
    clinic.post(f"/clinic/users/{ex.id}/deactivate")
    assert runner.get("/api/v1/me").status_code == 401  # sessions ended
    token = csrf_of(runner)
    r = runner.post(
        "/login", data={"csrf_token": token, "email": "ex@runner.org", "password": "athlete pw 1"}
    )
    assert r.status_code == 401
