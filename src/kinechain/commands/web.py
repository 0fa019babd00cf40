"""Commands of the clinic web app: ``serve`` and ``worker`` (Celery)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kinechain.errors import ConfigError
from kinechain.terminal import console

if TYPE_CHECKING:
    from kinechain.config import Settings


def _web_settings(data_dir: Path | None) -> Settings:
    import os

    from kinechain.config import DEFAULT_SECRET, development_secret
    from kinechain.config import Settings as _Settings

    if data_dir is not None:
        os.environ["KINECHAIN_DATA_DIR"] = str(data_dir)
    settings = _Settings()
    if settings.environment == "development" and settings.secret_key == DEFAULT_SECRET:
        settings = settings.model_copy(update={"secret_key": development_secret(settings.data_dir)})
    return settings


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: Annotated[
        Path | None, typer.Option(help="Database and media folder (default ~/.local/share/kinechain/app).")
    ] = None,
) -> None:
    """Start the clinic web app (SQLite and in-process analysis unless KINECHAIN_* settings say otherwise)."""
    import uvicorn

    from kinechain.web.app import create_app

    settings = _web_settings(data_dir)
    if host not in ("127.0.0.1", "localhost", "::1") and not settings.cookie_secure:
        console.print("[yellow]note:[/] cookies are not marked Secure; serve over HTTPS in production.")
    web = create_app(settings)
    where = "Celery workers" if settings.broker_url else "this process"
    console.print(
        f"kinechain web app on http://{host}:{port}  (data: {settings.data_dir}; analysis in {where})"
    )
    uvicorn.run(web, host=host, port=port, log_level="info", proxy_headers=True)


def worker(
    concurrency: Annotated[int, typer.Option(help="Jobs this worker runs at once.")] = 1,
    name: Annotated[str | None, typer.Option(help="Worker name (default: host name).")] = None,
) -> None:
    """Run analysis jobs from the broker in KINECHAIN_BROKER_URL (start as many as you like, anywhere)."""
    from kinechain.jobs.celery_app import make_celery

    settings = _web_settings(None)
    if not settings.broker_url:
        raise ConfigError("set KINECHAIN_BROKER_URL (e.g. redis://host:6379/0) to run a worker.")
    celery = make_celery(settings)
    argv = [
        "worker",
        f"--concurrency={concurrency}",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
    ]
    if name:
        argv.append(f"--hostname={name}@%h")
    celery.worker_main(argv)
