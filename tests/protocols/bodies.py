"""Constructed bodies with known geometry, projected into front, back and side views.

Person frame (metres): X towards the person's left, Y up, Z forward. A standing body is built
from a few named 3D points; tests move them by known angles and project them orthographically:

- back view (camera behind, looking forward): image x = -X (the person's left leg on the image left)
- front view (camera in front, looking back): image x = +X (the left leg on the image right)
- left view (camera at the person's left): image x = -Z (the person faces image-left)
- right view: image x = +Z (faces image-right)
Image y = -Y (pixels downward) in every view.
"""

from __future__ import annotations

import numpy as np

from kinechain.model.pose import LANDMARK_INDEX, PoseSeries, empty_pose_arrays

SCALE = 400.0  # pixels per metre
CENTRE = (540.0, 1000.0)  # image position of the person-frame origin, pixels

STANDING: dict[str, tuple[float, float, float]] = {
    "nose": (0.0, 1.62, 0.10),
    "left_eye": (0.03, 1.66, 0.08),
    "right_eye": (-0.03, 1.66, 0.08),
    "left_ear": (0.07, 1.64, 0.0),
    "right_ear": (-0.07, 1.64, 0.0),
    "left_shoulder": (0.19, 1.45, 0.0),
    "right_shoulder": (-0.19, 1.45, 0.0),
    "left_elbow": (0.22, 1.17, 0.0),
    "right_elbow": (-0.22, 1.17, 0.0),
    "left_wrist": (0.23, 0.92, 0.02),
    "right_wrist": (-0.23, 0.92, 0.02),
    "left_hip": (0.1, 0.95, 0.0),
    "right_hip": (-0.1, 0.95, 0.0),
    "left_knee": (0.1, 0.52, 0.0),
    "right_knee": (-0.1, 0.52, 0.0),
    "left_ankle": (0.1, 0.08, 0.0),
    "right_ankle": (-0.1, 0.08, 0.0),
    "left_heel": (0.1, 0.03, -0.06),
    "right_heel": (-0.1, 0.03, -0.06),
    "left_foot_index": (0.1, 0.02, 0.16),
    "right_foot_index": (-0.1, 0.02, 0.16),
}


def standing() -> dict[str, np.ndarray]:
    """A fresh copy of the standing body (metres)."""
    return {k: np.array(v, dtype=float) for k, v in STANDING.items()}


def lateral(side: str) -> float:
    """Person-frame X direction of a side's lateral (outward) direction."""
    return 1.0 if side == "left" else -1.0


def coronal(length: float, angle_deg: float, outward: float) -> np.ndarray:
    """Return a downward segment ``length`` long, tilted ``angle_deg`` in the coronal plane to ``outward``."""
    a = np.radians(angle_deg)
    return np.array([outward * length * np.sin(a), -length * np.cos(a), 0.0])


def set_leg(body: dict[str, np.ndarray], side: str, thigh_in: float, shank_out: float) -> None:
    """Tilt a leg in the coronal plane: thigh ``thigh_in`` deg medially, shank ``shank_out`` deg laterally.

    The knee then lies medial of the hip-ankle line and the FPPA is thigh_in + shank_out (valgus
    positive).
    """
    hip = body[f"{side}_hip"]
    knee = hip + coronal(0.43, thigh_in, -lateral(side))
    ankle = knee + coronal(0.44, shank_out, lateral(side))
    shift = ankle - body[f"{side}_ankle"]
    body[f"{side}_knee"], body[f"{side}_ankle"] = knee, ankle
    for p in ("heel", "foot_index"):
        body[f"{side}_{p}"] = body[f"{side}_{p}"] + shift


def project(body: dict[str, np.ndarray], view: str) -> dict[str, np.ndarray]:
    """Orthographic projection of a body into image pixels for one camera view."""
    out = {}
    for name, (x, y, z) in body.items():
        u = {"back": -x, "front": x, "left": -z, "right": z}[view]
        out[name] = np.array([CENTRE[0] + SCALE * u, CENTRE[1] - SCALE * y])
    return out


def to_pose(frames: list[dict[str, np.ndarray]], view: str, fps: float = 60.0) -> PoseSeries:
    """A PoseSeries from per-frame bodies (metres), projected for ``view``, every point fully visible."""
    xy, vis, _ = empty_pose_arrays(len(frames))
    for i, body in enumerate(frames):
        for name, p in project(body, view).items():
            xy[i, LANDMARK_INDEX[name]] = p
            vis[i, LANDMARK_INDEX[name]] = 0.99
    return PoseSeries(
        times=np.arange(len(frames)) / fps,
        xy=xy,
        visibility=vis,
        image_size=(1080, 1920),
        view=view,
        source="constructed",
    )


def rotate_coronal(
    points: dict[str, np.ndarray], names: list[str], pivot: np.ndarray, angle_deg: float
) -> None:
    """Rotate the named points about ``pivot`` in the coronal (X-Y) plane, counter-clockwise from behind.

    Seen from behind with X to the left, a positive angle lifts the right side (-X) and lowers
    the left side (+X).
    """
    a = np.radians(angle_deg)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]])
    for n in names:
        d = points[n][:2] - pivot[:2]
        points[n] = np.array([*(pivot[:2] + rot @ d), points[n][2]])


def _window(t: float, start: float, period: float) -> float:
    """0 at a step's start and end, 1 at its middle (raised cosine)."""
    return 0.5 - 0.5 * np.cos(2 * np.pi * (t - start) / period)


def running_body(t: float, period: float, params: dict[str, dict[str, float]]) -> dict[str, np.ndarray]:
    """The constructed runner at time ``t`` (s): steps of ``period`` s alternate left, right, ...

    Each stance side's parameters (deg, metres) reach their full size at midstance, the middle of
    the step, and are 0 at its ends: ``drop`` (the other hip lower), ``thigh_in`` and ``shank_out``
    (stance leg, coronal), ``lean`` (trunk towards the stance side), ``eversion`` (heel outward
    against the shank). The pelvis is lowest at midstance and the swing foot is lifted.
    """
    k = int(t // period)
    side = "left" if k % 2 == 0 else "right"
    swing = "right" if side == "left" else "left"
    w = _window(t, k * period, period)
    p = params[side]
    body = standing()
    rotate_coronal(body, ["left_hip", "right_hip"], body[f"{side}_hip"], -lateral(side) * p["drop"] * w)
    for s in ("left", "right"):  # legs hang vertically from the (moved) hips unless set below
        set_leg(body, s, 0.0, 0.0)
    set_leg(body, side, p["thigh_in"] * w, p["shank_out"] * w)
    _set_heel(body, side, p["shank_out"] * w, p["eversion"] * w)
    lift = 0.3 * w
    for part in ("ankle", "heel", "foot_index", "knee"):
        body[f"{swing}_{part}"] = body[f"{swing}_{part}"] + np.array(
            [0.0, lift if part != "knee" else lift / 2, 0.0]
        )
    upper = [n for n in body if not n.endswith(("hip", "knee", "ankle", "heel", "foot_index"))]
    pelvis = (body["left_hip"] + body["right_hip"]) / 2
    rotate_coronal(body, upper, pelvis, lateral(side) * p["lean"] * w)
    bounce = np.array([0.0, -0.06 * w, 0.0])
    return {n: v + bounce for n, v in body.items()}


def _set_heel(body: dict[str, np.ndarray], side: str, shank_out: float, eversion: float) -> None:
    a = np.radians(shank_out + eversion)
    ankle = body[f"{side}_ankle"]
    body[f"{side}_heel"] = ankle + np.array([lateral(side) * 0.05 * np.sin(a), -0.05 * np.cos(a), -0.06])


def expected_running(params: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Midstance values the constructed runner must give, from its parameters alone."""
    out = {}
    for side, p in params.items():
        lat = lateral(side)
        hip_x = lat * 0.1
        other_x = hip_x - lat * 0.2 * np.cos(np.radians(p["drop"]))
        knee_x = hip_x - lat * 0.43 * np.sin(np.radians(p["thigh_in"]))
        ankle_x = knee_x + lat * 0.44 * np.sin(np.radians(p["shank_out"]))
        offset = lat * (ankle_x - (hip_x + other_x) / 2)
        out[side] = {
            "running.pelvic_drop": p["drop"],
            "running.hip_adduction": p["thigh_in"] + p["drop"],
            "running.fppa": p["thigh_in"] + p["shank_out"],
            "running.step_width": 100 * offset / 0.87,
            "running.crossover": 100.0 if offset <= 0 else 0.0,
            "running.rearfoot_angle": p["eversion"],
            "running.lateral_trunk_lean": p["lean"],
        }
    return out


def squat_body(side: str, w: float, p: dict[str, float], *, step_down: bool = False) -> dict[str, np.ndarray]:
    """A single-leg squat on ``side`` at depth fraction ``w`` (0 standing, 1 deepest).

    At the deepest point the hip is 0.23 m lower (0.27 m above the knee), the knee is 0.2 m
    forward and ``p["knee_in"]`` m medial of the planted ankle (0.37 m below it), the pelvis
    drops ``p["drop"]`` deg on the free side and the trunk leans ``p["lean"]`` deg towards the
    standing leg. The free foot is held forward, or for a step-down it reaches 0.2 m below the
    standing foot at depth.
    """
    free = "right" if side == "left" else "left"
    body = standing()
    lat = lateral(side)
    hip_y = 0.95 - 0.23 * w
    body[f"{side}_hip"] = np.array([lat * 0.1, hip_y, 0.0])
    body[f"{free}_hip"] = np.array([-lat * 0.1, hip_y, 0.0])
    rotate_coronal(body, [f"{free}_hip"], body[f"{side}_hip"], -lat * p["drop"] * w)
    body[f"{side}_knee"] = np.array([lat * (0.1 - p["knee_in"] * w), 0.52 - 0.07 * w, 0.2 * w])
    body[f"{side}_ankle"] = np.array([lat * 0.1, 0.08, 0.0])
    body[f"{side}_heel"] = body[f"{side}_ankle"] + np.array([0.0, -0.05, -0.06])
    body[f"{side}_foot_index"] = body[f"{side}_ankle"] + np.array([0.0, -0.06, 0.16])
    free_hip = body[f"{free}_hip"]
    foot_y = (0.08 - 0.2 * w) if step_down else (free_hip[1] - 0.6)
    body[f"{free}_knee"] = free_hip + np.array([0.0, -0.35, 0.25])
    body[f"{free}_ankle"] = np.array([free_hip[0], foot_y, 0.3])
    body[f"{free}_heel"] = body[f"{free}_ankle"] + np.array([0.0, -0.05, -0.06])
    body[f"{free}_foot_index"] = body[f"{free}_ankle"] + np.array([0.0, -0.03, 0.16])
    upper = [n for n in body if not n.endswith(("hip", "knee", "ankle", "heel", "foot_index"))]
    for n in upper:
        body[n] = body[n] + np.array([0.0, -0.23 * w, 0.0])
    pelvis = (body["left_hip"] + body["right_hip"]) / 2
    rotate_coronal(body, upper, pelvis, lat * p["lean"] * w)
    return body


def squat_session(
    params: dict[str, dict[str, float]],
    view: str,
    *,
    reps: int = 3,
    fps: float = 30.0,
    step_down: bool = False,
) -> PoseSeries:
    """``reps`` reps on the left leg then on the right: 1 s standing, 2 s per rep (raised cosine)."""
    frames = []
    for side in ("left", "right"):
        for _ in range(reps):
            for t in np.arange(0, 3.0, 1 / fps):
                w = 0.0 if t < 1.0 else _window(t, 1.0, 2.0)
                frames.append(squat_body(side, w, params[side], step_down=step_down))
        frames += [standing()] * int(fps)
    return to_pose(frames, view, fps=fps)


def double_squat_body(w: float, p: dict[str, float]) -> dict[str, np.ndarray]:
    """A double-leg squat at depth fraction ``w``, with fixed bone lengths (thigh 0.43 m, shank 0.44 m).

    At the deepest point: shanks lean ``p["shank"]`` deg forward, thighs ``p["thigh"]`` deg from
    vertical (knee flexion is their sum), the trunk ``p["trunk"]`` deg forward; each knee sits
    ``p["knee_in_left"]`` / ``p["knee_in_right"]`` m medial of its ankle, the hips shift
    ``p["shift"]`` m towards the person's left, and the heels rise ``p["heel"]`` m off the floor
    with the toes down. Ankles stay 0.2 m apart.
    """
    body = standing()
    ts, tt, tr = (np.radians(p[k] * w) for k in ("shank", "thigh", "trunk"))
    for side in ("left", "right"):
        lat = lateral(side)
        ankle = np.array([lat * 0.1, 0.08, 0.0])
        knee = ankle + np.array([-lat * p[f"knee_in_{side}"] * w, 0.44 * np.cos(ts), 0.44 * np.sin(ts)])
        hip = np.array([lat * 0.1 + p["shift"] * w, knee[1] + 0.43 * np.cos(tt), knee[2] - 0.43 * np.sin(tt)])
        body[f"{side}_ankle"], body[f"{side}_knee"], body[f"{side}_hip"] = ankle, knee, hip
        body[f"{side}_heel"] = ankle + np.array([0.0, -0.05 + p["heel"] * w, -0.06])
        body[f"{side}_foot_index"] = ankle + np.array([0.0, -0.06, 0.16])
    pelvis = (body["left_hip"] + body["right_hip"]) / 2
    for n, v in STANDING.items():
        if not n.endswith(("hip", "knee", "ankle", "heel", "foot_index")):
            rel = np.array(v) - np.array([0.0, 0.95, 0.0])
            # rotate the upper body forward by the trunk angle about the pelvis (Y-Z plane)
            y, z = rel[1] * np.cos(tr) - rel[2] * np.sin(tr), rel[1] * np.sin(tr) + rel[2] * np.cos(tr)
            body[n] = pelvis + np.array([rel[0], y, z])
    return body


def double_squat_session(p: dict[str, float], view: str, *, reps: int = 4, fps: float = 30.0) -> PoseSeries:
    """``reps`` squats: 1 s standing then 2 s down and up (raised cosine), and 1 s standing at the end."""
    frames = []
    for _ in range(reps):
        for t in np.arange(0, 3.0, 1 / fps):
            frames.append(double_squat_body(0.0 if t < 1.0 else _window(t, 1.0, 2.0), p))
    frames += [double_squat_body(0.0, p)] * int(fps)
    return to_pose(frames, view, fps=fps)


G = 9.81  # m/s^2


def _lifted(body: dict[str, np.ndarray], e: float) -> dict[str, np.ndarray]:
    return {n: v + np.array([0.0, e, 0.0]) for n, v in body.items()}


def drop_jump_frames(
    p: dict[str, float], fps: float, *, box: float = 0.5 * G * 0.25**2, late_right: float = 0.0
) -> tuple:
    """One drop jump: 0.5 s on a ``box`` m high (default: 0.25 s of fall), a free fall to the
    floor, a landing that sinks to the deepest point (squat depth 1) in 0.25 s, a push back up in
    0.25 s, a jump with 0.4 s of flight, a second landing, and 1.5 s standing. During the fall the
    body holds squat depth 0.1.
    ``late_right`` (s) delays the right foot's touchdown by lifting it while the left lands.
    Returns (frames, contact time in s, deepest time in s).
    """
    frames = []
    fall = float(np.sqrt(2 * box / G))
    contact, deepest = 0.5 + fall, 0.5 + fall + 0.25
    end = deepest + 0.25 + 0.4 + 0.25 + 1.5
    for i in range(round(end * fps)):
        t = i / fps + 1e-9
        if t < 0.5:
            e, w = box, 0.0
        elif t < contact:
            e, w = box - 0.5 * G * (t - 0.5) ** 2, 0.1
        elif t < deepest + 0.25:
            e, w = 0.0, 0.1 + 0.9 * np.sin(np.pi / 2 * min(t - contact, 0.5) / 0.25) ** 1
        elif t < deepest + 0.65:
            tf = t - deepest - 0.25
            e, w = G * 0.2 * tf - 0.5 * G * tf**2, 0.0
        elif t < deepest + 0.9:
            e, w = 0.0, 0.3 * np.sin(np.pi * (t - deepest - 0.65) / 0.25)
        else:
            e, w = 0.0, 0.0
        body = _lifted(double_squat_body(w, p), e)
        if late_right and contact <= t < contact + late_right:
            for part in ("ankle", "heel", "foot_index"):
                body[f"right_{part}"] = body[f"right_{part}"] + np.array([0.0, 0.1, 0.0])
        frames.append(body)
    return frames, contact, deepest


def drop_jump_session(p: dict[str, float], view: str, *, jumps: int = 3, fps: float = 60.0, **kw) -> tuple:
    """``jumps`` drop jumps one after another; returns (PoseSeries, contact times, deepest times)."""
    frames, contacts, deepest = [], [], []
    for _ in range(jumps):
        f, c, d = drop_jump_frames(p, fps, **kw)
        offset = len(frames) / fps
        frames += f
        contacts.append(offset + c)
        deepest.append(offset + d)
    return to_pose(frames, view, fps=fps), contacts, deepest


def lunge_body(front: str, w: float, tilt: float, heel_up: float) -> dict[str, np.ndarray]:
    """A knee-to-wall lunge on the ``front`` foot: its shank inclines ``tilt * w`` deg forward over
    the planted foot (ankle at Z = 0), the thigh stays 30 deg back from vertical, the back foot is
    0.35 m behind, and the front heel is ``heel_up`` m off the floor (toes down)."""
    back = "right" if front == "left" else "left"
    body = standing()
    a = np.radians(tilt * w)
    lat = lateral(front)
    ankle = np.array([lat * 0.1, 0.08, 0.0])
    knee = ankle + np.array([0.0, 0.44 * np.cos(a), 0.44 * np.sin(a)])
    hip = knee + np.array([0.0, 0.43 * np.cos(np.radians(30)), -0.43 * np.sin(np.radians(30))])
    body[f"{front}_ankle"], body[f"{front}_knee"], body[f"{front}_hip"] = ankle, knee, hip
    body[f"{front}_heel"] = ankle + np.array([0.0, -0.05 + heel_up, -0.06])
    body[f"{front}_foot_index"] = ankle + np.array([0.0, -0.06, 0.16])
    b_ankle = np.array([-lat * 0.1, 0.08, -0.35])
    body[f"{back}_hip"] = hip + np.array([-lat * 0.2, 0.0, 0.0])
    body[f"{back}_ankle"] = b_ankle
    body[f"{back}_knee"] = _knee_between(body[f"{back}_hip"], b_ankle)
    body[f"{back}_heel"] = b_ankle + np.array([0.0, -0.05, -0.06])
    body[f"{back}_foot_index"] = b_ankle + np.array([0.0, -0.06, 0.16])
    lift = hip[1] - 0.95
    for n in body:
        if not n.endswith(("hip", "knee", "ankle", "heel", "foot_index")):
            body[n] = body[n] + np.array([0.0, lift, hip[2]])
    return body


def _knee_between(hip: np.ndarray, ankle: np.ndarray) -> np.ndarray:
    """The knee 0.43 m from the hip and 0.44 m from the ankle, bent forward (+Z), in their Y-Z plane."""
    d = float(np.linalg.norm(ankle - hip))
    a = (0.43**2 - 0.44**2 + d**2) / (2 * d)
    u = (ankle - hip) / d
    perp = np.array([0.0, -u[2], u[1]])
    perp = perp if perp[2] > 0 else -perp
    return hip + a * u + np.sqrt(max(0.0, 0.43**2 - a**2)) * perp  # straight when out of reach


def lunge_session(
    view: str, tilt: float, *, heel_lift: float = 0.0, reps: int = 3, fps: float = 30.0
) -> PoseSeries:
    """``reps`` lunges on the left foot then on the right: 1 s still, 2 s forward and back.

    With ``heel_lift`` > 0 the front heel rises linearly to that height (m) over the last fifth of
    each lunge's depth (w from 0.8 to 1).
    """
    frames = []
    for front in ("left", "right"):
        for _ in range(reps):
            for i in range(round(3.0 * fps)):
                t = i / fps
                w = 0.0 if t < 1.0 else _window(t, 1.0, 2.0)
                frames.append(lunge_body(front, w, tilt, heel_lift * max(0.0, (w - 0.8) / 0.2)))
        frames += [lunge_body(front, 0.0, tilt, 0.0)] * round(fps)
    return to_pose(frames, view, fps=fps)
