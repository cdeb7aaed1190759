"""ArticleView: the article beside the video, following playback.

The document is built once per article (plain text only). A position update touches only
what changed (see :mod:`clipsync.ui.text.text_highlights`): the sentence, quote part and word being
said and the dimming of what was read, so its cost does not grow with the length. With word
times (and the option on) the word being said is highlighted inside its sentence, and a click
on a word plays from that word.
"""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from clipsync.core.descriptions import descriptions_of
from clipsync.core.text.article import Article, Sentence
from clipsync.core.text.lookup import Now
from clipsync.ui.player import speaker_colors
from clipsync.ui.text.article_document import TEXT, SentencePlaces, build_document
from clipsync.ui.text.article_search import ArticleSearch
from clipsync.ui.text.text_highlights import TextHighlights


class ArticleView(QWidget):
    """Headline, standfirst, image caption and paragraphs, highlighting what is said now."""

    sentenceActivated = Signal(object)  # Sentence: the user wants to play from it
    wordActivated = Signal(object, int)  # Sentence, word index: play from that word
    descriptionActivated = Signal(object)  # Description (described video): play from its time

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.article: Article | None = None
        self.following = True
        self._spans: list[tuple[int, int]] = []  # document (start, end) per sentence, reading order
        self._starts: list[int] = []
        self._read_ends: list[int] = []
        self._sentences: list[Sentence] = []
        self._index_of: dict[str, int] = {}
        self.places = SentencePlaces()
        self._current = -1
        self._read_upto = 0  # sentences [0, _read_upto) are dimmed
        self._word = -1  # index of the word highlighted in the current sentence
        self.words_shown = True  # highlight the word being said (when the text has word times)
        self.descriptions_shown = False  # described video's descriptions in the text
        self._now = Now()
        self._programmatic_scroll = False
        self._colors: dict[str, QColor] = {}

        self.speaker = QLabel(self)
        self.speaker.setTextFormat(Qt.TextFormat.PlainText)
        self.speaker.setAccessibleName("Speaker now")
        self.speaker.setStyleSheet("QLabel { padding: 4px 8px; border-radius: 4px; font-weight: 600; }")
        self.speaker.hide()

        self.text = QTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAcceptRichText(False)
        self.text.setAccessibleName("Article text")
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.text.setStyleSheet(f"QTextEdit {{ background: #fbfbf8; color: {TEXT.name()}; border: none; }}")
        self.highlights = TextHighlights(self.text)
        self.text.document().setDocumentMargin(18)
        self.text.verticalScrollBar().valueChanged.connect(self._user_scrolled)
        self.text.viewport().setCursor(Qt.CursorShape.PointingHandCursor)

        self.follow_button = QPushButton("Follow playback", self)
        self.follow_button.setAccessibleName("Follow playback")
        self.follow_button.setToolTip("Scroll back to what is being said and keep following it")
        self.follow_button.clicked.connect(lambda: self.set_following(True))
        self.follow_button.hide()

        self.search_bar = ArticleSearch(self.text, self.highlights, self)
        self.search_bar.matchActivated.connect(self._play_match)
        self.search = self.search_bar.field
        self.search_status = self.search_bar.status

        self.empty_hint = QLabel(self)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setAccessibleName("No text")
        self.empty_hint.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.speaker)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.empty_hint, 1)
        layout.addWidget(self.follow_button)
        for watched in (self.text.viewport(), self.text):
            watched.installEventFilter(self)

    # Building --------------------------------------------------------------------------
    def set_article(self, article: Article | None, hint: str = "") -> None:
        """Show ``article``; without one, ``hint`` says how to add text."""
        self.article = article
        self._colors = speaker_colors(article)
        self._current, self._read_upto, self._word, self._now = -1, 0, -1, Now()
        self.highlights.reset([])
        self.speaker.hide()
        document = QTextDocument(self.text)
        document.setDocumentMargin(18)
        self.places = SentencePlaces()
        self._spans, self._sentences, self._index_of = [], [], {}
        if article is None:
            self.text.setDocument(document)
            self.text.hide()
            self.empty_hint.setText(hint or "No text for this media.")
            self.empty_hint.show()
            self._starts, self._read_ends = [], []
            return
        self.empty_hint.hide()
        self.text.show()
        base = QFont(self.font())
        base.setPointSizeF(max(11.0, base.pointSizeF() * 1.15))
        self.places = build_document(document, article, base, described=self.descriptions_shown)
        self._spans, self._sentences = self.places.spans, self.places.sentences
        self._index_of = self.places.index_of
        self._starts = [s for s, _ in self._spans]
        # For each sentence (reading order), the latest end time up to it: in a gap, the
        # sentences read are those whose value is <= the position (a binary search).
        latest = -1
        self._read_ends = []
        for sentence in self._sentences:
            latest = max(latest, sentence.end_ms if sentence.end_ms is not None else latest)
            self._read_ends.append(latest if latest >= 0 else 2**62)
        self.text.setDocument(document)
        self.highlights.reset(self._spans)
        self.text.moveCursor(QTextCursor.MoveOperation.Start)

    def replace_article(self, article: Article) -> None:
        """Show an edited version of the article shown, keeping the scroll position: when only
        times changed, without building the document again (cheap enough for every step of a
        drag); when a text, "not in the recording" or a description changed, rebuilt."""
        old = self._sentences
        new = article.sentences
        if (
            self.article is None
            or len(old) != len(new)
            or any(a.text != b.text or a.timed != b.timed for a, b in zip(old, new, strict=True))
            or descriptions_of(article) != descriptions_of(self.article)
        ):
            bar = self.text.verticalScrollBar()
            value = bar.value()
            self.set_article(article)
            self._programmatic_scroll = True
            bar.setValue(value)
            self._programmatic_scroll = False
            return
        self.article = article
        self._sentences[:] = new  # in place: the same list as self.places.sentences
        latest = -1
        self._read_ends = []
        for sentence in self._sentences:
            latest = max(latest, sentence.end_ms if sentence.end_ms is not None else latest)
            self._read_ends.append(latest if latest >= 0 else 2**62)

    # Following playback ----------------------------------------------------------------
    def set_now(self, now: Now) -> None:
        """Highlight ``now``'s sentence, dim what was read, show who speaks."""
        self._now = now
        index = self._index_of.get(now.sentence_id, -1) if now.sentence_id else -1
        if index != self._current:
            self._current = index
            self._word = -1  # set again by the next set_read_position
            self.highlights.set_word(None)
        self.highlights.set_current(self._spans[index] if index >= 0 else None)
        part = now.part
        if index >= 0 and part is not None and now.quote is not None:
            color = self._colors.get(now.quote.speaker.id, QColor("#e8590c"))
            span = (
                self.places.doc_position(index, part.char_start),
                self.places.doc_position(index, part.char_end),
            )
            self.highlights.set_part(span, color)
        else:
            self.highlights.set_part(None)
        self.highlights.apply()
        if now.quote is not None:
            color = self._colors.get(now.quote.speaker.id, QColor("#e8590c"))
            role = f" · {now.quote.speaker.role}" if now.quote.speaker.role else ""
            self.speaker.setText(f"“ Quote: {now.quote.speaker.name}{role}")
            self.speaker.setStyleSheet(
                f"QLabel {{ padding: 4px 8px; border-radius: 4px; font-weight: 600; color: white; background: {color.name()}; }}"
            )
            self.speaker.show()
        else:
            self.speaker.hide()
        if index >= 0 and self.following:
            self._scroll_to(index)

    def set_read_position(self, position_ms: int) -> None:
        """Dim every sentence before the one being said (or before the gap we are in), and
        highlight the word being said at ``position_ms``.

        Cheap when nothing changed (two binary searches), so it can be called at every frame.
        """
        upto = self._current if self._current >= 0 else bisect_right(self._read_ends, position_ms)
        if upto != self._read_upto:
            self._read_upto = upto
            self.highlights.set_read(upto)
        word = -1
        if self._current >= 0 and self.words_shown:
            word = self._sentences[self._current].words.index_at(position_ms)
        if word != self._word:
            self._word = word
            if word < 0:
                self.highlights.set_word(None)
            else:
                w = self._sentences[self._current].words[word]
                c = self._current
                self.highlights.set_word(
                    (self.places.doc_position(c, w.char_start), self.places.doc_position(c, w.char_end))
                )
        self.highlights.apply()

    def set_descriptions_shown(self, shown: bool) -> None:
        """Show described video's descriptions in the text (built again, the scroll kept)."""
        if shown != self.descriptions_shown:
            self.descriptions_shown = shown
            if self.article is not None and descriptions_of(self.article):
                article, now, self.article = self.article, self._now, None
                self.replace_article(article)
                self.set_now(now)

    def set_described(self, description_id: str | None) -> None:
        """Mark the description being said (``None``: none)."""
        span = self.places.description_span(description_id) if description_id else None
        self.highlights.set_described(span)
        self.highlights.apply()

    def set_words_shown(self, shown: bool) -> None:
        """Highlight the word being said (and play from a clicked word), or only sentences."""
        self.words_shown = shown
        if not shown and self._word >= 0:
            self._word = -1
            self.highlights.set_word(None)
            self.highlights.apply()

    def read_sentence_ids(self) -> list[str]:
        """Ids of the sentences shown as already read."""
        return [s.id for s in self._sentences[: self._read_upto]]

    def highlighted_word(self) -> str | None:
        """The text of the word highlighted now (for tests and measurements)."""
        span = self.highlights.word_span()
        if span is None:
            return None
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText()

    def current_sentence(self) -> Sentence | None:
        return self._sentences[self._current] if self._current >= 0 else None

    def highlighted_sentence_ids(self) -> list[str]:
        """Ids of the sentences shown as "being read" (for tests and measurements)."""
        return [self._sentences[self._current].id] if self._current >= 0 else []

    def set_following(self, following: bool) -> None:
        """Follow playback (scrolling back to what is said now) or stop following."""
        resumed = following and not self.following
        self.following = following
        self.follow_button.setVisible(not following)
        if resumed and self._current >= 0:
            self._scroll_to(self._current, force=True)

    def _sentence_rect_visible(self, index: int) -> bool:
        start, end = self._spans[index]
        view = self.text.viewport().rect()
        top = self._cursor_rect(start)
        bottom = self._cursor_rect(end)
        return top.top() >= 0 and bottom.bottom() <= view.height()

    def _cursor_rect(self, position: int) -> QRect:
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(position)
        return self.text.cursorRect(cursor)

    def _scroll_to(self, index: int, force: bool = False) -> None:
        if not force and self._sentence_rect_visible(index):
            return
        bar = self.text.verticalScrollBar()
        rect = self._cursor_rect(self._spans[index][0])
        target = bar.value() + rect.top() - self.text.viewport().height() // 4
        self._programmatic_scroll = True
        bar.setValue(max(0, target))
        self._programmatic_scroll = False

    def _user_scrolled(self, value: int) -> None:
        if self._programmatic_scroll or not self.following or self._current < 0:
            return
        # Stop following only once the user has moved what is being read out of view.
        self._check_still_in_view()

    def _check_still_in_view(self) -> None:
        if self.following and self._current >= 0 and not self._sentence_rect_visible(self._current):
            self.set_following(False)

    # Input -----------------------------------------------------------------------------
    def sentence_at_position(self, position: int) -> Sentence | None:
        i = bisect_right(self._starts, position) - 1
        if i >= 0 and position <= self._spans[i][1]:
            return self._sentences[i]
        return None

    def word_at_position(self, position: int) -> tuple[Sentence, int] | None:
        """The sentence and word at a document position (a click on the space or punctuation
        after a word counts as that word); ``None`` outside words or without word times."""
        i = bisect_right(self._starts, position) - 1
        if i < 0 or position > self._spans[i][1]:
            return None
        sentence = self._sentences[i]
        k = sentence.words.index_at_char(self.places.char_at(i, position))
        return (sentence, k) if k >= 0 else None

    def _activate(self, position: int) -> bool:
        """Play from the word (words shown), the sentence or the description at a document position."""
        description = self.places.description_at(position)
        if description is not None:
            self.descriptionActivated.emit(description)
            return True
        word = self.word_at_position(position) if self.words_shown else None
        if word is not None:
            self.wordActivated.emit(*word)
            return True
        sentence = self.sentence_at_position(position)
        if sentence is not None:
            self.sentenceActivated.emit(sentence)
            return True
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.text.viewport() and event.type() == QEvent.Type.MouseButtonRelease:
            assert isinstance(event, QMouseEvent)
            if event.button() == Qt.MouseButton.LeftButton and not self.text.textCursor().hasSelection():
                self._activate(self.text.cursorForPosition(event.position().toPoint()).position())
        elif watched is self.text and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._activate(
                self.text.textCursor().position()
            ):
                return True
        return super().eventFilter(watched, event)

    # Search ----------------------------------------------------------------------------
    def open_search(self) -> None:
        self.search_bar.open()

    def close_search(self) -> None:
        self.search_bar.close_bar()

    def _play_match(self, position: int) -> None:
        sentence = self.sentence_at_position(position)
        if sentence is not None:
            self.set_following(True)
            self.sentenceActivated.emit(sentence)
