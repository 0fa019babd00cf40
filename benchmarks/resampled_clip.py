"""Make the 60 fps 1080x1920 benchmark clips from the bundled 30 fps 720x1280 example, once, cached.

There is no real 60 fps 1080p running clip in the project, so the speed benchmark resamples the
bundled treadmill run (examples/running-side-treadmill.mp4, MIT): FFmpeg's ``minterpolate``
filter (motion-compensated interpolation) raises it to 60 fps, so every other frame is a
synthesised in-between picture and frame ``2k`` is the original frame ``k`` (the by-eye marks map
x2), then ``scale`` (bicubic) upscales it to 1080x1920 and libx264 (high profile, 16 Mbit/s
like a phone's 1080p60 video) encodes it. The 60 s version repeats the 12 s clip five times by copying its
packets with shifted timestamps (no second encoding). These are resampled clips, not recordings.

    PYTHONPATH=src python benchmarks/resampled_clip.py [--cache DIR]
"""

from __future__ import annotations

import argparse
import itertools
import os
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "running-side-treadmill.mp4"
CACHE = Path(os.environ.get("KINECHAIN_BENCH_CACHE", Path.home() / ".cache" / "kinechain-bench"))
CLIP_60 = "running-side-treadmill-1080p60.mp4"
CLIP_60_LONG = "running-side-treadmill-1080p60-60s.mp4"
#: Bit rate of the 60 fps clip, bit/s: that of phones' 1080p60 H.264 (decoding cost grows with it).
PHONE_BITRATE = 16_000_000
#: Output frames per input frame (30 -> 60 fps): by-eye frame marks are multiplied by this.
FRAME_FACTOR = 2


def _filtered(src: av.container.InputContainer) -> Iterator[av.VideoFrame]:
    """Decode the source and yield frames through minterpolate (60 fps) and scale (1080x1920)."""
    stream = src.streams.video[0]
    graph = av.filter.Graph()
    chain = [
        graph.add_buffer(template=stream),
        graph.add("minterpolate", "fps=60:mi_mode=mci"),
        graph.add("scale", "1080:1920:flags=bicubic"),
        graph.add("format", "yuv420p"),
        graph.add("buffersink"),
    ]
    for a, b in itertools.pairwise(chain):
        a.link_to(b)
    graph.configure()
    for frame in [*src.decode(stream), None]:
        graph.push(frame)
        while True:
            try:
                yield graph.pull()
            except (av.error.BlockingIOError, av.error.EOFError):
                break


def make_60fps(source: Path, out: Path) -> Path:
    """Write ``source`` resampled to 60 fps and 1080x1920 as H.264 MP4 at ``out``."""
    tmp = out.with_suffix(".part.mp4")
    with av.open(str(source)) as src, av.open(str(tmp), "w") as dst:
        video = dst.add_stream("libx264", rate=60)
        video.width, video.height, video.pix_fmt = 1080, 1920, "yuv420p"
        video.bit_rate = PHONE_BITRATE
        video.options = {"preset": "fast", "profile": "high"}
        video.time_base = Fraction(1, 60)
        for k, frame in enumerate(_filtered(src)):
            frame.pts, frame.time_base = k, Fraction(1, 60)
            dst.mux(video.encode(frame))
        dst.mux(video.encode(None))
    tmp.replace(out)
    return out


def make_loop(clip: Path, out: Path, times: int) -> Path:
    """Write ``clip`` repeated ``times`` times (packets copied, timestamps shifted) at ``out``."""
    tmp = out.with_suffix(".part.mp4")
    with av.open(str(clip)) as src, av.open(str(tmp), "w") as dst:
        sv = src.streams.video[0]
        dv = dst.add_stream_from_template(sv)
        span = sv.duration or 0
        for rep in range(times):
            src.seek(0, stream=sv)
            for packet in src.demux(sv):
                if packet.dts is None:
                    continue
                packet.pts = None if packet.pts is None else packet.pts + rep * span
                packet.dts += rep * span
                packet.stream = dv
                dst.mux(packet)
    tmp.replace(out)
    return out


def clips(cache: Path = CACHE) -> tuple[Path, Path]:
    """Return (12 s 60 fps clip, 60 s 60 fps clip), making them first when not cached."""
    cache.mkdir(parents=True, exist_ok=True)
    short, long = cache / CLIP_60, cache / CLIP_60_LONG
    if not short.exists():
        print(f"making {short} (motion-interpolated to 60 fps, about 3 min, once) ...", flush=True)
        make_60fps(EXAMPLE, short)
    if not long.exists():
        make_loop(short, long, 5)
    return short, long


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    for clip in clips(args.cache):
        with av.open(str(clip)) as c:
            s = c.streams.video[0]
            seconds = float(s.duration * s.time_base) if s.duration else 0.0
            rate = (c.size * 8 / seconds / 1e6) if seconds else 0.0
            print(f"{clip}: {s.width}x{s.height}, {s.average_rate} fps, {s.frames} frames, {rate:.1f} Mbit/s")


if __name__ == "__main__":
    main()
