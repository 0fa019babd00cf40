"""Exports round trip: TRC, MOT, measures/events/keypoints CSV, and the export command."""

import numpy as np
import pytest
from typer.testing import CliRunner

import kinechain
from kinechain.cli import app
from kinechain.errors import ConfigError, KeypointFileError, MocapFileError
from kinechain.io.csvio import (
    read_events_csv,
    read_measures_csv,
    read_pose_csv,
    write_events_csv,
    write_measures_csv,
    write_pose_csv,
)
from kinechain.io.mot import read_mot, write_mot
from kinechain.io.opensim import kinematics_to_mot, pose_markers, pose_to_trc
from kinechain.io.trc import read_trc, write_trc


@pytest.fixture(scope="module")
def analysis(data_dir):
    return kinechain.analyze(None, keypoints=data_dir / "video" / "male_side.mediapipe-full.json")


def test_trc_round_trip_with_gaps(tmp_path):
    t = np.arange(0, 1, 0.01)
    markers = {"A": np.column_stack([t, 2 * t, -t]), "B b": np.ones((len(t), 3))}
    markers["A"][10] = np.nan
    path = write_trc(tmp_path / "m.trc", t, markers, units="mm")
    back = read_trc(path)
    assert back.units == "mm" and back.rate == pytest.approx(100.0)
    assert list(back.markers) == ["A", "B b"]
    assert np.allclose(back.markers["A"], markers["A"], equal_nan=True, atol=1e-6)
    assert np.allclose(back.times, t)


def test_trc_reader_refuses_other_files(tmp_path):
    bad = tmp_path / "x.trc"
    bad.write_text("hello\n")
    with pytest.raises(MocapFileError, match="not a TRC"):
        read_trc(bad)


def test_mot_round_trip(tmp_path):
    t = np.linspace(0, 1, 11)
    cols = {"knee_angle_r": np.sin(t), "hip_flexion_r": np.full_like(t, np.nan)}
    back = read_mot(write_mot(tmp_path / "a.mot", t, cols))
    assert back.in_degrees and np.allclose(back.times, t)
    assert np.allclose(back.columns["knee_angle_r"], cols["knee_angle_r"], atol=1e-6)
    assert np.isnan(back.columns["hip_flexion_r"]).all()


def test_measures_and_events_csv_round_trip(analysis, tmp_path):
    measures = analysis.result.measures
    back = read_measures_csv(write_measures_csv(measures, tmp_path / "m.csv"))
    assert [m.id for m in back] == [m.id for m in measures]
    for a, b in zip(measures, back, strict=True):
        assert a.model_dump() == b.model_dump()
    events = read_events_csv(write_events_csv(analysis.result.events, tmp_path / "e.csv"))
    assert [(e.kind, e.side, e.frame) for e in events] == [
        (e.kind, e.side, e.frame) for e in analysis.result.events
    ]
    assert np.allclose([e.time for e in events], [e.time for e in analysis.result.events])


def test_keypoints_csv_round_trip(analysis, tmp_path):
    pose = analysis.pose
    back = read_pose_csv(write_pose_csv(pose, tmp_path / "k.csv"))
    assert back.image_size == pose.image_size and back.view == pose.view and back.source == pose.source
    assert np.allclose(back.xy, pose.xy, equal_nan=True)
    assert np.allclose(back.visibility, pose.visibility)
    assert (back.world is None) == (pose.world is None)
    if pose.world is not None:
        assert np.allclose(back.world, pose.world, equal_nan=True)
    (tmp_path / "bad.csv").write_text("time,x\n0,1\n")
    with pytest.raises(KeypointFileError):
        read_pose_csv(tmp_path / "bad.csv")


def test_trc_from_image_keypoints_in_metres(analysis, tmp_path):
    pose = analysis.pose
    markers = pose_markers(pose, coordinates="image", px_per_m=500.0)
    hip = pose.point("left_hip")
    assert markers["left_hip"][:, 0] == pytest.approx(hip[:, 0] / 500.0, nan_ok=True)
    assert markers["left_hip"][:, 1] == pytest.approx((pose.image_size[1] - hip[:, 1]) / 500.0, nan_ok=True)
    back = read_trc(pose_to_trc(pose, tmp_path / "k.trc", coordinates="image", px_per_m=500.0))
    assert back.units == "m" and set(back.markers) == set(markers)
    with pytest.raises(ConfigError, match="px-per-m"):
        pose_markers(pose, coordinates="image")


def test_trc_from_world_landmarks_turns_y_up():
    world = np.zeros((2, 33, 3))
    world[:, 0] = [0.1, -0.6, 0.2]  # nose: above the hips (y down) and away from the camera
    pose = kinechain.model.PoseSeries(
        times=np.array([0.0, 0.1]),
        xy=np.zeros((2, 33, 2)),
        visibility=np.ones((2, 33)),
        image_size=(10, 10),
        world=world,
    )
    assert pose_markers(pose)["nose"][0] == pytest.approx([0.1, 0.6, -0.2])


def test_mot_of_the_angle_signals(analysis, tmp_path):
    back = read_mot(kinematics_to_mot(analysis.kinematics, tmp_path / "a.mot"))
    assert "knee_flexion_left" in back.columns and "heel_forward_left" not in back.columns
    assert np.allclose(
        back.columns["knee_flexion_left"], analysis.kinematics["knee_flexion_left"], equal_nan=True, atol=1e-5
    )


def test_export_command_writes_every_format(data_dir, tmp_path):
    kp = data_dir / "video" / "male_side.mediapipe-full.json"
    paths = {k: tmp_path / f"out.{k}" for k in ("measures.csv", "events.csv", "keypoints.csv", "trc", "mot")}
    args = ["export", "--keypoints", str(kp), "--measures-csv", str(paths["measures.csv"])]
    args += ["--events-csv", str(paths["events.csv"]), "--keypoints-csv", str(paths["keypoints.csv"])]
    args += [
        "--trc",
        str(paths["trc"]),
        "--trc-from",
        "image",
        "--px-per-m",
        "400",
        "--mot",
        str(paths["mot"]),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert read_measures_csv(paths["measures.csv"])[0].id == "running.cadence"
    assert len(read_trc(paths["trc"]).times) == len(read_pose_csv(paths["keypoints.csv"]).times)
    assert read_mot(paths["mot"]).in_degrees


def test_export_command_needs_an_output(data_dir):
    result = CliRunner().invoke(
        app, ["export", "--keypoints", str(data_dir / "video" / "male_side.mediapipe-full.json")]
    )
    assert result.exit_code != 0
