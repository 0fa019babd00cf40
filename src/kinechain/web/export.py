"""Export of one athlete's data (data portability): a ZIP with ``athlete.json`` and the media files.

``athlete.json`` holds the athlete record and every assessment with its notes, intake, findings
and plan (computed from what is stored, as the assessment page shows them) and every trial with
its analysis job and result record. The trials' stored files (uploaded clip, keypoints, overlay
video, key frames) follow under ``media/``, each named in the JSON. The ZIP is written to a file
in the media store's incoming folder, copying media from disk in chunks, never whole in memory.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypedDict

from fastapi.responses import FileResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from kinechain import __version__
from kinechain.model.findings import Findings
from kinechain.model.plan import Plan
from kinechain.store import repo
from kinechain.store.media import MediaStore
from kinechain.store.models import Assessment, Athlete, Media, Trial, utcnow
from kinechain.store.redact import public_result
from kinechain.web import clinic_bridge
from kinechain.web.views import job_public, result_of

#: Name and version of the export's JSON layout.
FORMAT: Literal["kinechain.athlete-export/1"] = "kinechain.athlete-export/1"
_EXTENSIONS = {
    "video/mp4": "mp4",
    "video/webm": "webm",
    "application/json": "json",
    "image/jpeg": "jpg",
    "image/png": "png",
}


class TrialRecord(TypedDict):
    """A trial in ``athlete.json``: test, view, job, result record and the names of its files."""

    id: int
    test: str
    view: str
    created: str
    job: dict[str, object]
    result: dict[str, object] | None
    keyframe_captions: list[str]
    files: dict[str, str]


class OutcomeRecord(TypedDict, total=False):
    """Findings or plan in ``athlete.json``: the record when available, else the reason."""

    available: bool
    value: dict[str, object]
    reason: str | None


class AssessmentRecord(TypedDict):
    """An assessment in ``athlete.json``: notes, intake, findings, plan (edits) and trials."""

    id: int
    date: str
    notes: str
    created: str
    intake: dict[str, object] | None
    findings: OutcomeRecord
    plan: OutcomeRecord
    plan_edits: dict[str, object] | None
    trials: list[TrialRecord]


class AthleteRecord(TypedDict):
    """The athlete in ``athlete.json``."""

    id: int
    name: str
    email: str | None
    sex: str | None
    birth_year: int | None
    created: str


class AthleteExport(TypedDict):
    """The whole ``athlete.json`` document (layout :data:`FORMAT`)."""

    format: Literal["kinechain.athlete-export/1"]
    kinechain_version: str
    exported: str
    athlete: AthleteRecord
    assessments: list[AssessmentRecord]


@dataclass(frozen=True)
class MediaEntry:
    """A stored file to copy into the archive, under ``name``."""

    name: str
    media: Media


def _entry(session: Session, store: MediaStore, media_id: str | None, stem: str) -> MediaEntry | None:
    """Return the archive entry of a media id whose file is still on disk, or None."""
    m = repo.get_media(session, media_id)
    if m is None or not store.path(m.id).is_file():
        return None
    return MediaEntry(f"{stem}.{_EXTENSIONS.get(m.content_type, 'bin')}", m)


def trial_media(session: Session, store: MediaStore, trial: Trial) -> list[tuple[str, MediaEntry]]:
    """Return (kind, entry) of every file a trial still has: video, keypoints, overlay, key frames."""
    stem = f"media/assessment-{trial.assessment_id}/trial-{trial.id}"
    kinds = [
        ("video", trial.video_id),
        ("keypoints_uploaded", trial.keypoints_in_id),
        ("keypoints", trial.keypoints_id),
        ("overlay", trial.overlay_id),
    ]
    kinds += [(f"keyframe-{i}", f["id"]) for i, f in enumerate(trial.keyframes or [])]
    found = [(kind, _entry(session, store, media_id, f"{stem}-{kind}")) for kind, media_id in kinds]
    return [(kind, e) for kind, e in found if e is not None]


def _trial_record(trial: Trial, files: list[tuple[str, MediaEntry]]) -> TrialRecord:
    return {
        "id": trial.id,
        "test": trial.test,
        "view": trial.view,
        "created": trial.created.isoformat(),
        "job": job_public(trial.job),
        "result": public_result(trial.result),
        "keyframe_captions": [f.get("caption", "") for f in trial.keyframes or []],
        "files": {kind: e.name for kind, e in files},
    }


def _outcome(outcome: clinic_bridge.Outcome[Findings] | clinic_bridge.Outcome[Plan]) -> OutcomeRecord:
    """Return a findings or plan outcome as JSON: the record, or the sentence saying why there is none."""
    if outcome.value is None:
        return {"available": False, "reason": outcome.missing}
    return {"available": True, "value": outcome.value.model_dump(mode="json")}


def _assessment_record(
    session: Session, store: MediaStore, assessment: Assessment, entries: list[MediaEntry]
) -> AssessmentRecord:
    """Return an assessment as JSON, appending its trials' files to ``entries``."""
    results = [r for r in (result_of(t) for t in assessment.trials) if r is not None]
    found = clinic_bridge.findings(results, assessment.intake)
    trials: list[TrialRecord] = []
    for t in assessment.trials:
        files = trial_media(session, store, t)
        entries += [e for _, e in files]
        trials.append(_trial_record(t, files))
    return {
        "id": assessment.id,
        "date": assessment.date.isoformat(),
        "notes": assessment.notes,
        "created": assessment.created.isoformat(),
        "intake": assessment.intake,
        "findings": _outcome(found),
        "plan": _outcome(clinic_bridge.plan(found.value, results, assessment.intake, assessment.plan_edits)),
        "plan_edits": assessment.plan_edits,
        "trials": trials,
    }


def athlete_record(
    session: Session, store: MediaStore, athlete: Athlete
) -> tuple[AthleteExport, list[MediaEntry]]:
    """Return the export's JSON document and the stored files it names."""
    entries: list[MediaEntry] = []
    assessments = [
        _assessment_record(session, store, a, entries) for a in repo.list_assessments(session, athlete)
    ]
    doc: AthleteExport = {
        "format": FORMAT,
        "kinechain_version": __version__,
        "exported": utcnow().isoformat(),
        "athlete": {
            "id": athlete.id,
            "name": athlete.name,
            "email": athlete.email,
            "sex": athlete.sex,
            "birth_year": athlete.birth_year,
            "created": athlete.created.isoformat(),
        },
        "assessments": assessments,
    }
    return doc, entries


def write_export(session: Session, media: MediaStore, athlete: Athlete, dest: Path) -> Path:
    """Write the athlete's export ZIP to ``dest`` and return it.

    Media files are copied from disk in chunks; videos and pictures are stored as they are (they
    are compressed already), JSON files deflated. Files deleted (e.g. source videos after
    analysis) are simply absent.
    """
    doc, entries = athlete_record(session, media, athlete)
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        zf.writestr("athlete.json", text, compress_type=zipfile.ZIP_DEFLATED)
        for e in entries:
            packed = zipfile.ZIP_DEFLATED if e.name.endswith(".json") else zipfile.ZIP_STORED
            zf.write(media.path(e.media.id), e.name, compress_type=packed)
    return dest


def zip_download(path: Path, filename: str) -> FileResponse:
    """Stream a temporary ZIP as an attachment and remove it once sent."""
    return FileResponse(
        path,
        media_type="application/zip",
        filename=filename,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
