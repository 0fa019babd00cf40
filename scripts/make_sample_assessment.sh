#!/usr/bin/env bash
# Rebuild the sample assessment report in examples/assessment/ from the bundled real treadmill
# clip (replaying its recorded MediaPipe keypoints, so no pose model is needed). Add more
# --clip TEST:VIEW:VIDEO arguments when other protocols' clips are available.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
"$PY" -m kinechain assess \
  --clip "running:side:examples/running-side-treadmill.mp4@tests/data/video/male_side.mediapipe-full.json" \
  --intake examples/assessment/intake.yaml \
  --clinic examples/assessment/clinic.yaml \
  --out examples/assessment "$@"
