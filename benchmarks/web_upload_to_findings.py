"""Time from upload to findings through a running kinechain web app, for one clip.

Starts the app on 127.0.0.1 (SQLite in a temporary folder, analysis in-process, real pose model,
overlay video on: the defaults of ``kinechain serve``), signs up a clinic, adds an athlete and an
assessment with the example intake, then times: the upload (HTTP request), the analysis up to
the findings being stored (the status poller's "findings", as the page's own poller sees it),
the assessment page showing them, and apart the whole job with its overlay video. Prints the
figures; "upload to findings" is upload + analysis + page.

    python benchmarks/web_upload_to_findings.py [CLIP] [--repeat N] [--battery N] [--job-threads N]

``--battery N`` then uploads N copies at once and times until all have findings.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import yaml

from kinechain.config import Settings
from kinechain.web.live import LiveServer

ROOT = Path(__file__).resolve().parents[1]
CLIP = ROOT / "tests" / "data" / "video" / "male_side.mp4"
INTAKE = ROOT / "examples" / "assessment" / "intake.yaml"


def _csrf(c: httpx.Client) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
    assert m
    return m.group(1)


def _intake_form(csrf: str) -> str:
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
    return urlencode(form)


def _prepare(c: httpx.Client) -> tuple[str, int]:
    csrf = _csrf(c)
    c.post(
        "/signup",
        data={
            "csrf_token": csrf,
            "clinic": "Bench",
            "name": "B",
            "email": "b@bench.org",
            "password": "bench password",
        },
    )
    r = c.post("/athletes", data={"csrf_token": csrf, "name": "Runner", "sex": "male"})
    r = c.post(f"{r.url.path}/assessments", data={"csrf_token": csrf})
    aid = int(r.url.path.rsplit("/", 1)[1])
    c.post(
        f"/assessments/{aid}/intake",
        content=_intake_form(csrf),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    return csrf, aid


def _upload(c: httpx.Client, csrf: str, aid: int, clip: Path) -> int:
    """Upload ``clip`` as a running side-view trial of assessment ``aid``; return the trial id."""
    with clip.open("rb") as fh:
        r = c.post(
            f"/assessments/{aid}/trials",
            data={"csrf_token": csrf, "test": "running", "view": "side"},
            files={"video": (clip.name, fh, "video/mp4")},
            headers={"Accept": "application/json"},
        )
    r.raise_for_status()
    return int(r.json()["trial"])


def _one_run(c: httpx.Client, csrf: str, aid: int, clip: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    trial = _upload(c, csrf, aid, clip)
    t_upload = time.perf_counter()
    while not (job := c.get(f"/trials/{trial}/status").json())["findings"]:
        if job["state"] == "failed":
            sys.exit(f"analysis failed: {job['reason']}")
        time.sleep(0.1)
    t_findings = time.perf_counter()
    page = c.get(f"/assessments/{aid}").text
    t_page = time.perf_counter()
    if 'class="finding' not in page:
        sys.exit("the assessment page shows no findings")
    while c.get(f"/trials/{trial}/status").json()["state"] not in ("done", "failed"):
        time.sleep(0.1)
    return {
        "upload": t_upload - t0,
        "analysis": t_findings - t_upload,
        "page": t_page - t_findings,
        "total": t_page - t0,
        "overlay done": time.perf_counter() - t0,
    }


def _battery(c: httpx.Client, csrf: str, aid: int, clip: Path, n: int) -> float:
    """Upload ``clip`` ``n`` times at once; return the seconds until every upload has its findings."""
    t0 = time.perf_counter()
    trials = []
    for _ in range(n):
        trials.append(_upload(c, csrf, aid, clip))
    while not all(c.get(f"/trials/{t}/status").json()["findings"] for t in trials):
        time.sleep(0.2)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, default=CLIP)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--battery", type=int, default=0, help="also upload this many clips at once")
    parser.add_argument("--job-threads", type=int, help="analyses at once (default: the app's default)")
    args = parser.parse_args()
    over = {"job_threads": args.job_threads} if args.job_threads else {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            environment="development",
            secret_key="bench-" + "0" * 40,
            data_dir=Path(tmp),
            cookie_secure=False,
            **over,  # type: ignore[arg-type]
        )
        with (
            LiveServer(settings) as live,
            httpx.Client(base_url=live.url, timeout=600, follow_redirects=True) as c,
        ):
            csrf, aid = _prepare(c)
            runs = [_one_run(c, csrf, aid, args.clip) for _ in range(args.repeat)]
            battery = _battery(c, csrf, aid, args.clip, args.battery) if args.battery else None
    size = args.clip.stat().st_size / 1e6
    overlay = "on" if settings.overlay_videos else "off"
    print(f"clip: {args.clip.name} ({size:.1f} MB); model: {settings.pose_quality}; overlay video: {overlay}")
    for key in ("upload", "analysis", "page", "total", "overlay done"):
        values = [r[key] for r in runs]
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(f"{key:12s} median {statistics.median(values):6.2f} s  (runs: {shown})")
    print(f"upload to findings: {statistics.median(r['total'] for r in runs):.1f} s")
    if battery is not None:
        what = f"{args.battery} clips uploaded at once, {settings.job_threads} job(s) at once"
        print(f"{what}: all findings in {battery:.1f} s")


if __name__ == "__main__":
    main()
