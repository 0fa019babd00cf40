"""Shared test fixtures: paths to bundled data, ../shared data (skipped when absent), models."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = Path(os.environ.get("KINECHAIN_SHARED", ROOT.parent / "shared")) / "data"


def models_installed() -> bool:
    """True when the pose models are installed and pass their checksums."""
    from kinechain.errors import ModelError
    from kinechain.pose.models import model_path

    try:
        model_path("balanced")
    except ModelError:
        return False
    return True


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The project's bundled test data folder."""
    return DATA


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or skip the test when it is not beside the project."""
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present (a fresh clone has none)")
    return SHARED


@pytest.fixture(scope="session")
def require_models() -> None:
    """Skip unless the pose models are installed (`kinechain models install`)."""
    if not models_installed():
        pytest.skip("pose models are not installed; run `kinechain models install`")


#: Tests on the shared PostgreSQL database, Redis and Chromium run one after another on one
#: worker under pytest-xdist (they empty the same database); the rest are grouped by file, so
#: a module's costly fixtures (a pose-model run, a report) are computed once.
SERVICE_MARKS = ("postgres", "redis", "browser")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Put each test in one xdist group for ``pytest -n auto --dist loadgroup`` (scripts/test.sh)."""
    for item in items:
        if any(item.get_closest_marker(m) for m in SERVICE_MARKS):
            group = "services"
        else:
            group = item.nodeid.split("::", 1)[0]
        item.add_marker(pytest.mark.xdist_group(group))
