"""The assessment report (HTML and PDF) and `kinechain assess` end to end on the bundled real clip.

The clip is tests/data/video/male_side.mp4 (treadmill running, side view; MIT, see its
PROVENANCE.md); pose comes from its recorded MediaPipe keypoints (replay), so no model is needed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from kinechain.cli import app, parse_clip_spec
from kinechain.clinic.assessment import Assessment
from kinechain.clinic.intake import Intake
from kinechain.errors import ConfigError
from kinechain.model.result import Analysis
from kinechain.pipeline import analyze
from kinechain.report.assessment import ClinicInfo, load_clinic, write_assessment_report

ROOT = Path(__file__).resolve().parents[2]
VIDEO = ROOT / "tests" / "data" / "video" / "male_side.mp4"
KEYS = ROOT / "tests" / "data" / "video" / "male_side.mediapipe-full.json"
INTAKE = ROOT / "tests" / "data" / "clinic" / "intake-runner.yaml"
CLINIC = ClinicInfo(name="Example Physio", phone="+44 20 0000 0000", booking_url="https://example.org/book")


@pytest.fixture(scope="module")
def running() -> Analysis:
    """The real treadmill clip, analysed once from its recorded keypoints."""
    return analyze(VIDEO, keypoints=KEYS)


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def test_report_html_and_pdf(tmp_path: Path, running: Analysis, make_intake: Callable[..., Intake]) -> None:
    asm = Assessment(intake=make_intake(), results=[running.result])
    html, pdf = tmp_path / "r.html", tmp_path / "r.pdf"
    findings, plan = write_assessment_report(asm, html=html, pdf=pdf, clips=[running], clinic=CLINIC)
    page = html.read_text()
    cadence = running.result.measure("running.cadence")
    assert cadence is not None and cadence.value is not None
    # summary first, then findings, measures, plan, evidence, clinic block, disclaimer
    order = [page.index(f'id="{s}"') for s in ("summary", "findings", "measures", "plan", "evidence")]
    assert order == sorted(order)
    assert page.index('class="clinic"') > order[-1] and "not a diagnosis" in page
    assert f"{cadence.value:.0f} steps/min" in page
    assert "data:image/jpeg;base64," in page  # key frames from the real video
    assert "data:image/svg+xml;base64," in page  # plots
    assert "<svg" in page  # band bars and stick figures
    beat = round(cadence.value * 1.05)
    assert f"{beat}</span> beats/min" in page
    text = _pdf_text(pdf)
    for expected in (
        "Knee pain screening report",
        "Summary",
        findings.flagged()[0].title,
        "Findings along the kinetic chain",
        "Measures with bands",
        f"{plan.weeks}-week plan",
        f"{beat} beats/min",
        "Pain monitoring",
        "Silbernagel 2007",
        "Example Physio",
        "https://example.org/book",
        "not a diagnosis",
    ):
        assert expected in text, expected
    # issue 15: education before the exercises, the evidence reference beside the report and linked,
    # and the closing note of every new rule with its source
    assert page.index("First: understanding your knee") < page.index("<h3>Exercises</h3>")
    assert (tmp_path / "clinical-evidence.md").read_text().startswith("# Clinical evidence reference")
    assert 'href="clinical-evidence.md"' in page
    assert "Rules used in this report and their sources" in text and "deep-vein thrombosis" in page.lower()
    assert "not been reviewed and signed by a clinician" in text


def test_red_flag_report_has_stop_and_no_plan(
    tmp_path: Path, running: Analysis, make_intake: Callable[..., Intake], intake_doc: dict[str, Any]
) -> None:
    it = make_intake(red_flags={**intake_doc["red_flags"], "locked_knee": True})
    pdf = tmp_path / "stop.pdf"
    findings, plan = write_assessment_report(Assessment(intake=it, results=[running.result]), pdf=pdf)
    assert findings.stopped and plan.stopped
    text = _pdf_text(pdf)
    assert "See a doctor within the next few days" in text
    assert "something caught inside the joint" in text
    assert "week plan" not in text and "Pain monitoring" not in text
    # the report ends at the referral: no findings story, no running advice
    assert "Findings along the kinetic chain" not in text and "Metronome" not in text


def test_cli_assess_end_to_end(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(
        "name: Example Physio\nphone: '+44 20 0000 0000'\nbooking_url: https://example.org/book\n"
    )
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        [
            "assess",
            "--clip",
            f"running:side:{VIDEO}@{KEYS}",
            "--intake",
            str(INTAKE),
            "--out",
            str(out),
            "--clinic",
            str(clinic),
        ],
    )
    assert res.exit_code == 0, res.output
    record = json.loads((out / "assessment.json").read_text())
    assert record["schema_version"] == "kinechain.assessment/1"
    assert record["results"][0]["test"] == "running" and record["results"][0]["view"]["view"] == "left"
    assert "plan: 8 weeks" in res.output
    assert "Running mechanics" in _pdf_text(out / "report.pdf")
    # the editable plan: a clinician reorders it, adds a note, signs it; the report shows it
    plan = yaml.safe_load((out / "plan.yaml").read_text())
    plan["items"] = plan["items"][::-1]
    plan["items"][0]["note"] = "slow on the way down"
    (out / "plan.yaml").write_text(yaml.safe_dump(plan))
    res = CliRunner().invoke(app, ["sign-plan", str(out / "plan.yaml"), "--by", "A. Physio"])
    assert res.exit_code == 0, res.output
    signed = tmp_path / "signed"
    args = ["assess", "--clip", f"running:side:{VIDEO}@{KEYS}", "--intake", str(INTAKE), "--no-pdf"]
    res = CliRunner().invoke(app, [*args, "--out", str(signed), "--plan", str(out / "plan.yaml")])
    assert res.exit_code == 0, res.output
    page = (signed / "report.html").read_text()
    assert "Reviewed and signed by A. Physio on" in page and "slow on the way down" in page
    assert not (signed / "plan.yaml").exists()  # the signed file stays the clinician's own

    # a second assessment of the same clip: everything within measurement error or without SDD
    out2 = tmp_path / "out2"
    CliRunner().invoke(
        app,
        [
            "assess",
            "--clip",
            f"running:side:{VIDEO}@{KEYS}",
            "--intake",
            str(INTAKE),
            "--out",
            str(out2),
            "--no-pdf",
        ],
    )
    prog = tmp_path / "prog"
    res = CliRunner().invoke(
        app, ["reassess", str(out / "assessment.json"), str(out2 / "assessment.json"), "--out", str(prog)]
    )
    assert res.exit_code == 0, res.output
    page = (prog / "progress.html").read_text()
    assert "within measurement error" in page and "real improvement" not in page
    assert "Progress report" in _pdf_text(prog / "progress.pdf")


def test_clip_spec_parsing(tmp_path: Path) -> None:
    assert parse_clip_spec("running:side:a/b.mp4") == ("running", "side", Path("a/b.mp4"), None)
    assert parse_clip_spec("running:auto:c:/x.mp4@k.json") == (
        "running",
        "auto",
        Path("c:/x.mp4"),
        Path("k.json"),
    )
    with pytest.raises(ConfigError, match="TEST:VIEW:VIDEO"):
        parse_clip_spec("running.mp4")


def test_clinic_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "clinic.yaml"
    bad.write_text("name: X\nfax: 123\n")
    with pytest.raises(Exception, match="allowed: name, phone, booking_url"):
        load_clinic(bad)
