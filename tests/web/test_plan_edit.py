"""The plan tab (education first, sign-off state, referral only after a red flag) and the plan editor:
edits, order, notes and sign-off through the HTML form and the JSON API, audited, CSRF-checked;
the schema migration 0003 that stores them (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import inspect

from kinechain.store.db import current_revision, make_engine, upgrade

from .conftest import Clinic, intake_form, post_form, reset_postgres
from .test_findings import _analysed as analysed


def _planned(client: TestClient, **intake: object) -> tuple[Clinic, int]:
    clinic, aid, _ = analysed(client)
    r = post_form(client, f"/assessments/{aid}/intake", intake_form(clinic.csrf, **intake))
    assert r.status_code == 200, r.text[:300]
    return clinic, aid


def _rows(page: str) -> list[str]:
    """The exercise ids selected in the editor's rows, in order."""
    return re.findall(r'<option value="([a-z_]+)" selected>', page)


def _plan_form(clinic: Clinic, page: str, **change: str) -> list[tuple[str, str]]:
    """The editor's form as shown (selected exercises, values), with ``change`` applied."""
    form = [("csrf_token", clinic.csrf)]
    for i, ex in enumerate(_rows(page)):
        form.append((f"items.{i}.id", ex))
        for key in (
            "order",
            "sets",
            "reps",
            "hold_s",
            "minutes",
            "days_per_week",
            "rest_s",
            "intensity",
            "note",
        ):
            m = re.search(rf'name="items\.{i}\.{key}"[^>]*value="([^"]*)"', page)
            form.append((f"items.{i}.{key}", m.group(1) if m else ""))
    changed = dict(form) | change
    return list(changed.items())


def test_plan_tab_shows_education_first_and_that_it_is_unsigned(client: TestClient) -> None:
    _, aid = _planned(client)
    page = client.get(f"/assessments/{aid}").text
    education = page.index('data-testid="plan-education"')
    assert education < page.index('<ul class="plan">') and "Not yet signed by a clinician." in page
    assert f'href="/assessments/{aid}/plan"' in page


def test_red_flag_shows_the_referral_only_and_the_plan_cannot_be_edited(client: TestClient) -> None:
    clinic, aid, _ = analysed(client)
    form = [(k, "yes" if k == "red_flags.hot_swollen_unwell" else v) for k, v in intake_form(clinic.csrf)]
    page = post_form(client, f"/assessments/{aid}/intake", form).text
    referral = page[page.index("Exercise plan</h3>") :]
    assert 'data-testid="plan-referral"' in referral and "not made an exercise or running plan" in referral
    for absent in ("plan-education", "Pain rule:", "weeks from", "plan-signoff", f"/assessments/{aid}/plan"):
        assert absent not in referral, absent
    r = client.get(f"/assessments/{aid}/plan")
    assert r.status_code == 409 and "stopped by a red flag" in r.text
    r = post_form(
        client, f"/assessments/{aid}/plan", [("csrf_token", clinic.csrf), ("items.0.id", "side_plank")]
    )
    assert r.status_code == 422 and "stopped by a red flag" in r.text


def test_clinician_edits_reorders_and_signs_the_plan_in_the_form(client: TestClient) -> None:
    clinic, aid = _planned(client)
    editor = client.get(f"/assessments/{aid}/plan")
    assert editor.status_code == 200 and "Not yet signed by a clinician." in editor.text
    first, second = _rows(editor.text)[:2]
    change = {
        "items.0.order": "2",
        "items.1.order": "1",
        "items.0.sets": "4",
        "items.0.note": "slow lowering",
    }
    form = _plan_form(clinic, editor.text, **change, notes="Retest in six weeks.")
    form += [("items.9.id", "calf_raise"), ("items.9.order", "9"), ("items.9.sets", "3")]
    r = post_form(client, f"/assessments/{aid}/plan", [*form, ("action", "save")])
    assert r.status_code == 200 and r.url.path == f"/assessments/{aid}", r.text[:300]
    editor = client.get(f"/assessments/{aid}/plan").text
    assert _rows(editor)[:2] == [second, first] and _rows(editor)[-1] == "calf_raise"
    assert (
        'name="items.1.sets" inputmode="numeric" size="3" value="4"' in editor and "slow lowering" in editor
    )
    page = client.get(f"/assessments/{aid}").text
    assert "edited by the clinician" in page and "added by the clinician" in page
    assert "Retest in six weeks." in page and "Not yet signed by a clinician." in page
    r = post_form(client, f"/assessments/{aid}/plan", [*_plan_form(clinic, editor), ("action", "sign")])
    assert r.status_code == 200
    page = client.get(f"/assessments/{aid}").text
    assert re.search(r"Signed by Ada Admin on \d{4}-\d\d-\d\d \d\d:\d\d UTC\.", page)
    pdf = client.get(f"/assessments/{aid}/report.pdf").content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Reviewed and signed by Ada Admin on" in text and "slow lowering" in text
    # saving without a change keeps the signature; a changed dose removes it
    post_form(client, f"/assessments/{aid}/plan", [*_plan_form(clinic, editor), ("action", "save")])
    assert "Signed by Ada Admin" in client.get(f"/assessments/{aid}").text
    form = [*_plan_form(clinic, editor, **{"items.0.sets": "2"}), ("action", "save")]
    post_form(client, f"/assessments/{aid}/plan", form)
    assert "Not yet signed by a clinician." in client.get(f"/assessments/{aid}").text
    log = client.get("/clinic").text
    assert "plan-edited" in log and "plan-signed" in log


def test_bad_plan_is_refused_in_one_sentence_and_nothing_is_saved(client: TestClient) -> None:
    clinic, aid = _planned(client)
    editor = client.get(f"/assessments/{aid}/plan").text
    form = [*_plan_form(clinic, editor, **{"items.0.sets": "99", "items.1.reps": "many"}), ("action", "save")]
    r = post_form(client, f"/assessments/{aid}/plan", form)
    assert r.status_code == 422 and r.text.count('role="alert"') == 1
    msg = re.search(r'role="alert">([^<]+)<', r.text).group(1)  # type: ignore[union-attr]
    assert (
        msg.startswith("the plan cannot be saved: exercise 1 (") and "sets: Input should be less than" in msg
    )
    assert "exercise 2 (" in msg and msg.endswith("correct it and save again.")
    assert client.get(f"/api/v1/assessments/{aid}/plan").json()["edited"] is False
    r = post_form(client, f"/assessments/{aid}/plan", [(k, v) for k, v in form if k != "csrf_token"])
    assert r.status_code == 403


def test_plan_api_edit_sign_and_reset(client: TestClient) -> None:
    clinic, aid = _planned(client)
    url = f"/api/v1/assessments/{aid}/plan"
    got: dict[str, Any] = client.get(url).json()
    assert got["edited"] is False and got["signed_by"] is None and len(got["plan"]["items"]) >= 2
    items = list(reversed(got["plan"]["items"]))
    items[0] = {**items[0], "reps": 12, "note": "pain at most 3/10"}
    body = {"items": items, "notes": "call me"}
    assert client.put(url, json=body).status_code == 403  # no CSRF header
    headers = {"X-CSRF-Token": clinic.csrf}
    saved = client.put(url, json=body, headers=headers).json()
    assert saved["edited"] and [i["id"] for i in saved["plan"]["items"]] == [i["id"] for i in items]
    bad = client.put(url, json={"items": [{"id": "moon_walk"}]}, headers=headers)
    assert bad.status_code == 422 and "unknown exercise 'moon_walk'" in bad.json()["detail"]
    signed = client.post(f"{url}/sign", headers=headers).json()
    assert signed["signed_by"] == "Ada Admin" and signed["plan"]["content_sha256"]
    assert "Signed by Ada Admin" in client.get(f"/assessments/{aid}").text
    reset = client.delete(url, headers=headers).json()
    assert reset["edited"] is False and reset["signed_by"] is None
    assert "plan-reset" in client.get("/clinic").text


def test_migration_0003_upgrades_from_0002(db_url: str) -> None:
    if db_url.startswith("sqlite"):  # the fixture's database is already at head: start from none
        Path(db_url.removeprefix("sqlite:///")).unlink()
    else:
        reset_postgres(db_url)
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0002")
        assert "plan_edits" not in {c["name"] for c in inspect(engine).get_columns("assessment")}
        upgrade(engine)
        assert current_revision(engine) == "0003"
        assert "plan_edits" in {c["name"] for c in inspect(engine).get_columns("assessment")}
    finally:
        engine.dispose()
