"""Validation harness on the bundled real excerpts (BMC with force plates, RIC without)."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from kinechain.cli import app
from kinechain.mocap.camera import VirtualCamera
from kinechain.mocap.trial import load_trial
from kinechain.model.kinematics import Event
from kinechain.studies.mocap_validation import compare, format_row, match_events, validate_trial


@pytest.fixture(scope="module")
def bmc_report(data_dir):
    return validate_trial(load_trial(data_dir / "mocap" / "bmc" / "RBDS001runT25markers.txt"))


def test_compare_summarises_errors():
    row = compare("x", "left", "deg", [(1.0, 0.0), (3.0, 0.0), (np.nan, 1.0)], target=2.5)
    assert row.n == 2 and row.bias == 2.0 and row.rmse == pytest.approx(np.sqrt(5))
    assert row.met is True
    assert format_row(row)["result"].startswith("met")


def test_match_events_pairs_same_kind_and_side_within_the_window():
    truth = [Event("foot_strike", "left", 1.0, 0), Event("foot_strike", "right", 1.3, 0)]
    found = [Event("foot_strike", "left", 1.02, 0), Event("foot_strike", "left", 2.0, 0)]
    pairs = match_events(found, truth)
    assert [(a.time, b.time) for a, b in pairs] == [(1.02, 1.0)]


def test_bmc_excerpt_meets_the_issue_targets(bmc_report):
    r = bmc_report
    assert r.has_forces and r.meta["force_events"] >= 10
    cadence = r.get("cadence")
    assert cadence.n == 1 and abs(cadence.bias) < 0.5
    for side in ("left", "right"):
        strike = r.get("foot strike", side)
        # The heel anchor, kept as foot strike because real video marked by eye puts contact there
        # (docs/validation-results.md), comes 25-31 ms before the force-plate strike here.
        assert strike.n >= 4 and strike.rmse < 2 * 1000 / 60
        knee = r.get("knee flexion at contact, end to end", side)
        assert knee.n >= 4 and abs(knee.bias) < 3.0
        # The shipped events beat the Zeni anchors they start from.
        assert r.get("toe-off", side).rmse < r.get("toe-off, Zeni anchors only", side).rmse / 5
        assert r.get("foot strike", side).rmse <= r.get("foot strike, Zeni anchors only", side).rmse + 1.0


def test_bmc_excerpt_rear_view_against_3d(bmc_report):
    for side in ("left", "right"):
        for q in ("pelvic drop at midstance", "hip adduction at midstance"):
            same = bmc_report.get(f"{q}, same instant", side)
            assert same.n >= 3 and same.rmse < 2.0


def test_ric_excerpt_has_only_same_instant_rows(data_dir):
    report = validate_trial(load_trial(data_dir / "mocap" / "ric" / "20140515T133244_run.c3d"))
    assert not report.has_forces
    assert all("same instant" in r.quantity for r in report.rows)
    assert any("no toe landmark" in n for n in report.meta["notes"])
    knee = report.get("knee flexion at contact, same instant", "left")
    assert knee.n >= 4 and knee.rmse < 3.0


def test_pixel_noise_and_frame_rate_are_applied(data_dir):
    trial = load_trial(data_dir / "mocap" / "bmc" / "RBDS001runT25markers.txt")
    noisy = validate_trial(trial, camera=VirtualCamera(fps=30.0, noise_px=3.0, seed=1), rear=False)
    assert noisy.camera["fps"] == 30.0 and noisy.camera["noise_px"] == 3.0
    assert noisy.get("foot strike", "left").frame_ms == pytest.approx(1000 / 30)
    assert noisy.get("pelvic drop at midstance, same instant", "left") is None


def test_cli_validate_prints_and_writes_json(data_dir, tmp_path):
    out = tmp_path / "v.json"
    trial = data_dir / "mocap" / "bmc" / "RBDS001runT25markers.txt"
    result = CliRunner().invoke(
        app, ["validate", str(trial), "--no-rear", "--json", str(out)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "foot strike" in result.output and "cadence" in result.output
    data = json.loads(out.read_text())
    assert data["trial"] == "RBDS001runT25markers" and data["rows"][0]["quantity"] == "foot strike"
