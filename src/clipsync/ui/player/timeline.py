"""Timeline: the seek slider with a marker per quote, and the elapsed / total time."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPolygon
from PySide6.QtWidgets import (
    QAbstractSlider,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolTip,
    QWidget,
)

from clipsync.core.text.article import Article, Quote
from clipsync.core.timing.timecode import format_clock

#: One colour per speaker, in order of first appearance; legible on light and dark.
SPEAKER_COLORS = ("#e8590c", "#1c7ed6", "#2b8a3e", "#ae3ec9", "#c92a2a", "#0c8599", "#5f3dc4", "#a61e4d")


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows it literally.

    Qt guesses whether a tooltip is rich text; text from a file (a quote containing "<b>")
    must never be interpreted, so it is escaped inside an explicit rich-text paragraph.
    """
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


def speaker_colors(article: Article | None) -> dict[str, QColor]:
    if article is None:
        return {}
    return {sp.id: QColor(SPEAKER_COLORS[i % len(SPEAKER_COLORS)]) for i, sp in enumerate(article.speakers)}


def quote_preview(article: Article, quote: Quote, words: int = 8) -> str:
    """The first words of a quote, for tooltips and lists."""
    text = " ".join(article.sentence(p.sentence_id).text[p.char_start : p.char_end] for p in quote.parts)
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


class SeekSlider(QSlider):
    """A horizontal slider in milliseconds that paints quote markers above its groove.

    Dragging seeks live but at most every ``THROTTLE_S`` (as VLC does); a click on a marker
    plays from the quote's start.
    """

    seekRequested = Signal(int)
    quoteActivated = Signal(object)  # Quote

    THROTTLE_S = 0.15
    MARKER_HIT_PX = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setAccessibleName("Seek")
        self.setMouseTracking(True)
        self.setMinimumHeight(34)
        self.setPageStep(10_000)
        self.setSingleStep(5_000)
        self.article: Article | None = None
        self.quotes: list[Quote] = []
        self.colors: dict[str, QColor] = {}
        self._last_seek = 0.0
        self._painted = QRect()  # where the handle was last painted
        #: How far the data of a network stream reaches, in ms (-1: not a stream, or unknown).
        self.buffered_ms = -1
        self.sliderMoved.connect(self._dragged)
        self.sliderReleased.connect(lambda: self.seekRequested.emit(self.value()))

    def set_article(self, article: Article | None) -> None:
        self.article = article
        self.quotes = [q for q in (article.quotes if article else ()) if q.start_ms is not None]
        self.colors = speaker_colors(article)
        self.update()

    def _dragged(self, value: int) -> None:
        now = time.monotonic()
        if now - self._last_seek >= self.THROTTLE_S:
            self._last_seek = now
            self.seekRequested.emit(value)

    # Geometry --------------------------------------------------------------------------
    def _handle(self) -> QRect:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        return self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )

    def _groove(self) -> QRect:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, self
        )
        handle = self.style().subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        half = handle.width() // 2
        return QRect(groove.left() + half, groove.top(), groove.width() - 2 * half, groove.height())

    def x_for(self, ms: int) -> int:
        return self._x_in(self._groove(), ms)

    def _x_in(self, groove: QRect, ms: int) -> int:
        span = max(1, self.maximum() - self.minimum())
        return groove.left() + round((ms - self.minimum()) / span * groove.width())

    def value_at(self, x: int) -> int:
        groove = self._groove()
        fraction = (x - groove.left()) / max(1, groove.width())
        return round(self.minimum() + max(0.0, min(1.0, fraction)) * (self.maximum() - self.minimum()))

    def quote_at(self, x: int) -> Quote | None:
        best, best_d = None, self.MARKER_HIT_PX + 1
        for quote in self.quotes:
            d = abs(self.x_for(quote.start_ms or 0) - x)
            if d < best_d:
                best, best_d = quote, d
        return best

    # Events ----------------------------------------------------------------------------
    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        # Playback moves the value ten times a second, but the handle only every few hundred
        # ms (a pixel); repainting the slider and its markers costs ~0.4 ms each time.
        moved = (
            change is not QAbstractSlider.SliderChange.SliderValueChange or self._handle() != self._painted
        )
        if moved:
            super().sliderChange(change)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._painted = self._handle()
        if self.buffered_ms > self.value() and self.maximum() > 0:
            self._paint_with_buffered_band()
        else:
            super().paintEvent(event)
        if not self.quotes or self.maximum() <= 0:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        groove = self._groove()  # the style's geometry once per paint, not once per marker
        for quote in self.quotes:
            x = self._x_in(groove, quote.start_ms or 0)
            color = self.colors.get(quote.speaker.id, QColor("#e8590c"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPolygon(QPolygon([QPoint(x - 5, 1), QPoint(x + 5, 1), QPoint(x, 9)]))
            painter.fillRect(x - 1, 9, 2, self.height() - 12, color)
        painter.end()

    def _paint_with_buffered_band(self) -> None:
        """The groove, a lighter band from the position to where the data reaches, the handle."""
        painter = QPainter(self)
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        option.subControls = QStyle.SubControl.SC_SliderGroove
        self.style().drawComplexControl(QStyle.ComplexControl.CC_Slider, option, painter, self)
        groove = self._groove()
        left, right = self.x_for(self.value()), self.x_for(min(self.buffered_ms, self.maximum()))
        band = self.palette().highlight().color()
        band.setAlpha(90)
        painter.fillRect(QRect(left, groove.center().y() - 2, max(0, right - left), 5), band)
        option.subControls = QStyle.SubControl.SC_SliderHandle
        self.style().drawComplexControl(QStyle.ComplexControl.CC_Slider, option, painter, self)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        x = int(event.position().x())
        quote = self.quote_at(x) if event.button() == Qt.MouseButton.LeftButton else None
        if quote is not None and event.position().y() < self.height() / 2:
            self.quoteActivated.emit(quote)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and self.isEnabled():
            # Jump to where the user clicked (not a page step), then allow dragging on.
            value = self.value_at(x)
            self.setValue(value)
            self.seekRequested.emit(value)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = int(event.position().x())
        quote = self.quote_at(x)
        if quote is not None and self.article is not None:
            text = f"{format_clock(quote.start_ms or 0)} · {quote.speaker.name}\n“{quote_preview(self.article, quote)}”"
            QToolTip.showText(event.globalPosition().toPoint(), plain_tooltip(text), self)
        elif self.maximum() > 0:
            QToolTip.showText(event.globalPosition().toPoint(), format_clock(self.value_at(x)), self)
        super().mouseMoveEvent(event)


class Timeline(QWidget):
    """Elapsed time, the seek slider and the total time in one row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = SeekSlider(self)
        self.elapsed = QLabel("0:00", self)
        self.total = QLabel("0:00", self)
        for label, name in ((self.elapsed, "Elapsed time"), (self.total, "Total time")):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAccessibleName(name)
            label.setMinimumWidth(44)
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.addWidget(self.elapsed)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.total)
        self.length_ms = 0

    def set_length(self, length_ms: int) -> None:
        self.length_ms = length_ms
        self.slider.setRange(0, max(0, length_ms))
        self.total.setText(format_clock(length_ms))
        self.slider.update()

    def set_buffered(self, buffered_ms: int) -> None:
        """Where the data of a network stream reaches (-1: nothing to show)."""
        self.slider.buffered_ms = buffered_ms
        self.slider.update()

    def set_position(self, position_ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(position_ms)
            self.slider.blockSignals(False)
        self.elapsed.setText(format_clock(position_ms))

    def time_text(self) -> str:
        return f"{self.elapsed.text()} / {self.total.text()}"
