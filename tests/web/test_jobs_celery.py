"""Jobs through a real Redis broker and real ``kinechain worker`` processes, including one killed mid-job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kinechain.config import Settings
from kinechain.jobs.heartbeat import REAP_EVERY_S, STALE_S
from kinechain.jobs.runner import CeleryRunner
from kinechain.web.app import create_app

from .conftest import SECRET, add_assessment, add_athlete, csrf_of, sign_up, upload, wait_job

REDIS_URL = os.environ.get("KINECHAIN_TEST_REDIS_URL")
SRC = Path(__file__).resolve().parents[2] / "src"
pytestmark = pytest.mark.redis

#: Longest wait (s) for a dead worker's job to be picked up again: the heartbeat reaper's
#: STALE_S + REAP_EVERY_S, plus slack for a loaded machine. The broker's visibility timeout keeps
#: its default (600 s), so a pass proves the heartbeat, not Redis, brought the job back.
RECOVERY_S = STALE_S + REAP_EVERY_S + 60


def _redis_ready() -> bool:
    if not REDIS_URL:
        return False
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


@pytest.fixture
def broker() -> str:
    """The test Redis database, emptied."""
    if not _redis_ready():
        pytest.skip("no Redis at KINECHAIN_TEST_REDIS_URL (source scripts/ci-services.sh)")
    import redis

    assert REDIS_URL is not None
    redis.Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


@pytest.fixture
def env(tmp_path: Path, broker: str) -> dict[str, str]:
    """KINECHAIN_* settings shared by the web app and the workers (one SQLite file, one media folder)."""
    return {
        "KINECHAIN_ENVIRONMENT": "test",
        "KINECHAIN_SECRET_KEY": SECRET,
        "KINECHAIN_DATA_DIR": str(tmp_path / "data"),
        "KINECHAIN_BROKER_URL": broker,
        "KINECHAIN_ALLOW_KEYPOINTS_UPLOAD": "true",
    }


class Workers:
    """Starts ``kinechain worker`` processes (each in its own process group) and kills them."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = {**os.environ, **env, "PYTHONPATH": str(SRC)}
        self.log_dir = log_dir
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, name: str) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "kinechain", "worker", "--name", name],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker and its pool processes, as if the machine died."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def workers(env: dict[str, str], tmp_path: Path) -> Iterator[Workers]:
    w = Workers(env, tmp_path)
    yield w
    w.stop_all()


@pytest.fixture
def web(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app = create_app(Settings())
    assert isinstance(app.state.runner, CeleryRunner)
    with TestClient(app, base_url="https://testserver") as c:
        yield c
    app.state.engine.dispose()


def _wait_state(c: TestClient, trial_id: int, ok, timeout: float) -> dict:  # type: ignore[no-untyped-def, type-arg]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        t = c.get(f"/api/v1/trials/{trial_id}").json()
        if ok(t["job"]):
            return t
        time.sleep(0.2)
    raise AssertionError(f"trial {trial_id} never reached the state wanted: {t['job']}")


def test_job_runs_on_a_celery_worker(web: TestClient, workers: Workers) -> None:
    workers.start("w1")
    clinic = sign_up(web)
    aid = add_assessment(clinic, add_athlete(clinic))
    r = upload(web, clinic.csrf, aid)
    assert r.status_code == 201 and r.json()["job"]["state"] == "queued"
    trial = wait_job(web, r.json()["trial"], timeout=120)
    assert trial["job"]["state"] == "done" and trial["job"]["attempts"] == 1
    assert any(m["id"] == "running.cadence" and m["measurable"] for m in trial["result"]["measures"])


def test_worker_killed_mid_job_leaves_it_to_be_retried(
    web: TestClient, workers: Workers, require_models: None
) -> None:
    first = workers.start("w1")
    clinic = sign_up(web)
    aid = add_assessment(clinic, add_athlete(clinic))
    r = upload(web, clinic.csrf, aid, keypoints=None)  # the real pose model: long enough to be killed
    trial_id = r.json()["trial"]
    running = _wait_state(web, trial_id, lambda j: j["state"] == "running" and j["progress"] > 0.05, 120)
    workers.kill(first)
    killed = time.monotonic()
    time.sleep(1.0)
    after = web.get(f"/api/v1/trials/{trial_id}").json()["job"]
    assert after["state"] == "running" and after["attempts"] == 1, "the job must not be lost or failed"
    assert running["job"]["progress"] < 1.0
    workers.start("w2")
    _wait_state(web, trial_id, lambda j: j["attempts"] == 2, RECOVERY_S)
    picked_up = time.monotonic() - killed
    trial = wait_job(web, trial_id, timeout=240)
    done = time.monotonic() - killed
    print(f"worker killed: job picked up again after {picked_up:.1f} s, done {done:.1f} s after the kill")
    assert trial["job"]["state"] == "done", trial["job"]
    assert trial["job"]["attempts"] == 2
    assert any(m["id"] == "running.cadence" and m["measurable"] for m in trial["result"]["measures"])


def test_job_created_while_the_broker_is_down_is_not_lost(
    env: dict[str, str], workers: Workers, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kinechain.web.live import free_port

    down = {**env, "KINECHAIN_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0"}
    for key, value in down.items():
        monkeypatch.setenv(key, value)
    app = create_app(Settings())
    with TestClient(app, base_url="https://testserver") as c:
        clinic = sign_up(c)
        aid = add_assessment(clinic, add_athlete(clinic))
        r = upload(c, clinic.csrf, aid)
        assert r.status_code == 201 and r.json()["job"]["state"] == "queued"
    app.state.engine.dispose()
    monkeypatch.setenv("KINECHAIN_BROKER_URL", env["KINECHAIN_BROKER_URL"])
    workers.start("w1")
    app = create_app(Settings())  # the broker is back: the app publishes the queued job again
    with TestClient(app, base_url="https://testserver") as c:
        c.post(
            "/login",
            data={"csrf_token": csrf_of(c), "email": "admin@clinic-a.org", "password": "correct horse"},
        )
        trial = wait_job(c, r.json()["trial"], timeout=120)
    app.state.engine.dispose()
    assert trial["job"]["state"] == "done" and trial["job"]["attempts"] == 1
