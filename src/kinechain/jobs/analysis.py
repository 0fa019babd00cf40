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
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from kinechain.batch import Clip, analyse_in_child
from kinechain.config import Settings
from kinechain.errors import KinechainError
from kinechain.jobs.heartbeat import GAVE_UP, MAX_ATTEMPTS, Heartbeat, is_fresh
from kinechain.model.result import Analysis
from kinechain.model.vocab import TestKind, ViewChoice
from kinechain.pipeline import analyze
from kinechain.store import repo
from kinechain.store.db import make_engine, session_factory, session_scope
from kinechain.store.media import MediaStore
from kinechain.store.models import Clinic, Job, Trial, utcnow
from kinechain.store.redact import public_result, strip_paths

if TYPE_CHECKING:  # the report package is optional at run time (see overlay_available)
    from kinechain.report.keyframes import KeyFrame
    from kinechain.report.spec import ReportSpec

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


class JobCancelled(Exception):
    """The job's clip (or its assessment or athlete) was deleted while it ran: stop and keep nothing."""


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
            if job is None:
                raise JobCancelled(f"job {self.job_id} was deleted")
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
    """Run one analysis job to its end; return its final state.

    Errors a user can act on (unreadable video, no person, wrong view...) fail the job with their
    sentence as the reason; anything else fails it with a short reason and is logged in full.
    A job whose clip is deleted while it runs stops at its next progress report, or at the latest
    before its outputs are stored, and leaves no file behind ("cancelled").

    Returns
    -------
    str
        "done", "failed", "cancelled", or "skipped" (finished, gone, or running elsewhere).
    """
    if not _claim(ctx, job_id):
        return "skipped"
    progress = _Progress(ctx, job_id)
    try:
        with Heartbeat(ctx.sessions, job_id):
            _analyse(ctx, job_id, progress)
    except Exception as exc:
        return _stopped(ctx, job_id, exc)
    _finish(ctx, job_id, reason=None)
    return "done"


def _stopped(ctx: JobContext, job_id: int, exc: Exception) -> str:
    """Record why a job stopped; "cancelled" when its clip was deleted (its files may have gone first)."""
    if isinstance(exc, JobCancelled) or not _exists(ctx, job_id):
        log.info("analysis job %s cancelled: its clip was deleted", job_id)
        return "cancelled"
    if isinstance(exc, KinechainError):
        _finish(ctx, job_id, reason=str(exc))
        return "failed"
    log.exception("analysis job %s stopped by an internal error", job_id)
    _finish(
        ctx,
        job_id,
        reason=f"the analysis stopped on an internal error ({exc.__class__.__name__}); the video is "
        "kept: try again, and report it if it happens again.",
    )
    return "failed"


def _exists(ctx: JobContext, job_id: int) -> bool:
    with session_scope(ctx.sessions) as s:
        return s.get(Job, job_id) is not None


@dataclass(frozen=True)
class _Inputs:
    clinic_id: int
    test: TestKind
    view: ViewChoice
    video: Path | None
    video_name: str | None
    keypoints: Path | None
    blur: bool
    delete_source: bool


def _inputs(ctx: JobContext, job_id: int) -> tuple[int, _Inputs]:
    with session_scope(ctx.sessions) as s:
        job = s.get(Job, job_id)
        if job is None:
            raise JobCancelled(f"job {job_id} was deleted")
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


@dataclass
class _Outputs:
    """Files an analysis made, still in the media store's incoming folder (no media id yet)."""

    keypoints: Path
    blurred: Path | None = None
    overlay: Path | None = None
    keyframes: list[tuple[Path, str]] = dataclasses.field(default_factory=list)
    blurred_id: str | None = None  # the blurred video's media id, once stored

    def paths(self) -> list[Path]:
        """Every file, for cleaning up what was not moved into place."""
        extra = [p for p in (self.blurred, self.overlay) if p is not None]
        return [self.keypoints, *extra, *(p for p, _ in self.keyframes)]


def _analyse(ctx: JobContext, job_id: int, progress: _Progress) -> None:
    """Analyse, store the result at once (findings show), then draw and store the overlay.

    The overlay video and key frames take a quarter or more of the job's time; storing the result
    first lets the clinician read the findings meanwhile. A clinic that blurs faces gets the
    blurred video stored with the result, before any video can be shown.
    """
    trial_id, inp = _inputs(ctx, job_id)
    if inp.video is None:
        raise KinechainError("the trial's video is no longer stored; upload the clip again.")
    analysis = _pose_and_measures(ctx, inp, inp.video, progress)
    out = _Outputs(_keypoints_file(ctx, analysis))
    try:
        if inp.blur:
            out.blurred = _blurred_file(ctx, inp, analysis)
            analysis = dataclasses.replace(analysis, video=out.blurred)
        _in_trial(ctx, trial_id, inp, partial(_fill_result, inp=inp, analysis=analysis, out=out))
        if out.blurred_id is not None:  # moved into the media store: draw from there
            analysis = dataclasses.replace(analysis, video=ctx.media.path(out.blurred_id))
        progress("overlay", 0, 1)
        out.overlay = _overlay_file(ctx, analysis, progress)
        out.keyframes = _keyframe_files(ctx, analysis)
        _in_trial(ctx, trial_id, inp, partial(_fill_media, inp=inp, analysis=analysis, out=out))
    finally:
        for tmp in out.paths():
            tmp.unlink(missing_ok=True)


def _pose_and_measures(ctx: JobContext, inp: _Inputs, video: Path, progress: _Progress) -> Analysis:
    """Analyse the clip: in a child process when this process runs several jobs at once.

    Pose estimation keeps one core busy; jobs in threads of one process share its MediaPipe
    runtime and GIL (1.38x one job's speed for two), in processes of their own they use the cores
    (:mod:`kinechain.batch`). A Celery worker is already one process per job.
    """
    quality = ctx.settings.pose_quality
    if inp.keypoints is None and not ctx.settings.broker_url and ctx.settings.job_threads > 1:
        return analyse_in_child(Clip(inp.test, inp.view, video), quality, progress)
    keys = inp.keypoints
    return analyze(video, test=inp.test, view=inp.view, quality=quality, keypoints=keys, progress=progress)


#: Registers a file as new media, moves it into place and returns its id: (file, kind, content type).
Place = Callable[[Path, str, str], str]
#: Fills a locked trial row in a transaction; returns the media ids it replaced (deleted after commit).
Fill = Callable[[Session, Trial, Place], list[str]]


def _in_trial(ctx: JobContext, trial_id: int, inp: _Inputs, fill: Fill) -> None:
    """Store outputs on the trial in one transaction, if the clip still exists.

    The trial's row is locked first (PostgreSQL; SQLite serialises writers), so a deletion either
    comes before (nothing is stored: :class:`JobCancelled`) or after (it finds and removes the files).
    Files of media the transaction replaced are removed only once it is committed.
    """
    placed: list[str] = []
    try:
        with session_scope(ctx.sessions) as s:
            trial = s.get(Trial, trial_id, with_for_update=True)
            if trial is None:
                raise JobCancelled(f"trial {trial_id} was deleted")
            replaced = fill(s, trial, _placer(ctx, s, inp.clinic_id, placed))
    except BaseException:
        for media_id in placed:  # the transaction was rolled back: its files go too
            ctx.media.delete(media_id)
        raise
    for media_id in replaced:
        ctx.media.delete(media_id)


def _fill_result(
    s: Session, trial: Trial, place: Place, *, inp: _Inputs, analysis: Analysis, out: _Outputs
) -> list[str]:
    """Store the result, keypoints and (when the clinic blurs faces) the blurred video."""
    trial.result = public_result(analysis.result.model_dump(mode="json"), inp.video_name)
    replaced = [_retire(s, trial.keypoints_id)]
    trial.keypoints_id = place(out.keypoints, "keypoints", "application/json")
    if out.blurred is not None:
        replaced.append(_retire(s, trial.video_id, keep_record=True))
        trial.video_id = out.blurred_id = place(out.blurred, "video", "video/mp4")
    return [m for m in replaced if m]


def _fill_media(
    s: Session, trial: Trial, place: Place, *, inp: _Inputs, analysis: Analysis, out: _Outputs
) -> list[str]:
    """Store the overlay video and key frames; drop the source video if the clinic keeps none."""
    replaced = [_retire(s, trial.overlay_id), *(_retire(s, f["id"]) for f in trial.keyframes or [])]
    trial.overlay_id = place(out.overlay, "overlay", "video/mp4") if out.overlay else None
    frames = [{"id": place(p, "keyframe", "image/jpeg"), "caption": c} for p, c in out.keyframes]
    trial.keyframes = frames if _keyframes_available() and analysis.video is not None else None
    if inp.delete_source:
        replaced.append(_retire(s, trial.video_id, keep_record=True))
        trial.video_id = None
    return [m for m in replaced if m]


def _placer(ctx: JobContext, s: Session, clinic_id: int, placed: list[str]) -> Place:
    """Return a function that registers a file as new media and moves it into place."""

    def place(tmp: Path, kind: str, content_type: str) -> str:
        media = repo.new_media(
            s, clinic_id=clinic_id, kind=kind, content_type=content_type, size=tmp.stat().st_size
        )
        ctx.media.put(media.id, tmp)
        placed.append(media.id)
        return media.id

    return place


def _retire(s: Session, media_id: str | None, *, keep_record: bool = False) -> str | None:
    """Remove stored media in this transaction; return its id, whose file goes after the commit.

    An output made again (keypoints, overlay, key frames) loses its row; a video deleted for the
    clinic's privacy settings keeps its row, stamped deleted, as the record that it was deleted.
    """
    media = repo.get_media(s, media_id)
    if media is None:
        return None
    if keep_record:
        media.deleted = utcnow()
    else:
        s.delete(media)
    return media.id


def _keypoints_file(ctx: JobContext, analysis: Analysis) -> Path:
    from kinechain.pose.replay import save_keypoints

    tmp = ctx.media.temp_path(".json")
    save_keypoints(analysis.raw_pose, tmp)
    return tmp


def _blurred_file(ctx: JobContext, inp: _Inputs, analysis: Analysis) -> Path:
    from kinechain.video.privacy import blur_faces

    tmp = ctx.media.temp_path(".mp4")
    assert inp.video is not None
    blur_faces(inp.video, analysis.raw_pose, tmp)
    return tmp


def overlay_available() -> bool:
    """Return True when the overlay video writer (kinechain.report.overlay) is installed."""
    return importlib.util.find_spec("kinechain.report") is not None and (
        importlib.util.find_spec("kinechain.report.overlay") is not None
    )


def _overlay_file(ctx: JobContext, analysis: Analysis, progress: _Progress) -> Path | None:
    if not ctx.settings.overlay_videos or not overlay_available() or analysis.video is None:
        return None
    from kinechain.report.overlay import write_overlay

    tmp = ctx.media.temp_path(".mp4")
    write_overlay(analysis, tmp, progress=progress)
    return tmp


def _caption(kf: KeyFrame, spec: ReportSpec) -> str:
    angles = ", ".join(f"{a.overlay.short} {a.value:.0f}\N{DEGREE SIGN}" for a in kf.angles)
    label = f"{kf.key.side} {spec.key_event_label} at {kf.key.event.time:.2f} s"
    return f"{label}: {angles}" if angles else label


def _keyframes_available() -> bool:
    return importlib.util.find_spec("kinechain.report") is not None


def _keyframe_files(ctx: JobContext, analysis: Analysis) -> list[tuple[Path, str]]:
    """Render the report's key frames (one per side) as JPEG files with their captions."""
    if not _keyframes_available() or analysis.video is None:
        return []
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
        out.append((tmp, _caption(kf, spec)))
    return out
