"""Decoding any media file's sound to 16 kHz mono 16-bit samples, streamed through ffmpeg.

The samples come in pieces from a running ``ffmpeg`` process, so an hour of media never sits
in memory at once. A file ffmpeg cannot read, or one without sound, raises
:class:`~clipsync.core.errors.InputError`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import TracebackType

import numpy as np

from clipsync.core.errors import InputError

RATE = 16000
"""Samples per second of the decoded sound (what the acoustic model expects)."""


def _ffmpeg(tool: str = "ffmpeg") -> str:
    path = shutil.which(tool)
    if path is None:
        raise InputError(None, f"{tool} is not installed: it is needed to read the media's sound")
    return path


def probe_duration_ms(media: Path) -> int:
    """The length of ``media``'s first audio stream (or the container), in milliseconds."""
    if not media.is_file():
        raise InputError(media, "file not found")
    result = subprocess.run(
        [
            _ffmpeg("ffprobe"),
            "-v",
            "error",
            "-show_entries",
            "format=duration:stream=codec_type,duration",
            "-of",
            "json",
            str(media),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["unknown format"])[-1]
        raise InputError(media, f"cannot be read as media ({reason})")
    info = json.loads(result.stdout or "{}")
    streams = [s for s in info.get("streams", []) if s.get("codec_type") == "audio"]
    if not streams:
        raise InputError(media, "has no sound track to align the text with")
    for value in (streams[0].get("duration"), info.get("format", {}).get("duration")):
        try:
            return round(float(value) * 1000)
        except (TypeError, ValueError):
            continue
    return 0  # unknown: live or odd container; the stream's end tells


class PcmStream:
    """The sound of ``media`` as consecutive blocks of int16 samples, read on demand.

    With ``start_ms`` / ``end_ms`` only that stretch is decoded (ffmpeg seeks to it, to the
    sample). Use as a context manager so the ffmpeg process is always ended (cancel included).
    """

    def __init__(self, media: Path, start_ms: int = 0, end_ms: int | None = None) -> None:
        self.media = media
        self.position = 0  # samples handed out so far
        span = ["-ss", f"{start_ms / 1000:.3f}"] if start_ms > 0 else []
        until = ["-t", f"{(end_ms - start_ms) / 1000:.3f}"] if end_ms is not None else []
        self._proc = subprocess.Popen(
            [
                _ffmpeg(),
                "-nostdin",
                "-v",
                "error",
                *span,
                "-i",
                str(media),
                *until,
                "-map",
                "0:a:0",
                "-vn",
                "-ac",
                "1",
                "-ar",
                str(RATE),
                "-f",
                "s16le",
                "-",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def read(self, n: int) -> np.ndarray:
        """Up to ``n`` next samples; fewer only at the end of the sound."""
        assert self._proc.stdout is not None
        data = self._proc.stdout.read(n * 2)
        samples = np.frombuffer(data[: len(data) // 2 * 2], dtype="<i2").astype(np.int16)
        self.position += len(samples)
        if len(samples) < n:
            self._finish()
        return samples

    def _finish(self) -> None:
        code = self._proc.wait()
        err = self._proc.stderr.read().decode("utf-8", "replace") if self._proc.stderr else ""
        if code != 0 and self.position == 0:
            reason = (err.strip().splitlines() or ["unknown format"])[-1]
            raise InputError(self.media, f"cannot be decoded ({reason})")

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for pipe in (self._proc.stdout, self._proc.stderr):
            if pipe is not None:
                pipe.close()

    def __enter__(self) -> PcmStream:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def frame_energy_db(samples: np.ndarray, hop: int = RATE // 100, *, emphasis: float = 0.0) -> np.ndarray:
    """Loudness of each 10 ms frame of ``samples`` in dB (full scale = 0 dB).

    With ``emphasis`` (0.97, as speech recognisers use) the sound is pre-emphasised first,
    ``x[n] - emphasis * x[n-1]``: low sounds count less and the soft hiss of /f/, /s/, /h/
    more, so a word's onset still shows under a rumbling noise bed.
    """
    n = len(samples) // hop
    if n == 0:
        return np.zeros(0, np.float32)
    x = samples[: n * hop].astype(np.float32) / 32768.0
    if emphasis:
        x = np.append(x[:1], x[1:] - emphasis * x[:-1])
    x = x.reshape(n, hop)
    return (10 * np.log10(np.mean(x * x, axis=1) + 1e-10)).astype(np.float32)


def high_band_db(samples: np.ndarray, low_hz: float = 4000.0, hop: int = RATE // 100) -> np.ndarray:
    """Loudness of each 10 ms frame of ``samples`` above ``low_hz``, in dB (relative scale).

    The hiss of fricatives (/f/, /s/, /θ/, /h/) lies mostly above 4 kHz, where voiced speech
    and most background noise (room tone, traffic, hum: their power falls with frequency) are
    weak, so a soft fricative at a word's edge stands out here when it is lost in the total.
    """
    n = len(samples) // hop
    if n == 0:
        return np.zeros(0, np.float32)
    x = samples[: n * hop].astype(np.float32) / 32768.0
    size = 1 << (hop - 1).bit_length()
    spectrum = np.abs(np.fft.rfft(x.reshape(n, hop) * np.hanning(hop).astype(np.float32), size, axis=1)) ** 2
    band = np.fft.rfftfreq(size, 1 / RATE) >= low_hz
    return (10 * np.log10(spectrum[:, band].mean(axis=1) + 1e-10)).astype(np.float32)
