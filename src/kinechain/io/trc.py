"""OpenSim TRC marker files (tab-separated, version 4 header): read and write.

A TRC file holds named 3D point trajectories: a five-line header (file type, the keys and values
of the data rate, frame count, marker count and units, then the marker names and their X/Y/Z
column labels), then one row per frame: frame number, time in seconds, and x, y, z of every
marker. Missing samples are empty fields.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kinechain.errors import MocapFileError

PathLike = str | os.PathLike[str]


@dataclass(frozen=True, eq=False)
class TrcData:
    """Marker trajectories read from a TRC file.

    Attributes
    ----------
    times : ndarray, shape (n,)
        Seconds.
    markers : dict of str to ndarray
        Each marker's positions, shape (n, 3), in ``units`` and the file's axes; NaN where missing.
    units : str
        Length unit from the header ("mm", "m", "cm"); "" when the header leaves it out.
    rate : float
        Sampling rate from the header (DataRate), Hz.
    header : dict of str to str
        Every key of the header's second and third lines.
    """

    times: np.ndarray
    markers: dict[str, np.ndarray]
    units: str
    rate: float
    header: dict[str, str] = field(default_factory=dict)


def _fields(line: str) -> list[str]:
    return line.rstrip("\r\n").split("\t")


def _header(lines: list[str], path: Path) -> tuple[dict[str, str], list[str]]:
    if len(lines) < 5 or not lines[0].startswith("PathFileType"):
        raise MocapFileError(
            f"{path} is not a TRC file (no 'PathFileType' header); export it as OpenSim TRC."
        )
    keys = [k.strip() for k in _fields(lines[1])]
    values = [v.strip() for v in _fields(lines[2])]
    header = dict(zip(keys, values, strict=False))
    names = [n.strip() for n in _fields(lines[3])[2:]]
    markers = [n for n in names[::3] if n]
    if not markers:
        raise MocapFileError(f"{path} names no markers on its fourth line; check the TRC header.")
    return header, markers


def _rows(lines: list[str], n_cols: int, path: Path) -> np.ndarray:
    rows = []
    for number, line in enumerate(lines, start=6):
        if not line.strip():
            continue
        cells = _fields(line)[:n_cols]
        cells += [""] * (n_cols - len(cells))
        try:
            rows.append([float(c) if c.strip() else np.nan for c in cells])
        except ValueError as exc:
            raise MocapFileError(f"{path} line {number} holds a value that is not a number: {exc}.") from exc
    if not rows:
        raise MocapFileError(f"{path} holds a header but no frames.")
    return np.asarray(rows, dtype=float)


def read_trc(path: PathLike) -> TrcData:
    """Read an OpenSim TRC file.

    Parameters
    ----------
    path : str or PathLike
        The .trc file.

    Returns
    -------
    TrcData
        Times (s), marker positions (n, 3) in the file's units and axes, units and rate.

    Raises
    ------
    MocapFileError
        When the file is not a TRC file or a value cannot be read.
    """
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise MocapFileError(f"cannot read {p}: {exc.strerror}; check the path.") from exc
    header, names = _header(lines, p)
    data = _rows(lines[5:], 2 + 3 * len(names), p)
    markers = {name: data[:, 2 + 3 * i : 5 + 3 * i].copy() for i, name in enumerate(names)}
    rate = float(header.get("DataRate", "nan") or "nan")
    times = data[:, 1]
    if not np.isfinite(rate) and len(times) > 1:
        rate = float(1.0 / np.median(np.diff(times)))
    return TrcData(times=times, markers=markers, units=header.get("Units", ""), rate=rate, header=header)


def write_trc(
    path: PathLike,
    times: np.ndarray,
    markers: dict[str, np.ndarray],
    *,
    units: str = "m",
    rate: float | None = None,
) -> Path:
    """Write marker trajectories as an OpenSim TRC file (NaN written as empty fields).

    Parameters
    ----------
    path : str or PathLike
        Where to write.
    times : ndarray, shape (n,)
        Seconds.
    markers : dict of str to ndarray
        Each marker's positions, shape (n, 3), in ``units`` (OpenSim expects Y up).
    units : str
        Length unit written in the header ("m" or "mm").
    rate : float, optional
        Data rate in Hz; the median of the time steps when omitted.

    Returns
    -------
    Path
        The path written.
    """
    p = Path(path)
    n = len(times)
    if rate is None:
        rate = float(1.0 / np.median(np.diff(times))) if n > 1 else 0.0
    names = list(markers)
    head = [
        f"PathFileType\t4\t(X/Y/Z)\t{p.name}",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames",
        f"{rate:g}\t{rate:g}\t{n}\t{len(names)}\t{units}\t{rate:g}\t1\t{n}",
        "Frame#\tTime\t" + "\t".join(f"{name}\t\t" for name in names),
        "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, len(names) + 1)),
        "",
    ]
    block = np.concatenate([np.asarray(markers[m], float).reshape(n, 3) for m in names], axis=1)
    body = []
    for i in range(n):
        cells = ["" if not np.isfinite(v) else f"{v:.6f}" for v in block[i]]
        body.append(f"{i + 1}\t{times[i]:.6f}\t" + "\t".join(cells))
    p.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    return p
