"""Heartbeats and the reaper (issue 14 fault 3): a dead worker's job is queued again in about a minute,
a job alive elsewhere is left alone, a job that keeps losing its worker fails with a clear reason,
and a failed analysis can be retried. The kill test with real workers is in test_jobs_celery.py."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kinechain.jobs.analysis import JobContext, run_job
from kinechain.jobs.heartbeat import GAVE_UP, MAX_ATTEMPTS, STALE_S, Heartbeat, requeue_stale
from kinechain.store.db import make_engine, session_factory
from kinechain.store.models import Job, utcnow

from .conftest import add_assessment, add_athlete, sign_up, upload, wait_job


def _sessions(client: TestClient) -> sessionmaker[Session]:
    return session_factory(make_engine(client.app.state.settings.db_url))  # type: ignore[attr-defined]


def _done_job(client: TestClient) -> tuple[int, int]:
    """A clinic with one analysed trial; return (trial id, job id)."""
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    trial = wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])
    assert trial["job"]["state"] == "done"
    return trial["id"], trial["job"]["id"]


def _set(sessions: sessionmaker[Session], job_id: int, **values: object) -> None:
    with sessions() as s:
        job = s.get(Job, job_id)
        assert job is not None
        for k, v in values.items():
            setattr(job, k, v)
        s.commit()


def _get(sessions: sessionmaker[Session], job_id: int) -> Job:
    with sessions() as s:
        job = s.get(Job, job_id)
        assert job is not None
        s.expunge(job)
        return job


def test_a_silent_running_job_is_queued_again_once(client: TestClient) -> None:
    _, job_id = _done_job(client)
    sessions = _sessions(client)
    fresh = utcnow() - timedelta(seconds=STALE_S / 3)
    _set(sessions, job_id, state="running", attempts=1, heartbeat=fresh)
    submitted: list[int] = []
    assert requeue_stale(sessions, submitted.append) == [] and _get(sessions, job_id).state == "running"
    _set(sessions, job_id, heartbeat=utcnow() - timedelta(seconds=STALE_S + 5))
    assert requeue_stale(sessions, submitted.append) == [job_id]
    assert requeue_stale(sessions, submitted.append) == []  # a second reaper finds nothing to do
    assert submitted == [job_id] and _get(sessions, job_id).state == "queued"


def test_a_job_that_keeps_losing_its_worker_fails_with_a_reason_and_can_be_retried(
    client: TestClient,
) -> None:
    trial_id, job_id = _done_job(client)
    sessions = _sessions(client)
    stale = utcnow() - timedelta(seconds=STALE_S + 5)
    _set(sessions, job_id, state="running", attempts=MAX_ATTEMPTS, heartbeat=stale)
    submitted: list[int] = []
    assert requeue_stale(sessions, submitted.append) == [] and submitted == []
    job = _get(sessions, job_id)
    assert job.state == "failed" and job.reason == GAVE_UP.format(n=MAX_ATTEMPTS)
    trial = client.get(f"/api/v1/trials/{trial_id}").json()
    assert trial["job"]["state"] == "failed" and "worker stopped" in trial["job"]["reason"]
    csrf = client.cookies.get("__Host-kc_csrf")
    r = client.post(f"/api/v1/trials/{trial_id}/retry", headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200 and r.json()["job"]["state"] == "queued"
    done = wait_job(client, trial_id)
    assert done["job"]["state"] == "done" and done["job"]["attempts"] == 1
    again = client.post(f"/api/v1/trials/{trial_id}/retry", headers={"X-CSRF-Token": csrf})
    assert again.status_code == 404  # only a failed analysis can be retried


def test_a_second_delivery_of_a_job_alive_elsewhere_does_nothing(client: TestClient) -> None:
    _, job_id = _done_job(client)
    sessions = _sessions(client)
    _set(sessions, job_id, state="running", attempts=1, heartbeat=utcnow())
    ctx = JobContext(client.app.state.settings, sessions, client.app.state.media)  # type: ignore[attr-defined]
    assert run_job(ctx, job_id) == "skipped"
    assert _get(sessions, job_id).attempts == 1
    _set(sessions, job_id, heartbeat=utcnow() - timedelta(seconds=STALE_S + 5))
    assert run_job(ctx, job_id) == "done" and _get(sessions, job_id).attempts == 2


def test_the_heartbeat_thread_beats_while_the_job_runs(client: TestClient) -> None:
    _, job_id = _done_job(client)
    sessions = _sessions(client)
    old = utcnow() - timedelta(hours=1)
    _set(sessions, job_id, state="running", heartbeat=old)
    import time

    with Heartbeat(sessions, job_id, interval_s=0.1):
        time.sleep(0.5)
    beat = _get(sessions, job_id).heartbeat
    assert beat is not None and (beat if beat.tzinfo else beat.replace(tzinfo=old.tzinfo)) > old + timedelta(
        minutes=59
    )


def test_the_retry_button_is_shown_for_a_failed_analysis(client: TestClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    bad = tmp_path / "kp.json"
    bad.write_text('{"schema": "kinechain.keypoints/1", "landmarks": []}')
    trial = wait_job(client, upload(client, clinic.csrf, aid, keypoints=bad).json()["trial"])
    assert trial["job"]["state"] == "failed"
    page = client.get(f"/assessments/{aid}").text
    assert 'data-testid="retry"' in page and f'action="/trials/{trial["id"]}/retry"' in page
    r = clinic.post(f"/trials/{trial['id']}/retry")
    assert r.status_code == 200 and r.url.path == f"/assessments/{aid}"  # type: ignore[attr-defined]
    assert "analysis-retried" in client.get("/clinic").text
