"""Words a reader adds inside a sentence (an ad-lib): the sentence is read again with a loop of
phones possible between its words, so that no word of the text is stretched over them.

The window's grammar has the phone loop only between sentences (inside every sentence it would
cost about twice the time). A sentence read with words added is first read with a neighbouring
word stretched over them, or with the words after them squeezed: a word far longer than its
sounds allow (``STRETCH_MS_PER_PHONE``) is the sign. Only such a sentence is read again, on its
own stretch of sound (with ``MARGIN_MS`` either side, inside its neighbours): the words of the
text, in order and all required, with the loop possible before and after them and on either
side of each stretched word: added speech lies next to the word that was stretched over it. A
loop between every two words found the same added speech (docs/aligner.md) at 1.3-1.5 times the
cost. The loop's prior between words is that of speech in no sentence before a sentence.

Measured on LibriVox lines with two of the reader's own words spliced in (docs/aligner.md,
"Words left out, words added").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from clipsync.core.alignment.audio import RATE
from clipsync.core.alignment.grammar import Plan, Timed, Token, Transition, garbage, is_garbage

STRETCH_MS_PER_PHONE = 150  # a word said this slowly, per sound, is taken over something else
STRETCH_MIN_MS = 300  # ... and at least this long (a drawn-out short word at a line end is not)
MARGIN_MS = 400
ADDED_MIN_MS = 150  # phones read between the words: less is no ad-lib, the first reading stays
_PIECE = 4096
FRAME_MS = 10


def stretched(timed: Timed, phones: Sequence[int]) -> list[int]:
    """The words of the sentence that last longer than their sounds allow (see the module)."""
    return [
        k
        for k, ((s, e), n) in enumerate(zip(timed.words, phones, strict=False))
        if e - s > max(STRETCH_MIN_MS, STRETCH_MS_PER_PHONE * n)
    ]


def reread(
    decoder: Any,
    tokens: Sequence[Token],
    samples: np.ndarray,
    offset_ms: int,
    name: str,
    around: Sequence[int],
) -> Timed | None:
    """Read one sentence (its ``tokens``, all required) on ``samples``, which start at
    ``offset_ms``, with a phone loop possible before and after it, and on either side of each
    word of ``around``; its times, or None when the search fails or reads no
    speech between the words (``ADDED_MIN_MS``)."""
    transitions: list[Transition] = []
    state = garbage(transitions, 0)
    for n, tok in enumerate(tokens):
        if n and (n in around or n - 1 in around):
            state = garbage(transitions, state)
        transitions.append((state, state + 1, 1.0, tok.key))
        state += 1
    state = garbage(transitions, state)
    decoder.add_fsg(name, decoder.create_fsg(name, 0, state, transitions))
    decoder.activate_search(name)
    try:
        decoder.start_utt()
        for p in range(0, len(samples), _PIECE):
            decoder.process_raw(samples[p : p + _PIECE].tobytes(), False, False)
        decoder.end_utt()
        segs = [
            (seg.word, offset_ms + seg.start_frame * FRAME_MS, offset_ms + (seg.end_frame + 1) * FRAME_MS)
            for seg in decoder.seg() or ()
        ]
    finally:
        decoder.remove_search(name)
    words = [(s, e) for w, s, e in segs if not (w.startswith(("<", "[")) or w == "(NULL)")]
    if len(words) != len(tokens):
        return None
    inside = sum(e - s for w, s, e in segs if is_garbage(w) and words[0][0] <= s and e <= words[-1][1])
    if inside < ADDED_MIN_MS:
        return None  # nothing was added: the word was only said slowly, or held a pause
    return Timed(words[0][0], words[-1][1], words)


def stretch_of(timed: Timed, lo_ms: int, hi_ms: int, buf_offset_ms: int, buf_len: int) -> tuple[int, int]:
    """The samples ``[a, b)`` of the window's buffer to read the sentence again on: its time
    with ``MARGIN_MS`` either side, inside ``lo_ms`` and ``hi_ms`` (its neighbours)."""
    start = max(timed.start - MARGIN_MS, lo_ms, buf_offset_ms)
    end = min(timed.end + MARGIN_MS, hi_ms)
    a = (start - buf_offset_ms) // FRAME_MS * FRAME_MS * RATE // 1000
    b = min(buf_len, (end - buf_offset_ms) * RATE // 1000)
    return a, b


def reread_stretched(
    decoder: Any, plan: Plan, found: dict[int, Timed], buf: np.ndarray, offset_ms: int, name: str
) -> None:
    """Read again each sentence of ``found`` (the window's, whose sound ``buf`` starts at
    ``offset_ms``) that has a stretched word, and take its new times when the search succeeds."""
    order = sorted(found)
    for k, i in enumerate(order):
        timed = found[i]
        words = stretched(timed, plan.token_phones[i])
        if not words:
            continue
        lo = found[order[k - 1]].end if k else offset_ms
        hi = found[order[k + 1]].start if k + 1 < len(order) else offset_ms + len(buf) * 1000 // RATE
        a, b = stretch_of(timed, lo, hi, offset_ms, len(buf))
        again = reread(
            decoder,
            plan.tokens[i],
            buf[a:b],
            offset_ms + a * 1000 // RATE,
            f"{name}-{i}",
            around=words,
        )
        if again is not None:
            timed.start, timed.end, timed.words = again.start, again.end, again.words
