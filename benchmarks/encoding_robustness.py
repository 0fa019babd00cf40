"""Contact time and foot-strike angle of one clip re-encoded with other codecs (issue 11, part 5).

The clip (default tests/data/video/male_side.mp4) is decoded once and encoded again with PyAV as
H.264, HEVC, VP9, AV1 and ProRes at the same size and frame rate, each analysed with the default
model and settings (pose cached as in real_video_validation.py). Prints, per encoding and foot,
contact time and foot-strike angle against the original's, and whether they stay within 10% and
3 deg (the issue's targets).

    PYTHONPATH=src python benchmarks/encoding_robustness.py [CLIP] [--model balanced]
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

import kinechain
from kinechain.model.result import AnalysisResult

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_video_validation import CACHE, ROOT, cached_pose

#: name -> (container suffix, codec, pixel format, options); quality near a phone's own export.
ENCODINGS = {
    "h264": (".mp4", "libx264", "yuv420p", {"crf": "23", "preset": "medium"}),
    "hevc": (
        ".mp4",
        "libx265",
        "yuv420p",
        {"crf": "28", "preset": "medium", "x265-params": "log-level=error"},
    ),
    "vp9": (".webm", "libvpx-vp9", "yuv420p", {"crf": "32", "b": "0", "deadline": "good", "cpu-used": "4"}),
    "av1": (".mkv", "libsvtav1", "yuv420p", {"crf": "35", "preset": "8"}),
    "prores": (".mov", "prores_ks", "yuv422p10le", {"profile": "2"}),
}
TARGET_CONTACT = 0.10
TARGET_ANGLE_DEG = 3.0


def reencode(src: Path, name: str) -> Path:
    """Write ``src`` encoded as ``name`` (see ENCODINGS) into the cache folder; return its path."""
    suffix, codec, pix_fmt, options = ENCODINGS[name]
    out = CACHE / f"{src.stem}.{name}{suffix}"
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    with av.open(str(src)) as inp, av.open(str(out), "w") as dst:
        vin = inp.streams.video[0]
        rate = Fraction(vin.average_rate or 30)
        vout = dst.add_stream(codec, rate=rate, options=options)
        vout.width, vout.height, vout.pix_fmt = vin.codec_context.width, vin.codec_context.height, pix_fmt
        for k, frame in enumerate(inp.decode(vin)):
            new = frame.reformat(format=pix_fmt)
            new.pts, new.time_base = k, Fraction(1) / rate
            dst.mux(vout.encode(new))
        dst.mux(vout.encode(None))
    return out


def values(result: AnalysisResult, side: str) -> tuple[float, float]:
    """(contact time ms, foot-strike angle deg) of one foot; NaN when not measurable."""
    out = []
    for mid in ("running.contact_time", "running.foot_strike_angle"):
        m = result.measure(mid, side)
        out.append(m.value if m is not None and m.measurable and m.value is not None else float("nan"))
    return out[0], out[1]


def main(argv: list[str] | None = None) -> int:
    """Re-encode, analyse and print the comparison table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "clip", nargs="?", type=Path, default=ROOT / "tests" / "data" / "video" / "male_side.mp4"
    )
    parser.add_argument("--model", default="balanced")
    args = parser.parse_args(argv)
    clips = {"original": args.clip} | {name: reencode(args.clip, name) for name in ENCODINGS}
    results = {
        name: kinechain.analyze(path, keypoints=cached_pose(path, args.model)).result
        for name, path in clips.items()
    }
    print(
        f"{'encoding':10s} {'foot':6s} {'contact ms':>10s} {'change':>7s} "
        f"{'strike deg':>10s} {'change':>7s}  within"
    )
    for side in ("left", "right"):
        ref_ct, ref_fsa = values(results["original"], side)
        for name, result in results.items():
            ct, fsa = values(result, side)
            if not np.isfinite(ct) and not np.isfinite(fsa):
                print(f"{name:10s} {side:6s} not reported (far leg or not measurable)")
                continue
            d_ct, d_fsa = ct / ref_ct - 1, fsa - ref_fsa
            ok = abs(d_ct) <= TARGET_CONTACT and abs(d_fsa) <= TARGET_ANGLE_DEG
            print(
                f"{name:10s} {side:6s} {ct:10.0f} {100 * d_ct:+6.0f}% "
                f"{fsa:10.1f} {d_fsa:+7.1f}  {'yes' if ok else 'NO'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
