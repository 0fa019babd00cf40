"""Screenshots of the web app's main pages at phone (390x844) and laptop (1440x900) sizes.

Real data: the bundled treadmill clip (tests/data/video/male_side.mp4) is analysed twice for one
athlete: on 2025-02-03 from its RTMPose keypoints (replayed), on 2025-03-03 by kinechain's own pose
model. Both are the same run, so the progress charts show the difference between two pose models,
not a change in the runner. The assessment page is shot once per tab (whole page, to show that each
tab fits the laptop screen). Writes docs/screenshots/<page>-<size>.png.

    python scripts/web_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import yaml
from playwright.sync_api import sync_playwright

from kinechain.config import Settings
from kinechain.web.live import CHROMIUM_FLAGS, LiveServer

ROOT = Path(__file__).resolve().parents[1]
VIDEO = ROOT / "tests" / "data" / "video"
INTAKE = ROOT / "examples" / "assessment" / "intake.yaml"
SIZES = {"phone": (390, 844), "desktop": (1440, 900)}
#: The assessment page's tabs: screenshot name and the tab's label.
TABS = {
    "assessment-findings": "Findings and plan",
    "assessment-clips": "Clips and measures",
    "assessment-add": "Add a clip",
    "assessment-share": "Share, consult, edit",
}
EMAIL, PASSWORD = "dana@riverside.example", "a good long password"


def _csrf(c: httpx.Client) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
    assert m
    return m.group(1)


def _intake(csrf: str, day: str) -> str:
    ex = yaml.safe_load(INTAKE.read_text())
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
    return urlencode(form)


def _assessment(c: httpx.Client, csrf: str, athlete: int, day: str, keypoints: Path | None) -> int:
    r = c.post(f"/athletes/{athlete}/assessments", data={"csrf_token": csrf, "day": day})
    aid = int(r.url.path.rsplit("/", 1)[1])
    c.post(
        f"/assessments/{aid}/intake",
        content=_intake(csrf, day),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    files = {"video": ("male_side.mp4", (VIDEO / "male_side.mp4").read_bytes(), "video/mp4")}
    if keypoints:
        files["keypoints"] = (keypoints.name, keypoints.read_bytes(), "application/json")
    trial = c.post(
        f"/assessments/{aid}/trials",
        data={"csrf_token": csrf, "test": "running", "view": "side"},
        files=files,
        headers={"Accept": "application/json"},
    ).json()["trial"]
    while c.get(f"/trials/{trial}/status").json()["state"] not in ("done", "failed"):
        time.sleep(0.3)
    return aid


def populate(settings: Settings) -> tuple[int, int]:
    """Create the clinic, three athletes and two analysed assessments; return (athlete id, assessment id)."""
    with (
        LiveServer(settings) as live,
        httpx.Client(base_url=live.url, timeout=600, follow_redirects=True) as c,
    ):
        csrf = _csrf(c)
        c.post(
            "/signup",
            data={
                "csrf_token": csrf,
                "clinic": "Riverside Physio",
                "name": "Dana Admin",
                "email": EMAIL,
                "password": PASSWORD,
            },
        )
        ids = []
        for name in ("Sam Strider", "Alex Morgan", "Jo Lee"):
            r = c.post(
                "/athletes", data={"csrf_token": csrf, "name": name, "sex": "male", "birth_year": "1991"}
            )
            ids.append(int(r.url.path.rsplit("/", 1)[1]))
        _assessment(c, csrf, ids[0], "2025-02-03", VIDEO / "male_side.rtmpose.json")
        aid = _assessment(c, csrf, ids[0], "2025-03-03", None)
        c.post(
            f"/assessments/{aid}/consult",
            data={
                "csrf_token": csrf,
                "message": "Can we go through the plan together?",
                "contact": "sam@runner.example",
            },
        )
    return ids[0], aid


def shoot(settings: Settings, athlete: int, aid: int, out: Path, camera: Path) -> None:
    """Sign in with Chromium and photograph each page at each size."""
    pages = {
        "login": "/login",
        "athletes": "/athletes",
        "athlete-timeline": f"/athletes/{athlete}",
        "intake": f"/assessments/{aid}/intake",
        "record": f"/assessments/{aid}/record?test=running&view=side",
        "clinic": "/clinic",
        "account": "/account",
    }
    flags = [
        *CHROMIUM_FLAGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={camera}",
    ]
    with LiveServer(settings) as live, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        for size, (w, h) in SIZES.items():
            page = browser.new_context(viewport={"width": w, "height": h}).new_page()
            page.goto(f"{live.url}/login")
            page.screenshot(path=str(out / f"login-{size}.png"))
            page.get_by_label("E-mail").fill(EMAIL)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{live.url}/athletes")
            for name, path in list(pages.items())[1:]:
                page.goto(live.url + path)
                page.wait_for_timeout(2500 if name == "record" else 300)
                page.screenshot(path=str(out / f"{name}-{size}.png"))
            _shoot_tabs(page, f"{live.url}/assessments/{aid}", out, size)
        browser.close()


def _shoot_tabs(page, url: str, out: Path, size: str) -> None:  # type: ignore[no-untyped-def]
    """Photograph each tab of the assessment page (the whole page, folded parts closed)."""
    page.goto(url)
    for name, label in TABS.items():
        page.get_by_role("tab", name=re.compile(label)).click()
        page.wait_for_timeout(300)
        page.screenshot(path=str(out / f"{name}-{size}.png"), full_page=True)


def main() -> None:
    """Populate a temporary app with real data and photograph it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        base = {
            "environment": "development",
            "secret_key": "shots-" + "0" * 40,
            "data_dir": Path(tmp),
            "cookie_secure": False,
        }
        athlete, aid = populate(Settings(**base, allow_keypoints_upload=True))  # type: ignore[arg-type]
        camera = Path(tmp) / "camera.y4m"
        _y4m(VIDEO / "male_side.mp4", camera)
        shoot(Settings(**base), athlete, aid, args.out, camera)  # type: ignore[arg-type]
    print(f"screenshots in {args.out}")


def _y4m(clip: Path, out: Path) -> None:
    from fractions import Fraction

    import av

    with av.open(str(clip)) as src, av.open(str(out), "w", format="yuv4mpegpipe") as dst:
        sin = src.streams.video[0]
        st = dst.add_stream("wrapped_avframe", rate=sin.average_rate)
        st.width, st.height, st.pix_fmt = 360, 640, "yuv420p"
        for i, frame in enumerate(src.decode(sin)):
            if i >= 90:
                break
            img = frame.reformat(width=360, height=640, format="yuv420p")
            img.pts, img.time_base = i, Fraction(1, int(sin.average_rate or 30))
            dst.mux(st.encode(img))
        dst.mux(st.encode(None))


if __name__ == "__main__":
    main()
