"""One place that fetches an object for the signed-in user, authorises it and audits the access.

Pages and the JSON API take an :class:`Access` (``ReadAccess`` for anyone signed in, ``StaffAccess``
for clinic staff) instead of repeating fetch-then-audit code: ``access.assessment(id, "viewed-
assessment")`` returns the assessment if the user may see it (else NotFound, the same as a missing
row) and writes the audit event. Scoping is :mod:`kinechain.store.repo`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from kinechain.store import repo
from kinechain.store.models import Assessment, Athlete, Trial, User
from kinechain.web.api.deps import CurrentUser, SessionDep, StaffUser


@dataclass(frozen=True)
class Access:
    """The signed-in user's session with the database, and where the request came from."""

    session: Session
    user: User
    client: str | None

    def audit(self, athlete_id: int | None, action: str, detail: str = "") -> None:
        """Record an event of this user about an athlete of their clinic."""
        repo.audit(
            self.session,
            clinic_id=self.user.clinic_id,
            user=self.user,
            athlete_id=athlete_id,
            action=action,
            detail=detail,
            client=self.client,
        )

    def athlete(self, athlete_id: int, action: str | None = None) -> Athlete:
        """Return an athlete the user may see (NotFound otherwise), audited as ``action`` if given."""
        athlete = repo.get_athlete(self.session, self.user, athlete_id)
        if action:
            self.audit(athlete.id, action)
        return athlete

    def assessment(self, assessment_id: int, action: str | None = None) -> Assessment:
        """Return an assessment the user may see (NotFound otherwise), audited as ``action`` if given."""
        assessment = repo.get_assessment(self.session, self.user, assessment_id)
        if action:
            self.audit(assessment.athlete_id, action, f"assessment {assessment.id}")
        return assessment

    def trial(self, trial_id: int, action: str | None = None) -> Trial:
        """Return a trial (clip) the user may see (NotFound otherwise), audited as ``action`` if given."""
        trial = repo.get_trial(self.session, self.user, trial_id)
        if action:
            self.audit(trial.assessment.athlete_id, action, f"trial {trial.id}")
        return trial


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def read_access(request: Request, session: SessionDep, user: CurrentUser) -> Access:
    """Access for anyone signed in (staff of the clinic, or an athlete to their own record)."""
    return Access(session, user, _client(request))


def staff_access(request: Request, session: SessionDep, user: StaffUser) -> Access:
    """Access for clinic staff only (403 for an athlete)."""
    return Access(session, user, _client(request))


ReadAccess = Annotated[Access, Depends(read_access)]
StaffAccess = Annotated[Access, Depends(staff_access)]
