"""Movement tests, one module each, registered by test name."""

from kinechain.protocols import running_side  # noqa: F401  (registers the protocol)
from kinechain.protocols.base import available_tests, get_protocol

__all__ = ["available_tests", "get_protocol"]
