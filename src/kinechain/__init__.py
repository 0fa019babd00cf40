"""kinechain: kinetic-chain screening for runners' knee pain from ordinary phone videos.

>>> import kinechain
>>> analysis = kinechain.analyze("run.mp4", test="running", view="side")  # doctest: +SKIP
>>> analysis.result.measure("running.cadence").value  # doctest: +SKIP
"""

from kinechain._version import __version__
from kinechain.pipeline import Analysis, analyze

__all__ = ["Analysis", "__version__", "analyze"]
