"""Video input on real phone-clip derivatives: codecs, containers, rotation, timestamps, bad files."""

from pathlib import Path

import numpy as np
import pytest

from kinechain.errors import NoVideoStream, UnreadableVideo, VideoTooShort
from kinechain.video import iter_frames, probe, read_frames_at
from kinechain.video.light import LIGHT_SAMPLES, light_levels, light_picks, luma_stats, median_levels

FORMATS = Path(__file__).parent / "data" / "video" / "formats"


@pytest.mark.parametrize(
    ("name", "codec"),
    [("h264.mp4", "h264"), ("hevc.mp4", "hevc"), ("vp9.webm", "vp9"), ("h264.mov", "h264")],
)
def test_probe_reads_codec_size_fps(name, codec):
    info = probe(FORMATS / name)
    assert info.codec == codec
    assert (info.width, info.height) == (360, 640)
    assert info.orientation == "portrait"
    assert info.fps == pytest.approx(30.0)
    assert info.duration == pytest.approx(3.0, abs=0.05)


@pytest.mark.parametrize("name", ["h264.mp4", "hevc.mp4", "vp9.webm", "h264.mov"])
def test_every_format_decodes_every_frame(name):
    frames = list(iter_frames(FORMATS / name))
    assert len(frames) == 90
    assert frames[0].rgb.shape == (640, 360, 3)
    assert np.allclose(np.diff([f.time for f in frames]), 1 / 30, atol=1e-3)


def test_rotation_metadata_is_applied():
    info = probe(FORMATS / "rotated90.mp4")
    assert info.rotation == 90 and (info.width, info.height) == (360, 640)
    upright = next(iter(iter_frames(FORMATS / "h264.mp4"))).rgb.astype(int)
    rotated = next(iter(iter_frames(FORMATS / "rotated90.mp4"))).rgb.astype(int)
    assert rotated.shape == upright.shape
    assert np.abs(rotated - upright).mean() < 6  # same picture, up to re-encoding noise
    assert np.abs(np.rot90(rotated, 2) - upright).mean() > 20  # and not upside down


def test_variable_frame_rate_timestamps_are_kept():
    times = np.array([f.time for f in iter_frames(FORMATS / "vfr.mp4")])
    steps = np.round(np.diff(times), 3)
    assert {0.033, 0.067} <= set(steps.tolist())
    assert times[0] == 0.0


def test_downscale_keeps_aspect():
    frame = next(iter(iter_frames(FORMATS / "h264.mp4", max_side=320)))
    assert frame.rgb.shape == (320, 180, 3)
    assert frame.scale == pytest.approx(0.5)


def test_read_frames_at_returns_requested_frames():
    got = read_frames_at(FORMATS / "h264.mp4", [0, 45, 89, 500])
    assert sorted(got) == [0, 45, 89]


@pytest.mark.parametrize(
    ("name", "error", "words"),
    [
        ("audio_only.m4a", NoVideoStream, "no video stream"),
        ("too_short.mp4", VideoTooShort, "at least 1 s"),
        ("truncated.mp4", UnreadableVideo, "cannot be read"),
        ("does_not_exist.mp4", UnreadableVideo, "does not exist"),
    ],
)
def test_bad_files_give_one_clear_sentence(name, error, words):
    with pytest.raises(error) as exc:
        probe(FORMATS / name)
    message = str(exc.value)
    assert words in message and message.count(". ") == 0 and message.endswith(".")


def test_zero_byte_file(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableVideo, match="empty"):
        probe(empty)


def test_folder_is_refused(tmp_path):
    with pytest.raises(UnreadableVideo, match="folder"):
        probe(tmp_path)


@pytest.mark.parametrize("name", ["h264.mp4", "vfr.mp4", "vp9.webm"])
def test_time_segments_join_into_the_whole_clip(name):
    """Segments read with a seek (start_s) and a stop (stop_s) give exactly the whole clip's frames."""
    whole = list(iter_frames(FORMATS / name, prefetch=0))
    cut = whole[len(whole) // 2].time
    parts = list(iter_frames(FORMATS / name, stop_s=cut)) + list(iter_frames(FORMATS / name, start_s=cut))
    assert [f.time for f in parts] == pytest.approx([f.time for f in whole], abs=1e-9)
    assert all(np.array_equal(a.rgb, b.rgb) for a, b in zip(parts, whole, strict=True))


@pytest.mark.parametrize("name", ["h264.mp4", "rotated90.mp4", "vp9.webm", "vfr.mp4"])
def test_light_samples_taken_while_decoding_equal_those_decoded_apart(name):
    """``luma_at`` measures the sampled frames at full size as the downscaled frames go by (no
    second decode for the light check), rotated clips and variable frame rate too."""
    path = FORMATS / name
    n = probe(path).n_frames
    picks = light_picks(n)
    assert len(picks) == LIGHT_SAMPLES and {0, n - 1} <= picks
    apart = {k: luma_stats(rgb) for k, rgb in read_frames_at(path, sorted(picks)).items()}
    decoded = {f.index: f.luma for f in iter_frames(path, max_side=160, luma_at=picks) if f.luma}
    assert decoded == apart and len(decoded) == LIGHT_SAMPLES
    assert median_levels(decoded.values()) == light_levels(path, n)


@pytest.mark.parametrize("name", ["h264.mp4", "rotated90.mp4"])
def test_a_segment_started_with_a_seek_measures_every_sample_in_its_share(name):
    """A constant-frame-rate clip's later segment (a seek) measures exactly the samples from its
    start on, with the figures of a decode from the beginning."""
    path = FORMATS / name
    info = probe(path)
    picks = light_picks(info.n_frames)
    apart = {k: luma_stats(rgb) for k, rgb in read_frames_at(path, sorted(picks)).items()}
    half = info.duration / 2
    later = {f.index: f.luma for f in iter_frames(path, start_s=half, luma_at=picks) if f.luma}
    assert later == {k: v for k, v in apart.items() if k / info.fps >= half - 0.5 / info.fps}


def test_luma_stats_of_a_constructed_frame():
    """Pure red 255 has luma 0.299 * 255; half the pixels black halves the mean, std = mean."""
    rgb = np.zeros((4, 6, 3), np.uint8)
    rgb[:2, :, 0] = 255
    mean, std = luma_stats(rgb)
    assert mean == pytest.approx(0.299 * 255 / 2, rel=1e-6) and std == pytest.approx(mean, rel=1e-6)
    assert np.isnan(median_levels([])[0])
