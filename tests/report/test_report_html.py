"""The HTML report of the real treadmill clip (pipeline run from its recorded MediaPipe keypoints)."""

import base64
import html
import re
from dataclasses import replace

import cv2
import numpy as np
import pytest

from kinechain.report.draw import dim
from kinechain.report.geometry import person_crop
from kinechain.report.html import write_report
from kinechain.report.keyframes import key_frames, representative_event
from kinechain.report.spec import RUNNING_SIDE
from kinechain.video.reader import read_frames_at

#: Attributes and CSS that would make the browser fetch something from elsewhere.
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|poster|action|srcset)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)|(?:<link\b)|(?:<script\b[^>]*\bsrc=)|(?:<iframe\b)""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def report(running_analysis, tmp_path_factory):
    calls = []
    path = write_report(
        running_analysis, tmp_path_factory.mktemp("rep") / "report.html", progress=lambda *a: calls.append(a)
    )
    return path, path.read_text(encoding="utf-8"), calls


def _images(text):
    return re.findall(r'<img src="data:image/(png|jpeg);base64,([^"]+)"[^>]*\balt="([^"]+)"', text)


def test_report_is_written_and_self_contained(report):
    path, text, calls = report
    assert path.exists() and text.startswith("<!doctype html>")
    assert EXTERNAL.search(text) is None
    assert calls[-1] == ("report", 4, 4)
    assert not path.with_name("report.html.part").exists()


def test_report_lists_every_measure_with_its_id_and_name(report, running_analysis):
    _, text, _ = report
    plain = html.unescape(text)
    for m in running_analysis.result.measures:
        assert m.id in plain and m.name in plain
        row = f'id="m-{m.id.replace(".", "-")}-{m.side}"'
        assert row in text
    cadence = running_analysis.result.measure("running.cadence")
    assert f"{cadence.value:.1f} steps/min" in plain and f"{cadence.n} strides" in plain


def test_report_has_a_key_frame_per_foot_showing_the_angles(report, running_analysis):
    _, text, _ = report
    images = _images(text)
    assert len(images) == 2
    for (_fmt, data, alt), side in zip(images, ("left", "right"), strict=True):
        img = cv2.imdecode(np.frombuffer(base64.b64decode(data), np.uint8), cv2.IMREAD_COLOR)
        assert img is not None and img.shape[1] == 720 and img.shape[0] > 600
        assert f"{side} foot strike" in alt and "knee flexion" in alt
    assert "Left foot strike" in text and "Right foot strike" in text
    for ov in RUNNING_SIDE.overlays:
        assert ov.label in text


def test_report_has_plots_summary_notes_and_disclaimer(report):
    _, text, _ = report
    plain = html.unescape(text)
    assert text.count("<svg ") == 1 + 4 + 4  # footfall, 4 signals over time, 4 per-stride plots
    assert "not a diagnosis" in plain and "screening and coaching aid" in plain
    assert "Cadence was 169 steps/min" in plain
    assert "Filmed at 30 fps" in plain
    assert "male_side.mp4" in plain and "720\N{MULTIPLICATION SIGN}1280" in plain


def test_key_frame_angles_match_the_measured_signals(running_analysis):
    """The arcs are drawn from the same landmarks the measures came from: same angles."""
    a = running_analysis
    frames = key_frames(a.pose, a.kinematics, RUNNING_SIDE, a.video, "left")
    assert [kf.key.side for kf in frames] == ["left", "right"]
    for kf in frames:
        frame, side = kf.key.event.frame, kf.key.side
        expected = representative_event(a.kinematics, "foot_strike", side, "knee_flexion_{side}")
        assert kf.key == expected
        drawn = {d.overlay.short: d for d in kf.angles}
        assert set(drawn) == {"Trunk", "Knee", "Shin", "Foot"}
        for short, signal in (("Knee", "knee_flexion"), ("Shin", "tibia_angle"), ("Foot", "foot_angle")):
            value = a.kinematics[f"{signal}_{side}"][frame]
            assert drawn[short].value == pytest.approx(value)
            assert drawn[short].arc.size == pytest.approx(abs(value), abs=1e-6)
        assert drawn["Trunk"].arc.size == pytest.approx(abs(a.kinematics["trunk_lean"][frame]), abs=1e-6)


def test_key_frame_is_the_event_frame_cropped_around_the_runner(running_analysis):
    """The picture under the drawing is the event's own frame, not a neighbour."""
    a = running_analysis
    kf = key_frames(a.pose, a.kinematics, RUNNING_SIDE, a.video, "left")[0]
    f = kf.key.event.frame
    decoded = read_frames_at(a.video, [f - 3, f, f + 3])
    x0, y0, x1, y1 = person_crop(a.pose.xy[f], (720, 1280))
    h, w = kf.image.shape[:2]

    def diff(rgb):
        crop = cv2.resize(rgb[y0:y1, x0:x1], (w, h), interpolation=cv2.INTER_CUBIC)
        return float(np.abs(dim(crop).astype(int) - kf.image.astype(int)).mean())

    assert diff(decoded[f]) < 0.8 * min(diff(decoded[f - 3]), diff(decoded[f + 3]))
    known = a.pose.xy[f][np.isfinite(a.pose.xy[f]).all(axis=1)]
    assert (known >= [x0, y0]).all() and (known <= [x1, y1]).all()


def test_not_measurable_measures_show_their_reason(hidden_leg_analysis, tmp_path):
    a = hidden_leg_analysis
    missing = [m for m in a.result.measures if not m.measurable]
    assert missing and all(m.side == "right" for m in missing)
    text = write_report(a, tmp_path / "r.html").read_text(encoding="utf-8")
    plain = html.unescape(text)
    reason = missing[0].reason
    assert "right (far)" in reason
    for m in missing:
        row = re.search(rf'id="m-{m.id.replace(".", "-")}-right">(.*?)</tr>', text, re.S)
        assert row is not None
        cell = html.unescape(row.group(1))
        assert "Not measurable." in cell and reason[0].upper() + reason[1:] in cell
    assert "The right leg could not be measured: " + reason in plain
    assert len(_images(text)) == 1  # only the left foot has strikes to show
    assert "right (not measured)" in text  # its curves are faded in the plots


def test_report_without_the_video_says_why_it_has_no_key_frames(running_analysis, tmp_path):
    a = replace(running_analysis, video=None)
    text = write_report(a, tmp_path / "r.html").read_text(encoding="utf-8")
    assert _images(text) == []
    assert "No key frames: this analysis was run from recorded keypoints without the video" in text
    assert "running.cadence" in text
