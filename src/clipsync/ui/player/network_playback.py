"""The network side of :class:`~clipsync.ui.player.controller.PlaybackController`.

Opening an http(s) address, telling its state (connecting, buffering, stalled, retrying),
keeping the text with the last picture while a stream stalls, retrying a dropped connection
with backoff from the last picture's position, and the buffered band. A mixin of the
controller (it uses the controller's clock, state and signals); for a local file ``net`` is
``None`` and none of this runs.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING, Any

from clipsync.core.location import is_hls
from clipsync.core.timing.timecode import format_clock
from clipsync.media.network import NetStatus, NetworkWatch
from clipsync.media.player import EventKind, Frame, LoadTracker, MediaPlayer, PlayerEvent
from clipsync.ui.player.states import State

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer

    from clipsync.core.timing.clock import PlaybackClock
    from clipsync.core.timing.picture_times import PictureTimes


#: libVLC's time for HLS is taken only when it is this far ahead of the pictures' (skipped ones).
HLS_TIME_COARSE_MS = 250


class NetworkPlayback:
    """Network streams for the controller (see the module's docstring)."""

    if TYPE_CHECKING:  # what the controller provides
        player: MediaPlayer | None
        clock: PlaybackClock
        state: State
        frame: Any
        length_ms: int
        media_path: Any
        media_url: str | None
        net: NetworkWatch | None
        net_status: NetStatus
        buffered_ms: int
        networkChanged: Any
        bufferedChanged: Any
        _retry_from: int | None
        _retry_timer: QTimer
        _text_position: int
        _tracker: LoadTracker
        _start_ms: int
        _pictures: PictureTimes
        _tick_count: int
        _poll: QTimer

        def fail(self, reason: str) -> None: ...
        def _open_with(self, load: Callable[[MediaPlayer], None], start_ms: int) -> None: ...
        def _set_state(self, state: State) -> None: ...
        def _update_now(self, position: int) -> None: ...

    # Network: opening an address, stalls, retries, the buffered band -------------------
    #: An end further than this before the media's length is a connection that dropped.
    EARLY_END_MS = 3000

    def open_url(self, url: str, start_ms: int = 0) -> None:
        """Open an http(s) address and play it (from ``start_ms``), telling the network's state."""
        self._leave_network()
        self.media_path = None
        self.media_url = url
        self.net = NetworkWatch(url.split("/")[2] if "//" in url else url, monotonic())
        self.net.start_ms = start_ms
        self._open_with(lambda player: player.open_url(url), start_ms)
        # libVLC 3 knows an HLS stream's time per segment (docs/libvlc.md, "Network streams").
        self.clock.coarse_ms = HLS_TIME_COARSE_MS if is_hls(url) else 0

    def _leave_network(self) -> None:
        self._retry_timer.stop()
        self.media_url = None
        self.net = None
        self._retry_from = None
        if self.net_status != NetStatus():
            self.net_status = NetStatus()
            self.networkChanged.emit(self.net_status)
        if self.buffered_ms != -1:
            self.buffered_ms = -1
            self.bufferedChanged.emit(-1)

    def _network_event(self, event: PlayerEvent) -> bool:
        """Network bookkeeping for one event; ``True`` when it is handled here (a lost connection)."""
        net = self.net
        assert net is not None
        now = monotonic()
        kind = event.kind
        if kind is EventKind.TIME and isinstance(event.value, int):
            net.time_reported(event.value, event.at or now)
            if event.value > 0 and self.state is State.OPENING and self.player is not None:
                # A stream with video has started when its first picture is out; the time of the
                # position it was opened at comes at once and says nothing. Audio only: a time
                # past that position is its first sign of life.
                if self.player.has_video() or event.value <= net.start_ms:
                    return True
                net.started(now)
        elif kind is EventKind.BUFFERING and isinstance(event.value, float):
            net.buffering_reported(event.value)
            self._pictures.buffering(event.value, event.at or now)
        elif kind is EventKind.FIRST_FRAME:
            net.started(now)
            if self._retry_from is not None:
                net.resumed_from = self._retry_from
        elif kind is EventKind.ENDED and self._tracker.first_frame:
            position = self._text_position
            if self.length_ms and position < self.length_ms - self.EARLY_END_MS:
                self._connection_lost(None)
                return True
        elif kind is EventKind.ERROR and (net.retrying or self._tracker.first_frame):
            self._connection_lost(str(event.value or ""))
            return True
        self._emit_network()
        return False

    def _connection_lost(self, reason: str | None) -> None:
        """The stream stopped before its end: retry with backoff, from the last picture's time."""
        net = self.net
        assert net is not None
        if net.playing or self._retry_from is None:
            self._retry_from = self._text_position
        position = self._retry_from
        delay = net.next_retry_delay()
        if delay is None:
            why = (
                f": {reason}"
                if reason
                else ". The server stops sending the media there: it may be cut short on the server."
            )
            self.fail(
                f"The connection was lost at {format_clock(position)} and {net.attempt} attempts to "
                f"reconnect failed{why}"
            )
            return
        self.clock.seek(position)
        self.clock.pause()
        self._text_position = position
        self._retry_timer.start(int(delay * 1000))
        self._emit_network()

    def _retry_connection(self) -> None:
        if self.net is None or self.media_url is None or self.player is None or self.state is State.ERROR:
            return
        self.net.reopened(monotonic())
        self.net.start_ms = self._retry_from or 0
        self._tracker = LoadTracker()
        self._start_ms = self._retry_from or 0
        self._set_state(State.OPENING)
        self.player.open_url(self.media_url)
        self._emit_network()

    def _network_holds_text(self) -> bool:
        """A stream with video that plays: its text moves with its pictures only, never with
        the clock alone (pictures that stop coming are a stall, and the text waits with the
        last one)."""
        return self.net is not None and self.frame is not None and self.state is State.PLAYING

    def _network_frame(self, frame: Frame) -> None:
        """Stall bookkeeping for a picture: when new pictures come again after a stall, play on
        from the last one (the text of the pictures themselves is PictureTimes' business)."""
        net = self.net
        assert net is not None
        frame_ms = self.player.frame_ms if self.player is not None else None
        net.frame(frame.at or monotonic(), frame_ms, same=frame.repeat)
        if net.should_resume(frame.at or monotonic(), has_video=True):
            net.resume()
            if self.state is State.PLAYING:
                # The new pictures follow on from the last one, one frame each, until libVLC
                # reports its time again; the clock starts from there.
                self._pictures.count_from(self._text_position)
                self.clock.start()
            self._emit_network()

    def _network_tick(self) -> None:
        net = self.net
        assert net is not None
        now = monotonic()
        has_video = self.frame is not None
        if self.state is not State.PLAYING:
            if net.stalled_at is not None:
                net.resume()  # paused (or ended) while stalled: nothing is waiting any more
        elif not self._pictures.pending and net.should_stall(now, has_video):
            net.stall(now, has_video)
            # The last new picture stays: the clock, and so the text, wait with it.
            self.clock.seek(self._text_position)
            self.clock.pause()
            self._update_now(self._text_position)
        elif not has_video and net.should_resume(now, has_video=False):
            net.resume()
            self.clock.start()
        if self.state is State.PLAYING:
            net.progressed(self._text_position)
        elif self.state is State.OPENING and self.player is not None and net.should_check_connection(now):
            # A server that accepted but sends nothing makes libVLC wait for ever: the probe
            # says "did not answer within 10 s" then (and nothing while data still arrives).
            self.player.check_connection()
        if (
            self._tick_count % max(1, 500 // self._poll.interval()) == 0 and self.player is not None
        ):  # twice a second
            buffered = self.player.buffered_ms()
            value = -1 if buffered is None else max(buffered, self._text_position)
            if value != self.buffered_ms:
                self.buffered_ms = value
                self.bufferedChanged.emit(value)
        self._emit_network(now)

    def _emit_network(self, now: float | None = None) -> None:
        if self.net is None:
            return
        position = self._retry_from if self._retry_from is not None else self._text_position
        status = self.net.status(monotonic() if now is None else now, position)
        if self.state is State.ERROR:
            status = NetStatus()  # the error panel says it all: no spinner keeps running
        if status != self.net_status:
            self.net_status = status
            self.networkChanged.emit(status)
