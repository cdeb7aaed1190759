"""What a caption shows when: timed caption pages and the caption track.

Pure (no Qt): :func:`timed_pages` times the pages of a sentence (see
:mod:`clipsync.core.captions.caption_lines`), and :class:`CaptionTrack` answers "what caption is on
screen at this position?" for the three presentations (pop-on, roll-up, paint-on) in O(log n),
as it is asked at every painted frame. The style they are drawn in is
:mod:`clipsync.core.captions.caption_style`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from clipsync.core.captions.caption_lines import MAX_LINE_CHARS, MAX_LINES, Token, page_spans, tokenize
from clipsync.core.text.article import Article, Sentence
from clipsync.core.text.lookup import TranscriptIndex

# Timed pages and the caption track ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaptionLine:
    """One caption line, its time ``[start_ms, end_ms)`` and its characters in the sentence."""

    text: str
    start_ms: int
    end_ms: int
    char_start: int
    char_end: int
    words: tuple[Token, ...]
    #: When each of ``words`` is said (from the sentence's word times); empty without them.
    reveal_ms: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class CaptionPage:
    """Up to two lines shown together, for their share of the sentence's time."""

    lines: tuple[CaptionLine, ...]
    speaker: str | None

    @property
    def start_ms(self) -> int:
        return self.lines[0].start_ms

    @property
    def end_ms(self) -> int:
        return self.lines[-1].end_ms

    @property
    def text_lines(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines)


@dataclass(frozen=True, slots=True)
class CaptionFrame:
    """What the caption shows at one moment.

    ``lines`` are drawn as given (plain text). ``speaker`` is the quoted person's name when the
    lines are their words (the lines of a frame are one voice's: see :func:`voice_runs`).
    ``layout_lines``, when set, are the full lines the shown text is growing into (paint-on):
    the painter places text where the full line would sit, so words are painted in place and
    never shift.
    """

    lines: tuple[str, ...]
    speaker: str | None = None
    layout_lines: tuple[str, ...] = ()


def timed_pages(
    sentence: Sentence,
    quotes: Sequence[tuple[int, int, str]] = (),
    max_chars: int = MAX_LINE_CHARS,
    max_lines: int = MAX_LINES,
) -> list[CaptionPage]:
    """The caption pages of a timed sentence.

    With word times a line starts when its first word is said (the sentence's first line at
    the sentence's start) and lasts until the next line starts; without them each line is
    timed for its share of the characters. ``quotes`` are ``(char_start, char_end, speaker name)``
    ranges of the sentence: a page holds the words of one voice only (see :func:`voice_runs`), a
    quote's with its speaker's name, narration without one.

    >>> s = Sentence("s", "One two three, four five six seven eight nine ten.", 1000, 2000)
    >>> [(p.start_ms, p.end_ms, p.text_lines) for p in timed_pages(s, max_chars=20, max_lines=1)]
    [(1000, 1294, ('One two three,',)), (1294, 1686, ('four five six seven',)), (1686, 2000, ('eight nine ten.',))]
    """
    if sentence.start_ms is None or sentence.end_ms is None:
        return []
    tokens = tokenize(sentence.text)
    spans: list[list[tuple[int, int]]] = []
    speakers: list[str | None] = []
    for first, end, speaker in voice_runs(tokens, quotes):  # a page holds one voice's words
        for lines in page_spans([t.text for t in tokens[first:end]], max_chars, max_lines):
            spans.append([(first + a, first + b) for a, b in lines])
            speakers.append(speaker)
    if sentence.words:
        return _pages_by_words(sentence, tokens, spans, speakers)
    # Each line is weighted by its characters plus the space after it.
    weights = [(tokens[b - 1].end - tokens[a].start + 1) for lines in spans for a, b in lines]
    total = sum(weights) or 1
    duration = sentence.end_ms - sentence.start_ms
    pages: list[CaptionPage] = []
    done = 0
    index = 0
    for lines in spans:
        caption_lines = []
        for a, b in lines:
            start = sentence.start_ms + duration * done // total
            done += weights[index]
            index += 1
            end = sentence.start_ms + duration * done // total
            words = tuple(tokens[a:b])
            caption_lines.append(
                CaptionLine(" ".join(t.text for t in words), start, end, words[0].start, words[-1].end, words)
            )
        pages.append(CaptionPage(tuple(caption_lines), speakers[len(pages)]))
    return pages


def _pages_by_words(
    sentence: Sentence,
    tokens: list[Token],
    spans: list[list[tuple[int, int]]],
    speakers: list[str | None],
) -> list[CaptionPage]:
    """Pages whose lines start when their first word is said (see :func:`timed_pages`)."""
    assert sentence.start_ms is not None and sentence.end_ms is not None
    reveal = token_times(sentence, tokens)
    starts = [
        sentence.start_ms if k == 0 else reveal[a] for k, (a, _) in enumerate(x for p in spans for x in p)
    ]
    ends = [*starts[1:], sentence.end_ms]
    pages: list[CaptionPage] = []
    index = 0
    for lines in spans:
        caption_lines = []
        for a, b in lines:
            words = tuple(tokens[a:b])
            shown = tuple(max(reveal[k], starts[index]) for k in range(a, b))
            caption_lines.append(
                CaptionLine(
                    " ".join(t.text for t in words),
                    starts[index],
                    ends[index],
                    words[0].start,
                    words[-1].end,
                    words,
                    shown,
                )
            )
            index += 1
        pages.append(CaptionPage(tuple(caption_lines), speakers[len(pages)]))
    return pages


def token_times(sentence: Sentence, tokens: Sequence[Token]) -> list[int]:
    """When each caption token (a run of non-space characters) of ``sentence`` is said: when
    the first timed word inside it starts (a word never holds a space, so it lies inside one
    token). A token without a word (a lone dash) comes with the next word; at the very end,
    with the last one.

    >>> from clipsync.core.text.words import WordTimes
    >>> s = Sentence("s", "“Not now,” — she said. —", 0, 900, WordTimes([100, 300, 600, 750], [280, 500, 740, 900], [1, 5, 13, 17], [4, 8, 16, 21]))
    >>> token_times(s, tokenize(s.text))
    [100, 300, 600, 600, 750, 750]
    """
    words = sentence.words
    own: list[int | None] = []
    for token in tokens:
        k = words.index_from_char(token.start)
        own.append(words[k].start_ms if k < len(words) and words[k].char_start < token.end else None)
    out = [0] * len(tokens)
    following = next((t for t in reversed(own) if t is not None), sentence.start_ms or 0)
    for i in range(len(tokens) - 1, -1, -1):
        mine = own[i]
        following = mine if mine is not None else following
        out[i] = following
    return out


def voice_runs(
    tokens: Sequence[Token], quotes: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int, str | None]]:
    """The tokens in runs of one voice: ``(first, end, speaker)``, ``None`` for narration.

    A token is a speaker's when most of its characters are inside that speaker's quote (the
    quotation marks around a quote are outside it), so a caption breaks where a quote starts
    and ends and its speaker's label stands only over the speaker's own words (as the DCMP
    Captioning Key asks: a new caption for a new speaker).

    >>> text = "He said east Aleppo has descended “into the abyss.”"
    >>> quote = (text.index("into"), len(text) - 1, "Stephen O’Brien")
    >>> [(a, b, who) for a, b, who in voice_runs(tokenize(text), [quote])]
    [(0, 6, None), (6, 9, 'Stephen O’Brien')]
    """
    voices: list[str | None] = []
    for token in tokens:
        voice, most = None, 0
        for start, end, name in quotes:
            inside = max(0, min(token.end, end) - max(token.start, start))
            if inside > most:
                voice, most = name, inside
        voices.append(voice if most * 2 > token.end - token.start else None)
    runs: list[tuple[int, int, str | None]] = []
    for k, voice in enumerate(voices):
        if runs and runs[-1][2] == voice:
            runs[-1] = (runs[-1][0], k + 1, voice)
        else:
            runs.append((k, k + 1, voice))
    return runs


class CaptionTrack:
    """Position -> caption frame for one article, in any presentation.

    Pages are worked out per sentence the first time it is shown and kept; each call is a
    binary search for the sentence (via :class:`TranscriptIndex`) and one for the line.
    """

    #: In roll-up, the previous sentence's last line stays above the new one if it ended
    #: less than this long before.
    ROLL_UP_GAP_MS: Final = 3000

    def __init__(
        self,
        article: Article,
        max_chars: int = MAX_LINE_CHARS,
        max_lines: int = MAX_LINES,
        index: TranscriptIndex | None = None,
    ) -> None:
        self.article = article
        # The player's index of the same article can be shared (it takes 40 ms to build for
        # 30,000 sentences).
        self.index = index if index is not None and index.article is article else TranscriptIndex(article)
        self.max_chars = max_chars
        self.max_lines = max_lines
        self._pages: dict[str, tuple[list[CaptionPage], list[int], list[CaptionLine], list[int]]] = {}

    def pages(self, sentence: Sentence) -> list[CaptionPage]:
        """The timed caption pages of ``sentence`` (empty when it is not timed)."""
        return self._entry(sentence)[0]

    def _entry(self, sentence: Sentence) -> tuple[list[CaptionPage], list[int], list[CaptionLine], list[int]]:
        entry = self._pages.get(sentence.id)
        if entry is None:
            quotes = [
                (p.char_start, p.char_end, q.speaker.name) for q, p in self.article.quotes_in(sentence.id)
            ]
            pages = timed_pages(sentence, quotes, self.max_chars, self.max_lines)
            lines = [line for page in pages for line in page.lines]
            entry = (pages, [p.start_ms for p in pages], lines, [line.start_ms for line in lines])
            self._pages[sentence.id] = entry
        return entry

    def frame_at(self, position_ms: int, presentation: str = "pop_on") -> CaptionFrame | None:
        """The caption on screen at ``position_ms`` (``None`` between sentences)."""
        now = self.index.at(position_ms)
        if now.ref is None:
            return None
        pages, page_starts, lines, line_starts = self._entry(now.ref.sentence)
        if not pages:
            return None
        p = max(0, bisect_right(page_starts, position_ms) - 1)
        page = pages[p]
        if presentation == "roll_up":
            return self._roll_up(now.ref.index, lines, line_starts, pages, position_ms)
        if presentation == "paint_on":
            return _paint_on(page, position_ms)
        return CaptionFrame(page.text_lines, page.speaker)

    def _roll_up(
        self,
        ref_index: int,
        lines: list[CaptionLine],
        line_starts: list[int],
        pages: list[CaptionPage],
        position_ms: int,
    ) -> CaptionFrame:
        i = max(0, bisect_right(line_starts, position_ms) - 1)
        current = lines[i]
        speaker = _voice_of(current, pages)
        above: CaptionLine | None
        if i > 0:
            above, above_voice = lines[i - 1], _voice_of(lines[i - 1], pages)
        else:
            above, above_voice = self._previous_line(ref_index, current.start_ms)
        if above_voice != speaker:
            above = None  # another voice: a new speaker starts a new caption
        full = (above.text, current.text) if above is not None else (current.text,)
        if not current.reveal_ms:
            return CaptionFrame(full[-self.max_lines :], speaker)
        # With word times the bottom line fills in word by word, in place.
        said = [t.text for t, at in zip(current.words, current.reveal_ms, strict=True) if at <= position_ms]
        shown = (*full[:-1], " ".join(said or [current.words[0].text]))
        return CaptionFrame(shown[-self.max_lines :], speaker, full[-self.max_lines :])

    def _previous_line(self, ref_index: int, start_ms: int) -> tuple[CaptionLine | None, str | None]:
        """The last line of the sentence said before sentence ``ref_index``, if it was just
        said, and its voice."""
        refs = self.index.timed_refs
        k = self.index.sentence_index_at_or_before(start_ms) - 1
        if k < 0:
            return None, None
        sentence = refs[k].sentence
        if (
            refs[k].index == ref_index
            or sentence.end_ms is None
            or start_ms - sentence.end_ms > self.ROLL_UP_GAP_MS
        ):
            return None, None
        pages = self._entry(sentence)[0]
        return (pages[-1].lines[-1], pages[-1].speaker) if pages else (None, None)


def _voice_of(line: CaptionLine, pages: list[CaptionPage]) -> str | None:
    return next((p.speaker for p in pages if line in p.lines), None)


def _paint_on(page: CaptionPage, position_ms: int) -> CaptionFrame:
    """The page with its words revealed as they are said.

    With word times a word appears when it starts; without them, when the share of the page's
    time that has passed reaches the share of the page's characters before it. The first word
    shows as soon as the page starts.
    """
    duration = max(1, page.end_ms - page.start_ms)
    first = page.lines[0].char_start
    total = max(1, page.lines[-1].char_end - first)
    reached = (position_ms - page.start_ms) / duration * total
    shown = []
    for i, line in enumerate(page.lines):
        if line.reveal_ms:  # word times: each word when it is said
            words = [t.text for t, at in zip(line.words, line.reveal_ms, strict=True) if at <= position_ms]
            if i == 0 and not words:
                words = [line.words[0].text]
        else:
            words = [t.text for t in line.words if t.start - first <= reached]
        if not words:
            break
        shown.append(" ".join(words))
    return CaptionFrame(tuple(shown), page.speaker, page.text_lines)
