"""Pages in Chromium (Playwright): the assessment page's tabs fit a laptop screen (screenshots), and
the API documentation works offline.

Set KINECHAIN_SCREENSHOT_DIR to also keep the screenshots (docs/screenshots is made this way).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from kinechain.web.live import LiveServer

from .conftest import CLIP, KEYPOINTS, intake_form, make_settings
from .test_browser import launch, sign_up_clinic

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1440, "height": 900}
#: Tallest a tab's first view may be at 1440x900 (px), page header and footer included: one screen,
#: the rest folded away (the whole page was 6,200 px before the tabs, its tabs 1,150-1,590 px after).
MAX_TAB_HEIGHT = LAPTOP["height"]
TABS = {
    "tab-findings": "Findings and plan",
    "tab-clips": "Clips and measures",
    "tab-add": "Add a clip",
    "tab-share": "Share, consult, edit",
}


@pytest.fixture
def replay_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The app with keypoints replay allowed (the analysis takes seconds, not the pose model's time)."""
    settings = make_settings(tmp_path, f"sqlite:///{tmp_path / 'kinechain.db'}", cookie_secure=False)
    with LiveServer(settings) as live:
        yield live


def _offline(page, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Refuse every request that does not go to the app; return the refused addresses."""
    refused: list[str] = []
    host = urlsplit(base).netloc

    def handle(route):  # type: ignore[no-untyped-def]
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return refused


def test_api_docs_work_offline(playwright: object, replay_server: LiveServer) -> None:
    browser = launch(playwright)
    page = browser.new_page()  # type: ignore[attr-defined]
    refused = _offline(page, replay_server.url)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{replay_server.url}/api/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=30_000)
    assert "kinechain" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 15
    assert refused == [] and not [e for e in errors if "Content Security Policy" in e]
    browser.close()  # type: ignore[attr-defined]


def _analysed_assessment(page, base: str) -> str:  # type: ignore[no-untyped-def]
    sign_up_clinic(page, base)
    page.get_by_label("Name", exact=True).fill("Tia Tabs")
    page.get_by_role("button", name="Add athlete").click()
    page.wait_for_url(re.compile(r".*/athletes/\d+$"))
    page.get_by_role("button", name="New assessment").click()
    page.wait_for_url(re.compile(r".*/assessments/\d+$"))
    url = page.url.split("#")[0]
    assert page.get_by_role("heading", name="Add a clip").is_visible()  # no clip yet: that tab first
    page.locator("input[name=video]").first.set_input_files(str(CLIP))
    page.locator("input[name=keypoints]").first.set_input_files(str(KEYPOINTS))
    page.get_by_role("button", name="Upload and analyse").first.click()
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-testid=job-status]'); "
        "return s && /^(Done|Failed)/.test(s.textContent.trim()); }",
        timeout=120_000,
    )
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    form = urlencode(intake_form(csrf))
    r = page.context.request.post(
        f"{url}/intake", data=form, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert r.ok, r.text()[:300]
    return url


def test_assessment_tabs_fit_a_laptop_screen(
    playwright: object, replay_server: LiveServer, tmp_path: Path
) -> None:
    keep = os.environ.get("KINECHAIN_SCREENSHOT_DIR")
    out = Path(keep) if keep else tmp_path
    browser = launch(playwright)
    page = browser.new_context(viewport=LAPTOP).new_page()  # type: ignore[attr-defined]
    url = _analysed_assessment(page, replay_server.url)
    page.goto(url)
    assert page.locator("#tab-findings").is_visible() and not page.locator("#tab-clips").is_visible()
    heights = {}
    for tab, label in TABS.items():
        page.get_by_role("tab", name=re.compile(label)).click()
        assert page.locator(f"#{tab}").is_visible()
        assert [p for p in TABS if p != tab and page.locator(f"#{p}").is_visible()] == []
        heights[tab] = page.evaluate(  # where the page ends (the document is never shorter than the window)
            "() => Math.ceil(document.querySelector('footer.foot').getBoundingClientRect().bottom"
            " + window.scrollY)"
        )
        page.screenshot(path=str(out / f"assessment-{tab.removeprefix('tab-')}-desktop.png"), full_page=True)
    print("assessment tab heights at 1440x900 (px):", heights)
    assert max(heights.values()) <= MAX_TAB_HEIGHT, heights
    page.goto(f"{url}#tab-clips")
    assert page.get_by_role("row", name=re.compile("Cadence")).first.is_visible()
    page.goto(f"{url}#consult")  # an anchor inside a tab opens that tab
    assert page.locator("#consult").is_visible()
    browser.close()  # type: ignore[attr-defined]
