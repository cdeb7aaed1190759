"""WAV files for the audio measurements: mono 16-bit out, and whatever libVLC's afile writes in."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np

SAMPLE_RATE = 48_000


def write_wav(path: Path, samples: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    """``samples`` (mono float) as a 16-bit PCM WAV file."""
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm.tobytes())


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """A WAV file as mono float64 and its sample rate.

    Tolerates a header whose lengths were never filled in (libVLC's ``afile`` output writes
    them only when it stops): the data runs to the end of the file. 16-bit PCM and 32-bit
    float, any number of channels (averaged).
    """
    raw = Path(path).read_bytes()
    if raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        raise ValueError(f"{path} is not a WAV file")
    pos, fmt, data = 12, None, None
    while pos + 8 <= len(raw):
        cid, size = raw[pos : pos + 4], struct.unpack("<I", raw[pos + 4 : pos + 8])[0]
        body = pos + 8
        if cid == b"fmt ":
            fmt = struct.unpack("<HHIIHH", raw[body : body + 16])
        elif cid == b"data":
            end = body + size if size and body + size <= len(raw) else len(raw)
            data = raw[body:end]
            break
        pos = body + size + (size & 1)
    if fmt is None or data is None:
        raise ValueError(f"{path}: no fmt or data chunk")
    tag, channels, rate, _, _, bits = fmt
    if tag == 3 and bits == 32:
        values = np.frombuffer(data[: len(data) // 4 * 4], dtype="<f4").astype(np.float64)
    elif tag == 1 and bits == 16:
        values = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.float64) / 32768.0
    else:
        raise ValueError(f"{path}: format {tag}/{bits} bits is not read here (16-bit PCM or float32)")
    frames = len(values) // channels
    return values[: frames * channels].reshape(frames, channels).mean(axis=1), rate
