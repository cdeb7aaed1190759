"""The player interface every backend implements, and the rules that decide "it failed".

Backends report :class:`PlayerEvent` objects and video frames through two callables that
may be called from *any* thread (libVLC calls them from its own threads); the Qt layer
re-emits them on the GUI thread. Nothing here imports Qt or vlc.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from clipsync.core.timing.frame_grid import FrameGrid
from clipsync.core.timing.picture_match import References
from clipsync.media.media_index import MediaIndex


class EventKind(StrEnum):
    OPENING = "opening"
    BUFFERING = "buffering"  # value: percent 0..100
    PLAYING = "playing"
    PAUSED = "paused"
    STOPPED = "stopped"
    ENDED = "ended"
    ERROR = "error"  # value: reason in plain words
    LENGTH = "length"  # value: ms
    SEEKABLE = "seekable"  # value: bool
    TIME = "time"  # value: ms (coarse: the clock interpolates)
    FIRST_FRAME = "first_frame"
    REFERENCES = "references"  # value: picture_match.References (see request_references)


@dataclass(frozen=True, slots=True)
class PlayerEvent:
    kind: EventKind
    value: float | int | str | bool | References | None = None
    #: ``time.monotonic()`` when the backend published it (``None``: when it is handled).
    at: float | None = None


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded picture: 32-bit BGRx rows (QImage.Format_RGB32 on little-endian).

    ``data`` may be *lent* by the backend (no copy): it stays valid until ``release`` is
    called, after which the backend may write another picture into it. Whoever keeps a
    frame calls ``release`` once it no longer shows it (:func:`release_frame`).
    """

    data: bytes | memoryview
    width: int
    height: int
    #: Which picture this is since the media was opened (for measurements).
    number: int
    #: ``time.monotonic()`` when the backend handed it over.
    at: float = 0.0
    #: The same picture as the one before (libVLC shows the last one again while paused or
    #: waiting): it shows nothing new.
    repeat: bool = False
    #: Gives ``data`` back to the backend (``None``: it was not lent).
    release: Callable[[], None] | None = None


def release_frame(frame: Frame | None) -> None:
    """Give a lent frame's pixels back (nothing for ``None`` or a frame that was not lent)."""
    if frame is not None and frame.release is not None:
        frame.release()


EventSink = Callable[[PlayerEvent], None]
FrameSink = Callable[[Frame], None]


class BackendUnavailable(RuntimeError):
    """The media backend cannot run here (libVLC or its plugins missing)."""


class MediaPlayer(ABC):
    """What the app needs from a media backend. All times are integer milliseconds."""

    def __init__(self) -> None:
        self.on_event: EventSink = lambda event: None
        self.on_frame: FrameSink = lambda frame: None
        #: Duration of one video frame of the open media, in ms (``None``: unknown, no video).
        self.frame_ms: float | None = None
        #: When the open media's pictures start, as read from the media (``None``: not known
        #: (yet); then multiples of ``frame_ms``).
        self.grid: FrameGrid | None = None
        #: The open file's keyframes and picture times, from its container (``None``: none).
        self.index: MediaIndex | None = None

    @abstractmethod
    def open(self, path: Path) -> None:
        """Load ``path`` and start playing. Failure arrives as an ``ERROR`` event."""

    def open_url(self, url: str) -> None:
        """Load an http(s) address and start playing; failure arrives as an ``ERROR`` event."""
        self.on_event(PlayerEvent(EventKind.ERROR, "This player cannot open web addresses."))

    def buffered_ms(self) -> int | None:
        """How far into the media the data has arrived (a network stream), or ``None``."""
        return None

    def check_connection(self) -> None:
        """A network stream that takes long to start: check that its server answers (an
        ``ERROR`` with the reason comes only if it does not). Nothing to check by default."""
        return None

    def has_video(self) -> bool:
        """Whether the open media has a video track (as far as the backend knows yet)."""
        return self.frame_ms is not None

    @abstractmethod
    def play(self) -> None: ...

    @abstractmethod
    def pause(self) -> None: ...

    @abstractmethod
    def stop(self) -> None: ...

    @abstractmethod
    def seek(self, position_ms: int) -> None: ...

    def decode_ms(self, target_ms: int) -> float:
        """How much media the decoder goes through, from the keyframe before, to reach the
        picture at ``target_ms`` after a seek (0: not known)."""
        key = self.index.key_before(target_ms) if self.index is not None else None
        return 0.0 if key is None else max(0.0, target_ms - key)

    def first_picture_ms(self, target_ms: int) -> int:
        """The time of the first picture shown after a seek to ``target_ms`` (where the
        backend knows it lands elsewhere)."""
        return target_ms

    def landing_wait_ms(self, target_ms: int) -> float:
        """How long after a seek to ``target_ms``, playing, the backend waits before it shows
        the first picture (0: it shows it as soon as it is decoded, or not known)."""
        return 0.0

    def seek_landed(self, took_s: float) -> None:
        """The last seek's first new picture came ``took_s`` after it was asked for (again
        when a later picture turned out to be the first): how fast the backend is now."""
        return None

    def request_references(self, target_ms: int) -> None:
        """Decode the media's own pictures around ``target_ms`` on the side, and send them as a
        REFERENCES event (nothing, when the media cannot be read so)."""
        return None

    def prefetch_references(self, targets_ms: list[int]) -> None:
        """Decode ahead, on the side, the media's own pictures around jumps likely to come, so
        that ``request_references`` for them is answered at once."""
        return None

    def seek_missed(self, error_ms: float) -> None:
        """The player's first time report after the last seek's landing put its first new
        picture ``error_ms`` after the target (negative: before): how far the aim was off."""
        return None

    @abstractmethod
    def set_rate(self, rate: float) -> None: ...

    @abstractmethod
    def set_volume(self, percent: int) -> None: ...

    @abstractmethod
    def set_muted(self, muted: bool) -> None: ...

    @abstractmethod
    def next_frame(self) -> None:
        """Show the next frame while paused."""

    @abstractmethod
    def time_ms(self) -> int:
        """The player's own (coarse) time; only the playback clock reads it."""

    @abstractmethod
    def release(self) -> None:
        """Free the backend; the object is unusable afterwards."""


def check_media_file(path: Path) -> str | None:
    """The reason ``path`` cannot be media, found without opening it, or ``None``.

    libVLC accepts any path and fails later and vaguely, so the plain cases are caught here
    with plain words.
    """
    try:
        if not path.exists():
            return f"The file {path} does not exist."
        if path.is_dir():
            return f"{path} is a folder, not a media file."
        if path.stat().st_size == 0:
            return f"The file {path} is empty (0 bytes)."
        if not os.access(path, os.R_OK):
            return f"The file {path} cannot be read (permission denied)."
    except OSError as exc:
        return f"The file {path} cannot be read ({exc.strerror or exc})."
    return None


class LoadTracker:
    """Decides when an open has succeeded or failed, from the backend's events.

    libVLC's ``media_new_path`` and ``play`` never fail by themselves: a missing file ends
    with an error event, while a truncated or non-media file "plays" and ends at once
    without a single frame. So: an error event, a probe that finds no stream, or an end
    before any frame or any time is a failure.
    """

    def __init__(self) -> None:
        self.failed: str | None = None
        self.first_frame = False
        self.saw_time = False

    def probe_result(self, has_video: bool, has_audio: bool, duration_ms: int) -> str | None:
        if not has_video and not has_audio:
            self.failed = (
                "It is not a media file, or it is damaged: no playable audio or video stream was found."
            )
        return self.failed

    def feed(self, event: PlayerEvent) -> str | None:
        """Feed one event; returns the failure reason once it is known."""
        if event.kind is EventKind.FIRST_FRAME:
            self.first_frame = True
        elif event.kind is EventKind.TIME and isinstance(event.value, int) and event.value > 0:
            self.saw_time = True
        elif event.kind is EventKind.ERROR and self.failed is None:
            self.failed = str(event.value or "The player could not open it.")
        elif (
            event.kind is EventKind.ENDED and not (self.first_frame or self.saw_time) and self.failed is None
        ):
            self.failed = "The file ended before anything could be played: it is truncated, damaged or not a media file."
        return self.failed


class VoicePlayer(ABC):
    """A second player, for the spoken descriptions: it plays short sound files beside the
    media. Their length is known (they are rendered ahead), so the caller times their end itself:
    libVLC reports the end of its input, which with some audio outputs comes before the sound."""

    @abstractmethod
    def speak(self, path: Path, rate: float = 1.0) -> None:
        """Play ``path`` from its start at ``rate`` (the playback speed), stopping what plays."""

    @abstractmethod
    def pause(self) -> None: ...

    @abstractmethod
    def resume(self) -> None: ...

    @abstractmethod
    def stop(self) -> None:
        """Stop at once (``on_finished`` is not called)."""

    @abstractmethod
    def set_rate(self, rate: float) -> None: ...

    @abstractmethod
    def set_volume(self, percent: int) -> None: ...

    @abstractmethod
    def release(self) -> None: ...
