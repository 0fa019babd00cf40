"""Single-leg squat, filmed from the front (FPPA, knee displacement, pelvic drop, trunk lean) or side (depth).

The analysis is shared with the step-down (:mod:`kinechain.protocols.single_leg`); measure ids
are ``single_leg_squat.<suffix>``. Evidence: clinical-evidence.md section 1 (FPPA method,
reliability, reference values in the single-leg squat: Herrington 2014, Munro 2012).
"""

from kinechain.protocols.base import register
from kinechain.protocols.single_leg import SingleLegTest

PROTOCOL = register(SingleLegTest("single_leg_squat", "Single-leg squat"))
