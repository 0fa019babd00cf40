"""Reusable report parts: text, image encoding, SVG figures, stride normalisation, drawing."""

import base64
import re

import cv2
import numpy as np
import pytest
from matplotlib.figure import Figure

from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.pose import LANDMARK_INDEX
from kinechain.report.draw import angle_arcs, draw_angles, draw_skeleton, hex_rgb
from kinechain.report.encode import figure_svg, image_data_uri
from kinechain.report.overlay import EventClock, footfall_strip
from kinechain.report.plots import normalised_cycles, time_window
from kinechain.report.spec import KNEE, RUNNING_SIDE, get_spec
from kinechain.report.text import text_mask, text_size


def test_text_has_the_degree_sign_and_a_shared_baseline():
    assert text_mask("°", 30).sum() > 5  # the glyph is drawn, not a blank box
    assert text_size("Knee 8°", 30)[1] == text_size("Foot 120°", 30)[1]
    assert text_size("Knee 8°", 30)[0] < text_size("Knee 80°", 30)[0]


@pytest.mark.parametrize("fmt", ["png", "jpeg"])
def test_image_data_uri_round_trips(fmt):
    rng = np.random.default_rng(1)
    img = (rng.random((40, 60, 3)) * 255).astype(np.uint8)
    img[:20] = (255, 0, 0)
    uri = image_data_uri(img, fmt)
    assert uri.startswith(f"data:image/{fmt};base64,")
    back = cv2.imdecode(np.frombuffer(base64.b64decode(uri.split(",", 1)[1]), np.uint8), cv2.IMREAD_COLOR)
    back = cv2.cvtColor(back, cv2.COLOR_BGR2RGB)
    assert back.shape == img.shape
    if fmt == "png":
        np.testing.assert_array_equal(back, img)
    else:
        assert np.abs(back[2:18, 2:58].astype(int) - [255, 0, 0]).mean() < 12


def test_figure_svgs_can_share_a_page():
    svgs = []
    for prefix in ("a", "b"):
        fig = Figure(figsize=(3, 2))
        fig.add_subplot().plot([0, 1, 2], [1, 0, 1])
        svgs.append(figure_svg(fig, prefix, 'Knee "flexion" <over> time'))
    ids = [re.findall(r'\bid="([^"]+)"', s) for s in svgs]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    for s in svgs:
        head = s[: s.index(">")]
        assert head.startswith("<svg") and "viewBox" in head
        assert " width=" not in head and " height=" not in head
        assert 'role="img"' in head and "&quot;flexion&quot; &lt;over&gt;" in head
        # every internal reference points at an id of the same figure
        refs = re.findall(r"url\(#([^)]+)\)|href=\"#([^\"]+)\"", s)
        own = set(re.findall(r'\bid="([^"]+)"', s))
        assert all((a or b) in own for a, b in refs)


def _gait_kin(stride=0.7, n_strides=6, fps=100.0, contact=0.25):
    """Knee flexion 10 + 50 x stride phase; strikes every ``stride`` s, toe-offs ``contact`` s later."""
    times = np.arange(0, stride * n_strides + 1e-9, 1 / fps)
    phase = (times % stride) / stride
    events = []
    for k in range(n_strides):
        events.append(Event("foot_strike", "left", k * stride, round(k * stride * fps)))
        events.append(Event("toe_off", "left", k * stride + contact, round((k * stride + contact) * fps)))
    kin = Kinematics(
        times, {"knee_flexion_left": 10 + 50 * phase}, {"knee_flexion_left": "deg"}, tuple(events)
    )
    return kin


def test_normalised_cycles_recover_the_stride_shape_and_toe_off():
    kin = _gait_kin()
    curves, toe = normalised_cycles(kin, kin["knee_flexion_left"], "left", n=51)
    assert curves.shape == (5, 51)
    expected = 10 + 50 * np.linspace(0, 1, 51)
    # the last sample of each stride is the next strike, where the sawtooth wraps to 10
    np.testing.assert_allclose(curves[:, 5:45], np.broadcast_to(expected[5:45], (5, 40)), atol=0.6)
    np.testing.assert_allclose(toe, 100 * 0.25 / 0.7)
    assert normalised_cycles(kin, kin["knee_flexion_left"], "right")[0].shape == (0, 101)


def test_time_window_shows_short_clips_whole_and_holds_the_focus():
    times = np.arange(0, 12, 1 / 30)
    assert time_window(times[:200], 2.0) is None
    start, end = time_window(times, 8.0)
    assert end - start == pytest.approx(6.0) and start <= 8.0 <= end
    assert time_window(times, 11.9)[1] == pytest.approx(times[-1])
    assert time_window(times, None)[0] == pytest.approx(0.0)


def test_event_clock_flashes_each_event_for_its_time():
    events = [
        Event("foot_strike", "left", 1.0, 30),
        Event("toe_off", "left", 1.2, 36),
        Event("x", "left", 1.1, 33),
    ]
    clock = EventClock(events, ("foot_strike", "toe_off"))
    assert clock.active(0.99) == []
    assert [(e.kind, round(a, 3)) for e, a in clock.active(1.15)] == [("foot_strike", 0.5)]
    assert [e.kind for e, _ in clock.active(1.25)] == ["foot_strike", "toe_off"]
    assert [e.kind for e, _ in clock.active(1.4)] == ["toe_off"]


def test_footfall_strip_colours_the_stances():
    times = np.arange(0, 4.0001, 0.01)
    events = (Event("foot_strike", "left", 1.0, 100), Event("toe_off", "left", 1.3, 130))
    kin = Kinematics(times, {}, {}, events)
    strip = footfall_strip(kin, 401, 20)  # 100 px per second
    left_row = strip[5, :, 3] == 255
    assert left_row[100:130].all() and not left_row[:99].any() and not left_row[131:].any()
    assert not (strip[15, :, 3] == 255).any()  # no right stance


def test_skeleton_and_angles_are_drawn_where_the_landmarks_are():
    img = np.zeros((400, 300, 3), np.uint8)
    xy = np.full((33, 2), np.nan)
    for name, p in {"left_hip": (150, 100), "left_knee": (150, 220), "left_ankle": (200, 330)}.items():
        xy[LANDMARK_INDEX[name]] = p
    draw_skeleton(img, xy, unit=3.0, near="left")
    assert img[160, 150].min() > 200  # on the thigh: white bone
    assert img[50:90, :].max() == 0  # nothing drawn above the hip
    angles = angle_arcs(xy, [KNEE], "left", radius=40, values={"knee_flexion_left": 24.6})
    assert len(angles) == 1 and angles[0].value == 24.6
    assert angles[0].arc.size == pytest.approx(np.degrees(np.arctan2(50, 110)))
    (box,) = draw_angles(img, angles, unit=3.0, avoid=[])
    centre = img[round(box.y + 2), round(box.x + box.w / 2)]
    np.testing.assert_array_equal(centre, hex_rgb(KNEE.colour))  # the pill is the angle's colour
    # without a value the drawn (unsigned) angle is shown
    assert angle_arcs(xy, [KNEE], "left", radius=40)[0].value == pytest.approx(angles[0].arc.size)


def test_specs_plug_in_by_test_name():
    assert get_spec("running") is RUNNING_SIDE
    generic = get_spec("single_leg_squat_not_registered")
    assert generic.overlays == () and generic.plots == () and generic.key_event == ""
    assert all(ov.measure is None or ov.measure.startswith("running.") for ov in RUNNING_SIDE.overlays)


def test_a_frontal_test_plugs_in_with_its_own_spec():
    """An FPPA-style spec: key event at the lowest point of each rep, the knee angle drawn."""
    from kinechain.report.keyframes import key_events, render_key_frame
    from kinechain.report.spec import AMBER, SKY, AngleOverlay, ReportSpec

    fppa = AngleOverlay(
        "FPPA", "FPPA", "joint", ("{side}_hip", "{side}_knee", "{side}_ankle"), "fppa_{side}", AMBER
    )
    pelvis = AngleOverlay("Pelvis", "Pelvis", "to_horizontal", ("{other}_hip", "{side}_hip"), None, SKY)
    spec = ReportSpec("squat_demo", "rep_bottom", "lowest point", "fppa_{side}", (fppa, pelvis), ())
    times = np.arange(60) / 30
    sig = np.linspace(0, 20, 60)
    events = tuple(Event("rep_bottom", "right", times[f], f) for f in (10, 30, 50))
    kin = Kinematics(times, {"fppa_right": sig}, {"fppa_right": "deg"}, events)
    (key,) = key_events(kin, spec, near=None)
    assert key.side == "right" and key.event.frame == 30  # the median of three reps
    # a frontal view: right knee 12 deg inward of the hip-ankle line, right hip 8 px lower
    xy = np.full((33, 2), np.nan)
    xy[LANDMARK_INDEX["left_hip"]] = (260, 200)
    xy[LANDMARK_INDEX["right_hip"]] = (200, 208)
    xy[LANDMARK_INDEX["right_knee"]] = (200, 320)
    turn = np.radians(12.0)
    xy[LANDMARK_INDEX["right_ankle"]] = (200 + 110 * np.sin(turn), 320 + 110 * np.cos(turn))
    frame = np.full((480, 400, 3), 128, np.uint8)
    image, angles = render_key_frame(frame, xy, spec, "right", None, {"fppa_right": 12.0}, width=400)
    by_name = {a.overlay.short: a for a in angles}
    assert by_name["FPPA"].arc.size == pytest.approx(12.0) and by_name["FPPA"].value == 12.0
    assert by_name["Pelvis"].value == pytest.approx(np.degrees(np.arctan2(8, 60)))
    assert image.shape[1] == 400 and (image != 128).any()
    # the generic spec of an unregistered test picks the first event kind found
    assert key_events(kin, get_spec("not_registered"), None)[0].event.kind == "rep_bottom"
