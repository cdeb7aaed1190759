"""Find in the article: a search bar over the article panel's text.

Matches are marked as extra selections (through the panel's :class:`TextHighlights`); Enter
asks to play from the current match's sentence and moves on to the next, Shift+Enter to the
previous, Esc closes the bar.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QWidget

from clipsync.ui.text.text_highlights import TextHighlights

MAX_MATCHES = 5000


class ArticleSearch(QWidget):
    """The search bar: a text field and a "n of m" count."""

    matchActivated = Signal(int)  # document position of the match the user wants to play from

    def __init__(self, text: QTextEdit, highlights: TextHighlights, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.highlights = highlights
        self.matches: list[tuple[int, int]] = []
        self.match = -1
        self.field = QLineEdit(self)
        self.field.setPlaceholderText("Find in article (Enter plays from the match, Esc closes)")
        self.field.setAccessibleName("Find in article")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self.search_for)
        self.field.installEventFilter(self)
        self.status = QLabel(self)
        self.status.setAccessibleName("Matches")
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.field, 1)
        bar.addWidget(self.status)
        self.hide()

    def open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        self.field.clear()
        self.hide()
        self.text.setFocus()

    def search_for(self, needle: str) -> None:
        """Mark every match of ``needle`` (up to :data:`MAX_MATCHES`) and select the first."""
        self.matches, self.match = [], -1
        if needle.strip():
            document = self.text.document()
            cursor = QTextCursor(document)
            while len(self.matches) < MAX_MATCHES:
                cursor = document.find(needle, cursor)
                if cursor.isNull():
                    break
                self.matches.append((cursor.selectionStart(), cursor.selectionEnd()))
        if self.matches:
            self.match = 0
            self._show_match()
        else:
            self.status.setText("Not found" if needle.strip() else "")
        self.highlights.set_matches(self.matches)
        self.highlights.apply()

    def _show_match(self) -> None:
        start, end = self.matches[self.match]
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()
        self.status.setText(f"{self.match + 1} of {len(self.matches)}")

    def activate_match(self, backwards: bool = False) -> None:
        """Ask to play from the current match, then move to the next (previous) one."""
        if not self.matches:
            return
        self.matchActivated.emit(self.matches[self.match][0])
        self.match = (self.match + (-1 if backwards else 1)) % len(self.matches)
        self._show_match()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.activate_match(backwards=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
