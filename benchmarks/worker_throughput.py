"""Clips analysed per minute with 1, 2 and 4 Celery worker processes on this machine.

Starts a private redis-server, then for each pool size a Celery worker with that many prefork
processes (``--concurrency``), each running the analysis ``kinechain worker`` runs for a job
(``kinechain.analyze`` with default settings; no database, overlay or report), and times a batch
of the same clip from the first submission to the last result. Each worker process imports
kinechain and MediaPipe when it starts, as a long-running worker does, so that is not timed.
Runs with the default pose threads (time segments on all cores) and with one pose thread per
analysis, the better choice when the worker processes already fill the cores.

    PYTHONPATH=src python benchmarks/worker_throughput.py [CLIP] [--jobs 4]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from celery import Celery
from celery.signals import worker_process_init

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BROKER = os.environ.get("KINECHAIN_BENCH_BROKER", "redis://127.0.0.1:6399/0")
app = Celery("bench", broker=BROKER, backend=BROKER)
app.conf.update(worker_prefetch_multiplier=1, task_acks_late=True)


@worker_process_init.connect
def _warm(**_: object) -> None:
    """Import the pipeline and MediaPipe in each worker process before jobs arrive."""
    import mediapipe.tasks.python.vision  # noqa: F401

    import kinechain.pipeline  # noqa: F401


@app.task(name="bench.analyse")
def analyse(clip: str) -> float:
    """Analyse one clip with default settings; return its seconds."""
    import kinechain

    start = time.perf_counter()
    kinechain.analyze(clip)
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(n: int, timeout: float = 120.0) -> None:
    """Wait until the worker answers a ping (its pool processes are then started)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if app.control.ping(timeout=1.0):
            time.sleep(2.0 + n)  # the pool processes finish importing (worker_process_init)
            return
    sys.exit("the Celery worker did not start")


def batch(clip: str, processes: int, jobs: int, threads: str, env: dict[str, str]) -> float:
    """Clips per minute of one worker with ``processes`` pool processes over ``jobs`` clips."""
    wenv = {**env, "KINECHAIN_POSE_THREADS": threads} if threads else dict(env)
    cmd = [sys.executable, "-m", "celery", "-A", "worker_throughput", "worker", f"--concurrency={processes}"]
    cmd += ["--pool=prefork", "--without-gossip", "--without-mingle", "--loglevel=WARNING"]
    worker = subprocess.Popen(cmd, cwd=HERE, env=wenv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_ready(processes)
        start = time.perf_counter()
        results = [analyse.delay(clip) for _ in range(jobs)]
        for r in results:
            r.get(timeout=900)
        return 60.0 * jobs / (time.perf_counter() - start)
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", default=str(ROOT / "examples" / "running-side-treadmill.mp4"))
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="pool sizes")
    args = parser.parse_args()
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    env = {**os.environ, "KINECHAIN_BENCH_BROKER": url, "PYTHONPATH": f"{ROOT / 'src'}:{HERE}"}
    app.conf.broker_url = app.conf.result_backend = url
    with tempfile.TemporaryDirectory() as tmp:
        redis = subprocess.Popen(
            ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", tmp],
            stdout=subprocess.DEVNULL,
        )
        try:
            time.sleep(1.0)
            name, cores = Path(args.clip).name, os.cpu_count()
            print(f"\n== Celery throughput, {name}, {args.jobs} clips per batch, {cores} cores")
            for threads, label in (("", "default pose threads"), ("1", "1 pose thread")):
                for n in args.workers:
                    rate = batch(args.clip, n, args.jobs, threads, env)
                    print(f"{n} worker process(es), {label:20s}: {rate:5.2f} clips/min")
        finally:
            redis.terminate()
            redis.wait(timeout=30)


if __name__ == "__main__":
    main()
