"""Saves docs/screenshot-editor.png: the window in Edit timings mode on the bundled clip.

Run: ``QT_QPA_PLATFORM=offscreen CLIPSYNC_AUDIO_OUTPUT=adummy .venv/bin/python scripts/screenshot_editor.py``
(or under ``xvfb-run``). It edits a copy of the clip's document in a temporary folder: sentence 5
locked, sentence 6's start nudged 100 ms (unsaved), paused at 1:05.4, the strip showing 0:58.5-1:07.5.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot-editor.png"
    folder = Path(tempfile.mkdtemp(prefix="clipsync-shot-"))
    os.environ["CLIPSYNC_CONFIG_DIR"] = str(folder / "config")
    os.environ["CLIPSYNC_CACHE_DIR"] = str(folder / "cache")
    for name in ("syria.mp4", "syria.sync.json"):
        shutil.copy(ROOT / "resources" / "clip" / name, folder / name)

    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest

    from clipsync.ui.app import application, create_window
    from clipsync.ui.player.controller import State

    app = application()
    window = create_window()
    window.resize(1400, 900)
    window.show()

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    window.open_media(folder / "syria.mp4")
    while window.controller.state is not State.PLAYING:
        wait(50)
    window.controller.pause()
    window.controller.seek(59_000)
    wait(400)
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = window.timing.editor
    assert editor is not None
    while editor.waveform.envelope is None:
        wait(50)
    article = window.controller.article
    assert article is not None
    editor.select(article.sentences[4].id)
    QTest.keyClick(
        window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    editor.select(article.sentences[5].id)
    QTest.keyClick(
        window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    )
    window.controller.seek(65_400)
    wait(500)
    editor.waveform.view_start, editor.waveform.view_span = 58_500.0, 9_000.0
    editor.waveform.set_position(65_400, follow=False)
    wait(300)
    ok = window.grab().save(str(out))
    if editor.session is not None:
        editor.session.stack.setClean()
    window.close()
    app.processEvents()
    shutil.rmtree(folder, ignore_errors=True)
    print(f"wrote {out}" if ok else f"could not write {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
