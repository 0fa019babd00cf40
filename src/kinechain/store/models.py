"""Database tables: clinic -> users and athletes -> assessments -> trials -> jobs and results.

Media files (videos, keypoints, overlays) are stored on disk under random ids; the database
holds only their ids and metadata. Times are UTC.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from kinechain.model.vocab import TestKind, ViewChoice

ROLES = ("admin", "clinician", "athlete")
JOB_STATES = ("queued", "running", "done", "failed")


def utcnow() -> datetime:
    """Return the current time, UTC, timezone-aware."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of every kinechain table."""


class Clinic(Base):
    """A clinic: its staff and athletes, and its privacy choices."""

    __tablename__ = "clinic"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    blur_faces: Mapped[bool] = mapped_column(Boolean, default=False)
    delete_source_videos: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_email: Mapped[str | None] = mapped_column(String(320))


class User(Base):
    """A person who signs in: clinic admin, clinician or athlete."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    clinic: Mapped[Clinic] = relationship()


class Athlete(Base):
    """A runner followed by a clinic."""

    __tablename__ = "athlete"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    sex: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Invitation(Base):
    """A single-use invitation link (only the token's hash is stored)."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(320))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    expires: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginSession(Base):
    """A signed-in browser session (only the cookie token's hash is stored)."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    """A failed sign-in, counted for rate limiting by e-mail and by client address."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Media(Base):
    """A stored file, named on disk by its random id."""

    __tablename__ = "media"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    content_type: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Assessment(Base):
    """One assessment session of an athlete: several trials, an intake, findings."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    intake: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The clinician's edits of the generated plan and its sign-off (a ``kinechain.plan/1`` document).
    plan_edits: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    athlete: Mapped[Athlete] = relationship()
    trials: Mapped[list[Trial]] = relationship(back_populates="assessment", order_by="Trial.id")


class Trial(Base):
    """One recorded clip of one test from one view, and its analysis."""

    __tablename__ = "trial"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"), index=True)
    test: Mapped[TestKind] = mapped_column(String(50))  # stored as plain text, checked on the way in
    view: Mapped[ViewChoice] = mapped_column(String(20))
    video_id: Mapped[str | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    keypoints_in_id: Mapped[str | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    keypoints_id: Mapped[str | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    overlay_id: Mapped[str | None] = mapped_column(ForeignKey("media.id", ondelete="SET NULL"))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: Key frames: [{"id": media id, "caption": str}], drawn by kinechain.report.keyframes.
    keyframes: Mapped[list[Any] | None] = mapped_column(JSON)
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="trials")
    job: Mapped[Job | None] = relationship(back_populates="trial", uselist=False)


class Job(Base):
    """The analysis of one trial: queued, running (with progress), done or failed (with the reason)."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    trial_id: Mapped[int] = mapped_column(ForeignKey("trial.id", ondelete="CASCADE"), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    stage: Mapped[str] = mapped_column(String(40), default="")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    reason: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Last sign of life of the worker running the job; a running job whose heartbeat is older
    #: than ``job_stale_s`` is queued again (its worker died).
    heartbeat: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    trial: Mapped[Trial] = relationship(back_populates="job")


class ShareLink(Base):
    """A read-only link to one assessment's report.

    The URL carries a random 256-bit token; only its SHA-256 (``token_hash``) is stored, and a
    link is found by that hash alone, never by its row id, so a reused id opens nothing.
    """

    __tablename__ = "share_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    #: SHA-256 of the URL token; NULL only for links made before tokens were random (never opened).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    last_opened: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    opens: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuditEvent(Base):
    """Who saw or changed which athlete's data, when, from where."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    share_link_id: Mapped[int | None] = mapped_column(ForeignKey("share_link.id", ondelete="SET NULL"))
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athlete.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(String(400), default="")
    client: Mapped[str | None] = mapped_column(String(100))


class ConsultationRequest(Base):
    """An athlete's (or clinician's) request for a consultation, kept for the clinic."""

    __tablename__ = "consultation_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id", ondelete="CASCADE"), index=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(String(320), default="")
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    emailed: Mapped[bool] = mapped_column(Boolean, default=False)
    handled: Mapped[bool] = mapped_column(Boolean, default=False)
