"""The kinechain exception tree.

Every error a user can cause carries one sentence that says what is wrong and what to do::

    KinechainError
     +-- InputError                  bad input: a file, an argument or a recording
     |    +-- UnreadableVideo        cannot be opened or decoded
     |    +-- NoVideoStream          the file holds no video stream
     |    +-- VideoTooShort          too few frames or seconds to measure anything
     |    +-- NoPersonFound          no person was detected in enough frames
     |    +-- UnsupportedView        the test cannot be measured from this camera view
     |    +-- KeypointFileError      a recorded keypoint file is malformed
     |    +-- MocapFileError         a motion-capture or force file is malformed
     +-- QualityError                the recording can be read but not measured reliably
     +-- ModelError                  pose-model files are missing or fail their checksum
     +-- ConfigError                 an invalid option or setting
"""

from __future__ import annotations

from collections.abc import Iterable


class KinechainError(Exception):
    """Base class of every error raised on purpose by kinechain."""


class InputError(KinechainError):
    """The input (file, argument or recording) cannot be used."""


class UnreadableVideo(InputError):
    """The video file cannot be opened or decoded."""


class NoVideoStream(InputError):
    """The file opens but holds no video stream."""


class VideoTooShort(InputError):
    """The video is too short to measure anything."""


class NoPersonFound(InputError):
    """No person was found in enough frames of the video."""


class UnsupportedView(InputError):
    """The requested measure or test cannot be taken from this camera view."""


class KeypointFileError(InputError):
    """A recorded keypoint file (kinechain or OpenPose JSON) is malformed."""


class MocapFileError(InputError):
    """A motion-capture (C3D, TRC) or force file is malformed."""


class QualityError(KinechainError):
    """The recording can be read but is not good enough to measure."""


class ModelError(KinechainError):
    """Pose-model files are missing, incomplete or fail their checksum."""


class ConfigError(KinechainError):
    """An option or setting has an invalid value."""


def check_option(name: str, value: object, allowed: Iterable[object]) -> None:
    """Raise ConfigError naming the allowed values when ``value`` is not one of them.

    Parameters
    ----------
    name : str
        The option's name as the user knows it.
    value : object
        The value given.
    allowed : iterable
        The accepted values.
    """
    allowed = list(allowed)
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise ConfigError(f"{name} must be one of {shown}; got {value!r}.")
