"""Caption line breaking: a sentence split into pages of at most two short lines.

Pure (no Qt): :func:`tokenize` gives the words of a text with their character spans and
:func:`break_into_pages` / :func:`page_spans` choose natural breaks with a small dynamic
programme over the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

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
        tuple(" ".join(words[a:b]) for a, b in lines) for lines in page_spans(words, max_chars, max_lines)
    ]


def page_spans(words: list[str], max_chars: int, max_lines: int) -> list[list[tuple[int, int]]]:
    """The pages of :func:`break_into_pages` as lists of ``(first, end)`` word index ranges, one per line."""
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
