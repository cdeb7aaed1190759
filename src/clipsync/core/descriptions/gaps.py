"""Where nobody speaks: the gaps in the speech, from the article's sentence and word times.

Speech is every timed word (or, for a sentence without word times, the whole sentence). The
pauses between words inside a sentence are short (0.15 to 0.3 s in the bundled clip): a
description never starts in one, so only silences of at least :data:`MIN_GAP_MS` count as gaps.
The last gap runs to the media's end (or on without end when the length is unknown).
"""

from __future__ import annotations

from dataclasses import dataclass

from clipsync.core.text.article import Article

#: The shortest silence a description may be spoken in.
MIN_GAP_MS = 500
#: No end: the media's length is not known.
OPEN_END = 2**62


@dataclass(frozen=True, slots=True)
class Gap:
    """Silence from ``start_ms`` (inclusive) to ``end_ms`` (exclusive), media time."""

    start_ms: int
    end_ms: int

    @property
    def length_ms(self) -> int:
        return self.end_ms - self.start_ms

    def __contains__(self, position_ms: object) -> bool:
        return isinstance(position_ms, int) and self.start_ms <= position_ms < self.end_ms


def speech(article: Article) -> list[tuple[int, int]]:
    """The times someone speaks, merged and in order: ``[(start_ms, end_ms), ...]``."""
    spans: list[tuple[int, int]] = []
    for sentence in article.sentences:
        if sentence.start_ms is None or sentence.end_ms is None:
            continue
        if sentence.words:
            spans.extend((w.start_ms, w.end_ms) for w in sentence.words)
        else:
            spans.append((sentence.start_ms, sentence.end_ms))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def speech_gaps(article: Article, length_ms: int | None = None, *, min_gap_ms: int = MIN_GAP_MS) -> list[Gap]:
    """The silences of at least ``min_gap_ms`` in ``article``'s speech, up to ``length_ms``.

    >>> from clipsync.core.text.article import Block, BlockKind, Sentence
    >>> a = Article("t", (Block(BlockKind.PARAGRAPH, (Sentence("a", "One.", 1000, 2000), Sentence("b", "Two.", 2300, 3000))),))
    >>> speech_gaps(a, 5000)
    [Gap(start_ms=0, end_ms=1000), Gap(start_ms=3000, end_ms=5000)]
    """
    end_of_media = length_ms if length_ms is not None and length_ms > 0 else OPEN_END
    gaps = []
    cursor = 0
    for start, end in speech(article):
        if start - cursor >= min_gap_ms:
            gaps.append(Gap(cursor, start))
        cursor = max(cursor, end)
    if end_of_media - cursor >= min_gap_ms:
        gaps.append(Gap(cursor, end_of_media))
    return gaps


def is_speech(spans: list[tuple[int, int]], start_ms: float, end_ms: float) -> bool:
    """Whether any speech overlaps ``[start_ms, end_ms)`` (for checks and benchmarks)."""
    return any(s < end_ms and start_ms < e for s, e in spans)
