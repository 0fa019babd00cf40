#!/usr/bin/env bash
# Run the whole test suite, PostgreSQL, Redis and browser (Chromium) tests included.
#   bash scripts/test.sh [PYTEST_ARGS...]
# Needs Python 3.10+ and npm. Installs kinechain into ./.venv first when it is not there
# (scripts/install.sh), installs and starts PostgreSQL, Redis and Chromium with apt when they are
# missing (scripts/ci-services.sh; Debian or Ubuntu, as root), then runs pytest on every core
# (pytest-xdist, one test file per worker at a time; each worker has its own PostgreSQL database).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! .venv/bin/python -c "import kinechain, xdist" >/dev/null 2>&1 ||
  ! .venv/bin/kinechain models check >/dev/null 2>&1; then
  bash scripts/install.sh
fi
# shellcheck source=scripts/ci-services.sh
source scripts/ci-services.sh
.venv/bin/python -m pytest -n auto --dist loadfile "$@"
