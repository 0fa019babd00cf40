"""The overlay video of the real treadmill clip: browser-playable, same frames and timing as the source."""

import struct
from dataclasses import replace

import av
import numpy as np
import pytest

from kinechain.errors import InputError
from kinechain.report.overlay import SIDE_RGB, write_overlay
from kinechain.video.reader import read_frames_at


@pytest.fixture(scope="module")
def overlay(running_analysis, tmp_path_factory):
    calls = []
    path = write_overlay(
        running_analysis, tmp_path_factory.mktemp("ov") / "overlay.mp4", progress=lambda *a: calls.append(a)
    )
    return path, calls


def _stream_facts(path):
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        times = [float(f.time) for f in c.decode(s)]
        return {
            "codec": s.codec_context.name,
            "pix_fmt": s.codec_context.pix_fmt,
            "size": (s.codec_context.width, s.codec_context.height),
            "frames": len(times),
            "duration": float(s.duration * s.time_base),
            "times": np.array(times) - times[0],
        }


def _top_level_atoms(path):
    atoms, data = [], path.read_bytes()
    i = 0
    while i + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        if size == 1:
            size = struct.unpack(">Q", data[i + 8 : i + 16])[0]
        atoms.append(kind.decode("latin-1"))
        if size < 8:
            break
        i += size
    return atoms


def test_overlay_is_browser_playable_h264_with_the_source_frames_and_timing(overlay, running_analysis):
    path, calls = overlay
    out, src = _stream_facts(path), _stream_facts(running_analysis.video)
    assert out["codec"] == "h264" and out["pix_fmt"] == "yuv420p"
    assert out["size"] == src["size"] == (720, 1280)
    assert out["frames"] == src["frames"] == 360
    assert out["duration"] == pytest.approx(src["duration"], abs=1e-3)
    np.testing.assert_allclose(out["times"], src["times"], atol=1e-4)
    atoms = _top_level_atoms(path)
    assert atoms.index("moov") < atoms.index("mdat")  # fast start: playable while downloading
    assert calls[-1] == ("overlay", 360, 360)
    assert not path.with_name("overlay.part.mp4").exists()


def test_overlay_draws_on_every_frame_and_shows_the_live_knee_panel(overlay, running_analysis):
    path, _ = overlay
    frames = [0, 80, 359]
    drawn, source = read_frames_at(path, frames), read_frames_at(running_analysis.video, frames)
    for f in frames:
        # the knee panel sits in the top-left corner (18 px margin on a 720 px wide frame): a pill
        # per leg in that leg's colour, the left one above the right one
        left = drawn[f][34:40, 24:30].reshape(-1, 3).mean(axis=0)
        right = drawn[f][94:100, 24:30].reshape(-1, 3).mean(axis=0)
        assert np.abs(left - SIDE_RGB["left"]).max() < 20
        assert np.abs(right - SIDE_RGB["right"]).max() < 20
        assert np.abs(drawn[f].astype(int) - source[f].astype(int)).mean() > 5


def test_overlay_needs_the_video(running_analysis, tmp_path):
    with pytest.raises(InputError, match="needs the source video"):
        write_overlay(replace(running_analysis, video=None), tmp_path / "x.mp4")
    assert not (tmp_path / "x.mp4").exists()


def test_overlay_downscales_large_frames_to_even_sizes(running_analysis, tmp_path):
    path = write_overlay(running_analysis, tmp_path / "small.mp4", max_side=641)
    facts = _stream_facts(path)
    w, h = facts["size"]
    assert max(w, h) <= 642 and w % 2 == 0 and h % 2 == 0
    assert facts["frames"] == 360
