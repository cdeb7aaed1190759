"""QuotesPanel: every quote with its speaker and time; play it, or play only it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from clipsync.core.text.article import Article, Quote
from clipsync.core.timing.timecode import format_clock
from clipsync.ui.player import plain_tooltip, speaker_colors


def quote_text(article: Article, quote: Quote) -> str:
    """The quote's words, its parts joined with an ellipsis where the attribution was."""
    return " … ".join(
        article.sentence(p.sentence_id).text[p.char_start : p.char_end].strip() for p in quote.parts
    )


class QuotesPanel(QWidget):
    """A list of quotes: activating one plays from its start."""

    quoteActivated = Signal(object)  # Quote: play from its start
    playQuoteOnly = Signal(object)  # Quote: play it and stop at its end
    saveQuoteCard = Signal(object)  # Quote

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Quotes")
        self.tree.setHeaderLabels(["Time", "Speaker", "Quote"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setColumnWidth(0, 52)
        self.tree.setColumnWidth(1, 130)
        self.tree.itemActivated.connect(lambda item, col: self._emit(self.quoteActivated))
        self.tree.itemDoubleClicked.connect(lambda item, col: self._emit(self.quoteActivated))
        self.play_button = QPushButton("Play from quote", self)
        self.only_button = QPushButton("Play quote only", self)
        self.card_button = QPushButton("Save quote card…", self)
        for button, signal in (
            (self.play_button, self.quoteActivated),
            (self.only_button, self.playQuoteOnly),
            (self.card_button, self.saveQuoteCard),
        ):
            button.setAccessibleName(button.text().rstrip("…"))
            button.clicked.connect(lambda checked=False, s=signal: self._emit(s))
        buttons = QHBoxLayout()
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.only_button)
        buttons.addWidget(self.card_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

    def set_article(self, article: Article | None) -> None:
        self.article = article
        self.tree.clear()
        colors = speaker_colors(article)
        for quote in article.quotes if article else ():
            assert article is not None
            when = format_clock(quote.start_ms) if quote.start_ms is not None else "--:--"
            text = quote_text(article, quote)
            item = QTreeWidgetItem([when, quote.speaker.name, text])
            item.setData(0, Qt.ItemDataRole.UserRole, quote.id)
            item.setForeground(1, QBrush(colors[quote.speaker.id]))
            item.setToolTip(2, plain_tooltip(text))
            self.tree.addTopLevelItem(item)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        enabled = bool(self.tree.topLevelItemCount())
        for button in (self.play_button, self.only_button, self.card_button):
            button.setEnabled(enabled)

    def selected_quote(self) -> Quote | None:
        item = self.tree.currentItem()
        if item is None or self.article is None:
            return None
        quote_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((q for q in self.article.quotes if q.id == quote_id), None)

    def _emit(self, signal: SignalInstance) -> None:
        quote = self.selected_quote()
        if quote is not None and quote.start_ms is not None:
            signal.emit(quote)
