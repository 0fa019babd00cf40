"""Pages and their JSON API twins authorise and audit through one place (kinechain.web.access).

Each use case writes one audit event with the same action and detail whichever door it came
through, and the event records where the request came from.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from kinechain.config import Settings
from kinechain.store.db import make_engine, session_factory
from kinechain.store.models import AuditEvent

from .conftest import add_assessment, add_athlete, sign_up


def _events(settings: Settings, action: str) -> list[tuple[int | None, str, str | None]]:
    engine = make_engine(settings.db_url)
    with session_factory(engine)() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        out = [(e.athlete_id, e.detail, e.client) for e in rows]
    engine.dispose()
    return out


def test_page_and_api_audit_a_new_assessment_alike(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    athlete = add_athlete(clinic)
    page_id = add_assessment(clinic, athlete)
    r = client.post(
        f"/api/v1/athletes/{athlete}/assessments", json={"notes": ""}, headers={"X-CSRF-Token": clinic.csrf}
    )
    assert r.status_code == 201
    api_id = r.json()["id"]
    assert _events(settings, "assessment-created") == [
        (athlete, f"assessment {page_id}", "testclient"),
        (athlete, f"assessment {api_id}", "testclient"),
    ]


def test_edits_and_share_links_record_the_client(client: TestClient, settings: Settings) -> None:
    clinic = sign_up(client)
    athlete = add_athlete(clinic)
    aid = add_assessment(clinic, athlete)
    headers = {"X-CSRF-Token": clinic.csrf}
    assert clinic.post(f"/assessments/{aid}/edit", date="2025-03-02", notes="n").status_code == 200  # type: ignore[attr-defined]
    assert client.put(f"/api/v1/assessments/{aid}", json={"notes": "m"}, headers=headers).status_code == 200
    assert clinic.post(f"/assessments/{aid}/share").status_code == 200  # type: ignore[attr-defined]
    assert client.post(f"/api/v1/assessments/{aid}/share", headers=headers).status_code == 200
    edited = _events(settings, "assessment-edited")
    assert edited == [(athlete, f"assessment {aid}", "testclient")] * 2
    shared = _events(settings, "share-link-created")
    assert [(a, d.split(",")[0], c) for a, d, c in shared] == [
        (athlete, f"assessment {aid}", "testclient")
    ] * 2
