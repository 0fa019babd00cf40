"""The in-process runner with several job threads analyses each clip in a process of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

import kinechain
from kinechain import batch
from kinechain.config import Settings
from kinechain.jobs import analysis

from .conftest import VIDEO, add_assessment, add_athlete, make_settings, sign_up, upload, wait_job

SHORT = VIDEO / "formats" / "h264.mp4"  # 3 s of the real treadmill clip
pytestmark = pytest.mark.usefixtures("require_models")


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return make_settings(tmp_path, db_url, job_threads=2, pose_quality="fast")


def test_two_uploads_are_analysed_at_once_each_in_a_child_process(client, monkeypatch):
    """Both jobs finish with the measures of the same clip analysed directly, although analysing
    in this process is made to fail: the analyses ran in child processes."""

    def not_here(*_args: object, **_kw: object) -> None:
        raise AssertionError("analysed in the web process")

    monkeypatch.setattr(analysis, "analyze", not_here)
    monkeypatch.setattr(batch, "analyze", not_here)  # the fallback when a child dies
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    ids = [upload(client, clinic.csrf, aid, video=SHORT, keypoints=None).json()["trial"] for _ in range(2)]
    trials = [wait_job(client, t, timeout=240) for t in ids]
    direct = kinechain.analyze(SHORT, test="running", view="side", quality="fast")
    cadence = direct.result.measure("running.cadence").value
    for t in trials:
        assert t["job"]["state"] == "done", t["job"]
        got = next(m for m in t["result"]["measures"] if m["id"] == "running.cadence")
        assert got["value"] == pytest.approx(cadence, abs=1e-6)
