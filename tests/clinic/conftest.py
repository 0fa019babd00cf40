"""Fixtures for the clinic tests: intake documents and measures with known values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kinechain.clinic.intake import Intake, parse_intake
from kinechain.model.measures import Measure, MeasureSet

CLINIC_DATA = Path(__file__).resolve().parents[1] / "data" / "clinic"


@pytest.fixture
def intake_doc() -> dict[str, Any]:
    """The example runner's intake as a plain dict (a fresh copy per test)."""
    return yaml.safe_load((CLINIC_DATA / "intake-runner.yaml").read_text())


@pytest.fixture
def make_intake(intake_doc: dict[str, Any]) -> Callable[..., Intake]:
    """Build an Intake from the example with some fields changed."""

    def make(**changes: Any) -> Intake:
        doc = {**intake_doc, **changes}
        return parse_intake(doc)

    return make


def measure(
    mid: str, value: float, unit: str, side: str = "both", confidence: float = 0.9, **kw: Any
) -> Measure:
    """A measurable Measure with a known value."""
    return Measure(
        id=mid,
        name=kw.pop("name", mid),
        value=value,
        unit=unit,
        side=side,
        n=kw.pop("n", 8),
        confidence=confidence,
        **kw,
    )


def mset(test: str, *measures: Measure, view: str | None = "front") -> MeasureSet:
    """A MeasureSet of one test."""
    return MeasureSet(test=test, view=view, measures=list(measures))


@pytest.fixture
def m() -> Callable[..., Measure]:
    """The measure factory."""
    return measure


@pytest.fixture
def ms() -> Callable[..., MeasureSet]:
    """The MeasureSet factory."""
    return mset
