"""The real window playing a clip at a speed, for the real-libVLC landing tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot


def window_playing_at(qtbot: QtBot, clip: Path, doc: Path, rate: float) -> Any:
    """The window playing ``clip`` with ``doc``, at ``rate`` chosen in the speed box."""
    from clipsync.ui.app import create_window
    from clipsync.ui.player.controller import State

    window = create_window()
    qtbot.addWidget(window)
    window.show()
    window.open_media(clip, doc)
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
    box = window.transport.rate_box
    box.setCurrentIndex(box.findData(rate))
    return window
