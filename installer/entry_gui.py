"""Frozen entry point of ``ocop-desktop`` (the windowed GUI executable)."""

import sys

from ocop_desktop.gui.app import main

sys.exit(main())
