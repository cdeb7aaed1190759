"""Which media time each picture on screen shows, so the text painted with it matches.

libVLC 3 hands video over without timestamps, so the time of a picture is inferred:

* In steady playback it is the playback clock rounded to the frame grid (the clock's own
  error is far below half a frame).
* A jump (seek, frame step, replay) is *pending* until the first picture of the new position
  arrives. Pictures before it were already on their way when the jump was asked for (libVLC
  hands over 1-3 of them) or are the old picture shown again: they keep the text they had,
  so new text never appears over an old picture.
* From the first new picture on, and after a pause or resume, pictures are counted one frame
  each until the player reports its time again: libVLC may hold the first picture of a jump
  (below 1x it waits for the target's moment) and may show one or two more after a pause,
  which a running clock would not follow.
* libVLC sometimes shows one more old picture right before the first new one, both at once
  (a burst, well inside one frame interval). A picture that comes in such a burst just after
  the landing is the real first picture: the landing moves to it.

It is pure: wall-clock times are passed in, so it is tested with made-up times.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class _Jump:
    target_ms: int
    asked_at: float
    in_flight_s: float


class PictureTimes:
    """Decides the media time of each new picture (see the module docstring)."""

    #: Pictures that arrive sooner than this after a seek were already on their way
    #: (measured: old pictures up to ~45 ms, the first new one from ~20 ms, usually 40-60 ms).
    IN_FLIGHT_S = 0.03
    #: Two pictures closer than this are a burst, not two frames of playback.
    BURST_S = 0.012
    #: How long after a landing a burst still moves it.
    RELAND_WINDOW_S = 0.15

    def __init__(self, frame_ms: float | None = None) -> None:
        self.frame_ms = frame_ms
        self._jump: _Jump | None = None
        self._counted: float | None = None
        self._landed: tuple[int, float] | None = None  # target, when its picture came
        self._last_at = 0.0
        #: The last picture given a time was the first of its jump (the clock re-anchors).
        self.landed = False

    @property
    def pending(self) -> bool:
        """A jump waits for its first picture."""
        return self._jump is not None

    @property
    def counting(self) -> bool:
        return self._counted is not None

    def jump(self, target_ms: int, at: float, *, in_flight: bool = True) -> None:
        """A seek (``in_flight``: old pictures may still come) or a frame step was asked for."""
        self._jump = _Jump(target_ms, at, self.IN_FLIGHT_S if in_flight else 0.0)
        self._counted = None

    def land(self) -> int | None:
        """The pending jump is over without a picture (audio only, a still picture, time-out):
        its target, or ``None`` when nothing was pending."""
        jump, self._jump = self._jump, None
        if jump is None:
            return None
        self._landed = None
        self._counted = float(jump.target_ms)
        return jump.target_ms

    def count_from(self, position_ms: int) -> None:
        """Pause or resume at ``position_ms``: count the next pictures from there."""
        if self._jump is None:
            self._counted = float(position_ms)

    def reported(self) -> None:
        """The player reported a new time: the clock is anchored again, stop counting."""
        if self._jump is None:
            self._counted = None

    def picture(self, at: float, repeat: bool, clock_ms: int) -> int | None:
        """The media time of a picture that arrived at ``at`` (``None``: it shows nothing new,
        keep the text as it is).

        >>> times = PictureTimes(40.0)
        >>> times.picture(10.0, False, 1013)
        1000
        >>> times.jump(5000, at=10.0)
        >>> times.picture(10.01, False, 5000) is None   # on its way before the seek
        True
        >>> times.picture(10.05, False, 5000), times.picture(10.09, False, 5000)
        (5000, 5040)
        """
        self.landed = False
        if repeat:
            return None
        burst, self._last_at = at - self._last_at < self.BURST_S, at
        if self._jump is not None:
            if at - self._jump.asked_at < self._jump.in_flight_s:
                return None
            self.landed = True
            target = self.land()
            self._landed = (target or 0, at)
            return target
        if burst and self._landed is not None and at - self._landed[1] < self.RELAND_WINDOW_S:
            self.landed = True
            self._counted = float(self._landed[0])
            return self._landed[0]
        if self._counted is not None and self.frame_ms:
            self._counted += self.frame_ms
            return round(self._counted)
        return self.on_grid(clock_ms)

    def on_grid(self, position_ms: int) -> int:
        """``position_ms`` rounded to the nearest frame start."""
        if not self.frame_ms:
            return position_ms
        return round(round(position_ms / self.frame_ms) * self.frame_ms)
