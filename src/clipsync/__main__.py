"""``python -m clipsync`` starts the app (same as the ``clipsync`` command)."""

import sys

from clipsync.cli import main

sys.exit(main())
