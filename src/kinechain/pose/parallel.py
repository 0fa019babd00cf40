"""Run pose segments at once: the first in this process, the others in child processes.

Two pose trackers in two threads of one process reached only 1.38x the frames per second of one
(26.5 against 19.2 fps on the bundled clip, frames decoded beforehand), as they share one
process's MediaPipe runtime; in two processes they reached 1.8x (33.0 fps). So a clip cut into
segments (:mod:`kinechain.pose.segments`) runs its later segments each in a fresh Python process
(``python -m kinechain.pose.worker``). Not :mod:`multiprocessing`: its ``spawn`` start re-runs the
caller's main script in the child, which a library must never do to a user's script, and its
daemon processes (Celery's workers) may not start children.

A job is a picklable callable (a module-level function or a :func:`functools.partial` of one)
taking a ``report(frames_done)`` function. The child sends its progress and then its result (or
its exception) back as pickles on a private pipe.
"""

from __future__ import annotations

import logging
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from functools import partial
from typing import IO, TypeVar, cast

T = TypeVar("T")
#: A segment's work: given a function to report its frames done so far, return its result.
Job = Callable[[Callable[[int], None]], T]
#: Seconds between progress reports while segments run.
POLL_S = 0.25
#: Arguments to the Python interpreter that start a segment's process.
WORKER_ARGS = ("-m", "kinechain.pose.worker")

log = logging.getLogger(__name__)


class ChildDied(RuntimeError):
    """A segment's process ended without a result (killed, e.g. for memory, or crashed)."""


def run_threads(jobs: Sequence[Job[T]], progress: Callable[[int], None] | None = None) -> list[T]:
    """Run ``jobs`` at once in threads of this process.

    Parameters
    ----------
    jobs : sequence of Job
        The segments' work.
    progress : callable, optional
        Called every :data:`POLL_S` s with the frames done over all jobs.

    Returns
    -------
    list
        The jobs' results in order. A job's exception propagates.
    """
    done = [0] * len(jobs)

    def reporter(i: int) -> Callable[[int], None]:
        return lambda d: done.__setitem__(i, d)

    with ThreadPoolExecutor(len(jobs), thread_name_prefix="kinechain-pose") as pool:
        futures = [pool.submit(job, reporter(i)) for i, job in enumerate(jobs)]
        while wait(futures, timeout=POLL_S, return_when="FIRST_EXCEPTION").not_done:
            if any(f.done() and f.exception() for f in futures):
                break  # f.result() below raises it
            if progress:
                progress(sum(done))
        return [f.result() for f in futures]


def run_segments(jobs: Sequence[Job[T]], progress: Callable[[int], None] | None = None) -> list[T] | None:
    """Run the first job here and every other one in a child process, all at once.

    Returns None when a child process died without a result, so that the caller can analyse the
    clip another way; a job's own exception propagates (see :func:`run_threads`).
    """
    try:
        return run_threads([jobs[0], *(partial(in_child, job) for job in jobs[1:])], progress)
    except ChildDied as exc:
        log.warning("a pose segment's process died (%s); the clip is analysed in one process", exc)
        return None


def in_child(job: Job[T], report: Callable[[int], None]) -> T:
    """Run ``job`` in a new ``python -m kinechain.pose.worker`` process and return its result."""
    cmd = [sys.executable, *WORKER_ARGS]
    message = pickle.dumps(job)  # before the child starts: a job that cannot be sent fails here
    with subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        with ThreadPoolExecutor(1) as drain:  # read stderr meanwhile, so the child never blocks on it
            errors = drain.submit(proc.stderr.read)
            try:
                _send(proc.stdin, message)
                outcome = _read_messages(proc.stdout, report)
            except BaseException:
                proc.kill()  # e.g. ``report`` raised (the job was cancelled): the child's work is wasted
                raise
            tail = errors.result().decode(errors="replace").strip().splitlines()[-1:]
    if outcome is None and proc.returncode == -signal.SIGINT:
        raise KeyboardInterrupt  # Ctrl-C reached the child too (same process group): stop, do not redo
    if outcome is None:
        raise ChildDied(f"exit code {proc.returncode}: {' '.join(tail) or 'no message'}")
    kind, payload = outcome
    if isinstance(payload, BaseException) and kind == "error":
        raise payload
    return cast(T, payload)


def _send(channel: IO[bytes], message: bytes) -> None:
    """Write the pickled job to the child's stdin and close it."""
    try:
        channel.write(message)
    except BrokenPipeError:
        pass  # the child died at start; its exit is reported by the caller
    finally:
        channel.close()


def _read_messages(channel: IO[bytes], report: Callable[[int], None]) -> tuple[str, object] | None:
    """Read ("progress", n) messages until ("done", result) or ("error", exception); None at EOF."""
    while True:
        try:
            kind, payload = pickle.load(channel)
        except (EOFError, pickle.UnpicklingError):
            return None
        if kind == "progress":
            report(int(payload))
        else:
            return kind, payload
