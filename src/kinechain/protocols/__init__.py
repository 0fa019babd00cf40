"""Movement tests, one module each, registered by test name and camera view."""

from kinechain.protocols import (
    double_leg_squat,
    drop_jump,
    knee_to_wall,
    running_rear,
    running_side,
    single_leg_squat,
    step_down,
)
from kinechain.protocols.base import available_tests, get_protocol, measure_specs, views_of

__all__ = [
    "available_tests",
    "double_leg_squat",
    "drop_jump",
    "get_protocol",
    "knee_to_wall",
    "measure_specs",
    "running_rear",
    "running_side",
    "single_leg_squat",
    "step_down",
    "views_of",
]
