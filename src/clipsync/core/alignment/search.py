"""How a window of sound is read: the forced search of the window's sentences, the second
reading of a sentence with words added (``adlib.py``), and the rating of what was read
(``confidence.py``).

The forced search keeps every beam at 1e-300 (docs/aligner.md, "Settings"): narrower beams were
measured and rejected. At 1e-150 the search took two thirds of the time and every figure of the
compositions of human voices stayed the same, but a line read with two words added, under a
noise bed, was read as another line of the text (confidence 0.09); at 1e-180 that line was
skipped; at 1e-100 whole windows lost the end of their grammar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from clipsync.core.alignment import adlib, confidence, grammar
from clipsync.core.alignment.grammar import Plan, Timed
from clipsync.core.text.article import Sentence

PIECE = 32000  # samples fed to a decoder at once: cancel and GIL checkpoints
FRAME_MS = confidence.FRAME_MS  # the recogniser's frame
FRAME_SAMPLES = 160  # 10 ms at 16 kHz
Seg = tuple[str, int, int]  # a word (or loop phone, or silence) read, with its start and end (ms)


class Searches:
    """The decoder of one alignment, with the article's words in its dictionary."""

    def __init__(self, sentences: Sequence[Sentence]) -> None:
        self.forced = grammar.decoder()
        self.plan: Plan = grammar.prepare(self.forced, sentences)

    def read(
        self,
        buf: np.ndarray,
        indices: Sequence[int],
        name: str,
        *,
        cut: bool,
        offset_ms: int,
        checkpoint: Callable[[int], None],
    ) -> tuple[list[Seg], dict[int, Timed]]:
        """Read the sentences ``indices`` (:func:`grammar.activate_grammar`) on ``buf``, which
        starts at ``offset_ms``: the search's segments and the sentences found, rated.
        ``checkpoint`` is called with the samples read so far before each piece (it may raise
        to cancel)."""
        decoder = self.forced
        grammar.activate_grammar(decoder, self.plan, indices, name, cut=cut)
        decoder.start_utt()
        try:
            for p in range(0, len(buf), PIECE):
                checkpoint(p)
                decoder.process_raw(buf[p : p + PIECE].tobytes(), False, False)
        finally:
            decoder.end_utt()
        raw = list(decoder.seg() or ())
        decoder.remove_search(name)
        segs = [
            (s.word, offset_ms + s.start_frame * FRAME_MS, offset_ms + (s.end_frame + 1) * FRAME_MS)
            for s in raw
        ]
        found = grammar.match(self.plan, indices, segs)
        adlib.reread_stretched(decoder, self.plan, found, buf, offset_ms, name)
        if found:
            n_frames = len(buf) // FRAME_SAMPLES + 1
            confidence.rate(found, confidence.frame_scores(raw, n_frames), offset_ms // FRAME_MS)
        return segs, found
