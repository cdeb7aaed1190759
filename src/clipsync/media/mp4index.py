"""Keyframe decode times of an MP4/MOV file, read from its sample tables (no decoding).

libVLC 3 lands late after a precise seek at rates above 1 by (rate - 1) x (target - the
decode time of the keyframe it decodes from); see docs/libvlc.md. Knowing the keyframes lets
the backend aim so that it lands on the target. Only the ``moov`` box is read (a few hundred
KB even for long files); fragmented MP4 and other containers give ``None``.
"""

from __future__ import annotations

import bisect
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: A moov box larger than this is not read (it would be hours of tiny samples).
MAX_MOOV_BYTES = 64 * 1024 * 1024


def _boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the boxes in ``data[start:end]``."""
    end = len(data) if end is None else end
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            if pos + 16 > end:
                return
            size = struct.unpack_from(">Q", data, pos + 8)[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def _child(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for k, s, e in _boxes(data, start, end):
        if k == kind:
            return s, e
    return None


def _path(data: bytes, start: int, end: int, *kinds: bytes) -> tuple[int, int] | None:
    span: tuple[int, int] | None = (start, end)
    for kind in kinds:
        if span is None:
            return None
        span = _child(data, span[0], span[1], kind)
    return span


def _read_moov(stream: BinaryIO) -> bytes | None:
    stream.seek(0, 2)
    size = stream.tell()
    pos = 0
    while pos + 8 <= size:
        stream.seek(pos)
        header = stream.read(16)
        if len(header) < 8:
            return None
        box_size, kind = struct.unpack_from(">I4s", header)
        head = 8
        if box_size == 1 and len(header) >= 16:
            box_size, head = struct.unpack_from(">Q", header, 8)[0], 16
        elif box_size == 0:
            box_size = size - pos
        if box_size < head:
            return None
        if kind == b"moov":
            if box_size > MAX_MOOV_BYTES:
                return None
            stream.seek(pos)
            return stream.read(box_size)[head:]
        pos += box_size
    return None


@dataclass(frozen=True)
class KeyframeIndex:
    """The first video track's keyframes."""

    #: Decode times in ms on the presentation time line (edit list applied), ascending.
    decode_ms: list[float]
    #: How much later the first picture is shown than decoded (B-frame reordering), in ms.
    reorder_ms: float


def read_keyframes(path: Path) -> KeyframeIndex | None:
    """The keyframe index of an MP4/MOV file; ``None`` when it has no sample tables (not
    MP4/MOV, fragmented, damaged) or cannot be read."""
    try:
        with open(path, "rb") as stream:
            moov = _read_moov(stream)
    except OSError:
        return None
    if moov is None:
        return None
    try:
        return _video_keyframes(moov)
    except struct.error:
        return None


def _video_keyframes(moov: bytes) -> KeyframeIndex | None:
    for kind, start, end in _boxes(moov):
        if kind != b"trak":
            continue
        hdlr = _path(moov, start, end, b"mdia", b"hdlr")
        if hdlr is None or moov[hdlr[0] + 8 : hdlr[0] + 12] != b"vide":
            continue
        mdhd = _path(moov, start, end, b"mdia", b"mdhd")
        stbl = _path(moov, start, end, b"mdia", b"minf", b"stbl")
        if mdhd is None or stbl is None:
            return None
        version = moov[mdhd[0]]
        timescale = struct.unpack_from(">I", moov, mdhd[0] + (20 if version == 1 else 12))[0]
        stts = _child(moov, *stbl, b"stts")
        stss = _child(moov, *stbl, b"stss")
        if not timescale or stts is None:
            return None
        decode_times: list[int] = []
        (runs,) = struct.unpack_from(">I", moov, stts[0] + 4)
        t = 0
        for i in range(runs):
            count, delta = struct.unpack_from(">II", moov, stts[0] + 8 + 8 * i)
            for _ in range(count):
                decode_times.append(t)
                t += delta
        if stss is None:  # every sample is a keyframe
            numbers = range(1, len(decode_times) + 1)
        else:
            (n,) = struct.unpack_from(">I", moov, stss[0] + 4)
            numbers = struct.unpack_from(f">{n}I", moov, stss[0] + 8)  # type: ignore[assignment]
        offset = _edit_offset(moov, start, end)
        ctts = _child(moov, *stbl, b"ctts")
        first_composition = struct.unpack_from(">i", moov, ctts[0] + 12)[0] if ctts else 0
        return KeyframeIndex(
            [
                (decode_times[k - 1] - offset) * 1000 / timescale
                for k in numbers
                if 0 < k <= len(decode_times)
            ],
            max(0, first_composition) * 1000 / timescale,
        )
    return None


def _edit_offset(moov: bytes, start: int, end: int) -> int:
    """The media time where presentation starts (first edit), in the track's timescale."""
    elst = _path(moov, start, end, b"edts", b"elst")
    if elst is None:
        return 0
    version = moov[elst[0]]
    (count,) = struct.unpack_from(">I", moov, elst[0] + 4)
    pos = elst[0] + 8
    for _ in range(count):
        if version == 1:
            _duration, media_time = struct.unpack_from(">Qq", moov, pos)
            pos += 20
        else:
            _duration, media_time = struct.unpack_from(">Ii", moov, pos)
            pos += 12
        if media_time >= 0:  # -1 is an empty edit (a delay), not the start
            return int(media_time)
    return 0


def keyframe_before(keyframes: list[float], position_ms: float) -> float | None:
    """The last keyframe decode time at or before ``position_ms`` (``None`` before the first).

    >>> keyframe_before([-66.7, 1933.3, 3933.3], 2500)
    1933.3
    >>> keyframe_before([0.0, 2000.0], -5) is None
    True
    """
    i = bisect.bisect_right(keyframes, position_ms + 0.5)
    return keyframes[i - 1] if i else None
