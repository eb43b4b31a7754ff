"""Frozen entry point of the `fxk3sync` console program."""

import sys

from core.cli import main

if __name__ == "__main__":
    sys.exit(main())
