"""Narrated clips with exactly known sentence boundaries, for the tests and the benchmark.

Each sentence is spoken alone by an offline speech engine (espeak-ng or flite), trimmed to its
audible part, and the pieces are joined with pauses of known length; so the true start and end
of every sentence are known to the sample. A noise or music bed can be mixed under the speech.
:func:`join_recordings` does the same with recordings of human voices. Nothing here is used by
the player itself.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipsync.core.alignment.audio import RATE

Engine = str  # "espeak-ng" or "flite"


@dataclass(frozen=True, slots=True)
class SpokenSpan:
    """Where one sentence is heard in a made clip (``None`` for text that is not read)."""

    text: str
    start_ms: int
    end_ms: int


def speak(text: str, *, engine: Engine = "espeak-ng", voice: str = "", speed: int = 0) -> np.ndarray:
    """``text`` spoken by ``engine``, as 16 kHz mono float samples trimmed to the audible part."""
    with tempfile.TemporaryDirectory(prefix="clipsync-tts-") as tmp:
        wav = Path(tmp) / "s.wav"
        if engine == "espeak-ng":
            cmd = ["espeak-ng", "-v", voice or "en-us", "-w", str(wav)]
            if speed:
                cmd += ["-s", str(speed)]
            cmd.append(text)
        elif engine == "flite":
            cmd = ["flite", "-voice", voice or "kal16", "-t", text, "-o", str(wav)]
            if speed:  # flite's stretch factor: >1 is slower; ``speed`` is words per minute
                cmd[1:1] = ["--setf", f"duration_stretch={175 / speed:.3f}"]
        else:
            raise ValueError(f"unknown speech engine {engine!r}")
        subprocess.run(cmd, check=True, capture_output=True)
        raw = subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(wav), "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"],
            check=True,
            capture_output=True,
        ).stdout
    samples = np.frombuffer(raw, dtype=np.int16).astype(np.float32) / 32768.0
    return trim_silence(samples)


def trim_silence(samples: np.ndarray, threshold_db: float = -40.0) -> np.ndarray:
    """``samples`` without the quiet lead-in and tail (10 ms frames below ``threshold_db``).

    -40 dB under the loudest frame: flite's diphone voices carry a recorded room noise of
    about -45 dB before the speech, which no listener would call part of the sentence.
    """
    frame = RATE // 100
    n = len(samples) // frame
    if n == 0:
        return samples
    rms = np.sqrt(np.mean(samples[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = np.nonzero(20 * np.log10(rms / (rms.max() + 1e-12)) > threshold_db)[0]
    if len(loud) == 0:
        return samples[:0]
    return samples[loud[0] * frame : (loud[-1] + 1) * frame]


def make_clip(
    sentences: Sequence[str],
    out: Path,
    *,
    engine: Engine = "espeak-ng",
    voice: str = "",
    speed: int = 0,
    pause_ms: int | Sequence[int] = 600,
    lead_ms: int = 700,
    bed: str = "",
    bed_db: float = -20.0,
    seed: int = 1,
) -> list[SpokenSpan]:
    """Write a clip reading ``sentences`` to ``out`` and return where each one is heard.

    ``pause_ms`` is the silence between sentences (one value, or one per gap); ``bed`` is ""
    (none), "noise" (pink-ish noise) or "music" (a soft chord progression), mixed ``bed_db``
    below the speech level. The suffix of ``out`` picks the container (``.wav``, ``.m4a``,
    ``.mp4`` with a still black picture).
    """
    pauses = [pause_ms] * len(sentences) if isinstance(pause_ms, int) else list(pause_ms)
    pieces = [np.zeros(lead_ms * RATE // 1000, np.float32)]
    spans = []
    pos = len(pieces[0])
    for i, text in enumerate(sentences):
        speech = speak(text, engine=engine, voice=voice, speed=speed)
        spans.append(SpokenSpan(text, round(pos * 1000 / RATE), round((pos + len(speech)) * 1000 / RATE)))
        gap = np.zeros(pauses[i] * RATE // 1000 if i < len(pauses) else lead_ms * RATE // 1000, np.float32)
        pieces += [speech, gap]
        pos += len(speech) + len(gap)
    pieces.append(np.zeros(lead_ms * RATE // 1000, np.float32))
    mix = np.concatenate(pieces)
    if bed:
        mix = (mix + _bed(bed, len(mix), seed) * _rms(mix[mix != 0]) * 10 ** (bed_db / 20)).astype(np.float32)
    mix = mix / max(1.0, float(np.abs(mix).max()) / 0.95)
    write_media(mix, out)
    return spans


def trim_recording(samples: np.ndarray, above_floor_db: float = 15.0, run_frames: int = 5) -> np.ndarray:
    """A human recording without its lead-in and tail: from the first to the last run of
    ``run_frames`` 10 ms frames ``above_floor_db`` over the recording's noise floor (its 5th
    percentile frame). Runs, not single frames: a click at the edge is not speech. The energy
    is that of the pre-emphasised sound (``x[n] - 0.97 x[n-1]``, as speech recognisers use):
    a low thump of the microphone after the last word is not speech, a soft /f/ or /s/ is."""
    frame = RATE // 100
    n = len(samples) // frame
    if n == 0:
        return samples
    emphasised = np.append(samples[:1], samples[1:] - 0.97 * samples[:-1])
    energy = 10 * np.log10(np.mean(emphasised[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    loud = energy > np.percentile(energy, 5) + above_floor_db
    runs = np.convolve(loud.astype(int), np.ones(run_frames, int), mode="valid") == run_frames
    hits = np.nonzero(runs)[0]
    if len(hits) == 0:
        return samples[:0]
    return samples[hits[0] * frame : (hits[-1] + run_frames) * frame]


def read_recording(path: Path) -> np.ndarray:
    """Any recording ffmpeg reads, as 16 kHz mono float samples."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float32) / 32768.0


def join_recordings(
    recordings: Sequence[tuple[str, Path]],
    out: Path,
    *,
    pause_ms: Sequence[int],
    lead_ms: int = 700,
    bed: str = "",
    bed_db: float = -20.0,
    seed: int = 1,
) -> list[SpokenSpan]:
    """Write a clip of human utterances ``(text, recording)``, each trimmed
    (:func:`trim_recording`) and followed by its pause, and return where each one is heard.
    ``bed`` and ``bed_db`` as in :func:`make_clip`; the level is set from the speech."""
    pieces = [np.zeros(lead_ms * RATE // 1000, np.float32)]
    spans = []
    pos = len(pieces[0])
    for i, (text, path) in enumerate(recordings):
        speech = trim_recording(read_recording(path))
        spans.append(SpokenSpan(text, round(pos * 1000 / RATE), round((pos + len(speech)) * 1000 / RATE)))
        gap = np.zeros((pause_ms[i] if i < len(pause_ms) else lead_ms) * RATE // 1000, np.float32)
        pieces += [speech, gap]
        pos += len(speech) + len(gap)
    mix = np.concatenate(pieces)
    if bed:
        level = _rms(np.concatenate([p for p in pieces[1::2]]))
        mix = (mix + _bed(bed, len(mix), seed) * level * 10 ** (bed_db / 20)).astype(np.float32)
    mix = mix / max(1.0, float(np.abs(mix).max()) / 0.95)
    write_media(mix, out)
    return spans


def write_media(samples: np.ndarray, out: Path) -> None:
    """Encode float samples (16 kHz mono) into ``out`` with ffmpeg; the suffix picks the format."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    cmd = ["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "-i", "-"]
    if out.suffix == ".mp4":
        seconds = len(samples) / RATE
        cmd += ["-f", "lavfi", "-i", f"color=c=black:s=160x90:r=10:d={seconds:.3f}"]
        cmd += ["-map", "1:v", "-map", "0:a", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"]
        cmd += ["-shortest"]
    elif out.suffix in (".m4a", ".aac"):
        cmd += ["-c:a", "aac"]
    cmd.append(str(out))
    subprocess.run(cmd, input=pcm, check=True, capture_output=True)


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2))) if len(x) else 0.1


def _bed(kind: str, n: int, seed: int) -> np.ndarray:
    """A unit-RMS background of ``n`` samples: "noise" or "music"."""
    rng = np.random.default_rng(seed)
    if kind == "noise":
        white = rng.standard_normal(n).astype(np.float32)
        # A gentle low-pass makes it sound like room/street noise rather than hiss.
        kernel = np.ones(4, np.float32) / 4
        out = np.convolve(white, kernel, mode="same")
    elif kind == "music":
        t = np.arange(n) / RATE
        chords = [(220.0, 277.2, 329.6), (196.0, 246.9, 293.7), (174.6, 220.0, 261.6), (196.0, 246.9, 329.6)]
        out = np.zeros(n, np.float32)
        beat = 2 * RATE
        for start in range(0, n, beat):
            seg = slice(start, min(n, start + beat))
            tt = t[seg]
            env = np.exp(-(tt - tt[0]) * 1.5)
            for f in chords[(start // beat) % len(chords)]:
                out[seg] += (np.sin(2 * np.pi * f * tt) + 0.3 * np.sin(4 * np.pi * f * tt)) * env
    else:
        raise ValueError(f"unknown bed {kind!r}")
    return (out / (_rms(out) or 1.0)).astype(np.float32)
