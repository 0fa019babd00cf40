"""Foot strike and toe-off from the vertical ground reaction force: the timing ground truth.

A foot is on the ground while the vertical force exceeds a threshold. The default,
:data:`CONTACT_THRESHOLD_N` = 50 N, is a biomechanics convention (20-50 N are in common use for
running) chosen at the top of that range because the instrumented treadmill of the shared BMC
trials swings up to about 30 N either side of zero in flight: at 20 N that noise starts or ends
some contacts early (measured on BMC T35). Measured sensitivity on both BMC trials: foot strike
moves by 1-2 ms between 20 and 80 N (the force rises steeply), toe-off by about 10 ms (the force
falls slowly at push-off: a lower threshold ends contact later). Toe-off truth therefore carries
about 10 ms of definitional uncertainty; foot strike does not. Crossings are placed between
samples by linear interpolation. Contacts shorter than :data:`MIN_CONTACT_S` and gaps shorter
than :data:`MIN_FLIGHT_S` (noise crossing the threshold) are ignored (convention).

On a single treadmill plate both feet load the same plate; in running each contact is one
foot, identified as the foot lower at mid-contact.
"""

from __future__ import annotations

import numpy as np

from kinechain.mocap.data import Forces
from kinechain.model.kinematics import Event
from kinechain.model.vocab import Leg
from kinechain.signal.clean import finite_runs

CONTACT_THRESHOLD_N = 50.0
MIN_CONTACT_S = 0.08
MIN_FLIGHT_S = 0.02


def _crossing(times: np.ndarray, values: np.ndarray, i: int, threshold: float) -> float:
    """Time between samples i-1 and i where ``values`` crosses ``threshold`` (linear interpolation)."""
    if i <= 0 or i >= len(values):
        return float(times[min(max(i, 0), len(times) - 1)])
    v0, v1 = values[i - 1], values[i]
    w = (threshold - v0) / (v1 - v0) if v1 != v0 else 0.0
    return float(times[i - 1] + np.clip(w, 0.0, 1.0) * (times[i] - times[i - 1]))


def contact_intervals(
    forces: Forces,
    *,
    threshold_n: float = CONTACT_THRESHOLD_N,
    min_contact_s: float = MIN_CONTACT_S,
    min_flight_s: float = MIN_FLIGHT_S,
) -> list[tuple[float, float]]:
    """Contacts as (start, end) times in seconds, from the vertical force (lab y, newtons).

    Contacts touching the start or end of the record are dropped (their true start or end is unknown).
    """
    fy = np.nan_to_num(forces.force[:, 1], nan=0.0)
    t = forces.times
    runs = list(finite_runs(fy > threshold_n))
    merged: list[list[int]] = []
    for start, stop in runs:
        if merged and t[start] - t[merged[-1][1] - 1] < min_flight_s:
            merged[-1][1] = stop
        else:
            merged.append([start, stop])
    out = []
    for start, stop in merged:
        if start == 0 or stop >= len(fy):
            continue
        on = _crossing(t, fy, start, threshold_n)
        off = _crossing(t, fy, stop, threshold_n)
        if off - on >= min_contact_s:
            out.append((on, off))
    return out


def contact_side(times: np.ndarray, heights: dict[Leg, np.ndarray], on: float, off: float) -> Leg:
    """Return the side ("left"/"right") whose foot is lower at mid-contact.

    ``heights`` holds each side's lowest foot point height (lab y), metres.
    """
    mid = 0.5 * (on + off)
    level = {side: float(np.interp(mid, times, h)) for side, h in heights.items()}
    return min(level, key=lambda s: level[s])


def grf_events(
    forces: Forces,
    foot_times: np.ndarray,
    foot_heights: dict[Leg, np.ndarray],
    *,
    threshold_n: float = CONTACT_THRESHOLD_N,
) -> list[Event]:
    """Foot-strike and toe-off events (ground truth) from one plate's vertical force.

    Parameters
    ----------
    forces : Forces
        Lab frame (vertical = y, newtons, up positive).
    foot_times : ndarray, shape (n,)
        Times of ``foot_heights``, seconds.
    foot_heights : dict of str to ndarray
        Lowest foot point height per side ("left", "right"), metres, to tell which foot is down.
    threshold_n : float
        Vertical force threshold, newtons.

    Returns
    -------
    list of Event
        "foot_strike" and "toe_off" events, time in seconds, ``frame`` the force sample index.
    """
    events = []
    rate = forces.rate
    for on, off in contact_intervals(forces, threshold_n=threshold_n):
        side = contact_side(foot_times, foot_heights, on, off)
        events.append(Event("foot_strike", side, on, round((on - forces.times[0]) * rate)))
        events.append(Event("toe_off", side, off, round((off - forces.times[0]) * rate)))
    return sorted(events, key=lambda e: e.time)
