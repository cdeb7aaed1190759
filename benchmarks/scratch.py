"""A benchmark process's own scratch folder, removed when the process ends.

The window under measurement gets a fresh settings folder in it (no resume bar, no caption
delay from an earlier run), and every temporary folder the process makes (the description
voice's renders, for one) goes in it too. The measuring processes end with ``os._exit``
(libVLC's threads make an orderly teardown slow), which skips every clean-up; ``leave``
removes the folder first. A process killed from outside (the start-up and CPU measurements end
their players with a signal) still leaves its folder behind.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

_folder: Path | None = None


def begin(prefix: str = "clipsync-bench-") -> Path:
    """Make the folder, and make it the settings folder and the temporary files' folder."""
    global _folder
    _folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["CLIPSYNC_CONFIG_DIR"] = str(_folder / "config")
    tempfile.tempdir = str(_folder)
    return _folder


def leave(code: int) -> NoReturn:
    """Flush the output, remove the folder and end the process at once with ``code``."""
    sys.stdout.flush()
    sys.stderr.flush()
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)
    os._exit(code)
