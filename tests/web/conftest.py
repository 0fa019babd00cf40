"""Fixtures of the web app tests: a real database (SQLite always, PostgreSQL when configured).

Set KINECHAIN_TEST_POSTGRES_URL (``source scripts/ci-services.sh`` does) to run every API test on
PostgreSQL as well as SQLite.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import make_url, text

from kinechain.config import Settings
from kinechain.store.db import current_revision, head_revision, make_engine, session_factory, upgrade
from kinechain.store.models import Job
from kinechain.web.app import create_app

VIDEO = Path(__file__).resolve().parents[1] / "data" / "video"
CLIP = VIDEO / "male_side.mp4"
KEYPOINTS = VIDEO / "male_side.mediapipe-full.json"
SECRET = "test-secret-" + "0123456789abcdef" * 4
PG_URL = os.environ.get("KINECHAIN_TEST_POSTGRES_URL")

CHROMIUM = os.environ.get("KINECHAIN_TEST_CHROMIUM", "/usr/bin/chromium")

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def reset_postgres(url: str) -> None:
    """Empty the test database (drop and recreate its public schema)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@functools.cache
def worker_postgres_url(url: str) -> str:
    """This pytest-xdist worker's own database beside ``url`` (created once), so workers never share one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = make_engine(base.set(database="postgres").render_as_string(hide_password=False))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@functools.cache
def _sqlite_template() -> Path:
    """A SQLite file migrated to head, built once per test process; each test gets a copy."""
    path = Path(tempfile.mkdtemp(prefix="kinechain-schema-")) / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@functools.cache
def _head(url: str) -> str | None:
    """The newest migration script's revision (read once per process)."""
    engine = make_engine(url)
    head = head_revision(engine)
    engine.dispose()
    return head


def empty_postgres(url: str) -> None:
    """Empty every table but Alembic's (ids restart at 1); build the schema first when it is missing.

    The schema is built once per process, and again only when something dropped it or left it
    behind head (another test run sharing the database).
    """
    engine = make_engine(url)
    with engine.begin() as conn:
        listed = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        tables = [t for t in listed.scalars() if t != "alembic_version"]
        migrated = conn.execute(text("SELECT to_regclass('public.alembic_version')")).scalar() is not None
        if migrated and tables:
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    if not migrated or current_revision(engine) != _head(url):
        engine.dispose()
        reset_postgres(url)
        engine = make_engine(url)
        upgrade(engine)
    engine.dispose()


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database at the newest schema with no rows: a copy of a migrated SQLite file, or the
    PostgreSQL test database (migrated once per process) with its tables emptied."""
    if request.param == "sqlite":
        shutil.copy(_sqlite_template(), tmp_path / "kinechain.db")
        return f"sqlite:///{tmp_path / 'kinechain.db'}"
    if not PG_URL:
        pytest.skip("KINECHAIN_TEST_POSTGRES_URL is not set (source scripts/ci-services.sh)")
    url = worker_postgres_url(PG_URL)
    empty_postgres(url)
    return url


def make_settings(tmp_path: Path, db_url: str, **over: object) -> Settings:
    """Settings for a test app in ``tmp_path`` (test environment, keypoints replay allowed)."""
    values: dict[str, object] = {
        "environment": "test",
        "secret_key": SECRET,
        "data_dir": tmp_path / "data",
        "database_url": db_url,
        "allow_keypoints_upload": True,
        "overlay_videos": False,
        "job_threads": 1,  # analyses in this process, where tests can patch them
    }
    values.update(over)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """Settings of the app under test."""
    return make_settings(tmp_path, db_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """A browser-like client of a fresh app (HTTPS, so Secure cookies are sent)."""
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as c:
        yield c
    app.state.engine.dispose()


def csrf_of(c: TestClient) -> str:
    """This client's CSRF token (from a page's form)."""
    r = c.get("/login")
    m = re.search(r'name="csrf_token" value="([^"]+)"', r.text)
    assert m, "the sign-in page has no CSRF field"
    return m.group(1)


@dataclass
class Clinic:
    """A signed-up clinic as seen from its admin's browser."""

    c: TestClient
    csrf: str
    athlete_id: int | None = None
    assessment_id: int | None = None

    def post(self, url: str, **data: object) -> object:
        return self.c.post(url, data={"csrf_token": self.csrf, **data})


def sign_up(c: TestClient, email: str = "admin@clinic-a.org", clinic: str = "Clinic A") -> Clinic:
    """Sign up a clinic in ``c`` and return it."""
    token = csrf_of(c)
    r = c.post(
        "/signup",
        data={
            "csrf_token": token,
            "clinic": clinic,
            "name": "Ada Admin",
            "email": email,
            "password": "correct horse",
        },
    )
    assert r.status_code == 200 and r.url.path == "/athletes", r.text[:500]
    return Clinic(c, token)


def add_athlete(clinic: Clinic, name: str = "Ben Runner", email: str | None = None) -> int:
    """Add an athlete; return its id."""
    r = clinic.c.post(
        "/athletes", data={"csrf_token": clinic.csrf, "name": name, "email": email or "", "sex": "male"}
    )
    assert r.status_code == 200, r.text[:300]
    return int(r.url.path.rsplit("/", 1)[1])


def add_assessment(clinic: Clinic, athlete_id: int, day: str = "2025-03-01") -> int:
    """Start an assessment; return its id."""
    r = clinic.c.post(f"/athletes/{athlete_id}/assessments", data={"csrf_token": clinic.csrf, "day": day})
    assert r.status_code == 200, r.text[:300]
    return int(r.url.path.rsplit("/", 1)[1])


def upload(
    c: TestClient,
    csrf: str,
    assessment_id: int,
    *,
    video: Path = CLIP,
    keypoints: Path | None = KEYPOINTS,
    test: str = "running",
    view: str = "side",
    accept_json: bool = True,
):  # type: ignore[no-untyped-def]
    """Upload a clip (and keypoints to replay) to an assessment."""
    files = {"video": (video.name, video.read_bytes(), "video/mp4")}
    if keypoints is not None:
        files["keypoints"] = (keypoints.name, keypoints.read_bytes(), "application/json")
    headers = {"Accept": "application/json"} if accept_json else {}
    return c.post(
        f"/assessments/{assessment_id}/trials",
        data={"csrf_token": csrf, "test": test, "view": view},
        files=files,
        headers=headers,
    )


def wait_job(c: TestClient, trial_id: int, timeout: float = 120.0) -> dict:  # type: ignore[type-arg]
    """Poll a trial until its job is done or failed; return the trial JSON."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        t = c.get(f"/api/v1/trials/{trial_id}").json()
        if t["job"]["state"] in ("done", "failed"):
            return t
        time.sleep(0.3)
    raise AssertionError(f"trial {trial_id} did not finish in {timeout} s: {t}")


EXAMPLE_INTAKE = Path(__file__).resolve().parents[2] / "examples" / "assessment" / "intake.yaml"


def intake_form(csrf: str, **over: object) -> list[tuple[str, str]]:
    """The example intake (examples/assessment/intake.yaml) as the intake page's form fields."""
    import yaml

    ex = {**yaml.safe_load(EXAMPLE_INTAKE.read_text()), **over}
    form = [("csrf_token", csrf)]
    for k in (
        "age",
        "sex",
        "pain_now",
        "pain_worst_running",
        "onset",
        "weekly_km",
        "volume_change",
        "known_diagnosis",
    ):
        form.append((k, str(ex[k])))
    form += [("pain_location", k) for k in ex["pain_location"]] + [
        ("aggravating", k) for k in ex["aggravating"]
    ]
    form += [(f"red_flags.{k}", "yes" if v else "no") for k, v in ex["red_flags"].items()]
    for i, item in enumerate(ex["psfs"]):
        form += [(f"psfs.{i}.activity", item["activity"]), (f"psfs.{i}.score", str(item["score"]))]
    for k, pair in ex["self_tests"].items():
        form += [(f"self_tests.{k}.{side}", str(v)) for side, v in pair.items()]
    return form


def post_form(c: TestClient, url: str, form: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """POST repeated form fields (checkbox groups) as application/x-www-form-urlencoded."""
    from urllib.parse import urlencode

    return c.post(url, content=urlencode(form), headers={"content-type": "application/x-www-form-urlencoded"})


@pytest.fixture(scope="module")
def playwright() -> Iterator[object]:
    """Playwright driving Debian's Chromium; skips when either is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        yield p


def requeue_job(settings: Settings, job_id: int) -> None:
    """Put a finished job back in the queue, as a worker that died mid-job would leave it to retry."""
    engine = make_engine(settings.db_url)
    with session_factory(engine)() as s:
        job = s.get(Job, job_id)
        assert job is not None
        job.state, job.attempts = "queued", 0
        s.commit()
    engine.dispose()
