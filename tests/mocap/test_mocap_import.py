"""Readers, units and axes, marker sets and skeletons on the bundled real excerpts and constructed files."""

import numpy as np
import pytest

from kinechain.errors import ConfigError, MocapFileError
from kinechain.io.mot import write_mot
from kinechain.io.trc import write_trc
from kinechain.mocap.axes import LabAxes, detect_axes, guess_length_units, markers_to_lab
from kinechain.mocap.data import Markers
from kinechain.mocap.markerset import available_markersets, detect_markerset, load_markerset
from kinechain.mocap.readers import read_c3d, read_force_table, read_grf_mot, read_marker_table
from kinechain.mocap.skeleton import build_skeleton
from kinechain.mocap.trial import find_static, load_trial


@pytest.fixture(scope="module")
def bmc(data_dir):
    return load_trial(data_dir / "mocap" / "bmc" / "RBDS001runT25markers.txt")


@pytest.fixture(scope="module")
def ric(data_dir):
    return load_trial(data_dir / "mocap" / "ric" / "20140515T133244_run.c3d")


def test_lab_axes_of_the_two_conventions():
    bmc = LabAxes(up="+y", forward="+x").matrix()
    assert bmc == pytest.approx(np.eye(3))
    ric = LabAxes(up="+y", forward="-z").matrix()
    # RIC: x is the runner's right, z points backwards.
    assert ric @ [1.0, 0, 0] == pytest.approx([0, 0, 1])
    assert ric @ [0, 0, -1.0] == pytest.approx([1, 0, 0])
    assert np.linalg.det(ric) == pytest.approx(1.0)
    with pytest.raises(ConfigError):
        LabAxes(up="+y", forward="-y").matrix()
    with pytest.raises(ConfigError):
        LabAxes(up="up", forward="+x").matrix()


def test_detect_axes_from_a_z_up_body():
    # A file with z up, running along -y, right = -x (right-handed: fwd x up = right).
    axes = detect_axes(
        pelvis=np.array([0.0, 0.0, 1.0]),
        feet=np.array([0.0, 0.0, 0.1]),
        right_minus_left=np.array([-0.2, 0.01, 0.0]),
        heel_to_toe=np.array([0.0, -0.2, 0.0]),
    )
    assert (axes.up, axes.forward) == ("+z", "-y")
    with pytest.raises(MocapFileError, match="left and right"):
        detect_axes(
            np.array([0, 0, 1.0]), np.array([0, 0, 0.1]), np.array([0.2, 0, 0]), np.array([0, -0.2, 0])
        )


def test_length_units_are_guessed_from_the_body_size():
    body = {"a": np.array([[0.0, 0, 0]]), "b": np.array([[0.3, 1.0, 0.2]])}
    for scale, unit in ((1.0, "m"), (100.0, "cm"), (1000.0, "mm")):
        m = Markers(times=np.zeros(1), positions={k: v * scale for k, v in body.items()})
        assert guess_length_units(m) == unit
    lab = markers_to_lab(Markers(np.zeros(1), {"b": body["b"] * 1000}), LabAxes("+y", "+x"), "mm")
    assert lab.positions["b"] == pytest.approx(body["b"])


def test_shipped_marker_sets_load_and_resolve_midpoints():
    assert set(available_markersets()) >= {"bmc", "ric", "opensim"}
    bmc = load_markerset("bmc")
    m = Markers(np.zeros(1), {"R.MT1": np.array([[0.0, 0, 0]]), "r.mt5": np.array([[0.1, 0, 0.05]])})
    assert bmc.resolve(m, "toe", "right")[0] == pytest.approx([0.05, 0, 0.025])
    assert bmc.resolve(m, "toe", "left") is None
    with pytest.raises(ConfigError, match="must be one of"):
        load_markerset("nonesuch")


def test_a_custom_marker_set_with_a_wrong_role_is_refused(tmp_path):
    bad = tmp_path / "mine.toml"
    bad.write_text('name = "mine"\n[roles]\nelbow = ["{S}ELB"]\n')
    with pytest.raises(ConfigError, match="unknown roles"):
        load_markerset(bad)


def test_bmc_excerpt_reads_in_metres_y_up_x_forward(bmc):
    assert bmc.markerset.name == "bmc"
    assert bmc.meta["axes"]["up"] == "+y" and bmc.meta["axes"]["forward"] == "+x"
    assert bmc.meta["units"] == "mm"
    assert bmc.markers.rate == pytest.approx(150.0)
    assert len(bmc.markers) == 750
    pelvis = bmc.markers.positions["R.ASIS"][:, 1].mean()
    assert 0.85 < pelvis < 1.15  # ASIS height of a 181 cm runner, metres
    assert np.nanmean(bmc.markers.positions["R.ASIS"][:, 2]) > np.nanmean(
        bmc.markers.positions["L.ASIS"][:, 2]
    )
    assert bmc.static is not None and bmc.static.find("R.Knee.Medial") is not None
    second = bmc.markers.between(1.0, 2.0)
    assert len(second) == 150 and second.times[0] == pytest.approx(1.0)
    assert bmc.forces[0].between(1.0, 2.0).force.shape == (300, 3)


def test_bmc_forces_rate_inferred_from_the_paired_markers(bmc, data_dir):
    (plate,) = bmc.forces
    assert plate.rate == pytest.approx(300.0)
    assert plate.times[-1] == pytest.approx(1499 / 300)
    assert 1000 < np.nanmax(plate.force[:, 1]) < 2000  # peak vertical force of a 62 kg runner, N
    with pytest.raises(MocapFileError, match="sampling rate"):
        read_force_table(data_dir / "mocap" / "bmc" / "RBDS001runT25forces.txt")


def test_ric_excerpt_detects_running_along_minus_z(ric):
    assert ric.markerset.name == "ric"
    assert ric.meta["axes"] == {"up": "+y", "forward": "-z", "detected": True}
    assert ric.meta["units"] == "mm"  # not declared in the file: guessed from the body size
    assert ric.forces == []


def test_skeletons_carry_static_points_through_the_clusters(bmc, ric):
    for trial in (bmc, ric):
        sk = build_skeleton(trial.markers, trial.markerset, trial.static)
        hip_width = np.linalg.norm(sk.get("right_hip") - sk.get("left_hip"), axis=1)
        thigh = np.linalg.norm(sk.get("right_hip") - sk.get("right_knee"), axis=1)
        shank = np.linalg.norm(sk.get("right_knee") - sk.get("right_ankle"), axis=1)
        # Rigid carrying keeps segment lengths nearly constant through running (soft tissue aside).
        assert np.nanstd(thigh) < 0.01 and np.nanstd(shank) < 0.01
        assert 0.12 < np.nanmean(hip_width) < 0.22
        assert 0.35 < np.nanmean(thigh) < 0.5 and 0.35 < np.nanmean(shank) < 0.5
        assert "carried" in sk.meta["how"]["right_knee_lateral"]
    assert "Harrington" in build_skeleton(bmc.markers, bmc.markerset, bmc.static).meta["how"]["hip"]
    ric_sk = build_skeleton(ric.markers, ric.markerset, ric.static)
    assert "trochanter" in ric_sk.meta["how"]["hip"]
    assert "right_foot_index" not in ric_sk.points  # the RIC set has no toe marker


def test_running_trial_without_its_static_cannot_find_knees(data_dir, tmp_path):
    markers, _ = read_c3d(data_dir / "mocap" / "ric" / "20140515T133244_run.c3d")
    with pytest.raises(MocapFileError, match="hip centres"):
        build_skeleton(markers.with_changes(units="mm"), load_markerset("ric"), None)
    assert find_static(data_dir / "mocap" / "ric" / "20140515T133244_run.c3d").name.endswith("static.c3d")


def test_trc_and_grf_mot_files_load_as_a_trial(tmp_path):
    t = np.arange(0, 2, 0.01)
    names = ["RASI", "LASI", "RPSI", "LPSI", "RTH1", "RTH2", "RTH3", "LTH1", "LTH2", "LTH3"]
    rng = np.random.default_rng(0)
    base = {n: rng.normal(0, 50, 3) + np.array([0, 900, 0]) for n in names}
    base.update({"RASI": np.array([100.0, 1000, 120]), "LASI": np.array([100.0, 1000, -120])})
    base.update({"RPSI": np.array([-60.0, 1010, 50]), "LPSI": np.array([-60.0, 1010, -50])})
    for s, z in (("R", 100.0), ("L", -100.0)):
        base.update({f"{s}TH{i}": np.array([20.0 * i, 600 - 30 * i, z + 5 * i]) for i in (1, 2, 3)})
        base.update({f"{s}CAL": np.array([-50.0, 60, z]), f"{s}TOE": np.array([150.0, 30, z])})
        base.update(
            {f"{s}MT5": np.array([120.0, 30, z * 1.3]), f"{s}.Knee.Lat": np.array([30.0, 500, z * 1.4])}
        )
        base[f"{s}.Knee.Med"] = np.array([30.0, 500, z * 0.6])
    write_trc(tmp_path / "run.trc", t, {n: np.tile(p, (len(t), 1)) for n, p in base.items()}, units="mm")
    grf = np.zeros((len(t), 3))
    grf[:, 1] = np.where((t % 0.7) < 0.25, 800.0, 0.0)
    cols = {f"R_ground_force_v{a}": grf[:, i] for i, a in enumerate("xyz")}
    cols |= {f"R_ground_force_p{a}": np.zeros(len(t)) for a in "xyz"}
    write_mot(tmp_path / "grf.mot", t, cols, in_degrees=False)
    trial = load_trial(tmp_path / "run.trc", forces=tmp_path / "grf.mot")
    assert trial.markerset.name == "opensim"
    assert trial.meta["axes"]["up"] == "+y" and trial.meta["axes"]["forward"] == "+x"
    assert trial.markers.positions["RASI"][0] == pytest.approx([0.1, 1.0, 0.12])
    assert [f.name for f in trial.forces] == ["R"]
    (plate,) = read_grf_mot(tmp_path / "grf.mot")
    assert plate.force[:, 1].max() == 800.0


def test_a_marker_table_without_marker_columns_is_refused(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Time\tA\tB\n0\t1\t2\n")
    with pytest.raises(MocapFileError, match="no '<marker>X"):
        read_marker_table(bad)


def test_detect_markerset_refuses_unknown_names():
    with pytest.raises(ConfigError, match="matches none"):
        detect_markerset(Markers(np.zeros(1), {"foo": np.zeros((1, 3))}, source="x.c3d"))
