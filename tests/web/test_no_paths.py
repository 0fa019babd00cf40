"""No absolute server path in any answer, message, export or PDF (issue 14 fault 2)."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from fastapi.testclient import TestClient

from kinechain.config import Settings
from kinechain.store.redact import public_result, strip_paths

from .conftest import add_assessment, add_athlete, intake_form, post_form, sign_up, upload, wait_job


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("cannot read /srv/kc/media/ab/ab12cd: bad data", "cannot read the file: bad data"),
        ("'/tmp/kinechain-x/clip.mp4' is 0.5 s long", "'the file' is 0.5 s long"),
        ("replay:/root/.local/share/kinechain/models/pose.task", "replay:the file"),
        ("C:\\Users\\clinic\\clip.mp4 is not a video", "the file is not a video"),
        (
            "run 30 km/week, 3/14 steps, see https://example.org/a/b",
            "run 30 km/week, 3/14 steps, see https://example.org/a/b",
        ),
    ],
)
def test_paths_in_messages_are_replaced(message: str, shown: str) -> None:
    assert strip_paths(message) == shown


def test_a_stored_record_shows_the_uploaded_name_not_the_stored_path() -> None:
    record = {"clip": {"path": "/data/media/3f/3f" + "0" * 30, "fps": 30.0}, "warnings": ["see /data/x/y"]}
    assert public_result(record, "run.mp4") == {
        "clip": {"path": "run.mp4", "fps": 30.0},
        "warnings": ["see the file"],
    }
    assert public_result(record)["clip"]["path"] == "clip"  # type: ignore[index]


def test_no_server_path_in_api_export_or_pdf(client: TestClient, settings: Settings) -> None:
    pypdf = pytest.importorskip("pypdf")
    clinic = sign_up(client)
    athlete = add_athlete(clinic)
    aid = add_assessment(clinic, athlete)
    trial = wait_job(client, upload(client, clinic.csrf, aid).json()["trial"])
    clip = trial["result"]["clip"]  # None when keypoints are replayed without decoding the video
    assert trial["job"]["state"] == "done" and (clip is None or clip["path"] == "male_side.mp4")
    assert post_form(client, f"/assessments/{aid}/intake", intake_form(clinic.csrf)).status_code == 200
    roots = [str(settings.data_dir), str(settings.media_root), "/tmp/", "/root/", "/home/", "/srv/"]
    roots += ["/var/", "/usr/", "/work/", "site-packages"]
    bodies = {
        "trial": client.get(f"/api/v1/trials/{trial['id']}").text,
        "assessment": client.get(f"/api/v1/assessments/{aid}").text,
        "page": client.get(f"/assessments/{aid}").text,
    }
    with zipfile.ZipFile(io.BytesIO(client.get(f"/api/v1/athletes/{athlete}/export").content)) as z:
        bodies["export"] = z.read("athlete.json").decode()
        assert json.loads(bodies["export"])  # the export is read, not just found
    pdf = client.get(f"/assessments/{aid}/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    bodies["pdf"] = text
    if clip is not None:
        assert "male_side.mp4" in text.replace("\n", "")  # the clip's name is the uploaded one
    for name, body in bodies.items():
        for root in roots:
            assert root not in body, (name, root)
        assert not re.search(r"\b[0-9a-f]{32}\b", body), name  # nor a stored file's id
