"""Builds the application: backend, settings, controller and window."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSize, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from clipsync import bundled
from clipsync.core.location import Location
from clipsync.core.settings import SettingsStore, default_settings_path
from clipsync.media.player import BackendUnavailable, MediaPlayer, VoicePlayer
from clipsync.ui.player import PlaybackController, State
from clipsync.ui.window import MainWindow


def make_player() -> tuple[MediaPlayer | None, str]:
    """The libVLC player, or ``None`` and the reason it cannot run here."""
    try:
        from clipsync.media.vlc_backend import VlcPlayer

        return VlcPlayer(), ""
    except BackendUnavailable as exc:
        return None, str(exc)


def make_voice() -> VoicePlayer:
    """The second libVLC player, for described video (``BackendUnavailable`` without libVLC)."""
    from clipsync.media.vlc_backend import VlcVoicePlayer

    return VlcVoicePlayer()


def create_window(
    player: MediaPlayer | None = None,
    settings: SettingsStore | None = None,
    voice: Callable[[], VoicePlayer] | None = None,
) -> MainWindow:
    """The main window with everything wired (a real libVLC player unless one is given; then
    described video speaks through a second libVLC player, or through ``voice``'s)."""
    reason = ""
    if player is None:
        player, reason = make_player()
        voice = voice or make_voice
    window = MainWindow(PlaybackController(player), settings or SettingsStore(default_settings_path()), voice)
    if player is None:
        window.controller.fail(reason)
    return window


def app_icon() -> QIcon:
    """clipsync's icon: the PNG sizes drawn for it, and the SVG for any other size."""
    icon = QIcon()
    for size in bundled.ICON_SIZES:
        icon.addFile(str(bundled.icon_png(size)), QSize(size, size))
    icon.addFile(str(bundled.icon_svg()))
    return icon


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("clipsync")
        app.setOrganizationName("clipsync")
        # Fusion looks the same everywhere and draws a clear focus frame (WCAG 2.4.7).
        app.setStyle("Fusion")
    assert isinstance(app, QApplication)
    if app.windowIcon().isNull():
        app.setWindowIcon(app_icon())
        # Wayland compositors and docks match the window to its desktop entry (and icon) by this.
        app.setDesktopFileName(bundled.APP_ID)
    return app


def _open(
    window: MainWindow, media: Location | Path, text: Location | Path | None, start_ms: int | None
) -> None:
    media = media if isinstance(media, Location) else Location(path=Path(media))
    text = text if isinstance(text, Location | None) else Location(path=Path(text))
    window.location_commands.open(media, text.key if text is not None else None, start_ms)


def run(
    media: Location | Path,
    text: Location | Path | None,
    start_ms: int | None,
    descriptions: Location | None = None,
) -> int:
    app = application()
    window = create_window()
    window.descriptions.use_given(descriptions)
    window.show()
    if window.controller.player is not None:
        _open(window, media, text, start_ms)
    return app.exec()


def snapshot(
    media: Location | Path, text: Location | Path | None, at_ms: int, out: Path, timeout_s: float = 20.0
) -> int:
    """Render the window paused at ``at_ms`` to ``out``; non-zero when the media failed."""
    app = application()
    window = create_window()
    window.resize(1280, 760)
    window.show()
    controller = window.controller
    loop = QEventLoop()
    state = {"seeked": False, "frames_after_seek": 0, "tries": 0}
    # A seek asked for while libVLC is still starting can be lost (at most an old picture comes,
    # the first one stays): asked again after a second without the pictures of the new
    # position, up to three times.
    again = QTimer()
    again.setInterval(1000)

    def seek_again() -> None:
        if state["frames_after_seek"] >= 2 or state["tries"] >= 3:
            again.stop()
            return
        state["tries"] += 1
        controller.seek(at_ms)

    again.timeout.connect(seek_again)

    def on_frame() -> None:
        if not state["seeked"] and controller.state in (State.PLAYING, State.PAUSED):
            state["seeked"] = True
            controller.pause()
            controller.seek(at_ms)
            again.start()
            return
        if state["seeked"]:
            state["frames_after_seek"] += 1
            # Wait for the picture of the new position (a couple of frames after the seek).
            if state["frames_after_seek"] >= 2:
                QTimer.singleShot(300, loop.quit)

    controller.frameReady.connect(on_frame)
    controller.stateChanged.connect(lambda s: s is State.ERROR and QTimer.singleShot(200, loop.quit))
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    if controller.player is not None:
        _open(window, media, text, at_ms)  # started there: its first pictures are already of it
    window.resume_bar.hide()
    if controller.state is not State.ERROR:
        loop.exec()
    deadline = time.monotonic() + 12  # a text fetched from the network (it has its own timeout)
    while window.location_commands.text_pending and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    if controller.state is not State.ERROR and controller.position() != at_ms:
        controller.seek(at_ms)
    window.article_view.set_now(controller.now)
    app.processEvents()
    ok = window.grab().save(str(out))
    failed = controller.state is State.ERROR or not state["seeked"]
    window.close()
    if not ok:
        print(f"clipsync: could not write {out}", file=sys.stderr)
        return 2
    if failed:
        print(f"clipsync: {controller.error or 'the media did not show a picture in time'}", file=sys.stderr)
        return 1
    return 0
