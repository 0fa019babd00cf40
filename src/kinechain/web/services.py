"""Use cases shared by the pages and the JSON API: sign-in, invitations, uploads, share links.

Routes stay thin: they parse input, call one of these, and render or serialise the outcome.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from kinechain.config import Settings
from kinechain.errors import InputError, KinechainError
from kinechain.jobs.runner import JobRunner
from kinechain.store import repo, sharing
from kinechain.store.media import MediaStore
from kinechain.store.models import Assessment, Athlete, Media, ShareLink, Trial, User
from kinechain.video.reader import probe
from kinechain.web import throttle
from kinechain.web.access import Access
from kinechain.web.api.schemas import AssessmentCreate
from kinechain.web.catalogue import check_choice
from kinechain.web.export import write_export
from kinechain.web.security import (
    hash_password,
    new_token,
    password_problem,
    token_hash,
    verify_password,
)
from kinechain.web.uploads import ParsedUpload, UploadedFile, UploadError


class AuthError(Exception):
    """Sign-in or sign-up refused; the message is safe to show."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class NewSession:
    """A signed-in user, the cookie token of their new session, and their trusted-browser cookie."""

    user: User
    token: str
    device: str | None = None


def _start_session(s: Session, user: User, settings: Settings) -> NewSession:
    token = new_token()
    repo.add_session(s, user, token_hash(token), settings.session_hours)
    return NewSession(user, token)


def _check_new_account(email: str, name: str, password: str) -> None:
    if "@" not in email or len(email) > 320:
        raise AuthError("enter a valid e-mail address.")
    if not name.strip():
        raise AuthError("enter your name.")
    problem = password_problem(password)
    if problem:
        raise AuthError(problem)


def sign_up_clinic(
    s: Session, settings: Settings, *, clinic: str, name: str, email: str, password: str
) -> NewSession:
    """Create a clinic with its admin and sign the admin in."""
    _check_new_account(email, name, password)
    if not clinic.strip():
        raise AuthError("enter the clinic's name.")
    try:
        user = repo.create_clinic(
            s,
            clinic_name=clinic.strip(),
            admin_name=name.strip(),
            email=email,
            password_hash=hash_password(password),
        )
    except repo.Conflict as exc:
        raise AuthError(str(exc), 409) from exc
    return _start_session(s, user, settings)


def sign_in(
    s: Session, settings: Settings, *, email: str, password: str, client: str, device: str | None = None
) -> NewSession:
    """Check a password, throttled by growing delays (see :mod:`kinechain.web.throttle`).

    Parameters
    ----------
    s : Session
        Database session.
    settings : Settings
        ``login_max_attempts`` (free failures) and ``login_window_min`` (memory of failures, min).
    email, password : str
        What the user typed.
    client : str
        The client's address.
    device : str, optional
        The browser's trusted-device cookie; when it is valid for this account, only this
        browser's own failures can delay it.

    Raises
    ------
    AuthError
        429 with the seconds to wait while a delay runs, 401 for a wrong e-mail or password.
    """
    email = email.strip().lower()
    user = repo.user_by_email(s, email)
    trusted = throttle.device_key(settings, device, user.id if user else None)
    rules = throttle.rules_for(settings, email, client, trusted)
    wait = throttle.wait_s(s, settings, rules)
    if wait > 0:
        raise AuthError(throttle.wait_sentence(wait), 429)
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
        repo.record_failure(s, *(r.key for r in rules))
        raise AuthError("the e-mail address or password is wrong.", 401)
    repo.clear_failures(s, rules[0].key)
    repo.audit(s, clinic_id=user.clinic_id, user=user, action="sign-in", client=client)
    new = _start_session(s, user, settings)
    return NewSession(
        new.user, new.token, (trusted and device) or throttle.new_device_cookie(settings, user.id)
    )


def _check_new_password(new: str, repeat: str) -> None:
    if new != repeat:
        raise AuthError("the two new passwords differ; type the same new password twice.")
    problem = password_problem(new)
    if problem:
        raise AuthError(problem)


def change_password(
    s: Session, settings: Settings, user: User, *, current: str, new: str, repeat: str, client: str
) -> NewSession:
    """Check the current password and store the new one (argon2id); every session ends, a new one starts.

    Raises
    ------
    AuthError
        429 while a delay runs (growing after ``login_max_attempts`` wrong current passwords),
        403 for a wrong current password, 400 when the new passwords differ or are too short.
    """
    key = f"password:{user.id}"
    rule = throttle.Rule(key, settings.login_max_attempts, throttle.ACCOUNT_MAX_DELAY_S)
    wait = throttle.wait_s(s, settings, [rule])
    if wait > 0:
        raise AuthError(f"too many wrong passwords; wait {math.ceil(wait)} seconds and try again.", 429)
    if not verify_password(user.password_hash, current):
        repo.record_failure(s, key)
        raise AuthError("the current password is wrong; type the password you signed in with.", 403)
    _check_new_password(new, repeat)
    user.password_hash = hash_password(new)
    repo.clear_failures(s, key)
    repo.end_user_sessions(s, user)
    repo.audit(
        s,
        clinic_id=user.clinic_id,
        user=user,
        athlete_id=user.athlete_id,
        action="password-changed",
        client=client,
    )
    return _start_session(s, user, settings)


def invite(s: Session, settings: Settings, user: User, *, role: str, athlete: Athlete | None) -> str:
    """Create an invitation; return its secret token (shown once, only its hash is stored)."""
    token = new_token()
    repo.add_invitation(
        s, user=user, token_hash=token_hash(token), role=role, days=settings.invitation_days, athlete=athlete
    )
    return token


def accept_invite(
    s: Session, settings: Settings, token: str, *, name: str, email: str, password: str
) -> NewSession:
    """Create the invited account and sign it in."""
    _check_new_account(email, name, password)
    inv = repo.open_invitation(s, token_hash(token))
    try:
        user = repo.accept_invitation(
            s, inv, email=email, name=name.strip(), password_hash=hash_password(password)
        )
    except repo.Conflict as exc:
        raise AuthError(str(exc), 409) from exc
    return _start_session(s, user, settings)


# ---------------------------------------------------------------- uploads


#: Containers that hold still pictures (FFmpeg's image demuxers), not clips.
_PICTURE_CONTAINERS = ("image2", "gif", "apng", "ico", "svg")
#: Codecs of still pictures (and animations), never of a filmed clip.
_PICTURE_CODECS = ("png", "apng", "gif", "bmp", "webp", "tiff", "jpeg2000", "jpegls", "heic", "svg")


def _is_picture(container: str, codec: str, n_frames: int) -> bool:
    """Return True for a still picture or an animation: its container, its codec, or one frame.

    ``n_frames`` is 0 when unknown (a header without a frame count), which says nothing either way.
    """
    names = container.split(",")
    return (
        any(n.endswith("_pipe") or n in _PICTURE_CONTAINERS for n in names)
        or codec in _PICTURE_CODECS
        or n_frames == 1
    )


def _picture_codec(path: Path) -> str | None:
    """Return the codec of a file FFmpeg opens as a picture or animation, else None."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0] if container.streams.video else None
            if stream is None:
                return None
            codec = stream.codec_context.name
            frames = int(stream.frames or 0)
            return codec if _is_picture(container.format.name, codec, frames) else None
    except (av.FFmpegError, OSError, ValueError):
        return None


def _picture_error(codec: str) -> UploadError:
    kind = codec.upper().replace("MJPEG", "JPEG")
    return UploadError(
        f"this file is a picture ({kind}), not a video; upload a video clip (MP4, MOV or WebM).", 422
    )


def _probe_video(f: UploadedFile) -> str:
    """Check the upload is a decodable video; return its MIME type from the probed container."""
    if f.size == 0:
        raise UploadError("the video file is empty; choose the clip again.")
    try:
        info = probe(f.path)
    except KinechainError as exc:
        picture = _picture_codec(f.path)
        if picture:
            raise _picture_error(picture) from exc
        shown = str(exc).replace(str(f.path), f"'{f.filename or 'the upload'}'")
        raise UploadError(shown, 422) from exc
    if _is_picture(info.container, info.codec, info.n_frames):
        raise _picture_error(info.codec)
    if "webm" in info.container or "matroska" in info.container:
        return "video/webm"
    if "mp4" in info.container or "mov" in info.container:
        return "video/mp4"
    return "application/octet-stream"


def _store(
    s: Session, media: MediaStore, clinic_id: int, f: UploadedFile, kind: str, content_type: str
) -> Media:
    """Store an upload; the content type is what kinechain found, never the client's claim."""
    row = repo.new_media(
        s,
        clinic_id=clinic_id,
        kind=kind,
        content_type=content_type,
        size=f.size,
        original_name=f.filename,
    )
    media.put(row.id, f.path)
    return row


def add_trial_from_upload(
    s: Session,
    settings: Settings,
    media: MediaStore,
    assessment: Assessment,
    upload: ParsedUpload,
) -> Trial:
    """Check an uploaded clip (test, view, a decodable video) and store it as a trial with a queued job.

    The video's type is checked by probing its content (container, stream, first frame), never
    by its name. Raises UploadError with one sentence on anything wrong; nothing is kept then.
    """
    video = upload.files.get("video")
    if video is None:
        raise UploadError("choose a video file to upload (field 'video').")
    try:
        test, view = check_choice(upload.fields.get("test", "running"), upload.fields.get("view", "side"))
    except InputError as exc:
        raise UploadError(str(exc), 422) from exc
    except KinechainError as exc:
        raise UploadError(str(exc), 422) from exc
    mime = _probe_video(video)
    clinic_id = assessment.athlete.clinic_id
    kp_file = upload.files.get("keypoints") if settings.allow_keypoints_upload else None
    kp = (
        _store(s, media, clinic_id, kp_file, "keypoints", "application/json")
        if kp_file and kp_file.size
        else None
    )
    stored = _store(s, media, clinic_id, video, "video", mime)
    return repo.add_trial(s, assessment, test=test, view=view, video=stored, keypoints=kp)


def start_assessment(access: Access, athlete: Athlete, body: AssessmentCreate) -> Assessment:
    """Start an assessment of an athlete (today unless dated) and audit it, for the page and the API."""
    on = body.date or date.today()
    assessment = repo.create_assessment(access.session, access.user, athlete, on=on, notes=body.notes)
    access.audit(athlete.id, "assessment-created", f"assessment {assessment.id}")
    return assessment


def queue_trial(s: Session, runner: JobRunner, trial: Trial) -> None:
    """Commit the new trial, then hand its job to the runner (a worker must see the committed row)."""
    s.commit()
    assert trial.job is not None
    runner.submit(trial.job.id)


def retry_trial(access: Access, runner: JobRunner, trial: Trial) -> None:
    """Queue a failed analysis again from scratch (the Retry button), audited."""
    repo.retry_job(access.session, trial)
    access.audit(trial.assessment.athlete_id, "analysis-retried", f"trial {trial.id}")
    queue_trial(access.session, runner, trial)


def share_link_token(access: Access, settings: Settings, assessment: Assessment) -> str:
    """Create a read-only share link of an assessment; return its random 256-bit token (shown once).

    Only the token's SHA-256 is stored; the link is found by that hash, never by its row id.
    """
    token = new_token()
    link = sharing.add_share_link(
        access.session, access.user, assessment, token_hash=token_hash(token), days=settings.share_link_days
    )
    access.audit(assessment.athlete_id, "share-link-created", f"assessment {assessment.id}, link {link.id}")
    return token


def open_share_link(s: Session, token: str) -> tuple[int, Assessment]:
    """Return the (link id, assessment) of a live share token; NotFound when expired, revoked or unknown."""
    if not 20 <= len(token) <= 100:
        raise repo.NotFound("this share link is not valid; ask the clinic for a new one.")
    link = sharing.open_share_link(s, token_hash(token))
    return link.id, repo.assessment_by_id(s, link.assessment_id)


def revoke_share_link(access: Access, assessment: Assessment, link_id: int) -> ShareLink:
    """Withdraw a share link of an assessment the user may see, and audit it."""
    link = sharing.revoke_share_link(access.session, assessment, link_id)
    access.audit(assessment.athlete_id, "share-link-revoked", f"assessment {assessment.id}, link {link.id}")
    return link


def export_athlete(
    s: Session, media: MediaStore, user: User, athlete_id: int, client: str | None
) -> tuple[Path, str]:
    """Write an athlete's data export to a temporary ZIP and audit it; return (path, download name).

    The caller streams the file and removes it; NotFound when the user may not see the athlete.
    """
    athlete = repo.get_athlete(s, user, athlete_id)
    dest = media.temp_path(".zip")
    try:
        write_export(s, media, athlete, dest)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    repo.audit(
        s,
        clinic_id=athlete.clinic_id,
        user=user,
        athlete_id=athlete.id,
        action="athlete-exported",
        detail=f"{dest.stat().st_size} bytes",
        client=client,
    )
    return dest, f"kinechain-athlete-{athlete.id}-{date.today().isoformat()}.zip"
