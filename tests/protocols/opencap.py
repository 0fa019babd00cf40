"""Read an OpenSim .mot coordinates file (as written by OpenCap) into named columns."""

from pathlib import Path

import numpy as np


def read_mot(path: Path) -> dict[str, np.ndarray]:
    """Columns of a .mot file by name (time in s, angles in degrees, translations in m)."""
    lines = path.read_text().splitlines()
    end = next(i for i, line in enumerate(lines) if line.strip() == "endheader")
    names = lines[end + 1].split()
    data = np.loadtxt(lines[end + 2 :])
    return {name: data[:, i] for i, name in enumerate(names)}
