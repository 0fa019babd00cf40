"""Speed and memory of the report outputs (HTML report, overlay video) on one clip.

Prints: frames decoded per second alone (the floor for any overlay), overlay writing fps with its
real-time factor (seconds of writing per second of video; below 1 keeps up with playback), HTML
report writing time, and the peak memory of the analysis alone against the analysis plus each
output (the overlay streams frames, so it should add little whatever the clip length).
Each figure is the median of --runs fresh processes. The pose comes from recorded keypoints so
that only the outputs are timed.

    .venv/bin/python benchmarks/report_speed.py tests/data/video/male_side.mp4 \
        --keypoints tests/data/video/male_side.mediapipe-full.json
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(mode: str, clip: str, keypoints: str) -> dict[str, float]:
    """Run one measurement in this (fresh) process."""
    import kinechain
    from kinechain.report.html import write_report
    from kinechain.report.overlay import write_overlay
    from kinechain.video.reader import iter_frames, probe

    info = probe(clip)
    out: dict[str, float] = {"frames": info.n_frames, "clip_seconds": info.duration, "seconds": 0.0}
    if mode == "decode":
        start = time.perf_counter()
        out["frames"] = sum(1 for _ in iter_frames(clip, max_side=1280))
        out["seconds"] = time.perf_counter() - start
        return out
    analysis = kinechain.analyze(clip, keypoints=keypoints)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        if mode == "overlay":
            write_overlay(analysis, Path(tmp) / "overlay.mp4")
        elif mode == "report":
            write_report(analysis, Path(tmp) / "report.html")
        out["seconds"] = time.perf_counter() - start
    return out


def run(mode: str, clip: str, keypoints: str, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, __file__, clip, "--keypoints", keypoints, "--child", mode],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip")
    parser.add_argument("--keypoints", required=True, help="recorded keypoints of the clip")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["decode", "analysis", "overlay", "report"])
    args = parser.parse_args()
    if args.child:
        out = child(args.child, args.clip, args.keypoints)
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(out))
        return
    r = {m: run(m, args.clip, args.keypoints, args.runs) for m in ("decode", "analysis", "overlay", "report")}
    ov, dec = r["overlay"], r["decode"]
    clip_fps = ov["frames"] / ov["clip_seconds"]
    print(
        f"clip              {Path(args.clip).name}: {int(ov['frames'])} frames, {clip_fps:.1f} fps, "
        f"median of {args.runs} runs"
    )
    print(f"decode only       {dec['frames'] / dec['seconds']:6.1f} fps")
    print(
        f"overlay writing   {ov['frames'] / ov['seconds']:6.1f} fps   real-time factor "
        f"{ov['seconds'] / ov['clip_seconds']:.2f} s per s of video"
    )
    print(f"HTML report       {r['report']['seconds']:6.2f} s")
    base = r["analysis"]["peak_rss_mb"]
    print(
        f"peak memory       analysis alone {base:.0f} MB; with overlay {ov['peak_rss_mb']:.0f} MB "
        f"(+{ov['peak_rss_mb'] - base:.0f}); with report {r['report']['peak_rss_mb']:.0f} MB "
        f"(+{r['report']['peak_rss_mb'] - base:.0f})"
    )


if __name__ == "__main__":
    main()
