"""The filming guide: package data that loads, matches the registered tests and the docs."""

from pathlib import Path

import pytest

from kinechain.errors import ConfigError
from kinechain.protocols import available_tests, views_of
from kinechain.protocols.filming import advised_fps, guide_views, load_guide, needs_view_reason, view_guide

DOC = Path(__file__).resolve().parents[2] / "docs" / "filming.md"


def test_every_registered_test_has_a_guide_for_each_of_its_views():
    for test in available_tests():
        views = guide_views(test)
        for view in views_of(test):
            key = "side" if view in ("left", "right") else view
            if key not in views and test != "running":
                continue  # e.g. single-leg tests accept a back view but are filmed from the front
            assert view_guide(test, view).short


def test_the_docs_show_every_test_view_and_instruction():
    text = DOC.read_text()
    for test, entry in load_guide()["tests"].items():
        assert f"## {entry['title']}" in text or entry["title"].split(" (")[0] in text, test
        for view, g in entry["views"].items():
            assert (
                f"| {view} | {g['position']} | {g['height']} | {g['distance']} | {g['orientation']} |" in text
            )


def test_messages_and_frame_rates():
    assert needs_view_reason("drop_jump", "left").startswith(
        "this measure needs a side view: film from the side"
    )
    assert advised_fps("running") == 60 and advised_fps("double_leg_squat") == 30
    with pytest.raises(ConfigError, match="is not filmed from the back view"):
        view_guide("knee_to_wall", "back")
