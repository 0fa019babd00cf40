"""What the app can offer: the movement tests and views, each with its filming guide.

The tests come from the protocol registry. The filming guide comes from
``kinechain.protocols.filming`` (filming.yaml) when that module is installed; otherwise a short
built-in guide is shown for the running side view and the other views say plainly that no guide
is available yet.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

from kinechain.errors import KinechainError
from kinechain.model.vocab import TestKind, ViewChoice, is_test_kind
from kinechain.protocols import available_tests, get_protocol

#: Views as the person filming knows them; "left"/"right" are both filmed from the side.
GUIDE_VIEW: dict[str, ViewChoice] = {
    "left": "side",
    "right": "side",
    "side": "side",
    "front": "front",
    "back": "back",
}

#: Used only until filming.yaml is available (same advice as docs/filming.md for running, side view:
#: whole body in view, at least 10 steps, so that the 7 or more steps Dingenen 2018 averaged are there).
_BUILTIN_RUNNING_SIDE = {
    "position": "beside the treadmill or path, square to the direction of running",
    "height": "hip height",
    "distance": "about 3 m, so the whole body is in view from head to toe",
    "orientation": "landscape or portrait, whole body in view",
    "minimum": "at least 10 steps (about 10 seconds at an easy pace) after settling into the pace",
    "short": "film from the side at hip height, the whole body in view, at least 10 steps",
}


@dataclass(frozen=True)
class Guide:
    """How to film one test from one view (all fields are plain sentences)."""

    test: str
    view: str
    short: str
    lines: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    source: str = "filming.yaml"


@dataclass(frozen=True)
class TestChoice:
    """A test and the views it can be filmed from, each with its guide (None when there is none)."""

    test: TestKind
    title: str
    views: tuple[ViewChoice, ...]
    guides: dict[ViewChoice, Guide | None]


def _filming_module_present() -> bool:
    return importlib.util.find_spec("kinechain.protocols.filming") is not None


def _guide_from_yaml(test: str, view: str) -> Guide | None:
    from kinechain.protocols import filming

    try:
        g = filming.view_guide(test, view)
    except KinechainError:
        return None
    lines = (
        ("Camera", g.position),
        ("Height", g.height),
        ("Distance", g.distance),
        ("Phone", g.orientation),
        ("Do", g.minimum),
        ("Frame rate", f"{g.fps} frames per second or more"),
    )
    return Guide(test, view, g.short, lines)


def guide(test: str, view: str) -> Guide | None:
    """Return the filming guide of a test from a view ("left"/"right" count as "side"), or None."""
    view = GUIDE_VIEW.get(view, view)
    if _filming_module_present():
        return _guide_from_yaml(test, view)
    if test == "running" and view == "side":
        b = _BUILTIN_RUNNING_SIDE
        lines = (
            ("Camera", b["position"]),
            ("Height", b["height"]),
            ("Distance", b["distance"]),
            ("Phone", b["orientation"]),
            ("Do", b["minimum"]),
        )
        return Guide(test, view, b["short"], lines, source="built-in")
    return None


def _views_of(test: TestKind) -> tuple[ViewChoice, ...]:
    try:
        from kinechain.protocols import views_of

        views = tuple(views_of(test))
    except ImportError:
        views = tuple(get_protocol(test).views)
    ordered: list[ViewChoice] = []
    for v in views:
        g = GUIDE_VIEW[v]
        if g not in ordered:
            ordered.append(g)
    return tuple(ordered)


def test_choices() -> list[TestChoice]:
    """Return every registered test with its views and guides (running first, then by name)."""
    out = []
    tests = [t for t in available_tests() if is_test_kind(t)]
    for test in sorted(tests, key=lambda t: (t != "running", t)):
        views = _views_of(test)
        title = test.replace("_", " ").capitalize()
        out.append(TestChoice(test, title, views, {v: guide(test, v) for v in views}))
    return out


def check_choice(test: str, view: str) -> tuple[TestKind, ViewChoice]:
    """Return a posted test and view as the vocabulary's words, once checked against what is offered.

    Raises
    ------
    KinechainError
        Naming the allowed tests or views when the pair is not offered.
    """
    from kinechain.errors import check_option

    choices = {c.test: c for c in test_choices()}
    check_option("test", test, choices)
    offered = next(c for c in choices.values() if c.test == test)
    check_option("view", view, offered.views)
    return offered.test, offered.views[offered.views.index(view)]


@dataclass(frozen=True)
class Framing:
    """The recorder's on-screen framing guide, in percent of the picture: box (x, y, width, height)."""

    box: tuple[int, int, int, int]
    lines: tuple[int, ...]
    text: str


#: Where the person should be in the picture for each test (a layout convention, not evidence):
#: the whole body with a margin, except knee-to-wall (foot, knee and wall) and drop jump (box too).
_FRAMING = {
    "knee_to_wall": Framing(
        (10, 35, 80, 60), (90,), "Keep the wall, the front foot and the knee inside the box."
    ),
    "drop_jump": Framing(
        (10, 5, 80, 90), (9, 91), "Box and landing spot inside the frame; head below the top line."
    ),
}
_WHOLE_BODY = Framing((20, 6, 60, 88), (10, 90), "Head below the top line, feet above the bottom line.")


def framing(test: str) -> Framing:
    """Return the framing guide drawn over the camera preview for a test."""
    return _FRAMING.get(test, _WHOLE_BODY)
