"""The words of a sentence: when each one is said and which characters of the text it is.

An article may hold half a million words, so a sentence keeps its words as four columns of
integers (``array('i')``) instead of one object per word: loading, memory and lookups stay
cheap. :class:`Word` is a small view made on demand. Times are integer milliseconds; a word
owns ``[start_ms, end_ms)`` and the characters ``[char_start, char_end)`` of its sentence.

The aligner may also say how sure it is of each word (:attr:`WordTimes.confidence`, 0 to 1). The
confidences belong to these times: new word times (a hand edit, :func:`fit_words`) come without
them unless they are given again, so a word moved by hand is no longer the aligner's guess.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, count, islice
from operator import ge, gt, le, lt
from typing import Any

_WORD = re.compile(r"\w(?:[\w’'.\-]*\w)?\.?")
_ABBREVIATION = re.compile(r"(?:\w\.){2,}")


def word_spans(text: str) -> list[tuple[int, int]]:
    """The words of ``text`` as character spans: letters and digits, with inner apostrophes,
    dots and hyphens ("it’s", "U.S.", "al-Nusrah"), without the punctuation around them. The
    aligner times these words, so a document's words are these spans.

    >>> t = "U.S. Ambassador said, “it’s barbarism…” Al-Nusrah, 29."
    >>> [t[a:b] for a, b in word_spans(t)]
    ['U.S.', 'Ambassador', 'said', 'it’s', 'barbarism', 'Al-Nusrah', '29']
    """
    out = []
    for match in _WORD.finditer(text):
        end = match.end()
        if text[end - 1] == "." and not _ABBREVIATION.fullmatch(match.group(0)):
            end -= 1
        out.append((match.start(), end))
    return out


@dataclass(frozen=True, slots=True)
class Word:
    """One word: when it is said and where it is in its sentence's text."""

    start_ms: int
    end_ms: int
    char_start: int
    char_end: int

    def text_in(self, sentence_text: str) -> str:
        """The word's characters in the text of its sentence."""
        return sentence_text[self.char_start : self.char_end]


class WordTimes:
    """The timed words of one sentence, in order, as columns.

    Words neither overlap in time nor in characters, so the columns are sorted and a lookup
    is a binary search. Build one from :class:`Word` objects with :meth:`of` or from columns;
    check one read from a file with :meth:`problem`. A loaded document's sentences share four
    document-wide columns, each sentence seeing its own rows (``[lo, lo + n)``): one small
    object per sentence instead of five keeps the cycle collector's walks short.

    ``confidence``, when given, is one number from 0 to 1 a word: how sure the aligner is that
    the word is said there (see :attr:`confidence`).
    """

    __slots__ = ("_cols", "_conf", "_lo", "_n")

    def __init__(
        self,
        starts: Iterable[int] = (),
        ends: Iterable[int] = (),
        char_starts: Iterable[int] = (),
        char_ends: Iterable[int] = (),
        *,
        confidence: Iterable[float] | None = None,
    ) -> None:
        # array() takes the iterables at C speed and refuses anything but integers.
        self._cols = (array("i", starts), array("i", ends), array("i", char_starts), array("i", char_ends))
        self._lo = 0
        self._n = len(self._cols[0])
        self._conf: array | None = None
        if confidence is not None:
            self._conf = _confidence_column(confidence, self._n)

    @classmethod
    def _rows(cls, cols: tuple[array, array, array, array], lo: int, n: int) -> WordTimes:
        """Rows ``[lo, lo + n)`` of shared columns (not copied)."""
        words = cls.__new__(cls)
        words._cols, words._lo, words._n, words._conf = cols, lo, n, None
        return words

    def with_confidence(self, confidence: Iterable[float] | None) -> WordTimes:
        """The same words with these confidences (one from 0 to 1 a word; ``None``: unknown).

        Raises ``ValueError`` for a wrong count or a number outside 0..1.
        """
        words = WordTimes._rows(self._cols, self._lo, self._n)
        if confidence is not None:
            words._conf = _confidence_column(confidence, self._n)
        return words

    @property
    def confidence(self) -> tuple[float, ...]:
        """How sure the aligner is of each word, 0 to 1, in order; empty when unknown (hand-made
        or older documents, words timed by hand, or no words)."""
        return tuple(self._conf) if self._conf is not None else ()

    @classmethod
    def of(cls, words: Iterable[Word]) -> WordTimes:
        """Columns from words (in order)."""
        words = list(words)
        return cls(
            (w.start_ms for w in words),
            (w.end_ms for w in words),
            (w.char_start for w in words),
            (w.char_end for w in words),
        )

    def _column(self, k: int) -> array:
        return self._cols[k][self._lo : self._lo + self._n]

    @property
    def starts(self) -> array:
        """When each word starts (a copy)."""
        return self._column(0)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> Word:
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        j = self._lo + i
        s, e, cs, ce = self._cols
        return Word(s[j], e[j], cs[j], ce[j])

    def __iter__(self) -> Iterator[Word]:
        return map(Word, *(self._column(k) for k in range(4)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WordTimes):
            return NotImplemented
        return (
            self._n == other._n
            and self._conf == other._conf
            and all(self._column(k) == other._column(k) for k in range(4))
        )

    def __hash__(self) -> int:
        return hash((self._column(0).tobytes(), self._column(2).tobytes()))

    def __repr__(self) -> str:
        if self._conf is not None:
            return f"WordTimes.of({list(self)!r}).with_confidence({list(self._conf)!r})"
        return f"WordTimes.of({list(self)!r})"

    def flat(self) -> list[int]:
        """The words as the sync document stores them: start, end, char start, char end, ..."""
        return list(chain.from_iterable(zip(*(self._column(k) for k in range(4)), strict=True)))

    def index_at(self, position_ms: int) -> int:
        """The last word started at or before ``position_ms`` (-1 before the first): O(log n).

        In a pause between two words this is the word just said, so a highlight that follows
        it does not flicker off at every comma.
        """
        return bisect_right(self._cols[0], position_ms, self._lo, self._lo + self._n) - 1 - self._lo

    def index_said_at(self, position_ms: int) -> int:
        """The word whose time ``[start_ms, end_ms)`` holds ``position_ms``, or -1 (a pause)."""
        i = self.index_at(position_ms)
        return i if i >= 0 and position_ms < self._cols[1][self._lo + i] else -1

    def index_at_char(self, char: int) -> int:
        """The word at character ``char`` of the sentence, or the one before it (-1: none)."""
        return bisect_right(self._cols[2], char, self._lo, self._lo + self._n) - 1 - self._lo

    def index_from_char(self, char: int) -> int:
        """The first word starting at or after character ``char`` (``len(self)``: none)."""
        return bisect_left(self._cols[2], char, self._lo, self._lo + self._n) - self._lo

    def problem(self, text_length: int, start_ms: int | None, end_ms: int | None) -> str | None:
        """What is wrong with these words for a sentence of ``text_length`` characters said
        in ``[start_ms, end_ms)``, in words, or ``None`` when they are fine."""
        starts, ends, char_starts, char_ends = (self._column(k) for k in range(4))
        n = len(starts)
        if not len(ends) == len(char_starts) == len(char_ends) == n:
            return "start_ms, end_ms, char_start and char_end must have the same length"
        if n == 0:
            return None
        if start_ms is None or end_ms is None:
            return "an untimed sentence cannot have timed words"
        # The common case is checked at C speed (map over the columns); the slow loop below
        # only runs to name the first bad word.
        if not (
            all(map(lt, starts, ends))
            and all(map(le, ends, islice(starts, 1, None)))
            and all(map(lt, char_starts, char_ends))
            and all(map(le, char_ends, islice(char_starts, 1, None)))
        ):
            return self._first_disorder()
        if starts[0] < start_ms or ends[-1] > end_ms:
            return f"the words run from {starts[0]} to {ends[-1]} ms, outside the sentence's {start_ms}..{end_ms} ms"
        if char_starts[0] < 0 or char_ends[-1] > text_length:
            return (
                f"the words' characters {char_starts[0]}..{char_ends[-1]} "
                f"are outside the sentence's {text_length} characters"
            )
        return None

    def _first_disorder(self) -> str:
        words = list(self)
        for i, w in enumerate(words):
            if w.end_ms <= w.start_ms:
                return f"word {i}: end_ms {w.end_ms} is not after start_ms {w.start_ms}"
            if w.char_end <= w.char_start:
                return f"word {i}: char_end {w.char_end} is not after char_start {w.char_start}"
            if i:
                before = words[i - 1]
                if w.start_ms < before.end_ms:
                    return (
                        f"word {i} starts at {w.start_ms} ms, before word {i - 1} ends at {before.end_ms} ms"
                    )
                if w.char_start < before.char_end:
                    return f"word {i} starts at character {w.char_start}, inside word {i - 1}"
        return "the words are out of order"  # pragma: no cover - problem() found a disorder


NO_WORDS = WordTimes()
"""A sentence without word times."""


def confidence_problem(value: object) -> str | None:
    """What is wrong with ``value`` as a confidence (a number from 0 to 1), or ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float):  # (JSON true is no number)
        return f"expected a number from 0 to 1, got {type(value).__name__} {value!r}"
    if not 0 <= value <= 1:  # (also refuses NaN)
        return f"expected a number from 0 to 1, got {value!r}"
    return None


def _in_0_1(numbers: Sequence[float]) -> bool:
    """Every number is from 0 to 1 (none is NaN): at C speed, four times faster than a
    comparison of each (min and max may step over a NaN, the sum never does)."""
    if not numbers:
        return True
    total = sum(numbers)
    return min(numbers) >= 0 and max(numbers) <= 1 and total == total


def _confidence_column(values: Iterable[float], n: int) -> array:
    column = array("d", values)
    if len(column) != n:
        raise ValueError(f"{len(column)} confidences for {n} words")
    if not _in_0_1(column):
        bad = next(v for v in column if not 0 <= v <= 1)
        raise ValueError(f"a word's confidence must be from 0 to 1, got {bad!r}")
    return column


def confidences_from_lists(
    words: Sequence[WordTimes | None], values: Sequence[Any]
) -> list[WordTimes] | None:
    """Each of ``words`` with the confidences in ``values`` (as read from a file: a list of
    numbers from 0 to 1 a word), checked all at once at C speed (420,000 numbers in a few
    hundredths of a second); ``None`` when one is wrong, for the caller to find and name it."""
    if not all(
        w is not None and type(raw) is list and len(raw) == len(w)
        for w, raw in zip(words, values, strict=True)
    ):
        return None
    numbers = list(chain.from_iterable(values))
    if not (set(map(type, numbers)) <= {float, int} and _in_0_1(numbers)):  # (not bool: no number)
        return None
    out = []
    for w, raw in zip(words, values, strict=True):
        assert w is not None
        sure = WordTimes._rows(w._cols, w._lo, w._n)
        sure._conf = array("d", raw)
        out.append(sure)
    return out


class WordsError(ValueError):
    """The words of one sentence (``index`` in the list given) are wrong, as ``problem`` says."""

    def __init__(self, index: int, problem: str) -> None:
        super().__init__(problem)
        self.index = index
        self.problem = problem


def words_from_flat(
    flat_words: Sequence[Sequence[Any]],
    lengths: Sequence[int],
    starts_ms: Sequence[int],
    ends_ms: Sequence[int],
) -> list[WordTimes]:
    """Many sentences' words, each given flat (``start, end, char_start, char_end, ...``), for
    sentences of ``lengths`` characters said in ``[starts_ms, ends_ms)``, in time order;
    checked as :meth:`WordTimes.problem` does, raising :class:`WordsError` for the first bad
    sentence.

    Half a million words are checked at once, at C speed: all the numbers go into one array and
    the rules are checked over whole columns (times never go back across the document, since the
    sentences are in time order; characters start again at each sentence, so their order is
    checked everywhere but at those seams). Only when that fails does a slower pass find the
    sentence to blame.
    """

    def slow(reason: str | None = None) -> WordsError:
        for i, raw in enumerate(flat_words):
            problem = _flat_problem(raw) or WordTimes(raw[0::4], raw[1::4], raw[2::4], raw[3::4]).problem(
                lengths[i], starts_ms[i], ends_ms[i]
            )
            if problem:
                return WordsError(i, problem)
        return WordsError(0, reason or "the words are wrong")  # pragma: no cover

    if any(len(raw) % 4 or not raw for raw in flat_words):
        raise slow()
    numbers = list(chain.from_iterable(flat_words))
    if set(map(type, numbers)) != {int}:  # (array() would take JSON true and false as 1 and 0)
        raise slow()
    # Checked on lists, whose items are ready-made ints (an array makes one per item read).
    starts, ends, char_starts, char_ends = numbers[0::4], numbers[1::4], numbers[2::4], numbers[3::4]
    bounds = list(accumulate(map(len, flat_words), initial=0))
    firsts = [b // 4 for b in bounds[:-1]]
    lasts = [b // 4 - 1 for b in bounds[1:]]
    if not (
        all(map(lt, starts, ends))
        and all(map(le, ends, islice(starts, 1, None)))
        and all(map(lt, char_starts, char_ends))
        and set(compress(count(), map(gt, char_ends, islice(char_starts, 1, None)))) <= set(lasts)
        and all(map(ge, map(starts.__getitem__, firsts), starts_ms))
        and all(map(le, map(ends.__getitem__, lasts), ends_ms))
        and min(map(char_starts.__getitem__, firsts)) >= 0
        and all(map(le, map(char_ends.__getitem__, lasts), lengths))
    ):
        raise slow()
    try:
        cols = (array("i", starts), array("i", ends), array("i", char_starts), array("i", char_ends))
    except OverflowError:
        raise slow("a number is too large") from None
    return [WordTimes._rows(cols, a, b + 1 - a) for a, b in zip(firsts, lasts, strict=True)]


def _flat_problem(raw: Sequence[Any]) -> str | None:
    if not raw or len(raw) % 4:
        return "expected four integers a word (start_ms, end_ms, char_start, char_end)"
    bad = next((v for v in raw if type(v) is not int), None)
    if bad is not None:
        return f"expected integers, got {bad!r}"
    if any(not -(2**31) <= v < 2**31 for v in raw):
        return "a number is too large"
    return None


def fit_words(
    spans: Sequence[tuple[int, int]],
    times: Sequence[tuple[int, int]],
    start_ms: int,
    end_ms: int,
    confidence: Sequence[float] | None = None,
) -> WordTimes:
    """Words from character ``spans`` and rough ``times``, made to follow the rules.

    Times are pulled inside ``[start_ms, end_ms)``, into order and apart (a word lasts at
    least 1 ms; where two overlap, the earlier one ends when the later starts). Empty when
    the sentence is too short to hold every word for a millisecond. ``confidence`` (one a
    word, 0 to 1) goes with the words as :attr:`WordTimes.confidence`.

    >>> list(fit_words([(0, 3), (4, 9)], [(90, 130), (120, 260)], 100, 250))
    [Word(start_ms=100, end_ms=120, char_start=0, char_end=3), Word(start_ms=120, end_ms=250, char_start=4, char_end=9)]
    """
    n = len(spans)
    if n == 0 or n != len(times) or end_ms - start_ms < n:
        return NO_WORDS
    starts = [min(max(s, start_ms + i), end_ms - (n - i)) for i, (s, _) in enumerate(times)]
    for i in range(1, n):
        starts[i] = max(starts[i], starts[i - 1] + 1)
    nexts = [*starts[1:], end_ms]
    ends = [min(max(e, s + 1), nxt) for (_, e), s, nxt in zip(times, starts, nexts, strict=True)]
    return WordTimes(starts, ends, (a for a, _ in spans), (b for _, b in spans), confidence=confidence)
