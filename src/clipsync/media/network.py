"""What a stream over the network is doing: connecting, buffering, stalled, retrying.

:class:`NetworkWatch` is fed the backend's events and the arrival time of each picture, and
decides, with the wall-clock time passed in (so it is tested with a hand-driven clock):

- *connecting* and *buffering* are only said after :data:`SHOW_AFTER_S`, so a fast open never
  flashes them;
- a *stall* is a picture that stopped changing while playing. libVLC does not say so: its
  time stops when its input starves, but the pictures already decoded still play for up to a
  second or more, and once they run out the video output shows the last one again every
  ~80 ms. So a picture that comes much later than one frame after the previous one, while
  libVLC's time has stopped, is the last picture shown again, not a new one;
- a connection that drops is retried :data:`RETRY_DELAYS_S` apart before it is an error.

Nothing here imports Qt or vlc.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from clipsync.core.timing.timecode import format_clock

SHOW_AFTER_S = 0.4
#: No new picture for this long while playing (and libVLC's time stopped): stalled.
STALL_AFTER_S = 0.5
#: Audio only: libVLC's time stopped for this long while playing: stalled.
AUDIO_STALL_AFTER_S = 1.5
#: libVLC's time counts as stopped when it has not changed for this long (it ticks every ~250 ms).
TIME_STOPPED_S = 0.4
#: The video output shows the last picture again after ~80 ms without a new one.
REPEAT_GAP_S = 0.06
RETRY_DELAYS_S = (1.0, 2.0, 4.0)
#: Still connecting after this long: check that the server answers at all (it may be silent).
CHECK_CONNECTION_AFTER_S = 20.0
#: Playing this far past where a retry resumed means the connection is good again.
RECOVERED_MS = 5000


class NetPhase(StrEnum):
    NONE = "none"
    CONNECTING = "connecting"
    BUFFERING = "buffering"
    STALLED = "stalled"
    RETRYING = "retrying"


@dataclass(frozen=True)
class NetStatus:
    """What to tell the user about the network now (``NONE``: nothing)."""

    phase: NetPhase = NetPhase.NONE
    host: str = ""
    percent: int | None = None
    waited_s: int = 0
    attempt: int = 0
    attempts: int = len(RETRY_DELAYS_S)
    position_ms: int = 0

    def text(self) -> str:
        """The sentence shown in the video area and the status bar, and announced."""
        if self.phase is NetPhase.CONNECTING:
            waited = f" ({self.waited_s} s)" if self.waited_s >= 2 else ""
            return f"Connecting to {self.host}…{waited}"
        if self.phase is NetPhase.BUFFERING:
            return f"Buffering {self.percent or 0} %…"
        if self.phase is NetPhase.STALLED:
            return f"Waiting for the network… {self.waited_s} s"
        if self.phase is NetPhase.RETRYING:
            return (
                f"Connection lost at {format_clock(self.position_ms)}. Retrying"
                f" ({self.attempt} of {self.attempts})…"
            )
        return ""


class NetworkWatch:
    """The network state of one opened address (see the module's docstring)."""

    def __init__(self, host: str, now: float) -> None:
        self.host = host
        self.opened_at = now
        self.playing = False  # the player has shown something and plays
        self.stalled_at: float | None = None
        self.buffering: int | None = None
        self.retrying = False
        self.attempt = 0
        self.resumed_from: int | None = None
        #: Where this open (or retry) starts playing, in ms.
        self.start_ms = 0
        self._checked_at: float | None = None
        self.last_frame_at: float | None = None
        self.last_real_frame_at: float | None = None
        self.last_time_at: float | None = None
        self._last_time: int | None = None

    # Feeding ---------------------------------------------------------------------------
    def reopened(self, now: float) -> None:
        """A retry opens the address again (it counts as retrying until it plays)."""
        self.opened_at = now
        self.playing = False
        self.stalled_at = None
        self.buffering = None
        self._checked_at = None
        self.last_frame_at = self.last_real_frame_at = self.last_time_at = None
        self._last_time = None

    def started(self, now: float) -> None:
        """The first picture (or sound) of this open is out."""
        self.playing = True
        self.buffering = None
        self.retrying = False

    def time_reported(self, value: int, now: float) -> None:
        if value != self._last_time:
            self._last_time = value
            self.last_time_at = now

    def buffering_reported(self, percent: float) -> None:
        self.buffering = int(percent)

    def frame(self, at: float, frame_ms: float | None, *, same: bool = True) -> bool:
        """A picture was shown at ``at``; ``False`` when it is the last one shown again.

        ``same``: its pixels are those of the picture before (``False`` proves it is new; a
        still scene shows the same pixels at the normal pace, so it takes the late arrival
        and the stopped time too).

        A picture that comes before this open has started (:meth:`started`: its first picture
        is told before it is handed over) is one of what was open before, shown as libVLC
        stopped it, or of the attempt before a retry: it is not counted. Counted, it made a
        stall the moment the stream started, its last new picture seemingly a second old.
        """
        if not self.playing:
            return False
        previous, self.last_frame_at = self.last_frame_at, at
        gap_limit = max(REPEAT_GAP_S, 1.5 * (frame_ms or 40) / 1000)
        time_stopped = self.last_time_at is not None and at - self.last_time_at >= TIME_STOPPED_S
        late = previous is not None and at - previous >= gap_limit
        if same and late and time_stopped and self.playing:
            return False
        self.last_real_frame_at = at
        return True

    # Deciding --------------------------------------------------------------------------
    def should_stall(self, now: float, has_video: bool) -> bool:
        """Playing, but nothing new for long enough: a stall starts (call once it is entered)."""
        if not self.playing or self.stalled_at is not None or self.retrying:
            return False
        if has_video:
            last = self.last_real_frame_at
            return last is not None and now - last >= STALL_AFTER_S
        last = self.last_time_at
        return last is not None and now - last >= AUDIO_STALL_AFTER_S

    def stall(self, now: float, has_video: bool) -> None:
        last = self.last_real_frame_at if has_video else self.last_time_at
        self.stalled_at = last if last is not None else now

    def should_resume(self, now: float, has_video: bool) -> bool:
        """Stalled, and new pictures (or a moving time) came back."""
        if self.stalled_at is None:
            return False
        last = self.last_real_frame_at if has_video else self.last_time_at
        return last is not None and last > self.stalled_at + 1e-6

    def resume(self) -> None:
        self.stalled_at = None

    def next_retry_delay(self) -> float | None:
        """The wait before the next attempt, or ``None`` when every attempt has been made."""
        if self.attempt >= len(RETRY_DELAYS_S):
            return None
        delay = RETRY_DELAYS_S[self.attempt]
        self.attempt += 1
        self.retrying = True
        return delay

    def progressed(self, position_ms: int) -> None:
        """Playback reached ``position_ms``: far enough past a retry, the attempts start again."""
        if self.resumed_from is not None and position_ms - self.resumed_from >= RECOVERED_MS:
            self.attempt = 0
            self.resumed_from = None

    def should_check_connection(self, now: float) -> bool:
        """Not playing yet after :data:`CHECK_CONNECTION_AFTER_S` (and again as long again
        after each check): time to ask the server whether it answers at all."""
        if self.playing:
            return False
        since = self._checked_at if self._checked_at is not None else self.opened_at
        if now - since >= CHECK_CONNECTION_AFTER_S:
            self._checked_at = now
            return True
        return False

    def status(self, now: float, position_ms: int = 0) -> NetStatus:
        if self.retrying:
            return NetStatus(
                NetPhase.RETRYING,
                self.host,
                attempt=self.attempt,
                attempts=len(RETRY_DELAYS_S),
                position_ms=position_ms,
            )
        if self.stalled_at is not None:
            return NetStatus(NetPhase.STALLED, self.host, waited_s=int(now - self.stalled_at))
        if not self.playing and now - self.opened_at >= SHOW_AFTER_S:
            if self.buffering:  # libVLC says 0 % as it starts, before any data: still connecting
                return NetStatus(NetPhase.BUFFERING, self.host, percent=self.buffering)
            return NetStatus(NetPhase.CONNECTING, self.host, waited_s=int(now - self.opened_at))
        return NetStatus()
