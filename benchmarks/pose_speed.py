"""Speed and memory of pose estimation alone against the whole analysis, on one clip.

Prints, for a clip and model: raw pose-engine fps (frames decoded beforehand, only the landmarker
timed), end-to-end analysis fps (kinechain.analyze: decode + pose + cleaning + measures), their
ratio, the real-time factor (analysis seconds per clip second) and peak memory of each. Raw and
end-to-end runs alternate in fresh processes; medians and ranges are printed. The one-off cost of a
process (importing MediaPipe, first model load) is timed and printed apart: a worker pays it once.

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
    from kinechain.video import iter_frames, probe

    frames = list(iter_frames(clip, max_side=MAX_SIDE, prefetch=0))
    engine = _landmarker(model_path(model), 1)
    start = time.perf_counter()
    for k, f in enumerate(frames):
        engine.detect_for_video(_mp_image(f.rgb), round(f.time * 1000) + k)
    seconds = time.perf_counter() - start
    engine.close()
    return {"frames": len(frames), "seconds": seconds, "clip_seconds": probe(clip).duration}


def warm_up(model: str) -> None:
    """Import kinechain's pipeline and MediaPipe, build one landmarker: one-off costs of a process."""
    from kinechain.pipeline import analyze  # noqa: F401  (imported lazily by ``kinechain.analyze``)
    from kinechain.pose.mediapipe_backend import _landmarker
    from kinechain.pose.models import model_path

    importlib.import_module("mediapipe.tasks.python.vision")
    _landmarker(model_path(model), 1).close()


def end_to_end(clip: str, model: str) -> dict[str, float]:
    """Time kinechain.analyze on the clip, from the file on disk to the measures."""
    import kinechain
    from kinechain.pose.segments import pose_threads

    t0 = time.perf_counter()
    warm_up(model)  # library start-up, once per process: timed apart

    start = time.perf_counter()
    analysis = kinechain.analyze(clip, quality=model)
    seconds = time.perf_counter() - start
    return {
        "frames": analysis.result.quality.frames,
        "seconds": seconds,
        "startup_s": start - t0,
        "clip_seconds": analysis.result.clip.duration if analysis.result.clip else 0.0,
        "threads": pose_threads(analysis.result.clip.fps) if analysis.result.clip else 1,
    }


def child(mode: str, clip: str, model: str) -> None:
    out = raw_engine(clip, model) if mode == "raw" else end_to_end(clip, model)
    out["peak_rss_mb"] = peak_rss_mb(int(out.get("threads", 1)))
    print(json.dumps(out))


def peak_rss_mb(threads: int) -> float:
    """Peak memory of this process, MB, plus its pose segment child's when ``threads`` > 1.

    The segment child is alive at the same time, so its peak is added (an upper bound). Importing
    MediaPipe also runs short-lived ldconfig and gcc children (sounddevice looks for a library):
    with no segment child the largest child is one of those, not alive at the peak, so not added.
    """
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return self_mb + (child_mb if threads > 1 else 0.0)


def run_child(mode: str, clip: str, model: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, clip, "--model", model, "--child", mode],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_pairs(clip: str, model: str, runs: int) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """Alternate raw and end-to-end runs (A B A B ...) so that drift in machine load hits both."""
    raws, e2es = [], []
    for _ in range(runs):
        raws.append(run_child("raw", clip, model))
        e2es.append(run_child("e2e", clip, model))
    return raws, e2es


def median_of(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in results)


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
    raws, e2es = run_pairs(args.clip, args.model, args.runs)
    raw_fps = [r["frames"] / r["seconds"] for r in raws]
    e2e_fps = [r["frames"] / r["seconds"] for r in e2es]
    ratios = [e / r for e, r in zip(e2e_fps, raw_fps, strict=True)]
    rtf = [r["seconds"] / r["clip_seconds"] for r in e2es]
    name, frames = Path(args.clip).name, int(raws[0]["frames"])
    print(
        f"clip {name} ({frames} frames), model {args.model}, {args.runs} alternating pairs, median (min-max)"
    )
    print(
        f"raw pose engine      {spread(raw_fps)} fps   peak memory {median_of(raws, 'peak_rss_mb'):5.0f} MB"
    )
    print(
        f"end-to-end analysis  {spread(e2e_fps)} fps   peak memory {median_of(e2es, 'peak_rss_mb'):5.0f} MB"
    )
    print(f"ratio end-to-end/raw {spread(ratios, 2)}   (target >= 0.90)")
    print(f"real-time factor     {spread(rtf, 2)} s of analysis per s of video")
    startup = median_of(e2es, "startup_s")
    print(f"library start-up     {startup:6.2f} s per process (imports, first model load), not above")


def spread(values: list[float], digits: int = 1) -> str:
    """Format the median with the range, e.g. ' 57.5 (55.1-58.0)'."""
    return f"{statistics.median(values):6.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


if __name__ == "__main__":
    main()
