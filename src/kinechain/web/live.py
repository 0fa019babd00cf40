"""Run the app on a local port in a background thread (browser tests, screenshots, the benchmark)."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn

from kinechain.config import Settings
from kinechain.web.app import create_app

#: Flags for Debian's Chromium driven headless by Playwright (no network chatter, no sandbox in CI).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """The web app served by uvicorn on 127.0.0.1 in a daemon thread.

    Use as a context manager; ``url`` is the base URL.
    """

    def __init__(self, settings: Settings, port: int | None = None) -> None:
        self.app = create_app(settings)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="kinechain-live")

    def __enter__(self) -> LiveServer:
        self.thread.start()
        end = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > end or not self.thread.is_alive():
                raise RuntimeError("the web app did not start within 30 s")
            time.sleep(0.05)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.app.state.engine.dispose()
