"""Build the bundled news clip: the article read aloud by an offline speech engine.

We have no original media for the sample article, so this script makes a stand-in: it reads
``resources/clip/syria.article.json`` (a sync document with all times null) aloud, sentence by
sentence, and writes beside it

* ``syria.mp4``: 640x360, 25 fps, H.264 + AAC, exactly the target length (3:37 by default), a
  calm title card and slate with a lower third naming the speaker during each quote;
* ``syria.sync.json``: the same document with every sentence and quote part timed;
* ``syria.vtt``: the WebVTT export of that document.

The times are exact by construction, not aligned afterwards: every sentence is synthesized on
its own (a sentence holding quote parts is cut at the part boundaries, so each part is its own
piece), each piece is trimmed of its leading and trailing silence, and the pieces are joined
with pauses of known length. A sentence starts at the first non-silent sample of its first
piece and ends at the last non-silent sample of its last piece. With a flite voice each word's
time comes from the synthesizer too (``flite_words.py``: where flite placed the word's first
and last sounds), so the sync document gets word times (format version 2); espeak-ng voices
give sentence and quote times only. The voice is never sped up or
slowed down; only the pauses are chosen (within natural bounds) so that the whole lasts
exactly the target length. A last step decodes the encoded mp4 and checks that the first
speech onset lands where the sync document says (no AAC priming shift).

Run ``.venv/bin/python scripts/build_clip.py --survey`` to see how long each installed voice
takes to read the article and which pauses it would need.

Needs: flite and/or espeak-ng, ffmpeg/ffprobe, the DejaVu or Liberation fonts, numpy.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import wave
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipsync.core.alignment.grammar import tokens as word_tokens
from clipsync.core.formats.subtitles import write_vtt
from clipsync.core.formats.syncdoc import load_sync, save_sync
from clipsync.core.text.article import Article, Sentence
from clipsync.core.text.words import WordTimes, fit_words

sys.path.insert(0, str(Path(__file__).resolve().parent))
import flite_words  # beside this script

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLE = ROOT / "resources" / "clip" / "syria.article.json"
DEFAULT_OUT_DIR = ROOT / "resources" / "clip"
DEFAULT_STEM = "syria"
DEFAULT_DURATION_S = 217.0
DEFAULT_VOICE = "flite:rms"

RATE = 22050  # working sample rate of the whole soundtrack (mono, int16)
SILENCE_DBFS = -42.0  # a sample quieter than this is silence, for trimming and for onset checks
SILENCE_LEVEL = round(32767 * 10 ** (SILENCE_DBFS / 20))

# Pauses inside a sentence, between its pieces (quote part / narration), in seconds.
PHRASE_GAP_S = 0.12
COMMA_GAP_S = 0.20  # the text breaks after a comma, semicolon, colon or dash

# Natural bounds of the pauses the fit may choose (seconds): all four move together.
BOUNDS = {
    "intro": (2.0, 4.0),  # title card, silence before the headline is read
    "sentence": (0.4, 1.2),
    "paragraph": (0.9, 2.5),  # between blocks: headline, standfirst, caption, paragraphs
    "outro": (2.0, 4.0),
}

# Video design.
WIDTH, HEIGHT, FPS = 640, 360, 25
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
BACKGROUND = "0x0d1b2e"
ACCENT = "0xe8a33d"
KICKER = "clipsync sample · read by a speech synthesizer"
TITLE_FADE_S = 0.4

QUOTE_MARKS = '“”"‘’«»„'


# --------------------------------------------------------------------------------------------
# Voices


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


# --------------------------------------------------------------------------------------------
# Text: what is said, piece by piece


def speakable(text: str) -> str:
    """The spoken form of a piece of the article; only pronunciation changes, never the words.

    >>> speakable("“We remain committed to a peaceful Syria,” ")
    'We remain committed to a peaceful Syria,'
    >>> speakable("U.S. Ambassador to the UN Samantha Power said, “")
    'U.S. Ambassador to the U.N. Samantha Power said,'
    >>> speakable("O’Brien called it barbarism… the country – and that")
    "O'Brien called it barbarism. the country, and that"
    """
    text = text.strip().strip(QUOTE_MARKS).strip()
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s*[–—]\s*|\s+-\s+", ", ", text)  # a dash between words is a pause
    text = text.replace("…", ".")
    text = re.sub(r"\bUN\b", "U.N.", text)  # flite says "un" for UN
    return text


@dataclass(frozen=True)
class Piece:
    """One synthesized run of a sentence: ``text[start:end]``, maybe a quote part."""

    start: int
    end: int
    spoken: str
    part_index: int | None  # index in ``Article.quote_parts()`` order, or None for narration


def sentence_pieces(article: Article, sentence: Sentence) -> list[Piece]:
    """The sentence cut at its quote-part boundaries; pieces with nothing to say are dropped."""
    parts = sorted(
        (p.char_start, p.char_end, i)
        for i, (_, p) in enumerate(article.quote_parts())
        if p.sentence_id == sentence.id
    )
    spans: list[tuple[int, int, int | None]] = []
    pos = 0
    for start, end, part_index in parts:
        if start > pos:
            spans.append((pos, start, None))
        spans.append((start, end, part_index))
        pos = end
    if pos < len(sentence.text):
        spans.append((pos, len(sentence.text), None))
    pieces = []
    for start, end, index in spans:
        spoken = speakable(sentence.text[start:end])
        if not re.search(r"\w", spoken):
            if index is not None:
                raise ValueError(f"quote part {start}..{end} of {sentence.id} has nothing to say")
            continue
        pieces.append(Piece(start, end, spoken, index))
    return pieces


def gap_after(sentence: Sentence, piece: Piece) -> float:
    """The pause after a piece inside its sentence: longer where the text has a comma."""
    tail = sentence.text[: piece.end].rstrip().rstrip(QUOTE_MARKS).rstrip()
    return COMMA_GAP_S if tail.endswith((",", ";", ":", "–", "—", "-")) else PHRASE_GAP_S


# --------------------------------------------------------------------------------------------
# Synthesis and timeline


@dataclass
class SpokenSentence:
    sentence: Sentence
    block_index: int
    pieces: list[Piece]
    audio: list[np.ndarray]  # trimmed, one per piece
    # Per piece, its words: (char span in the sentence, time in s from the piece's first
    # sample); None when the voice does not report word times.
    words: list[list[tuple[tuple[int, int], tuple[float, float]]] | None]


def synthesize_article(article: Article, voice: Voice, work_dir: Path) -> list[SpokenSentence]:
    """Every sentence in page order, each piece synthesized and trimmed of silence."""
    out = []
    for ref in article.refs:
        sentence = ref.sentence
        pieces = sentence_pieces(article, sentence)
        audio = []
        words: list[list[tuple[tuple[int, int], tuple[float, float]]] | None] = []
        for piece in pieces:
            samples, times = synthesize_timed(piece.spoken, voice, work_dir)
            if samples.size == 0:
                raise RuntimeError(f"{voice} said nothing for {piece.spoken!r} ({sentence.id})")
            audio.append(samples)
            if times is None:
                words.append(None)
                continue
            # speakable() changes only punctuation and spelling, so the words pair up in order.
            spans = [
                (piece.start + tok.start, piece.start + tok.end)
                for tok in word_tokens(sentence.text[piece.start : piece.end])
            ]
            if len(spans) != len(times):
                raise RuntimeError(
                    f"{sentence.id}: {len(spans)} words in {sentence.text[piece.start : piece.end]!r} "
                    f"but {len(times)} in what was said, {piece.spoken!r}"
                )
            words.append(list(zip(spans, times, strict=True)))
        out.append(SpokenSentence(sentence, ref.block_index, pieces, audio, words))
    return out


@dataclass(frozen=True)
class PausePlan:
    """The pauses chosen to fill the target length, and how the fit went."""

    intro: float
    sentence: float
    paragraph: float
    outro: float
    speech_s: float  # all trimmed speech, summed
    phrase_gaps_s: float  # the fixed pauses inside sentences, summed
    sentence_gaps: int
    paragraph_gaps: int
    k: float  # 0 = every pause at its lower bound, 1 = at its upper bound

    @property
    def natural(self) -> bool:
        return -1e-9 <= self.k <= 1 + 1e-9

    def describe(self) -> str:
        note = "within natural bounds" if self.natural else "OUTSIDE natural bounds (relaxed)"
        return (
            f"speech {self.speech_s:.2f} s + in-sentence gaps {self.phrase_gaps_s:.2f} s; "
            f"intro {self.intro:.2f} s, sentence pause {self.sentence:.2f} s x{self.sentence_gaps}, "
            f"paragraph pause {self.paragraph:.2f} s x{self.paragraph_gaps}, outro {self.outro:.2f} s "
            f"[{note}, k={self.k:.2f}]"
        )


def plan_pauses(spoken: Sequence[SpokenSentence], target_s: float) -> PausePlan:
    """Choose intro, sentence, paragraph and outro pauses so the clip lasts ``target_s``.

    All four move together between their bounds in :data:`BOUNDS` (one factor ``k``). If the
    speech is too short or too long for that, ``k`` goes past 0..1 and the plan says so.
    """
    speech = sum(a.size for s in spoken for a in s.audio) / RATE
    phrase = sum(gap_after(s.sentence, p) for s in spoken for p in s.pieces[:-1])
    n_sentence = sum(1 for a, b in itertools.pairwise(spoken) if a.block_index == b.block_index)
    n_paragraph = len(spoken) - 1 - n_sentence
    counts = {"intro": 1, "sentence": n_sentence, "paragraph": n_paragraph, "outro": 1}
    low = sum(counts[k] * BOUNDS[k][0] for k in BOUNDS)
    high = sum(counts[k] * BOUNDS[k][1] for k in BOUNDS)
    need = target_s - speech - phrase
    k = (need - low) / (high - low)
    values = {name: lo + k * (hi - lo) for name, (lo, hi) in BOUNDS.items()}
    if min(values.values()) < 0.15:
        raise ValueError(
            f"the speech ({speech:.1f} s) is too long for {target_s:.1f} s: pauses would shrink to "
            f"{min(values.values()):.2f} s; choose a faster voice or a longer target"
        )
    return PausePlan(
        values["intro"],
        values["sentence"],
        values["paragraph"],
        values["outro"],
        speech,
        phrase,
        n_sentence,
        n_paragraph,
        k,
    )


@dataclass
class Soundtrack:
    samples: np.ndarray
    sentence_times: dict[str, tuple[int, int] | None]
    part_times: list[tuple[int, int] | None]
    headline_start_sample: int
    word_times: dict[str, WordTimes]


def samples_of(seconds: float) -> int:
    return round(seconds * RATE)


def ms_of(sample: int) -> int:
    return round(sample * 1000 / RATE)


def assemble(
    article: Article, spoken: Sequence[SpokenSentence], plan: PausePlan, target_s: float
) -> Soundtrack:
    """Join the pieces with the planned pauses; times come from the sample positions."""
    total = samples_of(target_s)
    chunks: list[np.ndarray] = []
    pos = 0

    def silence(n: int) -> None:
        nonlocal pos
        chunks.append(np.zeros(n, dtype=np.int16))
        pos += n

    sentence_times: dict[str, tuple[int, int] | None] = {}
    word_times: dict[str, WordTimes] = {}
    part_samples: dict[int, tuple[int, int]] = {}
    silence(samples_of(plan.intro))
    headline_start = pos
    for i, s in enumerate(spoken):
        if i:
            same_block = spoken[i - 1].block_index == s.block_index
            silence(samples_of(plan.sentence if same_block else plan.paragraph))
        first = pos
        spans: list[tuple[int, int]] = []
        times: list[tuple[int, int]] = []
        for j, (piece, audio, words) in enumerate(zip(s.pieces, s.audio, s.words, strict=True)):
            if j:
                silence(samples_of(gap_after(s.sentence, s.pieces[j - 1])))
            if piece.part_index is not None:
                part_samples[piece.part_index] = (pos, pos + audio.size)
            for span, (a, b) in words or ():
                spans.append(span)
                times.append((ms_of(pos + samples_of(a)), ms_of(pos + samples_of(b))))
            chunks.append(audio)
            pos += audio.size
        sentence_times[s.sentence.id] = (ms_of(first), ms_of(pos))
        if all(w is not None for w in s.words):
            word_times[s.sentence.id] = fit_words(spans, times, ms_of(first), ms_of(pos))
    if pos > total:
        raise ValueError(f"the soundtrack ({pos / RATE:.2f} s) is longer than {target_s} s")
    silence(total - pos)  # the outro, with the rounding of every pause folded in
    n_parts = sum(1 for _ in article.quote_parts())
    part_times: list[tuple[int, int] | None] = [
        (ms_of(part_samples[i][0]), ms_of(part_samples[i][1])) for i in range(n_parts)
    ]
    return Soundtrack(np.concatenate(chunks), sentence_times, part_times, headline_start, word_times)


def write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.astype("<i2").tobytes())


# --------------------------------------------------------------------------------------------
# Video


def font(bold: bool = False) -> Path:
    for folder in FONT_DIRS:
        path = folder / ("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf")
        if path.exists():
            return path
    path = DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if not path.exists():
        raise RuntimeError("no font found: apt-get install fonts-liberation2 or fonts-dejavu-core")
    return path


def wrap(text: str, size: int, width_px: int) -> list[str]:
    """Lines of ``text`` that fit ``width_px`` at ``size`` px (Liberation Sans is ~0.52 em a glyph)."""
    chars = max(8, int(width_px / (0.52 * size)))
    return textwrap.wrap(text, chars) or [text]


class Drawing:
    """Collects drawtext/drawbox filters; text goes through files, so nothing needs escaping."""

    def __init__(self, work_dir: Path) -> None:
        self.work_dir = work_dir
        self.filters: list[str] = []

    def text(
        self,
        text: str,
        *,
        size: int,
        x: str,
        y: int,
        color: str = "white",
        bold: bool = False,
        alpha: str = "1",
        enable: str | None = None,
    ) -> None:
        path = self.work_dir / f"text{len(self.filters):03d}.txt"
        path.write_text(text, encoding="utf-8")
        opts = [
            f"fontfile={font(bold)}",
            f"textfile={path}",
            "expansion=none",
            f"fontsize={size}",
            f"fontcolor={color}",
            f"x={x}",
            f"y={y}",
            f"alpha='{alpha}'",
        ]
        if enable:
            opts.append(f"enable='{enable}'")
        self.filters.append("drawtext=" + ":".join(opts))

    def box(self, x: int, y: int, w: int, h: int, color: str, enable: str | None = None) -> None:
        opts = f"drawbox=x={x}:y={y}:w={w}:h={h}:color={color}:t=fill"
        self.filters.append(opts + (f":enable='{enable}'" if enable else ""))


def video_filter(article: Article, duration_s: float, title_until_s: float, work_dir: Path) -> str:
    """The filter graph: title card, then a calm slate, lower thirds during quotes, a progress bar.

    Everything sits in the upper three quarters of the frame: the player draws its captions
    over the bottom (~80-95 % of the height), so that band stays empty.
    """
    draw = Drawing(work_dir)
    # The title card fades out, then the slate fades in: no overlap of the two layouts.
    t0, t1, t2 = title_until_s, title_until_s + TITLE_FADE_S, title_until_s + 2 * TITLE_FADE_S
    fade_out = f"if(lt(t,{t0:.3f}),1,max(0,({t1:.3f}-t)/{TITLE_FADE_S}))"
    fade_in = f"if(lt(t,{t1:.3f}),0,min(1,(t-{t1:.3f})/{TITLE_FADE_S}))"

    # Title card: kicker, headline in large type, a short accent rule.
    lines = wrap(article.title, 40, WIDTH - 120)
    top = 150 - 25 * len(lines)
    draw.text("VOA NEWS", size=16, x="60", y=top - 40, color=ACCENT, bold=True, alpha=fade_out)
    for i, line in enumerate(lines):
        draw.text(line, size=40, x="60", y=top + i * 50, bold=True, alpha=fade_out)
    rule_y = top + 50 * len(lines) + 8
    draw.box(60, rule_y, 80, 3, ACCENT, enable=f"lt(t,{(t0 + t1) / 2:.3f})")
    draw.text(KICKER, size=17, x="60", y=rule_y + 20, color="0xb8c4d6", alpha=fade_out)

    # Slate: the headline small at the top, a thin rule, the kicker; the rest stays calm.
    draw.text("VOA NEWS", size=13, x="32", y=22, color=ACCENT, bold=True, alpha=fade_in)
    draw.text(article.title, size=22, x="32", y=42, bold=True, alpha=fade_in)
    draw.box(32, 76, WIDTH - 64, 1, "0x5a6a82", enable=f"gte(t,{(t1 + t2) / 2:.3f})")
    draw.text(KICKER, size=13, x="32", y=86, color="0x8d9ab0", alpha=fade_in)

    # Lower third during each quote, from its first part's start to its last part's end,
    # at 36-51 % of the height: clear of captions of up to three lines (speaker label and two
    # lines of text) that the player draws at the bottom.
    for quote in article.quotes:
        if quote.start_ms is None or quote.end_ms is None:
            continue
        on = f"between(t,{quote.start_ms / 1000:.3f},{quote.end_ms / 1000:.3f})"
        draw.box(32, 130, WIDTH - 64, 52, "0x000000@0.55", enable=on)
        draw.box(32, 130, 5, 52, ACCENT, enable=on)
        draw.text(quote.speaker.name, size=20, x="48", y=136, bold=True, enable=on)
        role = quote.speaker.role or "quoted"
        role_lines = wrap(role, 14, WIDTH - 96)
        draw.text(role_lines[0], size=14, x="48", y=161, color="0xd0d8e4", enable=on)

    graph = [
        f"color=c={BACKGROUND}:s={WIDTH}x{HEIGHT}:r={FPS}:d={duration_s:.3f}[bg]",
        f"color=c={ACCENT}:s={WIDTH}x2:r={FPS}:d={duration_s:.3f}[bar]",
        f"[bg][bar]overlay=x='-w+W*t/{duration_s:.3f}':y=0:eval=frame:shortest=1,"
        + ",".join(draw.filters)
        + ",format=yuv420p[v]",
    ]
    return ";\n".join(graph)


# --------------------------------------------------------------------------------------------
# Encoding and checks


def encode(wav: Path, filter_script: Path, mp4: Path, duration_s: float) -> None:
    cmd = [
        "ffmpeg", "-y", "-v", "error",
        "-filter_complex_script", str(filter_script),
        "-i", str(wav),
        "-map", "[v]", "-map", "0:a",
        "-c:v", "libx264", "-preset", "slow", "-crf", "26", "-tune", "stillimage",
        "-pix_fmt", "yuv420p", "-r", str(FPS),
        "-g", str(2 * FPS), "-keyint_min", str(FPS), "-sc_threshold", "0",
        "-c:a", "aac", "-b:a", "64k", "-ac", "1", "-ar", str(RATE),
        "-t", f"{duration_s:.3f}",
        "-movflags", "+faststart",
        str(mp4),
    ]  # fmt: skip
    subprocess.run(cmd, check=True)


def probe_durations(mp4: Path) -> dict[str, float]:
    """The container's duration and each stream's, as ffprobe reports them."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type,duration",
         "-of", "json", str(mp4)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    data = json.loads(out)
    durations = {"container": float(data["format"]["duration"])}
    for stream in data["streams"]:
        durations[stream["codec_type"]] = float(stream["duration"])
    return durations


def decoded_audio(mp4: Path) -> np.ndarray:
    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(mp4),
            "-map",
            "0:a",
            "-ac",
            "1",
            "-ar",
            str(RATE),
            "-f",
            "s16le",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<i2")


def measured_onset_ms(mp4: Path) -> float:
    """When the first speech is heard in the encoded file (decoded as a player would)."""
    bounds = speech_bounds(decoded_audio(mp4))
    if bounds is None:
        raise RuntimeError(f"{mp4} has no audible audio")
    return bounds[0] * 1000 / RATE


# --------------------------------------------------------------------------------------------
# The whole build


@dataclass
class BuildResult:
    mp4: Path
    sync: Path
    vtt: Path
    voice: Voice
    plan: PausePlan
    durations: dict[str, float]
    onset_offset_ms: float
    article: Article

    def report(self) -> str:
        size = self.mp4.stat().st_size
        durations = ", ".join(f"{k} {v:.3f} s" for k, v in self.durations.items())
        return "\n".join(
            [
                f"voice:     {self.voice}",
                f"pauses:    {self.plan.describe()}",
                f"durations: {durations}",
                f"onset:     first speech in the decoded mp4 is {self.onset_offset_ms:+.1f} ms from the "
                "computed headline start",
                f"size:      {self.mp4.name} {size / 1e6:.2f} MB",
                f"wrote:     {self.mp4}, {self.sync}, {self.vtt}",
            ]
        )


def build_clip(
    article: Article,
    out_dir: Path,
    *,
    stem: str = DEFAULT_STEM,
    target_s: float = DEFAULT_DURATION_S,
    voice: Voice | str = DEFAULT_VOICE,
    log: bool = False,
) -> BuildResult:
    """Read ``article`` aloud with ``voice`` into ``stem``.mp4/.sync.json/.vtt in ``out_dir``."""
    voice = Voice.parse(voice) if isinstance(voice, str) else voice
    require_tools(voice)
    out_dir.mkdir(parents=True, exist_ok=True)
    mp4, sync, vtt = out_dir / f"{stem}.mp4", out_dir / f"{stem}.sync.json", out_dir / f"{stem}.vtt"

    def say(message: str) -> None:
        if log:
            print(message, flush=True)

    with tempfile.TemporaryDirectory(prefix="build_clip.") as tmp:
        work = Path(tmp)
        started = time.monotonic()
        spoken = synthesize_article(article, voice, work)
        say(f"synthesized {len(spoken)} sentences with {voice} in {time.monotonic() - started:.1f} s")
        plan = plan_pauses(spoken, target_s)
        say(plan.describe())
        if not plan.natural:
            print(f"warning: {voice} does not fit {target_s} s within natural pauses", file=sys.stderr)
        track = assemble(article, spoken, plan, target_s)

        timed = dataclasses.replace(
            article.with_times(
                track.sentence_times,
                track.part_times,
                duration_ms=round(target_s * 1000),
                word_times=track.word_times,
            ),
            media_file=mp4.name,
        )
        save_sync(timed, sync)
        timed = load_sync(sync)  # the document must pass the loader's checks
        write_vtt(timed, vtt)

        wav = work / "speech.wav"
        write_wav(wav, track.samples)
        # The title card stays while the headline is read, and fades in the pause after it.
        title_until = (timed.sentences[0].end_ms or 0) / 1000 + min(0.3, plan.paragraph / 4)
        script = work / "video.filter"
        script.write_text(video_filter(timed, target_s, title_until, work), encoding="utf-8")
        started = time.monotonic()
        encode(wav, script, mp4, target_s)
        say(f"encoded {mp4.name} in {time.monotonic() - started:.1f} s")

    durations = probe_durations(mp4)
    for what, seconds in durations.items():
        if abs(seconds - target_s) > 0.1:
            raise RuntimeError(f"{mp4}: {what} lasts {seconds:.3f} s, not {target_s} s")
    expected_ms = track.headline_start_sample * 1000 / RATE
    offset = measured_onset_ms(mp4) - expected_ms
    result = BuildResult(mp4, sync, vtt, voice, plan, durations, offset, timed)
    return result


def survey(article: Article, voices: Iterable[Voice], target_s: float) -> None:
    """Print each voice's speech length and the pauses it would need (no encoding)."""
    with tempfile.TemporaryDirectory(prefix="build_clip.") as tmp:
        for voice in voices:
            spoken = synthesize_article(article, voice, Path(tmp))
            try:
                print(f"{voice!s:18} {plan_pauses(spoken, target_s).describe()}")
            except ValueError as exc:
                print(f"{voice!s:18} {exc}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--voice", default=DEFAULT_VOICE, help=f"flite:NAME or espeak-ng:NAME (default {DEFAULT_VOICE})"
    )
    parser.add_argument(
        "--out-dir", type=Path, default=DEFAULT_OUT_DIR, help="where the clip goes (default resources/clip)"
    )
    parser.add_argument(
        "--article", type=Path, default=DEFAULT_ARTICLE, help="the untimed sync document to read"
    )
    parser.add_argument(
        "--stem", default=DEFAULT_STEM, help="output file names: STEM.mp4, STEM.sync.json, STEM.vtt"
    )
    parser.add_argument(
        "--duration", type=float, default=DEFAULT_DURATION_S, help="clip length in seconds (default 217)"
    )
    parser.add_argument(
        "--survey", action="store_true", help="only compare the installed voices' speech lengths"
    )
    args = parser.parse_args(argv)

    article = load_sync(args.article)
    if args.survey:
        survey(article, installed_voices(), args.duration)
        return 0
    result = build_clip(
        article, args.out_dir, stem=args.stem, target_s=args.duration, voice=args.voice, log=True
    )
    print(result.report())
    if abs(result.onset_offset_ms) > 10:
        print(f"error: the audio is shifted by {result.onset_offset_ms:+.1f} ms", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
