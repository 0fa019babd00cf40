#!/usr/bin/env bash
# Rebuild the sample assessment report in examples/assessment/ from real clips, replaying their
# recorded MediaPipe keypoints (no pose model needed): the bundled treadmill run (side view) and,
# when ../shared is beside the project, the goblet squat filmed from the side (a different person:
# the sample shows the report, not one person's assessment).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
clips=(--clip "running:side:examples/running-side-treadmill.mp4@tests/data/video/male_side.mediapipe-full.json")
goblet=../shared/data/video/squat-side/goblet-squat-side.mp4
if [ -f "$goblet" ]; then
  clips+=(--clip "double_leg_squat:side:$goblet@tests/data/protocols/keypoints/goblet.mediapipe-full.json")
fi
"$PY" -m kinechain assess "${clips[@]}" \
  --intake examples/assessment/intake.yaml \
  --clinic examples/assessment/clinic.yaml \
  --out examples/assessment "$@"
