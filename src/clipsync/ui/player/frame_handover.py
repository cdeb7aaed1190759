"""FrameHandover: pictures from libVLC's thread to the GUI thread, newest only, no copies."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtGui import QImage

from clipsync.media.player import Frame, release_frame


class FrameHandover:
    """Keeps the newest picture waiting for the GUI thread and the one on screen.

    ``put`` runs on the backend's thread and calls ``notify`` only when nothing was waiting
    (a busy GUI thread never builds a backlog: a newer picture replaces the waiting one, and
    only when it came and whether it repeated the one before are kept, see ``skipped``).
    Pixels lent by the backend (:class:`Frame`) are given back as soon as nothing can paint
    them: a picture dropped unseen at once, the picture on screen once it is replaced and
    the views have the new one (``replaced_done``).
    """

    def __init__(self, notify: Callable[[], None]) -> None:
        self._notify = notify
        self._lock = threading.Lock()
        self._pending: Frame | None = None
        self._skipped: list[tuple[float, bool]] = []
        self._shown: Frame | None = None
        self._replaced: Frame | None = None

    def put(self, frame: Frame) -> None:
        """A new picture (any thread)."""
        with self._lock:
            dropped, self._pending = self._pending, frame
            if dropped is not None:
                self._skipped.append((dropped.at, dropped.repeat))
        if dropped is None:
            self._notify()
        else:
            release_frame(dropped)  # never shown: a newer one came first

    def skipped(self) -> list[tuple[float, bool]]:
        """When the pictures replaced unseen since the last call came, and whether each
        repeated the one before (GUI thread): the picture times count them too."""
        with self._lock:
            skipped, self._skipped = self._skipped, []
        return skipped

    def take(self) -> Frame | None:
        """The newest picture waiting, if any (GUI thread)."""
        with self._lock:
            frame, self._pending = self._pending, None
        return frame

    @staticmethod
    def drop(frame: Frame) -> None:
        """``frame`` is not to be shown."""
        release_frame(frame)

    def show(self, frame: Frame | None) -> QImage | None:
        """``frame`` goes on screen: a QImage over its pixels (no copy), or ``None`` for no
        picture. The picture it replaces is given back by ``replaced_done``."""
        release_frame(self._replaced)
        self._replaced, self._shown = self._shown, frame
        if frame is None:
            self.replaced_done()
            return None
        image = QImage(frame.data, frame.width, frame.height, frame.width * 4, QImage.Format.Format_RGB32)
        image.__dict__["_frame"] = frame  # the QImage borrows the pixels: keep them alive
        return image

    def replaced_done(self) -> None:
        """The views show the new picture: the one it replaced goes back to the backend."""
        replaced, self._replaced = self._replaced, None
        release_frame(replaced)
