"""Each picture libVLC shows, on its way to the screen: its media time, then shown with the
text of that time, held back, or dropped (``_on_frame``).

The time comes from the timing rules (:class:`~clipsync.core.timing.picture_times.PictureTimes`,
from when pictures arrive) and, after a jump, from the picture's content: it is compared with
the media's own pictures around the target (:mod:`clipsync.core.timing.picture_match`, decoded
on the side by :mod:`clipsync.media.picture_refs`); the rules' time stands wherever the content
says nothing. A mixin of the controller, like ``JumpPlayback``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from clipsync.core.timing.picture_match import References, signature

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer, SignalInstance
    from PySide6.QtGui import QImage

    from clipsync.core.timing.clock import PlaybackClock
    from clipsync.core.timing.picture_times import PictureTimes
    from clipsync.media.network import NetworkWatch
    from clipsync.media.player import Frame, MediaPlayer
    from clipsync.ui.player.frame_handover import FrameHandover


class PicturePath:
    """Each picture's time and way to the screen (see the module's docstring)."""

    #: Pictures are matched with the references this long after they came (~1 ms each).
    MATCH_FOR_S = 2.0
    #: After the landing, at most this many pictures of a jump are left out for being like
    #: none of the references where the count put them (one was seen per jump, after a speed
    #: change: a picture 3 s before the target, AV1 through libVLC's own module; more would
    #: say that the count is wrong).
    MAX_STRAYS = 2

    if TYPE_CHECKING:  # what the controller provides
        player: MediaPlayer | None
        clock: PlaybackClock
        net: NetworkWatch | None
        frame: QImage | None
        frame_number: int
        frameReady: SignalInstance
        _frames: FrameHandover
        _last_frame_wall: float
        _text_position: int
        _pictures: PictureTimes
        _seek_asked: float | None
        _aim_unchecked: bool
        _run_after_landing: bool
        _landing_timer: QTimer
        _hold_timer: QTimer
        _held: tuple[Frame, int | None] | None
        _wall: Callable[[], float]
        LANDING_TIMEOUT_MS: int

        def _land(self, target: int, at: float) -> None: ...
        def _aim_checked(self, offset_ms: float) -> None: ...
        def _drop_held(self) -> None: ...
        def _hold(self, frame: Frame, position: int | None, hold_s: float) -> None: ...
        def _update_now(self, position: int) -> None: ...
        def _network_frame(self, frame: Frame) -> None: ...

    def _reset_content(self) -> None:
        """Another media: nothing is known of its pictures yet."""
        self._references: References | None = None  # the media's pictures around the last jump
        self._references_for: int | None = None  # ... asked for that jump's target
        self._references_since = 0.0  # when they came
        self._content_works = False  # a picture of this media matched one of its own (PyAV's)
        self._strays = 0  # pictures after the last landing left out (``MAX_STRAYS``)
        self._content_asked = False  # references asked for in steady playback (``_prove_content``)

    def _ask_references(self, target: int | None) -> None:
        """A jump to ``target``: its references are asked for (``None``: a jump that is not
        matched, an exact seek or a frame step)."""
        self._references, self._references_for, self._strays = None, target, 0
        if target is not None and self.player is not None:
            self.player.request_references(target)

    def _prove_content(self, position: int | None) -> None:
        """Once per media, before any jump asked for them, the references around a picture of
        steady playback are asked for: its next pictures are matched with them, so that the
        first jump can tell old pictures by their content (until a match shows that this
        media's pictures can be matched at all, none is taken for old for it)."""
        if (
            self._content_asked
            or position is None
            or self._references_for is not None
            or self._pictures.pending
            or self.player is None
            or self.player.index is None
        ):
            return
        self._content_asked = True
        self._ask_references(position)

    def _got_references(self, references: References) -> None:
        if references.target_ms != self._references_for:
            return  # an older jump's
        if self._references is None:
            self._references_since = self._wall()
        self._references = references
        if self._held is not None:
            self._judge_held(*self._held)

    def _not_the_jumps(self, frame: Frame) -> None:
        """``frame``, taken for the landing jump's by the rules (or counted on from a landing
        held back), is none of its pictures: it is old (``_jump_waits_on``)."""
        held = self._held is not None and self._held[0] is frame
        self._pictures.not_new(frame.at, reopen=held)

    def _jump_waits_on(self) -> None:
        """The last picture was old: a pending jump waits on for its own (a landing held back is
        dropped; after one taken back, the clock waits at the target again)."""
        target = self._pictures.pending_target
        if target is None:
            return
        self._drop_held()
        if self.clock.running:
            self.clock.pause()
            self.clock.seek(target)
            self._aim_unchecked = False
        if not self._landing_timer.isActive():
            self._landing_timer.start(self.LANDING_TIMEOUT_MS)

    def _judge_held(self, frame: Frame, position: int | None) -> None:
        """The references came while a picture of the jump was held back: its content decides
        now. Its own picture is shown at once; one like none of them is old."""
        shown = self._by_content(frame, position, opening=True)
        if self._pictures.old:
            self._drop_held()
            self._jump_waits_on()
        elif shown != position or self._pictures.landed:
            self._hold_timer.stop()
            self._held = None
            self._show_picture(frame, shown)

    def _by_content(self, frame: Frame, position: int | None, opening: bool) -> int | None:
        """The time of a picture after a jump by its content, once the media's own pictures
        around the target are there; ``position``: the time the timing rules gave it;
        ``opening``: the jump had not landed before it (or it was held back since).

        While the jump lands, a picture that matches one of them is the landing, on that
        picture, shown at once; one that is clearly none of them is old (once a match showed
        that this media's pictures can be matched at all). After the landing, a picture that
        matches another time than counted sets the count (``MATCH_FOR_S``: an old picture
        within the references, after a jump back, may come before the target's); one that is
        none of them where the count put it is left out (``MAX_STRAYS``). Anything else keeps
        the rules' time."""
        references = self._references
        if references is None or not references.pictures or (position is None and not opening):
            return position
        if not opening and self._wall() - self._references_since > self.MATCH_FOR_S:
            self._references = None
            return position
        picture = signature(frame.data, frame.width, frame.height)
        found = references.identify(picture)
        if found is not None:
            self._content_works = True
            shown = self._pictures.on_grid(round(found))
            frame_ms = self._pictures.frame_ms or 0
            if opening and self._run_after_landing and shown < references.target_ms - 1.5 * frame_ms:
                # Playing, libVLC showed pictures from before the target (from the time it was
                # asked for, after a short decode): the jump waits for its own. The aim learns
                # how early they were, once.
                if self._seek_asked is not None:
                    self._aim_unchecked = True
                    self._aim_checked(shown - references.target_ms)
                    self._seek_asked = None
                self._not_the_jumps(frame)
                return None
            if opening or shown != position:
                self._pictures.identified(shown)
                if opening:
                    self._land(shown, frame.at)
                else:
                    self.clock.follow(shown, frame.at)
                expected = references.target_ms if opening else position
                if expected is not None and shown != expected:
                    self._aim_checked(shown - expected)
            return shown
        if not self._content_works or not references.unlike(picture):
            return position
        if opening:
            self._not_the_jumps(frame)
            return None
        if (
            position is not None
            and self._strays < self.MAX_STRAYS
            and references.covers(position)
            and self._pictures.stray()
        ):
            self._strays += 1
            return None
        return position

    @Slot()
    def _on_frame(self) -> None:
        frame = self._frames.take()
        if frame is None:
            return
        self.frame_number = frame.number
        self._last_frame_wall = frame.at
        if self.net is not None:
            self._network_frame(frame)  # stalls: when the pictures stop, when they come again
        # The text painted with this picture is chosen for this picture's time.
        self._pictures.frame_ms = self.player.frame_ms if self.player is not None else None
        self._pictures.grid = self.player.grid if self.player is not None else None
        unseen = None  # the time of a picture libVLC showed while the GUI was busy
        for at, repeat in self._frames.skipped():
            skipped = self._time_picture(at, repeat)
            if skipped is not None and not self._pictures.old:
                unseen = skipped
        opening = self._pictures.pending
        position = self._time_picture(frame.at, frame.repeat)
        position = self._by_content(frame, position, opening or self._pictures.landed)
        if self._pictures.old:
            self._frames.drop(frame)
            self._jump_waits_on()
            return  # from before a jump: the last picture stays, with its text
        if position is None and frame.repeat:
            position = unseen  # the same picture as one the GUI never got to: new on screen
            if position is None and self._held is not None:
                self._frames.drop(frame)  # the held landing again: it waits on, unseen
                return
        self._drop_held()  # a newer picture came: it replaces a landing still held back
        self._prove_content(position)
        if self._pictures.hold_s:
            self._hold(frame, position, self._pictures.hold_s)
        else:
            self._show_picture(frame, position)

    def _show_picture(self, frame: Frame, position: int | None) -> None:
        """``frame`` goes on screen, with the text of ``position`` (``None``: the text stays)."""
        image = self.frame = self._frames.show(frame)
        if position is not None:
            self._text_position = position
            self._update_now(position)
        self.frameReady.emit(image)
        self._frames.replaced_done()

    def _time_picture(self, at: float, repeat: bool) -> int | None:
        """The time of a picture libVLC showed at ``at`` (see PictureTimes); the clock follows
        a landing or a count."""
        position = self._pictures.picture(at, repeat, self.clock.position())
        if position is not None:
            if self._pictures.landed:
                self._land(position, at)
            elif self._pictures.counting:
                self.clock.follow(position, at)
        return position
