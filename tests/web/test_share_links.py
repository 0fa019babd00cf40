"""Share links: random hashed tokens, id reuse, list and withdraw, and a report that is an allow-list.

Fault 1 of issue 14: a token named only its link's row id, and SQLite reuses a freed id, so a
token clinic A had shared, after A deleted it, opened the report clinic B shared later.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select, text

from kinechain.store.db import make_engine
from kinechain.store.models import ShareLink
from kinechain.web.security import token_hash

from .conftest import Clinic, add_assessment, add_athlete, csrf_of, sign_up, upload, wait_job


def _share(clinic: Clinic, assessment_id: int) -> str:
    r = clinic.c.post(f"/assessments/{assessment_id}/share", data={"csrf_token": clinic.csrf})
    assert r.status_code == 200, r.text[:300]
    return re.search(r'value="https://testserver/share/([^"]+)"', r.text).group(1)  # type: ignore[union-attr]


def _links(clinic: Clinic, assessment_id: int) -> list[dict]:  # type: ignore[type-arg]
    r = clinic.c.get(f"/api/v1/assessments/{assessment_id}/share-links")
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _anon(client: TestClient) -> TestClient:
    return TestClient(client.app, base_url="https://testserver")


def test_token_is_random_256_bits_and_only_its_hash_is_stored(client: TestClient) -> None:
    a = sign_up(client)
    assessment = add_assessment(a, add_athlete(a))
    token = _share(a, assessment)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 32 bytes from secrets, base64url: 256 bits
    engine = make_engine(client.app.state.settings.db_url)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        rows = conn.execute(select(ShareLink.token_hash)).scalars().all()
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM share_link")) for v in row)
    engine.dispose()
    assert rows == [token_hash(token)] and token not in dump


def test_a_deleted_links_token_never_opens_a_link_that_reuses_its_id(client: TestClient) -> None:
    """Clinic A shares, then erases the athlete; clinic B's new link gets the same row id."""
    a = sign_up(client, email="admin@a.org", clinic="Clinic A")
    b = sign_up(_anon(client), email="admin@b.org", clinic="Clinic B")
    athlete_a = add_athlete(a, "Alice A")
    token_a = _share(a, add_assessment(a, athlete_a))
    engine = make_engine(client.app.state.settings.db_url)  # type: ignore[attr-defined]
    with engine.connect() as conn:
        link_id = conn.execute(select(ShareLink.id)).scalar_one()
    r = a.post(f"/athletes/{athlete_a}/delete", confirm="Alice A")
    assert r.status_code == 200 and r.url.path == "/athletes"  # type: ignore[attr-defined]
    if engine.dialect.name == "postgresql":  # PostgreSQL never reuses ids by itself: make it
        with engine.begin() as conn:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('share_link', 'id'), :v, false)"), {"v": link_id}
            )
    assessment_b = add_assessment(b, add_athlete(b, "Bob B"))
    token_b = _share(b, assessment_b)
    with engine.connect() as conn:
        assert conn.execute(select(ShareLink.id)).scalar_one() == link_id  # the id was reused
    engine.dispose()
    anon = _anon(client)
    for url in (f"/share/{token_a}", f"/api/v1/share/{token_a}"):
        r = anon.get(url)
        assert r.status_code == 404 and "Bob B" not in r.text, url
    assert anon.get(f"/api/v1/share/{token_b}").json()["athlete"] == "Bob B"


def test_links_are_listed_with_their_opens_and_can_be_withdrawn(client: TestClient) -> None:
    a = sign_up(client)
    assessment = add_assessment(a, add_athlete(a))
    first, second = _share(a, assessment), _share(a, assessment)
    anon = _anon(client)
    assert anon.get(f"/share/{first}").status_code == 200
    assert anon.get(f"/api/v1/share/{first}").status_code == 200
    rows = _links(a, assessment)
    assert [(r["opens"], r["live"], r["revoked"]) for r in rows] == [(0, True, False), (2, True, False)]
    assert rows[1]["last_opened"] is not None and rows[0]["last_opened"] is None
    page = a.c.get(f"/assessments/{assessment}").text
    assert 'data-testid="share-links"' in page and page.count(">Withdraw</button>") == 2
    r = a.post(f"/assessments/{assessment}/share-links/{rows[1]['id']}/revoke")
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert anon.get(f"/share/{first}").status_code == 404
    assert anon.get(f"/share/{second}").status_code == 200
    r = a.c.post(
        f"/api/v1/assessments/{assessment}/share-links/{rows[0]['id']}/revoke",
        headers={"X-CSRF-Token": a.csrf},
    )
    assert r.status_code == 200 and r.json()["revoked"] is True and r.json()["live"] is False
    assert anon.get(f"/api/v1/share/{second}").status_code == 404
    assert [r["live"] for r in _links(a, assessment)] == [False, False]
    assert "share-link-revoked" in a.c.get("/clinic").text


def test_another_clinic_can_neither_list_nor_withdraw_links(client: TestClient) -> None:
    a = sign_up(client, email="admin@a.org", clinic="Clinic A")
    b = sign_up(_anon(client), email="admin@b.org", clinic="Clinic B")
    assessment = add_assessment(a, add_athlete(a))
    token = _share(a, assessment)
    link_id = _links(a, assessment)[0]["id"]
    own = add_assessment(b, add_athlete(b))
    assert b.c.get(f"/api/v1/assessments/{assessment}/share-links").status_code == 404
    assert b.post(f"/assessments/{assessment}/share-links/{link_id}/revoke").status_code == 404  # type: ignore[attr-defined]
    assert b.post(f"/assessments/{own}/share-links/{link_id}/revoke").status_code == 404  # type: ignore[attr-defined]
    assert _anon(client).get(f"/share/{token}").status_code == 200


def test_shared_report_is_an_allow_list(client: TestClient) -> None:
    """No private notes, no row or file ids, no file names or paths; just the report."""
    a = sign_up(client)
    athlete = add_athlete(a, "Carla Runner")
    r = a.c.post(
        f"/api/v1/athletes/{athlete}/assessments",
        json={"date": "2025-03-01", "notes": "PRIVATE-NOTE knee surgery 2019"},
        headers={"X-CSRF-Token": a.csrf},
    )
    assessment = r.json()["id"]
    trial = wait_job(a.c, upload(a.c, a.csrf, assessment).json()["trial"])
    assert trial["job"]["state"] == "done"
    token = _share(a, assessment)
    anon = _anon(client)
    data = anon.get(f"/api/v1/share/{token}").json()
    assert set(data) == {
        "athlete",
        "date",
        "stopped",
        "findings",
        "findings_missing",
        "plan",
        "plan_missing",
        "clips",
    }
    assert data["athlete"] == "Carla Runner" and data["clips"][0]["status"] == "analysed"
    assert any(m["name"] == "Cadence" and m["value"] for m in data["clips"][0]["measures"])
    page = anon.get(f"/share/{token}").text
    media_dir = str(client.app.state.settings.media_root)  # type: ignore[attr-defined]
    for body in (str(data), page):
        assert "PRIVATE-NOTE" not in body and "male_side" not in body and media_dir not in body
        assert f"/trials/{trial['id']}" not in body and f"trial-{trial['id']}" not in body
        assert "/assessments/" not in body and 'name="csrf_token"' not in body
        assert not re.search(r"\b[0-9a-f]{32}\b", body)  # no media ids
    assert "Cadence" in page and "Carla Runner" in page


def test_csrf_is_needed_to_withdraw(client: TestClient) -> None:
    a = sign_up(client)
    assessment = add_assessment(a, add_athlete(a))
    _share(a, assessment)
    link_id = _links(a, assessment)[0]["id"]
    r = a.c.post(
        f"/assessments/{assessment}/share-links/{link_id}/revoke", data={"csrf_token": "x" + csrf_of(a.c)}
    )
    assert r.status_code == 403 and _links(a, assessment)[0]["live"] is True
