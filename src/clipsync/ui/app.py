"""Builds the application: backend, settings, controller and window."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QSize, QTimer
from PySide6.QtGui import QIcon, QImage
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


class _SnapshotDriver(QObject):
    """Brings the window to the picture of ``at_ms`` and says when that picture is on screen.

    libVLC 3 can lose the picture of a seek asked while it is paused: the decoder delivers one
    picture after such a seek, but libVLC does not wait for it while paused (``input_DecoderWait``
    returns at once), so when its buffering ends first the picture is not forced and a paused
    video output never shows it; the old picture stays, repeated. And pictures already on their
    way when a seek is asked (the title card, for a media just opened) still come after it. So
    nothing here trusts a count of pictures or a paused seek's time:

    1. *play*: the media plays from the target (opened there; the seek is asked while playing,
       which libVLC waits for). It is there when libVLC's own time has moved on past the target
       (the time it echoes after ``set_time`` is the request, not evidence) and a picture came
       after that; otherwise it is asked again every :attr:`RESEEK_S`;
    2. *settle*: paused, until no new picture (new pixels) came for :attr:`SETTLE_MS`;
    3. *seek*: a paused seek to the target; it is done when a picture whose pixels differ from
       the settled one comes (nothing else can change them while paused: libVLC only shows its
       last picture again). When none comes in :attr:`PAUSED_SEEK_S` and the scene was moving
       (its last two new pictures differed), libVLC lost it: play again (1). In a still scene
       the target's picture is the one on screen.
    """

    RESEEK_S = 2.5
    SETTLE_MS = 300
    PAUSED_SEEK_S = 1.5
    #: libVLC's time this far past the target (at most) still counts as playing from there.
    NEAR_MS = 4000

    def __init__(self, controller: PlaybackController, at_ms: int, done: Callable[[], None]) -> None:
        super().__init__(controller)
        self.controller = controller
        self.at_ms = at_ms
        self.done = done
        self.phase = "play"
        self.landed = False
        self._previous: QImage | None = None  # the last new picture (a copy)
        self._moving = True
        self._since = time.monotonic()
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._settled)
        self._lost = QTimer(self)
        self._lost.setSingleShot(True)
        self._lost.timeout.connect(self._paused_seek_lost)
        controller.frameReady.connect(self._frame)

    def _libvlc_past_target(self) -> bool:
        player = self.controller.player
        if player is None:
            return False
        now = player.time_ms()
        return self.at_ms < now <= self.at_ms + self.NEAR_MS

    def _frame(self, image: QImage) -> None:
        c = self.controller
        if self.phase in ("play", "settle") and (self._previous is None or image != self._previous):
            # Whether the scene moves: its last two new pictures differ (a repeat is not new).
            self._moving = self._previous is not None
            self._previous = image.copy()
            if self.phase == "settle":
                self._settle.start(self.SETTLE_MS)  # still coming: wait for the last one
        elif self.phase == "play" and image == self._previous:
            self._moving = False  # a new picture with the same pixels: a still scene
        if self.phase == "play":
            if c.state is not State.PLAYING:
                return
            if self._libvlc_past_target() and abs(c.text_position() - self.at_ms) <= self.NEAR_MS:
                self.phase = "settle"
                c.pause()
                self._settle.start(self.SETTLE_MS)
            elif time.monotonic() - self._since > self.RESEEK_S:
                self._since = time.monotonic()
                c.seek(self.at_ms, play=True)  # the start's seek was lost: asked again, playing
        elif self.phase == "seek" and self._previous is not None and image != self._previous:
            self._land()

    def _land(self) -> None:
        self.phase = "land"
        self._lost.stop()
        # The picture is there: its landing (text, clock) is the controller's, at once or after
        # its hold of a landing picture (20 ms), or its landing timeout (500 ms).
        QTimer.singleShot(PlaybackController.LANDING_TIMEOUT_MS + 100, self._landed)

    def _settled(self) -> None:
        c = self.controller
        if c.frame is None or c.state is not State.PAUSED:
            self._play_again()
            return
        self._previous = c.frame.copy()
        self.phase = "seek"
        c.seek(self.at_ms)
        self._lost.start(round(self.PAUSED_SEEK_S * 1000))

    def _paused_seek_lost(self) -> None:
        if self._moving:
            self._play_again()
        else:
            self._land()  # a still scene: the target's picture has the pixels on screen

    def _play_again(self) -> None:
        self.phase = "play"
        self._since = time.monotonic()
        self.controller.seek(self.at_ms, play=True)

    def _landed(self) -> None:
        self.landed = True
        self.done()


def snapshot(
    media: Location | Path, text: Location | Path | None, at_ms: int, out: Path, timeout_s: float = 30.0
) -> int:
    """Render the window paused on the picture of ``at_ms`` to ``out``; non-zero when the media
    failed or that picture did not come in ``timeout_s`` (then nothing is written)."""
    app = application()
    window = create_window()
    window.resize(1280, 760)
    window.show()
    controller = window.controller
    loop = QEventLoop()
    driver = _SnapshotDriver(controller, at_ms, loop.quit)
    controller.stateChanged.connect(lambda s: s is State.ERROR and QTimer.singleShot(200, loop.quit))
    timeout = QTimer()
    timeout.setSingleShot(True)
    timeout.timeout.connect(loop.quit)
    timeout.start(int(timeout_s * 1000))
    if controller.player is not None:
        _open(window, media, text, at_ms)  # started there: the seek is asked while playing
    window.resume_bar.hide()
    if controller.state is not State.ERROR:
        loop.exec()
    timeout.stop()
    deadline = time.monotonic() + 12  # a text fetched from the network (it has its own timeout)
    while window.location_commands.text_pending and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    error = controller.state is State.ERROR
    if not error and not driver.landed:
        window.close()
        print(
            f"clipsync: the picture at {at_ms / 1000:.3f} s did not show within {timeout_s:g} s;"
            f" nothing was written to {out}",
            file=sys.stderr,
        )
        return 1
    window.article_view.set_now(controller.now)
    app.processEvents()
    ok = window.grab().save(str(out))
    window.close()
    if not ok:
        print(f"clipsync: could not write {out}", file=sys.stderr)
        return 2
    if error:
        print(f"clipsync: {controller.error or 'the media failed'}", file=sys.stderr)
        return 1
    return 0
