"""How sure the aligner is that a sentence (or a word) is said where it put it.

pocketsphinx scores every 10 ms frame against the best-scoring sound model of that frame
(its senone scores are normalized to the frame's best), so the forced reading's score per
frame is already a comparison: how much worse the text's sounds fit than the best sounds the
models offer there. Where the text is really said it fits almost as well; where it was forced
onto sound that says something else it fits clearly worse. The confidence is that score per
frame (the *gap*, x 1e-3), mapped to 0..1 by a logistic curve whose middle is halfway between
the gaps measured for right and for wrong placements (docs/aligner.md, "Confidence"): on human
voices, a line on its own recording scored -2.1 to -3.3 and a line forced onto another line's
recording -5.0 to -7.0. A free phone loop read over the same sound to compare with (the first
design) separated them no better, and cost a fifth of the alignment.

The same measure tells the words a reader left out (:func:`said_words`): the grammar reads
every word of a sentence it keeps, so a word that was not said is squeezed into a few frames,
where it scores badly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from clipsync.core.alignment.grammar import Timed

FRAME_MS = 10
#: A word the search gave under this much a phone, with a confidence under NOT_SAID_BELOW, was
#: not said (measured: docs/aligner.md, "Words left out").
SQUEEZED_MS = 55
NOT_SAID_BELOW = 0.4
MIDDLE = -4.1  # gap (x 1e-3 per frame) where the confidence is 0.5
RELATIVE_MIDDLE = -2.5  # gap under the recording's usual one where the confidence is 0.5
SCALE = 0.6  # gap difference that moves the confidence by a factor e in odds
WORD_SCALE = 1.2  # a word has few frames: its gap is noisier, its curve flatter


def frame_scores(segments: Iterable[Any], n_frames: int) -> np.ndarray:
    """The acoustic score of a search's segments spread evenly over their 10 ms frames."""
    out = np.zeros(n_frames, np.float64)
    for seg in segments:
        a, b = max(seg.start_frame, 0), min(seg.end_frame + 1, n_frames)
        if b > a:
            out[a:b] = math.log(max(seg.ascore, 1e-300)) / (seg.end_frame + 1 - seg.start_frame)
    return out


def gap(forced: np.ndarray, a: int, b: int) -> float | None:
    """How much worse the forced reading scores than the best sound models on frames ``[a, b)``
    (x 1e-3 per frame; 0: as well), or ``None`` for no frames."""
    a, b = max(a, 0), min(b, len(forced))
    if b <= a:
        return None
    return 1000 * float(np.mean(forced[a:b]))


def confidence(value: float | None, usual: float, *, scale: float = SCALE) -> float:
    """Confidence (0..1) from a :func:`gap`, given the ``usual`` gap of this recording (the
    median over its sentences). A synthetic or unusual voice reads worse than the free loop
    everywhere (espeak-ng: -3.6 to -4.3 where every sentence was right), so a gap also counts
    as sure when it is near the recording's usual one; a sentence forced onto sound that does
    not say it is far below both.

    >>> round(confidence(-2.0, -2.0), 2), round(confidence(-4.0, -4.0), 2), round(confidence(-6.5, -2.5), 2)
    (0.98, 0.98, 0.08)
    """
    if value is None:
        return 0.0
    absolute = 1 / (1 + math.exp(-(value - MIDDLE) / scale))
    relative = 1 / (1 + math.exp(-(value - usual - RELATIVE_MIDDLE) / scale))
    return max(absolute, relative)


def rate(found: dict[int, Timed], forced: np.ndarray, offset_frames: int) -> None:
    """Each found sentence's and word's confidence, on the frames the search read it in."""
    frames = {
        i: [(s // FRAME_MS - offset_frames, e // FRAME_MS - offset_frames) for s, e in timed.words]
        for i, timed in found.items()
        if timed.words
    }
    gaps = {i: gap(forced, f[0][0], f[-1][1]) for i, f in frames.items()}
    known = [g for g in gaps.values() if g is not None]
    usual = float(np.median(known)) if known else 0.0
    for i, f in frames.items():
        found[i].confidence = confidence(gaps[i], usual)
        found[i].word_confidence = [confidence(gap(forced, a, b), usual, scale=WORD_SCALE) for a, b in f]


def said_words(timed: Timed, phones: list[int]) -> list[int]:
    """The words of a read sentence that were said: not those the search squeezed into under
    ``SQUEEZED_MS`` a phone with a confidence under ``NOT_SAID_BELOW`` (a word left out by the
    reader; the grammar reads every word of a sentence it keeps). The first and last words
    stay: they are where the sentence starts and ends; so do words of one sound ("a" is said
    in 30 ms)."""
    n = len(timed.words)
    if not timed.word_confidence or n < 3:
        return list(range(n))
    return [
        k
        for k, ((s, e), c) in enumerate(zip(timed.words, timed.word_confidence, strict=True))
        if k in (0, n - 1) or phones[k] < 2 or not (c < NOT_SAID_BELOW and e - s < SQUEEZED_MS * phones[k])
    ]
