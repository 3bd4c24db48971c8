"""Frozen entry point of ``ocop`` (the console CLI executable)."""

from ocop_desktop.cli import main

main()
