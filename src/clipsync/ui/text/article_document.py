"""The article as a QTextDocument: blocks styled by kind, and where each sentence lies in it.

Described video's descriptions (:mod:`clipsync.core.descriptions`) go in as blocks of their own
style between the article's blocks, each before the first block said after its time.
Text goes in as plain text only. Sentences of a paragraph go in with one insertion (a
30,000-sentence article builds about three times faster than sentence by sentence), except in a
paragraph with text not found in the recording, which is underlined with dots.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument

from clipsync.core.descriptions import Description, descriptions_of
from clipsync.core.text.article import Article, BlockKind, Sentence

TEXT = QColor("#1f2328")
UNALIGNED = QColor("#d9480f")
DESCRIBED = QColor("#5f3dc4")
DESCRIBED_BG = QColor("#f3f0ff")
#: What a description starts with in the article (it is not the article's text).
DESCRIBED_MARK = "Described: "


@dataclass
class SentencePlaces:
    """Where each sentence is in the document (reading order), and the way back."""

    spans: list[tuple[int, int]] = field(default_factory=list)  # document [start, end)
    sentences: list[Sentence] = field(default_factory=list)
    index_of: dict[str, int] = field(default_factory=dict)
    # Sentences with characters beyond U+FFFF, which count twice in Qt's positions.
    wide: dict[int, str] = field(default_factory=dict)
    # Described video: each description's document [start, end), in time order.
    descriptions: list[tuple[int, int, Description]] = field(default_factory=list)

    def description_at(self, position: int) -> Description | None:
        """The description at a document position (a click on it), or ``None``."""
        return next((d for start, end, d in self.descriptions if start <= position <= end), None)

    def description_span(self, description_id: str) -> tuple[int, int] | None:
        return next(((s, e) for s, e, d in self.descriptions if d.id == description_id), None)

    def add(self, sentence: Sentence, start: int, end: int) -> None:
        index = len(self.sentences)
        self.index_of[sentence.id] = index
        self.spans.append((start, end))
        self.sentences.append(sentence)
        if end - start != len(sentence.text):
            self.wide[index] = sentence.text

    def doc_position(self, index: int, char: int) -> int:
        """Where character ``char`` of sentence ``index`` is in the document."""
        text = self.wide.get(index)
        return self.spans[index][0] + (char if text is None else utf16_len(text[:char]))

    def char_at(self, index: int, position: int) -> int:
        """The character of sentence ``index`` at document ``position``."""
        offset = position - self.spans[index][0]
        text = self.wide.get(index)
        if text is None:
            return offset
        units = 0
        for i, c in enumerate(text):
            units += 2 if ord(c) > 0xFFFF else 1
            if units > offset:
                return i
        return len(text)


def build_document(
    document: QTextDocument, article: Article, base: QFont, *, described: bool = False
) -> SentencePlaces:
    """Fill the empty ``document`` with ``article`` in ``base`` font; where each sentence went.
    ``described``: with the article's descriptions (described video on)."""
    places = SentencePlaces()
    document.setDefaultFont(base)
    cursor = QTextCursor(document)
    first = True
    unaligned = QTextCharFormat()
    unaligned.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    unaligned.setUnderlineColor(UNALIGNED)
    unaligned.setToolTip("Not found in the recording")
    pending = list(descriptions_of(article)) if described else []
    for block in article.blocks:
        said = next((s.start_ms for s in block.sentences if s.start_ms is not None), None)
        while pending and said is not None and pending[0].time_ms < said:
            _insert_description(cursor, pending.pop(0), base, places, first)
            first = False
        block_format, char_format = block_formats(block.kind, base)
        if first:
            cursor.setBlockFormat(block_format)
            first = False
        else:
            cursor.insertBlock(block_format)
        cursor.setCharFormat(char_format)
        # Lines of verse stay lines (a line break inside the paragraph); sentences run on.
        gap = "\u2028" if block.kind is BlockKind.LINES else " "
        if all(s.timed for s in block.sentences):
            start = cursor.position()
            cursor.insertText(gap.join(s.text for s in block.sentences), char_format)
            for sentence in block.sentences:
                end = start + utf16_len(sentence.text)
                places.add(sentence, start, end)
                start = end + 1
            continue
        for i, sentence in enumerate(block.sentences):
            if i:
                cursor.insertText(gap, char_format)
            start = cursor.position()
            fmt = QTextCharFormat(char_format)
            if not sentence.timed:
                fmt.merge(unaligned)
            cursor.insertText(sentence.text, fmt)
            places.add(sentence, start, cursor.position())
    for description in pending:
        _insert_description(cursor, description, base, places, first)
        first = False
    return places


def _insert_description(
    cursor: QTextCursor, description: Description, base: QFont, places: SentencePlaces, first: bool
) -> None:
    """A description as a block of its own style (plain text), remembered in ``places``."""
    block = QTextBlockFormat()
    block.setBackground(DESCRIBED_BG)
    block.setLeftMargin(10)
    block.setBottomMargin(12)
    char = QTextCharFormat()
    char.setForeground(DESCRIBED)
    char.setFontItalic(True)
    char.setFontPointSize(base.pointSizeF() * 0.95)
    char.setToolTip("Described video: what the picture shows (click to play from it)")
    if first:
        cursor.setBlockFormat(block)
    else:
        cursor.insertBlock(block)
    start = cursor.position()
    mark = QTextCharFormat(char)
    mark.setFontWeight(QFont.Weight.Bold)
    cursor.insertText(DESCRIBED_MARK, mark)
    cursor.insertText(description.text, char)
    places.descriptions.append((start, cursor.position(), description))


def block_formats(kind: BlockKind, base: QFont) -> tuple[QTextBlockFormat, QTextCharFormat]:
    """How a headline, standfirst, image caption, heading or paragraph looks."""
    block = QTextBlockFormat()
    char = QTextCharFormat()
    char.setForeground(TEXT)
    block.setBottomMargin(12)
    block.setLineHeight(130, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    if kind is BlockKind.HEADLINE:
        char.setFontPointSize(base.pointSizeF() * 1.7)
        char.setFontWeight(QFont.Weight.Bold)
        block.setLineHeight(115, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    elif kind is BlockKind.STANDFIRST:
        char.setFontPointSize(base.pointSizeF() * 1.1)
        char.setFontItalic(True)
    elif kind is BlockKind.IMAGE_CAPTION:
        char.setFontPointSize(base.pointSizeF() * 0.9)
        char.setForeground(QColor("#57606a"))
        block.setLeftMargin(10)
    elif kind is BlockKind.HEADING:
        char.setFontWeight(QFont.Weight.Bold)
    return block, char


def utf16_len(text: str) -> int:
    """The length of ``text`` as Qt counts it (UTF-16 code units)."""
    return len(text) if text.isascii() else len(text) + sum(1 for c in text if ord(c) > 0xFFFF)
