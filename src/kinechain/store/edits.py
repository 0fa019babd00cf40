"""Corrections after the fact: edit an athlete, re-analyse a clip, delete an assessment or a clip.

Deleting returns the media ids whose rows were deleted; the caller removes their files from the
media store (kinechain.web.services does, and audits the change).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.orm import Session

from kinechain.model.vocab import TestKind, ViewChoice
from kinechain.store.models import Assessment, Athlete, Job, Media, Trial


def trial_media_ids(trials: Sequence[Trial]) -> list[str]:
    """Every media id (video, keypoints uploaded and computed, overlay, key frames) of some trials."""
    ids: list[str] = []
    for t in trials:
        ids += [m for m in (t.video_id, t.keypoints_in_id, t.keypoints_id, t.overlay_id) if m]
        ids += [f["id"] for f in t.keyframes or []]
    return ids


def update_athlete(
    athlete: Athlete, *, name: str, email: str | None, sex: str | None, birth_year: int | None
) -> None:
    """Change an athlete's record (the caller has checked scope and the values)."""
    athlete.name, athlete.sex, athlete.birth_year = name, sex, birth_year
    athlete.email = email.strip().lower() if email else None


def delete_assessment(s: Session, assessment: Assessment) -> list[str]:
    """Delete an assessment with its trials, jobs, results and share links.

    Returns the media ids whose rows were deleted; the caller removes their files.
    """
    ids = trial_media_ids(assessment.trials)
    s.execute(delete(Assessment).where(Assessment.id == assessment.id))
    if ids:
        s.execute(delete(Media).where(Media.id.in_(ids)))
    s.expunge(assessment)
    return ids


def delete_trial(s: Session, trial: Trial) -> list[str]:
    """Delete a trial (clip) with its job and result; return the media ids to remove from disk."""
    ids = trial_media_ids([trial])
    s.execute(delete(Trial).where(Trial.id == trial.id))
    if ids:
        s.execute(delete(Media).where(Media.id.in_(ids)))
    s.expunge(trial)
    return ids


def reanalyse(s: Session, trial: Trial, *, test: TestKind, view: ViewChoice) -> Job:
    """Change a trial's test and view and queue its analysis again (the old result is dropped)."""
    trial.test, trial.view, trial.result = test, view, None
    job = trial.job
    if job is None:
        job = Job(trial_id=trial.id)
        s.add(job)
    job.state, job.stage, job.progress, job.reason, job.attempts = "queued", "", 0.0, None, 0
    job.finished = None
    s.flush()
    return job
