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
from kinechain.clinic.knowledge import knowledge
from kinechain.clinic.strength import dynamometer_measures
from kinechain.errors import InputError
from kinechain.model.measures import Measure, MeasureSet
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
        """Every test's measures, plus the self-tests ("self_tests") and dynamometry ("hhd") sets.

        A clip the capture checks refused (analysed with the gate off: not the declared test, or
        not measurable reliably) gives only not-measurable records naming what to film.
        """
        sets = [
            MeasureSet(test=r.test, view=r.view.view, measures=_unusable(r) if r.refusals() else r.measures)
            for r in self.results
        ]
        extra = [self_test_measures(self.intake), dynamometer_measures(self.intake)]
        return sets + [s for s in extra if s.measures]

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the record as JSON and return the path."""
        p = Path(path)
        p.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        return p


def _unusable(result: AnalysisResult) -> list[Measure]:
    """Return a refused clip's measures as not-measurable records, the reason naming what to film."""
    info = knowledge().tests.get(result.test)
    film = info.film if info else "film the test again as docs/filming.md says"
    test = result.test.replace("_", " ")
    reason = f"this {test} clip was refused before measuring ({result.refusals()[0]}); {film}"
    return [
        m.model_copy(
            update={"value": None, "measurable": False, "confidence": 0.0, "reason": reason, "per_cycle": []}
        )
        for m in result.measures
    ]


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
