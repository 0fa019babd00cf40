"""VideoInfo: what a video file holds, read before any frame is decoded."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class VideoInfo(BaseModel):
    """Metadata of a video file, after rotation.

    Attributes
    ----------
    path : str
        The file's path as given.
    codec : str
        Video codec name (e.g. "h264", "hevc", "vp9").
    container : str
        Container format name (e.g. "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm").
    width, height : int
        Frame size in pixels after the rotation metadata is applied.
    rotation : int
        Clockwise rotation in degrees applied to the decoded frames (0, 90, 180, 270).
    fps : float
        Average frame rate in frames per second.
    duration : float
        Duration of the video stream in seconds.
    n_frames : int
        Number of frames (counted when decoded; estimated from the header before).
    variable_frame_rate : bool
        True when frame intervals differ by more than 10 percent of the median.
    """

    model_config = ConfigDict(frozen=True)

    path: str
    codec: str
    container: str
    width: int
    height: int
    rotation: int = 0
    fps: float
    duration: float
    n_frames: int
    variable_frame_rate: bool = False

    @property
    def orientation(self) -> str:
        """Return "portrait" when taller than wide, else "landscape"."""
        return "portrait" if self.height > self.width else "landscape"
