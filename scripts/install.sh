#!/usr/bin/env bash
# Install kinechain into ./.venv with everything it needs, then fetch and verify the pose models.
# Needs Python 3.10+ with venv, and npm (the models come from the npm registry package
# @mediapipe/pose, checked against pinned SHA-256 sums). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
.venv/bin/kinechain models install
echo "kinechain is installed in .venv; try: .venv/bin/kinechain --help"
