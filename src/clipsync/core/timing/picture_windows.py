"""The time windows the picture-time rules (:mod:`clipsync.core.timing.picture_times`) decide
by: how soon, how far from the old pictures' cadence, how close together pictures come after a
jump in libVLC 3. They are measurements, not principles: each comment says on what. Below
them, the windows worked out for the pictures at hand (the frame interval where they are, at
the rate; the old pictures' cadence and its slots), and those of a landing (``_land_at``: how
long it is held back, what moves it or takes it back).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clipsync.core.timing.frame_grid import FrameGrid
from clipsync.core.timing.jump_state import Jump, Landing


class PictureWindows:
    """The windows of :class:`~clipsync.core.timing.picture_times.PictureTimes`.

    They were measured on the 640x360 30 fps H.264 benchmark clip (MP4, 2 s keyframes) unless
    their comment names other media; those given as a share of the frame interval follow the
    media's frame rate.
    """

    #: Pictures that arrive sooner than this after a seek was asked for were on their way
    #: (measured on 2 cores: old ones up to ~45 ms after, the first new one from ~20 ms,
    #: mostly 40-90 ms; the figures in docs/benchmarks.md chose these values).
    IN_FLIGHT_S = 0.04
    #: Later than that, an old picture still comes in step with the old ones (within this
    #: share of a frame interval), for this long.
    CADENCE_SHARE = 0.3
    OLD_CADENCE_S = 0.1
    #: Below 1x the player waits before it shows a jump's target (``wait_s``). A jump asked for
    #: while an earlier one still waits gets that earlier one's first pictures all the same,
    #: at the earlier one's time: between these shares of its wait, at most ``MAX_STALE`` of
    #: them are old. At 0.75x, a seek 0.85 s after a speed change (keyframes 10 s apart, H.264
    #: MP4 at 25 fps, HEVC MKV, VP9 WebM, AV1 MKV; bench_matrix.py --raw): one or two pictures
    #: of the earlier target came at 0.98-1.09 x its wait (~1.8 s) and were taken for the
    #: landing, the text 20 s off; once (HEVC) the new target's own picture came one frame
    #: after, at 1.09 x, so it is taken for old too and the text is a frame behind instead.
    STALE_SHARES = (0.9, 1.25)
    MAX_STALE = 2
    #: A stream's seek empties libVLC's buffer, which it reports within ~0.3 ms of ``set_time``
    #: on a quiet machine (benchmarks/repro/stream_seek.py); beside a busy core that report
    #: reached the GUI thread after an old picture, which was painted with the new text (HLS,
    #: test_network_faults.py, in 2 of about 10 suite runs over two sessions). Until it comes, a
    #: stream's pictures up to this long after the seek are old.
    REFILL_REPORT_S = 0.3
    #: libVLC hands over at most this many old pictures after a seek.
    MAX_OLD = 2
    #: ... or from 2x (``OLD_RUN_RATE``) as many as come in this long (at 2x three old pictures
    #: came, in 48 ms). Not below: from 1.25x to 1.75x, on every clip of the encoding matrix
    #: (24-60 fps, H.264, HEVC, VP9, AV1), the old pictures on the cadence were in its first two
    #: slots only (AV1 through libVLC's own dav1d module: three; it is decoded through
    #: libavcodec now, see ``vlc_backend.DECODER_BY_CODEC``), where new pictures came in every
    #: later slot (each picture's frame number, four runs of bench_matrix.py --raw); counted in
    #: time, the 60 fps clip at 1.5x had four slots and took the target and the two pictures
    #: after it for old.
    OLD_FOR_S = 0.045
    #: From 2x, one more in the very next slot of an unbroken run on the cadence, for this
    #: long: at 2x, on the first seek after a speed change, 4-5 old pictures came one a slot
    #: (83 ms; beside a busy core, and once on a quiet machine; 30 fps H.264 measurement clip).
    #: Not at 1.5x: there, on a quiet machine, the first new pictures came on in that cadence
    #: (a third picture in the run was new 3 times in one run of the benchmark clip, and taken
    #: for old it put the text 2 frames behind; docs/benchmarks.md, "Any video", fifth session).
    OLD_RUN_S = 0.085
    OLD_RUN_RATE = 2.0
    #: How far from the old pictures' cadence an old picture may come: early, and late
    #: (they come within 0.2 ms of it, 72 times of 74 measured, but a picture that comes
    #: while the GUI thread asks for the seek waits for the GIL: up to ~2.5 ms late). A first
    #: new picture is anywhere in the frame interval: within this of the grid ~1 time in 10.
    GRID_EARLY_S = 0.001
    GRID_LATE_S = 0.0025
    #: The cadence is where the earliest of the last this many pictures in step puts it: the
    #: display callback comes late when libVLC's thread is held up, never early. In a jump at
    #: 1x (60 fps H.264, the same quote jump in two runs of bench_matrix.py --raw) the last
    #: picture before it came 1.3 ms late, and the first old one, on the cadence of the three
    #: before within 0.1 ms, looked 1.4 ms early against it: taken for the landing, it and
    #: the late old picture after it were painted with the quote's text (17 s off).
    CADENCE_PICTURES = 4
    #: A picture this soon after the seek was asked for is old, on the cadence or not (it
    #: waited for the GIL while the GUI thread asked; a new one needs decoding: 11 ms at
    #: the soonest measured).
    JUST_ASKED_S = 0.008
    #: libVLC sometimes shows a picture twice within a millisecond or so.
    REDISPLAY_S = 0.005
    #: While a seek's landing is held back (playing), or after a long decode, libVLC showing it
    #: again this long after it or later says it was the late old picture (3.5-18 ms after it,
    #: then the first new picture: 60 fps H.264 in MP4, 50 fps in MKV; 10-80 ms after a long
    #: decode). A real first picture shown twice came within 2.5 ms (0.3-1.7 ms, 60 fps H.264
    #: and 23.976 fps HEVC; once 2.2 ms, 25 fps H.264 at 1.5x), and a late old one held only for
    #: a burst (24-30 fps: H.264, HEVC, VP9) 1.8-14.7 ms after it in 19 of 24 (five runs of
    #: bench_matrix.py --raw with each picture's frame number, 2026-12-05/06).
    REPEAT_AFTER_S = 0.0025
    #: ... and, for a landing right behind the old pictures (from 1x), shown again up to this
    #: long after it, before any other picture, when it was shown already. Over seven matrix
    #: runs (--raw), 32 landings shown again after their hold were the late old picture (20-77
    #: ms after it; 30 of them AV1 through libavcodec, where it comes 17-31 ms after the old
    #: ones, then again, then the first new one), the 3 real ones 120-185 ms after a long
    #: decode's (and one at 7 ms, AV1 through libVLC's own dav1d module, no longer used). Taken
    #: back, the jump waits on for the first new picture, which lands on its own time instead
    #: of a frame on.
    LATE_REPEAT_S = 0.08
    #: Two pictures closer than ``BURST_S`` or ``BURST_SHARE`` of a frame interval, whichever
    #: is longer, are a burst, but never closer to a whole interval than ``BURST_MAX_SHARE``
    #: (a regular next picture is no burst). The late old picture comes 5-18 ms before the
    #: first new one (measured at 1x and 1.5x); at 1x the next new picture comes 31-34 ms
    #: after the first. Only the picture right after a landing can move it.
    BURST_S = 0.02
    BURST_SHARE = 0.5
    BURST_MAX_SHARE = 0.85
    #: A seek asked for this soon after the media's first picture, at a high frame rate where
    #: the pictures are (``_fast_frames``), may bring up to ``START_OLD`` old pictures in step
    #: (on the old cadence, or in step with each other): libVLC has decoded ahead to start. At
    #: 60 fps (H.264 in MP4, and the phone clip, 60 fps at its start) seeks 1-6 pictures after
    #: the first brought 4 old ones, and the landing was taken 2-4 pictures early
    #: (bench_matrix.py --raw, 2026-12-05); at 24-30 fps, 2.
    START_S = 0.2
    START_OLD = 4
    #: Media whose frames are shorter than this (above 40 fps) hold a landing until the next
    #: picture: the late old picture comes long before the first new one (see ``_land_at``).
    FAST_FRAME_MS = 25.0
    LATE_HOLD_S = 0.1
    LATE_GAP_SHARE = 1.6
    #: A seek whose target is this much media after its keyframe (the media's own index) holds
    #: its landing until the next picture too: the decoder works its way there for 50-200 ms,
    #: and the late old picture comes 25-110 ms before the first new one, after the buffer
    #: refilled or before, and is then shown again (a repeat, the same bytes) 10-80 ms after
    #: it, before the first new one, or the first new one comes after a long gap (HEVC in MKV
    #: and VP9 in WebM at 23.976 fps, keyframes 10 s apart, at 1x; benchmarks/bench_matrix.py
    #: --raw, docs/benchmarks.md). With keyframes 2 s apart (30 fps H.264) it comes in a burst
    #: with the first new one instead, which the burst rule handles without the wait.
    LONG_DECODE_MS = 2500.0
    #: ... and only a next picture this close to a frame interval after it (5 ms at least)
    #: confirms it.
    STEP_SHARE = 0.2
    #: A seek's first picture that comes this many frame intervals or more after the last
    #: old one is new, and a picture soon after it (in a burst, or off the step after a long
    #: decode) does not move the landing: after a long decode libVLC shows the first new
    #: picture late and the next ones catch up, 0.2-0.8 intervals later above 1x (AV1 at 1x:
    #: 1.3-1.4). In one run of the 11 video clips of bench_matrix.py --raw (2026-12-05) such
    #: moves took the landing a frame on, off the target's own picture, 32 times; the one right
    #: move among them was AV1's (a picture 57 frames early, at 1.25x). The 63 other right moves
    #: (the late old picture, or a frame before the target, then the target's) came 0.1-1.4
    #: intervals after the old ones. A long gap or a repeat still takes the landing back.
    AFTER_OLD_SHARE = 1.5

    # What the windows below are worked out from (kept by ``PictureTimes``).
    frame_ms: float | None
    grid: FrameGrid | None
    rate: float
    _counted: float | None
    _shown_ms: float | None
    _in_step: tuple[float, ...]
    _old_slot: int
    _jump: Jump | None
    _old_at: float | None
    _landed: Landing | None
    landed: bool
    hold_s: float

    if TYPE_CHECKING:

        def land(self) -> int | None: ...  # (PictureTimes)

    def _cadence_at(self, interval: float) -> float:
        """When the last picture's slot of the cadence was: the earliest of the last pictures
        in step, each moved on to that slot (a picture comes late, never early)."""
        count = len(self._in_step)
        return min(t + (count - 1 - k) * interval for k, t in enumerate(self._in_step))

    def _grid_slot(self, grid: tuple[float, float], at: float) -> int:
        """Which of the next ``_max_old()`` slots of the old pictures' cadence ``at`` is in
        (0: none)."""
        last, interval = grid
        slot = round((at - last) / interval)
        late = at - last - slot * interval
        run = int(self.OLD_RUN_S / interval) if self._continues_run(slot) else 0
        return (
            slot
            if 1 <= slot <= max(self._max_old(), run) and -self.GRID_EARLY_S <= late <= self.GRID_LATE_S
            else 0
        )

    def _continues_run(self, slot: int) -> bool:
        """From 2x, whether ``slot`` is the very next one after the last old picture's
        (``OLD_RUN_S``)."""
        return self.rate >= self.OLD_RUN_RATE and slot == self._old_slot + 1

    def _most_old(self) -> int:
        """How many old pictures the pending jump may bring (more at start-up)."""
        if self._jump is not None and self._jump.start_up:
            return max(self.MAX_OLD, self.START_OLD)
        return self.MAX_OLD

    def _max_old(self) -> int:
        """... on the old cadence (from 2x, as many as come in ``OLD_FOR_S``)."""
        if self.rate < self.OLD_RUN_RATE:
            return self._most_old()
        return max(self._most_old(), round(self.OLD_FOR_S / self._interval()))

    def _grid(self) -> FrameGrid | None:
        if self.grid is not None:
            return self.grid
        return FrameGrid(self.frame_ms) if self.frame_ms else None

    def _frame_ms_here(self) -> float:
        """The media's frame length (ms) around the last picture."""
        position = self._counted if self._counted is not None else self._shown_ms
        if self.grid is not None and self.grid.times is not None and position is not None:
            # A variable frame rate: the interval where the pictures are, not the stream's
            # nominal one (a phone's 30 fps stretch in a "60 fps" file: old pictures after a
            # seek keep the 33 ms cadence, and one was taken for the landing).
            return self.grid.interval_at(position)
        return self.frame_ms or 40.0

    def _interval(self) -> float:
        """Seconds between two pictures at the current rate (around the last picture)."""
        return self._frame_ms_here() / 1000 / max(self.rate, 0.1)

    def _fast_frames(self) -> bool:
        """The media's frames where the pictures are now are shorter than ``FAST_FRAME_MS``
        (a phone's 60 fps stretch too, in a file whose average is 37 fps)."""
        return bool(self.frame_ms) and self._frame_ms_here() < self.FAST_FRAME_MS

    def _burst_s(self) -> float:
        """Two pictures closer than this came in one burst."""
        interval = self._interval()
        return max(self.BURST_SHARE * interval, min(self.BURST_S, self.BURST_MAX_SHARE * interval))

    def _long_after_old(self, at: float, old_at: float | None, interval: float) -> bool:
        """A first picture this long after the last old one is new, whatever comes right after
        it (``AFTER_OLD_SHARE``)."""
        return old_at is not None and at - old_at >= self.AFTER_OLD_SHARE * interval

    def _land_at(self, at: float, *, fixed: bool = False) -> int:
        """The pending jump lands on the picture that came ``at`` (``fixed``: no later picture
        moves it, and it is shown at once)."""
        seek = self._jump is not None and bool(self._jump.in_flight_s) and not fixed
        long_decode = seek and self._jump is not None and self._jump.long_decode
        playing = self._jump is not None and self._jump.playing
        old_at = self._old_at
        target = self.land()
        assert target is not None
        interval = self._interval()
        behind_old = False
        if fixed or (seek and self._long_after_old(at, old_at, interval)):
            movable = 0.0
        elif seek and old_at is not None and at - old_at < interval:
            # Right behind the old pictures: maybe the late old one, with the first new one
            # right behind it. It waits that long before it is shown (``hold_s``).
            movable = self._burst_s()
            behind_old = True
        else:
            # A first new picture, a step, or a landing a burst moved already: it moves only
            # in a tight burst (a one-frame-early picture and the target's own; at 1.5x the
            # new pictures after the first may come ~16 ms apart).
            movable = self.BURST_SHARE * interval
        late = float("inf")
        self.hold_s = movable if seek else 0.0
        if seek and ((self.frame_ms and self.frame_ms < self.FAST_FRAME_MS) or long_decode):
            # At a high frame rate the late old picture (the one libVLC's decoder finishes as the
            # seek frees its picture pool, ~24 frames after the old position) comes 25-50 ms
            # after the old ones and 30-160 ms *before* the first new one (measured at 50 and
            # 60 fps, benchmarks/bench_matrix.py): no burst. A landing waits for the next
            # picture (``LATE_HOLD_S`` at most): in step, it was new and the next is counted on;
            # a long gap (``LATE_GAP_SHARE`` intervals), it was that old picture. After a long
            # decode as well. A repeat of it while it waits says so too (``REPEAT_AFTER_S``).
            self.hold_s = max(self.hold_s, self.LATE_HOLD_S)
            late = min(self.LATE_GAP_SHARE * interval, self.hold_s)
        # While it waits, the landing shown again (``REPEAT_AFTER_S`` or later) was the late
        # old picture, at any frame rate; right behind the old pictures, from 1x, also soon
        # after it was shown (``LATE_REPEAT_S``).
        repeat_old_s = 0.0
        if seek and playing:
            soon = self.LATE_REPEAT_S if behind_old and self.rate >= 1 else 0.0
            repeat_old_s = max(self.hold_s, soon)
        self._landed = Landing(target, at, movable, late, self.hold_s, long_decode, repeat_old_s)
        self.landed = True
        return target
