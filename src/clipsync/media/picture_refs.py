"""The media's own pictures around a jump's target, decoded with PyAV on a thread of its own,
as signatures to tell which picture libVLC shows (:mod:`clipsync.core.timing.picture_match`).

Asked for with each jump, it seeks to the keyframe before the target and decodes from there
to ``AFTER_MS`` past it, at a low priority (``NICE``: libVLC's own decode after a seek runs
against its clock above 1x). A newer request cancels an older one. On 2 quiet cores, the
whole window took 70-160 ms on the 640x360 clips of benchmarks/bench_matrix.py (H.264, HEVC,
AV1; targets 0.5-9.5 s after their keyframe) and 315-360 ms for 1080p H.264, most of it
converting whole pictures; the first ones come ~45 ms sooner (docs/benchmarks.md).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from clipsync.core.timing.picture_match import References, pixels_signature

#: Pictures from this long before the target (a landing a frame or two early)...
BEFORE_MS = 150.0
#: ... to this long after it: the pictures on screen by the time the decode is done.
AFTER_MS = 1500.0
#: Those up to this long after the target are handed over first, as soon as they are decoded.
FIRST_MS = 400.0
#: The decoding thread's niceness (Linux: per thread, and the decoder's own threads inherit
#: it), so that it takes only what libVLC leaves.
NICE = 15


def decode_references(
    path: Path,
    target_ms: int,
    cancelled: Callable[[], bool] = lambda: False,
    early: Callable[[References], None] = lambda refs: None,
) -> References | None:
    """The signatures of the video's pictures from ``BEFORE_MS`` before ``target_ms`` to
    ``AFTER_MS`` after it (``None``: PyAV cannot read it, or cancelled); those up to
    ``FIRST_MS`` after it go to ``early`` as soon as they are there."""
    try:
        import av  # PyAV; imported here: ~145 ms, off the GUI thread

        with av.open(str(path)) as container:
            if not container.streams.video:
                return None
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            base = stream.time_base
            if base is None:
                return None
            first, last = target_ms - BEFORE_MS, target_ms + AFTER_MS
            container.seek(max(0, int(first / 1000 / base)), stream=stream, backward=True, any_frame=False)
            pictures: list[tuple[float, np.ndarray]] = []
            handed = False
            for frame in container.decode(stream):
                if cancelled():
                    return None
                if frame.pts is None:
                    continue
                start = float(frame.pts * base) * 1000
                if start > target_ms + FIRST_MS and pictures and not handed:
                    early(References(target_ms, tuple(pictures)))
                    handed = True
                if start > last:
                    break
                if start < first:
                    continue
                sig = pixels_signature(frame.to_ndarray(format="bgra"))
                if sig is not None:
                    pictures.append((start, sig))
            return References(target_ms, tuple(pictures))
    except Exception:  # any PyAV failure only means: no references
        return None


class ReferenceReader:
    """Decodes the references of one request at a time on a daemon thread and hands them to
    ``deliver`` (from that thread: the first ones, then all); a newer request cancels the one
    under way. Those of likely jumps (the quotes near the position) can be decoded ahead
    (``prefetch``), and a request they cover is answered at once. Decoding ahead pauses while
    a request is decoded: a jump's own references go first (docs/libvlc.md, "Which picture is
    on screen")."""

    #: References decoded ahead that are kept (the oldest go first): more than the quotes the
    #: controller has decoded ahead (``JumpPlayback.PREFETCH_QUOTES``), ~0.5 MB each.
    KEEP = 16

    def __init__(self, deliver: Callable[[References], None]) -> None:
        self._deliver = deliver
        self._generation = 0
        self._lock = threading.Lock()
        self._media = 0  # moves on with each media (``cancel``)
        self._ahead: dict[int, References] = {}
        self._fetching: set[int] = set()
        self._requesting = 0  # requests being decoded (decoding ahead waits for them)

    def request(self, path: Path, target_ms: int) -> None:
        with self._lock:
            self._generation += 1
            generation = self._generation
            ready = self._covered(target_ms)
        if ready is not None:
            self._deliver(ready)
            return
        threading.Thread(target=self._run, args=(path, target_ms, generation), daemon=True).start()

    def prefetch(self, path: Path, targets: list[int]) -> None:
        """Decode the references of these jump targets ahead, one after the other."""
        with self._lock:
            missing = [t for t in targets if self._covered(t) is None and t not in self._fetching]
            self._fetching.update(missing)
            media = self._media
        if missing:
            threading.Thread(target=self._fetch, args=(path, missing, media), daemon=True).start()

    def cancel(self) -> None:
        """Another media: nothing under way or decoded ahead is for it."""
        with self._lock:
            self._generation += 1
            self._media += 1
            self._ahead.clear()
            self._fetching.clear()

    def _covered(self, target_ms: int) -> References | None:
        """References decoded ahead whose pictures cover ``target_ms``'s (lock held)."""
        for refs in self._ahead.values():
            pictures = refs.pictures
            if (
                pictures
                and pictures[0][0] <= target_ms - BEFORE_MS / 2
                and pictures[-1][0] >= target_ms + FIRST_MS
            ):
                return References(target_ms, pictures)
        return None

    def _fetch(self, path: Path, targets: list[int], media: int) -> None:
        _lower_priority()

        def cancelled() -> bool:
            while self._requesting and media == self._media:
                time.sleep(0.005)  # a request is decoded: it goes first
            return media != self._media

        for target in targets:
            refs = decode_references(path, target, cancelled)
            with self._lock:
                if media != self._media:
                    return
                self._fetching.discard(target)
                if refs is not None:
                    self._ahead[target] = refs
                    while len(self._ahead) > self.KEEP:
                        self._ahead.pop(next(iter(self._ahead)))

    def _run(self, path: Path, target_ms: int, generation: int) -> None:
        _lower_priority()

        def deliver(refs: References) -> None:
            if generation == self._generation:
                self._deliver(refs)

        with self._lock:
            self._requesting += 1
        try:
            refs = decode_references(path, target_ms, lambda: generation != self._generation, deliver)
        finally:
            with self._lock:
                self._requesting -= 1
        if refs is not None:
            deliver(refs)


def _lower_priority() -> None:
    """Below libVLC's own threads (its decode after a seek runs against its clock); where
    threads have no niceness of their own, or it is not allowed, as it is."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
