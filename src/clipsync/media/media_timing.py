"""What the open file's own index tells the libVLC player: where to aim a seek and when its
first picture comes (:mod:`clipsync.media.seek_aim`, learnt as seeks land), libVLC's time as
the media's, and the media's own pictures around a jump's target (PyAV,
:mod:`clipsync.media.picture_refs`).

A mixin of :class:`~clipsync.media.vlc_backend.VlcPlayer`, like ``StreamProbes``; the index is
read on a thread of its own (PyAV's import alone takes ~145 ms). It does not import vlc.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from clipsync.core.timing.frame_grid import FrameGrid
from clipsync.media import seek_aim
from clipsync.media.media_index import read_index
from clipsync.media.picture_refs import ReferenceReader
from clipsync.media.player import EventKind, EventSink, PlayerEvent

if TYPE_CHECKING:
    from clipsync.media.media_index import MediaIndex


class MediaTiming:
    """The open file's timing for the libVLC player (see the module's docstring)."""

    if TYPE_CHECKING:  # what the player provides
        on_event: EventSink
        frame_ms: float | None
        grid: FrameGrid | None
        index: MediaIndex | None
        _rate: float
        _generation: int

    def _init_timing(self) -> None:
        self.pace = seek_aim.Pace()  # libVLC's decode time per picture after a seek, learnt
        self._path: Path | None = None  # the open file (None: an address), for the references
        self._references = ReferenceReader(
            lambda refs: self.on_event(PlayerEvent(EventKind.REFERENCES, refs))
        )

    def _new_media(self, path: Path | None) -> None:
        """Another media (``path``: a file; ``None``: an address): nothing of the last one holds."""
        self._path = path
        self._references.cancel()
        self.index = None
        self.grid = None
        self.pace = seek_aim.Pace()  # another media decodes at another pace

    def _index_in_background(self, path: Path) -> None:
        threading.Thread(target=self._read_index, args=(path, self._generation), daemon=True).start()

    def _read_index(self, path: Path, generation: int) -> None:
        index = read_index(path)
        if index is None or generation != self._generation:
            return
        # A constant rate is the stream's own (PyAV: 60, 24000/1001), not libVLC's: for
        # Matroska/WebM libVLC gives the frame duration rounded to the microsecond (16.666 ms
        # for 60 fps, 41.708 for 23.976), and the grid drifted off the pictures (2 ms in 40 s
        # at 60 fps, 9 frames in an hour). A variable rate keeps libVLC's average (its
        # pictures' own times make the grid).
        if index.frame_ms and index.frame_times_ms is None:
            self.frame_ms = index.frame_ms
        frame_ms = self.frame_ms or index.frame_ms
        if frame_ms:
            self.grid = FrameGrid(frame_ms, index.first_ms, index.frame_times_ms)
        self.index = index

    def seek_landed(self, took_s: float) -> None:
        self.pace.landed(took_s * 1000)

    def seek_missed(self, error_ms: float) -> None:
        self.pace.missed(error_ms)

    def request_references(self, target_ms: int) -> None:
        if self._path is not None and self.index is not None:  # PyAV reads this file
            self._references.request(self._path, target_ms)

    def prefetch_references(self, targets_ms: list[int]) -> None:
        if self._path is not None and self.index is not None:
            self._references.prefetch(self._path, targets_ms)

    def aim(self, target_ms: int) -> int:
        """Where to ask libVLC to seek so that its first picture is the one at ``target_ms``
        (see :mod:`clipsync.media.seek_aim`)."""
        return seek_aim.aim(self.index, target_ms, self._rate, self.pace.ms_per_picture)

    def first_picture_ms(self, target_ms: int) -> int:
        return seek_aim.first_picture_ms(self.index, target_ms, self._rate, self.frame_ms)

    def landing_wait_ms(self, target_ms: int) -> float:
        return seek_aim.landing_wait_ms(self.index, target_ms, self._rate)

    def _media_time(self, vlc_ms: int) -> int:
        """libVLC's time as the media's (``MediaIndex.time_lead_ms``)."""
        index = self.index
        return vlc_ms - round(index.time_lead_ms) if index is not None else vlc_ms
