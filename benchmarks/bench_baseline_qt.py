"""A second, fairer reference: the minimal python-vlc player *with* a Qt widget that paints.

The same video-callbacks path as ``bench_baseline.py`` (RV32, a ``bytes`` copy per picture),
plus what any Qt player must do: a ``QImage`` per picture handed to the GUI thread by a queued
signal and painted scaled into an 854x480 ``QWidget`` (the app's video size hint) with
``SmoothPixmapTransform``. No text, no clock, no other widgets. The app minus this is what is
ours; this minus ``bench_baseline.py`` is the price of painting with Qt at all.

    python bench_baseline_qt.py MEDIA --first-frame      {"first_frame": monotonic} at the first paint of a picture
    python bench_baseline_qt.py MEDIA --play             {"playing": monotonic}, then play until killed
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import vlc
from bench_baseline import CleanupCb, DisplayCb, FormatCb, LockCb, UnlockCb
from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget


class Bridge(QObject):
    frame = Signal()


class View(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.image: QImage | None = None
        self.on_painted = lambda image: None
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self.image is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            size = self.image.size()
            scale = min(self.width() / size.width(), self.height() / size.height())
            w, h = size.width() * scale, size.height() * scale
            painter.drawImage(QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h), self.image)
        painter.end()
        self.on_painted(self.image)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("media")
    parser.add_argument("--first-frame", action="store_true")
    parser.add_argument("--play", action="store_true")
    parser.add_argument("--size", default="640x360")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))

    app = QApplication(sys.argv[:1])
    view = View()
    view.resize(854, 480)
    view.show()
    options = ["--quiet", "--no-xlib", "--no-video-title-show"]
    if os.environ.get("CLIPSYNC_AUDIO_OUTPUT"):
        options.append(f"--aout={os.environ['CLIPSYNC_AUDIO_OUTPUT']}")
    instance = vlc.Instance(options)
    player = instance.media_player_new()
    buffer = (ctypes.c_ubyte * (width * height * 4))()
    pending: list[bytes] = []
    bridge = Bridge()

    def on_format(opaque, chroma, w, h, pitches, lines):  # type: ignore[no-untyped-def]
        ctypes.memmove(chroma, b"RV32", 4)
        w[0], h[0] = width, height
        pitches[0] = width * 4
        lines[0] = height
        return 1

    def on_lock(opaque, planes):  # type: ignore[no-untyped-def]
        planes[0] = ctypes.addressof(buffer)
        return 0

    def on_display(opaque, picture):  # type: ignore[no-untyped-def]
        backlog = bool(pending)
        pending[:] = [bytes(buffer)]
        if not backlog:
            bridge.frame.emit()

    def take() -> None:
        if not pending:
            return
        data = pending.pop()
        image = QImage(data, width, height, width * 4, QImage.Format.Format_RGB32)
        image.__dict__["_data"] = data
        view.image = image
        view.update()

    bridge.frame.connect(take, Qt.ConnectionType.QueuedConnection)
    marks: dict[str, float] = {}

    def on_painted(image: object) -> None:
        if image is not None and "first_frame" not in marks:
            marks["first_frame"] = time.monotonic()
            if args.first_frame:
                print(json.dumps(marks), flush=True)
                os._exit(0)
            print(json.dumps({"playing": marks["first_frame"]}), flush=True)

    view.on_painted = on_painted
    callbacks = (
        FormatCb(on_format),
        CleanupCb(lambda opaque: None),
        LockCb(on_lock),
        UnlockCb(lambda opaque, picture, planes: None),
        DisplayCb(on_display),
    )
    handle = ctypes.c_void_p(int(ctypes.cast(player, ctypes.c_void_p).value or 0))
    vlc.dll.libvlc_video_set_format_callbacks.argtypes = [ctypes.c_void_p, FormatCb, CleanupCb]
    vlc.dll.libvlc_video_set_format_callbacks(handle, callbacks[0], callbacks[1])
    vlc.dll.libvlc_video_set_callbacks.argtypes = [
        ctypes.c_void_p,
        LockCb,
        UnlockCb,
        DisplayCb,
        ctypes.c_void_p,
    ]
    vlc.dll.libvlc_video_set_callbacks(handle, callbacks[2], callbacks[3], callbacks[4], None)
    player.set_media(instance.media_new_path(args.media))
    player.play()
    QTimer.singleShot(30_000 if args.first_frame else 3_600_000, app.quit)
    app.exec()
    os._exit(1 if args.first_frame else 0)


if __name__ == "__main__":
    raise SystemExit(main())
