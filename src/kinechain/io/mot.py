"""OpenSim storage files (.mot / .sto): a short header ending in ``endheader``, then a table.

Used for joint angles (``inDegrees=yes``) and for ground reaction forces (columns such as
``R_ground_force_vx`` and ``R_ground_force_px``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kinechain.errors import MocapFileError

PathLike = str | os.PathLike[str]


@dataclass(frozen=True, eq=False)
class MotData:
    """A table read from a .mot or .sto file.

    Attributes
    ----------
    times : ndarray, shape (n,)
        The ``time`` column, seconds.
    columns : dict of str to ndarray
        Every other column, shape (n,), in file order.
    header : dict of str to str
        ``key=value`` lines of the header (e.g. ``inDegrees``), plus ``name`` (its first line).
    """

    times: np.ndarray
    columns: dict[str, np.ndarray]
    header: dict[str, str] = field(default_factory=dict)

    @property
    def in_degrees(self) -> bool:
        """True when the header says angles are in degrees (OpenSim's default when absent: no)."""
        return self.header.get("inDegrees", "no").strip().lower() == "yes"


def _split_header(lines: list[str], path: Path) -> tuple[dict[str, str], int]:
    header: dict[str, str] = {}
    for i, line in enumerate(lines):
        text = line.strip()
        if text.lower() == "endheader":
            return header, i + 1
        if "=" in text:
            key, value = text.split("=", 1)
            header[key.strip()] = value.strip()
        elif i == 0 and text:
            header["name"] = text
    raise MocapFileError(f"{path} has no 'endheader' line; it is not an OpenSim .mot/.sto file.")


def read_mot(path: PathLike) -> MotData:
    """Read an OpenSim .mot or .sto file.

    Parameters
    ----------
    path : str or PathLike
        The file.

    Returns
    -------
    MotData
        The ``time`` column (s), every other column by name, and the header keys.

    Raises
    ------
    MocapFileError
        When the header or a value cannot be read, or there is no ``time`` column.
    """
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise MocapFileError(f"cannot read {p}: {exc.strerror}; check the path.") from exc
    header, start = _split_header(lines, p)
    if start >= len(lines):
        raise MocapFileError(f"{p} has a header but no column names.")
    names = lines[start].split()
    try:
        table = (
            np.loadtxt(lines[start + 1 :], ndmin=2) if len(lines) > start + 1 else np.zeros((0, len(names)))
        )
    except ValueError as exc:
        raise MocapFileError(f"{p} holds a value that is not a number: {exc}.") from exc
    if table.shape[1] != len(names):
        raise MocapFileError(f"{p} names {len(names)} columns but its rows hold {table.shape[1]}.")
    if "time" not in names:
        raise MocapFileError(f"{p} has no 'time' column; OpenSim storage files need one.")
    cols = {name: table[:, i] for i, name in enumerate(names)}
    return MotData(times=cols.pop("time"), columns=cols, header=header)


def write_mot(
    path: PathLike,
    times: np.ndarray,
    columns: dict[str, np.ndarray],
    *,
    name: str | None = None,
    in_degrees: bool = True,
) -> Path:
    """Write a table as an OpenSim .mot file (NaN written as ``nan``, which OpenSim reads).

    Parameters
    ----------
    path : str or PathLike
        Where to write.
    times : ndarray, shape (n,)
        Seconds.
    columns : dict of str to ndarray
        Columns of shape (n,), e.g. joint angles in degrees.
    name : str, optional
        The header's first line; the file name when omitted.
    in_degrees : bool
        Written as ``inDegrees=yes`` or ``no``.

    Returns
    -------
    Path
        The path written.
    """
    p = Path(path)
    names = ["time", *columns]
    table = np.column_stack([np.asarray(times, float)] + [np.asarray(columns[c], float) for c in columns])
    head = [
        name or p.stem,
        "version=1",
        f"nRows={table.shape[0]}",
        f"nColumns={table.shape[1]}",
        f"inDegrees={'yes' if in_degrees else 'no'}",
        "endheader",
        "\t".join(names),
    ]
    body = ["\t".join(f"{v:.6f}" if np.isfinite(v) else "nan" for v in row) for row in table]
    p.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    return p
