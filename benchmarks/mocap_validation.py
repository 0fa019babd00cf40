"""Validation figures for docs/mocap.md: every shared mocap trial through the virtual camera.

Prints, per trial, frame rate and pixel noise, the errors of the 2D pipeline against force plates
and 3D markers (see kinechain.studies.mocap_validation). Reads ../shared/data/mocap (or $KINECHAIN_SHARED).

    PYTHONPATH=src python benchmarks/mocap_validation.py [--quick]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kinechain.mocap.camera import VirtualCamera
from kinechain.mocap.trial import load_trial
from kinechain.studies.mocap_validation import ValidationReport, validate_trial

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("KINECHAIN_SHARED", ROOT.parent / "shared")) / "data" / "mocap"
TRIALS = {
    "BMC T25": "bmc-running-RBDS001/RBDS001runT25markers.txt",
    "BMC T35": "bmc-running-RBDS001/RBDS001runT35.c3d",
    "RIC": "ric-running-20140515T133244/20140515T133244_run.c3d",
}
ROWS = (
    ("foot strike", "ms"),
    ("foot strike, Zeni anchors only", "ms"),
    ("toe-off", "ms"),
    ("toe-off, Zeni anchors only", "ms"),
    ("contact time", "ms"),
    ("cadence", "spm"),
    ("knee flexion at contact, end to end", "deg"),
    ("knee flexion at contact, same instant", "deg"),
    ("tibia angle at contact, end to end", "deg"),
    ("tibia angle at contact, same instant", "deg"),
    ("pelvic drop at midstance, end to end", "deg"),
    ("pelvic drop at midstance, same instant", "deg"),
    ("hip adduction at midstance, end to end", "deg"),
    ("hip adduction at midstance, same instant", "deg"),
)


def summary(report: ValidationReport) -> list[str]:
    """One line per quantity: bias/RMSE (n) for the left (near) and right (far) leg."""
    lines = []
    for quantity, unit in ROWS:
        cells = []
        for side in ("left", "right", "both"):
            r = report.get(quantity, side)
            if r is not None and r.n:
                met = "" if r.met is None else (" met" if r.met else " NOT MET")
                cells.append(f"{side}: {r.bias:+.1f}/{r.rmse:.1f} (n={r.n}){met}")
        if cells:
            lines.append(f"  {quantity} [{unit}] bias/RMSE  " + "  ".join(cells))
    return lines


def main() -> None:
    """Print the validation figures."""
    quick = "--quick" in sys.argv
    setups = [("left", 60.0, 0.0)]
    if not quick:
        setups += [("left", 30.0, 0.0), ("left", 120.0, 0.0), ("right", 60.0, 0.0)]
        setups += [("left", 60.0, 2.0), ("left", 30.0, 2.0)]
    for name, rel in TRIALS.items():
        trial = load_trial(SHARED / rel)
        for view, fps, noise in setups:
            report = validate_trial(trial, camera=VirtualCamera(view=view, fps=fps, noise_px=noise, seed=0))
            print(f"{name}: camera {view} side and back, {fps:g} fps, noise {noise:g} px")
            print("\n".join(summary(report)))


if __name__ == "__main__":
    main()
