"""Deleting a clip, assessment or athlete while its analysis runs (issue 14): the job notices, stops,
and leaves no media row and no file behind, whether the deletion lands during pose estimation or
after it, just before the outputs are stored."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kinechain.config import Settings
from kinechain.jobs import analysis
from kinechain.jobs.analysis import JobContext, run_job
from kinechain.store.db import make_engine, session_factory
from kinechain.store.models import Media

from .conftest import Clinic, add_assessment, add_athlete, csrf_of, requeue_job, sign_up, upload, wait_job


def _media_ids(settings: Settings) -> set[str]:
    engine = make_engine(settings.db_url)
    with session_factory(engine)() as s:
        ids = set(s.scalars(select(Media.id)))
    engine.dispose()
    return ids


def _files(settings: Settings) -> list[Path]:
    return [p for p in settings.media_root.rglob("*") if p.is_file()]


def _deleters(
    client: TestClient, clinic: Clinic, athlete: int, aid: int, trial: int
) -> dict[str, Callable[[], None]]:
    headers = {"X-CSRF-Token": csrf_of(client)}
    return {
        "clip": lambda: clinic.post(f"/trials/{trial}/delete", confirm="delete"),
        "assessment": lambda: client.delete(f"/api/v1/assessments/{aid}", headers=headers),
        "athlete": lambda: clinic.post(f"/athletes/{athlete}/delete", confirm="Ben Runner"),
    }


@pytest.mark.parametrize("what", ["clip", "assessment", "athlete"])
@pytest.mark.parametrize(
    "when", ["during pose estimation", "before the outputs are stored", "while the overlay is drawn"]
)
def test_deleting_while_the_analysis_runs_leaves_no_file(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch, what: str, when: str
) -> None:
    clinic = sign_up(client)
    athlete = add_athlete(clinic)
    aid = add_assessment(clinic, athlete)
    trial = wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])
    assert trial["job"]["state"] == "done" and _files(settings)
    delete = _deleters(client, clinic, athlete, aid, trial["id"])[what]
    real, real_overlay = analysis.analyze, analysis._overlay_file

    def deleted_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        if when == "during pose estimation":
            delete()
            kwargs["progress"]("pose", 1, 10)
        result = real(*args, **kwargs)
        if when != "while the overlay is drawn":
            delete()
        return result

    def deleted_while_drawing(*args, **kwargs):  # type: ignore[no-untyped-def]
        delete()  # the result is stored by now: the deletion removes it with the clip
        return real_overlay(*args, **kwargs)

    monkeypatch.setattr(analysis, "analyze", deleted_meanwhile)
    if when == "while the overlay is drawn":
        monkeypatch.setattr(analysis, "_overlay_file", deleted_while_drawing)
    requeue_job(settings, trial["job"]["id"])
    assert run_job(JobContext.from_settings(settings), trial["job"]["id"]) == "cancelled"
    assert _media_ids(settings) == set() and _files(settings) == []
    assert client.get(f"/api/v1/trials/{trial['id']}").status_code == 404
