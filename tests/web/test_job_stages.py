"""The analysis job stores the result before it draws the overlay video, so the findings show
meanwhile; running a job again replaces its earlier outputs instead of leaving them behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from kinechain.config import Settings
from kinechain.jobs import analysis
from kinechain.jobs.analysis import JobContext, run_job
from kinechain.model.result import Analysis
from kinechain.store.db import make_engine, session_factory
from kinechain.store.models import Media, Trial

from .conftest import add_assessment, add_athlete, requeue_job, sign_up, upload, wait_job


def _live_media(settings: Settings) -> tuple[set[str], set[str]]:
    """(media ids not marked deleted, names of files in the media store)."""
    engine = make_engine(settings.db_url)
    with session_factory(engine)() as s:
        ids = set(s.scalars(select(Media.id).where(Media.deleted.is_(None))))
    engine.dispose()
    return ids, {p.name for p in settings.media_root.rglob("*") if p.is_file() and "incoming" not in p.parts}


def _trial_row(settings: Settings, trial_id: int) -> tuple[bool, str | None, str]:
    """(result stored, overlay media id, job state) as another reader sees them."""
    engine = make_engine(settings.db_url)
    with session_factory(engine)() as s:
        trial = s.get(Trial, trial_id)
        assert trial is not None and trial.job is not None
        row = (trial.result is not None, trial.overlay_id, trial.job.state)
    engine.dispose()
    return row


def test_findings_are_stored_before_the_overlay_and_a_rerun_replaces_the_outputs(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    trial = wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])
    first_ids, first_files = _live_media(settings)
    seen: list[tuple[bool, str | None, str, dict[str, object]]] = []

    def overlay_after_findings(ctx: JobContext, a: Analysis, progress: object) -> Path:
        status = client.get(f"/trials/{trial['id']}/status").json()
        seen.append((*_trial_row(settings, trial["id"]), status))
        tmp = ctx.media.temp_path(".mp4")
        tmp.write_bytes(b"stand-in overlay")
        return tmp

    monkeypatch.setattr(analysis, "_overlay_file", overlay_after_findings)
    requeue_job(settings, trial["job"]["id"])
    assert run_job(JobContext.from_settings(settings), trial["job"]["id"]) == "done"
    stored, overlay, state, status = seen[0]
    assert stored and overlay is None and state == "running"
    assert status["findings"] is True and status["state"] == "running"
    page = client.get(f"/assessments/{aid}").text
    assert 'data-findings="1"' in page and "/overlay" in page
    ids, files = _live_media(settings)
    assert len(ids) == len(first_ids) + 1  # the same outputs, and the overlay the first run had not
    assert len(files) == len(first_files) + 1
    assert len(ids - first_ids) == len(first_ids - ids) + 1 >= 2  # keypoints (and key frames) replaced
