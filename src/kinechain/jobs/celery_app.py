"""The Celery application behind ``kinechain worker``.

A job is acknowledged only after it has run (``acks_late``) and is handed back to the broker if
its worker process dies (``reject_on_worker_lost``); with Redis, a job whose whole worker machine
vanished is delivered again after ``visibility_timeout_s``. Each worker takes one job at a time
(``prefetch_multiplier`` 1), so no job waits behind another on a busy worker. Each worker also
runs the reaper of :mod:`kinechain.jobs.heartbeat`: a job whose worker died (no heartbeat for
about a minute) is queued again within a minute or two, long before the visibility timeout.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import worker_ready

from kinechain.config import Settings

_CONTEXT: dict[str, Any] = {}


def make_celery(settings: Settings) -> Celery:
    """Return a Celery app for the settings' broker, with the late-acknowledgement policy above."""
    app = Celery("kinechain", broker=settings.broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout_s,
            # Look for jobs past their visibility timeout every few seconds (one cheap Redis
            # query), rather than kombu's default of about every 100 s.
            "unacked_restore_interval": max(1, min(10, settings.visibility_timeout_s // 4)),
            "unacked_restore_throttle": 1,
        },
        worker_hijack_root_logger=False,
    )
    app.task(name="kinechain.analyse", bind=True)(_analyse_task)
    _CONTEXT["settings"] = settings
    return app


def _start_reaper(sender: Any = None, **_: Any) -> None:
    """In a worker's main process: queue again, every few seconds, jobs whose worker died."""
    from kinechain.jobs.analysis import JobContext
    from kinechain.jobs.heartbeat import Reaper

    app = getattr(sender, "app", None)
    if app is None or "reaper" in _CONTEXT:
        return
    ctx = JobContext.from_settings(_CONTEXT["settings"])
    _CONTEXT["reaper"] = Reaper(
        ctx.sessions, lambda job_id: app.send_task("kinechain.analyse", args=[job_id])
    ).start()


worker_ready.connect(_start_reaper, weak=False)


def _analyse_task(task: Any, job_id: int) -> str:
    from kinechain.jobs.analysis import JobContext, run_job

    ctx = _CONTEXT.get("ctx")
    if ctx is None:
        ctx = _CONTEXT["ctx"] = JobContext.from_settings(_CONTEXT["settings"])
    return run_job(ctx, job_id)


def worker_app() -> Celery:
    """Return the app ``kinechain worker`` runs, with settings from the environment."""
    return make_celery(Settings())
