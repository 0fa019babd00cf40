"""Cutting a clip into time segments for pose trackers running at once (kinechain.pose.segments)."""

import math

import pytest

from kinechain.pose.segments import MIN_SEGMENT_S, THREADS_ENV, Segment, plan, pose_threads


def test_a_12_s_clip_on_two_cores_gives_each_thread_6_5_s_with_the_warm_up():
    assert plan(12.0, 2, warmup=1.0) == [Segment(0.0, 0.0, 6.5), Segment(5.5, 6.5, math.inf)]


def test_shares_cover_the_clip_once_and_every_segment_tracks_as_long():
    spans = plan(60.0, 4, warmup=0.5)
    assert [s.keep_from for s in spans] == pytest.approx([0.0, 15.375, 30.25, 45.125])
    assert [s.stop for s in spans[:-1]] == [s.keep_from for s in spans[1:]]
    tracked = [s.stop - s.decode_from for s in spans[:-1]] + [60.0 - spans[-1].decode_from]
    assert tracked == pytest.approx([15.375] * 4)


@pytest.mark.parametrize(("duration", "segments"), [(2.0, 1), (MIN_SEGMENT_S * 2 - 0.01, 1), (7.0, 2)])
def test_short_clips_are_not_cut(duration, segments):
    assert len(plan(duration, 4)) == segments


def test_one_tracker_up_to_40_fps_unless_the_environment_says(monkeypatch):
    monkeypatch.delenv(THREADS_ENV, raising=False)
    assert pose_threads(30.0) == 1
    assert 1 <= pose_threads(60.0) <= 2
    monkeypatch.setenv(THREADS_ENV, "3")
    assert pose_threads(30.0) == 3
