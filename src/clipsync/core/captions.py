"""Captions over the video: the caption style a viewer sets, and what a caption shows when.

Everything here is pure (no Qt): :class:`CaptionStyle` holds the FCC 79.103 display settings,
:func:`break_into_pages` splits a sentence into caption pages of at most two short lines at
natural breaks, and :class:`CaptionTrack` answers "what caption is on screen at this position?"
for the three presentations (pop-on, roll-up, paint-on) in O(log n), as it is asked at every
painted frame.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Final

from clipsync.core.article import Article, Sentence
from clipsync.core.lookup import TranscriptIndex

PRESENTATIONS: Final = ("pop_on", "roll_up", "paint_on")
FONT_FAMILIES: Final = ("mono_serif", "serif", "mono_sans", "sans", "casual", "cursive", "small_caps")
EDGES: Final = ("none", "raised", "depressed", "uniform", "drop_shadow")
POSITIONS: Final = ("bottom", "top")

#: What each setting value is called in the user interface.
LABELS: Final[dict[str, str]] = {
    "pop_on": "Pop-on",
    "roll_up": "Roll-up",
    "paint_on": "Paint-on",
    "mono_serif": "Monospaced serif",
    "serif": "Proportional serif",
    "mono_sans": "Monospaced sans-serif",
    "sans": "Proportional sans-serif",
    "casual": "Casual",
    "cursive": "Cursive",
    "small_caps": "Small capitals",
    "none": "None",
    "raised": "Raised",
    "depressed": "Depressed",
    "uniform": "Uniform (outline)",
    "drop_shadow": "Drop shadow",
    "bottom": "Bottom",
    "top": "Top",
}

#: The eight caption colours every player offers (as YouTube does), by name.
STANDARD_COLORS: Final[dict[str, str]] = {
    "White": "#ffffff",
    "Yellow": "#ffff00",
    "Green": "#00ff00",
    "Cyan": "#00ffff",
    "Blue": "#0000ff",
    "Magenta": "#ff00ff",
    "Red": "#ff0000",
    "Black": "#000000",
}

SIZE_MIN_PCT: Final = 50
SIZE_MAX_PCT: Final = 200
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class CaptionStyle:
    """How captions look: the settings FCC 47 CFR 79.103(c) says a viewer must be able to change.

    Colours are ``#rrggbb``; opacities run from 0 (invisible) to 1 (solid); ``size_pct`` is
    50–200 % of the normal size; ``language`` is the caption track (``None``: the media's own).
    Build one from untrusted data with :meth:`from_dict`, which never fails.
    """

    presentation: str = "pop_on"
    text_color: str = "#ffffff"
    text_opacity: float = 1.0
    size_pct: int = 100
    font_family: str = "sans"
    background_color: str = "#000000"
    background_opacity: float = 0.75
    edge: str = "none"
    window_color: str = "#000000"
    window_opacity: float = 0.0
    position: str = "bottom"
    language: str | None = None

    def clamped(self) -> CaptionStyle:
        """A copy with numbers pulled into range and unknown names replaced by the default.

        >>> CaptionStyle(size_pct=500, text_opacity=-1, edge="glow").clamped()
        CaptionStyle(presentation='pop_on', text_color='#ffffff', text_opacity=0.0, size_pct=200, \
font_family='sans', background_color='#000000', background_opacity=0.75, edge='none', \
window_color='#000000', window_opacity=0.0, position='bottom', language=None)
        """
        return CaptionStyle.from_dict(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        """The style as JSON-ready values (what the settings file stores)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> CaptionStyle:
        """A style from decoded JSON: missing or bad values take the default, numbers are clamped."""
        default = cls()
        if not isinstance(data, dict):
            return default

        def choice(key: str, allowed: tuple[str, ...]) -> str:
            value = data.get(key)
            return value if isinstance(value, str) and value in allowed else str(getattr(default, key))

        def color(key: str) -> str:
            value = data.get(key)
            return (
                value.lower() if isinstance(value, str) and _HEX.match(value) else str(getattr(default, key))
            )

        def number(key: str, low: float, high: float) -> float:
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
                return float(getattr(default, key))
            return min(max(float(value), low), high)

        language = data.get("language")
        return cls(
            presentation=choice("presentation", PRESENTATIONS),
            text_color=color("text_color"),
            text_opacity=number("text_opacity", 0.0, 1.0),
            size_pct=round(number("size_pct", SIZE_MIN_PCT, SIZE_MAX_PCT)),
            font_family=choice("font_family", FONT_FAMILIES),
            background_color=color("background_color"),
            background_opacity=number("background_opacity", 0.0, 1.0),
            edge=choice("edge", EDGES),
            window_color=color("window_color"),
            window_opacity=number("window_opacity", 0.0, 1.0),
            position=choice("position", POSITIONS),
            language=language if isinstance(language, str) and language else None,
        )

    def with_changes(self, **changes: Any) -> CaptionStyle:
        """A copy with ``changes`` applied and clamped (unknown keys raise ``TypeError``)."""
        names = {f.name for f in fields(self)}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown caption setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes).clamped()


#: Ready-made styles; "Default" is ``CaptionStyle()``.
PRESETS: Final[dict[str, CaptionStyle]] = {
    "Default": CaptionStyle(),
    "High contrast": CaptionStyle(
        text_color="#ffffff", background_color="#000000", background_opacity=1.0, edge="uniform", size_pct=110
    ),
    "Large text": CaptionStyle(size_pct=150, background_opacity=0.85),
    "Yellow on black": CaptionStyle(text_color="#ffff00", background_color="#000000", background_opacity=1.0),
}


# Line breaking --------------------------------------------------------------------------------

#: Broadcast norm: 32–42 characters a line, two lines a caption.
MAX_LINE_CHARS: Final = 42
MAX_LINES: Final = 2

_CONJUNCTIONS = frozenset(
    [
        "and",
        "but",
        "or",
        "nor",
        "so",
        "yet",
        "because",
        "although",
        "though",
        "while",
        "whereas",
        "which",
        "who",
        "whom",
        "whose",
        "that",
        "when",
        "where",
        "if",
        "unless",
        "until",
        "as",
        "since",
        "than",
    ]
)
_PREPOSITIONS = frozenset(
    [
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "from",
        "by",
        "about",
        "against",
        "between",
        "into",
        "through",
        "during",
        "before",
        "after",
        "above",
        "below",
        "over",
        "under",
        "across",
        "along",
        "among",
        "around",
        "behind",
        "beyond",
        "despite",
        "including",
        "toward",
        "towards",
        "upon",
        "within",
        "without",
        "via",
    ]
)
#: Words a line should not end on ("the | United States" reads badly).
_CLINGING = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "your",
        "this",
        "these",
        "those",
    ]
)
_CLOSERS = "\"'”’)]»"
_SENTENCE_END = re.compile(r"[.!?…][" + re.escape(_CLOSERS) + r"]*$")
_CLAUSE_END = re.compile(r"[,;:][" + re.escape(_CLOSERS) + r"]*$")
_DASHES = ("—", "–", "-", "--")
#: "U.S." or "Mr." end in a full stop but do not end a sentence.
_ABBREVIATION = re.compile(r"^(?:[A-Za-z]\.){2,}$|^(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|No|vs)\.$")

# Penalties for a break before word k (lower is more natural).
_P_SENTENCE, _P_CLAUSE, _P_CONJUNCTION, _P_PLAIN, _P_NAME, _P_CLINGING = 0.0, 1.0, 2.5, 6.0, 9.0, 12.0
_SHORT_LINE = 14  # a page's first line shorter than this many characters is penalised
_PAGE_COST = 4.0  # every extra caption page costs this much
_SHORT_PAGE = 16  # pages shorter than this many characters are penalised


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a sentence and the characters ``[start, end)`` it spans."""

    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """The words of ``text`` (runs of non-space characters) with their character spans.

    >>> [t.text for t in tokenize("Hello,  world — again")]
    ['Hello,', 'world', '—', 'again']
    """
    return [Token(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _break_penalty(words: list[str], k: int) -> float:
    """How bad a break between ``words[k-1]`` and ``words[k]`` is."""
    before, after = words[k - 1], words[k]
    if _SENTENCE_END.search(before) and not _ABBREVIATION.match(before.strip(_CLOSERS)):
        return _P_SENTENCE
    if _CLAUSE_END.search(before) or after in _DASHES or before in _DASHES or before.endswith(("—", "–")):
        return _P_CLAUSE
    if before.lower().strip(_CLOSERS) in _CLINGING:
        return _P_CLINGING
    if before[:1].isupper() and (after[:1].isupper() or after[:1].isdigit()):  # "John | Kirby"
        return _P_NAME
    if after.lower().strip("\"'“‘(") in _CONJUNCTIONS | _PREPOSITIONS:
        return _P_CONJUNCTION
    return _P_PLAIN


def break_into_pages(
    text: str, max_chars: int = MAX_LINE_CHARS, max_lines: int = MAX_LINES
) -> list[tuple[str, ...]]:
    """Split ``text`` into caption pages of at most ``max_lines`` lines of ``max_chars``.

    Breaks fall at natural points: after sentence punctuation, then after commas, semicolons
    and dashes, then before conjunctions and prepositions; never inside a word (a single word
    longer than a line gets a line of its own). Among the splits that fit, the one with the
    most natural breaks and the fewest pages wins (a small dynamic programme over the words).

    >>> break_into_pages("The United States has halted talks.")
    [('The United States has halted talks.',)]
    >>> for page in break_into_pages(
    ...     "The move comes after an intense, prolonged effort on the part of U.S. Secretary "
    ...     "of State John Kerry to induce Russia to use its leverage with the Assad regime."
    ... ):
    ...     print(page)
    ('The move comes after an intense, prolonged', 'effort on the part of U.S. Secretary')
    ('of State John Kerry to induce Russia', 'to use its leverage with the Assad regime.')
    """
    words = [t.text for t in tokenize(text)]
    return [
        tuple(" ".join(words[a:b]) for a, b in lines) for lines in _page_spans(words, max_chars, max_lines)
    ]


def _page_spans(words: list[str], max_chars: int, max_lines: int) -> list[list[tuple[int, int]]]:
    """Pages as lists of ``(first, end)`` word index ranges, one per line."""
    n = len(words)
    if n == 0:
        return []
    max_chars = max(1, max_chars)
    max_lines = max(1, max_lines)
    starts = [0]
    for w in words:
        starts.append(starts[-1] + len(w) + 1)

    def width(i: int, j: int) -> int:
        return starts[j] - starts[i] - 1

    def fits(i: int, j: int) -> bool:
        return j - i == 1 or width(i, j) <= max_chars

    penalty = [0.0] + [_break_penalty(words, k) for k in range(1, n)] + [0.0]

    short_line = min(_SHORT_LINE, max_chars // 2)
    Lines = tuple[float, list[tuple[int, int]]]
    cache: dict[tuple[int, int, int], Lines | None] = {}

    def best_lines(i: int, j: int, lines_left: int) -> Lines | None:
        """The best way to set ``words[i:j]`` on at most ``lines_left`` lines (cost, spans)."""
        key = (i, j, lines_left)
        if key in cache:
            return cache[key]
        best: Lines | None = None
        if fits(i, j):
            best = (0.0, [(i, j)])
        elif lines_left > 1:
            for k in range(i + 1, j):
                if not fits(i, k):
                    break
                rest = best_lines(k, j, lines_left - 1)
                if rest is None:
                    continue
                # Natural breaks matter a lot, balanced lines a little.
                cost = penalty[k] + rest[0] + abs(width(i, k) - width(k, j)) / (4 * max_chars)
                cost += max(0, short_line - width(i, k)) * 1.0
                if j < n:
                    cost += max(0, short_line - width(k, j)) * 1.0
                if best is None or cost < best[0]:
                    best = (cost, [(i, k), *rest[1]])
        cache[key] = best
        return best

    limit = max_lines  # pages of words[i:j] hold at most this many lines
    best: list[tuple[float, int, list[tuple[int, int]]] | None] = [None] * (n + 1)
    best[0] = (0.0, -1, [])
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            if width(i, j) > limit * (max_chars + 1) and j - i > limit:
                break
            if best[i] is None:
                continue
            page = best_lines(i, j, limit)
            if page is None:
                continue
            prev = best[i]
            assert prev is not None
            short = max(0, _SHORT_PAGE - width(i, j)) * 1.0 if (i > 0 or j < n) else 0.0
            cost = prev[0] + page[0] + _PAGE_COST + 2 * penalty[j] + short
            current = best[j]
            if current is None or cost < current[0]:
                best[j] = (cost, i, page[1])
    pages: list[list[tuple[int, int]]] = []
    j = n
    while j > 0:
        entry = best[j]
        assert entry is not None
        pages.append(entry[2])
        j = entry[1]
    return pages[::-1]


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
    lines are (mostly) their words. ``layout_lines``, when set, are the full lines the shown
    text is growing into (paint-on): the painter places text where the full line would sit,
    so words are painted in place and never shift.
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
    """The caption pages of a timed sentence, each timed for its share of the characters.

    ``quotes`` are ``(char_start, char_end, speaker name)`` ranges of the sentence; a page takes
    the name of the speaker whose quoted words make up at least half its characters.

    >>> s = Sentence("s", "One two three, four five six seven eight nine ten.", 1000, 2000)
    >>> [(p.start_ms, p.end_ms, p.text_lines) for p in timed_pages(s, max_chars=20, max_lines=1)]
    [(1000, 1294, ('One two three,',)), (1294, 1686, ('four five six seven',)), (1686, 2000, ('eight nine ten.',))]
    """
    if sentence.start_ms is None or sentence.end_ms is None:
        return []
    tokens = tokenize(sentence.text)
    spans = _page_spans([t.text for t in tokens], max_chars, max_lines)
    # Each line is weighted by its characters plus the space after it.
    weights = [(tokens[b - 1].end - tokens[a].start + 1) for lines in spans for a, b in lines]
    total = sum(weights) or 1
    duration = sentence.end_ms - sentence.start_ms
    pages = []
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
        first, last = caption_lines[0].char_start, caption_lines[-1].char_end
        pages.append(CaptionPage(tuple(caption_lines), _speaker_of(first, last, tokens, quotes)))
    return pages


def _speaker_of(
    first: int, last: int, tokens: list[Token], quotes: Sequence[tuple[int, int, str]]
) -> str | None:
    """The speaker whose quoted characters cover at least half of ``[first, last)``'s letters."""
    letters = sum(t.end - t.start for t in tokens if first <= t.start and t.end <= last)
    best, best_overlap = None, 0
    for qs, qe, name in quotes:
        overlap = sum(
            max(0, min(t.end, qe) - max(t.start, qs)) for t in tokens if first <= t.start and t.end <= last
        )
        if overlap > best_overlap:
            best, best_overlap = name, overlap
    return best if letters and best_overlap * 2 >= letters else None


class CaptionTrack:
    """Position -> caption frame for one article, in any presentation.

    Pages are worked out per sentence the first time it is shown and kept; each call is a
    binary search for the sentence (via :class:`TranscriptIndex`) and one for the line.
    """

    #: In roll-up, the previous sentence's last line stays above the new one if it ended
    #: less than this long before.
    ROLL_UP_GAP_MS: Final = 3000

    def __init__(self, article: Article, max_chars: int = MAX_LINE_CHARS, max_lines: int = MAX_LINES) -> None:
        self.article = article
        self.index = TranscriptIndex(article)
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
        speaker = next((p.speaker for p in pages if current in p.lines), None)
        if i > 0:
            return CaptionFrame((lines[i - 1].text, current.text), speaker)
        previous = self._previous_line(ref_index, current.start_ms)
        shown = (previous.text, current.text) if previous is not None else (current.text,)
        return CaptionFrame(shown[-self.max_lines :], speaker)

    def _previous_line(self, ref_index: int, start_ms: int) -> CaptionLine | None:
        """The last line of the sentence said before sentence ``ref_index``, if it was just said."""
        refs = self.index.timed_refs
        k = self.index.sentence_index_at_or_before(start_ms) - 1
        if k < 0:
            return None
        sentence = refs[k].sentence
        if (
            refs[k].index == ref_index
            or sentence.end_ms is None
            or start_ms - sentence.end_ms > self.ROLL_UP_GAP_MS
        ):
            return None
        lines = self._entry(sentence)[2]
        return lines[-1] if lines else None


def _paint_on(page: CaptionPage, position_ms: int) -> CaptionFrame:
    """The page with its words revealed in proportion to the time since the page appeared.

    A word appears when the share of the page's time that has passed reaches the share of the
    page's characters before it; the first word shows as soon as the page starts.
    """
    duration = max(1, page.end_ms - page.start_ms)
    first = page.lines[0].char_start
    total = max(1, page.lines[-1].char_end - first)
    reached = (position_ms - page.start_ms) / duration * total
    shown = []
    for line in page.lines:
        words = [t.text for t in line.words if t.start - first <= reached]
        if not words:
            break
        shown.append(" ".join(words))
    return CaptionFrame(tuple(shown), page.speaker, page.text_lines)
