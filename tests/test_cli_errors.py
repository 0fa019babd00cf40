"""Every usage error is one sentence, exit code 2 and no traceback, found before any analysis.

The commands run in-process through :func:`kinechain.cli.main` with the pipeline's ``analyze``
replaced by a function that fails the test: an error found before the analysis never calls it.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

import kinechain.pipeline
from kinechain._version import __version__
from kinechain.cli import main
from kinechain.protocols.quality import MIN_FPS

ROOT = Path(__file__).resolve().parents[1]
VIDEO = ROOT / "tests" / "data" / "video" / "male_side.mp4"
KEYPOINTS = ROOT / "tests" / "data" / "video" / "male_side.mediapipe-full.json"


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("the analysis started although the input was already known to be bad")


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run ``kinechain ARGS`` in-process; return (exit code, stdout, stderr)."""
    monkeypatch.setattr(kinechain.pipeline, "analyze", _never)
    monkeypatch.delenv("KINECHAIN_DEBUG", raising=False)

    def run(*args: str | Path) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as stop:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        return int(stop.value.code or 0), captured.out, captured.err

    return run


def _one_error_line(code: int, stdout: str, stderr: str, words: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert code == 2, stderr
    assert "Traceback" not in stderr + stdout
    assert len(lines) == 1 and lines[0].startswith("error:"), stderr
    assert words in lines[0], lines[0]


@pytest.fixture(scope="module")
def low_fps_clip(tmp_path_factory) -> Path:
    """Three seconds of the bundled clip re-encoded at 10 fps (every third frame), small."""
    path = tmp_path_factory.mktemp("lowfps") / "ten_fps.mp4"
    with av.open(str(VIDEO)) as src, av.open(str(path), "w") as dst:
        stream = dst.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 180, 320, "yuv420p"
        stream.time_base = Fraction(1, 10)
        for i, frame in enumerate(src.decode(video=0)):
            if i >= 90:
                break
            if i % 3 == 0:
                small = frame.reformat(width=180, height=320, format="yuv420p")
                small.pts, small.time_base = i // 3, Fraction(1, 10)
                dst.mux(stream.encode(small))
        dst.mux(stream.encode(None))
    return path


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["analyze", "--bogus", "x.mp4"], "No such option: --bogus"),
        (["analyze"], "Missing argument"),
        (["nosuch"], "No such command"),
        (["analyze", "x.mp4", "--model", "huge"], "model must be one of"),
        (["analyze", "x.mp4", "--view", "top"], "view must be one of"),
        (["analyze", "x.mp4", "--test", "yoga"], "test must be one of"),
        (["validate", "x.c3d", "--fps", "abc"], "Invalid value for '--fps'"),
        (["analyze", "nowhere.mp4"], "does not exist"),
        (["analyze", "x.mp4", "--keypoints", "nowhere.json"], "does not exist"),
    ],
)
def test_usage_errors(cli, args, words):
    _one_error_line(*cli(*args), words)


def test_still_image_is_refused(cli, tmp_path):
    png = tmp_path / "photo.png"
    cv2.imwrite(str(png), np.full((240, 160, 3), 128, np.uint8))
    jpg = png.with_suffix(".jpg")
    cv2.imwrite(str(jpg), np.full((240, 160, 3), 128, np.uint8))
    _one_error_line(*cli("analyze", png), "is a still image (png), not a video")
    _one_error_line(*cli("analyze", jpg), "is a still image (jpeg), not a video")


def test_text_file_is_refused(cli, tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("not a video\n" * 20)
    _one_error_line(*cli("analyze", text), "cannot be read as a video")


def test_low_frame_rate_is_refused_before_the_pose_model(cli, low_fps_clip):
    assert MIN_FPS > 10
    _one_error_line(*cli("analyze", low_fps_clip), "only 10 frames per second")


@pytest.mark.parametrize("flag", ["--json", "--report", "--overlay", "--save-keypoints"])
def test_output_under_a_file(cli, tmp_path, flag):
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    _one_error_line(*cli("analyze", VIDEO, flag, a_file / "out.x"), "a_file is a file, not a folder")


def test_missing_output_folder_is_created_before_the_analysis(cli, tmp_path):
    target = tmp_path / "new" / "result.json"
    code, _, stderr = cli("analyze", VIDEO, "--json", target)
    assert code == 1 and "analysis started" in stderr  # the replaced analysis was reached
    assert target.parent.is_dir() and not target.exists()


def test_output_that_is_a_folder(cli, tmp_path):
    _one_error_line(*cli("analyze", VIDEO, "--report", tmp_path), "is a folder")


def test_two_outputs_on_one_file(cli, tmp_path):
    same = tmp_path / "same"
    _one_error_line(*cli("analyze", VIDEO, "--json", same, "--report", same), "name the same file")


@pytest.mark.parametrize(
    ("option", "words"),
    [
        ("foo=1", "the running test does not take the option(s) foo (its options: none)"),
        ("foot_length_cm", "--option must look like KEY=NUMBER"),
        ("foot_length_cm=long", "--option must look like KEY=NUMBER"),
    ],
)
def test_unknown_or_malformed_test_option(cli, option, words):
    _one_error_line(*cli("analyze", VIDEO, "--option", option), words)


def test_knee_to_wall_options_are_known(cli, tmp_path):
    """A known option passes the checks: the (replaced) analysis is reached."""
    code, _, stderr = cli(
        "analyze", VIDEO, "--test", "knee_to_wall", "--option", "foot_length_cm=26", "--json", tmp_path / "r"
    )
    assert code == 1 and "analysis started" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"schema": "kinechain.keypoints/1", "landmarks": ["nose"], "times": [0.0, 0.1]}),
        json.dumps({"keypoint_names": ["nose"], "frames": [[1, 2]]}),
        json.dumps({"people": [{"pose_keypoints_2d": "x"}]}),
    ],
)
def test_malformed_keypoints(monkeypatch, capsys, tmp_path, content):
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(SystemExit) as stop:
        main(["analyze", str(VIDEO), "--keypoints", str(bad)])
    captured = capsys.readouterr()
    _one_error_line(int(stop.value.code or 0), captured.out, captured.err, str(bad))


def test_malformed_keypoints_with_inconsistent_shapes(capsys, tmp_path):
    doc = json.loads(KEYPOINTS.read_text())
    doc["times"] = doc["times"][:10]
    bad = tmp_path / "short.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(SystemExit) as stop:
        main(["analyze", str(VIDEO), "--keypoints", str(bad)])
    captured = capsys.readouterr()
    _one_error_line(int(stop.value.code or 0), captured.out, captured.err, "do not fit together")


def test_version(cli):
    code, stdout, stderr = cli("--version")
    assert code == 0 and stdout.strip() == f"kinechain {__version__}" and not stderr


def test_no_arguments_prints_help(cli):
    code, stdout, _ = cli()
    assert code == 0 and "analyze" in stdout


def test_debug_shows_the_traceback(cli):
    code, _, stderr = cli("analyze", "x.mp4", "--view", "top", "--debug")
    assert code == 2
    assert "Traceback" in stderr and "ConfigError" in stderr
    assert stderr.rstrip().splitlines()[-1].startswith("error: view must be one of")


def test_unexpected_failure_is_one_sentence(cli, tmp_path):
    """A bug (here the replaced analysis) still ends in one sentence, exit code 1."""
    code, stdout, stderr = cli("analyze", VIDEO, "--keypoints", KEYPOINTS)
    assert code == 1 and "Traceback" not in stderr + stdout
    assert stderr.strip().startswith("error: kinechain stopped on an unexpected AssertionError")
    assert "--debug" in stderr


def test_other_commands_check_before_working(cli, tmp_path):
    a_file = tmp_path / "a_file"
    a_file.write_text("")
    _one_error_line(*cli("detect", "nowhere.mp4"), "does not exist")
    _one_error_line(*cli("detect", VIDEO, "--model", "huge"), "model must be one of")
    _one_error_line(
        *cli("export", VIDEO, "--measures-csv", a_file / "m.csv"), "a_file is a file, not a folder"
    )
    _one_error_line(*cli("export", VIDEO, "--mot", "m.mot", "--trc-from", "sky"), "--trc-from must be one of")
    _one_error_line(
        *cli("assess", "--clip", f"running:side:{VIDEO}", "--intake", "i.yaml", "--out", a_file),
        "is a file, not a folder",
    )
    _one_error_line(
        *cli("assess", "--clip", "running:side:nowhere.mp4", "--intake", "i.yaml", "--out", tmp_path / "a"),
        "does not exist",
    )
    _one_error_line(*cli("validate", "nowhere.c3d"), "does not exist")


def test_assess_refuses_an_intake_value_above_its_maximum(cli, tmp_path):
    """A self-test count of 9e29 in the intake file: one sentence, exit code 2, nothing analysed."""
    import yaml

    src = Path(__file__).parent / "data" / "clinic" / "intake-runner.yaml"
    doc = yaml.safe_load(src.read_text())
    doc["self_tests"] = {"bridge_reps": {"left": 9e29, "right": 20}}
    bad = tmp_path / "intake.yaml"
    bad.write_text(yaml.safe_dump(doc))
    _one_error_line(
        *cli("assess", "--clip", f"running:side:{VIDEO}", "--intake", bad, "--out", tmp_path / "a"),
        "self_tests.bridge_reps.left: 9e+29 reps is more than the 200 reps accepted",
    )
