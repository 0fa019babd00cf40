"""Cheap checks made before any analysis starts: output paths, input files, frame rate.

Each check takes well under a second (the video check opens the container and decodes one
frame), so a command that would fail late fails at once, with one sentence saying what to do.
Content checks that need the landmarks (light, framing, motion, view) stay in
:mod:`kinechain.protocols.quality`, after the pose model has run.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from kinechain.errors import ConfigError, InputError, QualityError
from kinechain.model.recording import VideoInfo
from kinechain.protocols.quality import MIN_FPS
from kinechain.video.reader import probe


def check_output_paths(paths: Mapping[str, Path | None]) -> None:
    """Refuse output paths that cannot be written, before any work is done.

    Missing folders are created, as the writers would; a temporary file is created and removed
    in each folder to prove it can be written (permissions, read-only disks).

    Parameters
    ----------
    paths : mapping of str to Path or None
        Option name as the user typed it (e.g. ``"--json"``) to the path given; None is skipped.

    Raises
    ------
    ConfigError
        When a path names a folder, its folder cannot be created or written, the file exists
        and cannot be overwritten, or two options name the same file.
    """
    seen: dict[Path, str] = {}
    for option, path in paths.items():
        if path is None:
            continue
        if path.is_dir():
            raise ConfigError(f"{option} {path} is a folder; give a file name inside it.")
        _check_writable_folder(option, path, path.parent)
        if path.exists() and not os.access(path, os.W_OK):
            raise ConfigError(f"{option} {path} exists and cannot be overwritten; choose another name.")
        key = path.resolve()
        if key in seen:
            raise ConfigError(f"{seen[key]} and {option} name the same file {path}; give each its own.")
        seen[key] = option


def _check_writable_folder(option: str, path: Path, folder: Path) -> None:
    existing = next(p for p in (folder, *folder.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise ConfigError(f"{option} {path}: {existing} is a file, not a folder; choose another path.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"{option} {path} cannot be written ({reason}); choose another path.") from exc


def check_output_folder(option: str, folder: Path) -> None:
    """Create an output folder now, and refuse it when it cannot be created or written.

    Parameters
    ----------
    option : str
        The option's name as the user typed it (e.g. ``"--out"``).
    folder : Path
        The folder the command will write into.
    """
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{option} {folder} is a file, not a folder; give a folder name.")
    _check_writable_folder(option, folder, folder)


def check_input_file(option: str, path: Path, *, folder_ok: bool = False) -> None:
    """Refuse an input path that does not exist (or is a folder, unless ``folder_ok``)."""
    if not path.exists():
        raise InputError(f"{option} {path} does not exist; check the path and try again.")
    if path.is_dir() and not folder_ok:
        raise InputError(f"{option} {path} is a folder; give the path of a file.")


def check_video(path: Path, *, min_fps: float = MIN_FPS, gate: bool = True) -> VideoInfo:
    """Open a video's container, decode its first frame and check its frame rate.

    Parameters
    ----------
    path : Path
        The video file.
    min_fps : float
        Frame rate below which nothing is measured, frames per second (the capture check's
        :data:`kinechain.protocols.quality.MIN_FPS`).
    gate : bool
        When False (``--no-gate``) a low frame rate is left to the capture checks to report.

    Returns
    -------
    VideoInfo
        What :func:`kinechain.video.reader.probe` read.

    Raises
    ------
    InputError
        The file is missing, not a video (a still image, text) or too short.
    QualityError
        The container's frame rate is below ``min_fps``.
    """
    info = probe(path)
    if gate and 0 < info.fps < min_fps:
        raise QualityError(
            f"{path} has only {info.fps:.0f} frames per second and nothing can be measured below "
            f"{min_fps:.0f}; film at 30 fps or more (60 for running), or pass --no-gate to try anyway."
        )
    return info


def check_clip(video: Path | None, keypoints: Path | None, *, gate: bool = True) -> None:
    """Check a clip before any work: the keypoints file when replaying, else the video and its frame rate.

    Parameters
    ----------
    video : Path, optional
        The video (only its existence is checked when keypoints are replayed).
    keypoints : Path, optional
        Recorded keypoints (a file or an OpenPose folder) replayed instead of the pose model.
    gate : bool
        When False (``--no-gate``) a low frame rate is left to the capture checks.
    """
    if keypoints is not None:
        check_input_file("--keypoints", keypoints, folder_ok=True)
        if video is not None:
            check_input_file("VIDEO", video)
    elif video is not None:
        check_video(video, gate=gate)
