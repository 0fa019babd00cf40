"""Body scale in the image: the leg length that turns pixel distances into leg lengths."""

from __future__ import annotations

import numpy as np

from kinechain.kinematics.frontal import leg_length_frontal
from kinechain.kinematics.sagittal import leg_length_px
from kinechain.model.pose import SIDES, PoseSeries
from kinechain.model.vocab import View

#: Views that face the person (the legs are seen side by side).
FRONTAL_VIEWS: tuple[View, ...] = ("front", "back")


def leg_length(pose: PoseSeries, view: View) -> float:
    """Mean leg length (hip-knee + knee-ankle) of the two legs in pixels, for this view.

    A frontal view measures each leg as seen from the front
    (:func:`~kinechain.kinematics.frontal.leg_length_frontal`), a side view from the side
    (:func:`~kinechain.kinematics.sagittal.leg_length_px`); a leg not found is left out (NaN when
    neither is).
    """
    fn = leg_length_frontal if view in FRONTAL_VIEWS else leg_length_px
    values = [fn(pose, s) for s in SIDES]
    finite = [v for v in values if np.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")
