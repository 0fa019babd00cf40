"""Progress lines with the time left when stderr is not a terminal."""

from kinechain.terminal import PLAIN_EVERY_S, _format_seconds, _PlainProgress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_plain_progress_estimates_the_time_left_from_the_rate_so_far():
    lines: list[str] = []
    clock = Clock()
    show = _PlainProgress(lines.append, clock=clock)
    show("pose", 0, 1000)  # the stage starts at t = 0
    clock.now = 2 * PLAIN_EVERY_S
    show("pose", 100, 1000)  # 100 frames in 20 s: 900 more take 180 s
    assert lines == ["Finding the body in each frame: 100/1000 (10%), about 3 min 00 s left"]


def test_plain_progress_is_quiet_between_lines_and_at_the_end():
    lines: list[str] = []
    clock = Clock()
    show = _PlainProgress(lines.append, clock=clock)
    show("pose", 0, 10)
    clock.now = PLAIN_EVERY_S
    show("pose", 5, 10)
    clock.now = PLAIN_EVERY_S + 1
    show("pose", 6, 10)  # too soon after the last line
    clock.now = 3 * PLAIN_EVERY_S
    show("pose", 10, 10)  # done: nothing left to estimate
    show("cleaning", 0, 0)  # unknown total
    assert len(lines) == 1 and "5/10 (50%), about 10 s left" in lines[0]


def test_format_seconds():
    assert _format_seconds(59.6) == "1 min 00 s"
    assert _format_seconds(7) == "7 s"
    assert _format_seconds(3725) == "62 min 05 s"


def test_plain_progress_waits_for_a_rate_before_estimating():
    lines: list[str] = []
    clock = Clock()
    show = _PlainProgress(lines.append, clock=clock)
    clock.now = 100.0
    show("report", 1, 50)  # the first step of a stage gives no rate yet
    clock.now = 100.0 + PLAIN_EVERY_S
    show("report", 11, 50)  # 10 steps in the 10 s since the stage began: 39 more take 39 s
    assert lines == ["Writing the report: 11/50 (22%), about 39 s left"]
