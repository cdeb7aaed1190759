"""libVLC's video callbacks for :class:`~clipsync.media.vlc_backend.VlcPlayer`: pictures are
decoded into a :class:`PictureRing` and lent out as :class:`Frame` objects without a copy.

A mixin of the player (it does not import vlc: the backend hands ``callbacks`` to libVLC).
These run on libVLC's threads: they only record and forward, and never call back into libVLC
(that deadlocks).
"""

from __future__ import annotations

import ctypes
import threading
import time
from typing import TYPE_CHECKING, Any

from clipsync.media.picture_ring import PictureRing
from clipsync.media.player import EventKind, EventSink, Frame, FrameSink, PlayerEvent
from clipsync.media.video_callbacks import CleanupCb, DisplayCb, FormatCb, LockCb, UnlockCb, thread_state


class VideoSink:
    """The video callbacks and the pictures they fill (see the module's docstring)."""

    if TYPE_CHECKING:  # what the player provides
        on_event: EventSink
        on_frame: FrameSink
        #: The size to ask libVLC for (0, 0: the decoder's).
        _size: tuple[int, int]

        def _picture_counted(self) -> None: ...

    def _init_video(self) -> None:
        self._format_size = (0, 0)
        self._ring: PictureRing | None = None
        self._retired: list[PictureRing] = []  # earlier rings libVLC might still write (see _format)
        self._frames = 0
        self._lock = threading.Lock()
        # Kept alive as long as the player: (format, cleanup) and (lock, unlock, display).
        self.callbacks = (
            FormatCb(self._format),
            CleanupCb(self._cleanup),
            LockCb(self._lock_picture),
            # NULL: nothing to do once a picture is written (each Python callback costs libVLC's
            # thread a round trip through the GIL).
            UnlockCb(),
            DisplayCb(self._display),
        )

    def _format(self, opaque: Any, chroma: int, width: Any, height: Any, pitches: Any, lines: Any) -> int:
        w, h = self._size
        if not w or not h:  # probe found no size: take what libVLC offers
            w, h = width[0], height[0]
        ctypes.memmove(chroma, b"RV32", 4)
        width[0], height[0] = w, h
        pitches[0] = w * 4
        lines[0] = h
        with self._lock:
            # A new ring: pictures still lent out keep their old buffers alive (see Frame), and
            # libVLC may still write a picture of the earlier format (another video output
            # closing as a new one opens; HLS reconfigures two or three times as it starts),
            # so the last few rings are not freed yet either.
            if self._ring is not None:
                self._retired = [*self._retired[-3:], self._ring]
            self._ring = PictureRing(w * h * 4)
            self._format_size = (w, h)
        thread_state.pin()
        return 1

    def _cleanup(self, opaque: Any) -> None:
        thread_state.unpin()

    def _lock_picture(self, opaque: Any, planes: Any) -> int:
        # libVLC writes the next picture straight into a buffer the GUI does not hold.
        assert self._ring is not None
        index, planes[0] = self._ring.take()
        return index + 1  # the picture's id (not NULL), given back to _display

    def _display(self, opaque: Any, picture: Any) -> None:
        w, h = self._format_size
        assert self._ring is not None
        data, repeat, release = self._ring.show(int(picture or 1) - 1)
        frame = Frame(data, w, h, self._frames, time.monotonic(), repeat, release)
        self._frames += 1
        if self._frames == 1:
            self.on_event(PlayerEvent(EventKind.FIRST_FRAME))
        self._picture_counted()
        self.on_frame(frame)
