"""``python -m darkreach``: the same command line as ``darkreach``."""

import sys

from darkreach.cli import main

if __name__ == "__main__":
    sys.exit(main())
