"""A battery analysed several clips at once (kinechain.batch): same results as one after the other."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinechain import batch
from kinechain.batch import Clip, analyze_clips, clips_at_once
from kinechain.config import MAX_DEFAULT_JOBS
from kinechain.errors import NoPersonFound

DATA = Path(__file__).parent / "data"
CLIP = DATA / "video" / "formats" / "h264.mp4"  # 3 s of the real treadmill clip
KEYS = DATA / "video" / "male_side.mediapipe-full.json"
pytestmark = pytest.mark.usefixtures("require_models")


def _same(a: object, b: object) -> bool:
    skip = {"created"}
    return {k: v for k, v in a.model_dump().items() if k not in skip} == {  # type: ignore[attr-defined]
        k: v
        for k, v in b.model_dump().items()
        if k not in skip  # type: ignore[attr-defined]
    }


def test_clips_analysed_at_once_in_child_processes_equal_those_analysed_one_after_the_other():
    """Two videos (child processes, at once) and a replayed keypoints file (here): each result
    equals the one-at-a-time result, in the order given, and each video's pose progress arrives."""
    battery = [
        Clip("running", "side", CLIP),
        Clip("running", "side", None, KEYS),
        Clip("running", "auto", CLIP),
    ]
    seen: dict[str, int] = {}
    together = analyze_clips(
        battery, quality="fast", at_once=2, progress=lambda s, d, t: seen.__setitem__(s, d)
    )
    apart = analyze_clips(battery, quality="fast", at_once=1)
    assert [a.result.test for a in together] == ["running"] * 3
    assert all(_same(x.result, y.result) for x, y in zip(together, apart, strict=True))
    assert together[1].result.quality.frames == 360 and together[0].result.quality.frames == 90
    assert seen.get("clip 1 (running): pose") == 90 and seen.get("clip 3 (running): pose") == 90
    assert not any(s.startswith("clip 2") for s in seen)  # replayed: no pose stage


def test_a_clip_that_fails_in_its_process_raises_its_own_sentence(monkeypatch):
    """A readable clip with nobody in it fails inside its child process; its error, with its
    sentence, is raised here (not analysed again here: this process's analysis is made to fail)."""

    def not_here(*_args: object, **_kw: object) -> None:
        raise AssertionError("analysed in this process")

    monkeypatch.setattr(batch, "analyze", not_here)
    empty = DATA / "video" / "formats" / "no_person.mp4"
    battery = [Clip("running", "side", CLIP), Clip("running", "side", empty)]
    with pytest.raises(NoPersonFound, match="no person was found"):
        analyze_clips(battery, quality="fast", at_once=2)


def test_clips_at_once_is_capped_by_default(monkeypatch):
    monkeypatch.delenv("KINECHAIN_CLIPS_AT_ONCE", raising=False)
    monkeypatch.setattr(batch, "usable_cores", lambda: 64)
    assert clips_at_once() == MAX_DEFAULT_JOBS


def test_clips_at_once_follows_the_environment(monkeypatch):
    monkeypatch.setenv("KINECHAIN_CLIPS_AT_ONCE", "3")
    assert clips_at_once() == 3
    monkeypatch.setenv("KINECHAIN_CLIPS_AT_ONCE", "no")
    assert clips_at_once() >= 1
