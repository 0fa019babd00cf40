"""Motion capture: import lab trials, find joint centres, film them with a virtual camera, validate.

Building blocks (same layer as kinematics/signal/io): :mod:`~kinechain.mocap.readers` (C3D, TRC,
GRF .mot, plain tables), :mod:`~kinechain.mocap.axes` (units and axis conventions),
:mod:`~kinechain.mocap.markerset` (marker sets as TOML package data),
:mod:`~kinechain.mocap.joints` and :mod:`~kinechain.mocap.skeleton` (joint centres, cluster
tracking, BlazePose landmarks), :mod:`~kinechain.mocap.grf` (force-plate events),
:mod:`~kinechain.mocap.truth` (3D reference angles), :mod:`~kinechain.mocap.camera` (virtual
camera) and :mod:`~kinechain.mocap.trial` (loading a trial with its companions).

:mod:`~kinechain.studies.mocap_validation` composes them with the cleaning and protocol stages, like
``pipeline.py``, and is imported by the CLI only. See docs/mocap.md.
"""

from kinechain.mocap.camera import VirtualCamera, virtual_pose
from kinechain.mocap.data import Forces, Markers
from kinechain.mocap.skeleton import Skeleton, build_skeleton
from kinechain.mocap.trial import MocapTrial, load_trial

__all__ = [
    "Forces",
    "Markers",
    "MocapTrial",
    "Skeleton",
    "VirtualCamera",
    "build_skeleton",
    "load_trial",
    "virtual_pose",
]
