"""Groups of command-line commands, registered on the app in :mod:`kinechain.cli`."""
