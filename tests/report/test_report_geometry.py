"""Overlay placement maths on constructed geometry with known answers."""

import numpy as np
import pytest

from kinechain.model.kinematics import Event, Kinematics
from kinechain.model.pose import LANDMARK_INDEX
from kinechain.report.geometry import (
    Box,
    landmark_xy,
    overlay_arc,
    person_crop,
    place_labels,
    segment_boxes,
    wrap180,
)
from kinechain.report.keyframes import representative_event


def _rot(v, deg):
    a = np.radians(deg)
    return np.array([v[0] * np.cos(a) - v[1] * np.sin(a), v[0] * np.sin(a) + v[1] * np.cos(a)])


@pytest.mark.parametrize("flexion", [0.0, 5.0, 30.0, 90.0, 135.0])
@pytest.mark.parametrize("thigh_dir", [90.0, 60.0, 120.0])
def test_joint_arc_spans_the_flexion_from_the_thigh_extension(flexion, thigh_dir):
    # thigh pointing down the image at `thigh_dir` (image angle), shank turned by `flexion` clockwise
    hip = np.array([300.0, 100.0])
    knee = hip + 200 * np.array([np.cos(np.radians(thigh_dir)), np.sin(np.radians(thigh_dir))])
    ankle = knee + 180 * _rot((knee - hip) / 200, flexion)
    arc = overlay_arc("joint", np.array([hip, knee, ankle]), radius=50)
    assert arc is not None
    assert arc.size == pytest.approx(flexion, abs=1e-9)
    assert arc.start == pytest.approx(thigh_dir, abs=1e-9)
    np.testing.assert_allclose(arc.vertex, knee)
    np.testing.assert_allclose(arc.segment_end, ankle)
    pts = arc.points(20)
    np.testing.assert_allclose(np.hypot(*(pts - knee).T), arc.radius)
    np.testing.assert_allclose(pts[0], knee + arc.radius * (knee - hip) / 200, atol=1e-9)
    np.testing.assert_allclose(pts[-1], knee + arc.radius * (ankle - knee) / 180, atol=1e-9)
    np.testing.assert_allclose(arc.bisector, _rot((knee - hip) / 200, flexion / 2), atol=1e-9)
    # the dashed reference continues the thigh straight on through the knee
    np.testing.assert_allclose(arc.reference_end, knee + 1.6 * arc.radius * (knee - hip) / 200)


def test_joint_arc_sign_follows_the_turn_direction():
    hip, knee = np.array([0.0, 0.0]), np.array([0.0, 100.0])
    forward = overlay_arc("joint", np.array([hip, knee, [30.0, 200.0]]), 40)
    backward = overlay_arc("joint", np.array([hip, knee, [-30.0, 200.0]]), 40)
    assert forward.sweep == pytest.approx(-backward.sweep)
    assert forward.size == pytest.approx(np.degrees(np.arctan2(30, 100)))


def test_vertical_arc_of_the_shin_and_the_trunk():
    ankle, knee = np.array([100.0, 500.0]), np.array([90.0, 400.0])  # knee above, 10 px behind
    arc = overlay_arc("to_vertical", np.array([ankle, knee]), 30)
    assert arc.size == pytest.approx(np.degrees(np.arctan2(10, 100)))
    assert arc.start == pytest.approx(-90.0)  # straight up the image
    np.testing.assert_allclose(arc.reference_end, ankle + np.array([0.0, -1.6 * arc.radius]))
    # a segment pointing down measures from the downward vertical
    down = overlay_arc("to_vertical", np.array([knee, ankle]), 30)
    assert down.start == pytest.approx(90.0)
    assert down.size == pytest.approx(arc.size)


@pytest.mark.parametrize("toe_dx", [100.0, -100.0])
def test_horizontal_arc_of_the_foot_faces_the_toes(toe_dx):
    heel, toe = np.array([0.0, 0.0]), np.array([toe_dx, -20.0])  # toes up 20 px
    arc = overlay_arc("to_horizontal", np.array([heel, toe]), 30)
    assert arc.size == pytest.approx(np.degrees(np.arctan2(20, 100)))
    assert abs(wrap180(arc.start - (0.0 if toe_dx > 0 else 180.0))) < 1e-9


def test_arc_radius_stays_on_short_segments_and_unknown_points_give_none():
    hip, knee, ankle = np.array([0.0, 0.0]), np.array([0.0, 100.0]), np.array([0.0, 150.0])
    assert overlay_arc("joint", np.array([hip, knee, ankle]), 80).radius == pytest.approx(20.0)  # 0.4 x 50
    assert overlay_arc("joint", np.array([hip, knee, ankle]), 80, min_radius=30).radius == pytest.approx(30.0)
    assert overlay_arc("joint", np.array([hip, knee, ankle]), 10).radius == pytest.approx(10.0)
    assert overlay_arc("joint", np.array([hip, knee, [np.nan, 1.0]]), 10) is None
    assert overlay_arc("to_vertical", np.array([knee, knee]), 10) is None
    with pytest.raises(ValueError, match="overlay kind"):
        overlay_arc("sideways", np.array([hip, knee]), 10)


def test_labels_take_the_bisector_when_free_and_never_overlap():
    hip, knee, ankle = np.array([200.0, 100.0]), np.array([200.0, 300.0]), np.array([280.0, 480.0])
    arc = overlay_arc("joint", np.array([hip, knee, ankle]), 60)
    (box,) = place_labels([arc], [(80, 30)], (600, 600))
    centre = np.array([box.x + 40, box.y + 15])
    direction = (centre - knee) / np.hypot(*(centre - knee))
    np.testing.assert_allclose(direction, arc.bisector, atol=1e-9)
    # the label clears the arc: its nearest point is at least 1.1 radius from the vertex
    nearest = np.clip(knee, [box.x, box.y], [box.x + box.w, box.y + box.h])
    assert np.hypot(*(nearest - knee)) >= 1.1 * arc.radius - 1e-6
    # four labels on the same vertex: all inside, none overlapping, clear of the avoided bone
    bone = segment_boxes(knee, ankle, 6.0)
    boxes = place_labels([arc] * 4, [(80, 30)] * 4, (600, 600), avoid=bone, pad=4)
    for i, a in enumerate(boxes):
        assert a.inside(600, 600)
        assert not any(a.overlaps(b) for b in bone)
        assert not any(a.overlaps(b, 4) for b in boxes[i + 1 :])


def test_label_near_the_image_edge_stays_inside():
    arc = overlay_arc("to_vertical", np.array([[5.0, 100.0], [0.0, 20.0]]), 20)
    (box,) = place_labels([arc], [(90, 30)], (200, 200))
    assert box.inside(200, 200)


def test_segment_boxes_cover_the_segment():
    boxes = segment_boxes(np.array([0.0, 0.0]), np.array([100.0, 0.0]), 5.0)
    for x in np.linspace(0, 100, 41):
        assert any(Box(x, 0, 0, 0).overlaps(b) for b in boxes)
    assert segment_boxes(np.array([np.nan, 0.0]), np.array([1.0, 0.0]), 5.0) == []


def test_person_crop_holds_every_landmark_with_margin_at_a_fixed_shape():
    pts = np.array([[100.0, 200.0], [140.0, 600.0], [np.nan, np.nan], [60.0, 400.0]])
    x0, y0, x1, y1 = person_crop(pts, (720, 1280), margin=0.1, aspect=0.75)
    assert x0 <= 60 - 40 and y0 <= 200 - 40 and x1 >= 140 + 40 and y1 >= 600 + 40
    assert (x1 - x0) / (y1 - y0) == pytest.approx(0.75, abs=0.01)
    assert x0 >= 0  # widened about the centre, then shifted back inside the image
    wide = person_crop(np.array([[100.0, 500.0], [600.0, 600.0]]), (720, 1280), margin=0.1, aspect=0.75)
    assert (wide[2] - wide[0]) / (wide[3] - wide[1]) == pytest.approx(0.75, abs=0.01)
    edge = person_crop(np.array([[5.0, 5.0], [700.0, 1270.0]]), (720, 1280))
    assert edge == (0, 0, 720, 1280)


def test_midpoint_landmarks_and_side_names():
    xy = np.full((33, 2), np.nan)
    xy[LANDMARK_INDEX["left_hip"]] = [100, 200]
    xy[LANDMARK_INDEX["right_hip"]] = [120, 210]
    xy[LANDMARK_INDEX["right_knee"]] = [1, 2]
    np.testing.assert_allclose(landmark_xy(xy, "hip_centre"), [110, 205])
    np.testing.assert_allclose(landmark_xy(xy, "{other}_knee", "left"), [1, 2])


def test_representative_event_is_the_one_closest_to_the_median():
    times = np.arange(100) / 30
    knee = np.zeros(100)
    frames = [10, 30, 50, 70, 90]
    knee[frames] = [10.0, 20.0, 31.0, 100.0, 24.0]  # median 24: frame 90
    events = tuple(Event("foot_strike", "left", times[f], f) for f in frames)
    kin = Kinematics(times, {"knee_flexion_left": knee}, {"knee_flexion_left": "deg"}, events)
    key = representative_event(kin, "foot_strike", "left", "knee_flexion_{side}")
    assert key.event.frame == 90 and key.value == 24.0 and key.median == 24.0 and key.count == 5
    # without a pick signal the most confident event wins
    conf = tuple(
        Event("foot_strike", "left", times[f], f, c)
        for f, c in zip(frames, [0.2, 0.9, 0.5, 0.1, 0.3], strict=True)
    )
    assert representative_event(kin.with_events(conf), "foot_strike", "left", None).event.frame == 30
    assert representative_event(kin, "foot_strike", "right", "knee_flexion_{side}") is None
