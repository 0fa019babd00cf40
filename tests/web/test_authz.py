"""Authorization matrix: athletes see only themselves, clinics only their own data, share links expire."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from kinechain.store.db import make_engine
from kinechain.store.models import ShareLink, utcnow
from kinechain.web.security import new_token

from .conftest import add_assessment, add_athlete, csrf_of, sign_up, upload, wait_job


@dataclass
class World:
    """Two clinics; clinic A has athletes A1 (signed in separately) and A2; clinic B has B1."""

    admin_a: TestClient
    admin_b: TestClient
    athlete_a1: TestClient
    ids: dict[str, int]


def _join(app: object, admin_csrf: str, admin: TestClient, athlete_id: int, email: str) -> TestClient:
    r = admin.post(f"/athletes/{athlete_id}/invite", data={"csrf_token": admin_csrf})
    path = re.search(r'value="https://testserver(/invite/[^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    c = TestClient(app, base_url="https://testserver")  # type: ignore[arg-type]
    c.post(path, data={"csrf_token": csrf_of(c), "name": email, "email": email, "password": "athlete pw 1"})
    return c


@pytest.fixture
def world(client: TestClient) -> World:
    app = client.app
    a = sign_up(client, email="admin@a.org", clinic="Clinic A")
    b = sign_up(TestClient(app, base_url="https://testserver"), email="admin@b.org", clinic="Clinic B")  # type: ignore[arg-type]
    ids = {"A1": add_athlete(a, "A one"), "A2": add_athlete(a, "A two"), "B1": add_athlete(b, "B one")}
    ids["asA1"], ids["asA2"] = add_assessment(a, ids["A1"]), add_assessment(a, ids["A2"])
    ids["asB1"] = add_assessment(b, ids["B1"])
    for key, clinic in (("A1", a), ("A2", a), ("B1", b)):
        r = upload(clinic.c, clinic.csrf, ids[f"as{key}"])
        ids[f"tr{key}"] = wait_job(clinic.c, r.json()["trial"])["id"]
    athlete = _join(app, a.csrf, client, ids["A1"], "a1@runner.org")
    return World(client, b.c, athlete, ids)


def _urls(ids: dict[str, int], key: str) -> list[str]:
    return [
        f"/athletes/{ids[key]}",
        f"/api/v1/athletes/{ids[key]}",
        f"/api/v1/athletes/{ids[key]}/assessments",
        f"/assessments/{ids['as' + key]}",
        f"/api/v1/assessments/{ids['as' + key]}",
        f"/api/v1/trials/{ids['tr' + key]}",
        f"/trials/{ids['tr' + key]}/video",
        f"/trials/{ids['tr' + key]}/keypoints",
        f"/trials/{ids['tr' + key]}/status",
    ]


def test_matrix(world: World) -> None:
    allowed = {
        "admin_a": ("A1", "A2"),
        "admin_b": ("B1",),
        "athlete_a1": ("A1",),
    }
    for who, visible in allowed.items():
        c: TestClient = getattr(world, who)
        for key in ("A1", "A2", "B1"):
            for url in _urls(world.ids, key):
                status = c.get(url, follow_redirects=False).status_code
                expected = 200 if key in visible else 404
                assert status == expected, f"{who} GET {url}: {status}, expected {expected}"


def test_cross_clinic_writes_are_refused(world: World) -> None:
    ids, b = world.ids, world.admin_b
    token = csrf_of(b)
    assert b.post(f"/athletes/{ids['A1']}/assessments", data={"csrf_token": token}).status_code == 404
    assert b.post(f"/assessments/{ids['asA1']}/share", data={"csrf_token": token}).status_code == 404
    assert upload(b, token, ids["asA1"]).status_code == 404
    assert b.post(f"/athletes/{ids['A1']}/invite", data={"csrf_token": token}).status_code == 404


def test_athlete_cannot_act_as_staff(world: World) -> None:
    c, ids = world.athlete_a1, world.ids
    token = csrf_of(c)
    assert c.post("/athletes", data={"csrf_token": token, "name": "X"}).status_code == 403
    assert c.post(f"/athletes/{ids['A1']}/invite", data={"csrf_token": token}).status_code == 403
    assert c.get("/clinic").status_code == 403
    assert c.post("/clinic/settings", data={"csrf_token": token, "blur_faces": "true"}).status_code == 403
    assert [a["id"] for a in c.get("/api/v1/athletes").json()] == [ids["A1"]]


def test_signed_out_visitors_see_nothing(world: World, client: TestClient) -> None:
    anon = TestClient(client.app, base_url="https://testserver")
    for url in _urls(world.ids, "A1"):
        r = anon.get(url, follow_redirects=False)
        assert r.status_code in (303, 401), url
        if r.status_code == 303:
            assert r.headers["location"].startswith("/login")


def _share(c: TestClient, assessment_id: int) -> str:
    r = c.post(f"/assessments/{assessment_id}/share", data={"csrf_token": csrf_of(c)})
    return re.search(r'value="https://testserver/share/([^"]+)"', r.text).group(1)  # type: ignore[union-attr]


def test_share_link_is_read_only_and_expires(world: World, client: TestClient) -> None:
    token = _share(world.admin_a, world.ids["asA1"])
    anon = TestClient(client.app, base_url="https://testserver")
    page = anon.get(f"/share/{token}")
    assert page.status_code == 200 and "Read-only shared report" in page.text and "Cadence" in page.text
    assert 'action="/assessments' not in page.text  # no forms of the clinic's page
    assert anon.get(f"/api/v1/share/{token}").json()["athlete"] == "A one"
    assert anon.get(f"/trials/{world.ids['trA1']}/video", follow_redirects=False).status_code == 303
    engine = make_engine(client.app.state.settings.db_url)  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(update(ShareLink).values(expires=utcnow() - timedelta(seconds=1)))
    engine.dispose()
    r = anon.get(f"/share/{token}")
    assert r.status_code == 404 and "expired" in r.text
    assert anon.get(f"/api/v1/share/{token}").status_code == 404


def test_forged_or_old_share_tokens_are_refused(world: World, client: TestClient) -> None:
    anon = TestClient(client.app, base_url="https://testserver")
    assert anon.get(f"/share/{new_token()}").status_code == 404
    token = _share(world.admin_a, world.ids["asA1"])
    assert anon.get(f"/share/{token}").status_code == 200
    assert anon.get(f"/share/{token[:-2]}xx").status_code == 404
    assert anon.get(f"/share/{token[:-1]}").status_code == 404
    # the format of the old signed tokens, which named only the row id
    assert anon.get("/share/eyJsaW5rIjoxfQ.Z0x0aA.abcdefghijklmnopqrstuvwxyz0").status_code == 404


def test_shared_views_are_audited(world: World, client: TestClient) -> None:
    token = _share(world.admin_a, world.ids["asA1"])
    TestClient(client.app, base_url="https://testserver").get(f"/share/{token}")
    log = world.admin_a.get("/clinic").text
    assert "viewed-shared-report" in log and "share-link-created" in log
    assert "viewed-shared-report" not in world.admin_b.get("/clinic").text
