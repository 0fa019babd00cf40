"""Assessment: one person's intake plus the analysed clips of one session, as a JSON record.

Two saved assessments of the same person are what :mod:`kinechain.clinic.reassess` compares.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kinechain._version import __version__
from kinechain.clinic.intake import Intake, self_test_measures
from kinechain.clinic.strength import dynamometer_measures
from kinechain.errors import InputError
from kinechain.model.measures import MeasureSet
from kinechain.model.result import AnalysisResult

ASSESSMENT_SCHEMA = "kinechain.assessment/1"


class Assessment(BaseModel):
    """The record of one assessment session.

    Attributes
    ----------
    intake : Intake
        What the person reported (red flags, pain, PSFS, self-tests).
    results : list of AnalysisResult
        One per analysed clip (test, view, measures, events).
    created : datetime
        When the record was made (UTC).
    """

    model_config = ConfigDict(frozen=True)

    schema_version: Literal["kinechain.assessment/1"] = "kinechain.assessment/1"
    kinechain_version: str = __version__
    created: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))
    intake: Intake
    results: list[AnalysisResult] = Field(default_factory=list)

    @property
    def date(self) -> date:
        """The assessment date (from the intake)."""
        return self.intake.assessment_date

    def measure_sets(self) -> list[MeasureSet]:
        """Every test's measures, plus the self-tests ("self_tests") and dynamometry ("hhd") sets."""
        sets = [MeasureSet(test=r.test, view=r.view.view, measures=r.measures) for r in self.results]
        extra = [self_test_measures(self.intake), dynamometer_measures(self.intake)]
        return sets + [s for s in extra if s.measures]

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the record as JSON and return the path."""
        p = Path(path)
        p.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        return p


def load_assessment(path: str | os.PathLike[str]) -> Assessment:
    """Read a saved assessment JSON; InputError names the problem."""
    p = Path(path)
    try:
        return Assessment.model_validate_json(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"the assessment file {p} cannot be read ({exc}); check the path.") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InputError(
            f"the assessment file {p} is not a kinechain assessment ({where}: {first['msg']}); "
            "pass a file written by `kinechain assess`."
        ) from exc
