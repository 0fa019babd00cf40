"""Pose estimation: the Estimator protocol, the MediaPipe backend and the replay backend."""

from kinechain.pose.base import Estimator, ProgressFn
from kinechain.pose.replay import ReplayEstimator, load_keypoints, save_keypoints

__all__ = ["Estimator", "ProgressFn", "ReplayEstimator", "load_keypoints", "save_keypoints"]
