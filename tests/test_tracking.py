"""Person selection and tracking on constructed candidate people."""

import numpy as np

from kinechain.pose.tracking import Box, Follower, choose_initial


def person(cx: float, cy: float, h: float) -> np.ndarray:
    """33 normalised points spread over a box of height h centred at (cx, cy)."""
    ys = np.linspace(cy - h / 2, cy + h / 2, 33)
    xs = np.full(33, cx) + np.linspace(-h / 8, h / 8, 33)
    return np.stack([xs, ys], axis=1)


def test_box_iou_and_contains():
    a, b = Box(0, 0, 1, 1), Box(0.5, 0, 1.5, 1)
    assert a.iou(b) == 1 / 3
    assert a.contains(0.5, 0.5) and not a.contains(1.2, 0.5)


def test_initial_choice_prefers_large_central_person():
    boxes = [
        Box.around(person(0.15, 0.5, 0.3)),
        Box.around(person(0.5, 0.5, 0.6)),
        Box.around(person(0.85, 0.5, 0.5)),
    ]
    assert choose_initial(boxes, None, aspect=16 / 9) == 1


def test_initial_choice_follows_user_point():
    boxes = [Box.around(person(0.2, 0.5, 0.6)), Box.around(person(0.7, 0.5, 0.6))]
    assert choose_initial(boxes, (0.72, 0.4), aspect=1.0) == 1


def test_follower_keeps_the_same_person_and_never_swaps():
    f = Follower(aspect=1.0, point=(0.5, 0.5))
    target = [person(0.5 + 0.01 * k, 0.5, 0.6) for k in range(10)]
    other = [person(0.15, 0.5, 0.7) for _ in range(10)]
    assert [f.step([other[k], target[k]]) for k in range(5)] == [1, 1, 1, 1, 1]
    # the followed person leaves the frame: the other person must not be taken instead
    assert f.step([other[5]]) is None
    assert f.lost == 1
    # and is picked up again when back near where they were
    assert f.step([target[6], other[6]]) == 0


def test_follower_order_independent():
    f = Follower(aspect=1.0, point=(0.5, 0.5))
    assert f.step([person(0.1, 0.5, 0.5), person(0.5, 0.5, 0.5)]) == 1
    assert f.step([person(0.51, 0.5, 0.5), person(0.1, 0.5, 0.5)]) == 0
