"""Wall time of the README's example command, start to finish, as a user waits for it.

Runs ``kinechain analyze CLIP --report R --json J`` (the command scripts/run-example.sh runs) in
fresh processes, so Python start-up, imports and the first model load are included, and prints
the median and range with the machine's cores and load average.

    .venv/bin/python benchmarks/cli_example.py examples/running-side-treadmill.mp4 --runs 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run(clip: str, model: str, folder: Path) -> float:
    """Seconds for one ``kinechain analyze`` with an HTML report and a JSON result."""
    args = [sys.executable, "-m", "kinechain", "analyze", clip, "--model", model]
    args += ["--report", str(folder / "report.html"), "--json", str(folder / "result.json")]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip")
    parser.add_argument("--model", default="balanced", choices=["fast", "balanced", "accurate"])
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = [one_run(opts.clip, opts.model, Path(tmp)) for _ in range(opts.runs)]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (1, 5, 15 min)")
    print(f"kinechain analyze {opts.clip} --model {opts.model} --report --json, {opts.runs} runs")
    print(f"wall time median {statistics.median(times):.1f} s, range {min(times):.1f}-{max(times):.1f} s")


if __name__ == "__main__":
    main()
