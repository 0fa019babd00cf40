"""Each measure's confidence rule lives in its Spec; the rule combines with the clip's evidence."""

from __future__ import annotations

import math

import pytest

from kinechain.protocols import measure_specs
from kinechain.protocols.common import build
from kinechain.protocols.confidence import ConfidenceRule, Evidence
from kinechain.protocols.spec import Spec


def test_every_measure_but_a_combined_one_declares_its_rule() -> None:
    specs = measure_specs()
    combined = {s.id for s in specs if s.id.endswith("asymmetry")}
    assert combined, "the asymmetry measures are combined from two legs"
    for s in specs:
        assert (s.confidence_rule is None) == (s.id in combined), s.id


def test_spec_confidence_multiplies_the_factors() -> None:
    spec = Spec("t.timed", "Timed", "deg", confidence_rule=ConfidenceRule(n_target=12, fps_target=60.0))
    # visibility 0.9 -> 1; sqrt(3 / 12) = 0.5; 30 / 60 fps = 0.5; geometry 0.8
    assert spec.confidence(Evidence(0.9, fps=30.0, geometry=0.8), 3) == pytest.approx(0.2)
    # visibility 0.7 -> (0.7 - 0.5) / 0.4 = 0.5; enough cycles and frames
    assert spec.confidence(Evidence(0.7, fps=120.0), 12) == pytest.approx(0.5)


def test_build_counts_only_the_finite_values() -> None:
    spec = Spec("t.angle", "Angle", "deg", confidence_rule=ConfidenceRule(n_target=3))
    m = build(spec, "left", [10.0, math.nan, 20.0], Evidence(0.9, fps=30.0), "front")
    assert m.n == 2
    assert m.value == pytest.approx(15.0)
    assert m.confidence == pytest.approx(round(math.sqrt(2 / 3), 3))


def test_a_combined_measure_has_no_confidence_of_its_own() -> None:
    spec = Spec("t.asymmetry", "Asymmetry", "deg")
    with pytest.raises(ValueError, match="no confidence rule"):
        spec.confidence(Evidence(0.9, fps=30.0), 3)
