#!/usr/bin/env bash
# Run the whole test suite, PostgreSQL, Redis and browser (Chromium) tests included.
#   bash scripts/test.sh [PYTEST_ARGS...]
# Needs Python 3.10+ and npm. Installs kinechain into ./.venv first when it is not there
# (scripts/install.sh), installs and starts PostgreSQL, Redis and Chromium with apt when they are
# missing (scripts/ci-services.sh; Debian or Ubuntu, as root), then runs pytest on every core
# (pytest-xdist, one test file per worker at a time; each worker has its own PostgreSQL database).
set -euo pipefail
cd "$(dirname "$0")/.."
# Always (it is quick when nothing changed), so a venv made before a new dependency catches up.
bash scripts/install.sh
# shellcheck source=scripts/ci-services.sh
source scripts/ci-services.sh
.venv/bin/python -m pytest -n auto --dist loadfile "$@"
