"""What every movement-test module provides, and the registry of tests.

The confidence model is in :mod:`kinechain.protocols.confidence`.
"""

from __future__ import annotations

from typing import Protocol

from kinechain.errors import ConfigError, UnsupportedView
from kinechain.model.kinematics import Kinematics
from kinechain.model.measures import MeasureSet
from kinechain.model.pose import VIEWS, PoseSeries
from kinechain.model.vocab import TestKind, View
from kinechain.protocols.spec import Spec


class TestProtocol(Protocol):
    """A movement test: which views it accepts, and how to turn a PoseSeries into measures."""

    test: TestKind
    title: str
    views: tuple[View, ...]
    required_landmarks: tuple[str, ...]
    #: Every measure the module reports, declared once (:class:`~kinechain.protocols.spec.Spec`).
    measures: tuple[Spec, ...]

    def analyse(self, pose: PoseSeries, *, view: View) -> tuple[Kinematics, MeasureSet]:
        """Return the kinematics (signals and events) and the measures of this test."""
        ...


#: test name -> view -> protocol module handling that view (one test may have a module per view).
_REGISTRY: dict[str, dict[View, TestProtocol]] = {}


def register(protocol: TestProtocol) -> TestProtocol:
    """Add a test protocol to the registry for each of its views (keyed by ``protocol.test``).

    A test can be split over several modules, one per view (e.g. running side view and running
    rear view); registering a second module for a view the test already has is an error.
    """
    by_view = _REGISTRY.setdefault(protocol.test, {})
    for view in protocol.views:
        if view in by_view and by_view[view] is not protocol:
            raise ConfigError(f"test {protocol.test!r} already has a module for the {view} view.")
        by_view[view] = protocol
    return protocol


def get_protocol(test: str, view: View | None = None) -> TestProtocol:
    """Return the registered protocol for a test name, and for a view when given.

    Without ``view`` the module of the test's first view in the order left, right, front, back is
    returned (for "running", the side view), as before views were part of the key.

    Raises
    ------
    ConfigError
        When the test is unknown.
    UnsupportedView
        When the test is not measured from ``view``; the message says which views it uses.
    """
    if test not in _REGISTRY:
        names = ", ".join(repr(t) for t in sorted(_REGISTRY))
        raise ConfigError(f"test must be one of {names}; got {test!r}.")
    by_view = _REGISTRY[test]
    if view is None:
        return by_view[views_of(test)[0]]
    if view not in by_view:
        first = by_view[views_of(test)[0]]
        wanted = " or ".join(", ".join(views_of(test)).rsplit(", ", 1))
        raise UnsupportedView(
            f"{first.title.split(' (')[0]} is measured from the {wanted} view, not the {view} view; "
            "film it again from one of those (see docs/filming.md) or pass --view."
        )
    return by_view[view]


def views_of(test: str) -> tuple[View, ...]:
    """Return every view a test is measured from, over all its modules (order: left, right, front, back)."""
    if test not in _REGISTRY:
        names = ", ".join(repr(t) for t in sorted(_REGISTRY))
        raise ConfigError(f"test must be one of {names}; got {test!r}.")
    return tuple(v for v in VIEWS if v in _REGISTRY[test])


def measure_specs() -> list[Spec]:
    """Return the spec of every measure of every registered test, each once, in registration order."""
    seen: dict[str, Spec] = {}
    for by_view in _REGISTRY.values():
        for protocol in by_view.values():
            for spec in protocol.measures:
                seen.setdefault(spec.id, spec)
    return list(seen.values())


def available_tests() -> list[str]:
    """Names of the registered tests."""
    return sorted(_REGISTRY)


def check_view(protocol: TestProtocol, view: View) -> None:
    """Raise UnsupportedView with what to film when ``view`` is not one the test accepts."""
    if view not in protocol.views:
        wanted = " or ".join(protocol.views)
        raise UnsupportedView(
            f"{protocol.title} is measured from the {wanted} view, but this video is a {view} "
            f"view; film the test from the {protocol.views[0]} (see docs/filming.md)."
        )
