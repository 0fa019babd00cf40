"""Split a clip into time segments that separate pose trackers analyse at once, one per core.

The pose landmarker runs on one core and tracks the person from frame to frame, so one clip
cannot use two cores by itself. Cut into consecutive segments, each with its own decoder and
landmarker, the clip is analysed on all cores at once. Every segment after the first starts
``WARMUP_S`` before its share, and those warm-up frames are dropped: by the first kept frame the
tracker has found the person and its landmark smoothing has settled, so the joined landmarks
do not match one tracker's run exactly: the tracker's path differs, which moves landmarks by
about 2 px (median) and angles at contact by up to about 2 deg on the bundled clip, about the
model's own noise (``benchmarks/realtime.py`` prints the errors against the by-eye marks both
ways). So by default only clips one tracker cannot analyse in real time are cut
(:data:`SPLIT_ABOVE_FPS`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Seconds each later segment is analysed before its share and dropped (tracker warm-up).
WARMUP_S = 1.0
#: Shortest share of a clip worth a segment of its own, s (a shorter one is mostly warm-up).
MIN_SEGMENT_S = 3.0
#: Environment variable that sets how many segments (threads) the pose model runs on; 1 turns
#: the splitting off (e.g. when several worker processes already share the cores).
THREADS_ENV = "KINECHAIN_POSE_THREADS"
#: Clips up to this frame rate (frames/s) use one tracker by default: the default model alone runs
#: at 46-62 fps on the 2-core reference machine (docs/benchmarks.md), faster than a 30 fps clip
#: plays, and one tracker's landmarks are the validated ones. Engineering convention.
SPLIT_ABOVE_FPS = 40.0
#: Default ceiling on segments: two cores were measured (benchmarks/realtime.py).
DEFAULT_MAX_THREADS = 2


@dataclass(frozen=True)
class Segment:
    """One share of a clip, in seconds from its first frame.

    Attributes
    ----------
    decode_from : float
        Where decoding and tracking start (``keep_from`` minus the warm-up, or 0), s.
    keep_from : float
        First time whose landmarks are kept, s.
    stop : float
        Landmarks are kept up to, not including, this time, s (infinity for the last segment).
    """

    decode_from: float
    keep_from: float
    stop: float


def pose_threads(fps: float) -> int:
    """Return the number of pose segments to run at once on a clip of ``fps`` frames per second.

    $KINECHAIN_POSE_THREADS when set to a positive number; else one (a single tracker, whose
    results are those validated) for clips up to :data:`SPLIT_ABOVE_FPS`, which it analyses
    faster than they play, and the usable cores up to :data:`DEFAULT_MAX_THREADS` above it.
    """
    given = os.environ.get(THREADS_ENV, "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    if fps <= SPLIT_ABOVE_FPS:
        return 1
    return max(1, min(DEFAULT_MAX_THREADS, len(os.sched_getaffinity(0))))


def plan(duration: float, threads: int, warmup: float | None = None) -> list[Segment]:
    """Cut a clip of ``duration`` seconds into at most ``threads`` segments of equal work.

    Each segment tracks the same number of seconds, warm-up included, so that the threads
    finish together.

    Parameters
    ----------
    duration : float
        Clip length, s.
    threads : int
        Segments wanted (one per core).
    warmup : float, optional
        Seconds tracked before each later segment's share and dropped (default ``WARMUP_S``).

    Returns
    -------
    list of Segment
        One whole-clip segment when the clip is too short to be worth cutting.
    """
    warmup = WARMUP_S if warmup is None else warmup
    n = max(1, min(threads, int(duration // MIN_SEGMENT_S)))
    length = (duration + (n - 1) * warmup) / n  # seconds each segment tracks
    keep = [0.0] + [i * (length - warmup) + warmup for i in range(1, n)] + [float("inf")]
    return [Segment(max(0.0, keep[i] - warmup) if i else 0.0, keep[i], keep[i + 1]) for i in range(n)]
