"""Use cases that fix mistakes: edit, re-analyse, delete; each change is audited.

Athletes and assessments can be edited, a clip analysed again as another test or view, and an
assessment or a clip deleted with its stored files.

Pages ask for confirmation before deleting (kinechain.web.routes.editing); the JSON API takes the
DELETE request as the confirmation. A deletion removes the rows and then the files: videos,
uploaded and computed keypoints, overlay videos and key frames.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from kinechain.errors import KinechainError
from kinechain.jobs.runner import JobRunner
from kinechain.store import edits
from kinechain.store.media import MediaStore
from kinechain.store.models import Assessment, Athlete, Trial
from kinechain.web.access import Access
from kinechain.web.api.schemas import AssessmentCreate, AthleteCreate
from kinechain.web.catalogue import check_choice
from kinechain.web.forms import FormError


def edit_athlete(access: Access, athlete: Athlete, body: AthleteCreate) -> None:
    """Replace an athlete's name, e-mail, sex and birth year (validated by the API schema)."""
    edits.update_athlete(athlete, name=body.name, email=body.email, sex=body.sex, birth_year=body.birth_year)
    access.audit(athlete.id, "athlete-edited", f"athlete {athlete.id}")


def edit_assessment(access: Access, assessment: Assessment, body: AssessmentCreate) -> None:
    """Change an assessment's date and notes."""
    if body.date is not None:
        assessment.date = body.date
    assessment.notes = body.notes
    access.audit(assessment.athlete_id, "assessment-edited", f"assessment {assessment.id}")


def reanalyse_trial(access: Access, runner: JobRunner, trial: Trial, *, test: str, view: str) -> None:
    """Record that a clip shows another test or view, and analyse it again as that.

    Raises
    ------
    FormError
        Naming the allowed tests or views when the pair is not offered.
    """
    try:
        kind, chosen = check_choice(test, view)
    except KinechainError as exc:
        raise FormError(str(exc)) from exc
    edits.reanalyse(access.session, trial, test=kind, view=chosen)
    access.audit(trial.assessment.athlete_id, "trial-edited", f"trial {trial.id}: {kind}, {chosen} view")
    access.session.commit()
    assert trial.job is not None
    runner.submit(trial.job.id)


def _remove_files(s: Session, media: MediaStore, ids: list[str]) -> None:
    """Remove media files once their rows are gone (after the commit, so a rollback keeps them)."""
    s.commit()
    for media_id in ids:
        media.delete(media_id)


def delete_assessment(access: Access, media: MediaStore, assessment: Assessment) -> int:
    """Delete an assessment, its clips, results, share links and stored files; return the files removed."""
    athlete_id, detail = assessment.athlete_id, f"assessment {assessment.id} of {assessment.date.isoformat()}"
    ids = edits.delete_assessment(access.session, assessment)
    access.audit(athlete_id, "assessment-deleted", f"{detail}, {len(ids)} files")
    _remove_files(access.session, media, ids)
    return len(ids)


def delete_trial(access: Access, media: MediaStore, trial: Trial) -> int:
    """Delete a clip with its analysis, result and stored files; return the files removed."""
    athlete_id = trial.assessment.athlete_id
    detail = f"trial {trial.id} ({trial.test}) of assessment {trial.assessment_id}"
    ids = edits.delete_trial(access.session, trial)
    access.audit(athlete_id, "trial-deleted", f"{detail}, {len(ids)} files")
    _remove_files(access.session, media, ids)
    return len(ids)
