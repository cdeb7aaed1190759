"""Players with a hand-driven clock, for fast deterministic tests of the timing logic and
the widgets (never instead of the real libVLC tests). Nothing here imports Qt or vlc."""

from __future__ import annotations

from pathlib import Path

from clipsync.core.timing.frame_grid import FrameGrid
from clipsync.media.player import EventKind, Frame, MediaPlayer, PlayerEvent, VoicePlayer


class FakePlayer(MediaPlayer):
    """A player with a hand-driven clock, for fast deterministic tests of timing logic.

    ``advance(ms)`` moves its time as playback would; ``publish()`` sends a coarse TIME
    event as libVLC does every ~250 ms.
    """

    def __init__(self, length_ms: int = 217_000) -> None:
        super().__init__()
        self.length_ms = length_ms
        self.position = 0
        self.playing = False
        self.rate = 1.0
        self.volume = 100
        self.muted = False
        self.opened: Path | None = None
        self.opened_url: str | None = None
        self.buffered: int | None = None
        self.calls: list[str] = []
        self.frames = 0

    def open(self, path: Path) -> None:
        self.opened = path
        self._start("open")

    def open_url(self, url: str) -> None:
        """As :meth:`open`; the test drives what the network does (``show_frame``, ``end``...)."""
        self.opened_url = url
        self.frames = 0
        self._start("open_url")

    def _start(self, call: str) -> None:
        """Opened: it says so as libVLC would, and plays from 0."""
        self.position = 0
        self.calls.append(call)
        self.on_event(PlayerEvent(EventKind.OPENING))
        self.on_event(PlayerEvent(EventKind.LENGTH, self.length_ms))
        self.on_event(PlayerEvent(EventKind.SEEKABLE, True))
        self.play()

    def buffered_ms(self) -> int | None:
        return self.buffered

    def play(self) -> None:
        self.playing = True
        self.calls.append("play")
        self.on_event(PlayerEvent(EventKind.PLAYING))

    def pause(self) -> None:
        self.playing = False
        self.calls.append("pause")
        self.on_event(PlayerEvent(EventKind.PAUSED))

    def stop(self) -> None:
        self.playing = False
        self.calls.append("stop")
        self.on_event(PlayerEvent(EventKind.STOPPED))

    def seek(self, position_ms: int) -> None:
        self.position = max(0, min(position_ms, self.length_ms))
        self.calls.append(f"seek {self.position}")

    def set_rate(self, rate: float) -> None:
        self.rate = rate

    def set_volume(self, percent: int) -> None:
        self.volume = percent

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def next_frame(self) -> None:
        self.position = min(self.position + 40, self.length_ms)
        self.calls.append("next_frame")

    def time_ms(self) -> int:
        return self.position

    def release(self) -> None:
        self.calls.append("release")

    # Test controls -------------------------------------------------------------------
    def advance(self, ms: int) -> None:
        if self.playing:
            self.position = min(self.position + int(ms * self.rate), self.length_ms)
            if self.position >= self.length_ms:
                self.playing = False
                self.on_event(PlayerEvent(EventKind.ENDED))

    def publish(self) -> None:
        self.on_event(PlayerEvent(EventKind.TIME, self.position))

    def show_frame(
        self, at: float = 0.0, *, repeat: bool = False, picture: tuple[bytes, int, int] | None = None
    ) -> None:
        """Deliver a picture at wall time ``at``, as a video decoder would (call ``video(fps)``
        first): 2x2 black, or ``picture`` (BGRx bytes, width, height); ``repeat``: the same
        picture again."""
        self.frames += 1
        if self.frames == 1:
            self.on_event(PlayerEvent(EventKind.FIRST_FRAME))
        data, width, height = picture or (b"\x00" * 16, 2, 2)
        self.on_frame(Frame(data, width, height, self.frames - 1, at, repeat))

    def end(self) -> None:
        """The stream ends where it is (a connection that dropped, or the real end)."""
        self.playing = False
        self.on_event(PlayerEvent(EventKind.ENDED))

    def video(self, fps: float, origin_ms: float = 0.0, times: list[float] | None = None) -> None:
        """Pretend the media has video at ``fps`` frames a second, its first picture at
        ``origin_ms``, or its pictures at ``times`` (a variable frame rate)."""
        self.frame_ms = 1000 / fps
        self.grid = FrameGrid(self.frame_ms, origin_ms, times)


class FakeVoicePlayer(VoicePlayer):
    """A voice player that only records what it is asked."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.playing: Path | None = None
        self.rate = 1.0
        self.volume = 100

    def speak(self, path: Path, rate: float = 1.0) -> None:
        self.playing, self.rate = path, rate
        self.calls.append(f"speak {path.name}")

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")

    def stop(self) -> None:
        self.playing = None
        self.calls.append("stop")

    def set_rate(self, rate: float) -> None:
        self.rate = rate

    def set_volume(self, percent: int) -> None:
        self.volume = percent

    def release(self) -> None:
        self.calls.append("release")
