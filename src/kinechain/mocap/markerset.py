"""Marker-set definitions, kept as TOML data files in ``kinechain/mocap/markersets/``.

A marker set names, for each anatomical role, the marker (or markers, joined by ``+`` to take
their mean) that marks it, with alternatives tried in order; the rigid clusters of each segment;
which cluster carries an anatomical point from the static trial when the running trial lacks it;
and the hip-joint-centre method. ``{S}`` in a name stands for "R"/"L", ``{s}`` for "r"/"l" and
``{side}`` for "right"/"left"; names are compared without case.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from kinechain.errors import ConfigError
from kinechain.mocap.data import Markers

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROLES = (
    "hip_centre",
    "asis",
    "psis",
    "greater_trochanter",
    "knee_lateral",
    "knee_medial",
    "ankle_lateral",
    "ankle_medial",
    "heel",
    "toe",
    "shoulder",
)
SEGMENTS = ("pelvis", "thigh", "shank", "foot")
HIP_METHODS = ("harrington", "greater_trochanter")
_TOKENS = {"left": {"S": "L", "s": "l", "side": "left"}, "right": {"S": "R", "s": "r", "side": "right"}}


def side_name(template: str, side: str) -> str:
    """Fill the side tokens of a marker-name template ({S}, {s}, {side}) for "left" or "right"."""
    return template.format(**_TOKENS[side])


@dataclass(frozen=True)
class MarkerSet:
    """One marker-set definition (see the module docstring for the file format).

    Attributes
    ----------
    name : str
        Short name ("bmc", "ric", "opensim").
    title : str
        Human-readable name with its source.
    hip_method : str
        "harrington" (Harrington et al. 2007, from ASIS and PSIS) or "greater_trochanter"
        (Weinhandl & O'Connor 2010); a marked hip centre is used first when present.
    roles : dict of str to tuple of str
        Anatomical role to alternative name templates.
    clusters : dict of str to tuple of str
        Segment to the name templates of its markers.
    carry : dict of str to str
        Anatomical role to the segment whose cluster carries it from the static trial.
    """

    name: str
    title: str
    hip_method: str
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    carry: dict[str, str] = field(default_factory=dict)

    def resolve(self, markers: Markers, role: str, side: str) -> np.ndarray | None:
        """Positions (n, 3) of a role for one side in ``markers``: the first alternative all present."""
        for template in self.roles.get(role, ()):
            found = [markers.find(side_name(t.strip(), side)) for t in template.split("+")]
            parts = [p for p in found if p is not None]
            if parts and len(parts) == len(found):
                return np.mean(np.stack(parts), axis=0) if len(parts) > 1 else parts[0]
        return None

    def cluster_names(self, markers: Markers, segment: str, side: str) -> list[str]:
        """Names, as spelled in ``markers``, of the cluster markers of a segment that are present."""
        by_lower = {n.lower(): n for n in markers.names}
        names = [side_name(t, side).lower() for t in self.clusters.get(segment, ())]
        return list(dict.fromkeys(by_lower[n] for n in names if n in by_lower))

    def coverage(self, markers: Markers) -> float:
        """Score of how well this set fits ``markers``: segments with a usable cluster, then names found.

        The integer part counts the segment clusters (pelvis, and thigh, shank and foot of each
        side) with at least three markers present; the fraction is the share of the set's role
        names found, to break ties.
        """
        usable = int(len(self.cluster_names(markers, "pelvis", "right")) >= 3)
        usable += sum(
            len(self.cluster_names(markers, seg, side)) >= 3 for seg in SEGMENTS[1:] for side in _TOKENS
        )
        found = [self.resolve(markers, role, side) is not None for role in self.roles for side in _TOKENS]
        return usable + (sum(found) / len(found) if found else 0.0) * 0.99


def _parse(data: dict[str, Any], origin: str) -> MarkerSet:
    try:
        ms = MarkerSet(
            name=str(data["name"]),
            title=str(data.get("title", data["name"])),
            hip_method=str(data.get("hip_method", "harrington")),
            roles={k: tuple(v) for k, v in data.get("roles", {}).items()},
            clusters={k: tuple(v) for k, v in data.get("clusters", {}).items()},
            carry={k: str(v) for k, v in data.get("carry", {}).items()},
        )
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"marker set {origin} is missing a field ({exc}); see docs/mocap.md.") from exc
    unknown = (set(ms.roles) - set(ROLES)) | (set(ms.clusters) - set(SEGMENTS))
    if unknown or ms.hip_method not in HIP_METHODS or not set(ms.carry.values()) <= set(SEGMENTS):
        bad = sorted(unknown) or ms.hip_method
        raise ConfigError(
            f"marker set {origin} uses unknown roles, segments or hip method ({bad}); roles are "
            f"{', '.join(ROLES)}; segments {', '.join(SEGMENTS)}; hip methods {', '.join(HIP_METHODS)}."
        )
    return ms


def available_markersets() -> list[str]:
    """Names of the marker sets shipped with kinechain."""
    folder = resources.files("kinechain.mocap") / "markersets"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_markerset(name_or_path: str | os.PathLike[str]) -> MarkerSet:
    """Load a shipped marker set by name ("bmc", "ric", "opensim") or a TOML file by path."""
    text = str(name_or_path)
    if text in available_markersets():
        raw = (resources.files("kinechain.mocap") / "markersets" / f"{text}.toml").read_text(encoding="utf-8")
        return _parse(tomllib.loads(raw), text)
    path = Path(text)
    if not path.is_file():
        names = ", ".join(repr(n) for n in available_markersets())
        raise ConfigError(f"marker set must be one of {names} or a TOML file; got {text!r}.")
    return _parse(tomllib.loads(path.read_text(encoding="utf-8")), str(path))


def detect_markerset(markers: Markers) -> MarkerSet:
    """Return the shipped marker set that best fits ``markers`` (see :meth:`MarkerSet.coverage`).

    Raises ConfigError when no set has usable clusters for at least three segments.
    """
    sets = [load_markerset(n) for n in available_markersets()]
    best = max(sets, key=lambda s: s.coverage(markers))
    if best.coverage(markers) < 3:
        names = ", ".join(s.name for s in sets)
        raise ConfigError(
            f"{markers.source} matches none of the marker sets ({names}); pass --markerset with a TOML "
            "file naming its markers (see docs/mocap.md)."
        )
    return best
