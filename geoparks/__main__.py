"""Run the command line interface: ``python -m geoparks``."""

from geoparks.cli import main

main()
