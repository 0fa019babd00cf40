"""Compose the stages: video -> PoseSeries -> cleaned PoseSeries -> Kinematics -> MeasureSet.

No maths here: each stage is a function of the previous one's type. A progress callback is
told which stage is running and how far it has got.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

import numpy as np

from kinechain._version import __version__
from kinechain.errors import ConfigError, InputError, UnsupportedView, check_option
from kinechain.kinematics.scale import leg_length
from kinechain.kinematics.view import ViewGuess, detect_view
from kinechain.model.kinematics import Kinematics
from kinechain.model.measures import MeasureSet
from kinechain.model.pose import VIEWS, PoseSeries
from kinechain.model.recording import VideoInfo
from kinechain.model.result import (
    Analysis,
    AnalysisResult,
    AnalysisSettings,
    DetectionRecord,
    EventRecord,
    QualityRecord,
    ViewRecord,
)
from kinechain.model.vocab import TestKind, View, is_view, parse_test_kind, parse_view_choice
from kinechain.pose.base import Estimator
from kinechain.pose.replay import ReplayEstimator
from kinechain.protocols import available_tests, get_protocol, views_of
from kinechain.protocols.base import TestProtocol
from kinechain.protocols.content import (
    DOUBT_FACTOR,
    MAX_DURATION_S,
    check_declared_test,
    check_declared_view,
    check_light,
    check_motion,
    check_orientation,
    check_person_size,
    lower_confidence,
    turn_pose,
    upright_turn,
)
from kinechain.protocols.detect import UNKNOWN, Detection, detect
from kinechain.protocols.quality import QualityCheck, QualityReport, capture_checks, count_check
from kinechain.signal.clean import DEFAULT_CUTOFF_HZ, clean_pose
from kinechain.video.light import light_levels, light_picks
from kinechain.video.reader import Frame, iter_frames, probe

#: Progress callback: (stage name, done, total); total is 0 when unknown.
StageProgress = Callable[[str, int, int], None]

VIEW_CHOICES: tuple[str, ...] = ("auto", "side", *VIEWS)


def resolve_view(requested: str, pose: PoseSeries, allowed: tuple[View, ...]) -> tuple[View, ViewGuess]:
    """Turn the requested view ("auto", "side" or an explicit view) into the view analysed."""
    check_option("view", requested, VIEW_CHOICES)
    guess = detect_view(pose)
    if is_view(requested):
        return requested, guess
    if requested == "side":
        if guess.view in ("front", "back") and guess.confidence >= 0.7:
            raise UnsupportedView(
                f"this video looks like a {guess.view} view (shoulders square to the camera), not a "
                "side view; film the runner side-on, or pass --view front/back for a frontal test."
            )
        return ("left" if guess.forward < 0 else "right"), guess
    if guess.view not in allowed:
        raise UnsupportedView(
            f"the view looks like {guess.view}, which this test does not use; film from the "
            f"{' or '.join(allowed)} view or pass --view to override."
        )
    return guess.view, guess


TEST_CHOICES_EXTRA = ("auto",)


def resolve_test(
    requested: str, pose: PoseSeries, found: Detection | None = None
) -> tuple[TestKind, Detection | None]:
    """Turn the requested test ("auto" or a test name) into the test analysed.

    ``found`` is the detection when already made. Raises InputError when "auto" recognises none
    of the tests; the user can then name it.
    """
    if requested not in TEST_CHOICES_EXTRA:
        views_of(requested)  # raises ConfigError naming the tests when unknown
        return parse_test_kind(requested), None
    found = found or detect(pose)
    if found.test == UNKNOWN:
        raise InputError(
            f"kinechain could not tell which test this video shows ({found.reason}); "
            f"pass --test with one of {', '.join(available_tests())}."
        )
    return parse_test_kind(found.test), found


def option_names_of(test: str) -> set[str]:
    """Return the ``--option`` names a test takes (for "auto", those of every test)."""
    tests = available_tests() if test in TEST_CHOICES_EXTRA else [test]
    names: set[str] = set()
    for name in tests:
        for v in views_of(name):
            names |= _options_of(get_protocol(name, v))
    return names


def _options_of(protocol: TestProtocol) -> set[str]:
    """Return the keyword options (other than ``view``) a protocol's ``analyse`` takes."""
    params = inspect.signature(protocol.analyse).parameters.values()
    return {p.name for p in params if p.kind is p.KEYWORD_ONLY and p.name != "view"}


def validate_options(test: str, view: str, quality: str, options: Mapping[str, float] | None = None) -> None:
    """Check the test, view, pose model and test options before any work is done.

    Raises
    ------
    ConfigError
        Naming the allowed values, when any of them is unknown.
    """
    if test not in TEST_CHOICES_EXTRA:
        views_of(test)
    check_option("view", view, VIEW_CHOICES)
    check_option("model", quality, ("fast", "balanced", "accurate"))
    unknown = sorted(set(options or {}) - option_names_of(test))
    if unknown:
        known = ", ".join(sorted(option_names_of(test))) or "none"
        raise ConfigError(
            f"the {test} test does not take the option(s) {', '.join(unknown)} (its options: {known}); "
            "remove them."
        )


def _declared(found: Detection, requested_test: str, requested_view: str, view: View) -> list[QualityCheck]:
    """Check the declared test and view against what the clip shows (nothing when detected)."""
    checks = []
    if requested_test not in TEST_CHOICES_EXTRA:
        checks.append(check_declared_test(found, requested_test))
    if requested_view in VIEWS:
        checks.append(check_declared_view(found, view))
    return checks


def _gate(
    raw: PoseSeries, pose: PoseSeries, test: TestKind, view: View, enabled: bool, extra: list[QualityCheck]
) -> QualityReport:
    leg = leg_length(pose, view)
    checks = capture_checks(raw, pose, test=test, view=view, leg=leg).checks
    content = [check_motion(raw, leg), check_orientation(raw), check_person_size(raw)]
    report = QualityReport([*content, *checks, *extra])
    if enabled:
        report.raise_for_errors()
    return report


def _turned_frames(video: str | os.PathLike[str], max_side: int, turn: int, n_frames: int) -> Iterator[Frame]:
    """Yield the video's frames up to the duration cap, turned ``turn`` quarter turns counter-clockwise.

    The light samples of the first ``n_frames`` frames are measured on the way (``Frame.luma``).
    """
    for f in iter_frames(video, max_side=max_side, luma_at=light_picks(n_frames)):
        if f.time > MAX_DURATION_S:
            return
        yield replace(f, rgb=np.ascontiguousarray(np.rot90(f.rgb, turn))) if turn else f


def _estimate(
    est: Estimator,
    video: str | os.PathLike[str] | None,
    info: VideoInfo | None,
    report: StageProgress,
    turn: int = 0,
) -> PoseSeries:
    """Landmarks of the clip up to the duration cap, with the picture turned ``turn`` quarter turns."""
    progress = lambda d, t: report("pose", d, t)  # noqa: E731
    frames_api = getattr(est, "estimate_frames", None)
    long = info is not None and info.duration > MAX_DURATION_S
    if frames_api is not None and video is not None and info is not None and (long or turn):
        n = min(info.n_frames, int(MAX_DURATION_S * info.fps) + 1)
        size = {"width": info.height, "height": info.width} if turn % 2 else {}
        part = info.model_copy(update={"n_frames": n, **size})
        raw: PoseSeries = frames_api(
            _turned_frames(video, getattr(est, "max_side", 0) or 0, turn, n), part, progress=progress
        )
    else:
        raw = turn_pose(est.estimate(video, progress=progress), turn)  # type: ignore[arg-type]
    if raw.duration > MAX_DURATION_S:
        meta = raw.meta.copy()
        meta["untrimmed_duration_s"] = round(raw.duration, 3)
        end = int(np.searchsorted(raw.times, raw.times[0] + MAX_DURATION_S, side="right"))
        raw = raw.slice(0, end).with_changes(meta=meta)
    return raw


def _upright(
    raw: PoseSeries,
    est: Estimator,
    video: str | os.PathLike[str] | None,
    info: VideoInfo | None,
    report: StageProgress,
) -> tuple[PoseSeries, list[str]]:
    """Turn a clip filmed sideways or upside down (when unambiguous) so the person stands upright."""
    turn, _ = upright_turn(raw)
    if not turn:
        return raw, []
    raw = (
        _estimate(est, video, info, report, turn) if hasattr(est, "estimate_frames") else turn_pose(raw, turn)
    )
    note = (
        f"the picture was turned {90 * turn} deg so that the person stands upright (the file does not say "
        "it was filmed turned); check that the phone's rotation is kept when the video is copied"
    )
    return raw, [note]


def _notes(raw: PoseSeries, info: VideoInfo | None) -> list[str]:
    """Warnings about what was not analysed: a clip longer than the cap was trimmed."""
    total = info.duration if info is not None else float(raw.meta.get("untrimmed_duration_s", raw.duration))
    if total <= MAX_DURATION_S + 1.0 / max(raw.fps, 1.0):
        return []
    return [
        f"the clip is {total:.0f} s long; only its first {MAX_DURATION_S:.0f} s were analysed "
        "(docs/filming.md); trim the video to the test"
    ]


T = TypeVar("T")


def _in_background(fn: Callable[..., T], *args: object) -> Future[T]:
    """Start ``fn(*args)`` in a thread of its own and return its future (the thread ends with it)."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="kinechain-background")
    future = pool.submit(fn, *args)
    pool.shutdown(wait=False)
    return future


def _light(video: str | os.PathLike[str] | None, info: VideoInfo | None) -> list[QualityCheck]:
    """Check the light by decoding the sampled frames apart, when there is a video to look at."""
    if video is None or info is None:
        return []
    n = min(info.n_frames, int(MAX_DURATION_S * info.fps) + 1)
    return [check_light(*light_levels(video, n))]


def _start_light(
    est: Estimator, video: str | os.PathLike[str] | None, info: VideoInfo | None
) -> Future[list[QualityCheck]] | None:
    """Start the light check in the background, unless the estimator measures it as it decodes."""
    if video is None or info is None or getattr(est, "measures_light", False):
        return None
    return _in_background(_light, video, info)  # decodes its sample frames on the other core


def _light_checks(
    raw: PoseSeries,
    started: Future[list[QualityCheck]] | None,
    video: str | os.PathLike[str] | None,
    info: VideoInfo | None,
) -> list[QualityCheck]:
    """Return the light check: from the pose's decoding, from the background check, or decoded now."""
    if started is not None:
        return started.result()
    light = raw.meta.get("light")
    if light is not None and info is not None:
        return [check_light(light["brightness"], light["contrast"])]
    return _light(video, info)


def _measure(
    protocol: TestProtocol, pose: PoseSeries, view: View, options: dict[str, float] | None
) -> tuple[Kinematics, MeasureSet]:
    """Run the protocol with its options; an option it does not take is a ConfigError.

    The options are checked against the protocol's signature before it runs, so any exception
    raised inside the protocol (a TypeError included) propagates unchanged as the bug it is.
    """
    unknown = sorted(set(options or {}) - _options_of(protocol))
    if unknown:
        known = ", ".join(sorted(_options_of(protocol))) or "none"
        raise ConfigError(
            f"{protocol.title} does not take the option(s) {', '.join(unknown)} (its options: {known}); "
            "remove them."
        )
    return protocol.analyse(pose, view=view, **(options or {}))


def _detection_record(requested: str, found: Detection | None, guess: ViewGuess) -> DetectionRecord:
    record: DetectionRecord = {
        "requested_test": requested,
        "view": guess.view,
        "view_confidence": round(guess.confidence, 3),
    }
    if found is not None:
        record |= {
            "test": found.test,
            "test_confidence": found.test_confidence,
            "reason": found.reason,
            "evidence": {k: (round(v, 4) if np.isfinite(v) else None) for k, v in found.evidence.items()},
        }
    return record


def _quality(raw: PoseSeries, info: VideoInfo | None, gate: QualityReport) -> QualityRecord:
    found = raw.detected()
    steps = np.diff(raw.times)
    vfr = bool(steps.size and (np.abs(steps - np.median(steps)) > 0.1 * np.median(steps)).mean() > 0.05)
    return QualityRecord(
        frames=len(raw),
        frames_with_person=int(found.sum()),
        fps=round(raw.fps, 3),
        duration_s=round(raw.duration, 3),
        variable_frame_rate=vfr,
        image_size=list(raw.image_size),
        mean_visibility=round(float(raw.visibility[found].mean()) if found.any() else 0.0, 3),
        source_fps=info.fps if info else None,
        checks=gate.as_records(),
    )


def _record(
    test: TestKind,
    view: ViewRecord,
    info: VideoInfo | None,
    source: str,
    settings: AnalysisSettings,
    quality: QualityRecord,
    measures: MeasureSet,
    kin: Kinematics,
    warnings: list[str],
) -> AnalysisResult:
    """Assemble the versioned result record."""
    events = [
        EventRecord(
            kind=e.kind, side=e.side, time=round(e.time, 4), frame=e.frame, confidence=round(e.confidence, 3)
        )
        for e in kin.events
    ]
    return AnalysisResult(
        kinechain_version=__version__,
        created=datetime.now(timezone.utc),
        test=test,
        view=view,
        clip=info,
        pose_source=source,
        settings=settings,
        quality=quality,
        measures=measures.measures,
        events=events,
        warnings=warnings,
    )


def _make_estimator(
    quality: str, keypoints: str | os.PathLike[str] | None, person: tuple[float, float] | None
) -> Estimator:
    if keypoints is not None:
        return ReplayEstimator(keypoints)
    from kinechain.pose.mediapipe_backend import MediaPipeEstimator

    return MediaPipeEstimator(quality, person=person)


def analyze(
    video: str | os.PathLike[str] | None,
    *,
    test: str = "running",
    view: str = "side",
    quality: str = "balanced",
    keypoints: str | os.PathLike[str] | None = None,
    person: tuple[float, float] | None = None,
    estimator: Estimator | None = None,
    cutoff_hz: float = DEFAULT_CUTOFF_HZ,
    progress: StageProgress | None = None,
    options: dict[str, float] | None = None,
    quality_gate: bool = True,
) -> Analysis:
    """Analyse one recording of a movement test.

    Parameters
    ----------
    video : str or PathLike, optional
        The phone video. May be None when ``keypoints`` are replayed without the video.
    test : str
        Movement test ("running", "single_leg_squat", "step_down", "double_leg_squat",
        "drop_jump", "knee_to_wall"), or "auto" to detect it. With "auto", a view of "side"
        (the default) is detected too; name a view explicitly to override.
    view : str
        "side" (left or right, detected), "auto", or one of "left", "right", "front", "back".
    quality : str
        Pose model: "fast", "balanced" (default) or "accurate".
    keypoints : str or PathLike, optional
        Recorded keypoints to replay instead of running the pose model.
    person : tuple of float, optional
        (x, y) in 0-1 image units on the person to follow when several are in view.
    estimator : Estimator, optional
        A ready estimator (overrides ``quality``, ``keypoints`` and ``person``).
    cutoff_hz : float
        Low-pass cutoff for the landmarks, Hz.
    progress : callable, optional
        Called as ``progress(stage, done, total)``.
    options : dict, optional
        Test-specific options, e.g. ``{"foot_length_cm": 26.0, "wall_x": 812.0}`` for the
        knee-to-wall test's toe-to-wall distance.
    quality_gate : bool
        Stop with QualityError when the capture cannot be measured (default); when False the
        problems are only reported in ``result.warnings``.

    Returns
    -------
    Analysis
        The result record plus the pose and kinematics it came from.
    """
    validate_options(test, view, quality, options)
    report = progress or (lambda stage, done, total: None)
    info = probe(video) if video is not None and keypoints is None else None
    est = estimator or _make_estimator(quality, keypoints, person)
    light = _start_light(est, video, info)
    raw = _estimate(est, video, info, report)
    raw, notes = _upright(raw, est, video, info, report)
    notes += _notes(raw, info)
    report("cleaning", 0, 1)
    pose = clean_pose(raw, cutoff_hz=cutoff_hz)
    requested_test = test
    seen = detect(pose)
    test, found = resolve_test(test, pose, seen)
    wanted_view = "auto" if found is not None and view == "side" else view
    chosen, guess = resolve_view(wanted_view, pose, views_of(test))
    protocol = get_protocol(test, chosen)
    pose = pose.with_changes(view=chosen)
    extra = _declared(seen, requested_test, view, chosen) + _light_checks(raw, light, video, info)
    gate = _gate(raw, pose, test, chosen, quality_gate, extra)
    report("measures", 0, 1)
    kin, measures = _measure(protocol, pose, chosen, options)
    if any(c.name.startswith("declared_") and not c.ok for c in gate.checks):
        measures = lower_confidence(measures, DOUBT_FACTOR)
    report("measures", 1, 1)
    gate = QualityReport([*gate.checks, count_check(test, kin)])
    provenance = raw.meta.copy()
    provenance.pop("cleaning", None)
    provenance.pop("light", None)  # reported by the light check
    settings: AnalysisSettings = {
        "pose": provenance,
        "cleaning": pose.meta.get("cleaning", {}),
        "model_choice": quality,
        "detection": _detection_record(requested_test, seen, guess),
        "options": dict(options or {}),
    }
    warnings = [*notes, *(gate.warnings if quality_gate else gate.problems), *measures.warnings]
    view_record = ViewRecord(
        view=chosen,
        requested=parse_view_choice(view),
        detected=guess.view,
        detected_confidence=round(guess.confidence, 3),
    )
    quality_record = _quality(raw, info, gate)
    result = _record(test, view_record, info, raw.source, settings, quality_record, measures, kin, warnings)
    return Analysis(result, raw, pose, kin, Path(video) if video is not None else None)


def inspect_capture(
    video: str | os.PathLike[str] | None,
    *,
    keypoints: str | os.PathLike[str] | None = None,
    quality: str = "balanced",
    estimator: Estimator | None = None,
) -> tuple[Detection, QualityReport]:
    """Detect the test and view of a recording and run the capture checks, without measuring.

    Returns
    -------
    (Detection, QualityReport)
        The detected test and view with confidences, and the capture checks (for the detected
        test, or the double-leg squat's advice when no test was recognised).
    """
    est = estimator or _make_estimator(quality, keypoints, None)
    raw = est.estimate(video)  # type: ignore[arg-type]
    pose = clean_pose(raw)
    found = detect(pose)
    test = found.test if found.test != UNKNOWN else "double_leg_squat"
    leg = leg_length(pose, found.view)
    content = [check_motion(raw, leg), check_orientation(raw), check_person_size(raw)]
    return found, QualityReport(
        [*content, *capture_checks(raw, pose, test=test, view=found.view, leg=leg).checks]
    )
