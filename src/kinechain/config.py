"""Typed settings of the kinechain web app, job runner and store, read from KINECHAIN_* variables.

Every setting has a default that gives a working app on one machine (``kinechain serve``):
SQLite and media in a data directory, analysis in a thread pool. A deployment sets
``KINECHAIN_ENVIRONMENT=production`` and must then give its own ``KINECHAIN_SECRET_KEY``:
:class:`Settings` refuses the built-in placeholder, or a short secret, outside development.
"""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kinechain.errors import ConfigError

#: The placeholder secret; accepted only when ``environment`` is "development".
DEFAULT_SECRET = "changethis"
#: Shortest secret accepted outside development, in characters (32 random bytes hex-encode to 64).
MIN_SECRET_CHARS = 32


#: Most analyses run at once by default, whatever the cores: each takes 0.5-1 GB (a 60 s 1080p
#: clip peaked at 945 MB, docs/benchmarks.md). Engineering convention.
MAX_DEFAULT_JOBS = 4


def usable_cores() -> int:
    """Return the cores this process may use: its CPU affinity, lowered by a cgroup CPU quota.

    A container limited to 2 CPUs on a 64-core host sees 64 in its affinity; its quota
    (``/sys/fs/cgroup/cpu.max``, "QUOTA PERIOD" or "max PERIOD") says 2.
    """
    cores = len(os.sched_getaffinity(0))
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        return cores
    if quota == "max" or not quota.isdigit() or not period.isdigit() or int(period) == 0:
        return cores
    return max(1, min(cores, -(-int(quota) // int(period))))


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/kinechain/app``, else ``~/.local/share/kinechain/app``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kinechain" / "app"


class Settings(BaseSettings):
    """Settings of the web app, store and jobs.

    Attributes
    ----------
    environment : str
        "development" (default), "test" or "production".
    secret_key : str
        Signs share links and CSRF tokens. Outside development: required, at least 32 characters.
    data_dir : Path
        Holds the SQLite database and the media folder by default.
    database_url : str, optional
        SQLAlchemy URL, e.g. ``postgresql+psycopg://user:pw@host/db``; default SQLite in ``data_dir``.
    media_dir : Path, optional
        Where videos, keypoints and overlays are stored under random ids; default ``data_dir/media``.
    broker_url : str, optional
        Redis URL of a Celery broker; when set, analyses go to ``kinechain worker`` processes.
    upload_limit_mb : int
        Largest accepted upload, megabytes (10^6 bytes).
    """

    model_config = SettingsConfigDict(env_prefix="KINECHAIN_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    secret_key: str = DEFAULT_SECRET
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    media_dir: Path | None = None
    broker_url: str | None = None
    #: Seconds before Redis hands an unacknowledged job to another worker. A job its worker still
    #: runs is left alone (fresh heartbeat), so this need not exceed the longest analysis; a dead
    #: worker's job is normally queued again sooner by the heartbeat reaper (kinechain.jobs.heartbeat).
    visibility_timeout_s: int = 600
    #: Analyses run at once by the in-process runner (each in a process of its own when more than
    #: one); default: the usable cores, at most :data:`MAX_DEFAULT_JOBS`.
    job_threads: int = Field(default_factory=lambda: min(usable_cores(), MAX_DEFAULT_JOBS))
    pose_quality: Literal["fast", "balanced", "accurate"] = "balanced"
    upload_limit_mb: int = 500
    #: Draw an overlay video for each analysed clip (costs about as much CPU as the analysis).
    overlay_videos: bool = True
    cookie_secure: bool = True
    #: Session lifetime, hours (clinical-software convention: one working day).
    session_hours: float = 10.0
    #: Login attempts allowed per e-mail address and per client address in ``login_window_min``.
    login_max_attempts: int = 5
    login_window_min: int = 15
    invitation_days: int = 14
    share_link_days: int = 14
    #: Test-only: accept a keypoints file beside the video and replay it instead of running the model.
    allow_keypoints_upload: bool = False
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    public_url: str = "http://127.0.0.1:8000"

    @model_validator(mode="after")
    def _check_secret(self) -> Settings:
        if self.environment == "development":
            return self
        if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < MIN_SECRET_CHARS:
            raise ConfigError(
                f"KINECHAIN_SECRET_KEY must be set to a random value of at least {MIN_SECRET_CHARS} "
                f"characters when KINECHAIN_ENVIRONMENT is {self.environment!r}; generate one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        return self

    @cached_property
    def db_url(self) -> str:
        """The database URL in use (SQLite in ``data_dir`` unless ``database_url`` is set)."""
        return self.database_url or f"sqlite:///{self.data_dir / 'kinechain.db'}"

    @cached_property
    def media_root(self) -> Path:
        """The media folder in use."""
        return self.media_dir or self.data_dir / "media"

    @property
    def upload_limit_bytes(self) -> int:
        """The upload limit in bytes."""
        return self.upload_limit_mb * 1_000_000

    @property
    def smtp_enabled(self) -> bool:
        """True when an SMTP host and sender address are configured."""
        return bool(self.smtp_host and self.smtp_from)


def development_secret(data_dir: Path) -> str:
    """Return this data directory's own random secret, creating it (mode 600) on first use.

    Used by ``kinechain serve`` in development so that even a local app never signs with the
    public placeholder.
    """
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value)
    return value
