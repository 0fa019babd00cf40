"""Real time on two cores: raw pose engine against the whole analysis, with accuracy, in one run.

For the bundled example (720x1280, 30 fps, 12 s) and a 60 fps 1080x1920 clip resampled from it
(benchmarks/resampled_clip.py: motion-interpolated, not a recording; by-eye marks mapped x2),
prints: the raw pose engine (frames decoded beforehand, one landmarker, only inference timed),
the whole analysis with the pose model on one thread and with two (time segments, the second in a
child process: kinechain.pose.segments and kinechain.pose.parallel), each as fps, real-time
factor (analysis s per clip s; below 1 is faster than the clip plays), share of wall time outside
pose estimation and peak memory (this process plus its largest child); beside
them the event and angle errors against the by-eye marks (tests/data/validation/male_side) and
the measures, so a setting that moves a measure shows. Runs alternate in fresh processes
(raw, one thread, default, raw, ...); medians and ranges are printed. Then: peak memory and
real-time factor of a 60 s 60 fps 1080p clip, HTML report and PDF timed apart, the CLI against
the web app's upload-to-findings on the same clip, and Celery throughput with 1, 2 and 4 worker
processes (benchmarks/worker_throughput.py).

    PYTHONPATH=src python benchmarks/realtime.py [--runs 2] [--quick]

``--quick`` skips the web, CLI and Celery parts (about half the time; the whole run took 20
minutes with ``--runs 1`` on a slow day, docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import real_video_validation as validation  # noqa: E402
import resampled_clip  # noqa: E402
from pose_speed import peak_rss_mb, raw_engine  # noqa: E402

EXAMPLE = ROOT / "examples" / "running-side-treadmill.mp4"
MARKS = ROOT / "tests" / "data" / "validation" / "male_side" / "male_side.events.json"
MEASURES = ("cadence", "contact_time", "knee_flexion_ic", "knee_flexion_peak_stance", "tibia_angle_ic")
MEASURES += ("foot_strike_angle", "trunk_lean", "vertical_oscillation")


def truth_for(frame_factor: int) -> validation.Truth:
    """The by-eye marks of the bundled clip, frame numbers multiplied by ``frame_factor``."""
    t = validation.load_truth(MARKS)
    t.fps *= frame_factor
    t.contacts = {s: [f * frame_factor for f in v] for s, v in t.contacts.items()}
    t.toe_offs = {s: [f * frame_factor for f in v] for s, v in t.toe_offs.items()}
    return t


def _accuracy(analysis: object, frame_factor: int) -> dict[str, object]:
    """Errors against the by-eye marks, per foot (frames of the clip, ms, deg)."""
    truth = truth_for(frame_factor)
    out: dict[str, object] = {}
    for side in (truth.near, "right" if truth.near == "left" else "left"):
        r = validation.side_row("clip", truth, analysis, side)  # type: ignore[arg-type]
        ms = 1000.0 / r.fps
        out[("near" if r.near else "far") + "/" + side] = {
            "ic_ms": float(np.median(np.abs(r.ic_errors))) * ms if r.ic_errors.size else None,
            "to_ms": float(np.median(np.abs(r.to_errors))) * ms if r.to_errors.size else None,
            "missed": f"{r.missed}/{r.ic_marked}",
            "contact_err_ms": r.contact_ms - r.contact_truth_ms,
            "angle_err_deg": r.angle_errors,
        }
    return out


def pipeline(clip: str, model: str, frame_factor: int, outputs: bool) -> dict[str, object]:
    """Time kinechain.analyze (and the pose stage inside it); errors against the marks."""
    import kinechain
    from kinechain.pose.mediapipe_backend import MediaPipeEstimator, _landmarker
    from kinechain.pose.models import model_path
    from kinechain.pose.segments import pose_threads

    _landmarker(model_path(model), 1).close()  # one-off start-up of a process, not timed
    est = MediaPipeEstimator(model)
    pose_s = [0.0]
    estimate = est.estimate

    def timed(video: str, **kw: object) -> object:
        t = time.perf_counter()
        try:
            return estimate(video, **kw)  # type: ignore[arg-type]
        finally:
            pose_s[0] += time.perf_counter() - t

    est.estimate = timed  # type: ignore[method-assign]
    start = time.perf_counter()
    analysis = kinechain.analyze(clip, estimator=est)
    seconds = time.perf_counter() - start
    res = analysis.result
    out: dict[str, object] = {
        "frames": res.quality.frames,
        "seconds": seconds,
        "pose_seconds": pose_s[0],
        "clip_seconds": res.clip.duration if res.clip else 0.0,
        "threads": est.threads or pose_threads(res.clip.fps if res.clip else 30.0),
        "measures": {
            f"{m.id.removeprefix('running.')}/{m.side}": round(m.value, 2)
            for m in res.measures
            if m.value is not None and m.id.removeprefix("running.") in MEASURES
        },
    }
    if frame_factor:
        out["accuracy"] = _accuracy(analysis, frame_factor)
    if outputs:
        out |= _outputs(analysis)
    return out


def _outputs(analysis: object) -> dict[str, float]:
    """Seconds to write the HTML report and to print it to PDF, each timed alone."""
    from kinechain.report.assessment import html_to_pdf
    from kinechain.report.html import write_report

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        page = write_report(analysis, Path(tmp) / "report.html")  # type: ignore[arg-type]
        t1 = time.perf_counter()
        html_to_pdf(page.read_text(), Path(tmp) / "report.pdf")
        t2 = time.perf_counter()
    return {"report_html_s": t1 - t0, "report_pdf_s": t2 - t1}


def child(args: argparse.Namespace) -> None:
    """One measurement in this fresh process; prints one JSON line."""
    if args.child == "raw":
        out: dict[str, object] = raw_engine(args.clip, args.model)
    else:
        out = pipeline(args.clip, args.model, args.frame_factor, args.outputs)
    out["peak_rss_mb"] = peak_rss_mb(int(out.get("threads", 1)))  # type: ignore[arg-type]
    print(json.dumps(out))


def run_child(
    mode: str, clip: Path, model: str, factor: int, threads: int = 0, outputs: bool = False
) -> dict:
    """Run one measurement in a fresh process (``threads`` 0: the default number)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("KINECHAIN_POSE_THREADS", None)
    if threads > 0:
        env["KINECHAIN_POSE_THREADS"] = str(threads)
    cmd = [sys.executable, __file__, "--child", mode, "--clip", str(clip), "--model", model]
    cmd += ["--frame-factor", str(factor)] + (["--outputs"] if outputs else [])
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    if proc.returncode:
        sys.exit(f"{mode} run on {clip.name} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def default_threads(fps: float) -> int:
    """Pose threads the analysis uses by default on a clip of ``fps`` (without the variable)."""
    from kinechain.pose.segments import THREADS_ENV, pose_threads

    saved = os.environ.pop(THREADS_ENV, None)
    try:
        return pose_threads(fps)
    finally:
        if saved is not None:
            os.environ[THREADS_ENV] = saved


def spread(values: list[float], digits: int = 1) -> str:
    """Median with the range, e.g. ' 57.5 (55.1-58.0)'."""
    return f"{statistics.median(values):6.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def print_clip(name: str, runs: dict[str, list[dict]]) -> None:
    """Print the speed, memory and accuracy lines of one clip."""
    raw = runs["raw"]
    raw_fps = [r["frames"] / r["seconds"] for r in raw]
    clip_s = raw[0]["clip_seconds"]
    print(
        f"\n== {name}: {raw[0]['frames']} frames, {clip_s:.2f} s; {len(raw)} alternating runs, median (range)"
    )
    print(f"{'':24s} {'fps':>18s} {'real-time factor':>20s} {'outside pose':>13s} {'peak MB':>8s}")
    raw_rtf = spread([r["seconds"] / clip_s for r in raw], 2)
    raw_mb = statistics.median(r["peak_rss_mb"] for r in raw)
    print(f"{'raw pose engine (1)':24s} {spread(raw_fps):>18s} {raw_rtf:>20s} {'':13s} {raw_mb:8.0f}")
    default = default_threads(runs["one"][0]["frames"] / clip_s)
    for mode, text in (("one", "analysis, 1 pose thread"), ("two", "analysis, 2 pose segments")):
        rs = runs[mode]
        label = text + (" *" if rs[0]["threads"] == default else "")
        fps = [r["frames"] / r["seconds"] for r in rs]
        rtf = [r["seconds"] / r["clip_seconds"] for r in rs]
        outside = [100 * (1 - r["pose_seconds"] / r["seconds"]) for r in rs]
        print(
            f"{label:24s} {spread(fps):>18s} {spread(rtf, 2):>20s} {spread(outside):>12s}% "
            f"{statistics.median(r['peak_rss_mb'] for r in rs):8.0f}"
        )
    ratio = [r["frames"] / r["seconds"] / f for r, f in zip(runs["one"], raw_fps, strict=True)]
    print(f"ratio analysis (1 thread) / raw engine fps: {spread(ratio, 2)}  (target >= 0.90)")
    print(f"* the default for this clip ({default} pose thread(s)); accuracy against the by-eye marks:")
    for mode in ("one", "two"):
        r = runs[mode][0]
        print(f"-- {mode} thread(s): measures {json.dumps(r['measures'])}")
        for foot, acc in r["accuracy"].items():
            angles = " ".join(f"{k}:{v:+.1f}" for k, v in acc["angle_err_deg"].items()) or "-"
            ic = "-" if acc["ic_ms"] is None else f"{acc['ic_ms']:.0f}"
            to = "-" if acc["to_ms"] is None else f"{acc['to_ms']:.0f}"
            print(
                f"   {foot:11s} |IC err| {ic:>3s} ms  |TO err| {to:>3s} ms  missed {acc['missed']}  "
                f"contact err {acc['contact_err_ms']:+.0f} ms  angle err deg {angles}"
            )


def measure_clip(clip: Path, model: str, factor: int, runs: int) -> dict[str, list[dict]]:
    """Alternate raw, one-thread and default runs on one clip (so load drift hits all three)."""
    out: dict[str, list[dict]] = {"raw": [], "one": [], "two": []}
    for _ in range(runs):
        out["raw"].append(run_child("raw", clip, model, factor))
        out["one"].append(run_child("e2e", clip, model, factor, threads=1))
        out["two"].append(run_child("e2e", clip, model, factor, threads=2))
    return out


def long_clip(clip: Path, model: str) -> None:
    """Peak memory and real-time factor of the default analysis of the 60 s clip."""
    r = run_child("e2e", clip, model, 0)
    print(
        f"\n== 60 s clip ({clip.name}, {r['frames']} frames): default analysis {r['seconds']:.1f} s, "
        f"real-time factor {r['seconds'] / r['clip_seconds']:.2f}, peak memory {r['peak_rss_mb']:.0f} MB "
        "(target < 1500 MB)"
    )


def outputs(model: str) -> None:
    """HTML report and PDF of the bundled example, timed apart from the analysis."""
    r = run_child("e2e", EXAMPLE, model, 1, outputs=True)
    print(
        f"\n== outputs of the bundled example (after its analysis, timed apart): HTML report "
        f"{r['report_html_s']:.2f} s, the same printed to PDF {r['report_pdf_s']:.2f} s"
    )


def cli_and_web(model: str) -> None:
    """The README's CLI command against upload-to-findings in the web app, same clip."""
    import cli_example

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as tmp:
        cli = cli_example.one_run(str(EXAMPLE), model, Path(tmp))
    web = subprocess.run(
        [sys.executable, str(HERE / "web_upload_to_findings.py"), str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    total = float(web.strip().splitlines()[-1].split(":")[1].split()[0])
    print("\n== CLI against web, bundled example")
    print(f"CLI `kinechain analyze CLIP --report R --json J`: {cli:.1f} s")
    print("web app:\n" + "\n".join("   " + ln for ln in web.strip().splitlines()))
    print(f"web upload-to-findings / CLI: {total / cli:.2f} (target <= 1.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--model", default="balanced", choices=["fast", "balanced", "accurate"])
    parser.add_argument("--quick", action="store_true", help="skip the CLI, web and Celery parts")
    parser.add_argument("--child", choices=["raw", "e2e"])
    parser.add_argument("--clip")
    parser.add_argument("--frame-factor", type=int, default=0)
    parser.add_argument("--outputs", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    short60, long60 = resampled_clip.clips()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load}; model {args.model}")
    for name, clip, factor in (
        ("bundled example, 720x1280 30 fps", EXAMPLE, 1),
        ("resampled 1080x1920 60 fps (motion-interpolated from the example; marks x2)", short60, 2),
    ):
        print_clip(name, measure_clip(clip, args.model, factor, args.runs))
    long_clip(long60, args.model)
    outputs(args.model)
    if not args.quick:
        cli_and_web(args.model)
        subprocess.run([sys.executable, str(HERE / "worker_throughput.py"), str(EXAMPLE)], check=False)
    print(f"\nmachine load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
