"""The waveform of a media file's sound, to draw under the timeline at any zoom.

The sound is read as the aligner reads it (:class:`~clipsync.core.alignment.audio.PcmStream`:
16 kHz mono through ffmpeg), by two ffmpeg processes at once on two halves of the file, and
kept as the lowest and highest sample of every 5 ms (:data:`BUCKET_MS`): the *envelope*. Coarser
levels (10 ms, 20 ms, ... each the min/max of two buckets of the level below) make a pyramid,
so drawing a view asks a level with about one bucket per pixel: the cost depends on the width
in pixels, not on the zoom or the length of the media.

Computing it takes seconds for an hour of media, so it is done once per file, off the GUI
thread, and cached: ``$CLIPSYNC_CACHE_DIR`` (else the XDG cache folder's ``clipsync``)
``/waveforms/``, keyed by the file's path, size and modification time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from clipsync.core.alignment.audio import RATE, PcmStream, probe_duration_ms

BUCKET_MS = 5
"""The envelope's base resolution: one min/max pair per 5 ms of sound."""
_SAMPLES = RATE * BUCKET_MS // 1000
_CHUNK_BUCKETS = 8192  # buckets read at once (~41 s of sound, 1.3 MB)
_FORMAT = 1  # bump when the cached file's layout changes
_CACHE_LIMIT_BYTES = 256 * 2**20

Cancel = Callable[[], bool]
Progress = Callable[[float], None]


class WaveformCancelled(Exception):
    """The computation was stopped by its cancel flag."""


class Envelope:
    """Min/max of the sound per bucket, at :data:`BUCKET_MS` and coarser (a pyramid)."""

    def __init__(self, mins: np.ndarray, maxs: np.ndarray) -> None:
        self.levels: list[tuple[np.ndarray, np.ndarray]] = [(mins.astype(np.int16), maxs.astype(np.int16))]
        while len(self.levels[-1][0]) > 1:
            lo, hi = self.levels[-1]
            if len(lo) % 2:
                lo, hi = np.append(lo, lo[-1]), np.append(hi, hi[-1])
            self.levels.append((np.minimum(lo[0::2], lo[1::2]), np.maximum(hi[0::2], hi[1::2])))

    @property
    def duration_ms(self) -> int:
        return len(self.levels[0][0]) * BUCKET_MS

    def columns(self, start_ms: float, end_ms: float, width: int) -> tuple[np.ndarray, np.ndarray]:
        """The lowest and highest level (-1..1) of the sound under each of ``width`` pixel
        columns showing ``[start_ms, end_ms)``; NaN where there is no sound (before 0, after
        the end). O(width), whatever the zoom.

        >>> env = Envelope(np.array([-100, -3000, 0, -16384]), np.array([200, 3000, 0, 16384]))
        >>> [round(float(v), 2) for v in env.columns(0, 20, 2)[1]]
        [0.09, 0.5]
        """
        if width <= 0 or end_ms <= start_ms:
            return np.full(max(width, 0), np.nan), np.full(max(width, 0), np.nan)
        per_px = (end_ms - start_ms) / width
        level = 0
        while level + 1 < len(self.levels) and BUCKET_MS * 2 ** (level + 1) <= per_px:
            level += 1
        mins, maxs = self.levels[level]
        size = BUCKET_MS * 2**level
        n = len(mins)
        edges = np.floor((start_ms + np.arange(width + 1) * per_px) / size).astype(np.int64)
        first = edges[:-1]
        valid = (first >= 0) & (first < n)
        lows = np.full(width, np.nan)
        highs = np.full(width, np.nan)
        if valid.any():
            a = int(first[valid][0])
            b = int(min(n, max(edges[-1], first[valid][-1] + 1)))
            index = np.clip(first[valid] - a, 0, b - a - 1)
            lows[valid] = np.minimum.reduceat(mins[a:b], index) / 32768.0
            highs[valid] = np.maximum.reduceat(maxs[a:b], index) / 32768.0
        return lows, highs


def _envelope_of(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = -(-len(samples) // _SAMPLES)
    if n * _SAMPLES != len(samples):
        samples = np.concatenate([samples, np.zeros(n * _SAMPLES - len(samples), np.int16)])
    blocks = samples.reshape(n, _SAMPLES)
    return blocks.min(axis=1), blocks.max(axis=1)


def _fit(values: np.ndarray, length: int) -> np.ndarray:
    """``values`` cut or padded with silence to ``length``."""
    if len(values) >= length:
        return values[:length]
    return np.concatenate([values, np.zeros(length - len(values), np.int16)])


class _Part:
    """One stretch of the file, read by its own ffmpeg process."""

    def __init__(self, media: Path, start_ms: int, end_ms: int | None) -> None:
        self.media, self.start_ms, self.end_ms = media, start_ms, end_ms
        self.chunks: list[tuple[np.ndarray, np.ndarray]] = []
        self.samples = 0

    def read(self, cancel: Cancel, report: Callable[[], None]) -> None:
        with PcmStream(self.media, self.start_ms, self.end_ms) as stream:
            while True:
                if cancel():
                    raise WaveformCancelled()
                samples = stream.read(_CHUNK_BUCKETS * _SAMPLES)
                if len(samples):
                    self.chunks.append(_envelope_of(samples))
                    self.samples += len(samples)
                    report()
                if len(samples) < _CHUNK_BUCKETS * _SAMPLES:
                    return

    def envelope(self) -> tuple[np.ndarray, np.ndarray]:
        lo = np.concatenate([c[0] for c in self.chunks]) if self.chunks else np.zeros(0, np.int16)
        hi = np.concatenate([c[1] for c in self.chunks]) if self.chunks else np.zeros(0, np.int16)
        if self.end_ms is not None:  # exactly its share, so the next part lines up
            want = (self.end_ms - self.start_ms) // BUCKET_MS
            lo, hi = _fit(lo, want), _fit(hi, want)
        return lo, hi


def compute_envelope(
    media: Path, *, progress: Progress | None = None, cancel: Cancel | None = None, workers: int = 2
) -> Envelope:
    """The envelope of ``media``'s sound (raises ``InputError`` when it has none or cannot be
    read, :class:`WaveformCancelled` when ``cancel()`` turns true)."""
    media = Path(media)
    is_cancelled: Cancel = cancel or (lambda: False)
    duration = probe_duration_ms(media)
    if duration < 60_000 or (os.cpu_count() or 1) < 2:
        workers = 1
    # Parts start on bucket boundaries, so their buckets join without a seam.
    step = -(-duration // workers // BUCKET_MS) * BUCKET_MS
    parts = [_Part(media, i * step, (i + 1) * step if i < workers - 1 else None) for i in range(workers)]
    errors: list[BaseException] = []
    stop = threading.Event()
    total = max(1, duration * RATE // 1000)

    def report() -> None:
        if progress is not None:
            progress(min(1.0, sum(p.samples for p in parts) / total))

    def run(part: _Part, report: Callable[[], None]) -> None:
        try:
            part.read(lambda: stop.is_set() or is_cancelled(), report)
        except BaseException as exc:  # handed to the caller's thread
            errors.append(exc)
            stop.set()

    threads = [
        threading.Thread(target=run, args=(part, lambda: None), name="clipsync-waveform")
        for part in parts[1:]
    ]
    for thread in threads:
        thread.start()
    run(parts[0], report)  # the caller's thread reads the first part and reports progress
    for thread in threads:
        while thread.is_alive():
            thread.join(0.1)
            report()
    if errors:
        raise errors[0]
    pieces = [part.envelope() for part in parts]
    report()
    return Envelope(np.concatenate([lo for lo, _ in pieces]), np.concatenate([hi for _, hi in pieces]))


# The cache ------------------------------------------------------------------------------


def cache_dir() -> Path:
    """``$CLIPSYNC_CACHE_DIR/waveforms``, else the XDG cache folder's ``clipsync/waveforms``."""
    folder = os.environ.get("CLIPSYNC_CACHE_DIR")
    if folder:
        return Path(folder) / "waveforms"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "clipsync" / "waveforms"


def cache_path(media: Path) -> Path:
    """Where the envelope of ``media`` is cached: a name made of its path, size and time."""
    info = media.stat()
    key = f"{media.resolve()}|{info.st_size}|{info.st_mtime_ns}|{BUCKET_MS}|{_FORMAT}"
    return cache_dir() / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".npy")


def load_cached(media: Path) -> Envelope | None:
    """The cached envelope of ``media``, or ``None`` (none yet, the file changed, or unreadable)."""
    try:
        data = np.load(cache_path(media), allow_pickle=False)
    except (OSError, ValueError):
        return None
    if data.ndim != 2 or data.shape[0] != 2 or data.dtype != np.int16:
        return None
    return Envelope(data[0], data[1])


def store(media: Path, envelope: Envelope) -> None:
    """Cache ``envelope`` for ``media`` (atomically; the oldest entries go past 256 MB)."""
    path = cache_path(media)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".waveform.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, np.stack(envelope.levels[0]), allow_pickle=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    entries = sorted(path.parent.glob("*.npy"), key=lambda p: p.stat().st_mtime, reverse=True)
    total = 0
    for entry in entries:
        total += entry.stat().st_size
        if total > _CACHE_LIMIT_BYTES:
            entry.unlink(missing_ok=True)


def envelope_for(media: Path, *, progress: Progress | None = None, cancel: Cancel | None = None) -> Envelope:
    """The envelope of ``media``: from the cache, else computed and cached (a cache that cannot
    be written is skipped; the envelope is still returned)."""
    media = Path(media)
    cached = load_cached(media)
    if cached is not None:
        return cached
    envelope = compute_envelope(media, progress=progress, cancel=cancel)
    with contextlib.suppress(OSError):  # a read-only home: draw it anyway, compute it next time
        store(media, envelope)
    return envelope
