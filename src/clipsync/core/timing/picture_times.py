"""Which media time each picture on screen shows, so the text painted with it matches.

libVLC 3 hands video over without timestamps, so the time of a picture is inferred:

* In steady playback it is the playback clock rounded to the nearest picture start (the
  clock's own error is far below half a frame). The pictures' starts come from the media
  (``grid``: its first picture's time and frame rate, or each picture's time when the rate
  varies); without one, multiples of ``frame_ms``.
* A jump (seek, frame step, replay) is *pending* until the first picture of the new position
  arrives. libVLC still hands over 1-2 old pictures after the seek
  was asked for (and sometimes one from ~0.7 s *after* the old position), with no timestamp to
  tell them from new ones. But libVLC had timed the old ones before the seek: they come exactly
  on the cadence of the pictures before it (within 0.2 ms, measured), in its next one or two
  slots (three at 2x), where the first new picture comes whenever its decoding is done. So
  when pictures were flowing, a picture on that grid is old and any other is new. When they
  were not (paused, or a jump before the last one landed), those within ``IN_FLIGHT_S``, or
  later but in step with the old pictures' cadence, are taken as old. Old pictures are *not shown*: the last picture
  stays on screen with its text until the new position's first picture, so no picture is
  ever shown with text that is not its own. The same picture shown again (while paused or
  waiting) shows nothing new. When the first picture shown comes in step right after one
  taken for old only for its step, that one was the new position's first (new pictures keep
  the same step): this one is a frame after the target.
* libVLC often shows one more old picture (from ~0.7 s after the old position, the one its
  decoder had ready when the seek flushed it) right before the first new one, both at once.
  A picture that comes in such a burst (well inside one frame interval) just after the
  landing is the real first picture: the landing moves to it. So that the old one is never
  shown with the new text, a landing picture waits that long (``hold_s``) before it is shown.
  Above 40 fps that old picture comes 30-160 ms before the first new one instead: there a
  landing waits for the next picture, and a long gap before it, or the landing shown again
  while it waits (``REPEAT_AFTER_S``), says it was that old one. So it does after a long
  decode from the keyframe (``LONG_DECODE_MS``), where a next picture off the new ones' step
  says so too. But a landing that came long after the old pictures (``AFTER_OLD_SHARE``) is
  new: the pictures soon after it are the next ones catching up, and do not move it.
* Right after the media opened, libVLC has pictures decoded ahead: at a high frame rate a seek
  then brings more old pictures in step (``START_S``, ``START_OLD``).
* A stream plays on what it still had after a seek until the new position's data comes
  (for seconds, when it comes slowly: the same old picture shown again and again). libVLC
  then fills its buffer again, and reports it: the pictures that come while it refills after
  a jump are old (``buffering``; fed for streams only: for a file the refill is over within
  ~1 ms of the seek).
* From the first new picture on, and after a pause or resume, pictures are counted one frame
  each until the player reports its time again: libVLC may hold the first picture of a jump
  (below 1x it waits for the target's moment) and may show one or two more after a pause,
  which a running clock would not follow.

Once the media's own pictures around a jump's target are known, their content decides
instead (:mod:`clipsync.core.timing.picture_match`; ``identified``, ``not_new``): these rules
are for the pictures that come before that, and for media that cannot be matched.

It is pure: wall-clock times are passed in, so it is tested with made-up times.
"""

from __future__ import annotations

from clipsync.core.timing.frame_grid import FrameGrid
from clipsync.core.timing.jump_state import Jump, Landing
from clipsync.core.timing.picture_windows import PictureWindows


class PictureTimes(PictureWindows):
    """Decides the media time of each new picture (see the module docstring), with the
    windows of :class:`PictureWindows`."""

    def __init__(
        self, frame_ms: float | None = None, rate: float = 1.0, grid: FrameGrid | None = None
    ) -> None:
        self.frame_ms = frame_ms
        #: When each picture starts (from the media); ``None``: multiples of ``frame_ms``.
        self.grid = grid
        self.rate = rate
        self._jump: Jump | None = None
        self._counted: float | None = None
        self._before_count: float | None = None  # the count before the last picture's (``stray``)
        self._next_is_counted = False  # the next picture is ``_counted`` itself, not a frame on
        self._landed: Landing | None = None
        self._old_at: float | None = None  # when the last picture taken for old came
        self._last_at: float | None = None
        self._last_gap: float | None = None  # between the last two pictures
        self._last_interval = 0.0  # the frame interval when the last picture came
        self._in_step: tuple[float, ...] = ()  # the last pictures that came in step (``CADENCE_PICTURES``)
        self._shown_ms: float | None = None  # the time of the last picture given one
        self._old = 0  # old pictures since the jump was asked for
        self._pictures_since = 0  # pictures (not repeats) since the jump was asked for
        self._first_at: float | None = None  # when the media's first picture came
        self._stale = 0  # ... of them, those of an earlier jump that waited (``stale``)
        self._old_slot = 0  # the cadence slot of the last one (0: none, or not on it)
        self._old_by_step = False  # the last picture was taken for old only for its step
        self._stream = False  # the player reports its buffer (``buffering``): a stream
        #: After the pending jump the player's buffer fills again: (since, until) or ``None``.
        self._refill: tuple[float, float | None] | None = None
        #: The last picture given a time was the first of its jump (the clock re-anchors).
        self.landed = False
        #: The last picture came from before the pending jump: it is not to be shown.
        self.old = False
        #: How long the last picture, a landing, is to wait before it is shown (0: at once).
        self.hold_s = 0.0

    @property
    def pending(self) -> bool:
        """A jump waits for its first picture."""
        return self._jump is not None

    @property
    def pending_target(self) -> int | None:
        """The pending jump's target (``None``: none)."""
        return self._jump.target_ms if self._jump is not None else None

    @property
    def pending_wait_s(self) -> float:
        """How long the player was to wait before the pending jump's target (0: none)."""
        return self._jump.wait_s if self._jump is not None else 0.0

    @property
    def counting(self) -> bool:
        return self._counted is not None

    def jump(
        self,
        target_ms: int,
        at: float,
        *,
        in_flight: bool = True,
        decode_ms: float = 0.0,
        playing: bool = True,
        wait_s: float = 0.0,
        next_frame: bool = False,
    ) -> None:
        """A seek (``in_flight``: old pictures may still come) or a frame step to
        ``target_ms`` was asked for; ``decode_ms``: how much media the decoder goes through
        from the keyframe before the target (0: not known); ``playing``: not paused;
        ``wait_s``: how long the player waits before it shows the target (below 1x);
        ``next_frame``: the target is the frame after the one on screen."""
        last, gap, interval = self._last_at, self._last_gap, self._last_interval
        flowing = (
            last is not None
            and gap is not None
            and at - last < 2 * interval
            and abs(gap - interval) < self.CADENCE_SHARE * interval
        )
        grid = (self._cadence_at(interval), interval) if in_flight and flowing else None
        long_decode = in_flight and decode_ms >= self.LONG_DECODE_MS
        earlier, stale = self._jump, None
        if in_flight and earlier is not None and earlier.wait_s:
            since, until = self.STALE_SHARES
            stale = (earlier.asked_at + since * earlier.wait_s, earlier.asked_at + until * earlier.wait_s)
        self._jump = Jump(
            target_ms,
            at,
            self.IN_FLIGHT_S if in_flight else 0.0,
            grid,
            long_decode,
            playing=playing,
            wait_s=wait_s if in_flight and playing else 0.0,
            stale=stale,
            next_frame=next_frame,
            start_up=(self._first_at is None or at - self._first_at < self.START_S) and self._fast_frames(),
        )
        self._counted = None
        self._old = 0
        self._pictures_since = 0
        self._stale = 0
        self._old_slot = 0
        self._old_at = None
        self._old_by_step = False
        self._landed = None
        self._refill = None

    def buffering(self, percent: float, at: float) -> None:
        """The player reported how full its buffer is (``at``: when): after a jump, pictures
        that come while it fills again are from before the jump. (Fed for streams only.)"""
        self._stream = True
        if self._jump is None or at < self._jump.asked_at:
            return
        if percent < 100:
            if self._refill is None:
                self._refill = (self._jump.asked_at, None)  # the seek emptied it
        elif self._refill is not None and self._refill[1] is None:
            self._refill = (self._refill[0], at)

    def _refilling(self, at: float) -> bool:
        refill, jump = self._refill, self._jump
        if refill is None:
            # The report of the emptied buffer may reach us after the first old pictures.
            return (
                self._stream
                and jump is not None
                and bool(jump.in_flight_s)
                and at - jump.asked_at < self.REFILL_REPORT_S
            )
        return refill[0] <= at and (refill[1] is None or at < refill[1])

    def land(self) -> int | None:
        """The pending jump is over without a picture (audio only, a still picture, time-out):
        its target, or ``None`` when nothing was pending."""
        jump, self._jump = self._jump, None
        if jump is None:
            return None
        self._counted = self._exact(jump.target_ms)
        return jump.target_ms

    def count_from(self, position_ms: int, *, first: bool = False) -> None:
        """Pause or resume at ``position_ms``: count the next pictures from there (``first``:
        no picture is on screen yet, the next one *is* ``position_ms``)."""
        if self._jump is None:
            self._counted = self._exact(position_ms)
            self._next_is_counted = first

    # By content (:mod:`clipsync.core.timing.picture_match`): what the last picture is, for sure.
    def identified(self, position_ms: int) -> None:
        """The last picture is the media's picture at ``position_ms``: count on from there
        (a pending jump, or a landing still open, lands on it for good)."""
        if self._jump is not None or self.landed:
            self._jump = self._landed = None
            self.landed = True
        self.old, self.hold_s = False, 0.0
        self._counted = self._shown_ms = self._exact(position_ms)
        self._next_is_counted = False

    def not_new(self, at: float, *, reopen: bool = False) -> None:
        """The last picture (``at``), taken for a landing or old, is none of the new position's:
        it is old, and the jump waits on (``reopen``: also when it was counted on from a
        landing that was never shown)."""
        if (self.landed or reopen) and self._landed is not None:
            # (libVLC may show that old picture again: a repeat of it is old too)
            self._jump = Jump(self._landed.target_ms, at, 0.0, repeats_old=True)
            self._landed = self._counted = None
        self.old, self.landed, self.hold_s = True, False, 0.0
        self._old_at = at

    def stray(self) -> bool:
        """The last picture, counted on, is none of the media's pictures there (libVLC's AV1
        decoder may show one from before the target after a seek): it is not to be shown, and
        the count goes back to the picture before it (``False``: it was not counted)."""
        if self._before_count is None:
            return False
        self._counted = self._shown_ms = self._before_count
        self._before_count = None
        self.old = True
        return True

    def reported(self) -> None:
        """The player reported a new time: the clock is anchored again, stop counting."""
        if self._jump is None:
            self._counted = None
            self._landed = None

    def picture(self, at: float, repeat: bool, clock_ms: int) -> int | None:
        """The media time of a picture that arrived at ``at`` (``None``: it shows nothing new,
        keep the text as it is; with ``old`` set, it is not to be shown at all). ``repeat``:
        it has the same bytes as the picture before it.

        >>> times = PictureTimes(40.0)
        >>> times.picture(10.0, False, 1013)
        1000
        >>> times.jump(5000, at=10.0)
        >>> times.picture(10.01, False, 5000), times.old   # on its way before the seek
        (None, True)
        >>> times.picture(10.07, False, 5000), times.picture(10.11, False, 5000)
        (5000, 5040)
        """
        was_old, self.landed, self.old = self.old, False, False
        self._before_count = None
        self.hold_s = 0.0
        self._pictures_since += self._jump is not None and not repeat
        if self._first_at is None:
            self._first_at = at
        sole = False  # the one picture since a seek to the next frame, shown again
        landed = self._landed
        # The landing shown again: after a long decode, while it is held back, or soon after.
        landing_again = (
            landed is not None
            and landed.at == self._last_at
            and at - landed.at >= self.REPEAT_AFTER_S
            and (landed.long_decode or at - landed.at < landed.repeat_old_s)
        )
        if repeat and ((self._jump is not None and self._jump.repeats_old) or landing_again):
            # libVLC shows the late old picture again before the first new one (after a long
            # decode, and while a landing is held back): a landing shown again was that old
            # picture. The jump waits again.
            if self._jump is None and landed is not None:
                self._jump = Jump(landed.target_ms, at, 0.0, repeats_old=True)
                self._landed = self._counted = None
            self.old, self._old_at = True, at
            return None
        if repeat and was_old:
            # The same picture as one taken for old: at once, libVLC shows that old one twice;
            # later, it is new on screen (after a speed change, a seek to the next frame, the
            # first new picture can be that very frame).
            if self._last_at is not None and at - self._last_at < self.REDISPLAY_S:
                self.old, self._old_at = True, at
                return None
            repeat = False
            # After a seek to the next frame, when libVLC showed only that one picture (twice
            # at once, then again), it is the target's own: no later picture moves the landing
            # (the matrix: the next frame, 4-23 ms behind, did, and the text was a frame behind).
            sole = self._jump is not None and self._jump.next_frame and self._pictures_since == 1
        if repeat:
            return None
        gap = None if self._last_at is None else at - self._last_at
        interval = self._interval()
        after_landing = self._landed is not None and self._landed.at == self._last_at
        self._last_at, self._last_gap, self._last_interval = at, gap, interval
        in_step = gap is not None and abs(gap - interval) < self.CADENCE_SHARE * interval
        self._in_step = (*self._in_step[1 - self.CADENCE_PICTURES :], at) if in_step else (at,)
        if sole:
            return self._land_at(at, fixed=True)
        jump = self._jump
        if jump is not None and (self._refilling(at) or self._from_earlier(jump, at)):
            self.old, self._old_at = True, at
            return None
        if jump is not None and jump.grid is not None:
            slot = self._grid_slot(jump.grid, at)
            again = slot and slot == self._old_slot  # libVLC may show two pictures in one slot
            just_asked = at - jump.asked_at < self.JUST_ASKED_S
            more = self._old < self._max_old() or (slot > 1 and self._continues_run(slot))
            if again or ((just_asked or slot) and more):
                self._old += 0 if again else 1
                self._old_slot = slot
                self.old, self._old_at = True, at
                return None
            return self._land_at(at)
        if jump is not None:
            since = at - jump.asked_at
            in_step = gap is not None and abs(gap - interval) < self.CADENCE_SHARE * interval
            by_step = bool(jump.in_flight_s) and in_step and since < self.OLD_CADENCE_S
            if (since < jump.in_flight_s or by_step) and self._old < self._most_old():
                self._old += 1
                # (At start-up the old pictures come in step until the first new one.)
                self._old_by_step = since >= jump.in_flight_s and not jump.start_up
                self.old, self._old_at = True, at
                return None
            after_missed_first = self._old_by_step and in_step
            self._old_by_step = False
            target = self._land_at(at)
            if after_missed_first and self._counted is not None and self.frame_ms:
                return self._count()
            return target
        landed = self._landed if after_landing else None
        if landed is not None and gap is not None and gap <= landed.hold_s:
            # After a long decode only a picture in step confirms the landing: one off the step
            # (the late old picture 30 ms after an old one) is held in its place, as doubtful.
            off_step = (
                landed.long_decode
                and landed.movable_s > 0
                and abs(gap - interval) > max(self.STEP_SHARE * interval, 0.005)
            )
            if gap < landed.movable_s or landed.late_s < gap or off_step:
                doubtful = off_step and landed.movable_s <= gap <= landed.late_s
                self._jump = Jump(
                    landed.target_ms, at, self.IN_FLIGHT_S if doubtful else 0.0, long_decode=doubtful
                )
                return self._land_at(at)
        if self._counted is not None and not self.frame_ms:
            # A stream's frame rate is learnt from its first pictures: until then nothing
            # can be counted, the clock stands in (and the count goes on from it).
            self._counted, self._next_is_counted = float(clock_ms), False
            return clock_ms
        if self._counted is not None:
            return self._count()
        position = self.on_grid(clock_ms)
        self._shown_ms = position
        return position

    def _from_earlier(self, jump: Jump, at: float) -> bool:
        """A first picture of the earlier jump that still waited (at most ``MAX_STALE``)."""
        if jump.stale is None or not jump.stale[0] <= at <= jump.stale[1] or self._stale >= self.MAX_STALE:
            return False
        self._stale += 1
        return True

    def _count(self) -> int:
        assert self._counted is not None
        self._before_count = self._counted
        grid = self._grid()
        if grid is not None:
            # The first picture is the media's nearest one (not at 0 in a Matroska file whose
            # sound starts first); the grid may have come with that picture.
            self._counted = (
                grid.nearest(self._counted) if self._next_is_counted else grid.after(self._counted)
            )
        self._next_is_counted = False
        self._shown_ms = self._counted
        return round(self._counted)

    def _exact(self, position_ms: int) -> float:
        """``position_ms`` as the exact frame start it was rounded from (within 1 ms): counting
        on from the rounded value drifts (62966 + 33.333 is 62999, a sentence at 63000)."""
        grid = self._grid()
        if grid is not None:
            start = grid.nearest(position_ms)
            if abs(start - position_ms) <= 1:
                return start
        return float(position_ms)

    def on_grid(self, position_ms: int) -> int:
        """``position_ms`` rounded to the nearest frame start."""
        grid = self._grid()
        if grid is None:
            return position_ms
        return round(grid.nearest(position_ms))
