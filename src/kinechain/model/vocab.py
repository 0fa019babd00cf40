"""The project's vocabulary as types: legs, sides of a measure, camera views, tests.

Each is a ``Literal`` of plain strings, so values stay ``str`` in JSON, the database and
templates, while mypy checks that only these words are passed around.
"""

from __future__ import annotations

from typing import Literal, TypeGuard, TypeVar, get_args

#: One leg of the person.
Leg = Literal["left", "right"]
#: What a measure or event belongs to: one leg, both legs together, or no leg (a whole-body value).
Side = Literal["left", "right", "both", "none"]
#: Camera view of a recording. "left" films the person's left side (the left leg is the near
#: leg); "front" faces the person; "back" is behind.
View = Literal["left", "right", "front", "back"]
#: What a user may ask for as the view: a view, "side" (left or right, found from the clip) or "auto".
ViewChoice = Literal["auto", "side", "left", "right", "front", "back"]
#: The movement tests kinechain measures from video (one or more protocol modules each).
TestKind = Literal[
    "running", "single_leg_squat", "step_down", "double_leg_squat", "drop_jump", "knee_to_wall"
]
#: Sets of measures that do not come from a video: intake self-tests and hand-held dynamometry.
ClinicSource = Literal["self_tests", "hhd"]

_Word = TypeVar("_Word", bound=str)

LEGS: tuple[Leg, Leg] = ("left", "right")
SIDES: tuple[Side, ...] = get_args(Side)
VIEWS: tuple[View, ...] = get_args(View)
VIEW_CHOICES: tuple[ViewChoice, ...] = get_args(ViewChoice)
TEST_KINDS: tuple[TestKind, ...] = get_args(TestKind)


def other_leg(leg: Leg) -> Leg:
    """Return the other leg."""
    return "right" if leg == "left" else "left"


def is_view(value: object) -> TypeGuard[View]:
    """Return True when ``value`` is one of the camera views."""
    return value in VIEWS


def is_leg(value: object) -> TypeGuard[Leg]:
    """Return True when ``value`` is "left" or "right"."""
    return value in LEGS


def is_test_kind(value: object) -> TypeGuard[TestKind]:
    """Return True when ``value`` is the name of a movement test."""
    return value in TEST_KINDS


def near_leg(view: View) -> Leg:
    """Return the leg nearer the camera in a side view ("left" view: the left leg).

    Raises
    ------
    ValueError
        For a front or back view, which has no near leg.
    """
    if view == "left":
        return "left"
    if view == "right":
        return "right"
    raise ValueError(f"a {view} view has no near leg")


def _one_of(value: str, allowed: tuple[_Word, ...], what: str) -> _Word:
    for word in allowed:
        if value == word:
            return word
    raise ValueError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")


def parse_side(value: str) -> Side:
    """Return ``value`` as a Side, for text read from a file or a signal name (ValueError if not one)."""
    return _one_of(value, SIDES, "side")


def parse_view(value: str) -> View:
    """Return ``value`` as a View, for text read from a file or given by a user (ValueError if not one)."""
    return _one_of(value, VIEWS, "view")


def parse_view_choice(value: str) -> ViewChoice:
    """Return ``value`` as a ViewChoice (a view, "side" or "auto"); ValueError if not one."""
    return _one_of(value, VIEW_CHOICES, "view")


def parse_test_kind(value: str) -> TestKind:
    """Return ``value`` as a TestKind; ValueError if it names no test."""
    return _one_of(value, TEST_KINDS, "test")
