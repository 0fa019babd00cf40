"""`kinechain serve` starts a working app on SQLite alone; `kinechain worker` needs a broker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kinechain.web.live import free_port

SRC = Path(__file__).resolve().parents[2] / "src"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINECHAIN_")}
    return {**env, "PYTHONPATH": str(SRC), "XDG_DATA_HOME": str(tmp_path / "xdg")}


def test_serve_starts_on_sqlite_with_its_own_secret(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kinechain", "serve", "--port", str(port), "--data-dir", str(data)],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        end, status = time.monotonic() + 60, None
        while time.monotonic() < end and status != 200:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code
            except httpx.HTTPError:
                time.sleep(0.3)
        assert status == 200
        assert (data / "kinechain.db").is_file() and (data / "media").is_dir()
        secret = data / "secret_key"
        assert secret.stat().st_mode & 0o777 == 0o600 and len(secret.read_text()) == 64
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_worker_without_broker_says_what_to_set(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "kinechain", "worker"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.returncode == 2 and "KINECHAIN_BROKER_URL" in r.stderr


def test_serve_refuses_placeholder_secret_in_production(tmp_path: Path) -> None:
    env = {**_env(tmp_path), "KINECHAIN_ENVIRONMENT": "production"}
    r = subprocess.run(
        [sys.executable, "-m", "kinechain", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert r.returncode == 2 and "KINECHAIN_SECRET_KEY must be set" in r.stderr
