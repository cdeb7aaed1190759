"""What is being said now: the one answer every view asks for.

A sentence owns the half-open interval ``[start_ms, end_ms)``: a position equal to its start
belongs to it, a position equal to its end does not, and a gap between sentences belongs to
none. Lookups are a binary search, O(log n) in the number of sentences; a word is found by a
second binary search inside its sentence (words never cross a sentence's bounds).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from clipsync.core.text.article import Article, Quote, QuotePart, SentenceRef


@dataclass(frozen=True, slots=True)
class Now:
    """The answer for one position: the sentence, its paragraph, and the quote, if any."""

    ref: SentenceRef | None = None
    quote: Quote | None = None
    part: QuotePart | None = None

    @property
    def sentence_id(self) -> str | None:
        return self.ref.sentence.id if self.ref else None

    @property
    def block_index(self) -> int | None:
        return self.ref.block_index if self.ref else None


_NOTHING = Now()


class TranscriptIndex:
    """Position -> current sentence, block and quote, for one article.

    The article's timed sentences must not overlap (the sync-document loader checks this);
    untimed sentences are never current.
    """

    def __init__(self, article: Article) -> None:
        self.article = article
        timed = sorted(
            (r for r in article.refs if r.sentence.timed),
            key=lambda r: r.sentence.start_ms or 0,
        )
        self._refs = timed
        self._starts = [r.sentence.start_ms or 0 for r in timed]
        self._ends = [r.sentence.end_ms or 0 for r in timed]
        parts = sorted(
            (
                (p.start_ms, p.end_ms, q, p)
                for q, p in article.quote_parts()
                if p.start_ms is not None and p.end_ms is not None
            ),
            key=lambda item: item[0],
        )
        self._parts = parts
        self._part_starts = [p[0] for p in parts]
        self._quote_order = sorted(
            (q for q in article.quotes if q.start_ms is not None),
            key=lambda q: q.start_ms or 0,
        )

    def at(self, position_ms: int) -> Now:
        """The sentence and quote being said at ``position_ms`` (``Now()`` in a gap)."""
        i = bisect_right(self._starts, position_ms) - 1
        if i < 0 or position_ms >= self._ends[i]:
            return _NOTHING
        ref = self._refs[i]
        j = bisect_right(self._part_starts, position_ms) - 1
        quote = part = None
        if j >= 0:
            _start, end, q, p = self._parts[j]
            if position_ms < end:
                quote, part = q, p
        return Now(ref, quote, part)

    def word_at(self, position_ms: int, *, strict: bool = False) -> tuple[SentenceRef, int] | None:
        """The sentence being said and the index of its word at ``position_ms``, or ``None``.

        The word is the last one started by ``position_ms`` (in a pause between two words, the
        one just said); with ``strict`` only a word whose own time holds the position counts.
        ``None`` between sentences, before a sentence's first word and in a sentence without
        word times. Two binary searches: O(log n) in sentences and words.
        """
        i = bisect_right(self._starts, position_ms) - 1
        if i < 0 or position_ms >= self._ends[i]:
            return None
        ref = self._refs[i]
        words = ref.sentence.words
        k = words.index_said_at(position_ms) if strict else words.index_at(position_ms)
        return (ref, k) if k >= 0 else None

    def sentence_index_at_or_before(self, position_ms: int) -> int:
        """Index into the timed sentences of the last one started by ``position_ms`` (-1: none)."""
        return bisect_right(self._starts, position_ms) - 1

    @property
    def timed_refs(self) -> list[SentenceRef]:
        return self._refs

    def quotes_in_time_order(self) -> list[Quote]:
        return self._quote_order

    def next_quote(self, position_ms: int, *, tolerance_ms: int = 250) -> Quote | None:
        """The first quote starting after ``position_ms`` (a quote just started is skipped)."""
        for quote in self._quote_order:
            if (quote.start_ms or 0) > position_ms + tolerance_ms:
                return quote
        return None

    def previous_quote(self, position_ms: int, *, tolerance_ms: int = 1500) -> Quote | None:
        """The quote before the current one; within ``tolerance_ms`` of a start goes one further.

        As with "previous track": pressing it just after a quote started goes to the one before.
        """
        found = None
        for quote in self._quote_order:
            if (quote.start_ms or 0) < position_ms - tolerance_ms:
                found = quote
        return found
