"""The knowledge files: they load, every rule carries its evidence, and bad files are refused."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from kinechain.clinic import knowledge as kmod
from kinechain.clinic.knowledge import FACTORS, Knowledge, read_data

ROOT = Path(__file__).resolve().parents[2]
#: Names that the issue asks not to ship item text of.
LICENSED = ("KOOS", "Kujala", "AKPS", "Foot Posture Index manual")


def test_all_files_load_and_cover_every_factor() -> None:
    kb = kmod.knowledge()
    lib = kmod.exercise_library()
    assert tuple(kb.factors) == FACTORS
    for factor in FACTORS:
        assert any(factor in e.factors for e in lib.exercises), factor
    assert len(kmod.red_flags().flags) >= 10
    assert {q.field for q in kmod.intake_questions().questions} >= {
        "age",
        "sex",
        "pain_location",
        "pain_now",
        "pain_worst_running",
        "onset",
        "aggravating",
        "weekly_km",
        "volume_change",
        "known_diagnosis",
        "psfs",
        "self_tests",
    }


def test_every_rule_cites_a_source_and_a_strength_mark() -> None:
    for rule in kmod.knowledge().rules:
        assert rule.citation.strip(), rule.id
        assert rule.strength in ("E", "W", "U"), rule.id
        assert rule.band_basis.strip(), rule.id
        if rule.sdd is not None:
            assert rule.sdd.citation.strip() and rule.sdd.strength in ("E", "W", "U"), rule.id


def test_banded_rules_explain_computed_thresholds() -> None:
    """A threshold that is not printed in band_basis must be explained in derivation."""
    for rule in kmod.knowledge().rules:
        for bands in (rule.bands or {}).values():
            for cond in (bands.notable, bands.borderline):
                if cond is None:
                    continue
                text = f"{rule.band_basis} {rule.derivation or ''}"
                assert f"{cond.threshold:g}" in text, (rule.id, cond.threshold)


def test_exercises_cite_evidence_or_convention() -> None:
    for e in kmod.exercise_library().exercises:
        assert e.evidence.strength in ("E", "W", "U")
        assert e.evidence.citation.strip()
        assert e.how_to and e.progression is not None


#: Where a licensed score may be named: the fields for its clinician-entered total (issue 15).
TOTALS_ONLY = ("koos_pf", "akps")


def _without_totals(doc: Any) -> Any:
    """The YAML document without the entries that name a score to take its total."""
    if isinstance(doc, dict):
        if doc.get("field") in TOTALS_ONLY:
            return {}
        return {k: _without_totals(v) for k, v in doc.items() if k not in TOTALS_ONLY}
    if isinstance(doc, list):
        return [_without_totals(v) for v in doc]
    return doc


def test_no_licensed_questionnaire_text_is_shipped() -> None:
    data = Path(kmod.__file__).parent / "data"
    # rule_notes.yaml names the scores whose totals are judged (no items): checked by hand
    for path in (p for p in data.glob("*.yaml") if p.name != "rule_notes.yaml"):
        body = yaml.safe_dump(_without_totals(yaml.safe_load(path.read_text())))
        for name in LICENSED:
            assert name not in body, (path.name, name)
    # the total fields themselves hold a name and a range, never an item
    questions = {q.field: q for q in kmod.intake_questions().questions}
    for field in TOTALS_ONLY:
        assert questions[field].choices is None and "no item text" in questions[field].text


def _rules_doc() -> dict[str, Any]:
    return read_data("rules.yaml")


def test_unknown_factor_is_refused() -> None:
    doc = _rules_doc()
    doc["rules"][0]["factors"] = ["knee_magic"]
    with pytest.raises(ValidationError, match="unknown factor"):
        Knowledge.model_validate(doc)


def test_contradictory_thresholds_are_refused() -> None:
    doc = _rules_doc()
    rule = next(r for r in doc["rules"] if r["id"] == "knee_flexion_midstance")
    rule["bands"]["any"]["notable"] = {"at_or_below": 190}
    with pytest.raises(ValidationError, match="contradict"):
        Knowledge.model_validate(doc)


def test_rule_without_citation_is_refused() -> None:
    doc = _rules_doc()
    del doc["rules"][0]["citation"]
    with pytest.raises(ValidationError):
        Knowledge.model_validate(doc)


def test_bad_file_gives_one_clear_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from kinechain.errors import ConfigError

    def broken(name: str) -> Any:
        doc = yaml.safe_load((Path(kmod.__file__).parent / "data" / name).read_text())
        doc["rules"][0]["strength"] = "X"
        return doc

    from kinechain.clinic import knowledge_base

    monkeypatch.setattr(knowledge_base, "read_data", broken)
    with pytest.raises(ConfigError, match=r"rules.yaml is invalid at rules\.0\.strength"):
        knowledge_base._parse(Knowledge, "rules.yaml")


def test_docs_list_every_rule() -> None:
    doc = (ROOT / "docs" / "clinic.md").read_text()
    for rule in kmod.knowledge().rules:
        assert f"`{rule.id}`" in doc, rule.id
    for flag in kmod.red_flags().flags:
        assert f"`{flag.id}`" in doc, flag.id


def test_docs_rule_table_is_current() -> None:
    """docs/clinic.md's rule table is generated from rules.yaml (scripts/clinic_rules_table.py)."""
    from kinechain.clinic.docs import rules_table

    doc = (ROOT / "docs" / "clinic.md").read_text()
    assert rules_table() in doc


def test_package_data_is_in_the_wheel(tmp_path: Path) -> None:
    """The wheel built by hatchling carries the YAML knowledge files and the report templates."""
    hatch = pytest.importorskip("hatchling.builders.wheel")
    builder = hatch.WheelBuilder(str(ROOT))
    wheel = Path(next(iter(builder.build(directory=str(tmp_path), versions=["standard"]))))
    names = set(zipfile.ZipFile(wheel).namelist())
    data = ("rules.yaml", "exercises.yaml", "red_flags.yaml", "intake_questions.yaml", "figures.yaml")
    for name in (*data, "education.yaml", "clinical-evidence.md"):
        assert f"kinechain/clinic/data/{name}" in names
    assert "kinechain/report/templates/assessment.html" in names
    assert any(re.search(r"assessment_style\.css$", n) for n in names)


def test_shipped_evidence_reference_matches_the_project_one(shared_data: Path) -> None:
    """The evidence document reports link to is shipped unchanged (issue 15)."""
    from kinechain.clinic.knowledge import evidence_text

    project = shared_data.parent / "docs" / "clinical-evidence.md"
    if not project.exists():
        pytest.skip("the project's clinical-evidence.md is not beside the checkout")
    assert evidence_text() == project.read_text(encoding="utf-8")
    assert "## 10. Red flags" in evidence_text()
