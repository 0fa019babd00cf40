"""Create / Public schemas of the JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from kinechain.model.vocab import Side


def _storable(value: str) -> str:
    """Refuse text that no database can store (PostgreSQL refuses NUL characters)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


#: Text that can be stored: any characters but NUL.
Text = Annotated[str, AfterValidator(_storable)]


class _Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LoginIn(BaseModel):
    """E-mail and password."""

    email: Text = Field(max_length=320)
    password: Text = Field(max_length=4096)


class UserPublic(_Orm):
    """The signed-in user."""

    id: int
    email: str
    name: str
    role: str
    clinic_id: int
    athlete_id: int | None


class AthleteCreate(BaseModel):
    """A new athlete."""

    name: Text = Field(min_length=1, max_length=200)
    email: Text | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    sex: Literal["female", "male"] | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)


class AthletePublic(_Orm):
    """An athlete."""

    id: int
    clinic_id: int
    name: str
    email: str | None
    sex: str | None
    birth_year: int | None


class AssessmentCreate(BaseModel):
    """A new assessment (today when no date is given)."""

    date: dt.date | None = Field(default=None, ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31))
    notes: Text = Field(default="", max_length=2000)


class TrialEdit(BaseModel):
    """Which test and view a clip shows (saving analyses it again)."""

    test: Text = Field(min_length=1, max_length=50)
    view: Text = Field(min_length=1, max_length=20)


class JobPublic(BaseModel):
    """An analysis job: queued, running (stage, progress 0-1), done, failed (reason)."""

    id: int | None = None
    state: str
    stage: str | None = None
    progress: float | None = None
    reason: str | None = None
    attempts: int | None = None
    text: str | None = None


class TrialPublic(BaseModel):
    """A trial with its job and (when done) its kinechain.result/1 record."""

    id: int
    test: str
    view: str
    job: JobPublic
    has_video: bool
    has_overlay: bool
    result: dict[str, object] | None


class AssessmentPublic(BaseModel):
    """An assessment with its trials."""

    id: int
    athlete_id: int
    date: dt.date
    notes: str
    created: dt.datetime
    trials: list[TrialPublic] = Field(default_factory=list)


class ShareLinkPublic(BaseModel):
    """A read-only link and when it expires."""

    url: str
    expires_days: int


class ShareLinkRow(BaseModel):
    """One share link of an assessment, as its clinic sees it (never the token, which is not stored)."""

    id: int
    created: dt.datetime
    expires: dt.datetime
    last_opened: dt.datetime | None
    opens: int
    revoked: bool
    live: bool


class SharedMeasure(BaseModel):
    """A measure as the shared report shows it."""

    name: str
    side: Side
    value: float | None
    unit: str
    spread: float | None
    steps: int
    confidence: str
    category: str | None
    measurable: bool
    reason: str | None


class SharedClip(BaseModel):
    """One clip of a shared report: which test, whether it was analysed, its measures."""

    test: str
    view: str
    status: str
    measures: list[SharedMeasure] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class SharedFactor(BaseModel):
    """A finding of a shared report."""

    title: str
    status: str
    confidence: str
    headline: str | None
    evidence: list[str] = Field(default_factory=list)


class SharedExercise(BaseModel):
    """An exercise of the plan in a shared report."""

    name: str
    dose: str
    why: str


class SharedReport(BaseModel):
    """What a share link shows: the athlete's report and nothing else.

    An allow-list: no notes, no intake answers, no ids of rows or files, no file names or paths.
    """

    athlete: str
    date: dt.date
    stopped: str | None = None
    findings: list[SharedFactor] = Field(default_factory=list)
    findings_missing: str | None = None
    plan: list[SharedExercise] = Field(default_factory=list)
    plan_missing: str | None = None
    clips: list[SharedClip] = Field(default_factory=list)
