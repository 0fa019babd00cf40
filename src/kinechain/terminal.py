"""What the command line shows: one-line errors, and progress with the time left.

Kept apart from :mod:`kinechain.cli` (which parses the commands) so that both stay short.
"""

from __future__ import annotations

import shutil
import sys
import time
import traceback
from collections.abc import Callable
from types import TracebackType

from rich.console import Console, ConsoleDimensions
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from kinechain.errors import KinechainError

#: Narrowest output, columns: tables of measures stay readable in logs and narrow windows.
MIN_WIDTH = 100


class _WideConsole(Console):
    """A console at least :data:`MIN_WIDTH` columns wide, sized at each print.

    The size comes from the terminal (or ``COLUMNS``) when printing rather than once at import;
    without a terminal it is 130 columns.
    """

    @property
    def size(self) -> ConsoleDimensions:
        """Width and height in characters."""
        columns, lines = shutil.get_terminal_size((130, 24))
        return ConsoleDimensions(max(columns, MIN_WIDTH), lines)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        self._width, self._height = new_size


#: Messages, progress and errors (stderr); results go to ``out`` (stdout).
console = _WideConsole(stderr=True)
out = _WideConsole()

STAGE_LABELS = {
    "pose": "Finding the body in each frame",
    "cleaning": "Cleaning the landmarks",
    "measures": "Measuring",
    "report": "Writing the report",
    "overlay": "Drawing the overlay video",
}
#: Without a terminal (a log file, a pipe), a progress line is written at most this often, s.
PLAIN_EVERY_S = 10.0
#: Exit codes: bad input or usage, an unexpected failure, interrupted (128 + SIGINT).
EXIT_USAGE, EXIT_FAILURE, EXIT_INTERRUPTED = 2, 1, 130


def _format_seconds(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


class _PlainProgress:
    """Progress as occasional plain lines with the time left, for stderr that is not a terminal."""

    def __init__(self, write: Callable[[str], None], clock: Callable[[], float] = time.monotonic) -> None:
        self.write = write
        self.clock = clock
        self.started: dict[str, tuple[float, int]] = {}
        self.last = -float("inf")

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        start, done_at_start = self.started.setdefault(stage, (now, done))
        if now - max(self.last, start) < PLAIN_EVERY_S or done <= done_at_start or not 0 < done < total:
            return  # no estimate until the stage has run a while, then one line per period
        self.last = now
        left = (now - start) / (done - done_at_start) * (total - done)
        label = STAGE_LABELS.get(stage, stage)
        self.write(f"{label}: {done}/{total} ({100 * done / total:.0f}%), about {_format_seconds(left)} left")


class StageBar:
    """Progress of each stage, fed by the pipeline's ``(stage, done, total)`` callback.

    On a terminal, a rich bar per stage with the elapsed time and the time left; otherwise a
    plain line every :data:`PLAIN_EVERY_S` seconds with the share done and the time left.
    """

    def __init__(self, target: Console | None = None) -> None:
        self.console = target or console
        self.progress: Progress | None = None
        self.plain = _PlainProgress(lambda line: self.console.print(line, soft_wrap=True, markup=False))
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> StageBar:
        if self.console.is_terminal:
            self.progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.progress.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.progress is not None:
            self.progress.__exit__(kind, exc, tb)

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show that ``done`` of ``total`` steps of ``stage`` are done (total 0: unknown)."""
        if self.progress is None:
            self.plain(stage, done, total)
            return
        if stage not in self.tasks:
            self.tasks[stage] = self.progress.add_task(STAGE_LABELS.get(stage, stage), total=total or None)
        self.progress.update(self.tasks[stage], completed=done, total=max(total, done) or None)


def _usage_message(exc: BaseException) -> str | None:
    """Return the one-line message of a command-line usage error (typer's or click's), else None."""
    fmt = getattr(exc, "format_message", None)
    if fmt is None or not isinstance(getattr(exc, "exit_code", None), int):
        return None
    message = " ".join(str(fmt()).split())
    command = getattr(getattr(exc, "ctx", None), "command_path", None)
    hint = f" (see {command} --help)" if command else ""
    return f"{message}{hint}"


def error_line(message: str) -> None:
    """Print ``error: message`` as one line on stderr (no markup is read from the message)."""
    console.print(f"[red]error:[/] {escape(message)}", soft_wrap=True)


def exit_code_for(exc: BaseException, *, debug: bool = False) -> int:
    """Report an exception that ended a command in one sentence and return the exit code.

    Parameters
    ----------
    exc : BaseException
        What stopped the command.
    debug : bool
        Also print the traceback (``--debug``).

    Returns
    -------
    int
        2 for bad input or usage, 130 when interrupted, 1 for an unexpected failure.
    """
    if debug and not isinstance(exc, SystemExit):
        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    if isinstance(exc, KinechainError):
        error_line(str(exc))
        return EXIT_USAGE
    if isinstance(exc, KeyboardInterrupt) or type(exc).__name__ == "Abort":
        error_line("interrupted.")
        return EXIT_INTERRUPTED
    usage = _usage_message(exc)
    if usage is not None:
        error_line(usage)
        return EXIT_USAGE
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        error_line(f"{exc.strerror}{where}; check the path and its permissions.")
        return EXIT_USAGE
    error_line(
        f"kinechain stopped on an unexpected {type(exc).__name__} ({exc}); run the same command "
        "with --debug to see where, and please report it."
    )
    return EXIT_FAILURE
