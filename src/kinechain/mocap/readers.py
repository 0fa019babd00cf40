"""Readers for motion-capture files: C3D (through ezc3d), OpenSim TRC and GRF .mot, plain tables.

Every reader returns data in the file's own axes and units (recorded on the returned object);
:mod:`kinechain.mocap.axes` and :func:`kinechain.mocap.trial.load_trial` bring them into the lab
frame. Plain tab-separated tables are the format of the BMC running data set (Fukuchi, Fukuchi &
Duarte 2017): a header row, then one row per sample; marker columns are named ``<marker>X``,
``<marker>Y``, ``<marker>Z``; force columns ``Fx Fy Fz`` (N) and optionally ``COPx COPy COPz``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from kinechain.errors import MocapFileError
from kinechain.io.mot import read_mot
from kinechain.io.trc import read_trc
from kinechain.mocap.data import LENGTH_UNITS, Forces, Markers

PathLike = str | os.PathLike[str]

#: OpenSim GRF column names: <prefix>[ground_]force_v<axis> and <prefix>[ground_]force_p<axis>.
_GRF_COLUMN = re.compile(r"^(?P<prefix>.*?)(?:ground_)?force_(?P<kind>[vp])(?P<axis>[xyz])$")


def _units(declared: str | None) -> str | None:
    text = (declared or "").strip().lower()
    return text if text in LENGTH_UNITS else None


def _c3d_value(params: dict[str, Any], group: str, key: str) -> list[Any]:
    try:
        return list(params[group][key]["value"])
    except (KeyError, TypeError):
        return []


def _c3d_markers(c3d: dict[str, Any], path: Path) -> Markers:
    params = c3d["parameters"]
    labels = [str(s).strip() for s in _c3d_value(params, "POINT", "LABELS")]
    rate = float(_c3d_value(params, "POINT", "RATE")[0])
    points = np.asarray(c3d["data"]["points"][:3], dtype=float)  # (3, k, n)
    first = int(c3d["header"]["points"]["first_frame"])
    times = (first + np.arange(points.shape[2])) / rate
    positions = {}
    for i, label in enumerate(labels[: points.shape[1]]):
        xyz = points[:, i, :].T.copy()
        xyz[np.all(xyz == 0.0, axis=1)] = np.nan  # many exporters write a lost marker as (0, 0, 0)
        positions[label] = xyz
    declared = [str(u) for u in _c3d_value(params, "POINT", "UNITS")]
    units = _units(declared[0] if declared else None)
    meta = {"format": "c3d", "units_declared": declared[0] if declared else "", "rate_hz": rate}
    return Markers(times=times, positions=positions, units=units or "", source=str(path), meta=meta)


def _c3d_forces(c3d: dict[str, Any], first_time: float) -> list[Forces]:
    plates = c3d["data"].get("platform", [])
    rate = float((_c3d_value(c3d["parameters"], "ANALOG", "RATE") or [0.0])[0])
    out = []
    for k, plate in enumerate(plates):
        force = np.asarray(plate["force"], dtype=float).T
        if force.size == 0 or rate <= 0:
            continue
        cop = np.asarray(plate["center_of_pressure"], dtype=float).T
        unit = _units(str(plate.get("unit_position", "mm"))) or "mm"
        times = first_time + np.arange(len(force)) / rate
        out.append(
            Forces(
                times=times, force=force, cop=cop, name=f"plate {k + 1}", units=unit, meta={"format": "c3d"}
            )
        )
    return out


def read_c3d(path: PathLike) -> tuple[Markers, list[Forces]]:
    """Read the markers and force platforms of a C3D file with ezc3d.

    Parameters
    ----------
    path : str or PathLike
        The .c3d file.

    Returns
    -------
    markers : Markers
        File axes; ``units`` from POINT:UNITS ("" when the file does not say).
    forces : list of Forces
        One per force platform that holds analog data (file axes, centre of pressure in the
        platform's position unit); empty when the file has none.

    Raises
    ------
    MocapFileError
        When ezc3d cannot read the file.
    """
    import ezc3d

    p = Path(path)
    if not p.is_file():
        raise MocapFileError(f"{p} does not exist; check the path.")
    try:
        c3d = ezc3d.c3d(str(p), extract_forceplat_data=True)
    except (RuntimeError, OSError, ValueError) as exc:  # what ezc3d raises on a corrupt file
        raise MocapFileError(
            f"{p} is not a readable C3D file ({exc}); re-export it from the capture software."
        ) from exc
    markers = _c3d_markers(c3d, p)
    t0 = float(markers.times[0]) if len(markers.times) else 0.0
    return markers, _c3d_forces(c3d, t0)


def read_trc_markers(path: PathLike) -> Markers:
    """Read an OpenSim TRC file as :class:`Markers` (file axes, units from its header)."""
    trc = read_trc(path)
    meta = {"format": "trc", "units_declared": trc.units, "rate_hz": trc.rate}
    return Markers(
        times=trc.times, positions=trc.markers, units=_units(trc.units) or "", source=str(path), meta=meta
    )


def read_grf_mot(path: PathLike, *, cop_units: str = "m") -> list[Forces]:
    """Read an OpenSim ground-reaction-force .mot file: one :class:`Forces` per column prefix.

    Columns follow OpenSim's naming, ``<prefix>ground_force_vx`` ... ``_vz`` for the force (N)
    and ``<prefix>ground_force_px`` ... ``_pz`` for the point of application (``cop_units``);
    the prefix (e.g. "R_", "1_", "") names the plate or foot.
    """
    mot = read_mot(path)
    groups: dict[str, dict[str, np.ndarray]] = {}
    for col, values in mot.columns.items():
        m = _GRF_COLUMN.match(col)
        if m:
            groups.setdefault(m["prefix"], {})[m["kind"] + m["axis"]] = values
    out = []
    for prefix, cols in groups.items():
        if not all(f"v{a}" in cols for a in "xyz"):
            continue
        force = np.column_stack([cols[f"v{a}"] for a in "xyz"])
        cop = np.column_stack([cols[f"p{a}"] for a in "xyz"]) if all(f"p{a}" in cols for a in "xyz") else None
        name = prefix.strip("_") or "plate"
        out.append(
            Forces(times=mot.times, force=force, cop=cop, name=name, units=cop_units, meta={"format": "mot"})
        )
    if not out:
        raise MocapFileError(f"{path} has no '<prefix>ground_force_vx/vy/vz' columns; it is not a GRF file.")
    return out


def _read_table(path: PathLike) -> tuple[list[str], np.ndarray]:
    p = Path(path)
    try:
        with p.open(encoding="utf-8", errors="replace") as fh:
            names = fh.readline().rstrip("\r\n").split("\t")
            table = np.loadtxt(fh, delimiter="\t", ndmin=2)
    except OSError as exc:
        raise MocapFileError(f"cannot read {p}: {exc.strerror}; check the path.") from exc
    except ValueError as exc:
        raise MocapFileError(
            f"{p} holds a value that is not a number ({exc}); expected a tab-separated table."
        ) from exc
    names = [n.strip() for n in names]
    if table.shape[1] != len(names):
        raise MocapFileError(f"{p} names {len(names)} columns but its rows hold {table.shape[1]}.")
    return names, table


def _times(
    column: np.ndarray, rate: float | None, path: PathLike, duration_s: float | None = None
) -> tuple[np.ndarray, str]:
    """Seconds from a time column that holds either seconds or sample numbers."""
    steps = np.diff(column)
    is_index = column.size > 1 and np.allclose(steps, 1.0) and np.allclose(column, np.round(column))
    if is_index:
        if rate is None and duration_s:
            rate = column.size / duration_s
            return (column - column[0]) / rate, f"sample numbers at {rate:g} Hz (from the paired duration)"
        if rate is None:
            raise MocapFileError(
                f"{path} numbers its samples instead of giving seconds; give its sampling rate."
            )
        return (column - column[0]) / rate, "sample numbers"
    if rate is not None:
        return column[0] + np.arange(column.size) / rate, "seconds (declared rate)"
    span = float(column[-1] - column[0])
    estimate = (column.size - 1) / span if span > 0 else 0.0
    if estimate > 0 and abs(estimate - round(estimate)) < 1e-3 * estimate:
        # A time column rounded to milliseconds: take the whole-hertz rate it stands for.
        return column[0] + np.arange(column.size) / round(estimate), f"seconds at {round(estimate)} Hz"
    return column[0] + np.arange(column.size) * span / max(column.size - 1, 1), "seconds"


def read_marker_table(path: PathLike, *, rate: float | None = None, units: str | None = None) -> Markers:
    """Read markers from a tab-separated table (``Time``, then ``<name>X``, ``<name>Y``, ``<name>Z``).

    Parameters
    ----------
    path : str or PathLike
        The table.
    rate : float, optional
        Sampling rate in Hz; the time column's (rounded) seconds are evened out when omitted.
    units : str, optional
        "mm", "cm" or "m"; left "" (to be guessed from the data) when omitted.
    """
    names, table = _read_table(path)
    times, kind = _times(table[:, 0], rate, path)
    positions: dict[str, np.ndarray] = {}
    for i in range(1, len(names) - 2):
        a, b, c = names[i : i + 3]
        if a[:-1] and a[-1:] == "X" and b == a[:-1] + "Y" and c == a[:-1] + "Z":
            xyz = table[:, i : i + 3].copy()
            xyz[np.all(xyz == 0.0, axis=1)] = np.nan
            positions[a[:-1]] = xyz
    if not positions:
        raise MocapFileError(
            f"{path} has no '<marker>X <marker>Y <marker>Z' columns; it is not a marker table."
        )
    meta = {"format": "table", "time_column": kind, "units_declared": units or ""}
    return Markers(times=times, positions=positions, units=_units(units) or "", source=str(path), meta=meta)


def read_force_table(
    path: PathLike, *, rate: float | None = None, cop_units: str = "mm", duration_s: float | None = None
) -> Forces:
    """Read one force plate from a tab-separated table with ``Fx Fy Fz`` (N) and optional ``COPx COPy COPz``.

    Parameters
    ----------
    path : str or PathLike
        The table.
    rate : float, optional
        Sampling rate, Hz, when the first column numbers the samples.
    cop_units : str
        Length unit of the centre-of-pressure columns.
    duration_s : float, optional
        Duration of the acquisition (e.g. of the paired marker table), seconds: when the first
        column numbers the samples and ``rate`` is not given, the rate is samples / duration.
    """
    names, table = _read_table(path)
    lower = [n.lower() for n in names]
    if not all(f"f{a}" in lower for a in "xyz"):
        raise MocapFileError(f"{path} has no Fx, Fy, Fz columns; it is not a force table.")
    force = np.column_stack([table[:, lower.index(f"f{a}")] for a in "xyz"])
    cop = None
    if all(f"cop{a}" in lower for a in "xyz"):
        cop = np.column_stack([table[:, lower.index(f"cop{a}")] for a in "xyz"])
    times, kind = _times(table[:, 0], rate, path, duration_s)
    meta = {"format": "table", "time_column": kind}
    return Forces(times=times, force=force, cop=cop, name=Path(path).stem, units=cop_units, meta=meta)
