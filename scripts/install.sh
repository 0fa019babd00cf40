#!/usr/bin/env bash
# Install kinechain into ./.venv with everything it needs, then fetch and verify the pose models.
# Needs Python 3.10+ with venv, and npm (the models come from the npm registry package
# @mediapipe/pose, checked against pinned SHA-256 sums). On Debian or Ubuntu as root, the system
# libraries OpenCV needs (libGL) and npm are installed with apt when missing. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  need=()
  ldconfig -p | grep -q 'libGL.so.1' || need+=(libgl1)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  if [ ${#need[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
# Fetch the models only when they are missing or fail their checksums (safe to run again).
.venv/bin/kinechain models check >/dev/null 2>&1 || .venv/bin/kinechain models install
echo "kinechain is installed in .venv; try: .venv/bin/kinechain --help"
