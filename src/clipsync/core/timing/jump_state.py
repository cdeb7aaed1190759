"""What :class:`~clipsync.core.timing.picture_times.PictureTimes` keeps of a pending jump and of
its landing (the windows named here are in :mod:`clipsync.core.timing.picture_windows`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Jump:
    """A jump waiting for its first picture."""

    target_ms: int
    asked_at: float
    in_flight_s: float
    #: The cadence old pictures keep: (when the last picture before the jump came, the frame
    #: interval then), or ``None`` when pictures were not flowing.
    grid: tuple[float, float] | None = None
    #: The decoder goes a long way from the keyframe before the target (``LONG_DECODE_MS``).
    long_decode: bool = False
    #: How long the player waits before it shows the target (below 1x; 0: no wait).
    wait_s: float = 0.0
    #: A landing was taken back (its picture shown again): repeats are that old picture.
    repeats_old: bool = False
    #: The media plays on after the jump (not paused).
    playing: bool = True
    #: When the first pictures of an earlier jump still waiting below 1x may come, which are
    #: old (``STALE_SHARES``), or ``None``.
    stale: tuple[float, float] | None = None
    #: The target is the frame after the one on screen (a speed change): the old pictures on
    #: their way are the target's own frames.
    next_frame: bool = False
    #: Asked for while the player was still starting (``START_S``): more old pictures.
    start_up: bool = False


@dataclass(frozen=True, slots=True)
class Landing:
    """The first picture of a jump, while a picture right after it may still move it."""

    target_ms: int
    at: float  # when its picture came
    movable_s: float  # a picture sooner than this after it moves the landing to it
    late_s: float  # ... and one later than this (at a high frame rate, ``LATE_GAP_SHARE``)
    hold_s: float
    long_decode: bool  # a repeat of it takes it back (``LONG_DECODE_MS``)
    #: A repeat of it sooner than this after it takes it back (``REPEAT_AFTER_S``: while it is
    #: held back, or soon after, ``LATE_REPEAT_S``).
    repeat_old_s: float = 0.0
