"""What the frozen ``ecas-desktop`` executable runs: the same entry point as the pip one."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
