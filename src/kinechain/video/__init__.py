"""Reading and writing video files."""

from kinechain.video.reader import Frame, iter_frames, probe, read_frames_at

__all__ = ["Frame", "iter_frames", "probe", "read_frames_at"]
