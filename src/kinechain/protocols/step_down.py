"""Step-down from a 15-20 cm step, filmed from the front (FPPA, knee, pelvis, trunk) or the side (depth).

The same measures as the single-leg squat (:mod:`kinechain.protocols.single_leg`); measure ids
are ``step_down.<suffix>``. The FPPA method and its reliability (Willson 2006; Munro 2012) are
from squat, landing and drop-jump studies (clinical-evidence.md section 1); no step-down
reference values are in the evidence file.
"""

from kinechain.protocols.base import register
from kinechain.protocols.single_leg import SingleLegTest

PROTOCOL = register(SingleLegTest("step_down", "Step-down"))
