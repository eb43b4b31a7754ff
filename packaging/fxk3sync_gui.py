"""Frozen entry point of the windowed `FxK3Sync` program."""

import sys

from gui.app import main

if __name__ == "__main__":
    sys.exit(main())
