"""PlaybackController: the player, the clock and "what is said now", on the GUI thread.

It owns the backend, re-emits its events on the GUI thread, keeps the one
:class:`PlaybackClock` every view reads, decides loading and error states, and emits
``nowChanged`` only when the current sentence or quote really changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from clipsync.core.text.article import Article
from clipsync.core.text.lookup import Now, TranscriptIndex
from clipsync.core.timing.clock import PlaybackClock
from clipsync.core.timing.picture_match import References
from clipsync.core.timing.picture_times import PictureTimes
from clipsync.media.network import NetStatus, NetworkWatch
from clipsync.media.player import EventKind, Frame, LoadTracker, MediaPlayer, PlayerEvent
from clipsync.ui.player.frame_handover import FrameHandover
from clipsync.ui.player.jumps import JumpPlayback
from clipsync.ui.player.network_playback import NetworkPlayback
from clipsync.ui.player.picture_path import PicturePath
from clipsync.ui.player.states import State

__all__ = ["PlaybackController", "State"]


class PlaybackController(JumpPlayback, PicturePath, NetworkPlayback, QObject):
    """The single source of truth for playback state and position.

    Jumps (seeks, frame steps, speed changes) are the methods of :class:`JumpPlayback`, each
    picture's way to the screen (its time, by the rules or its content) those of
    :class:`PicturePath`, and network
    streams (opening an address, stalls, retries) those of :class:`NetworkPlayback`, which it
    also is.
    """

    stateChanged = Signal(object)  # State
    errorChanged = Signal(str)  # reason in plain words ("" when cleared)
    bufferingChanged = Signal(float)  # percent
    frameReady = Signal(object)  # QImage; passed as the same object, which keeps its pixels alive
    nowChanged = Signal(object)  # Now
    positionTick = Signal(int)  # ms, 10 Hz for the timeline and time labels
    lengthChanged = Signal(int)
    seekableChanged = Signal(bool)
    networkChanged = Signal(object)  # NetStatus: connecting, buffering, stalled, retrying (or none)
    bufferedChanged = Signal(int)  # ms the data of a network stream reaches (-1: unknown)

    # Internal: carries backend events and frames from libVLC's threads to this one.
    _eventArrived = Signal(object)
    _frameArrived = Signal()

    POLL_MS = 10
    #: While pictures come, each one sets the text (see _on_frame) and the poll only moves
    #: the timeline: it then runs this much slower (each wake-up of the GUI thread costs CPU).
    PICTURE_POLL_MS = 100
    POSITION_TICK_MS = 100

    def __init__(self, player: MediaPlayer | None, clock: PlaybackClock | None = None) -> None:
        super().__init__()
        self.player = player
        self.clock = clock or PlaybackClock()
        self._wall = self.clock.wall
        self.state = State.IDLE
        self.error = ""
        self.media_path: Path | None = None
        self.article: Article | None = None
        self.index: TranscriptIndex | None = None
        self.now = Now()
        self.length_ms = 0
        self.seekable = False
        self.rate = 1.0
        self.frame: QImage | None = None
        self.frame_number = -1
        self._tracker = LoadTracker()
        self._stop_at: int | None = None
        self._frames = FrameHandover(self._frameArrived.emit)
        self._eventArrived.connect(self._on_event)
        self._frameArrived.connect(self._on_frame)
        if player is not None:
            player.on_event = self._eventArrived.emit
            player.on_frame = self._frames.put
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self.tick)
        # Owned timers, not QTimer.singleShot: a child timer dies with its owner, while a
        # pending single shot may fire at an object already deleted.
        self._landing_timer = QTimer(self)
        self._landing_timer.setSingleShot(True)
        self._landing_timer.timeout.connect(self._land_without_picture)
        self._hold_timer = QTimer(self)
        self._hold_timer.setSingleShot(True)
        self._hold_timer.timeout.connect(self._show_held)
        self._held: tuple[Frame, int | None] | None = None  # a landing picture held back
        self._tick_count = 0
        self._start_ms = 0
        # The position the text on screen was chosen for: the painted frame's (see _on_frame).
        self._text_position = 0
        self._last_frame_wall = 0.0
        # The media time of each picture; a jump waits for its first one (see seek).
        self._pictures = PictureTimes()
        # Whether playback goes on once a pending jump has its first picture.
        self._run_after_landing = False
        self._seek_asked: float | None = None  # when the pending seek was asked for (see _land)
        self._aim_unchecked = False  # a seek landed, libVLC has not reported its time since
        self._reset_content()
        # Network streams (all None for a local file): see ``network_playback``.
        self.media_url: str | None = None
        self.net: NetworkWatch | None = None
        self.net_status = NetStatus()
        self.buffered_ms = -1
        self._retry_from: int | None = None
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.timeout.connect(self._retry_connection)

    # Article ---------------------------------------------------------------------------
    def set_article(self, article: Article | None) -> None:
        self.article = article
        self.index = TranscriptIndex(article) if article else None
        if article and article.duration_ms and not self.length_ms:
            self.length_ms = article.duration_ms
            self.lengthChanged.emit(self.length_ms)
        # Every view takes the new text at the picture on screen (no seek: the player is
        # left alone, a stream is not asked for its data again).
        self.now = Now()
        self._update_now(self._text_position)
        self.positionTick.emit(self._text_position)

    # Opening ---------------------------------------------------------------------------
    def open(self, path: Path, start_ms: int = 0) -> None:
        """Open ``path`` and play it (from ``start_ms``); failures end in the ERROR state."""
        self._leave_network()
        self.media_path = path
        self._open_with(lambda player: player.open(path), start_ms)

    def _open_with(self, load: Callable[[MediaPlayer], None], start_ms: int) -> None:
        self._tracker = LoadTracker()
        self._stop_at = None
        self.frame = self._frames.show(None)
        self.clock = PlaybackClock(self._wall)
        self.clock.set_rate(self.rate)
        # Until libVLC knows the new media's length, the text's own duration stands in.
        self.length_ms = (self.article.duration_ms if self.article else None) or 0
        self.lengthChanged.emit(self.length_ms)
        self._set_error("")
        self._set_seekable(False)
        self._set_state(State.OPENING)
        if self.player is None:
            self.fail("libVLC is not available, so no media can be played.")
            return
        self._start_ms = start_ms
        # Pictures of the new media are timed afresh: no jump of the old one may land on them.
        self._landing_timer.stop()
        self._drop_held()
        self._text_position = start_ms
        self._pictures = PictureTimes(rate=self.rate)
        self._reset_content()
        self._run_after_landing = False
        load(self.player)
        if self.state is not State.ERROR:
            self._poll.start()

    def retry(self) -> None:
        if self.media_url is not None:
            # Retry resumes where the picture was when the stream failed.
            self.open_url(self.media_url, self._retry_from or self._text_position)
        elif self.media_path is not None:
            self.open(self.media_path)

    def fail(self, reason: str) -> None:
        """Enter the error state with ``reason`` in plain words (the panel shows it)."""
        self._retry_timer.stop()
        self._poll.stop()
        self.clock.pause()
        self._set_error(reason)
        self._set_state(State.ERROR)
        self._emit_network()  # a network stream's state is over too

    # Transport -------------------------------------------------------------------------
    def position(self) -> int:
        return self.clock.position()

    def play(self) -> None:
        if self.player is None or self.state in (State.ERROR, State.IDLE):
            return
        if self.state is State.ENDED:
            # libVLC starts again from the beginning: a jump to 0 like any other.
            self._begin_jump(0, running=True)
        self._run_after_landing = True
        self.player.play()
        self._poll.start()

    def pause(self) -> None:
        self._run_after_landing = False
        if self.player is not None and self.state in (State.PLAYING, State.OPENING):
            self._on_frame()  # the last picture shown is where the count goes on from
            self.player.pause()
            self.clock.pause()
            # libVLC may still show a picture or two: they follow on from the one on screen.
            self._pictures.count_from(self._text_position)
            self._set_state(State.PAUSED)

    def toggle(self) -> None:
        if self.state is State.PLAYING:
            self.pause()
        else:
            self.play()

    # The poll: feeds the clock, keeps "now" right --------------------------------------
    @Slot()
    def tick(self) -> None:
        if self.player is None:
            return
        position = self.clock.position()
        if self._stop_at is not None and position >= self._stop_at:
            self._stop_at = None
            self.pause()
            position = self.clock.position()
        if not self._frames_flowing() and not self._pictures.pending and not self._network_holds_text():
            # Audio only or paused: nothing paints, so follow the clock.
            self._text_position = position
            self._update_now(position)
        self._tick_count += 1
        if self.net is not None:
            self._network_tick()
        # 10 Hz: a pixel of the timeline is ~0.3 s
        if self._tick_count % max(1, self.POSITION_TICK_MS // self._poll.interval()) == 0:
            self.positionTick.emit(self._text_position)
        self._pace_poll()

    def _pace_poll(self) -> None:
        """Poll often only while the poll moves the text (no pictures: audio only, paused,
        a stall) or a stop point is due; while pictures come, they move it."""
        flowing = self._frames_flowing() and self._stop_at is None
        interval = self.PICTURE_POLL_MS if flowing else self.POLL_MS
        if interval != self._poll.interval():
            self._poll.setInterval(interval)
            self._tick_count = 0

    def text_position(self) -> int:
        """The position the text on screen (highlight, captions) is chosen for, in ms.

        While video plays this is the time of the frame being painted, on the frame grid, so
        picture and text always belong together; otherwise it is the clock's position.
        """
        return self._text_position

    def _frames_flowing(self) -> bool:
        return (
            self.state is State.PLAYING
            and self.clock.running
            and self.player is not None
            and self.player.frame_ms is not None
            and self._wall() - self._last_frame_wall < 0.2
        )

    def _update_now(self, position: int) -> None:
        now = self.index.at(position) if self.index else Now()
        if now.ref is not self.now.ref or now.part is not self.now.part:
            self.now = now
            self.nowChanged.emit(now)
            self._prefetch_quotes(position)

    # Backend events (GUI thread) -------------------------------------------------------
    @Slot(object)
    def _on_event(self, event: PlayerEvent) -> None:
        if self.state is State.ERROR:
            return
        if self.net is not None and self._network_event(event):
            return
        reason = self._tracker.feed(event)
        if reason:
            self.fail(reason)
            return
        kind = event.kind
        playing = self.state is State.PLAYING and not self._pictures.pending
        time_ms = event.value if kind is EventKind.TIME and isinstance(event.value, int) else None
        if time_ms is not None and playing and self.clock.report(time_ms, at=event.at):
            # A new anchor for the clock: pictures are timed by it again, no longer counted.
            self._pictures.reported()
            self._aim_checked(self.clock.offset_ms)
        if kind is EventKind.REFERENCES and isinstance(event.value, References):
            self._got_references(event.value)
        elif kind is EventKind.BUFFERING and isinstance(event.value, float):
            self.bufferingChanged.emit(event.value)
        elif kind is EventKind.PLAYING:
            if self.state is State.OPENING and self._start_ms:
                start, self._start_ms = self._start_ms, 0
                self.player.seek(start)  # type: ignore[union-attr]
                self.clock.seek(start)
            if self._pictures.pending:
                self._run_after_landing = True  # the clock starts with the first new picture
            else:
                self._pictures.count_from(self._text_position, first=self.frame is None)
                self.clock.start()
            if self.state is not State.OPENING or self._tracker.first_frame:
                self._set_state(State.PLAYING)
        elif kind is EventKind.PAUSED:
            self.clock.pause()
            self._aim_unchecked = False
            if self.state is not State.ENDED:
                self._set_state(State.PAUSED)
        elif kind is EventKind.ENDED:
            self.clock.pause()
            if self.length_ms:
                self.clock.seek(self.length_ms)
            self._update_now(self.position())
            self.positionTick.emit(self.position())
            self._set_state(State.ENDED)
        elif kind is EventKind.FIRST_FRAME:
            if self.state is State.OPENING:
                self._set_state(State.PLAYING if self.clock.running else State.PAUSED)
        elif kind is EventKind.LENGTH and isinstance(event.value, int) and event.value > 0:
            self.length_ms = event.value
            self.clock.set_length(event.value)
            self.lengthChanged.emit(event.value)
        elif kind is EventKind.SEEKABLE:
            self._set_seekable(bool(event.value))
        elif (
            kind is EventKind.TIME
            and isinstance(event.value, int)
            and event.value > 0
            and self.state is State.OPENING
        ):
            # Audio-only media never paints a frame: its first time is its first sign of life.
            self._set_state(State.PLAYING if self.clock.running else State.PAUSED)

    # Frames: only the newest, handed over without copies (see FrameHandover) ----------
    # State -----------------------------------------------------------------------------
    def _set_state(self, state: State) -> None:
        if state is not self.state:
            self.state = state
            self.stateChanged.emit(state)

    def _set_error(self, reason: str) -> None:
        if reason != self.error:
            self.error = reason
            self.errorChanged.emit(reason)

    def _set_seekable(self, seekable: bool) -> None:
        if seekable != self.seekable:
            self.seekable = seekable
            self.seekableChanged.emit(seekable)

    def shutdown(self) -> None:
        self._retry_timer.stop()
        self._drop_held()
        self._poll.stop()
        self.frame = self._frames.show(None)
        if self.player is not None:
            self.player.on_event = lambda event: None
            self.player.on_frame = lambda frame: None
            self.player.release()
            self.player = None
