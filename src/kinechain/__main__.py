"""Allow ``python -m kinechain``."""

from kinechain.cli import main

main()
