"""Input bounds (issue 14 faults 4, 5, 7): no 5xx from huge numbers, pictures refused at upload,
and the HTML forms refusing what the API refuses."""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from kinechain.video.reader import probe
from kinechain.web.services import _probe_video
from kinechain.web.uploads import UploadedFile, UploadError

from .conftest import CLIP, add_assessment, add_athlete, sign_up, upload

HUGE = "9" * 30  # far beyond any 64-bit integer: gave OverflowError (500) on SQLite


def test_huge_ids_answer_not_found_or_invalid_never_500(client: TestClient) -> None:
    clinic = sign_up(client)
    add_assessment(clinic, add_athlete(clinic))
    urls = [
        f"/athletes/{HUGE}",
        f"/assessments/{HUGE}",
        f"/trials/{HUGE}/status",
        f"/trials/{HUGE}/video",
        f"/trials/1/keyframes/{HUGE}",
        f"/api/v1/athletes/{HUGE}",
        f"/api/v1/assessments/{HUGE}",
        f"/api/v1/trials/{HUGE}",
        f"/api/v1/athletes/{HUGE}/assessments",
        f"/athletes/-{HUGE}",
        "/api/v1/athletes/2147483648",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code in (404, 422), (url, r.status_code)
    r = client.post(f"/athletes/{HUGE}/assessments", data={"csrf_token": clinic.csrf})
    assert r.status_code in (404, 422)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("birth_year", HUGE, "birth year"),
        ("birth_year", "3000", "birth year"),
        ("birth_year", "nineteen", "birth year"),
        ("sex", "robot", "sex"),
        ("name", "x" * 100_000, "name"),
        ("email", "not-an-address", "email"),
        ("name", "nul\x00byte", "name"),
    ],
)
def test_the_athlete_form_refuses_what_the_api_refuses(
    client: TestClient, field: str, value: str, named: str
) -> None:
    clinic = sign_up(client)
    form = {"name": "Dana Runner", "email": "", "sex": "female", "birth_year": "1990", field: value}
    r = clinic.post("/athletes", **form)
    assert r.status_code == 422 and f"{named}:" in r.text, r.text[:300]  # type: ignore[attr-defined]
    body = {k: v for k, v in form.items() if v}
    if field == "birth_year" and value.isdigit():
        body[field] = int(value)  # type: ignore[assignment]
    api = client.post("/api/v1/athletes", json=body, headers={"X-CSRF-Token": clinic.csrf})
    assert api.status_code == 422
    assert client.get("/api/v1/athletes").json() == []


def test_a_valid_athlete_form_is_stored_as_the_api_would(client: TestClient) -> None:
    clinic = sign_up(client)
    r = clinic.post(
        "/athletes", name=" Eve Runner ", email="Eve@Example.org", sex="female", birth_year="1988"
    )
    assert r.status_code == 200  # type: ignore[attr-defined]
    [athlete] = client.get("/api/v1/athletes").json()
    assert (athlete["name"], athlete["email"], athlete["sex"], athlete["birth_year"]) == (
        "Eve Runner",
        "eve@example.org",
        "female",
        1988,
    )


def test_the_assessment_form_refuses_bad_dates_and_long_notes(client: TestClient) -> None:
    clinic = sign_up(client)
    athlete = add_athlete(clinic)
    for form in ({"day": "3000-01-01"}, {"day": "14/03/2025"}, {"notes": "n" * 5000}):
        r = clinic.post(f"/athletes/{athlete}/assessments", **form)
        assert r.status_code == 422, form  # type: ignore[attr-defined]
    assert client.get(f"/api/v1/athletes/{athlete}/assessments").json() == []


def test_text_the_database_cannot_store_is_refused_not_500(client: TestClient) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    r = clinic.post(f"/assessments/{aid}/consult", message="knee\x00pain")
    assert r.status_code in (200, 422)  # type: ignore[attr-defined]
    r = client.post(
        "/api/v1/login", json={"email": "a\x00b@c.d", "password": "x"}, headers={"X-CSRF-Token": clinic.csrf}
    )
    assert r.status_code == 422


def _picture(tmp_path: Path, fmt: str) -> Path:
    buf = io.BytesIO()
    Image.fromarray(np.full((240, 320, 3), 128, np.uint8)).save(buf, format=fmt)
    path = tmp_path / f"photo.{'jpg' if fmt == 'JPEG' else fmt.lower()}"
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize(("fmt", "named"), [("PNG", "PNG"), ("JPEG", "JPEG"), ("GIF", "GIF")])
def test_still_pictures_are_refused_at_upload(
    client: TestClient, tmp_path: Path, fmt: str, named: str
) -> None:
    clinic = sign_up(client)
    aid = add_assessment(clinic, add_athlete(clinic))
    picture = _picture(tmp_path, fmt)
    disguised = tmp_path / "clip.mp4"
    disguised.write_bytes(picture.read_bytes())
    for f in (picture, disguised):
        r = upload(client, clinic.csrf, aid, video=f, keypoints=None)
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert f"picture ({named})" in detail and "not a video" in detail and detail.count(". ") == 0
    page = upload(client, clinic.csrf, aid, video=picture, keypoints=None, accept_json=False)
    assert page.status_code == 422 and "not a video" in page.text
    assert client.get(f"/api/v1/assessments/{aid}").json()["trials"] == []
    media = client.app.state.settings.media_root  # type: ignore[attr-defined]
    assert not list((media / "incoming").iterdir())


class _LiveSink(io.RawIOBase):
    """A write-only, non-seekable sink: the muxer cannot go back to write a duration or cues."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
        self.data += bytes(b)
        return len(b)


def _live_webm(path: Path, seconds: float) -> Path:
    """Encode the bundled clip's first ``seconds`` as VP9 WebM streamed like a browser's MediaRecorder."""
    import av

    sink = _LiveSink()
    with av.open(str(CLIP)) as src, av.open(sink, "w", format="webm") as dst:
        stream = dst.add_stream("libvpx-vp9", rate=30)
        stream.width, stream.height, stream.pix_fmt = 160, 90, "yuv420p"
        stream.options = {"deadline": "realtime", "cpu-used": "8"}
        for i, frame in enumerate(src.decode(src.streams.video[0])):
            if i >= round(seconds * 30):
                break
            img = frame.reformat(width=160, height=90, format="yuv420p")
            img.pts, img.time_base = i, Fraction(1, 30)
            dst.mux(stream.encode(img))
        dst.mux(stream.encode(None))
    path.write_bytes(sink.data)
    return path


def _uploaded(path: Path) -> UploadedFile:
    return UploadedFile("video", path.name, "video/webm", path, path.stat().st_size)


def test_browser_recording_without_duration_in_its_header_is_a_video(tmp_path: Path) -> None:
    import av

    webm = _live_webm(tmp_path / "recording.webm", 2.0)
    with av.open(str(webm)) as c:  # the case at hand: the header says neither length nor frame count
        assert c.duration is None and c.streams.video[0].duration is None and not c.streams.video[0].frames
    info = probe(webm)
    assert info.codec == "vp9" and info.n_frames == 60
    assert info.duration == pytest.approx(2.0, abs=1 / 30)
    assert _probe_video(_uploaded(webm)) == "video/webm"


def test_short_browser_recording_is_too_short_not_a_picture(tmp_path: Path) -> None:
    webm = _live_webm(tmp_path / "recording.webm", 0.3)
    with pytest.raises(UploadError, match="long \\(9 frames\\)") as err:
        _probe_video(_uploaded(webm))
    assert "picture" not in str(err.value) and str(tmp_path) not in str(err.value)


@pytest.mark.parametrize(("fmt", "named"), [("PNG", "PNG"), ("JPEG", "JPEG")])
def test_upload_check_still_refuses_pictures(tmp_path: Path, fmt: str, named: str) -> None:
    with pytest.raises(UploadError, match=f"picture \\({named}\\), not a video"):
        _probe_video(_uploaded(_picture(tmp_path, fmt)))
