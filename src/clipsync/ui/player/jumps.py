"""The jumps of :class:`~clipsync.ui.player.controller.PlaybackController`: seeks, quote jumps, frame
steps and speed changes, and their landing.

A jump holds the clock (and so the text) at its target until the first picture of the new
position is on screen; which picture that is, is :class:`~clipsync.core.timing.picture_times.PictureTimes`'
business (see docs/libvlc.md, "Jumps"). A mixin of the controller, like ``NetworkPlayback``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from clipsync.ui.player.states import State

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer, SignalInstance

    from clipsync.core.text.article import Article
    from clipsync.core.text.lookup import TranscriptIndex
    from clipsync.core.timing.clock import PlaybackClock
    from clipsync.core.timing.picture_times import PictureTimes
    from clipsync.media.network import NetworkWatch
    from clipsync.media.player import Frame, MediaPlayer
    from clipsync.ui.player.frame_handover import FrameHandover


class JumpPlayback:
    """Jumps for the controller (see the module's docstring)."""

    #: A jump whose first picture has not come by then (after the wait below 1x, see
    #: ``MediaPlayer.landing_wait_ms``) lands anyway (a still picture).
    LANDING_TIMEOUT_MS = 500
    #: A stream's new position may take seconds to arrive: its last picture waits with it.
    NETWORK_LANDING_TIMEOUT_MS = 15_000
    #: The quotes whose pictures around their start are decoded ahead: ``]`` and ``[`` from the
    #: position first, then the nearest others (a click on a quote's marker or card goes to
    #: any), this many in all (see ``picture_refs.ReferenceReader.KEEP``).
    PREFETCH_QUOTES = 12

    if TYPE_CHECKING:  # what the controller provides
        player: MediaPlayer | None
        clock: PlaybackClock
        state: State
        rate: float
        length_ms: int
        article: Article | None
        index: TranscriptIndex | None
        net: NetworkWatch | None
        positionTick: SignalInstance
        _stop_at: int | None
        _text_position: int
        _pictures: PictureTimes
        _run_after_landing: bool
        _seek_asked: float | None
        _aim_unchecked: bool
        _landing_timer: QTimer
        _hold_timer: QTimer
        _held: tuple[Frame, int | None] | None
        _frames: FrameHandover
        _wall: Callable[[], float]

        def position(self) -> int: ...
        def play(self) -> None: ...
        def _update_now(self, position: int) -> None: ...
        def _frames_flowing(self) -> bool: ...
        def _pace_poll(self) -> None: ...
        def _on_frame(self) -> None: ...
        def _show_picture(self, frame: Frame, position: int | None) -> None: ...
        def _ask_references(self, target: int | None) -> None: ...

    def seek(
        self, position_ms: int, *, play: bool = False, exact: bool = False, wait_ms: float = 0.0
    ) -> None:
        """Jump to ``position_ms``. The timeline moves at once; the text changes together
        with the first picture of the new position (see :class:`PictureTimes`): the first
        picture that starts at or after it, unless ``exact`` (Edit timings mode, where the
        position sets a boundary and a nudge is heard from the boundary itself). ``wait_ms``:
        the player waits at least that long before it shows the target."""
        if self.player is None or self.state in (State.ERROR, State.IDLE):
            return
        self._on_frame()  # a picture still waiting for the GUI came before the jump
        length = self.length_ms or (self.article.duration_ms if self.article else 0) or 0
        target = max(0, min(int(position_ms), length if length else int(position_ms)))
        self._stop_at = None
        was_ended = self.state is State.ENDED
        running = self.clock.running or (self._pictures.pending and self._run_after_landing)
        request, shown = target, target
        grid = self.player.grid
        if grid is not None and not exact and (not length or grid.at_or_after(target) < length):
            # On the media's own pictures: the first one whose start is in the target (see
            # FrameGrid.seek_to), so that the landing picture and its text agree.
            request, shown = grid.seek_to(target)
        asked = self._wall()  # what libVLC reports while it seeks comes after this
        self.player.seek(request)  # an ended player starts again to seek (see VlcPlayer.seek)
        first = self.player.first_picture_ms(request)  # below 1x: a little before (seek_aim)
        self._begin_jump(
            shown if first == request else first,
            running=running,
            asked=asked,
            decode_ms=self.player.decode_ms(request),
            wait_ms=max(wait_ms, self.player.landing_wait_ms(request)) if running or play else 0.0,
            by_content=not exact,  # an exact position is inside a picture: its start would move it
        )
        if play or was_ended:
            self.play()

    def _begin_jump(
        self,
        target: int,
        *,
        running: bool,
        in_flight: bool = True,
        asked: float | None = None,
        decode_ms: float = 0.0,
        wait_ms: float = 0.0,
        by_content: bool = True,
    ) -> None:
        """Hold the clock at ``target`` until the new position's first picture (or, with no
        video, at once); ``wait_ms``: how long the player waits before it shows it (below
        1x: the landing's time-out adds it); ``by_content``: the pictures after a seek are
        matched with the media's own (``_by_content``)."""
        self.clock.seek(target)
        self.positionTick.emit(target)
        if self.player is None or not self.player.has_video():
            self._text_position = target
            self._update_now(target)
            return
        self.clock.pause()
        self._run_after_landing = running
        self._aim_unchecked = False
        at = self._wall() if asked is None else asked
        self._seek_asked = at if in_flight else None
        # The media's own pictures around the target tell which ones come (``PicturePath``).
        self._ask_references(target if in_flight and by_content else None)
        frame_ms = self._pictures.frame_ms or 0
        self._pictures.jump(
            target,
            at,
            in_flight=in_flight,
            decode_ms=decode_ms,
            playing=running,
            wait_s=wait_ms / 1000,
            next_frame=0 < target - self._text_position <= 1.5 * frame_ms,
        )
        self._landing_timer.start(
            round(wait_ms)
            + (self.LANDING_TIMEOUT_MS if self.net is None else self.NETWORK_LANDING_TIMEOUT_MS)
        )

    def _land(self, target: int, at: float) -> None:
        """The picture of ``target`` is on screen (since ``at``): text and clock follow it."""
        self._landing_timer.stop()
        if self._seek_asked is not None and self.player is not None:
            # How long the backend took tells how fast it is now (it aims the next seek by it);
            # a landing that moves to a later picture tells it again.
            self.player.seek_landed(at - self._seek_asked)
        self.clock.follow(target, at)
        if self._run_after_landing and self.state is State.PLAYING:
            self.clock.start()
            # libVLC's next time report says where this landing really was (``_aim_checked``).
            self._aim_unchecked = self._seek_asked is not None

    def _aim_checked(self, offset_ms: float) -> None:
        """The first sign since a seek landed while playing (no pause since) of how far from
        the target its first picture really was (libVLC's time report, or a picture matched
        to the media's own): the backend aims the next seeks by it (``MediaPlayer.seek_missed``)."""
        if self._aim_unchecked and self.player is not None:
            self.player.seek_missed(offset_ms)
        self._aim_unchecked = False

    def _prefetch_quotes(self, position: int) -> None:
        """The quote jumps likely next (``]`` and ``[`` from here, then the nearest others):
        the media's own pictures around their targets are decoded ahead, so that the content
        decides their landing."""
        index, player = self.index, self.player
        if index is None or player is None or player.grid is None:
            return
        likely = [index.next_quote(position), index.previous_quote(position)]
        starts = [quote.start_ms for quote in likely if quote is not None and quote.start_ms is not None]
        others = [q.start_ms for q in index.quotes_in_time_order() if q.start_ms is not None]
        starts += sorted((s for s in others if s not in starts), key=lambda s: abs(s - position))
        if starts:
            grid = player.grid
            player.prefetch_references([grid.seek_to(start)[1] for start in starts[: self.PREFETCH_QUOTES]])

    def _land_without_picture(self) -> None:
        # A still picture, or a picture libVLC never showed: the target stands.
        self._seek_asked = None  # and the time-out says nothing of the backend's pace
        target = self._pictures.land()
        if target is not None:
            self._land(target, self._wall())
            self._text_position = target
            self._update_now(target)

    def _hold(self, frame: Frame, position: int | None, hold_s: float) -> None:
        """A landing picture waits ``hold_s`` from its arrival before it is shown: if a picture
        comes meanwhile, this one was the old picture libVLC shows right before the first new
        one (PictureTimes moves the landing), and it is never shown with the new text."""
        self._held = (frame, position)
        wait_s = hold_s - (self._wall() - frame.at)
        self._hold_timer.start(max(0, round(wait_s * 1000)))

    def _show_held(self) -> None:
        held, self._held = self._held, None
        if held is not None:
            self._show_picture(*held)

    def _drop_held(self) -> None:
        self._hold_timer.stop()
        held, self._held = self._held, None
        if held is not None:
            self._frames.drop(held[0])

    def seek_relative(self, delta_ms: int) -> None:
        self.seek(self.position() + delta_ms)

    def play_range(self, start_ms: int, end_ms: int) -> None:
        """Play from ``start_ms`` and pause at ``end_ms`` ("play quote only")."""
        self.seek(start_ms, play=True)
        self._stop_at = end_ms
        self._pace_poll()

    def set_rate(self, rate: float) -> None:
        rate = max(0.25, min(4.0, rate))
        self._on_frame()  # the picture on screen is the newest one libVLC showed
        changed, self.rate = rate != self.rate, rate
        if self.player is not None:
            self.player.set_rate(rate)
        self.clock.set_rate(rate)
        self._pictures.rate = rate
        self._aim_unchecked = False  # libVLC re-times its clock (below)
        if not changed or self.state is not State.PLAYING:
            return
        # libVLC 3 re-times its clock on a rate change "as if the new rate had applied since the
        # last seek", so the picture jumps by an amount nobody reports. A seek to the next frame
        # makes picture and text go on from where they were (the frame on screen itself could
        # come again as the same picture); a jump still on its way is asked for again. One that
        # libVLC still waited for below 1x came as late again after a change to 1x (1.8-2.1 s:
        # keyframes 10 s apart, H.264 MP4, HEVC MKV, VP9 WebM; bench_matrix.py --raw), and its
        # landing waits that long (a time-out put the text on the old picture, then a frame off).
        if self._frames_flowing():
            self.seek(round(self._text_position + (self._pictures.frame_ms or 0)))
        elif self._pictures.pending and self._run_after_landing:
            self.seek(self.clock.position(), wait_ms=1000 * self._pictures.pending_wait_s)

    def step_frame(self, forward: bool = True) -> None:
        """One frame on (or back) while paused."""
        if self.player is None or self.state is not State.PAUSED:
            return
        frame_ms = self.player.frame_ms or 40
        position = self._text_position
        if forward:
            if self.length_ms and position + frame_ms >= self.length_ms:
                return  # the last picture is on screen already
            self.player.next_frame()
            self._begin_jump(round(position + frame_ms), running=False, in_flight=False)
        else:
            self.seek(round(position - frame_ms))
