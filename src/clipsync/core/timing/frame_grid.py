"""When each picture of a video starts, in media time: the grid the text is locked to.

A constant frame rate is a grid ``origin + k x frame_ms`` (``origin``: the first picture's
time, not 0 in a Matroska file whose sound starts earlier). A variable frame rate (a phone's
video: 60, 30, 20 frames a second in turn) is the list of its pictures' times.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence


class FrameGrid:
    """The start of each picture (see the module docstring)."""

    def __init__(self, frame_ms: float, origin_ms: float = 0.0, times: Sequence[float] | None = None) -> None:
        self.frame_ms = frame_ms
        self.origin_ms = origin_ms
        self.times = list(times) if times else None

    def __repr__(self) -> str:
        kind = f"{len(self.times)} times" if self.times else f"{self.frame_ms:.3f} ms"
        return f"FrameGrid({kind}, origin {self.origin_ms:g})"

    def nearest(self, position_ms: float) -> float:
        """The picture start nearest to ``position_ms``.

        >>> FrameGrid(20.0, 21.0).nearest(48), FrameGrid(20.0, times=[0, 20, 50, 100]).nearest(70)
        (41.0, 50)
        """
        times = self.times
        if times is None:
            k = max(0, round((position_ms - self.origin_ms) / self.frame_ms))  # none before the first
            return self.origin_ms + k * self.frame_ms
        i = bisect.bisect_left(times, position_ms)
        if i == 0:
            return times[0]
        if i == len(times):
            return times[-1] + round((position_ms - times[-1]) / self.frame_ms) * self.frame_ms
        before, after = times[i - 1], times[i]
        return before if position_ms - before <= after - position_ms else after

    def at_or_after(self, position_ms: float) -> float:
        """The start of the first picture that starts at or after ``position_ms`` in whole ms
        (rounded, as the player counts): the first picture whose own start is in a quote
        that starts at ``position_ms``.

        >>> FrameGrid(40.0).at_or_after(4100), FrameGrid(40.0).at_or_after(4120)
        (4120.0, 4120.0)
        >>> round(FrameGrid(1001 / 24).at_or_after(4100), 1), FrameGrid(20.0, times=[0, 20, 50]).at_or_after(21)
        (4129.1, 50)
        """
        times = self.times
        if times is None:
            k = max(0, math.ceil((position_ms - 0.5 - self.origin_ms) / self.frame_ms - 1e-9))
            return self.origin_ms + k * self.frame_ms
        i = bisect.bisect_left(times, position_ms - 0.5)
        if i < len(times):
            return times[i]
        return times[-1] + math.ceil((position_ms - 0.5 - times[-1]) / self.frame_ms - 1e-9) * self.frame_ms

    def seek_to(self, position_ms: int) -> tuple[int, int]:
        """A jump to ``position_ms``: (the time to ask the player for, the time of the picture
        it shows first). That picture is the first one whose own start is at or after the
        target (``at_or_after``), so that its text, the sentence at its start, is the target's
        (a quote that starts inside a frame is shown from the quote's first frame, not with the
        frame before it, whose start is in the sentence before). libVLC 3 shows first, at 1x,
        the first picture whose start is at or after the time asked for in Matroska/WebM, so
        the request is that picture's start rounded down (an MP4 is asked a little later by
        the backend: ``MediaIndex.shown_from_ms``; docs/libvlc.md "Jumps").

        >>> FrameGrid(40.0).seek_to(4100), FrameGrid(1001 / 30).seek_to(15100)
        ((4120, 4120), (15115, 15115))
        """
        start = self.at_or_after(position_ms)
        return math.floor(start + 1e-6), round(start)

    def after(self, start_ms: float) -> float:
        """The start of the picture after the one starting at ``start_ms``."""
        times = self.times
        if times is None:
            return start_ms + self.frame_ms
        i = bisect.bisect_right(times, start_ms + 0.5)
        return times[i] if i < len(times) else start_ms + self.frame_ms

    def interval_at(self, position_ms: float) -> float:
        """How long the picture at ``position_ms`` is on screen at 1x."""
        times = self.times
        if times is None:
            return self.frame_ms
        i = min(max(bisect.bisect_right(times, position_ms + 0.5) - 1, 0), len(times) - 2)
        return times[i + 1] - times[i] if i >= 0 and len(times) > 1 else self.frame_ms
