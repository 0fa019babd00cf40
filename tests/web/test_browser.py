"""End to end in Debian's Chromium (Playwright): a clinic's whole journey, and in-browser recording.

Skipped when Chromium or the playwright package is missing. The journey runs the real pose model
on the real clip (``require_models``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from kinechain.config import Settings
from kinechain.web.live import CHROMIUM_FLAGS, LiveServer

from .conftest import CHROMIUM, CLIP, make_settings

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")


def launch(playwright: object, *extra: str) -> object:
    """Chromium, headless, with the project's flags."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, *extra])  # type: ignore[attr-defined]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    settings: Settings = make_settings(
        tmp_path, f"sqlite:///{tmp_path / 'kinechain.db'}", allow_keypoints_upload=False
    )
    with LiveServer(settings) as live:
        yield live


def sign_up_clinic(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/signup")
    page.get_by_label("Clinic name").fill("Riverside Physio")
    page.get_by_label("Your name").fill("Dana Admin")
    page.get_by_label("E-mail").fill("dana@riverside.example")
    page.get_by_label("Password").fill("a good long password")
    page.get_by_role("button", name="Create clinic").click()
    try:
        page.wait_for_url(f"{base}/athletes", timeout=60_000)
    except playwright_api.TimeoutError as exc:
        raise AssertionError(
            f"sign-up did not reach /athletes: at {page.url}: {page.inner_text('body')[:500]}"
        ) from exc


def add_athlete(page, name: str) -> str:  # type: ignore[no-untyped-def]
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("E-mail (optional)").fill("sam@runner.example")
    page.get_by_role("button", name="Add athlete").click()
    page.wait_for_url(re.compile(r".*/athletes/\d+$"))
    try:
        page.get_by_role("button", name="New assessment").wait_for(timeout=60_000)
    except playwright_api.TimeoutError as exc:
        raise AssertionError(f"the athlete page did not show: {page.inner_text('body')[:800]}") from exc
    return str(page.url)


def wait_for_analysis(page, timeout_ms: int = 300_000) -> str:  # type: ignore[no-untyped-def]
    status = page.get_by_test_id("job-status").first
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-testid=job-status]'); "
        "return s && /^(Done|Failed)/.test(s.textContent.trim()); }",
        timeout=timeout_ms,
    )
    return str(status.inner_text())


def fill_intake(page) -> None:  # type: ignore[no-untyped-def]
    """Fill the intake as the example runner (examples/assessment/intake.yaml) would."""
    page.get_by_role("tab", name="Findings and plan").click()
    page.get_by_role("link", name="Fill in the intake").click()
    page.wait_for_url(re.compile(r".*/assessments/\d+/intake$"))
    page.get_by_role("button", name="Save intake").wait_for()  # the form is there before .all()
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    page.get_by_label("How old are you (years)?").fill("34")
    page.get_by_label("Sex (used only").select_option("male")
    page.get_by_label("front of the knee, or around or under the kneecap").check()
    page.get_by_label("Pain right now").fill("2")
    page.get_by_label("Worst pain during running").fill("5")
    page.get_by_label("How did it start?").select_option("gradual")
    page.get_by_label("stairs", exact=True).check()
    page.get_by_label("Running volume per week now").fill("30")
    page.get_by_label("Running volume over the last 4 weeks").select_option("increased")
    page.get_by_label("Has a clinician told you what it is?").select_option("none")
    page.get_by_role("button", name="Save intake").click()
    try:
        page.wait_for_url(re.compile(r".*/assessments/\d+(#findings)?$"), timeout=60_000)
    except playwright_api.TimeoutError as exc:
        raise AssertionError(f"the intake was not accepted: {page.inner_text('body')[:800]}") from exc
    assert not page.locator(".error").count(), page.locator(".error").inner_text()


def test_clinic_journey(playwright: object, server: LiveServer, tmp_path: Path, require_models: None) -> None:
    browser = launch(playwright)
    admin = browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # type: ignore[attr-defined]
    sign_up_clinic(admin, server.url)
    athlete_url = add_athlete(admin, "Sam Strider")

    admin.get_by_role("button", name="Invite athlete").click()
    invite = admin.get_by_test_id("link").input_value()
    assert "/invite/" in invite
    runner = browser.new_context().new_page()  # type: ignore[attr-defined]
    runner.goto(invite)
    runner.get_by_label("Your name").fill("Sam")
    runner.get_by_label("Choose a password").fill("sam's own password")
    runner.get_by_role("button", name="Create my account").click()
    runner.wait_for_url(athlete_url)

    admin.goto(athlete_url)
    admin.get_by_role("button", name="New assessment").click()
    admin.wait_for_url(re.compile(r".*/assessments/\d+$"))
    assessment_url = admin.url
    assert admin.get_by_text("How to film").first.is_visible()
    admin.locator("input[name=video]").first.set_input_files(str(CLIP))
    admin.get_by_role("button", name="Upload and analyse").first.click()
    assert wait_for_analysis(admin) == "Done"

    admin.reload()
    assert admin.get_by_role("row", name=re.compile("Cadence")).first.is_visible()
    assert admin.locator(".keyframes img").count() >= 1
    assert "fill in the intake first" in admin.locator("#findings").inner_text()
    fill_intake(admin)
    findings = admin.locator("#findings")
    assert findings.locator(".finding").count() > 0
    assert "Running mechanics" in findings.inner_text()
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Download PDF").click()
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes()[:5] == b"%PDF-"

    runner.goto(assessment_url)  # the invited athlete sees their own results
    runner.get_by_role("tab", name=re.compile("Clips and measures")).click()
    assert runner.get_by_role("row", name=re.compile("Cadence")).first.is_visible()
    browser.close()  # type: ignore[attr-defined]


def y4m_from_clip(clip: Path, out: Path, *, width: int = 360, height: int = 640) -> Path:
    """Convert a clip to a Y4M file (Chromium's fake camera input) with PyAV, keeping its frame rate."""
    import av

    with av.open(str(clip)) as src, av.open(str(out), "w", format="yuv4mpegpipe") as dst:
        stream_in = src.streams.video[0]
        stream = dst.add_stream("wrapped_avframe", rate=stream_in.average_rate)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i, frame in enumerate(src.decode(stream_in)):
            img = frame.reformat(width=width, height=height, format="yuv420p")
            img.pts, img.time_base = i, Fraction(1, int(stream_in.average_rate or 30))
            dst.mux(stream.encode(img))
        dst.mux(stream.encode(None))
    return out


def test_in_browser_recording(
    playwright: object, server: LiveServer, tmp_path: Path, require_models: None
) -> None:
    camera = y4m_from_clip(CLIP, tmp_path / "camera.y4m")
    browser = launch(
        playwright,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={camera}",
    )
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    context.grant_permissions(["camera"], origin=server.url)
    page = context.new_page()
    sign_up_clinic(page, server.url)
    add_athlete(page, "Rae Recorder")
    page.get_by_role("button", name="New assessment").click()
    page.wait_for_url(re.compile(r".*/assessments/\d+$"))
    page.get_by_role("link", name="Record with the camera").first.click()
    page.wait_for_url(re.compile(r".*/record\?test=running&view=side$"))
    page.wait_for_function("() => !document.getElementById('start').disabled", timeout=20_000)
    assert page.locator(".frame-guide").is_visible()
    page.get_by_role("button", name="Start recording").click()
    page.wait_for_timeout(12_500)
    page.get_by_role("button", name="Stop").click()
    page.wait_for_function("() => !document.getElementById('send').disabled", timeout=20_000)
    page.get_by_role("button", name="Upload and analyse").click()
    page.wait_for_url(re.compile(r".*/assessments/\d+$"), timeout=60_000)
    assert wait_for_analysis(page) == "Done"
    page.reload()
    page.get_by_role("tab", name=re.compile("Clips and measures")).click()
    cadence = page.get_by_role("row", name=re.compile("Cadence"))
    text = cadence.first.inner_text()
    value = float(re.search(r"(\d+\.\d) steps/min", text).group(1))  # type: ignore[union-attr]
    print(f"cadence from the in-browser recording: {value} steps/min")
    assert abs(value - 168.9) < 6.0, text  # the clip author's pixel count, through camera and WebM
    browser.close()  # type: ignore[attr-defined]
