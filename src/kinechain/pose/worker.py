"""A child process that runs one pose segment: ``python -m kinechain.pose.worker``.

Reads one pickled job from stdin (see :mod:`kinechain.pose.parallel`), runs it, and writes
pickled messages on its own copy of stdout: ("progress", frames done) now and then, then
("done", result) or ("error", exception). File descriptor 1 is pointed at stderr first, so that
anything native code prints cannot corrupt the messages.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections.abc import Callable
from typing import IO

Send = Callable[[str, object], None]

#: Seconds between progress messages.
REPORT_EVERY_S = 0.2


def _sender(channel: IO[bytes]) -> tuple[Send, Callable[[int], None]]:
    last = [0.0]

    def send(kind: str, payload: object) -> None:
        pickle.dump((kind, payload), channel)
        channel.flush()

    def report(done: int) -> None:
        now = time.monotonic()
        if now - last[0] >= REPORT_EVERY_S:
            last[0] = now
            send("progress", done)

    return send, report


def main() -> None:
    """Run the job read from stdin and send its result back."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    send, report = _sender(channel)
    job = pickle.load(sys.stdin.buffer)
    try:
        result = job(report)
    except Exception as exc:  # sent to the parent, which raises it there
        send("error", exc)
    else:
        send("done", result)
    channel.close()


if __name__ == "__main__":
    main()
