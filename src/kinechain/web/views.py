"""Presentation helpers: what a page shows of a trial, a job, and an athlete's progress."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from kinechain.clinic.reassess import (
    TIMING_FPS,
    below_timing_fps,
    judge,
    method_difference,
    noise_of_difference,
    pose_model,
)
from kinechain.model.measures import Measure
from kinechain.model.result import AnalysisResult
from kinechain.model.vocab import Side
from kinechain.store.models import Assessment, Job, Trial
from kinechain.store.redact import public_result, strip_paths
from kinechain.web.clinic_bridge import SDDInfo, sdd_for

STAGE_TEXT = {
    "starting": "Starting",
    "pose": "Finding the body in each frame",
    "cleaning": "Cleaning the landmarks",
    "measures": "Measuring",
    "overlay": "Drawing the overlay video",
    "done": "Done",
}


def job_text(job: Job | None) -> str:
    """One line for a job's state: "Queued", "Running: measuring (45%)", "Failed: ...", "Done"."""
    if job is None:
        return "No analysis"
    if job.state == "running":
        return f"Running: {STAGE_TEXT.get(job.stage, job.stage).lower()} ({job.progress:.0%})"
    if job.state == "failed":
        return f"Failed: {strip_paths(job.reason or 'no reason was recorded.')}"
    return job.state.capitalize()


def result_of(trial: Trial) -> AnalysisResult | None:
    """Return a trial's analysis result, or None while it has none."""
    return AnalysisResult.model_validate(public_result(trial.result)) if trial.result else None


def job_public(job: Job | None) -> dict[str, object]:
    """Return a job as JSON for the API and the progress poller."""
    if job is None:
        return {"state": "none"}
    return {
        "id": job.id,
        "state": job.state,
        "stage": job.stage,
        "progress": job.progress,
        "reason": strip_paths(job.reason) if job.reason else None,
        "attempts": job.attempts,
        "text": job_text(job),
    }


# ---------------------------------------------------------------- progress over time


@dataclass
class Point:
    """One value of a measure on one assessment date."""

    day: date
    value: float
    spread: float | None
    assessment_id: int
    n: int = 0
    fps: float | None = None
    #: The analysis the value came from (its pose model and frame rate decide comparability).
    result: AnalysisResult | None = None


@dataclass
class Series:
    """A measure (one side) across an athlete's assessments."""

    key: str
    name: str
    unit: str
    side: Side
    points: list[Point] = field(default_factory=list)
    sdd: SDDInfo | None = None

    def change(self) -> float | None:
        """Last value minus the first, in the measure's unit."""
        return self.points[-1].value - self.points[0].value if len(self.points) > 1 else None

    def verdict(self) -> str:
        """Whether the change from the first to the last assessment exceeds the SDD."""
        change = self.change()
        if change is None:
            return "one assessment so far"
        refused = self._not_comparable()
        if refused:
            return f"changed {change:+.1f} {self.unit}; {refused}"
        if self.sdd is None:
            return (
                f"changed {change:+.1f} {self.unit}; no smallest detectable difference is known for "
                "this measure, so it cannot be said whether the change is real"
            )
        first, last = self.points[0], self.points[-1]
        noise = noise_of_difference((first.spread, first.n), (last.spread, last.n))
        low_fps = self.sdd.timing and below_timing_fps(first.fps, last.fps)
        verdict = judge(first.value, last.value, self.sdd.value, "none", noise=noise, low_fps_timing=low_fps)
        if verdict.startswith("not judged"):
            return (
                f"changed {change:+.1f} {self.unit}; not judged: below {TIMING_FPS:g} fps a value at "
                "foot contact can move by a whole frame between recordings; film both at 60 fps to compare"
            )
        real = verdict.startswith("real")
        beyond_noise = (
            f" and this video's step-to-step noise of {noise:.1f} {self.unit}"
            if noise is not None and noise > self.sdd.value
            else ""
        )
        return (
            f"changed {change:+.1f} {self.unit}: "
            + ("more than" if real else "within")
            + f" the smallest detectable difference of {self.sdd.value:g} {self.unit}"
            + beyond_noise
            + (", a real change" if real else ", so it may be measurement error")
        )

    def _not_comparable(self) -> str | None:
        """Why the first and last values cannot be compared (pose model or frame rate), or None."""
        first, last = self.points[0].result, self.points[-1].result
        why = method_difference(first, last)
        if why is None or first is None or last is None:
            return None
        if why.endswith("pose models"):
            detail = f"different pose model ({pose_model(first)}, then {pose_model(last)})"
        else:
            fb, fa = (r.clip.fps if r.clip is not None else 0.0 for r in (first, last))
            detail = f"different frame rate ({fb:g} fps, then {fa:g} fps)"
        return f"not comparable: {detail}; film and analyse both the same way to judge the change"


def progress_series(pairs: Sequence[tuple[Assessment, Trial]]) -> list[Series]:
    """Every measurable measure (per test, id and side) with its values over time."""
    found: dict[str, Series] = {}
    for assessment, trial in pairs:
        result = result_of(trial)
        if result is None:
            continue
        for m in result.measures:
            if not m.measurable or m.value is None:
                continue
            key = f"{result.test}/{m.id}/{m.side}"
            s = found.setdefault(key, Series(key, m.name, m.unit, m.side, sdd=sdd_for(m.id)))
            fps = result.clip.fps if result.clip is not None else None
            s.points.append(Point(assessment.date, m.value, m.spread, assessment.id, m.n, fps, result))
    return sorted(found.values(), key=lambda s: (s.name, s.side))


@dataclass(frozen=True)
class Chart:
    """Pixel geometry of a small line chart (SVG user units) with the SDD band around the first value."""

    width: int
    height: int
    polyline: str
    dots: list[tuple[float, float, str]]
    band: tuple[float, float] | None
    y_labels: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]


def chart(series: Series, width: int = 320, height: int = 140, pad: int = 28) -> Chart:
    """Lay out a series: x by date order, y scaled to the values (and the SDD band, when known)."""
    values = [p.value for p in series.points]
    first = values[0]
    lo, hi = min(values), max(values)
    if series.sdd is not None:
        lo, hi = min(lo, first - series.sdd.value), max(hi, first + series.sdd.value)
    span = (hi - lo) or 1.0
    lo, hi = lo - 0.1 * span, hi + 0.1 * span

    def y(v: float) -> float:
        return round(height - pad - (v - lo) / (hi - lo) * (height - 2 * pad), 1)

    n = len(values)
    xs = [round(pad + (i / (n - 1) if n > 1 else 0.5) * (width - 2 * pad), 1) for i in range(n)]
    dots = [
        (x, y(p.value), f"{p.day.isoformat()}: {p.value:.1f} {series.unit}")
        for x, p in zip(xs, series.points, strict=True)
    ]
    band = None
    if series.sdd is not None:
        band = (y(first + series.sdd.value), y(first - series.sdd.value))
    digits = 0 if span >= 10 else 1 if span >= 1 else 2
    labels = [(y(v), f"{v:.{digits}f}") for v in (lo + 0.1 * span, hi - 0.1 * span)]
    days = [(xs[0], series.points[0].day.isoformat())]
    if n > 1:
        days.append((xs[-1], series.points[-1].day.isoformat()))
    return Chart(width, height, " ".join(f"{x},{yy}" for x, yy, _ in dots), dots, band, labels, days)


def measure_rows(result: AnalysisResult) -> list[Measure]:
    """Measures in display order: measurable first, each group by name and side."""
    return sorted(result.measures, key=lambda m: (not m.measurable, m.name, m.side))
