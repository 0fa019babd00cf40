"""Small parts of the web app on constructed inputs with known answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from builders import analysis_result
from kinechain.store.media import MediaStore
from kinechain.video.privacy import face_box, pixelate
from kinechain.web.clinic_bridge import SDDInfo, sdd_for
from kinechain.web.security import hash_password, new_token, same, token_hash, use_test_cost, verify_password
from kinechain.web.views import Point, Series, chart


def test_face_box_covers_face_points_with_margin() -> None:
    pts = np.array([[100.0, 50.0], [110.0, 48.0], [90.0, 52.0], [np.nan, np.nan]])
    box = face_box(pts, (640, 480))
    assert box is not None
    x0, y0, x1, y1 = box
    assert x0 < 90 and x1 > 110 and y0 < 48 and y1 > 52  # every point inside
    assert (x1 - x0) >= 2 * 0.07 * 480 - 2  # never smaller than the minimum half-size


def test_face_box_clipped_to_image_and_none_without_points() -> None:
    assert face_box(np.array([[2.0, 2.0], [4.0, 3.0]]), (100, 100))[:2] == (0, 0)  # type: ignore[index]
    assert face_box(np.full((3, 2), np.nan), (100, 100)) is None


def test_pixelate_changes_only_the_box() -> None:
    rng = np.random.default_rng(0)
    img = rng.integers(0, 255, (60, 80, 3), dtype=np.uint8)
    before = img.copy()
    pixelate(img, (20, 10, 40, 30))
    assert np.array_equal(img[:10], before[:10]) and np.array_equal(img[:, :20], before[:, :20])
    block = img[10:14, 20:24].reshape(-1, 3)
    assert (block == block[0]).all()  # one colour per cell
    assert not np.array_equal(img[10:30, 20:40], before[10:30, 20:40])


def test_series_verdict_against_sdd() -> None:
    s = Series("k", "Peak knee flexion", "deg", "left", sdd=SDDInfo(3.8, "Dingenen 2018", "E"))
    s.points = [Point(date(2025, 1, 1), 40.0, 2.0, 1), Point(date(2025, 2, 1), 45.0, 2.0, 2)]
    assert s.change() == pytest.approx(5.0)
    assert "more than the smallest detectable difference of 3.8 deg" in s.verdict()
    s.points[1] = Point(date(2025, 2, 1), 42.0, 2.0, 2)
    assert "within" in s.verdict() and "measurement error" in s.verdict()
    s.sdd = None
    assert "cannot be said whether the change is real" in s.verdict()


def test_series_verdict_counts_the_videos_own_noise() -> None:
    s = Series("k", "Foot-strike angle", "deg", "left", sdd=SDDInfo(2.3, "Dingenen 2018", "E"))
    # SD 11 deg over 15 steps on both days: 2 * sqrt(2 * 121 / 15) = 8.0 deg of noise
    s.points = [
        Point(date(2025, 1, 1), 14.7, 11.0, 1, 15, 60.0),
        Point(date(2025, 2, 1), 19.1, 11.0, 2, 15, 60.0),
    ]
    assert "step-to-step noise of 8.0 deg" in s.verdict() and "measurement error" in s.verdict()
    s.points[1] = Point(date(2025, 2, 1), 23.1, 11.0, 2, 15, 60.0)
    assert "a real change" in s.verdict()


def test_series_at_contact_not_judged_below_60_fps() -> None:
    s = Series("k", "Foot-strike angle", "deg", "left", sdd=SDDInfo(2.3, "Dingenen 2018", "E", timing=True))
    s.points = [
        Point(date(2025, 1, 1), 14.7, 1.0, 1, 15, 30.0),
        Point(date(2025, 2, 1), 25.1, 1.0, 2, 15, 60.0),
    ]
    assert "not judged" in s.verdict() and "60 fps" in s.verdict()
    s.points[0] = Point(date(2025, 1, 1), 14.7, 1.0, 1, 15, 60.0)
    assert "a real change" in s.verdict()


@pytest.mark.parametrize(
    ("models", "fps", "expected"),
    [
        (("mediapipe:full", "mediapipe:full"), (60.0, 60.0), "a real change"),
        (("replay:mediapipe:full", "mediapipe:full"), (60.0, 60.0), "a real change"),
        (
            ("mediapipe:full", "mediapipe:heavy"),
            (60.0, 60.0),
            "changed +9.0 deg; not comparable: different pose model (mediapipe:full, then mediapipe:heavy)",
        ),
        (
            ("mediapipe:full", "mediapipe:full"),
            (60.0, 120.0),
            "changed +9.0 deg; not comparable: different frame rate (60 fps, then 120 fps)",
        ),
    ],
)
def test_series_refuses_a_change_of_pose_model_or_frame_rate(
    models: tuple[str, str], fps: tuple[float, float], expected: str
) -> None:
    s = Series("k", "Peak knee flexion", "deg", "left", sdd=SDDInfo(3.8, "Dingenen 2018", "E"))
    s.points = [
        Point(date(2025, 1, 1), 40.0, 1.0, 1, 15, fps[0], analysis_result(fps=fps[0], pose_source=models[0])),
        Point(date(2025, 2, 1), 49.0, 1.0, 2, 15, fps[1], analysis_result(fps=fps[1], pose_source=models[1])),
    ]
    assert expected in s.verdict()
    if "not comparable" in expected:
        assert "real" not in s.verdict() and "smallest detectable" not in s.verdict()
        s.sdd = None  # no SDD known: still refused, not "cannot be said"
        assert "not comparable" in s.verdict()


def test_chart_band_is_first_value_plus_minus_sdd() -> None:
    s = Series("k", "m", "deg", "left", sdd=SDDInfo(2.0, "c", "E"))
    s.points = [Point(date(2025, 1, 1), 10.0, None, 1), Point(date(2025, 2, 1), 14.0, None, 2)]
    c = chart(s, width=300, height=140, pad=20)
    assert c.band is not None
    (x0, y0, _), (x1, y1, _) = c.dots
    assert x0 == 20 and x1 == 280 and y1 < y0  # higher value drawn higher
    px_per_unit = (y0 - y1) / 4.0
    assert c.band[1] - c.band[0] == pytest.approx(4.0 * px_per_unit, abs=0.2)  # band spans 2 x SDD
    assert c.band[0] < y0 < c.band[1]


def test_sdd_comes_from_the_knowledge_base() -> None:
    sdd = sdd_for("running.knee_flexion_ic")
    assert sdd is not None and sdd.value == 14.0 and "Damsted 2015" in sdd.citation and sdd.timing
    assert sdd_for("running.not_a_measure") is None


def test_passwords_and_tokens() -> None:
    h = hash_password("correct horse")
    assert h.startswith("$argon2id$") and verify_password(h, "correct horse")
    assert not verify_password(h, "wrong") and not verify_password(None, "correct horse")
    assert len(token_hash("abc")) == 64 and same("a", "a") and not same("a", None)
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100 and all(len(t) == 43 for t in tokens)  # 32 random bytes, base64url


def test_media_ids_cannot_escape_the_store(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    with pytest.raises(ValueError):
        store.path("../../etc/passwd")
    with pytest.raises(ValueError):
        store.path("ABCDEF" * 6)
    assert store.path("0" * 32).parent.name == "00"


def test_argon2_is_cheap_only_in_the_test_environment() -> None:
    try:
        use_test_cost(False)
        real = hash_password("correct horse")
        assert "$m=65536,t=3,p=4$" in real  # the library's recommended cost (RFC 9106 low memory)
        use_test_cost(True)
        cheap = hash_password("correct horse")
        assert "$m=8,t=1,p=1$" in cheap
        assert verify_password(real, "correct horse") and verify_password(cheap, "correct horse")
        assert not verify_password(real, "wrong horse") and not verify_password(None, "correct horse")
    finally:
        use_test_cost(True)
