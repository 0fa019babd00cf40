"""A battery of clips with ``kinechain assess``: clips one after the other against several at once.

Runs the real command on real clips, in fresh processes, alternating (one at a time, at once, one
at a time, ...; ``KINECHAIN_CLIPS_AT_ONCE``), and prints each mode's wall time (median and range),
their ratio, and whether the saved assessments hold the same results (``created`` aside). The
battery: the bundled running clip, the goblet squat filmed from the side (../shared, left out when
absent) and the male_side clip of tests/data again as a third clip.

    PYTHONPATH=src .venv/bin/python benchmarks/battery_speed.py [--runs 2]
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

ROOT = Path(__file__).resolve().parents[1]
SQUAT = ROOT.parent / "shared" / "data" / "video" / "squat-side" / "goblet-squat-side.mp4"
CLIPS = [
    f"running:side:{ROOT / 'examples' / 'running-side-treadmill.mp4'}",
    *([f"double_leg_squat:side:{SQUAT}"] if SQUAT.exists() else []),
    f"running:side:{ROOT / 'tests' / 'data' / 'video' / 'male_side.mp4'}",
]


def assess(at_once: int, out: Path) -> float:
    """Run ``kinechain assess`` on the battery with ``at_once`` clips at once; return its wall time, s."""
    cmd = [sys.executable, "-m", "kinechain", "assess", "--no-pdf", "--out", str(out)]
    cmd += ["--intake", str(ROOT / "examples" / "assessment" / "intake.yaml")]
    for clip in CLIPS:
        cmd += ["--clip", clip]
    env = {**os.environ, "KINECHAIN_CLIPS_AT_ONCE": str(at_once)}
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def results(out: Path) -> list[dict[str, object]]:
    """The saved results without their creation times."""
    saved = json.loads((out / "assessment.json").read_text())
    return [{k: v for k, v in r.items() if k != "created"} for r in saved["results"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--at-once", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    times: dict[int, list[float]] = {1: [], args.at_once: []}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for n, spent in times.items():
                spent.append(assess(n, Path(tmp) / f"{n}-{run}"))
                print(f"run {run + 1}, {n} at once: {spent[-1]:.1f} s", flush=True)
        same = results(Path(tmp) / "1-0") == results(Path(tmp) / f"{args.at_once}-0")
    print(f"battery of {len(CLIPS)} clips, {len(os.sched_getaffinity(0))} cores, {args.runs} runs each")
    for n, t in times.items():
        print(f"  {n} at once: median {statistics.median(t):.1f} s (range {min(t):.1f}-{max(t):.1f})")
    ratio = statistics.median(times[args.at_once]) / statistics.median(times[1])
    print(f"  at once / one after the other: {ratio:.2f}; same results: {same}")


if __name__ == "__main__":
    main()
