"""Edit timings mode: the timing editor and its commands, the waveform, the edit session,
re-aligning and the align dialog. Other features use what is exported here.

The editor, the waveform (numpy) and the aligner load the first time they are needed, not at
start-up: only :class:`TimingActions` (the Edit menu) is imported with the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QDialog, QWidget

from clipsync.ui.editor.timing_actions import EditorHost, TimingActions

__all__ = ["EditorHost", "TimingActions", "align_dialog_for"]


def align_dialog_for(media: Path, parent: QWidget, aligned: Callable[[Path], None]) -> QDialog:
    """File > Align article…: the dialog that aligns a plain-text article to ``media`` and calls
    ``aligned`` with the sync document it saved beside it (the aligner loads on first use)."""
    from clipsync.ui.editor.align_dialog import AlignDialog

    dialog = AlignDialog(media, parent=parent)
    dialog.aligned.connect(lambda path: aligned(Path(path)))
    return dialog
