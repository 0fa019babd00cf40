"""kinechain: kinetic-chain screening for runners' knee pain from ordinary phone videos.

>>> import kinechain
>>> analysis = kinechain.analyze("run.mp4", test="running", view="side")  # doctest: +SKIP
>>> analysis.result.measure("running.cadence").value  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kinechain._version import __version__

if TYPE_CHECKING:
    from kinechain.model.result import Analysis
    from kinechain.pipeline import analyze

__all__ = ["Analysis", "__version__", "analyze"]


def __getattr__(name: str) -> Any:
    """Import the pipeline on first use, so ``import kinechain`` and the CLI start quickly."""
    if name in ("Analysis", "analyze"):
        from kinechain import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'kinechain' has no attribute {name!r}")
