"""Repository functions: every query of the app, scoped to what the signed-in user may see.

A clinic admin or clinician sees every athlete of their own clinic; an athlete sees only their
own record. Anything outside that scope raises :class:`NotFound`, the same as a missing row, so
that ids of other clinics' data cannot be probed.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from kinechain.model.vocab import TestKind, ViewChoice
from kinechain.store.edits import trial_media_ids
from kinechain.store.models import (
    Assessment,
    Athlete,
    AuditEvent,
    Clinic,
    ConsultationRequest,
    Invitation,
    Job,
    LoginAttempt,
    LoginSession,
    Media,
    Trial,
    User,
    utcnow,
)

STAFF_ROLES = ("admin", "clinician")


class NotFound(LookupError):
    """The record does not exist or the user may not see it."""


class Conflict(ValueError):
    """The change clashes with stored data (e.g. an e-mail address already in use)."""


def aware(dt: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=utcnow().tzinfo)


# ---------------------------------------------------------------- clinics and users


def user_by_email(s: Session, email: str) -> User | None:
    """Return the user with this e-mail address (case-insensitive), or None."""
    return s.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(s: Session, *, clinic: Clinic, email: str, name: str, password_hash: str, role: str) -> User:
    """Add a user; raises Conflict when the e-mail address is taken."""
    if user_by_email(s, email) is not None:
        raise Conflict("an account with this e-mail address already exists; sign in instead.")
    user = User(email=email.strip().lower(), name=name, password_hash=password_hash, role=role, clinic=clinic)
    s.add(user)
    s.flush()
    return user


def create_clinic(s: Session, *, clinic_name: str, admin_name: str, email: str, password_hash: str) -> User:
    """Create a clinic and its first admin; return the admin."""
    if user_by_email(s, email) is not None:
        raise Conflict("an account with this e-mail address already exists; sign in instead.")
    clinic = Clinic(name=clinic_name, contact_email=email.strip().lower())
    s.add(clinic)
    return create_user(
        s, clinic=clinic, email=email, name=admin_name, password_hash=password_hash, role="admin"
    )


def staff(s: Session, clinic_id: int) -> Sequence[User]:
    """Admins and clinicians of a clinic."""
    return s.scalars(
        select(User).where(User.clinic_id == clinic_id, User.role.in_(STAFF_ROLES)).order_by(User.name)
    ).all()


# ---------------------------------------------------------------- sessions and rate limiting


def add_session(s: Session, user: User, token_hash: str, hours: float) -> LoginSession:
    """Store a new login session lasting ``hours``."""
    row = LoginSession(token_hash=token_hash, user_id=user.id, expires=utcnow() + timedelta(hours=hours))
    s.add(row)
    s.flush()
    return row


def user_for_session(s: Session, token_hash: str) -> User | None:
    """Return the active user of an unexpired session, or None."""
    row = s.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash))
    if row is None or aware(row.expires) <= utcnow():
        return None
    user = s.get(User, row.user_id)
    return user if user is not None and user.active else None


def end_session(s: Session, token_hash: str) -> None:
    """Delete a session (sign out)."""
    s.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash))


def end_user_sessions(s: Session, user: User) -> None:
    """Delete every session of a user (e.g. after a password change)."""
    s.execute(delete(LoginSession).where(LoginSession.user_id == user.id))


def recent_failures(s: Session, key: str, minutes: int) -> int:
    """Failed sign-ins recorded under ``key`` in the last ``minutes``."""
    since = utcnow() - timedelta(minutes=minutes)
    n = s.scalar(select(func.count()).where(LoginAttempt.key == key, LoginAttempt.at >= since))
    return int(n or 0)


def failure_stats(s: Session, key: str, minutes: int) -> tuple[int, datetime | None]:
    """Return (count, time of the latest) of the failures under ``key`` in the last ``minutes``."""
    since = utcnow() - timedelta(minutes=minutes)
    row = s.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.key == key, LoginAttempt.at >= since
        )
    ).one()
    return int(row[0] or 0), aware(row[1]) if row[1] is not None else None


def record_failure(s: Session, *keys: str) -> None:
    """Count a failed sign-in under each key."""
    s.add_all(LoginAttempt(key=k) for k in keys)


def clear_failures(s: Session, key: str) -> None:
    """Forget the failed sign-ins under ``key`` (after a successful one)."""
    s.execute(delete(LoginAttempt).where(LoginAttempt.key == key))


# ---------------------------------------------------------------- invitations


def add_invitation(
    s: Session, *, user: User, token_hash: str, role: str, days: int, athlete: Athlete | None = None
) -> Invitation:
    """Store an invitation for an athlete (to their own record) or a clinician."""
    inv = Invitation(
        token_hash=token_hash,
        clinic_id=user.clinic_id,
        role=role,
        athlete_id=athlete.id if athlete else None,
        email=athlete.email if athlete else None,
        created_by=user.id,
        expires=utcnow() + timedelta(days=days),
    )
    s.add(inv)
    s.flush()
    return inv


def open_invitation(s: Session, token_hash: str) -> Invitation:
    """Return an unused, unexpired invitation; NotFound otherwise."""
    inv = s.scalar(select(Invitation).where(Invitation.token_hash == token_hash))
    if inv is None or inv.used is not None or aware(inv.expires) <= utcnow():
        raise NotFound("this invitation link is not valid any more; ask the clinic for a new one.")
    return inv


def accept_invitation(s: Session, inv: Invitation, *, email: str, name: str, password_hash: str) -> User:
    """Create the invited user's account and mark the invitation used."""
    clinic = s.get(Clinic, inv.clinic_id)
    assert clinic is not None
    user = create_user(s, clinic=clinic, email=email, name=name, password_hash=password_hash, role=inv.role)
    user.athlete_id = inv.athlete_id
    inv.used = utcnow()
    return user


# ---------------------------------------------------------------- athletes


def _athlete_scope(user: User) -> ColumnElement[bool]:
    if user.role == "athlete":
        return Athlete.id == user.athlete_id
    return Athlete.clinic_id == user.clinic_id


def list_athletes(s: Session, user: User) -> Sequence[Athlete]:
    """Athletes the user may see, by name."""
    return s.scalars(select(Athlete).where(_athlete_scope(user)).order_by(Athlete.name)).all()


def get_athlete(s: Session, user: User, athlete_id: int) -> Athlete:
    """One athlete the user may see; NotFound otherwise."""
    a = s.scalar(select(Athlete).where(Athlete.id == athlete_id, _athlete_scope(user)))
    if a is None:
        raise NotFound("there is no such athlete in your clinic.")
    return a


def create_athlete(
    s: Session, user: User, *, name: str, email: str | None, sex: str | None, birth_year: int | None
) -> Athlete:
    """Add an athlete to the user's clinic (staff only)."""
    athlete = Athlete(
        clinic_id=user.clinic_id,
        name=name,
        email=email.strip().lower() if email else None,
        sex=sex,
        birth_year=birth_year,
    )
    s.add(athlete)
    s.flush()
    return athlete


def athlete_media_ids(s: Session, athlete: Athlete) -> list[str]:
    """Every media id (videos, keypoints, overlays, key frames) of an athlete's trials."""
    return trial_media_ids(
        s.scalars(select(Trial).join(Assessment).where(Assessment.athlete_id == athlete.id)).all()
    )


def delete_athlete(s: Session, athlete: Athlete) -> list[str]:
    """Delete an athlete with their assessments, trials, results, requests and account.

    Returns the media ids whose rows were deleted; the caller removes their files.
    """
    ids = athlete_media_ids(s, athlete)
    s.execute(delete(User).where(User.athlete_id == athlete.id))
    s.execute(delete(Athlete).where(Athlete.id == athlete.id))
    if ids:
        s.execute(delete(Media).where(Media.id.in_(ids)))
    s.expunge(athlete)
    return ids


def deactivate_user(s: Session, admin: User, user_id: int) -> User:
    """Turn off a user of the admin's clinic and end their sessions (not the admin themself)."""
    user = s.scalar(select(User).where(User.id == user_id, User.clinic_id == admin.clinic_id))
    if user is None or user.id == admin.id:
        raise NotFound("there is no such other user in your clinic.")
    user.active = False
    s.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    return user


def clinic_users(s: Session, clinic_id: int) -> Sequence[User]:
    """Every account of a clinic (staff and athletes), by role and name."""
    return s.scalars(select(User).where(User.clinic_id == clinic_id).order_by(User.role, User.name)).all()


# ---------------------------------------------------------------- assessments and trials


def list_assessments(s: Session, athlete: Athlete) -> Sequence[Assessment]:
    """Return an athlete's assessments, oldest first."""
    return s.scalars(
        select(Assessment).where(Assessment.athlete_id == athlete.id).order_by(Assessment.date, Assessment.id)
    ).all()


def create_assessment(s: Session, user: User, athlete: Athlete, *, on: date, notes: str = "") -> Assessment:
    """Add an assessment for an athlete the caller may see."""
    a = Assessment(athlete_id=athlete.id, date=on, notes=notes, created_by=user.id)
    s.add(a)
    s.flush()
    return a


def get_assessment(s: Session, user: User, assessment_id: int) -> Assessment:
    """One assessment the user may see; NotFound otherwise."""
    a = s.scalar(select(Assessment).join(Athlete).where(Assessment.id == assessment_id, _athlete_scope(user)))
    if a is None:
        raise NotFound("there is no such assessment in your records.")
    return a


def assessment_by_id(s: Session, assessment_id: int) -> Assessment:
    """Return an assessment by id, unscoped (for signed share links and workers)."""
    a = s.get(Assessment, assessment_id)
    if a is None:
        raise NotFound("this assessment no longer exists.")
    return a


def add_trial(
    s: Session,
    assessment: Assessment,
    *,
    test: TestKind,
    view: ViewChoice,
    video: Media,
    keypoints: Media | None = None,
) -> Trial:
    """Add a trial with its video and a queued analysis job."""
    trial = Trial(
        assessment_id=assessment.id,
        test=test,
        view=view,
        video_id=video.id,
        keypoints_in_id=keypoints.id if keypoints else None,
    )
    s.add(trial)
    s.flush()
    s.add(Job(trial_id=trial.id))
    s.flush()
    return trial


def get_trial(s: Session, user: User, trial_id: int) -> Trial:
    """One trial the user may see; NotFound otherwise."""
    t = s.scalar(
        select(Trial).join(Assessment).join(Athlete).where(Trial.id == trial_id, _athlete_scope(user))
    )
    if t is None:
        raise NotFound("there is no such trial in your records.")
    return t


def athlete_trials(s: Session, athlete: Athlete) -> Sequence[tuple[Assessment, Trial]]:
    """Every (assessment, trial) of an athlete with a result, oldest first."""
    rows = s.execute(
        select(Assessment, Trial)
        .join(Trial)
        .where(Assessment.athlete_id == athlete.id, Trial.result.is_not(None))
        .order_by(Assessment.date, Trial.id)
    ).all()
    return [(a, t) for a, t in rows]


# ---------------------------------------------------------------- media


def new_media(
    s: Session, *, clinic_id: int, kind: str, content_type: str, size: int, original_name: str | None = None
) -> Media:
    """Register a stored file under a new random 128-bit id."""
    m = Media(
        id=secrets.token_hex(16),
        clinic_id=clinic_id,
        kind=kind,
        content_type=content_type,
        size=size,
        original_name=(original_name or "")[:255] or None,
    )
    s.add(m)
    s.flush()
    return m


def get_media(s: Session, media_id: str | None) -> Media | None:
    """Return a media row that still has its file, or None."""
    if media_id is None:
        return None
    m = s.get(Media, media_id)
    return m if m is not None and m.deleted is None else None


# ---------------------------------------------------------------- jobs


def pending_job_ids(s: Session) -> list[int]:
    """Jobs queued or left running (e.g. by a process that stopped), oldest first."""
    return list(s.scalars(select(Job.id).where(Job.state.in_(("queued", "running"))).order_by(Job.id)))


def requeue_running(s: Session) -> int:
    """Set every running job back to queued (the only process that ran jobs has restarted)."""
    jobs = s.scalars(select(Job).where(Job.state == "running")).all()
    for job in jobs:
        job.state, job.stage, job.progress = "queued", "", 0.0
    return len(jobs)


def retry_job(s: Session, trial: Trial) -> Job:
    """Queue a failed trial's job again from scratch; NotFound unless it failed."""
    job = trial.job
    if job is None or job.state != "failed":
        raise NotFound("only a failed analysis can be tried again.")
    job.state, job.stage, job.progress, job.reason, job.attempts = "queued", "", 0.0, None, 0
    job.finished = None
    return job


def queued_job_ids(s: Session) -> list[int]:
    """Jobs still waiting to start, oldest first."""
    return list(s.scalars(select(Job.id).where(Job.state == "queued").order_by(Job.id)))


# ---------------------------------------------------------------- audit, consultations


def audit(
    s: Session,
    *,
    clinic_id: int,
    action: str,
    user: User | None = None,
    athlete_id: int | None = None,
    detail: str = "",
    client: str | None = None,
    share_link_id: int | None = None,
) -> None:
    """Record who did what to which athlete's data."""
    s.add(
        AuditEvent(
            clinic_id=clinic_id,
            user_id=user.id if user else None,
            athlete_id=athlete_id,
            action=action,
            detail=detail[:400],
            client=client,
            share_link_id=share_link_id,
        )
    )


def audit_events(s: Session, clinic_id: int, *, limit: int = 200) -> Sequence[AuditEvent]:
    """Return the clinic's most recent audit events, newest first."""
    return s.scalars(
        select(AuditEvent)
        .where(AuditEvent.clinic_id == clinic_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()


def add_consultation(
    s: Session, user: User, athlete: Athlete, *, message: str, contact: str, assessment_id: int | None
) -> ConsultationRequest:
    """Store a consultation request for the athlete's clinic."""
    req = ConsultationRequest(
        clinic_id=athlete.clinic_id,
        athlete_id=athlete.id,
        user_id=user.id,
        assessment_id=assessment_id,
        message=message,
        contact=contact,
    )
    s.add(req)
    s.flush()
    return req


def consultations(s: Session, clinic_id: int) -> Sequence[ConsultationRequest]:
    """Return the clinic's consultation requests, newest first."""
    return s.scalars(
        select(ConsultationRequest)
        .where(ConsultationRequest.clinic_id == clinic_id)
        .order_by(ConsultationRequest.created.desc())
    ).all()
