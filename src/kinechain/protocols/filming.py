"""The filming guide per test and view, read from the package data file filming.yaml.

The same file feeds docs/filming.md and the web app, so the advice a user sees in a "not
measurable" reason, a quality warning and the app is one text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from kinechain.errors import ConfigError

#: Views that share one guide entry: "left" and "right" are both filmed as "side".
_GUIDE_VIEW = {"left": "side", "right": "side", "side": "side", "front": "front", "back": "back"}


@dataclass(frozen=True)
class ViewGuide:
    """How to film one test from one view.

    Attributes
    ----------
    test, view : str
        Test name and guide view ("side", "front" or "back").
    position, height, distance, orientation : str
        Where the camera goes, how high, how far, and the phone's orientation.
    short : str
        One instruction sentence (no full stop), used in messages.
    minimum : str
        What the person does and how many reps or steps are needed.
    fps : int
        Frame rate advised, frames per second.
    """

    test: str
    view: str
    position: str
    height: str
    distance: str
    orientation: str
    short: str
    minimum: str
    fps: int


@cache
def load_guide() -> dict[str, Any]:
    """Return the parsed filming.yaml (cached)."""
    text = resources.files("kinechain.protocols").joinpath("filming.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or doc.get("schema") != "kinechain.filming/1":
        raise ConfigError("filming.yaml is not a kinechain.filming/1 file; reinstall kinechain.")
    return doc


def guide_views(test: str) -> tuple[str, ...]:
    """Guide views ("side", "front", "back") documented for a test, in the guide's order."""
    return tuple(_test_entry(test)["views"])


def _test_entry(test: str) -> dict[str, Any]:
    tests = load_guide()["tests"]
    if test not in tests:
        names = ", ".join(repr(t) for t in tests)
        raise ConfigError(f"there is no filming guide for test {test!r}; guides exist for {names}.")
    entry: dict[str, Any] = tests[test]
    return entry


def view_guide(test: str, view: str) -> ViewGuide:
    """Return the filming guide of ``test`` for ``view`` ("left"/"right" map to "side")."""
    entry = _test_entry(test)
    key = _GUIDE_VIEW.get(view, view)
    if key not in entry["views"]:
        shown = ", ".join(repr(v) for v in entry["views"])
        raise ConfigError(f"{entry['title']} is not filmed from the {view} view; use {shown}.")
    v = entry["views"][key]
    return ViewGuide(
        test=test,
        view=key,
        position=v["position"],
        height=v["height"],
        distance=v["distance"],
        orientation=v["orientation"],
        short=v["short"],
        minimum=entry["minimum"],
        fps=int(entry["fps"]),
    )


def needs_view_reason(test: str, view: str) -> str:
    """Return the reason for a measure taken only from ``view``: "this measure needs a ... view: film ..."."""
    key = _GUIDE_VIEW.get(view, view)
    return f"this measure needs a {key} view: {view_guide(test, key).short}"


def film_advice(test: str, view: str) -> str:
    """Return the one-sentence filming advice for ``test`` from ``view`` (its main view if not filmed so)."""
    key = _GUIDE_VIEW.get(view, view)
    views = guide_views(test)
    return view_guide(test, key if key in views else views[0]).short


def advised_fps(test: str) -> int:
    """Return the frame rate advised for a test, frames per second (30 when the test has no guide)."""
    tests = load_guide()["tests"]
    return int(tests[test]["fps"]) if test in tests else 30


#: Frame rate below which no test is measured, frames per second (the floor of every test's
#: ``min_fps``; clinical convention).
FLOOR_FPS = 20


def minimum_fps(test: str) -> int:
    """Return the frame rate below which ``test`` is refused, frames per second (filming.yaml ``min_fps``).

    This is the one table of frame rate per test; :func:`advised_fps` is the rate to film at.
    """
    tests = load_guide()["tests"]
    return int(tests[test].get("min_fps", FLOOR_FPS)) if test in tests else FLOOR_FPS
