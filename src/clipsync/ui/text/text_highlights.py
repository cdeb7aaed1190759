"""The article panel's highlights: text already read, search matches, the sentence, the quote
part and the word being said, drawn as a QTextEdit's extra selections.

Extra selections are drawn over the laid-out text, so changing them never lays the document out
again (changing character formats would). Qt compares the new list with the old one and
repaints only the rectangles of the selections that changed, so the cost of an update depends
on what changed, not on the length of the article, provided that each update changes little:

* a new word: the old and the new word's rectangles;
* a new sentence: the old and new sentence, and the sentence just read.

The dimming of what was read is therefore not one selection from the top to the current
sentence (which would change, and be repainted, at every sentence) but three layers: everything
up to the last multiple of :data:`BULK` sentences, then up to the last multiple of :data:`STEP`,
then one selection per sentence. A new sentence adds one small selection; every ``STEP``
sentences the last layer folds into the middle one, every ``BULK`` into the first.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

READ = QColor("#8c939d")
CURRENT_BG = QColor("#ffe58f")
WORD_BG = QColor("#ffb938")
MATCH_BG = QColor("#a5d8ff")
DESCRIBED_BG = QColor("#d0bfff")  # the description being said

BULK = 64
STEP = 8

Span = tuple[int, int]


class TextHighlights:
    """The extra selections of one QTextEdit, rebuilt only where they changed."""

    def __init__(self, edit: QTextEdit) -> None:
        self.edit = edit
        self._spans: list[Span] = []
        self._read: list[QTextEdit.ExtraSelection] = []
        self._read_upto = 0
        self._read_cache: dict[Span, QTextEdit.ExtraSelection] = {}
        self._matches: list[QTextEdit.ExtraSelection] = []
        self._current: tuple[Span, QTextEdit.ExtraSelection] | None = None
        self._part: tuple[Span, QColor, QTextEdit.ExtraSelection] | None = None
        self._word: tuple[Span, QTextEdit.ExtraSelection] | None = None
        self._described: tuple[Span, QTextEdit.ExtraSelection] | None = None
        self._dirty = False

    def reset(self, spans: list[Span]) -> None:
        """A new document whose sentences lie at ``spans`` (document positions, reading order)."""
        self._spans = spans
        self._read, self._read_upto, self._read_cache = [], 0, {}
        self._matches = []
        self._current = self._part = self._word = self._described = None
        self.edit.setExtraSelections([])
        self._dirty = False

    # What to show ----------------------------------------------------------------------
    def set_read(self, upto: int) -> None:
        """Dim sentences ``[0, upto)``."""
        if upto == self._read_upto:
            return
        self._read_upto = upto
        spans = self._spans
        bulk = upto - upto % BULK
        step = upto - upto % STEP
        ranges = []
        if bulk:
            ranges.append((0, spans[bulk - 1][1]))
        if step > bulk:
            ranges.append((spans[bulk][0], spans[step - 1][1]))
        ranges += spans[step:upto]
        if len(self._read_cache) > 4 * BULK:
            self._read_cache = {r: self._read_cache[r] for r in ranges if r in self._read_cache}
        self._read = [self._read_selection(r) for r in ranges]
        self._dirty = True

    def set_matches(self, matches: list[Span]) -> None:
        self._matches = [self._selection(s, e, MATCH_BG) for s, e in matches]
        self._dirty = True

    def set_current(self, span: Span | None) -> None:
        """The sentence being said."""
        if span == (self._current[0] if self._current else None):
            return
        self._current = (span, self._selection(*span, CURRENT_BG)) if span else None
        self._dirty = True

    def set_part(self, span: Span | None, color: QColor | None = None) -> None:
        """The quote part being said, in its speaker's colour."""
        if (span, color) == ((self._part[0], self._part[1]) if self._part else (None, None)):
            return
        self._part = None
        if span is not None and color is not None:
            selection = self._selection(*span, CURRENT_BG)
            self._style_as_part(selection, color)
            self._part = (span, color, selection)
        if self._word:  # a word in the part keeps the part's colour and underline
            word_span, self._word = self._word[0], None
            self.set_word(word_span)
        self._dirty = True

    def set_word(self, span: Span | None) -> None:
        """The word being said (inside the current sentence)."""
        if span == (self._word[0] if self._word else None):
            return
        self._word = None
        if span is not None:
            selection = self._selection(*span, WORD_BG)
            if self._part and self._part[0][0] <= span[0] and span[1] <= self._part[0][1]:
                self._style_as_part(selection, self._part[1])
            self._word = (span, selection)
        self._dirty = True

    def set_described(self, span: Span | None) -> None:
        """The description being said (described video)."""
        if span == (self._described[0] if self._described else None):
            return
        self._described = (span, self._selection(*span, DESCRIBED_BG)) if span else None
        self._dirty = True

    def word_span(self) -> Span | None:
        return self._word[0] if self._word else None

    def apply(self) -> None:
        """Hand the selections to Qt if anything changed (it repaints only what differs)."""
        if not self._dirty:
            return
        self._dirty = False
        selections = [*self._read, *self._matches]
        if self._current:
            selections.append(self._current[1])
        if self._part:
            selections.append(self._part[2])
        if self._word:
            selections.append(self._word[1])
        if self._described:
            selections.append(self._described[1])
        self.edit.setExtraSelections(selections)

    # Building selections ---------------------------------------------------------------
    @staticmethod
    def _style_as_part(selection: QTextEdit.ExtraSelection, color: QColor) -> None:
        selection.format.setForeground(color.darker(130))
        selection.format.setFontUnderline(True)

    def _read_selection(self, span: Span) -> QTextEdit.ExtraSelection:
        selection = self._read_cache.get(span)
        if selection is None:
            selection = self._selection(*span, None)
            selection.format.setForeground(READ)
            self._read_cache[span] = selection
        return selection

    def _selection(self, start: int, end: int, color: QColor | None) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.edit.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        if color is not None:
            fmt.setBackground(color)
        selection.format = fmt
        return selection
