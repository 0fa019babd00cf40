"""The analysis job: one trial's video -> result, keypoints, overlay; with progress and privacy.

The same function runs in the in-process thread pool and in Celery workers. It is safe to run
again on the same job (a worker that died mid-job leaves it "running"; the retry starts over).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from kinechain.config import Settings
from kinechain.errors import KinechainError
from kinechain.jobs.heartbeat import GAVE_UP, MAX_ATTEMPTS, Heartbeat, is_fresh
from kinechain.model.result import Analysis
from kinechain.pipeline import analyze
from kinechain.store import repo
from kinechain.store.db import make_engine, session_factory, session_scope
from kinechain.store.media import MediaStore
from kinechain.store.models import Clinic, Job, Trial, utcnow
from kinechain.store.redact import public_result, strip_paths

log = logging.getLogger(__name__)

#: Share of the progress bar given to each stage (pose estimation dominates the time).
STAGE_SPAN = {"pose": (0.0, 0.8), "cleaning": (0.8, 0.82), "measures": (0.82, 0.85), "overlay": (0.85, 1.0)}


@dataclass
class JobContext:
    """What a job needs: settings, a database session factory and the media store."""

    settings: Settings
    sessions: sessionmaker[Session]
    media: MediaStore

    @classmethod
    def from_settings(cls, settings: Settings) -> JobContext:
        """Open the database and media store the settings name."""
        return cls(settings, session_factory(make_engine(settings.db_url)), MediaStore(settings.media_root))


class _Progress:
    """Writes (stage, fraction) to the job row, at most every ``interval`` seconds per stage."""

    def __init__(self, ctx: JobContext, job_id: int, interval: float = 0.5) -> None:
        self.ctx, self.job_id, self.interval = ctx, job_id, interval
        self.last = (0.0, "")

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.last[1] and now - self.last[0] < self.interval:
            return
        lo, hi = STAGE_SPAN.get(stage, (0.85, 0.85))
        frac = lo + (hi - lo) * (done / total if total else 0.0)
        with session_scope(self.ctx.sessions) as s:
            job = s.get(Job, self.job_id)
            if job is not None:
                job.stage, job.progress = stage, round(min(frac, 0.99), 3)
        self.last = (now, stage)


def _claim(ctx: JobContext, job_id: int) -> bool:
    """Mark the job running (another attempt); False when it is finished, gone, or alive elsewhere.

    A job another worker is running (fresh heartbeat) is left alone: this is a second delivery.
    A silent running job already started ``MAX_ATTEMPTS`` times is failed instead of run again.
    """
    with session_scope(ctx.sessions) as s:
        job = s.get(Job, job_id)
        if job is None or job.state in ("done", "failed") or (job.state == "running" and is_fresh(job)):
            return False
        if job.state == "running" and job.attempts >= MAX_ATTEMPTS:
            job.state, job.reason, job.finished = "failed", GAVE_UP.format(n=job.attempts), utcnow()
            return False
        job.state, job.progress, job.stage, job.reason = "running", 0.0, "starting", None
        job.attempts += 1
        job.started = job.heartbeat = utcnow()
        job.worker = f"{socket.gethostname()}"
        return True


def _finish(ctx: JobContext, job_id: int, *, reason: str | None) -> None:
    with session_scope(ctx.sessions) as s:
        job = s.get(Job, job_id)
        if job is None:
            return
        job.state = "failed" if reason else "done"
        job.reason = strip_paths(reason) if reason else None
        job.progress = job.progress if reason else 1.0
        job.stage = "" if reason else "done"
        job.finished = utcnow()


def run_job(ctx: JobContext, job_id: int) -> str:
    """Run one analysis job to its end; return the final state ("done", "failed" or "skipped").

    Errors a user can act on (unreadable video, no person, wrong view...) fail the job with their
    sentence as the reason; anything else fails it with a short reason and is logged in full.
    """
    if not _claim(ctx, job_id):
        return "skipped"
    progress = _Progress(ctx, job_id)
    try:
        with Heartbeat(ctx.sessions, job_id):
            _analyse(ctx, job_id, progress)
    except KinechainError as exc:
        _finish(ctx, job_id, reason=str(exc))
        return "failed"
    except Exception as exc:
        log.exception("analysis job %s stopped by an internal error", job_id)
        _finish(
            ctx,
            job_id,
            reason=f"the analysis stopped on an internal error ({exc.__class__.__name__}); the video is "
            "kept: try again, and report it if it happens again.",
        )
        return "failed"
    _finish(ctx, job_id, reason=None)
    return "done"


@dataclass(frozen=True)
class _Inputs:
    clinic_id: int
    test: str
    view: str
    video: Path | None
    video_name: str | None
    keypoints: Path | None
    blur: bool
    delete_source: bool


def _inputs(ctx: JobContext, job_id: int) -> tuple[int, _Inputs]:
    with session_scope(ctx.sessions) as s:
        job = s.get(Job, job_id)
        assert job is not None
        trial = job.trial
        clinic = s.get(Clinic, trial.assessment.athlete.clinic_id)
        assert clinic is not None
        video = repo.get_media(s, trial.video_id)
        kp = repo.get_media(s, trial.keypoints_in_id)
        allow_kp = ctx.settings.allow_keypoints_upload
        return trial.id, _Inputs(
            clinic_id=clinic.id,
            test=trial.test,
            view=trial.view,
            video=ctx.media.path(video.id) if video else None,
            video_name=video.original_name if video else None,
            keypoints=ctx.media.path(kp.id) if kp and allow_kp else None,
            blur=clinic.blur_faces,
            delete_source=clinic.delete_source_videos,
        )


def _analyse(ctx: JobContext, job_id: int, progress: _Progress) -> None:
    trial_id, inp = _inputs(ctx, job_id)
    if inp.video is None:
        raise KinechainError("the trial's video is no longer stored; upload the clip again.")
    analysis = analyze(
        inp.video,
        test=inp.test,
        view=inp.view,
        quality=ctx.settings.pose_quality,
        keypoints=inp.keypoints,
        progress=progress,
    )
    kp_id = _store_keypoints(ctx, inp.clinic_id, analysis)
    video_id = _store_blurred(ctx, inp, analysis) if inp.blur else None
    if video_id is not None:
        analysis = dataclasses.replace(analysis, video=ctx.media.path(video_id))
    overlay_id = _store_overlay(ctx, inp.clinic_id, analysis, progress)
    frames = _store_keyframes(ctx, inp.clinic_id, analysis)
    with session_scope(ctx.sessions) as s:
        trial = s.get(Trial, trial_id)
        assert trial is not None
        old_video = trial.video_id
        trial.result = public_result(analysis.result.model_dump(mode="json"), inp.video_name)
        trial.keypoints_id, trial.overlay_id, trial.keyframes = kp_id, overlay_id, frames
        if video_id is not None:
            trial.video_id = video_id
            _drop_media(ctx, s, old_video)
        if inp.delete_source:
            _drop_media(ctx, s, trial.video_id)
            trial.video_id = None


def _drop_media(ctx: JobContext, s: Session, media_id: str | None) -> None:
    media = repo.get_media(s, media_id)
    if media is not None:
        ctx.media.delete(media.id)
        media.deleted = utcnow()


def _store_file(ctx: JobContext, clinic_id: int, tmp: Path, kind: str, content_type: str) -> str:
    with session_scope(ctx.sessions) as s:
        media = repo.new_media(
            s, clinic_id=clinic_id, kind=kind, content_type=content_type, size=tmp.stat().st_size
        )
        ctx.media.put(media.id, tmp)
        return media.id


def _store_keypoints(ctx: JobContext, clinic_id: int, analysis: Analysis) -> str:
    from kinechain.pose.replay import save_keypoints

    tmp = ctx.media.temp_path(".json")
    save_keypoints(analysis.raw_pose, tmp)
    return _store_file(ctx, clinic_id, tmp, "keypoints", "application/json")


def _store_blurred(ctx: JobContext, inp: _Inputs, analysis: Analysis) -> str:
    from kinechain.video.privacy import blur_faces

    tmp = ctx.media.temp_path(".mp4")
    assert inp.video is not None
    blur_faces(inp.video, analysis.raw_pose, tmp)
    return _store_file(ctx, inp.clinic_id, tmp, "video", "video/mp4")


def overlay_available() -> bool:
    """Return True when the overlay video writer (kinechain.report.overlay) is installed."""
    return importlib.util.find_spec("kinechain.report") is not None and (
        importlib.util.find_spec("kinechain.report.overlay") is not None
    )


def _store_overlay(ctx: JobContext, clinic_id: int, analysis: Analysis, progress: _Progress) -> str | None:
    if not ctx.settings.overlay_videos or not overlay_available() or analysis.video is None:
        return None
    from kinechain.report.overlay import write_overlay

    tmp = ctx.media.temp_path(".mp4")
    write_overlay(analysis, tmp, progress=progress)
    return _store_file(ctx, clinic_id, tmp, "overlay", "video/mp4")


def _caption(kf: Any, spec: Any) -> str:
    angles = ", ".join(f"{a.overlay.short} {a.value:.0f}\N{DEGREE SIGN}" for a in kf.angles)
    label = f"{kf.key.side} {spec.key_event_label} at {kf.key.event.time:.2f} s"
    return f"{label}: {angles}" if angles else label


def _store_keyframes(ctx: JobContext, clinic_id: int, analysis: Analysis) -> list[dict[str, str]] | None:
    """Render the report's key frames (one per side) as JPEG media; None when the report module is absent."""
    if importlib.util.find_spec("kinechain.report") is None or analysis.video is None:
        return None
    from kinechain.report.encode import encode_image
    from kinechain.report.keyframes import key_frames
    from kinechain.report.spec import get_spec

    spec = get_spec(analysis.result.test)
    view = analysis.result.view.view
    frames = key_frames(
        analysis.pose, analysis.kinematics, spec, analysis.video, view if view in ("left", "right") else None
    )
    out = []
    for kf in frames:
        tmp = ctx.media.temp_path(".jpg")
        tmp.write_bytes(encode_image(kf.image, "jpeg"))
        out.append(
            {"id": _store_file(ctx, clinic_id, tmp, "keyframe", "image/jpeg"), "caption": _caption(kf, spec)}
        )
    return out
