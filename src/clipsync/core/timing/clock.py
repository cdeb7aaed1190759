"""The playback clock: the one position every view reads.

libVLC publishes its time only every ~250 ms, so a view that shows ``get_time()`` as it comes
runs ~200 ms late on average. The clock re-anchors each time the player reports a *new* time
and interpolates between reports with the wall clock and the rate; it freezes on pause and
jumps on seek. It is pure: the player's reports and the wall-clock time are passed in, so it
is tested with a hand-driven clock.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic


class PlaybackClock:
    """Interpolated media position in milliseconds.

    ``now`` returns wall-clock seconds (``time.monotonic`` by default); tests pass their own.
    """

    #: Within ``STALE_WINDOW_S`` after a seek, a report further than ``SEEK_SETTLE_MS`` from
    #: the expected position but within it of where the seek came from is a stale one from
    #: before the seek. Any other report counts: libVLC may land far from the target (a
    #: speed change can land it 1.5 s late) and the clock must follow where it really is.
    SEEK_SETTLE_MS = 1000
    STALE_WINDOW_S = 0.3
    #: How coarsely the player knows its time (0: to its ~250 ms updates). libVLC 3 knows an
    #: HLS stream's time only per segment (benchmarks/repro/hls_time.py), often a segment behind after a seek, so there a
    #: report is an anchor only when it is further *ahead* than this (pictures were skipped,
    #: after a stall); the pictures and the wall clock keep the position in between.
    coarse_ms = 0

    def __init__(self, now: Callable[[], float] = monotonic) -> None:
        self._now = now
        #: The wall-clock function, for a fresh clock on the same time base.
        self.wall = now
        self._anchor_ms = 0
        self._anchor_wall = now()
        self._last_report: int | None = None
        self._rate = 1.0
        self._running = False
        self._length_ms: int | None = None
        self._seek_wall: float | None = None
        self._seek_from = 0  # where the last seek came from
        #: How far the last report that became the anchor was from the clock at its time (ms).
        self.offset_ms = 0

    @property
    def running(self) -> bool:
        return self._running

    @property
    def rate(self) -> float:
        return self._rate

    def set_length(self, length_ms: int | None) -> None:
        """The media's length; the position never runs past it."""
        self._length_ms = length_ms if length_ms and length_ms > 0 else None

    def position(self) -> int:
        """The position now, in ms."""
        return self._at(self._now())

    def _at(self, wall: float) -> int:
        pos = self._anchor_ms
        if self._running:
            pos += round((wall - self._anchor_wall) * 1000 * self._rate)
        if self._length_ms is not None:
            pos = min(pos, self._length_ms)
        return max(pos, 0)

    def report(self, player_time_ms: int, at: float | None = None) -> bool:
        """A time published by the player (at wall-clock time ``at``, default now).

        Only a changed value is a new anchor: the player repeats the same coarse value for
        ~250 ms, and taking each repeat as an anchor would freeze the clock between updates.
        ``at`` lets the anchor start from the moment libVLC published the value, not from
        when the GUI thread got round to it. Returns whether it became the anchor.
        """
        if player_time_ms == self._last_report:
            return False
        if self._seek_wall is not None:
            recent = self._now() - self._seek_wall < self.STALE_WINDOW_S
            far = abs(player_time_ms - self.position()) > self.SEEK_SETTLE_MS
            if recent and far and abs(player_time_ms - self._seek_from) <= self.SEEK_SETTLE_MS:
                return False  # a time from before the seek, published late
            self._seek_wall = None
        if self.coarse_ms and self._running and player_time_ms < self.position() + self.coarse_ms:
            return False
        self._last_report = player_time_ms
        if self._running:
            self.offset_ms = player_time_ms - self._at(self._now() if at is None else at)
            self._set_anchor(player_time_ms, at)
        return self._running

    def start(self) -> None:
        """Playback runs (again) from the current position."""
        if not self._running:
            self._set_anchor(self.position())
            self._running = True

    def pause(self) -> None:
        """Freeze at the interpolated position (the player's own time stays stale when paused)."""
        if self._running:
            self._set_anchor(self.position())
            self._running = False

    def seek(self, position_ms: int) -> None:
        """Jump to ``position_ms``; stale reports from before the seek are ignored."""
        self._seek_from = self.position()
        self._set_anchor(position_ms)
        self._last_report = None
        self._seek_wall = self._now()

    def follow(self, position_ms: int, at: float | None = None) -> None:
        """The picture on screen shows ``position_ms`` (since ``at``): run on from there."""
        self._set_anchor(position_ms, at)

    def set_rate(self, rate: float) -> None:
        """Follow a rate change without a jump: re-anchor first, then run at the new rate."""
        self._set_anchor(self.position())
        self._rate = rate

    def _set_anchor(self, position_ms: int, at: float | None = None) -> None:
        self._anchor_ms = position_ms
        self._anchor_wall = self._now() if at is None else at
