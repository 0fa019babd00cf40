"""`kinechain analyze --report --overlay` writes both outputs through the CLI."""

import subprocess
import sys


def test_cli_writes_report_and_overlay(tmp_path, data_dir):
    clip, keypoints = (
        data_dir / "video" / "male_side.mp4",
        data_dir / "video" / "male_side.mediapipe-full.json",
    )
    report, overlay = tmp_path / "out" / "report.html", tmp_path / "out" / "overlay.mp4"
    args = [
        "analyze",
        str(clip),
        "--keypoints",
        str(keypoints),
        "--report",
        str(report),
        "--overlay",
        str(overlay),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "kinechain", *args], capture_output=True, text=True, timeout=600, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert report.stat().st_size > 100_000 and overlay.stat().st_size > 100_000
    assert "running.cadence" in report.read_text(encoding="utf-8")
    assert f"report: {report}" in proc.stderr and f"overlay: {overlay}" in proc.stderr
