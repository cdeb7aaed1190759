"""The article model: blocks of sentences, speakers, and quotes made of parts.

A *quote part* is a span of characters inside one sentence; a quote interrupted by its
attribution ("...," he said, "...") or running over several sentences is one quote with
several parts. Times are integer milliseconds; ``None`` means "not aligned" (text that is not
in the recording). A timed sentence (and each of its words) may carry the aligner's
*confidence*, 0 to 1; which sentences need a person's review is in :mod:`clipsync.core.text.review`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from clipsync.core.text.words import NO_WORDS, WordTimes


class BlockKind(StrEnum):
    """What a block of the article is, which decides how it is shown."""

    HEADLINE = "headline"
    STANDFIRST = "standfirst"
    IMAGE_CAPTION = "image_caption"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    #: Lines of verse, or a transcript with one utterance a line: each sentence is a line of
    #: its own, shown on its own line (format version 2).
    LINES = "lines"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence; ``start_ms``/``end_ms`` are ``None`` when it is not in the recording.

    ``words`` are its timed words, when the sync document has them (format version 2).
    ``confidence`` is how sure the aligner is that the sentence is said at these times, from 0
    to 1; ``None`` when unknown (made by hand, an older document, times set by other means).
    Each word's confidence goes with the word times (:attr:`word_confidence`).
    """

    id: str
    text: str
    start_ms: int | None = None
    end_ms: int | None = None
    words: WordTimes = NO_WORDS
    confidence: float | None = None

    @property
    def timed(self) -> bool:
        return self.start_ms is not None and self.end_ms is not None

    @property
    def word_confidence(self) -> tuple[float, ...]:
        """How sure the aligner is of each word (0 to 1, one a word), or empty when unknown:
        :attr:`WordTimes.confidence` of :attr:`words` (new word times come without it)."""
        return self.words.confidence


@dataclass(frozen=True, slots=True)
class Block:
    """A headline, standfirst, image caption or paragraph: a run of sentences."""

    kind: BlockKind
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class Speaker:
    id: str
    name: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class QuotePart:
    """The characters ``[char_start, char_end)`` of one sentence, and when they are said."""

    sentence_id: str
    char_start: int
    char_end: int
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote: who said it and the parts it is made of, in reading order."""

    id: str
    speaker: Speaker
    parts: tuple[QuotePart, ...]

    @property
    def start_ms(self) -> int | None:
        starts = [p.start_ms for p in self.parts if p.start_ms is not None]
        return min(starts) if starts else None

    @property
    def end_ms(self) -> int | None:
        ends = [p.end_ms for p in self.parts if p.end_ms is not None]
        return max(ends) if ends else None


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """Where a sentence sits: its block, its index in the block and in the whole article."""

    sentence: Sentence
    block_index: int
    index: int


@dataclass(frozen=True)
class Article:
    """A whole text with its timings: what a sync document holds."""

    title: str
    blocks: tuple[Block, ...]
    speakers: tuple[Speaker, ...] = ()
    quotes: tuple[Quote, ...] = ()
    language: str = "en"
    media_file: str | None = None
    duration_ms: int | None = None
    source: str = ""
    _refs: tuple[SentenceRef, ...] = field(init=False, repr=False, compare=False)
    _by_id: dict[str, SentenceRef] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        refs: list[SentenceRef] = []
        for block_index, block in enumerate(self.blocks):
            for sentence in block.sentences:
                refs.append(SentenceRef(sentence, block_index, len(refs)))
        object.__setattr__(self, "_refs", tuple(refs))
        object.__setattr__(self, "_by_id", {r.sentence.id: r for r in refs})

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """Every sentence in reading order."""
        return tuple(r.sentence for r in self._refs)

    @property
    def refs(self) -> tuple[SentenceRef, ...]:
        return self._refs

    def ref(self, sentence_id: str) -> SentenceRef:
        return self._by_id[sentence_id]

    def sentence(self, sentence_id: str) -> Sentence:
        return self._by_id[sentence_id].sentence

    def speaker(self, speaker_id: str) -> Speaker:
        for speaker in self.speakers:
            if speaker.id == speaker_id:
                return speaker
        raise KeyError(speaker_id)

    def quote_parts(self) -> Iterator[tuple[Quote, QuotePart]]:
        for quote in self.quotes:
            for part in quote.parts:
                yield quote, part

    def quotes_in(self, sentence_id: str) -> list[tuple[Quote, QuotePart]]:
        return [(q, p) for q, p in self.quote_parts() if p.sentence_id == sentence_id]

    def body_sentences(self) -> list[Sentence]:
        return [
            s for b in self.blocks if b.kind in (BlockKind.PARAGRAPH, BlockKind.LINES) for s in b.sentences
        ]

    def with_times(
        self,
        sentence_times: dict[str, tuple[int, int] | None],
        part_times: Sequence[tuple[int, int] | None] = (),
        duration_ms: int | None = None,
        word_times: Mapping[str, WordTimes] | None = None,
        confidence: Mapping[str, float | None] | None = None,
    ) -> Article:
        """A copy with new sentence times (by id), quote-part times (in ``quote_parts`` order),
        word times (by sentence id, with their confidences if the words carry them) and
        sentence confidences (by id, 0 to 1, ``None``: unknown).

        A sentence whose times change and that gets no new words loses its word times, and one
        that gets no new confidence loses its confidence (they were for the old times).
        """
        word_times = word_times or {}
        confidence = confidence or {}

        def timed(s: Sentence) -> Sentence:
            t = sentence_times.get(s.id, (s.start_ms, s.end_ms))
            same = t == (s.start_ms, s.end_ms) or (t is None and not s.timed)
            sure = confidence.get(s.id, s.confidence if same else None)
            if t is None:
                return replace(s, start_ms=None, end_ms=None, words=NO_WORDS, confidence=sure)
            kept = s.words if same else NO_WORDS
            return replace(s, start_ms=t[0], end_ms=t[1], words=word_times.get(s.id, kept), confidence=sure)

        blocks = tuple(Block(b.kind, tuple(timed(s) for s in b.sentences)) for b in self.blocks)
        times = iter(part_times)
        quotes = []
        for quote in self.quotes:
            parts = []
            for part in quote.parts:
                t = next(times, (part.start_ms, part.end_ms))
                start, end = t if t is not None else (None, None)
                parts.append(replace(part, start_ms=start, end_ms=end))
            quotes.append(replace(quote, parts=tuple(parts)))
        return replace(
            self,
            blocks=blocks,
            quotes=tuple(quotes),
            duration_ms=self.duration_ms if duration_ms is None else duration_ms,
        )
