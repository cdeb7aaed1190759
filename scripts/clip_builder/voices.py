"""The speech engines of the clip builder: which voices there are, one piece of text read aloud
(with flite, each word's time too) as mono samples at :data:`RATE`, and silence found and trimmed."""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import flite_words  # in scripts/, beside this package (on sys.path wherever clip_builder is importable)
import numpy as np

from clipsync.core.alignment.grammar import tokens as word_tokens

RATE = 22050  # working sample rate of the whole soundtrack (mono, int16)
SILENCE_DBFS = -42.0  # a sample quieter than this is silence, for trimming and for onset checks
SILENCE_LEVEL = round(32767 * 10 ** (SILENCE_DBFS / 20))


@dataclass(frozen=True)
class Voice:
    """A speech engine and one of its voices, written ``flite:slt`` or ``espeak-ng:en-us``."""

    engine: str
    name: str

    @classmethod
    def parse(cls, spec: str) -> Voice:
        engine, _, name = spec.partition(":")
        if engine not in ("flite", "espeak-ng") or not name:
            raise ValueError(f"unknown voice {spec!r}: expected flite:NAME or espeak-ng:NAME")
        return cls(engine, name)

    def __str__(self) -> str:
        return f"{self.engine}:{self.name}"

    def command(self, text_file: Path, wav_file: Path) -> list[str]:
        if self.engine == "flite":
            return ["flite", "-voice", self.name, "-f", str(text_file), "-o", str(wav_file)]
        return ["espeak-ng", "-v", self.name, "-f", str(text_file), "-w", str(wav_file)]


def installed_voices() -> list[Voice]:
    """The English voices this machine can use (what ``--survey`` compares)."""
    voices = []
    if shutil.which("flite"):
        listing = subprocess.run(["flite", "-lv"], capture_output=True, text=True, check=True).stdout
        names = listing.split(":", 1)[-1].split()
        voices += [Voice("flite", n) for n in names if n not in ("awb_time",)]  # awb_time only tells time
    if shutil.which("espeak-ng"):
        voices.append(Voice("espeak-ng", "en-us"))
    return voices


def require_tools(voice: Voice) -> None:
    """Fail loudly, naming the missing program, rather than half-build a clip."""
    missing = [t for t in (voice.engine, "ffmpeg", "ffprobe") if shutil.which(t) is None]
    if missing:
        raise RuntimeError(
            f"missing program(s): {', '.join(missing)} (apt-get install flite espeak-ng ffmpeg)"
        )


def read_wav(path: Path) -> np.ndarray:
    """Mono int16 samples at :data:`RATE`, resampled by ffmpeg when the engine used another rate."""
    with wave.open(str(path), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        frames = w.readframes(w.getnframes())
    if rate == RATE and channels == 1 and width == 2:
        return np.frombuffer(frames, dtype="<i2").copy()
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<i2").copy()


def synthesize(text: str, voice: Voice, work_dir: Path) -> np.ndarray:
    """``text`` read by ``voice``, as mono int16 at :data:`RATE`, silence not yet trimmed."""
    text_file, wav_file = work_dir / "say.txt", work_dir / "say.wav"
    text_file.write_text(text + "\n", encoding="utf-8")
    subprocess.run(voice.command(text_file, wav_file), capture_output=True, check=True)
    return read_wav(wav_file)


def synthesize_timed(
    text: str, voice: Voice, work_dir: Path
) -> tuple[np.ndarray, list[tuple[float, float]] | None]:
    """``text`` read by ``voice``, trimmed of silence, and (flite only) the time of each of its
    words (:func:`word_tokens`), in seconds from the first trimmed sample."""
    if voice.engine != "flite":
        return trim(synthesize(text, voice, work_dir)), None
    # The sound comes from the flite program, as always (libflite's noise source carries on
    # from one call to the next, so only a fresh process gives the same samples every build);
    # the word times from the library, whose timing is deterministic (checked: same length).
    samples = synthesize(text, voice, work_dir)
    spoken = flite_words.speak(text, voice.name)
    if abs(samples.size / RATE - spoken.samples.size / spoken.rate) > 2 / min(RATE, spoken.rate):
        raise RuntimeError(f"libflite and the flite program disagree on the length of {text!r}")
    bounds = speech_bounds(samples)
    if bounds is None:
        return samples[:0], None
    offset = bounds[0] / RATE
    chunks = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    if len(chunks) != len(spoken.tokens):
        raise RuntimeError(f"flite read {len(spoken.tokens)} tokens in {text!r}, not {len(chunks)}")
    by_chunk: dict[int, list[int]] = {}
    toks = word_tokens(text)
    for k, tok in enumerate(toks):
        c = next(i for i, (a, b) in enumerate(chunks) if a <= tok.start < b)
        by_chunk.setdefault(c, []).append(k)
    times: list[tuple[float, float]] = [(0.0, 0.0)] * len(toks)
    for c, members in by_chunk.items():
        said = spoken.tokens[c]
        if not said:
            raise RuntimeError(f"flite did not pronounce {text[slice(*chunks[c])]!r} in {text!r}")
        if len(said) == len(members):
            for k, span in zip(members, said, strict=True):
                times[k] = span
            continue
        # "and/or" is two of our words but three of flite's: share the token's time by letters.
        start, end = said[0][0], said[-1][1]
        letters = [toks[k].end - toks[k].start for k in members]
        done = 0
        for k, n in zip(members, letters, strict=True):
            a = start + (end - start) * done / sum(letters)
            done += n
            times[k] = (a, start + (end - start) * done / sum(letters))
    return samples[bounds[0] : bounds[1]], [(a - offset, b - offset) for a, b in times]


def speech_bounds(samples: np.ndarray) -> tuple[int, int] | None:
    """``[first, last + 1)`` of the samples louder than :data:`SILENCE_LEVEL`; None if all silent."""
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > SILENCE_LEVEL)
    if loud.size == 0:
        return None
    return int(loud[0]), int(loud[-1]) + 1


def trim(samples: np.ndarray) -> np.ndarray:
    bounds = speech_bounds(samples)
    if bounds is None:
        return samples[:0]
    return samples[bounds[0] : bounds[1]]
