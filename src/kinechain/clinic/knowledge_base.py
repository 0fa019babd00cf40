"""Shared pieces of the clinical knowledge loaders: the frozen base model and the YAML reader."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from kinechain.errors import ConfigError
from kinechain.model.findings import Strength

__all__ = ["Strength", "_Frozen", "_parse", "read_data"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def read_data(name: str) -> Any:
    """Parse one YAML file of the package data (``kinechain/clinic/data/<name>``)."""
    path = resources.files("kinechain.clinic").joinpath("data", name)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"the knowledge file {name} cannot be read ({exc}); reinstall kinechain.") from exc


def _parse(model: type[Any], name: str) -> Any:
    try:
        return model.model_validate(read_data(name))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"the knowledge file {name} is invalid at {where}: {first['msg']}.") from exc
