"""Share links of assessments: stored as token hashes, listed, withdrawn, opened by token alone.

Split from :mod:`kinechain.store.repo`; the caller has already checked that the user may see the
assessment (``repo.get_assessment``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kinechain.store.models import Assessment, ShareLink, User, utcnow
from kinechain.store.repo import NotFound, aware


def add_share_link(
    s: Session, user: User, assessment: Assessment, *, token_hash: str, days: int
) -> ShareLink:
    """Store a share link (only its token's hash) for an assessment, expiring after ``days``."""
    link = ShareLink(
        assessment_id=assessment.id,
        token_hash=token_hash,
        created_by=user.id,
        expires=utcnow() + timedelta(days=days),
    )
    s.add(link)
    s.flush()
    return link


def open_share_link(s: Session, token_hash: str) -> ShareLink:
    """Return the live link with this token hash and count the opening; NotFound otherwise.

    The link is found by its token's hash alone (never by row id), so a deleted link's token
    cannot open a newer link that reuses its id.
    """
    link = s.scalar(select(ShareLink).where(ShareLink.token_hash == token_hash))
    if link is None or link.revoked or aware(link.expires) <= utcnow():
        raise NotFound("this share link has expired or was withdrawn; ask the clinic for a new one.")
    link.opens = (link.opens or 0) + 1
    link.last_opened = utcnow()
    return link


def share_links(s: Session, assessment: Assessment) -> Sequence[ShareLink]:
    """Every share link of an assessment (live, expired and revoked), newest first."""
    return s.scalars(
        select(ShareLink)
        .where(ShareLink.assessment_id == assessment.id)
        .order_by(ShareLink.created.desc(), ShareLink.id.desc())
    ).all()


def revoke_share_link(s: Session, assessment: Assessment, link_id: int) -> ShareLink:
    """Withdraw one of an assessment's share links; NotFound for another assessment's link."""
    link = s.scalar(
        select(ShareLink).where(ShareLink.id == link_id, ShareLink.assessment_id == assessment.id)
    )
    if link is None:
        raise NotFound("this assessment has no such share link.")
    link.revoked = True
    return link


def share_link_live(link: ShareLink) -> bool:
    """Return True when a link still opens (not revoked, not expired)."""
    return not link.revoked and aware(link.expires) > utcnow()
