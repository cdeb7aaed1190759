"""Which picture is on screen after a jump, told by its content: the pictures libVLC shows
are compared with the media's own around the target (:mod:`clipsync.core.timing.picture_match`,
decoded on the side by :mod:`clipsync.media.picture_refs`). What the timing rules
(:class:`~clipsync.core.timing.picture_times.PictureTimes`) inferred from the arrival times
stands wherever the content says nothing. A mixin of the controller, like ``JumpPlayback``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from clipsync.core.timing.picture_match import References, signature

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer

    from clipsync.core.timing.clock import PlaybackClock
    from clipsync.core.timing.picture_times import PictureTimes
    from clipsync.media.player import Frame, MediaPlayer


class ContentTimes:
    """Pictures matched with the media's own after a jump (see the module's docstring)."""

    #: Pictures are matched with the references this long after they came (~1 ms each).
    MATCH_FOR_S = 2.0
    #: After the landing, at most this many pictures of a jump are left out for being like
    #: none of the references where the count put them (one was seen per jump: AV1's picture
    #: from before the target, after a speed change; more would say the count is wrong).
    MAX_STRAYS = 2

    if TYPE_CHECKING:  # what the controller provides
        player: MediaPlayer | None
        clock: PlaybackClock
        _pictures: PictureTimes
        _seek_asked: float | None
        _aim_unchecked: bool
        _landing_timer: QTimer
        _hold_timer: QTimer
        _held: tuple[Frame, int | None] | None
        _wall: Callable[[], float]
        LANDING_TIMEOUT_MS: int

        def _land(self, target: int, at: float) -> None: ...
        def _aim_checked(self, offset_ms: float) -> None: ...
        def _drop_held(self) -> None: ...
        def _show_picture(self, frame: Frame, position: int | None) -> None: ...

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

    def _judge_held(self, frame: Frame, position: int | None) -> None:
        """The references came while a picture of the jump was held back: its content decides
        now. Its own picture is shown at once; one like none of them is old."""
        shown = self._by_content(frame, position, opening=True)
        if self._pictures.old:
            self._drop_held()
            if self._pictures.pending and not self._landing_timer.isActive():
                self._landing_timer.start(self.LANDING_TIMEOUT_MS)
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
            held = self._held is not None and self._held[0] is frame
            if self._pictures.landed or held:
                # The rules had landed on it (or counted on from a landing not shown yet): the
                # clock waits at the target again.
                self.clock.pause()
                self.clock.seek(references.target_ms)
                self._aim_unchecked = False
            self._pictures.not_new(frame.at, reopen=held)
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
