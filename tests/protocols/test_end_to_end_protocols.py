"""End to end with the real pose model: a shared squat clip analysed with test and view detection."""

import pytest

import kinechain

pytestmark = [pytest.mark.usefixtures("require_models"), pytest.mark.shared, pytest.mark.model]


def test_goblet_squat_video_is_detected_and_measured(shared_data):
    analysis = kinechain.analyze(shared_data / "video" / "squat-side" / "goblet-squat-side.mp4", test="auto")
    result = analysis.result
    assert (result.test, result.view.view) == ("double_leg_squat", "right")
    assert result.settings["detection"]["requested_test"] == "auto"
    bottoms = [e.time for e in result.events if e.kind == "rep_bottom"]
    assert len(bottoms) == 2 and 9.5 <= bottoms[0] <= 11.0 and 15.5 <= bottoms[1] <= 18.0  # by eye
    assert result.measure("double_leg_squat.depth").n == 2
    assert "needs a front view" in result.measure("double_leg_squat.fppa", "left").reason
    assert any("at least 3 reps" in w for w in result.warnings)
