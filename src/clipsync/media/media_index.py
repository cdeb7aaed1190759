"""What the timing rules need from a video file itself, read from its container's index with
PyAV (libavformat: demuxing only, never decoding): keyframe times, the B-frame reordering
delay, where the first picture is, and, for a variable frame rate, each picture's time.

libVLC 3 lands late after a precise seek above rate 1 by (rate - 1) x (target - the time it
counts the keyframe from); see docs/libvlc.md. For MP4/MOV that is the keyframe's *decode*
time, the sample tables' time (libavformat's index of an MP4 holds every sample's decode time
and whether it is a keyframe, read from the ``moov`` box alone). Matroska/WebM store
presentation times only; their ``Cues`` list the keyframes, which libavformat reads on the
first seek (``container.seek`` below), and libVLC counts from the keyframe's own picture
there (measured with plain python-vlc on the Matroska and WebM clips of
``benchmarks/bench_matrix.py``; docs/libvlc.md, "Jumps").

Reading costs 145-280 ms to import PyAV (once) and 0.4-10 ms a file (21 ms when a variable
frame rate's packets are read, 60 s clip); the backend reads it on a thread of its own after
the file opened, so it never delays the first picture.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Containers whose index lists keyframes by their *presentation* time.
PRESENTATION_INDEX = {"matroska", "webm", "matroska,webm"}
#: A variable frame rate: frame intervals differ by more than this share of the shortest.
VARIABLE_SHARE = 0.1
#: Each picture's time is read (demuxing every packet, the whole file) only up to this size.
MAX_DEMUX_BYTES = 2 * 1024**3
#: After a seek in Matroska/WebM libVLC counts as if the keyframe were this much after its own
#: picture: aimed from the keyframe's time, seeks at 1.5x landed a frame early on average (H.264
#: at 50 fps: 15 of 16; VP9 and HEVC at 23.976 fps: 5 of 12 and 6 of 12), where MP4s were on
#: their frame (bench_matrix.py --raw, each picture's frame number; docs/libvlc.md, "Jumps").
MATROSKA_KEY_LAG_MS = 30.0
#: At 1x libVLC shows first, in an MP4/MOV, the picture on screen just before the time asked
#: for: asked for a picture's start rounded down it showed the picture before in 6 of 6 seeks
#: (60 fps H.264) and 4 of 6 (a phone-like variable frame rate), asked 3 ms into the picture
#: that picture in 6 of 6 and 5 of 6 (and 30 fps H.264: 6 of 6 either way). In Matroska/WebM
#: it shows the first picture that starts at or after the time asked for (asked 3 ms in, the
#: next one in 2 of 6 at 50 fps), so nothing is added there. Plain python-vlc, quiet 2 cores,
#: the clips of ``benchmarks/bench_matrix.py`` (docs/libvlc.md, "Jumps").
MP4_SHOWN_FROM_MS = 3.0


@dataclass(frozen=True)
class MediaIndex:
    """The first video track's timing, in ms of media time."""

    #: When each keyframe's picture is shown, ascending.
    keyframes_ms: list[float]
    #: How much earlier than its picture libVLC counts a keyframe from after a seek: the
    #: B-frame reordering delay for MP4/MOV (the decode time); for Matroska/WebM, later
    #: (``-MATROSKA_KEY_LAG_MS``).
    decode_lead_ms: float
    #: How much later the first picture is shown than decoded (B-frame reordering).
    reorder_ms: float
    #: The first picture's time (not 0 in Matroska files whose sound starts earlier).
    first_ms: float = 0.0
    #: One frame's duration from the stream's frame rate (``None``: not known).
    frame_ms: float | None = None
    #: Each picture's time in display order, when the frame rate varies (``None``: constant).
    frame_times_ms: list[float] | None = None
    #: At 1x, how far after a picture's start to ask libVLC for it so that it shows that
    #: picture first (``MP4_SHOWN_FROM_MS`` for MP4/MOV, 0 for Matroska/WebM).
    shown_from_ms: float = 0.0
    #: How far libVLC's time runs ahead of the media's: in Matroska/WebM it counts from the
    #: first packet's time when that is before 0 (``stream_lead_ms``).
    time_lead_ms: float = 0.0

    @property
    def decode_ms(self) -> list[float]:
        """The keyframes' times as libVLC counts them after a seek (decode times for MP4)."""
        return [key - self.decode_lead_ms for key in self.keyframes_ms]

    def key_before(self, target_ms: float) -> float | None:
        """The time libVLC counts from when it decodes towards ``target_ms``: that of the last
        keyframe *shown* at or before it, less ``decode_lead_ms`` (``None`` before the first)."""
        key = keyframe_before(self.keyframes_ms, target_ms)
        return None if key is None else key - self.decode_lead_ms


def read_index(path: Path) -> MediaIndex | None:
    """The index of a local video file, or ``None`` (no video, no index, not readable)."""
    try:
        import av
    except ImportError:  # PyAV is a dependency: only a broken install gets here
        return None
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return None
            stream = container.streams.video[0]
            presentation = container.format.name in PRESENTATION_INDEX
            lead = stream_lead_ms(container) if presentation else 0.0
            if presentation:
                container.seek(0, stream=stream)  # libavformat reads Matroska's Cues on a seek
            base = float(stream.time_base or 0) * 1000
            entries = stream.index_entries
            times = [entry.timestamp * base for entry in entries]
            keys = [t for entry, t in zip(entries, times, strict=True) if entry.is_keyframe]
            if not keys or not base:
                return None
            first = float(stream.start_time or 0) * base
            rate = stream.guessed_rate or stream.average_rate
            frame_ms = 1000 / float(rate) if rate else None
            if presentation:
                return MediaIndex(
                    keys,
                    -MATROSKA_KEY_LAG_MS,
                    _reorder(stream, frame_ms),
                    first,
                    frame_ms,
                    time_lead_ms=lead,
                )
            reorder = max(0.0, first - times[0])  # MP4/MOV: the index holds decode times
            variable = _variable(times)
            frame_times = _demux_times(container, stream, base) if variable else None
            return MediaIndex(
                [k + reorder for k in keys],
                reorder,
                reorder,
                first,
                frame_ms,
                frame_times,
                MP4_SHOWN_FROM_MS,
            )
    except (OSError, ValueError, av.FFmpegError):
        return None


def stream_lead_ms(container: Any, packets: int = 64) -> float:
    """How long before 0 the first of a Matroska/WebM file's packets comes (0: none does), read
    from its first ``packets``. libVLC counts its time from there: in WebM, whose Opus sound
    starts at -7 ms (the encoder's delay), its time ran 6.9 ms ahead of the picture on screen,
    and was on it with the same pictures without sound or with Vorbis sound from 0
    (``python benchmarks/repro/time_lead.py``). At 60 fps that put the text a frame ahead
    whenever the clock's rounding passed the middle of a picture. (An MP4's AAC sound starts
    before 0 too, by its encoder's delay, but its edit list hides it and libVLC's time was on
    the picture there.)"""
    firsts: dict[int, float] = {}
    for packet in itertools.islice(container.demux(), packets):
        if packet.pts is not None and packet.stream.index not in firsts:
            firsts[packet.stream.index] = float(packet.pts * packet.stream.time_base) * 1000
            if len(firsts) == len(container.streams):
                break
    return max(0.0, -min(firsts.values(), default=0.0))


def _reorder(stream: object, frame_ms: float | None) -> float:
    delay = getattr(getattr(stream, "codec_context", None), "has_b_frames", 0) or 0
    return float(delay) * (frame_ms or 0.0)


def _variable(times: list[float]) -> bool:
    """Whether the decode times of an MP4's samples are spaced unevenly."""
    gaps = [b - a for a, b in itertools.pairwise(times[:2001]) if b > a]
    return bool(gaps) and max(gaps) - min(gaps) > VARIABLE_SHARE * min(gaps)


def _demux_times(container: object, stream: object, base: float) -> list[float] | None:
    """Every picture's presentation time, from the packets (read, not decoded)."""
    if getattr(container, "size", 0) > MAX_DEMUX_BYTES:
        return None
    times = [
        packet.pts * base
        for packet in container.demux(stream)  # type: ignore[attr-defined]
        if packet.pts is not None and packet.size
    ]
    return sorted(times) or None


def keyframe_before(keyframes: list[float], position_ms: float) -> float | None:
    """The last keyframe time at or before ``position_ms`` (``None`` before the first).

    >>> keyframe_before([0.0, 2000.0, 4000.0], 2500)
    2000.0
    >>> keyframe_before([0.0, 2000.0], -5) is None
    True
    """
    i = bisect.bisect_right(keyframes, position_ms + 0.5)
    return keyframes[i - 1] if i else None
