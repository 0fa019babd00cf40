"""Detect and undo left/right leg label swaps, a known failure of 2D pose on running video.

In a side view the legs pass each other twice a stride and the far leg is often hidden, so a pose
model sometimes labels the left leg "right" for a few frames. The labelling of all frames is
chosen at once so that both legs move as smoothly as possible, while each frame whose model labels
are overruled costs a fixed penalty: a brief swap makes a large jump in and out and is undone; two
legs simply passing each other are left alone.
"""

from __future__ import annotations

from typing import cast

import numpy as np

from kinechain.model.pose import LANDMARK_INDEX, PoseSeries

#: Leg points whose labels are checked (the hips stay with the pelvis).
SWAP_POINTS: tuple[str, ...] = ("knee", "ankle", "heel", "foot_index")
#: Cost of overruling the model's labels in one frame, in shank lengths per frame squared.
SWAP_PENALTY = 0.3


def _indices(side: str) -> np.ndarray:
    return np.array([LANDMARK_INDEX[f"{side}_{p}"] for p in SWAP_POINTS])


def _pair_costs(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Per-frame leg positions under both labellings: shape (n, 2, 2, k, 2) = [t, state, leg]."""
    kept = np.stack([left, right], axis=1)
    exchanged = np.stack([right, left], axis=1)
    return np.stack([kept, exchanged], axis=1)


def _all_accel_costs(pos: np.ndarray) -> np.ndarray:
    """Mean second difference of the leg points for every frame and every labelling of three frames.

    Parameters
    ----------
    pos : ndarray, shape (n, 2, 2, k, 2)
        Leg points per frame under both labellings, from :func:`_pair_costs`.

    Returns
    -------
    ndarray, shape (n, 2, 2, 2)
        ``[t, a, b, c]``: mean acceleration (pixels/frame^2) over the finite points of both legs
        for frames t-2, t-1, t in states a, b, c; 0 where nothing is comparable (t < 2 unused).
    """
    n = len(pos)
    out = np.zeros((n, 2, 2, 2))
    if n < 3:
        return out
    x0 = pos[:-2][:, :, None, None]
    x1 = pos[1:-1][:, None, :, None]
    x2 = pos[2:][:, None, None, :]
    norm = np.linalg.norm(x2 - 2 * x1 + x0, axis=-1)  # (n-2, 2, 2, 2, legs, k)
    finite = np.isfinite(norm)
    total = np.where(finite, norm, 0.0).sum(axis=(-2, -1))
    count = finite.sum(axis=(-2, -1))
    out[2:] = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    return out


def _scale(left: np.ndarray, right: np.ndarray) -> float:
    """Typical knee-to-ankle length in pixels, the yardstick for the swap penalty."""
    shank = np.linalg.norm(np.concatenate([left[:, 0] - left[:, 1], right[:, 0] - right[:, 1]]), axis=-1)
    shank = shank[np.isfinite(shank)]
    return float(np.median(shank)) if shank.size else 1.0


def _both_legs_seen(left: np.ndarray, right: np.ndarray, min_points: int = 2) -> np.ndarray:
    """Frames where each leg has at least ``min_points`` known points: only those may be exchanged."""
    seen_l = np.isfinite(left).all(axis=-1).sum(axis=1) >= min_points
    seen_r = np.isfinite(right).all(axis=-1).sum(axis=1) >= min_points
    return cast("np.ndarray", seen_l & seen_r)


def swap_decisions(left: np.ndarray, right: np.ndarray, *, penalty: float = SWAP_PENALTY) -> np.ndarray:
    """Return a boolean mask of frames whose left and right leg labels should be exchanged.

    The labelling of every frame is chosen together (Viterbi over pairs of consecutive labels) so
    that the legs move as smoothly as possible (least total acceleration), with a cost of
    ``penalty`` shank lengths for each frame whose model labels are overruled. Only frames where
    both legs are seen can be exchanged, so a leg the model never found is not invented.

    Parameters
    ----------
    left, right : ndarray, shape (n, k, 2)
        The k checked points of each leg (knee first, then ankle, ...), pixels, NaN where unknown.
    penalty : float
        Cost of exchanging one frame's labels, in shank lengths per frame squared.
    """
    n = len(left)
    if n < 3:
        return np.zeros(n, dtype=bool)
    pos = _pair_costs(left, right)
    lam = penalty * _scale(left, right)
    swap_cost = np.where(_both_legs_seen(left, right), lam, np.inf)  # never invent a missing leg
    acc = _all_accel_costs(pos)  # acc[t, a, b, c] for frames t-2, t-1, t in states a, b, c
    # cost[a, b]: best total cost with state a at t-1 and b at t
    first = (0.0, swap_cost[0])
    cost = np.array([[first[a] + (swap_cost[1] if b else 0.0) for b in (0, 1)] for a in (0, 1)])
    back = np.zeros((n, 2, 2), dtype=int)
    for t in range(2, n):
        options = cost[:, :, None] + acc[t]  # [a, b, c]
        back[t] = np.argmin(options, axis=0)
        cost = np.min(options, axis=0) + np.array([0.0, swap_cost[t]])[None, :]
    last_pair = np.unravel_index(int(np.argmin(cost)), cost.shape)
    states = np.zeros(n, dtype=int)
    states[-2], states[-1] = int(last_pair[0]), int(last_pair[1])
    for t in range(n - 1, 1, -1):
        states[t - 2] = back[t, states[t - 1], states[t]]
    return states.astype(bool)


def _exchange(arr: np.ndarray, frames: np.ndarray, li: np.ndarray, ri: np.ndarray) -> np.ndarray:
    out = arr.copy()
    tmp = out[np.ix_(frames, li)].copy()
    out[np.ix_(frames, li)] = out[np.ix_(frames, ri)]
    out[np.ix_(frames, ri)] = tmp
    return out


def repair_leg_swaps(pose: PoseSeries, *, penalty: float = SWAP_PENALTY) -> tuple[PoseSeries, np.ndarray]:
    """Undo left/right leg label swaps.

    Returns
    -------
    pose : PoseSeries
        With the labels of swapped frames exchanged back (xy, visibility and world).
    swapped : ndarray of bool, shape (n,)
        The frames that were exchanged.
    """
    li, ri = _indices("left"), _indices("right")
    swapped = swap_decisions(pose.xy[:, li], pose.xy[:, ri], penalty=penalty)
    if not swapped.any():
        return pose, swapped
    frames = np.flatnonzero(swapped)
    world = None if pose.world is None else _exchange(pose.world, frames, li, ri)
    return pose.with_changes(
        xy=_exchange(pose.xy, frames, li, ri),
        visibility=_exchange(pose.visibility, frames, li, ri),
        world=world,
    ), swapped
