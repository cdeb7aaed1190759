"""Which of the media's own pictures a picture on screen is, by its content.

libVLC 3 hands pictures over without timestamps, so after a jump the time of the first ones is
inferred from when they come (:mod:`clipsync.core.timing.picture_times`), and that is a frame
off now and then (the landing a frame late or early, a late old picture, AV1's forced first
picture) until libVLC reports its time, 250-500 ms later. The media's pictures around the
target, decoded on the side (:mod:`clipsync.media.picture_refs`), settle it: a picture's
*signature* (its brightness in a coarse grid of blocks, normalised) is compared with theirs.
The same picture decoded twice has the same signature (correlation 1.0000 between libVLC's
picture and PyAV's decode, 640x360 H.264, VP9 and AV1), neighbours at 60 fps 0.993-0.996
(the moving test pattern of benchmarks/bench_matrix.py, without the frame-number rows); a
picture that matches no reference clearly (a still scene, where the neighbours are alike) is
left as the timing rules placed it.

It is pure (numpy only): the pictures are BGRx bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: The grid of blocks a signature averages the picture's brightness over (16:9).
GRID = (64, 36)
#: The picture is sampled every this many pixels at most before the blocks are averaged
#: (a 1080p picture: 320x180 samples), so a signature takes about a millisecond.
SAMPLES = 320
#: A match is the best correlation with a reference, at least ``MATCH``, and at least
#: ``MARGIN`` above the next best; anything less decides nothing.
MATCH = 0.998
MARGIN = 0.001
#: A picture whose best correlation is below this is none of them (an old picture: the late
#: one from ~0.7 s after the old position, AV1's forced first picture, one of an earlier jump).
UNLIKE = 0.98


def signature(data: bytes | memoryview, width: int, height: int) -> np.ndarray | None:
    """The normalised brightness of a BGRx picture in ``GRID`` blocks (``None``: too small,
    or flat: one colour says nothing)."""
    if len(data) < width * height * 4:
        return None
    return pixels_signature(
        np.frombuffer(data, dtype=np.uint8, count=width * height * 4).reshape(height, width, 4)
    )


def pixels_signature(pixels: np.ndarray) -> np.ndarray | None:
    """:func:`signature` of a height x width x 4 (BGRx) array."""
    columns, rows = GRID
    height, width = pixels.shape[:2]
    if width < columns or height < rows:
        return None
    step = max(1, width // SAMPLES)
    sampled = pixels[::step, ::step, :3].astype(np.float32)
    luma = sampled[..., 0] * 0.114 + sampled[..., 1] * 0.587 + sampled[..., 2] * 0.299
    h, w = luma.shape
    h, w = h - h % rows, w - w % columns
    if h == 0 or w == 0:
        return None
    blocks = luma[:h, :w].reshape(rows, h // rows, columns, w // columns).mean(axis=(1, 3)).ravel()
    blocks -= blocks.mean()
    norm = float(np.linalg.norm(blocks))
    return blocks / norm if norm > 1e-3 else None


@dataclass(frozen=True)
class References:
    """The media's own pictures around a jump's target: (start in ms, signature), in order."""

    target_ms: int
    pictures: tuple[tuple[float, np.ndarray], ...]

    def unlike(self, picture: np.ndarray | None) -> bool:
        """``picture`` is clearly none of them (``UNLIKE``)."""
        if picture is None or not self.pictures:
            return False
        return max(float(picture @ sig) for _, sig in self.pictures) < UNLIKE

    def covers(self, position_ms: float) -> bool:
        """``position_ms`` is within their span."""
        return bool(self.pictures) and self.pictures[0][0] <= position_ms <= self.pictures[-1][0]

    def identify(self, picture: np.ndarray | None) -> float | None:
        """The start (ms) of the reference ``picture`` clearly is, or ``None``."""
        if picture is None or not self.pictures:
            return None
        scores = [float(picture @ sig) for _, sig in self.pictures]
        best = max(range(len(scores)), key=scores.__getitem__)
        runner_up = max((s for k, s in enumerate(scores) if k != best), default=-1.0)
        if scores[best] < MATCH or scores[best] - runner_up < MARGIN:
            return None
        return self.pictures[best][0]
