"""Jobs survive the death of their worker: a heartbeat while a job runs, a reaper for silent ones.

A running job writes ``Job.heartbeat`` every ``HEARTBEAT_S`` seconds from a thread of the
process that runs it. If that process or its machine dies (SIGKILL, power, OOM killer), the
heartbeat stops. A reaper thread, in the web app when jobs go to Celery and in every
``kinechain worker``, looks every ``REAP_EVERY_S`` seconds for running jobs silent for more than
``STALE_S`` seconds and queues them again (compare-and-set on the row, so two reapers never both
do it), or fails them with a clear reason after ``MAX_ATTEMPTS`` starts. So a dead worker's job is
picked up again within about ``STALE_S + REAP_EVERY_S`` seconds instead of waiting for the
broker's visibility timeout; a second delivery of a job another worker is still running (its
heartbeat is fresh) does nothing.

The intervals are operations conventions: a heartbeat a few times a minute costs one tiny UPDATE,
and a job is declared dead after several missed beats so that a busy database does not cause
false alarms.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from kinechain.store.db import session_scope
from kinechain.store.models import Job, utcnow

log = logging.getLogger(__name__)

#: Seconds between two heartbeats of a running job.
HEARTBEAT_S = 10.0
#: A running job silent for this long (s) has lost its worker.
STALE_S = 45.0
#: Seconds between two looks of the reaper.
REAP_EVERY_S = 15.0
#: Starts of one job (first run and restarts after a lost worker) before it is failed.
MAX_ATTEMPTS = 3

GAVE_UP = (
    "the analysis was started {n} times and its worker stopped each time before it finished (e.g. "
    "the machine ran out of memory); try again with the Retry button, or film a shorter clip."
)


def beat(sessions: sessionmaker[Session], job_id: int) -> None:
    """Record that the job's worker is alive."""
    with session_scope(sessions) as s:
        s.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == "running")
            .values(heartbeat=utcnow())
            .execution_options(synchronize_session=False)
        )


class Heartbeat:
    """Context manager beating for a job from a daemon thread while the job runs.

    Parameters
    ----------
    sessions : sessionmaker
        Database sessions.
    job_id : int
        The running job.
    interval_s : float
        Seconds between beats.
    """

    def __init__(self, sessions: sessionmaker[Session], job_id: int, interval_s: float = HEARTBEAT_S) -> None:
        self.sessions, self.job_id, self.interval_s = sessions, job_id, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"kinechain-heartbeat-{job_id}", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                beat(self.sessions, self.job_id)
            except Exception:  # a missed beat is not fatal; several in a row make the job stale
                log.warning("heartbeat of job %s not recorded", self.job_id, exc_info=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def is_fresh(job: Job, stale_s: float = STALE_S) -> bool:
    """Return True when the job's last heartbeat is younger than ``stale_s`` seconds."""
    if job.heartbeat is None:
        return False
    last = job.heartbeat if job.heartbeat.tzinfo else job.heartbeat.replace(tzinfo=utcnow().tzinfo)
    return utcnow() - last < timedelta(seconds=stale_s)


def _take_back(s: Session, job: Job, cutoff: Any) -> bool:
    """Compare-and-set a silent running job back to queued (or failed after MAX_ATTEMPTS)."""
    gave_up = job.attempts >= MAX_ATTEMPTS
    values: dict[str, Any] = {
        "state": "failed",
        "reason": GAVE_UP.format(n=job.attempts),
        "finished": utcnow(),
    }
    if not gave_up:
        values = {"state": "queued", "stage": "", "progress": 0.0}
    done = s.execute(
        update(Job)
        .where(Job.id == job.id, Job.state == "running", or_(Job.heartbeat.is_(None), Job.heartbeat < cutoff))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(done, "rowcount", 0)) and not gave_up


def requeue_stale(
    sessions: sessionmaker[Session], submit: Callable[[int], None], stale_s: float = STALE_S
) -> list[int]:
    """Queue again every running job silent for ``stale_s`` seconds; return their ids.

    Jobs already started ``MAX_ATTEMPTS`` times are failed with :data:`GAVE_UP` instead.
    """
    cutoff = utcnow() - timedelta(seconds=stale_s)
    with session_scope(sessions) as s:
        silent = s.scalars(
            select(Job).where(
                Job.state == "running",
                or_(Job.heartbeat < cutoff, Job.heartbeat.is_(None) & (Job.started < cutoff)),
            )
        ).all()
        ids = [job.id for job in silent if _take_back(s, job, cutoff)]
    for job_id in ids:
        log.warning("job %s lost its worker (no heartbeat for %.0f s); queued again", job_id, stale_s)
        submit(job_id)
    return ids


class Reaper:
    """A daemon thread calling :func:`requeue_stale` every ``every_s`` seconds until stopped."""

    def __init__(
        self, sessions: sessionmaker[Session], submit: Callable[[int], None], every_s: float = REAP_EVERY_S
    ) -> None:
        self.sessions, self.submit, self.every_s = sessions, submit, every_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kinechain-reaper", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                requeue_stale(self.sessions, self.submit)
            except Exception:
                log.warning("looking for jobs that lost their worker failed", exc_info=True)

    def start(self) -> Reaper:
        """Start looking; return self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop looking."""
        self._stop.set()
