"""The words of a sentence: when each one is said and which characters of the text it is.

An article may hold half a million words, so a sentence keeps its words as four columns of
integers (``array('i')``) instead of one object per word: loading, memory and lookups stay
cheap. :class:`Word` is a small view made on demand. Times are integer milliseconds; a word
owns ``[start_ms, end_ms)`` and the characters ``[char_start, char_end)`` of its sentence.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import le, lt


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
    is a binary search. Build one from :class:`Word` objects with :meth:`of`; check one read
    from a file with :meth:`problem`.
    """

    __slots__ = ("char_ends", "char_starts", "ends", "starts")

    def __init__(
        self,
        starts: Iterable[int] = (),
        ends: Iterable[int] = (),
        char_starts: Iterable[int] = (),
        char_ends: Iterable[int] = (),
    ) -> None:
        # array() takes the iterables at C speed and refuses anything but integers.
        self.starts = array("i", starts)
        self.ends = array("i", ends)
        self.char_starts = array("i", char_starts)
        self.char_ends = array("i", char_ends)

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

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i: int) -> Word:
        return Word(self.starts[i], self.ends[i], self.char_starts[i], self.char_ends[i])

    def __iter__(self) -> Iterator[Word]:
        return map(Word, self.starts, self.ends, self.char_starts, self.char_ends)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WordTimes):
            return NotImplemented
        return (
            self.starts == other.starts
            and self.ends == other.ends
            and self.char_starts == other.char_starts
            and self.char_ends == other.char_ends
        )

    def __hash__(self) -> int:
        return hash((self.starts.tobytes(), self.char_starts.tobytes()))

    def __repr__(self) -> str:
        return f"WordTimes.of({list(self)!r})"

    def index_at(self, position_ms: int) -> int:
        """The last word started at or before ``position_ms`` (-1 before the first): O(log n).

        In a pause between two words this is the word just said, so a highlight that follows
        it does not flicker off at every comma.
        """
        return bisect_right(self.starts, position_ms) - 1

    def index_said_at(self, position_ms: int) -> int:
        """The word whose time ``[start_ms, end_ms)`` holds ``position_ms``, or -1 (a pause)."""
        i = bisect_right(self.starts, position_ms) - 1
        return i if i >= 0 and position_ms < self.ends[i] else -1

    def index_at_char(self, char: int) -> int:
        """The word at character ``char`` of the sentence, or the one before it (-1: none)."""
        return bisect_right(self.char_starts, char) - 1

    def problem(self, text_length: int, start_ms: int | None, end_ms: int | None) -> str | None:
        """What is wrong with these words for a sentence of ``text_length`` characters said
        in ``[start_ms, end_ms)``, in words, or ``None`` when they are fine."""
        n = len(self.starts)
        if not len(self.ends) == len(self.char_starts) == len(self.char_ends) == n:
            return "start_ms, end_ms, char_start and char_end must have the same length"
        if n == 0:
            return None
        if start_ms is None or end_ms is None:
            return "an untimed sentence cannot have timed words"
        # The common case is checked at C speed (map over the columns); the slow loop below
        # only runs to name the first bad word.
        if not (
            all(map(lt, self.starts, self.ends))
            and all(map(le, self.ends, islice(self.starts, 1, None)))
            and all(map(lt, self.char_starts, self.char_ends))
            and all(map(le, self.char_ends, islice(self.char_starts, 1, None)))
        ):
            return self._first_disorder()
        if self.starts[0] < start_ms or self.ends[-1] > end_ms:
            return (
                f"the words run from {self.starts[0]} to {self.ends[-1]} ms, "
                f"outside the sentence's {start_ms}..{end_ms} ms"
            )
        if self.char_starts[0] < 0 or self.char_ends[-1] > text_length:
            return (
                f"the words' characters {self.char_starts[0]}..{self.char_ends[-1]} "
                f"are outside the sentence's {text_length} characters"
            )
        return None

    def _first_disorder(self) -> str:
        for i, w in enumerate(self):
            if w.end_ms <= w.start_ms:
                return f"word {i}: end_ms {w.end_ms} is not after start_ms {w.start_ms}"
            if w.char_end <= w.char_start:
                return f"word {i}: char_end {w.char_end} is not after char_start {w.char_start}"
            if i:
                before = self[i - 1]
                if w.start_ms < before.end_ms:
                    return (
                        f"word {i} starts at {w.start_ms} ms, before word {i - 1} ends at {before.end_ms} ms"
                    )
                if w.char_start < before.char_end:
                    return f"word {i} starts at character {w.char_start}, inside word {i - 1}"
        return "the words are out of order"  # pragma: no cover - problem() found a disorder


NO_WORDS = WordTimes()
"""A sentence without word times."""


def fit_words(
    spans: Sequence[tuple[int, int]], times: Sequence[tuple[int, int]], start_ms: int, end_ms: int
) -> WordTimes:
    """Words from character ``spans`` and rough ``times``, made to follow the rules.

    Times are pulled inside ``[start_ms, end_ms)``, into order and apart (a word lasts at
    least 1 ms; where two overlap, the earlier one ends when the later starts). Empty when
    the sentence is too short to hold every word for a millisecond.

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
    return WordTimes(starts, ends, (a for a, _ in spans), (b for _, b in spans))
