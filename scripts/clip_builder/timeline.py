"""The clip builder's soundtrack: every sentence of the article synthesized, the pauses chosen so
that the whole lasts the target length, and the pieces joined, the times read off the sample
positions."""

from __future__ import annotations

import itertools
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clipsync.core.alignment.grammar import tokens as word_tokens
from clipsync.core.text.article import Article, Sentence
from clipsync.core.text.words import WordTimes, fit_words

from .text import Piece, gap_after, sentence_pieces
from .voices import RATE, Voice, synthesize_timed

# Natural bounds of the pauses the fit may choose (seconds): all four move together.
BOUNDS = {
    "intro": (2.0, 4.0),  # title card, silence before the headline is read
    "sentence": (0.4, 1.2),
    "paragraph": (0.9, 2.5),  # between blocks: headline, standfirst, caption, paragraphs
    "outro": (2.0, 4.0),
}


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
