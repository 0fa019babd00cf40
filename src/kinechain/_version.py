"""The installed package version."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kinechain")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0+unknown"
