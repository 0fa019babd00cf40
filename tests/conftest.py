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
