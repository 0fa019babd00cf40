#!/usr/bin/env bash
# Analyse the bundled example clip (a treadmill run filmed from the side) and write its report.
#   bash scripts/run-example.sh [OUTPUT_FOLDER]        (default: out/, which git ignores)
# Needs Python 3.10+ and npm. The first run installs kinechain into ./.venv and fetches the pose
# models (scripts/install.sh); later runs start at once and work offline.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-out}
if ! .venv/bin/kinechain models check >/dev/null 2>&1; then
  bash scripts/install.sh
fi
mkdir -p "$OUT"
.venv/bin/kinechain analyze examples/running-side-treadmill.mp4 \
  --report "$OUT/report.html" --json "$OUT/result.json"
