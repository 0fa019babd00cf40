"""Speed and memory of pose estimation alone against the whole analysis, on one clip.

Prints, for a clip and model: raw pose-engine fps (frames decoded beforehand, only the landmarker
timed), end-to-end analysis fps (kinechain.analyze: decode + pose + cleaning + measures), their
ratio, the real-time factor (analysis seconds per clip second) and peak memory of each.
Each figure is the median of --runs fresh processes.

    .venv/bin/python benchmarks/pose_speed.py examples/running-side-treadmill.mp4 --model balanced
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from kinechain.pose.mediapipe_backend import DEFAULT_MAX_SIDE as MAX_SIDE


def raw_engine(clip: str, model: str) -> dict[str, float]:
    """Time the landmarker alone on frames decoded into memory first."""
    from kinechain.pose.mediapipe_backend import _landmarker, _mp_image
    from kinechain.pose.models import model_path
    from kinechain.video import iter_frames

    frames = list(iter_frames(clip, max_side=MAX_SIDE, prefetch=0))
    engine = _landmarker(model_path(model), 1)
    start = time.perf_counter()
    for k, f in enumerate(frames):
        engine.detect_for_video(_mp_image(f.rgb), round(f.time * 1000) + k)
    seconds = time.perf_counter() - start
    engine.close()
    return {"frames": len(frames), "seconds": seconds}


def end_to_end(clip: str, model: str) -> dict[str, float]:
    """Time kinechain.analyze on the clip, from the file on disk to the measures."""
    import kinechain

    t0 = time.perf_counter()
    importlib.import_module("mediapipe.tasks.python.vision")  # library start-up, timed apart

    start = time.perf_counter()
    analysis = kinechain.analyze(clip, quality=model)
    seconds = time.perf_counter() - start
    return {
        "frames": analysis.result.quality["frames"],
        "seconds": seconds,
        "startup_s": start - t0,
        "clip_seconds": analysis.result.clip.duration if analysis.result.clip else 0.0,
    }


def child(mode: str, clip: str, model: str) -> None:
    out = raw_engine(clip, model) if mode == "raw" else end_to_end(clip, model)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def run(mode: str, clip: str, model: str, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, __file__, clip, "--model", model, "--child", mode],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip")
    parser.add_argument("--model", default="balanced", choices=["fast", "balanced", "accurate"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=["raw", "e2e"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.clip, args.model)
        return
    raw = run("raw", args.clip, args.model, args.runs)
    e2e = run("e2e", args.clip, args.model, args.runs)
    raw_fps, e2e_fps = raw["frames"] / raw["seconds"], e2e["frames"] / e2e["seconds"]
    print(
        f"clip                 {Path(args.clip).name} ({int(raw['frames'])} frames), model {args.model}, "
        f"median of {args.runs} runs"
    )
    print(f"raw pose engine      {raw_fps:6.1f} fps   peak memory {raw['peak_rss_mb']:6.0f} MB")
    print(f"end-to-end analysis  {e2e_fps:6.1f} fps   peak memory {e2e['peak_rss_mb']:6.0f} MB")
    print(f"ratio end-to-end/raw {e2e_fps / raw_fps:6.2f}      (target >= 0.90)")
    print(f"real-time factor     {e2e['seconds'] / e2e['clip_seconds']:6.2f} s of analysis per s of video")
    print(f"library start-up     {e2e['startup_s']:6.2f} s per process (importing MediaPipe), not above")


if __name__ == "__main__":
    main()
