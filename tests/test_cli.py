"""The command line: outputs, one-line errors, exit codes."""

import json
import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kinechain", *args], check=False, capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["analyze", "nowhere.mp4"], "does not exist"),
        (["analyze", "tests/data/video/formats/audio_only.m4a"], "no video stream"),
        (["analyze", "tests/data/video/formats/too_short.mp4"], "at least 1 s"),
        (["analyze", "x.mp4", "--view", "top"], "view must be one of"),
        (["analyze", "x.mp4", "--test", "yoga"], "test must be one of"),
        (["analyze", "x.mp4", "--person", "2"], "--person must be"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(args, words):
    proc = run(*args)
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0] and lines[0].startswith("error:")


def test_analyze_replayed_keypoints_writes_versioned_json(tmp_path):
    out = tmp_path / "result.json"
    proc = run(
        "analyze",
        "tests/data/video/male_side.mp4",
        "--keypoints",
        "tests/data/video/male_side.mediapipe-full.json",
        "--json",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    assert doc["schema_version"] == "kinechain.result/1"
    assert doc["view"]["view"] == "left" and doc["test"] == "running"
    cadence = next(m for m in doc["measures"] if m["id"] == "running.cadence")
    assert {"id", "value", "unit", "side", "n", "spread", "confidence"} <= set(cadence)
    assert "Cadence" in proc.stdout


def test_help_lists_commands():
    proc = run("--help")
    assert proc.returncode == 0 and "analyze" in proc.stdout and "models" in proc.stdout
