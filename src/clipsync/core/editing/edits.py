"""Hand corrections of an article's timings: pure, undoable edit operations.

The state being edited is an :class:`EditState`: the article and its *anchors*, the sentences
whose timing the user has fixed (or declared absent from the recording), which a re-alignment
keeps as they are. An operation (in :mod:`clipsync.core.editing.timing_edits` and
:mod:`clipsync.core.editing.text_edits`) looks at a state and returns a :class:`Change`: the sentences,
quotes and anchor flags it touches, before and after. ``change.apply(state)`` makes the edit and
``change.revert(state)`` undoes it exactly, so an undo stack (the UI wraps changes in
``QUndoCommand``) and a journal replay are both just applying and reverting changes.

Every operation keeps the article loadable: timed sentences stay in reading order without
overlapping, each at least :data:`MIN_SENTENCE_MS` long (and a millisecond per word), inside
the media; words stay inside their sentence and quote parts inside theirs. A boundary moved
onto a neighbour pushes the neighbour's edge; a boundary that touches its neighbour takes the
neighbour's edge along (the two sentences keep meeting there). An edit that cannot be made
raises :class:`EditError` with the reason in words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypeVar

from clipsync.core.descriptions.model import Description, descriptions_of, with_descriptions
from clipsync.core.text.article import Article, Block, Quote, QuotePart, Sentence
from clipsync.core.text.words import WordTimes, fit_words

MIN_SENTENCE_MS = 20
"""The shortest a sentence may be made by an edit (it also needs a millisecond per word)."""


_K = TypeVar("_K")
_V = TypeVar("_V")


class EditError(ValueError):
    """An edit that cannot be made; the message says why, for the user."""


class Edge(StrEnum):
    """Which end of a sentence or word a boundary is."""

    START = "start"
    END = "end"


@dataclass(frozen=True, slots=True)
class Boundary:
    """The start or end of a sentence, or of word ``word`` of it."""

    sentence_id: str
    edge: Edge
    word: int | None = None

    def time_in(self, article: Article) -> int | None:
        """Where this boundary is in ``article`` (``None``: untimed, or no such word)."""
        sentence = article.sentence(self.sentence_id)
        if self.word is None:
            return sentence.start_ms if self.edge is Edge.START else sentence.end_ms
        if not 0 <= self.word < len(sentence.words):
            return None
        w = sentence.words[self.word]
        return w.start_ms if self.edge is Edge.START else w.end_ms


@dataclass(frozen=True)
class EditState:
    """What is being edited: the article, and the ids of the sentences fixed by hand."""

    article: Article
    anchors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Change:
    """One edit as data: what it touches before and after (sentences by id, quotes by index,
    anchor flags by sentence id). ``key`` names what it moved, so that consecutive moves of
    one boundary (a drag) can be merged into one undo step."""

    label: str
    before: Mapping[str, Sentence] = field(default_factory=dict)
    after: Mapping[str, Sentence] = field(default_factory=dict)
    quotes_before: Mapping[int, Quote] = field(default_factory=dict)
    quotes_after: Mapping[int, Quote] = field(default_factory=dict)
    anchors_before: Mapping[str, bool] = field(default_factory=dict)
    anchors_after: Mapping[str, bool] = field(default_factory=dict)
    key: object = None
    #: Described video: descriptions by id before and after (``None``: there is none by that id).
    descriptions_before: Mapping[str, Description | None] = field(default_factory=dict)
    descriptions_after: Mapping[str, Description | None] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when applying it would change nothing."""
        return (
            self.before == self.after
            and self.quotes_before == self.quotes_after
            and self.anchors_before == self.anchors_after
            and self.descriptions_before == self.descriptions_after
        )

    def apply(self, state: EditState) -> EditState:
        """``state`` with this edit made."""
        state = _patch(state, self.after, self.quotes_after, self.anchors_after)
        return _patch_descriptions(state, self.descriptions_after)

    def revert(self, state: EditState) -> EditState:
        """``state`` (as left by :meth:`apply`) with this edit undone."""
        state = _patch(state, self.before, self.quotes_before, self.anchors_before)
        return _patch_descriptions(state, self.descriptions_before)

    def then(self, other: Change) -> Change:
        """One change doing this one and then ``other`` (their undo goes back to before this)."""

        def merged(first: Mapping[_K, _V], second: Mapping[_K, _V]) -> dict[_K, _V]:
            out = dict(second)
            out.update(first)  # the earliest "before" wins
            return out

        return Change(
            self.label,
            merged(self.before, other.before),
            {**self.after, **other.after},
            merged(self.quotes_before, other.quotes_before),
            {**self.quotes_after, **other.quotes_after},
            merged(self.anchors_before, other.anchors_before),
            {**self.anchors_after, **other.anchors_after},
            self.key,
            merged(self.descriptions_before, other.descriptions_before),
            {**self.descriptions_after, **other.descriptions_after},
        )


def _patch_descriptions(state: EditState, descriptions: Mapping[str, Description | None]) -> EditState:
    if not descriptions:
        return state
    kept = {d.id: d for d in descriptions_of(state.article)}
    for did, description in descriptions.items():
        if description is None:
            kept.pop(did, None)
        else:
            kept[did] = description
    return EditState(with_descriptions(state.article, kept.values()), state.anchors)


def _patch(
    state: EditState,
    sentences: Mapping[str, Sentence],
    quotes: Mapping[int, Quote],
    anchors: Mapping[str, bool],
) -> EditState:
    article = state.article
    if sentences:
        blocks = list(article.blocks)
        by_block: dict[int, dict[str, Sentence]] = {}
        for sid, sentence in sentences.items():
            by_block.setdefault(article.ref(sid).block_index, {})[sid] = sentence
        for bi, replaced in by_block.items():
            block = blocks[bi]
            blocks[bi] = Block(block.kind, tuple(replaced.get(s.id, s) for s in block.sentences))
        article = replace(article, blocks=tuple(blocks))
    if quotes:
        article = replace(article, quotes=tuple(quotes.get(i, q) for i, q in enumerate(article.quotes)))
    marks = state.anchors
    if anchors:
        marks = frozenset(
            {sid for sid in marks if anchors.get(sid, True)} | {sid for sid, on in anchors.items() if on}
        )
    return EditState(article, marks)


# Building changes --------------------------------------------------------------------------


class ChangeBuilder:
    """Collects what an operation changes (reading its own changes back), then makes the
    :class:`Change`. Operations in other modules (:mod:`clipsync.core.editing.text_edits`) use it too."""

    def __init__(self, state: EditState) -> None:
        self.state = state
        self.article = state.article
        self.sentences: dict[str, Sentence] = {}
        self.quotes: dict[int, Quote] = {}
        self.anchors: dict[str, bool] = {}

    def sentence(self, sid: str) -> Sentence:
        return self.sentences.get(sid) or self.article.sentence(sid)

    def quote(self, index: int) -> Quote:
        return self.quotes.get(index) or self.article.quotes[index]

    def set_part(self, qi: int, pi: int, part: QuotePart) -> None:
        quote = self.quote(qi)
        parts = list(quote.parts)
        parts[pi] = part
        self.quotes[qi] = replace(quote, parts=tuple(parts))

    def parts_of(self, sid: str) -> list[tuple[int, int, QuotePart]]:
        return [
            (qi, pi, part)
            for qi in range(len(self.article.quotes))
            for pi, part in enumerate(self.quote(qi).parts)
            if part.sentence_id == sid
        ]

    def retime(self, sid: str, start: int, end: int) -> None:
        """Give sentence ``sid`` new bounds; its words and quote parts are kept inside them
        (a first word or part that started with the sentence keeps doing so, likewise ends)."""
        old = self.sentence(sid)
        assert old.start_ms is not None and old.end_ms is not None
        s0, e0 = old.start_ms, old.end_ms
        words = old.words
        if words:
            times = [
                (start if w.start_ms == s0 else w.start_ms, end if w.end_ms == e0 else w.end_ms)
                for w in words
            ]
            spans = [(w.char_start, w.char_end) for w in words]
            words = fit_words(spans, times, start, end)
        self.sentences[sid] = replace(old, start_ms=start, end_ms=end, words=words)
        for qi, pi, part in self.parts_of(sid):
            if part.start_ms is None or part.end_ms is None:
                continue
            ps = start if part.start_ms == s0 else min(max(part.start_ms, start), end - 1)
            pe = end if part.end_ms == e0 else min(max(part.end_ms, ps + 1), end)
            self.set_part(qi, pi, replace(part, start_ms=ps, end_ms=pe))

    def anchor(self, sid: str, on: bool = True) -> None:
        self.anchors[sid] = on

    def change(self, label: str, key: object = None) -> Change:
        article = self.article
        return Change(
            label,
            {sid: article.sentence(sid) for sid in self.sentences},
            dict(self.sentences),
            {qi: article.quotes[qi] for qi in self.quotes},
            dict(self.quotes),
            {sid: sid in self.state.anchors for sid in self.anchors},
            dict(self.anchors),
            key,
        )


def word_columns(words: WordTimes) -> tuple[list[int], list[int], list[int], list[int]]:
    """A sentence's words as four lists: starts, ends, character starts, character ends."""
    starts, ends, char_starts, char_ends = [], [], [], []
    for w in words:
        starts.append(w.start_ms)
        ends.append(w.end_ms)
        char_starts.append(w.char_start)
        char_ends.append(w.char_end)
    return starts, ends, char_starts, char_ends


def min_length(sentence: Sentence) -> int:
    """The shortest ``sentence`` may become: :data:`MIN_SENTENCE_MS`, and 1 ms per word."""
    return max(MIN_SENTENCE_MS, len(sentence.words))


def timed_neighbours(article: Article, sid: str) -> tuple[Sentence | None, Sentence | None]:
    """The timed sentences before and after ``sid`` in reading order (``None``: none)."""
    refs = article.refs
    index = article.ref(sid).index
    before = next((refs[i].sentence for i in range(index - 1, -1, -1) if refs[i].sentence.timed), None)
    after = next((refs[i].sentence for i in range(index + 1, len(refs)) if refs[i].sentence.timed), None)
    return before, after


def boundary_stops(article: Article, sentence_ids: list[str]) -> list[tuple[int, Boundary]]:
    """The boundaries of these timed sentences in time order, one stop where edges meet (a
    sentence's start and its first word's start are one stop; the sentence's edge is kept):
    what "next boundary" walks through.

    >>> from clipsync.core.text.article import Block, BlockKind
    >>> w = WordTimes([0, 400], [400, 900], [0, 4], [3, 9])
    >>> a = Article("t", (Block(BlockKind.PARAGRAPH, (Sentence("a", "One three.", 0, 1000, w),)),))
    >>> [(at, b.edge.value, b.word) for at, b in boundary_stops(a, ["a"])]
    [(0, 'start', None), (400, 'end', 0), (900, 'end', 1), (1000, 'end', None)]
    """
    stops: list[tuple[int, Boundary]] = []
    sentences = sorted((article.sentence(sid) for sid in sentence_ids), key=lambda s: s.start_ms or 0)
    for s in sentences:
        edges = [(s.start_ms or 0, Boundary(s.id, Edge.START))]
        for k, w in enumerate(s.words):
            edges += [(w.start_ms, Boundary(s.id, Edge.START, k)), (w.end_ms, Boundary(s.id, Edge.END, k))]
        end = (s.end_ms or 0, Boundary(s.id, Edge.END))
        for at, boundary in edges:
            if not stops or stops[-1][0] != at or stops[-1][1].sentence_id != s.id:
                stops.append((at, boundary))
        if stops[-1][0] == end[0] and stops[-1][1].sentence_id == s.id:
            stops[-1] = end  # the sentence's end wins over its last word's
        else:
            stops.append(end)
    return stops


def timed_sentence(article: Article, sid: str) -> Sentence:
    """Sentence ``sid``, which must exist and be on the timeline (else :class:`EditError`)."""
    try:
        sentence = article.sentence(sid)
    except KeyError:
        raise EditError(f"there is no sentence {sid!r}") from None
    if not sentence.timed:
        raise EditError("this sentence is marked as not in the recording; bring it back first")
    return sentence


def difference(before: EditState, after: EditState, label: str) -> Change:
    """The change that turns ``before`` into ``after`` (same sentences, quotes in the same order)."""
    old, new = before.article, after.article
    sentences = {s.id: s for s in new.sentences if s != old.sentence(s.id)}
    quotes = {i: q for i, q in enumerate(new.quotes) if q != old.quotes[i]}
    anchors = {sid: sid in after.anchors for sid in before.anchors ^ after.anchors}
    return Change(
        label,
        {sid: old.sentence(sid) for sid in sentences},
        sentences,
        {i: old.quotes[i] for i in quotes},
        quotes,
        {sid: sid in before.anchors for sid in anchors},
        anchors,
    )


Operation = Callable[[EditState], Change]
"""An edit waiting for the state to apply to (what the UI and the tests pass around)."""
