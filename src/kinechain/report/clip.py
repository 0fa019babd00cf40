"""Facts about the recording for the report header, and notes on its quality."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kinechain.errors import KinechainError
from kinechain.model.recording import VideoInfo
from kinechain.report.summary import VIEW_WORDS
from kinechain.video.reader import probe

if TYPE_CHECKING:
    from kinechain.model.result import Analysis

#: Frame rate advised for running (docs/measures.md: 60 fps or more is the capture advice).
ADVISED_FPS = 60.0

POSE_MODELS = {
    "mediapipe:lite": "MediaPipe BlazePose, lite model (fast)",
    "mediapipe:full": "MediaPipe BlazePose, full model (balanced)",
    "mediapipe:heavy": "MediaPipe BlazePose, heavy model (accurate)",
}


def video_info(analysis: Analysis) -> VideoInfo | None:
    """Return the clip's metadata: from the result, else read from the video file, else None."""
    if analysis.result.clip is not None:
        return analysis.result.clip
    if analysis.video is None or not Path(analysis.video).exists():
        return None
    try:
        return probe(analysis.video)
    except KinechainError:
        return None


def pose_model_text(source: str, model: str | None) -> str:
    """Readable pose-model name, e.g. "MediaPipe BlazePose, full model (balanced), replayed"."""
    name = POSE_MODELS.get(model or source.removeprefix("replay:"), model or source)
    return f"{name}, replayed from recorded keypoints" if source.startswith("replay:") else name


def clip_facts(analysis: Analysis) -> tuple[list[tuple[str, str]], str]:
    """(label, value) pairs for the report header, and the clip's display name."""
    r, q = analysis.result, analysis.result.quality
    info = video_info(analysis)
    name = (
        Path(info.path).name
        if info
        else (Path(analysis.video).name if analysis.video else "recorded keypoints")
    )
    duration = info.duration if info else q.duration_s
    fps = info.fps if info else q.fps
    w, h = (info.width, info.height) if info else (q.image_size[0], q.image_size[1])
    orientation = "portrait" if h > w else "landscape"
    model = r.settings.get("pose", {}).get("model")
    facts = [
        ("Duration", f"{duration:.1f} s"),
        ("Frame rate", f"{fps:.0f} fps" + (", variable" if q.variable_frame_rate else "")),
        ("Frame size", f"{w}\N{MULTIPLICATION SIGN}{h} px, {orientation}"),
        ("Camera view", VIEW_WORDS.get(r.view.view, r.view.view).capitalize()),
        ("Pose model", pose_model_text(r.pose_source, model)),
    ]
    if info:
        facts.insert(3, ("Video", f"{info.codec.upper()}, {q.frames or info.n_frames} frames"))
    return facts, name


def quality_notes(analysis: Analysis) -> list[str]:
    """Plain notes on recording quality that affect how far the numbers can be trusted."""
    q, notes = analysis.result.quality, []
    fps = q.fps
    if 0 < fps < ADVISED_FPS:
        notes.append(
            f"Filmed at {fps:.0f} fps: events are timed to within one frame ({1000 / fps:.0f} ms), so "
            f"timings and values at events are less certain; film at {ADVISED_FPS:.0f} fps or more "
            "for firmer numbers."
        )
    if q.variable_frame_rate:
        notes.append("The video has a variable frame rate; each frame's own timestamp was used.")
    frames, seen = q.frames, q.frames_with_person
    if frames and seen < frames:
        notes.append(f"The person was found in {seen} of {frames} frames; the others were left out.")
    return notes
