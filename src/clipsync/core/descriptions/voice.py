"""A voice of clipsync's own: each description rendered to a WAV file with espeak-ng.

Rendering ahead of time gives the exact length of what will be said, so the plan knows before a
description is due whether it fits its gap. The silence espeak-ng puts before and after the
speech is cut off: the file starts with the first sound and ends with the last. Rendering runs
a process: call it off the GUI thread. The voice's settings (:class:`VoiceSettings`) are plain
data, kept in the settings file by the Qt layer.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import wave
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from clipsync.core.descriptions.plan import PauseMode

ENGINE = "espeak-ng"
#: What the settings dialog offers; any espeak-ng voice name works.
VOICES = ("en-us+f3", "en-us", "en-gb-x-rp", "en-us+m3", "en-gb+f4")
#: Samples under this (of 32767) are silence when trimming.
SILENCE = 200
#: Kept around the speech when trimming, ms.
MARGIN_MS = 5


class VoiceUnavailable(RuntimeError):
    """espeak-ng is missing or failed; ``str()`` says what to do."""


@dataclass(frozen=True)
class VoiceSettings:
    """How descriptions are said, and when the video waits for them."""

    voice: str = VOICES[0]
    words_per_minute: int = 175  # espeak-ng's speed; the playback speed multiplies it
    pitch: int = 50  # 0..99
    volume: int = 100  # the voice's own volume, %
    duck: int = 30  # how much of the main sound is left while a description speaks, %
    pause: PauseMode = PauseMode.WHEN_NEEDED
    screen_reader: bool = False  # hand descriptions to the screen reader instead of speaking
    show_text: bool = False  # also show each description as text under the video
    enabled: bool = False  # described video on (View > Describe video): off until chosen, then kept

    def clamped(self) -> VoiceSettings:
        voice = (
            self.voice
            if self.voice.strip() and self.voice.replace("+", "").replace("-", "").isalnum()
            else VOICES[0]
        )
        return replace(
            self,
            voice=voice,
            words_per_minute=min(max(int(self.words_per_minute), 80), 450),
            pitch=min(max(int(self.pitch), 0), 99),
            volume=min(max(int(self.volume), 0), 100),
            duck=min(max(int(self.duck), 0), 100),
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["pause"] = self.pause.value
        return out

    @classmethod
    def from_dict(cls, data: Any) -> VoiceSettings:
        """Settings from a stored dict; values of the wrong kind keep their defaults."""
        if not isinstance(data, dict):
            return cls()
        default = cls()
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = data.get(f.name)
            want = getattr(default, f.name)
            if f.name == "pause":
                values[f.name] = PauseMode(value) if value in set(PauseMode) else want
            elif isinstance(value, type(want)) and not (
                isinstance(value, bool) and not isinstance(want, bool)
            ):
                values[f.name] = value
        return replace(default, **values).clamped()


@dataclass(frozen=True)
class Rendering:
    """A description said: the WAV file and its exact length."""

    path: Path
    length_ms: int


def render(text: str, settings: VoiceSettings, folder: Path) -> Rendering:
    """``text`` said by espeak-ng into a WAV file in ``folder`` (the same text and voice give
    the same file, made once)."""
    s = settings.clamped()
    key = hashlib.sha256(f"{s.voice}|{s.words_per_minute}|{s.pitch}|{text}".encode()).hexdigest()[:20]
    path = folder / f"description-{key}.wav"
    if path.is_file():
        with wave.open(str(path), "rb") as done:
            return Rendering(path, _length_ms(done.getnframes(), done.getframerate()))
    engine = shutil.which(ENGINE)
    if engine is None:
        raise VoiceUnavailable(
            "espeak-ng is not installed, so descriptions cannot be spoken. "
            "On Debian/Ubuntu: sudo apt-get install espeak-ng"
        )
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".raw.wav", dir=folder)
    os.close(fd)
    raw = Path(name)  # its own: the same text may be rendered by two threads at once
    command = [
        engine,
        "-v",
        s.voice,
        "-s",
        str(s.words_per_minute),
        "-p",
        str(s.pitch),
        "-w",
        str(raw),
        "--stdin",
    ]
    try:
        result = subprocess.run(command, input=text, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raw.unlink(missing_ok=True)
        raise VoiceUnavailable(f"espeak-ng failed: {exc}") from None
    if result.returncode != 0 or raw.stat().st_size == 0:
        raw.unlink(missing_ok=True)
        reason = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        raise VoiceUnavailable(f"espeak-ng could not say it with voice {s.voice!r}: {reason}")
    try:
        frames = _trimmed(raw, path)
    finally:
        raw.unlink(missing_ok=True)
    return Rendering(path, frames)


def _trimmed(raw: Path, out: Path) -> int:
    """Copy ``raw`` to ``out`` without the silence around the speech; the length in ms."""
    with wave.open(str(raw), "rb") as source:
        rate, width, channels = source.getframerate(), source.getsampwidth(), source.getnchannels()
        data = source.readframes(source.getnframes())
    samples = np.frombuffer(data, dtype="<i2").reshape(-1, channels)
    loud = np.flatnonzero(np.abs(samples).max(axis=1) > SILENCE)
    margin = rate * MARGIN_MS // 1000
    first, last = (loud[0], loud[-1] + 1) if len(loud) else (0, len(samples))
    kept = samples[max(0, first - margin) : min(len(samples), last + margin)]
    tmp = raw.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as sink:
        sink.setnchannels(channels)
        sink.setsampwidth(width)
        sink.setframerate(rate)
        sink.writeframes(kept.tobytes())
    tmp.replace(out)
    return _length_ms(len(kept), rate)


def _length_ms(frames: int, rate: int) -> int:
    return -(-frames * 1000 // rate)  # rounded up: never shorter than it sounds
