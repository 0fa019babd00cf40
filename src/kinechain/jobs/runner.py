"""Job runners: where a queued analysis job is sent.

``ThreadRunner`` runs jobs in a thread pool inside the web process (the default, no extra
service). ``CeleryRunner`` sends them to ``kinechain worker`` processes over a Redis broker, on
any number of machines. Either way the job row in the database is the single source of its state.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from kinechain.jobs.analysis import JobContext, run_job
from kinechain.jobs.heartbeat import Reaper
from kinechain.store import repo
from kinechain.store.db import session_scope

log = logging.getLogger(__name__)

#: Publishing gives up after about 3 s when the broker is unreachable (the job stays queued).
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0.5, "interval_step": 1.0, "interval_max": 1.0}


class JobRunner(Protocol):
    """Something that runs analysis jobs by id."""

    def submit(self, job_id: int) -> None:
        """Queue a job (its row already exists with state "queued")."""

    def resume_pending(self) -> int:
        """Queue again the jobs left queued or running by a process that stopped; return how many."""

    def shutdown(self) -> None:
        """Stop accepting jobs and release resources."""


class ThreadRunner:
    """Run jobs in a pool of threads in this process.

    Parameters
    ----------
    ctx : JobContext
        Database, media store and settings for the jobs.
    threads : int
        Jobs run at once.
    """

    def __init__(self, ctx: JobContext, threads: int = 1) -> None:
        self.ctx = ctx
        self.pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="kinechain-job")

    def submit(self, job_id: int) -> None:
        """Queue a job on the pool."""
        self.pool.submit(run_job, self.ctx, job_id)

    def resume_pending(self) -> int:
        """Queue the jobs a previous run of the app left unfinished (running ones start over)."""
        with session_scope(self.ctx.sessions) as s:
            repo.requeue_running(s)
            ids = repo.pending_job_ids(s)
        for job_id in ids:
            self.submit(job_id)
        return len(ids)

    def shutdown(self) -> None:
        """Finish running jobs; queued ones stay "queued" in the database and resume next start."""
        self.pool.shutdown(wait=True, cancel_futures=True)


class CeleryRunner:
    """Send jobs to Celery workers through the broker in ``settings.broker_url``."""

    def __init__(self, ctx: JobContext) -> None:
        from kinechain.jobs.celery_app import make_celery

        self.ctx = ctx
        self.app = make_celery(ctx.settings)
        self.reaper: Reaper | None = None

    def submit(self, job_id: int) -> None:
        """Publish the job to the broker; if the broker cannot be reached, the job stays queued.

        A queued job is published again when the web app next starts (:meth:`resume_pending`).
        """
        from kombu.exceptions import OperationalError

        try:
            self.app.send_task("kinechain.analyse", args=[job_id], retry=True, retry_policy=PUBLISH_RETRY)
        except OperationalError as exc:
            log.warning("job %s stays queued: the broker cannot be reached (%s)", job_id, exc)

    def resume_pending(self) -> int:
        """Publish again the jobs still queued (e.g. the broker was down when they were created).

        Jobs already in the broker may then be delivered twice; the second delivery of a finished
        job does nothing, so this costs at most a repeated analysis, never a lost one.
        """
        with session_scope(self.ctx.sessions) as s:
            ids = repo.queued_job_ids(s)
        for job_id in ids:
            self.submit(job_id)
        if self.reaper is None:  # and from now on, queue again the jobs whose worker died
            self.reaper = Reaper(self.ctx.sessions, self.submit).start()
        return len(ids)

    def shutdown(self) -> None:
        """Stop the reaper and close the broker connection pool."""
        if self.reaper is not None:
            self.reaper.stop()
        self.app.close()


def make_runner(ctx: JobContext) -> JobRunner:
    """Return a CeleryRunner when a broker URL is set, else a ThreadRunner."""
    if ctx.settings.broker_url:
        return CeleryRunner(ctx)
    return ThreadRunner(ctx, ctx.settings.job_threads)
