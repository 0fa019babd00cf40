"""pipeline._measure: option errors are the user's, anything raised inside a protocol is a bug."""

from __future__ import annotations

import pytest

from kinechain.errors import ConfigError
from kinechain.pipeline import _measure, option_names_of


class _FaultyProtocol:
    """A protocol with one option whose analysis has a bug that raises TypeError."""

    test = "faulty"
    title = "Faulty test"
    views = ("left",)
    required_landmarks = ()

    def analyse(self, pose, *, view, depth_cm=None):
        return len(None)  # the bug: a TypeError raised inside the protocol


def test_a_type_error_inside_a_protocol_surfaces_as_a_bug():
    with pytest.raises(TypeError, match="NoneType"):
        _measure(_FaultyProtocol(), None, "left", {"depth_cm": 3.0})
    with pytest.raises(TypeError, match="NoneType"):
        _measure(_FaultyProtocol(), None, "left", None)


def test_an_option_the_protocol_does_not_take_is_an_option_error():
    words = r"does not take the option\(s\) width_cm \(its options: depth_cm\)"
    with pytest.raises(ConfigError, match=words):
        _measure(_FaultyProtocol(), None, "left", {"width_cm": 3.0, "depth_cm": 1.0})


def test_the_registered_option_names():
    assert option_names_of("knee_to_wall") == {"foot_length_cm", "wall_x"}
    assert option_names_of("running") == set()
