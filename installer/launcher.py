"""Entry script frozen by PyInstaller (the same code path as ``python -m kinerja_desktop``)."""

import sys

from kinerja_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
