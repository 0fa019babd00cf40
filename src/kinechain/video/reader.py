"""Decode phone videos (H.264, HEVC, VP9, AV1; MP4, MOV, WebM) with rotation and true timestamps."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
from av.video.reformatter import VideoReformatter

from kinechain.errors import NoVideoStream, UnreadableVideo, VideoTooShort
from kinechain.model.recording import VideoInfo

#: Shortest video kinechain will analyse, in seconds and frames.
MIN_DURATION_S = 1.0
MIN_FRAMES = 15


@dataclass(frozen=True)
class Frame:
    """One decoded frame.

    Attributes
    ----------
    index : int
        Position in decoding order, from 0.
    time : float
        Presentation time in seconds from the first frame.
    rgb : ndarray, shape (height, width, 3), uint8
        Pixels after rotation, possibly downscaled (see ``scale``).
    scale : float
        Factor from original (rotated) pixel coordinates to ``rgb`` coordinates.
    luma : tuple of float, optional
        Mean and standard deviation of the full-size frame's luma (0-255), for the frames asked
        for with ``iter_frames(..., luma_at=...)`` (:mod:`kinechain.video.light`); else None.
    """

    index: int
    time: float
    rgb: np.ndarray
    scale: float = 1.0
    luma: tuple[float, float] | None = None


def _open(path: str | os.PathLike[str]) -> av.container.InputContainer:
    p = Path(path)
    if not p.exists():
        raise UnreadableVideo(f"{p} does not exist; check the path and try again.")
    if p.is_dir():
        raise UnreadableVideo(f"{p} is a folder, not a video file; give the path of a video.")
    if p.stat().st_size == 0:
        raise UnreadableVideo(f"{p} is empty (0 bytes); copy the video again from the phone.")
    try:
        return av.open(str(p), mode="r")
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise UnreadableVideo(
            f"{p} cannot be read as a video ({exc.__class__.__name__}); export it again as MP4, MOV or WebM."
        ) from exc


#: FFmpeg demuxers that read single pictures (PNG, JPEG, WebP, BMP ... as "<codec>_pipe"), not videos.
STILL_IMAGE_FORMATS = ("image2", "gif", "apng")


def _is_still_image(container: av.container.InputContainer) -> bool:
    names = container.format.name.split(",")
    return any(n in STILL_IMAGE_FORMATS or n.endswith("_pipe") for n in names)


def _video_stream(container: av.container.InputContainer, path: str) -> av.video.VideoStream:
    if _is_still_image(container):
        raise UnreadableVideo(
            f"{path} is a still image ({container.format.name.split(',')[0].removesuffix('_pipe')}), "
            "not a video; film the test as a video (MP4, MOV or WebM)."
        )
    if not container.streams.video:
        raise NoVideoStream(f"{path} holds no video stream (audio or data only); record or export a video.")
    return container.streams.video[0]


def _stream_duration(container: av.container.InputContainer, stream: av.video.VideoStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration / av.time_base)
    return 0.0


def _first_frame(
    container: av.container.InputContainer, stream: av.video.VideoStream, path: str
) -> av.VideoFrame:
    try:
        for frame in container.decode(stream):
            return frame
    except av.error.FFmpegError as exc:
        raise UnreadableVideo(
            f"{path} has a video stream that cannot be decoded ({exc}); export it again as H.264 MP4."
        ) from exc
    raise UnreadableVideo(f"{path} has a video stream with no decodable frames; record it again.")


def _demuxed_length(path: str) -> tuple[int, float]:
    """Count a video stream's packets and the time they span, without decoding.

    For files whose header gives neither a frame count nor a duration: a browser's MediaRecorder
    writes its WebM as a live stream, so the header holds no Duration element and no Cues.

    Parameters
    ----------
    path : str
        The video file.

    Returns
    -------
    tuple of (int, float)
        Frames (packets carrying data) and the span from the first to the end of the last one, s.
    """
    n, first, end = 0, None, None
    with _open(path) as container:
        stream = container.streams.video[0]
        step = float(1 / stream.average_rate) if stream.average_rate else 0.0
        for packet in container.demux(stream):
            if packet.size == 0 or packet.pts is None or packet.time_base is None:
                continue
            n += 1
            t = float(packet.pts * packet.time_base)
            dt = float(packet.duration * packet.time_base) if packet.duration else step
            first = t if first is None else min(first, t)
            end = t + dt if end is None else max(end, t + dt)
    return n, (end - first) if first is not None and end is not None else 0.0


def probe(path: str | os.PathLike[str]) -> VideoInfo:
    """Read a video's metadata and decode its first frame to check it can be read.

    Parameters
    ----------
    path : str or PathLike
        The video file.

    Returns
    -------
    VideoInfo
        Codec, container, size after rotation (px), rotation (deg), fps, duration (s).

    Raises
    ------
    UnreadableVideo, NoVideoStream, VideoTooShort
        With one sentence saying what is wrong and what to do.
    """
    with _open(path) as container:
        stream = _video_stream(container, str(path))
        first = _first_frame(container, stream, str(path))
        rotation = int(getattr(first, "rotation", 0) or 0) % 360
        w, h = (first.height, first.width) if rotation in (90, 270) else (first.width, first.height)
        fps = float(stream.average_rate or stream.guessed_rate or 0.0)
        duration = _stream_duration(container, stream)
        n_frames = int(stream.frames or round(duration * fps))
        codec, container_name = stream.codec_context.name, container.format.name
    if n_frames == 0 or duration <= 0.0:  # a live-written file (browser recording): count packets
        n_frames, duration = _demuxed_length(str(path))
    info = VideoInfo(
        path=str(path),
        codec=codec,
        container=container_name,
        width=w,
        height=h,
        rotation=rotation,
        fps=fps,
        duration=duration,
        n_frames=n_frames,
    )
    if (info.duration and info.duration < MIN_DURATION_S) or 0 < info.n_frames < MIN_FRAMES:
        raise VideoTooShort(
            f"{path} is {info.duration:.2f} s long ({info.n_frames} frames); kinechain needs at "
            f"least {MIN_DURATION_S:.0f} s, and a running test needs 10 s or more."
        )
    return info


#: ITU-R BT.601 luma weights of red, green and blue.
_LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def luma_stats(rgb: np.ndarray) -> tuple[float, float]:
    """Return the mean and standard deviation of one frame's luma (0-255).

    Parameters
    ----------
    rgb : ndarray, shape (height, width, 3 or 4), uint8
        The frame's pixels, full size.
    """
    luma = rgb[..., :3].astype(np.float32) @ _LUMA
    return float(luma.mean()), float(luma.std())


def _rotate(rgb: np.ndarray, rotation: int) -> np.ndarray:
    k = (rotation // 90) % 4
    return np.ascontiguousarray(np.rot90(rgb, k)) if k else rgb


def _target_size(width: int, height: int, max_side: int | None) -> tuple[int, int, float]:
    if not max_side or max(width, height) <= max_side:
        return width, height, 1.0
    scale = max_side / max(width, height)
    return int(round(width * scale / 2) * 2), int(round(height * scale / 2) * 2), scale


#: Frames up to this many pixels are decoded on one thread: decoding then overlaps pose estimation
#: on the other core instead of competing with it (measured: benchmarks/pose_speed.py). Larger
#: frames (4K) use FFmpeg's own threads, as one thread would fall behind the pose model.
SINGLE_THREAD_MAX_PIXELS = 1920 * 1088


def _set_decoder_threads(stream: av.video.VideoStream) -> None:
    ctx = stream.codec_context
    if (ctx.width or 0) * (ctx.height or 0) <= SINGLE_THREAD_MAX_PIXELS:
        ctx.thread_count = 1
    else:
        stream.thread_type = "AUTO"


def _seek(container: av.container.InputContainer, stream: av.video.VideoStream, t: float) -> None:
    """Seek to the key frame at or before ``t`` (s, stream clock); decoding then runs forward."""
    if stream.time_base is not None:
        container.seek(int(t / stream.time_base), stream=stream, backward=True, any_frame=False)


def _raw_frames(path: str, start_s: float = 0.0) -> Iterator[tuple[int, float, av.VideoFrame]]:
    """Yield (index, time from the first frame in s, undecoded-to-pixels frame) in display order.

    With ``start_s`` > 0, decoding starts at the key frame before that time (a seek) and frames
    before it are dropped unconverted; the index is then the time times the average rate.
    """
    with _open(path) as container:
        stream = _video_stream(container, path)
        _set_decoder_threads(stream)
        rate = float(stream.average_rate or 30)
        t0: float | None = None
        try:
            if start_s > 0:
                t0 = _first_frame(container, stream, path).time or 0.0
                _seek(container, stream, t0 + start_s)
            for k, frame in enumerate(container.decode(stream)):
                t = float(frame.time) if frame.time is not None else k / rate
                t0 = t if t0 is None else t0
                if start_s <= 0:
                    yield k, t - t0, frame
                elif t - t0 >= start_s - 0.5 / rate:
                    yield round((t - t0) * rate), t - t0, frame
        except av.error.FFmpegError as exc:
            raise UnreadableVideo(
                f"{path} stops decoding part-way ({exc}); the file may be cut short, copy it again."
            ) from exc


def _to_rgb(
    frame: av.VideoFrame, max_side: int | None, reformatter: VideoReformatter | None = None
) -> tuple[np.ndarray, float]:
    """Convert to upright RGB pixels, downscaled so the longer side is at most ``max_side``.

    Reusing one ``reformatter`` across a clip keeps FFmpeg's scaler set up between frames
    (about a tenth of the conversion time for 720p phone video).
    """
    rotation = int(getattr(frame, "rotation", 0) or 0) % 360
    w, h, scale = _target_size(frame.width, frame.height, max_side)
    # Fast bilinear: frames are at most halved for the pose model, where it costs nothing in
    # accuracy and a third of the conversion time (benchmarks/pose_speed.py).
    converted = (reformatter or VideoReformatter()).reformat(
        frame, format="rgb24", width=w, height=h, interpolation="FAST_BILINEAR"
    )
    rgb = _rotate(converted.to_ndarray(), rotation)
    return np.ascontiguousarray(rgb), scale  # FFmpeg pads rows; consumers want packed pixels


def _decode(
    path: str, max_side: int | None, start_s: float, stop_s: float, luma_at: Collection[int]
) -> Iterator[Frame]:
    reformatter = VideoReformatter()
    for index, time, frame in _raw_frames(path, start_s):
        if time >= stop_s:
            return
        rgb, scale = _to_rgb(frame, max_side, reformatter)
        luma = luma_stats(_to_rgb(frame, None)[0]) if index in luma_at else None
        yield Frame(index=index, time=time, rgb=rgb, scale=scale, luma=luma)


def _prefetch(frames: Iterable[Frame], depth: int) -> Iterator[Frame]:
    """Decode in a background thread so decoding overlaps pose estimation."""
    q: queue.Queue[object] = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def work() -> None:
        try:
            for f in frames:
                if stop.is_set():
                    return
                q.put(f)
        except BaseException as exc:  # handed to the consumer, re-raised there
            q.put(exc)
        q.put(done)

    threading.Thread(target=work, daemon=True, name="kinechain-decode").start()
    try:
        while (item := q.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while not q.empty():
            q.get_nowait()


def iter_frames(
    path: str | os.PathLike[str],
    *,
    max_side: int | None = None,
    prefetch: int = 8,
    start_s: float = 0.0,
    stop_s: float = np.inf,
    luma_at: Collection[int] = frozenset(),
) -> Iterator[Frame]:
    """Yield every frame of a video, rotated upright, with its presentation time.

    Parameters
    ----------
    path : str or PathLike
        The video file.
    max_side : int, optional
        Downscale so the longer side is at most this many pixels (keeps aspect ratio).
    prefetch : int
        Frames decoded ahead in a background thread; 0 decodes in the caller's thread.
    start_s, stop_s : float
        Only the frames with ``start_s <= time < stop_s`` (s from the first frame); a start after
        0 seeks to the key frame before it rather than decoding from the beginning.
    luma_at : collection of int
        Indices of frames whose full-size luma statistics are measured on the way
        (``Frame.luma``, :func:`luma_stats`; :func:`kinechain.video.light.light_picks`).

    Yields
    ------
    Frame
        Index, time in seconds from the first frame (variable frame rate kept), RGB pixels.
    """
    frames = _decode(str(path), max_side, start_s, stop_s, luma_at)
    return _prefetch(frames, prefetch) if prefetch > 0 else frames


def read_frames_at(path: str | os.PathLike[str], indices: Iterable[int]) -> dict[int, np.ndarray]:
    """Decode the frames with the given indices (full size, rotated) in one pass.

    Returns
    -------
    dict of int to ndarray
        RGB pixels of each requested frame that exists.
    """
    wanted = set(indices)
    out: dict[int, np.ndarray] = {}
    if not wanted:
        return out
    last = max(wanted)
    reformatter = VideoReformatter()
    for index, _, frame in _raw_frames(str(path)):
        if index in wanted:
            out[index] = _to_rgb(frame, None, reformatter)[0]  # only requested frames are converted to pixels
        if index >= last:
            break
    return out
