"""How sure the aligner is that a sentence (or a word) is said where it put it.

The forced search reads the text on the sound; a free phone loop (pocketsphinx's allphone
search with its US English phone language model) reads the same sound with no text at all.
Where the text is really said, the forced reading scores almost as well as the free one; where
the text was forced onto sound that says something else, it scores clearly worse. The
confidence is that gap per 10 ms frame, mapped to 0..1 by a logistic curve whose middle is
halfway between the gaps measured for right and for wrong placements (docs/aligner.md,
"Confidence"): on human voices, a line on its own recording was -1.0 to -2.9 (x 1e-3 per
frame) and a line forced onto another line's recording -4.5 to -6.8.

The same measure tells the words a reader left out (:func:`said_words`): the grammar reads
every word of a sentence it keeps, so a word that was not said is squeezed into a few frames,
where it scores badly.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from clipsync.core.alignment.grammar import Timed

SEARCH = "clipsync-phones"
FRAME_MS = 10
#: A word the search gave under this much a phone, with a confidence under NOT_SAID_BELOW, was
#: not said (measured: docs/aligner.md, "Words left out").
SQUEEZED_MS = 55
NOT_SAID_BELOW = 0.4
MIDDLE = -3.7  # gap (x 1e-3 per frame) where the confidence is 0.5
RELATIVE_MIDDLE = -2.5  # gap under the recording's usual one where the confidence is 0.5
SCALE = 0.6  # gap difference that moves the confidence by a factor e in odds
WORD_SCALE = 1.2  # a word has few frames: its gap is noisier, its curve flatter


def phone_decoder() -> Any:
    """A decoder with the free phone loop as its search. Its beams are narrow: the free
    reading only needs a score to compare with (measured: the same gaps as with the default
    beams, within 0.4, in 80 % of the time; with the forced search's 1e-300 it is as slow as
    that search)."""
    import pocketsphinx

    decoder = pocketsphinx.Decoder(
        # No dictionary and no language model: the phone loop needs neither, and loading them
        # is most of a decoder's start-up (0.9 s -> 0.1 s).
        lm=None,
        dict=None,
        dither=True,
        seed=1,
        beam=1e-20,
        pbeam=1e-20,
        wbeam=1e-15,
        maxhmmpf=2000,
        loglevel="ERROR",
    )
    lm = os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us-phone.lm.bin")
    decoder.add_allphone_file(SEARCH, lm)
    decoder.activate_search(SEARCH)
    return decoder


def frame_scores(segments: Iterable[Any], n_frames: int) -> np.ndarray:
    """The acoustic score of a search's segments spread evenly over their 10 ms frames."""
    out = np.zeros(n_frames, np.float64)
    for seg in segments:
        a, b = max(seg.start_frame, 0), min(seg.end_frame + 1, n_frames)
        if b > a:
            out[a:b] = math.log(max(seg.ascore, 1e-300)) / (seg.end_frame + 1 - seg.start_frame)
    return out


def free_scores(decoder: Any, pieces: Iterable[bytes], n_frames: int) -> np.ndarray:
    """Per-frame scores of the free phone loop (:func:`phone_decoder`) over the same sound."""
    decoder.start_utt()
    for piece in pieces:
        decoder.process_raw(piece, False, False)
    decoder.end_utt()
    return frame_scores(decoder.seg() or (), n_frames)


def gap(forced: np.ndarray, free: np.ndarray, a: int, b: int) -> float | None:
    """How much worse the forced reading scores than the free one on frames ``[a, b)``
    (x 1e-3 per frame; 0: as well), or ``None`` for no frames."""
    a, b = max(a, 0), min(b, len(forced), len(free))
    if b <= a:
        return None
    return 1000 * float(np.mean(forced[a:b] - free[a:b]))


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


def rate(found: dict[int, Timed], forced: np.ndarray, free: np.ndarray, offset_frames: int) -> None:
    """Each found sentence's and word's confidence, on the frames the search read it in."""
    frames = {
        i: [(s // FRAME_MS - offset_frames, e // FRAME_MS - offset_frames) for s, e in timed.words]
        for i, timed in found.items()
        if timed.words
    }
    gaps = {i: gap(forced, free, f[0][0], f[-1][1]) for i, f in frames.items()}
    known = [g for g in gaps.values() if g is not None]
    usual = float(np.median(known)) if known else 0.0
    for i, f in frames.items():
        found[i].confidence = confidence(gaps[i], usual)
        found[i].word_confidence = [
            confidence(gap(forced, free, a, b), usual, scale=WORD_SCALE) for a, b in f
        ]


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
