"""WaveformView: the sound around the playhead with each sentence (and word) as a span, whose
boundaries can be dragged; and WaveformLoader, which reads the waveform off the GUI thread.
A sentence that needs review (the aligner was unsure of it) is hatched, with a "?" before its
number: not told by colour alone.

Drawing asks the envelope for one min/max pair per pixel column (:meth:`Envelope.columns`,
O(width) at any zoom), so a repaint costs the same for a minute or an hour of media.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left, bisect_right
from pathlib import Path

from PySide6.QtCore import QLineF, QObject, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from clipsync.core.alignment.waveform import Envelope, WaveformCancelled, envelope_for
from clipsync.core.editing.edits import Boundary, Edge
from clipsync.core.errors import InputError
from clipsync.core.text.article import Article, Sentence
from clipsync.core.timing.timecode import format_clock, format_precise

BACKGROUND = QColor("#101418")
WAVE = QColor("#7fb8e6")
# Opaque (pre-blended over the background): filling opaque pixels is many times cheaper.
SPAN_FILLS = (QColor("#3a3a2c"), QColor("#243442"))
SELECTED_FILL = QColor("#6b5513")
BOUNDARY = QColor("#e9ecef")
SELECTED_BOUNDARY = QColor("#ff922b")
ANCHOR = QColor("#69db7c")
PLAYHEAD = QColor("#ff4d4f")
LABEL = QColor("#f1f3f5")
WORD = QColor("#adb5bd")
REVIEW_HATCH = QColor("#f08c00")  # the lines hatching a sentence to review
TICKS = (10, 50, 100, 250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000)


class WaveformView(QWidget):
    """The waveform strip of the timing editor (see module)."""

    boundaryPressed = Signal(object)  # Boundary: a drag starts (or a click selects it)
    boundaryDragged = Signal(object, int)  # Boundary, ms: live while dragging
    dragFinished = Signal()
    sentenceClicked = Signal(str, int)  # sentence id and ms under a click outside any boundary
    seekRequested = Signal(int)

    HIT_PX = 6
    LABEL_H = 20
    WORD_H = 16
    RULER_H = 14
    MIN_SPAN_MS = 500.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Waveform")
        self.setAccessibleDescription("The sound with each sentence as a span; drag a boundary to move it")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(True)
        self.setMinimumHeight(130)
        self.envelope: Envelope | None = None
        self.status = "Reading the sound…"
        self.article: Article | None = None
        self.anchors: frozenset[str] = frozenset()
        self.review: frozenset[str] = frozenset()  # the sentences that need review
        self.selected: str | None = None
        self.boundary: Boundary | None = None
        self.position = 0
        self.length_ms = 0
        self.view_start = 0.0
        self.view_span = 20_000.0
        self._timed: list[Sentence] = []
        self._starts: list[int] = []
        self._numbers: dict[str, int] = {}
        self._drag: Boundary | None = None
        self._font = QFont(self.font())
        self._font.setPointSizeF(max(8.0, self._font.pointSizeF() * 0.9))

    # Model --------------------------------------------------------------------------------
    def set_article(
        self,
        article: Article | None,
        anchors: frozenset[str] = frozenset(),
        review: frozenset[str] = frozenset(),
    ) -> None:
        """Show ``article``: ``anchors`` get a green bar, the ``review`` ones are hatched."""
        self.article = article
        self.anchors = anchors
        self.review = review
        self._timed = (
            sorted((s for s in article.sentences if s.timed), key=lambda s: s.start_ms or 0)
            if article
            else []
        )
        self._starts = [s.start_ms or 0 for s in self._timed]
        self._numbers = {s.id: i + 1 for i, s in enumerate(article.sentences)} if article else {}
        self.update()

    def set_envelope(self, envelope: Envelope | None, status: str = "") -> None:
        self.envelope = envelope
        self.status = status
        self.update()

    def set_selection(self, sentence_id: str | None, boundary: Boundary | None) -> None:
        self.selected, self.boundary = sentence_id, boundary
        self.update()

    def set_position(self, position_ms: int, *, follow: bool = True) -> None:
        """Move the playhead; with ``follow`` the view pages along when it leaves the view."""
        start = self.view_start
        if follow and self._drag is None:
            end = self.view_start + self.view_span
            if position_ms < self.view_start or position_ms > end - self.view_span * 0.05:
                self.view_start = max(0.0, position_ms - self.view_span * 0.1)
        if position_ms != self.position or self.view_start != start:  # paused: no repaints
            self.position = position_ms
            self.update()

    def show_range(self, start_ms: float, end_ms: float) -> None:
        """Show ``[start_ms, end_ms)`` with a little room either side."""
        span = max(self.MIN_SPAN_MS, (end_ms - start_ms) * 1.2)
        self.view_span = span
        self.view_start = max(0.0, (start_ms + end_ms) / 2 - span / 2)
        self.update()

    def zoom(self, factor: float, around_ms: float | None = None) -> None:
        """Zoom in (``factor`` < 1) or out around ``around_ms`` (the playhead by default)."""
        around = self.position if around_ms is None else around_ms
        longest = max(self.MIN_SPAN_MS * 2, float(self.length_ms or 3_600_000))
        span = min(longest, max(self.MIN_SPAN_MS, self.view_span * factor))
        fraction = (around - self.view_start) / self.view_span if self.view_span else 0.5
        self.view_start = max(0.0, around - fraction * span)
        self.view_span = span
        self.update()

    @property
    def dragging(self) -> bool:
        return self._drag is not None

    # Geometry -----------------------------------------------------------------------------
    def x_for(self, ms: float) -> float:
        return (ms - self.view_start) / self.view_span * self.width()

    def ms_at(self, x: float) -> int:
        return max(0, round(self.view_start + x / max(1, self.width()) * self.view_span))

    def _visible(self) -> list[Sentence]:
        a = max(0, bisect_right(self._starts, self.view_start) - 1)
        b = bisect_left(self._starts, self.view_start + self.view_span)
        return self._timed[a:b]

    def sentence_at(self, x: float) -> Sentence | None:
        ms = self.ms_at(x)
        i = bisect_right(self._starts, ms) - 1
        return self._timed[i] if i >= 0 and ms < (self._timed[i].end_ms or 0) else None

    def boundary_at(self, x: float, y: float) -> Boundary | None:
        """The boundary within :attr:`HIT_PX` of ``x``: a sentence's, or (in the word band) a
        word's; the selected sentence's edges win where two meet."""
        best: tuple[float, int, Boundary] | None = None
        in_words = y >= self.height() - self.RULER_H - self.WORD_H
        for s in self._visible():
            edges = [(Edge.START, s.start_ms or 0), (Edge.END, s.end_ms or 0)]
            candidates = [(Boundary(s.id, e, None), ms) for e, ms in edges]
            if in_words:
                for k, w in enumerate(s.words):
                    candidates += [
                        (Boundary(s.id, Edge.START, k), w.start_ms),
                        (Boundary(s.id, Edge.END, k), w.end_ms),
                    ]
            for boundary, ms in candidates:
                d = abs(self.x_for(ms) - x)
                if d > self.HIT_PX:
                    continue
                rank = 0 if s.id == self.selected else 1
                if boundary.word is not None and not in_words:
                    rank += 2
                if best is None or (rank, d) < (best[1], best[0]):
                    best = (d, rank, boundary)
        return best[2] if best else None

    # Painting -----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        w, h = self.width(), self.height()
        painter.fillRect(0, 0, w, h, BACKGROUND)
        painter.setFont(self._font)
        wave_top, wave_bottom = self.LABEL_H, h - self.RULER_H - self.WORD_H
        self._paint_spans(painter, wave_top, wave_bottom)
        self._paint_wave(painter, wave_top, wave_bottom)
        self._paint_boundaries(painter, h - self.RULER_H)
        self._paint_ruler(painter, h - self.RULER_H)
        x = self.x_for(self.position)
        painter.setPen(QPen(PLAYHEAD, 2))
        painter.drawLine(QLineF(x, 0, x, h))
        if self.envelope is None:
            painter.setPen(LABEL)
            painter.drawText(
                QRectF(0, wave_top, w, wave_bottom - wave_top), Qt.AlignmentFlag.AlignCenter, self.status
            )
        painter.end()

    def _paint_wave(self, painter: QPainter, top: int, bottom: int) -> None:
        if self.envelope is None:
            return
        lows, highs = self.envelope.columns(self.view_start, self.view_start + self.view_span, self.width())
        mid, half = (top + bottom) / 2, (bottom - top) / 2 - 2
        lines = [
            QLineF(x + 0.5, mid - hi * half - 0.5, x + 0.5, mid - lo * half + 0.5)
            for x, (lo, hi) in enumerate(zip(lows.tolist(), highs.tolist(), strict=True))
            if not math.isnan(hi)
        ]
        painter.setPen(QPen(WAVE, 1))
        painter.drawLines(lines)

    def _paint_spans(self, painter: QPainter, top: int, bottom: int) -> None:
        metrics = QFontMetrics(self._font)
        hatch = QBrush(REVIEW_HATCH, Qt.BrushStyle.BDiagPattern)
        drawn = -1  # the last pixel column filled: zoomed far out, many spans share one
        for s in self._visible():
            x0, x1 = self.x_for(s.start_ms or 0), self.x_for(s.end_ms or 0)
            if round(x1) <= drawn:
                continue
            drawn = round(x1)
            number = self._numbers.get(s.id, 0)
            fill = SELECTED_FILL if s.id == self.selected else SPAN_FILLS[number % 2]
            left, width = round(x0), max(1, round(x1) - round(x0))
            painter.fillRect(QRect(left, 0, width, bottom), fill)
            if s.id in self.anchors:
                painter.fillRect(QRect(left, 0, width, 3), ANCHOR)
            if s.id in self.review:
                painter.fillRect(QRect(left, top, width, bottom - top), hatch)
            if width < 24:
                continue  # no room for a label, nor for words
            # The label starts where the span comes into view, so a long one is always named.
            lx0, lx1 = max(x0, 0.0), min(x1, float(self.width()))
            name = f"? {number}. {s.text}" if s.id in self.review else f"{number}. {s.text}"
            label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(lx1 - lx0) - 6)
            painter.setPen(LABEL)
            painter.drawText(
                QRectF(lx0 + 3, 3, max(0.0, lx1 - lx0 - 6), top - 3), Qt.AlignmentFlag.AlignLeft, label
            )
            if not s.words or (x1 - x0) < len(s.words) * 3:
                continue
            painter.setPen(QPen(WORD, 1))
            for w in s.words:
                wx0, wx1 = self.x_for(w.start_ms), self.x_for(w.end_ms)
                painter.drawLine(QLineF(wx0, bottom, wx0, bottom + self.WORD_H))
                text = w.text_in(s.text)
                if metrics.horizontalAdvance(text) <= wx1 - wx0 - 3:  # whole words only
                    painter.drawText(
                        QRectF(wx0 + 2, bottom, wx1 - wx0, self.WORD_H), Qt.AlignmentFlag.AlignVCenter, text
                    )

    def _paint_boundaries(self, painter: QPainter, bottom: int) -> None:
        painter.setPen(QPen(BOUNDARY, 1))
        lines, last = [], -1
        for s in self._visible():
            for ms in (s.start_ms or 0, s.end_ms or 0):
                x = round(self.x_for(ms))
                if x != last:  # one line per pixel column, however many boundaries fall in it
                    lines.append(QLineF(x + 0.5, 0, x + 0.5, bottom))
                    last = x
        painter.drawLines(lines)
        if self.boundary is not None and self.article is not None:
            at = self.boundary.time_in(self.article)
            if at is not None:
                xs = self.x_for(at)
                painter.setPen(QPen(SELECTED_BOUNDARY, 3))
                top = bottom - self.WORD_H if self.boundary.word is not None else 0
                painter.drawLine(QLineF(xs, top, xs, bottom))
                painter.setBrush(SELECTED_BOUNDARY)
                painter.drawPolygon(
                    QPolygonF([QPointF(xs - 6, top), QPointF(xs + 6, top), QPointF(xs, top + 8)])
                )

    def _paint_ruler(self, painter: QPainter, top: int) -> None:
        step = next((t for t in TICKS if t / self.view_span * self.width() >= 70), TICKS[-1])
        painter.setPen(LABEL)
        first = math.ceil(self.view_start / step) * step
        for ms in range(int(first), int(self.view_start + self.view_span) + 1, step):
            x = self.x_for(ms)
            painter.drawLine(QLineF(x, top, x, top + 4))
            text = format_clock(ms) if step >= 1000 else format_precise(ms)
            painter.drawText(QPointF(x + 2, top + self.RULER_H - 2), text)

    # Input --------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        x, y = event.position().x(), event.position().y()
        boundary = self.boundary_at(x, y)
        if boundary is not None:
            self._drag = boundary
            self.boundaryPressed.emit(boundary)
            return
        sentence = self.sentence_at(x)
        if sentence is not None:
            self.sentenceClicked.emit(sentence.id, self.ms_at(x))
        self.seekRequested.emit(self.ms_at(x))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if self._drag is not None:
            self.boundaryDragged.emit(self._drag, self.ms_at(x))
            return
        near = self.boundary_at(x, event.position().y()) is not None
        self.setCursor(Qt.CursorShape.SizeHorCursor if near else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is not None:
            self._drag = None
            self.dragFinished.emit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.angleDelta().x()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(0.8 if delta > 0 else 1.25, self.ms_at(event.position().x()))
        else:
            self.view_start = max(0.0, self.view_start - delta / 120 * self.view_span * 0.1)
            self.update()
        event.accept()


class _LoaderSignals(QObject):
    progress = Signal(float)
    ready = Signal(object, object)
    failed = Signal(object, str)


class WaveformLoader(QObject):
    """Reads (or loads from the cache) the waveform of a media file on a worker thread.

    The worker reports through an object of its own (no parent), connected queued to this
    one: if the window goes while it reads, its reports simply reach no one.
    """

    progress = Signal(float)
    ready = Signal(object, object)  # Path, Envelope
    failed = Signal(object, str)  # Path, reason

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self.media: Path | None = None
        self._signals = _LoaderSignals()
        queued = Qt.ConnectionType.QueuedConnection
        self._signals.progress.connect(self.progress, queued)
        self._signals.ready.connect(self.ready, queued)
        self._signals.failed.connect(self.failed, queued)

    def start(self, media: Path) -> None:
        """Read ``media``'s waveform; a read already running for another file is stopped."""
        self.cancel()
        self.media = media
        cancel = self._cancel = threading.Event()
        signals = self._signals

        def work() -> None:
            try:
                envelope = envelope_for(media, progress=signals.progress.emit, cancel=cancel.is_set)
            except WaveformCancelled:
                return
            except InputError as exc:
                signals.failed.emit(media, str(exc))
            except Exception as exc:  # shown, not lost in a thread
                signals.failed.emit(media, f"The waveform could not be read: {exc}")
            else:
                if not cancel.is_set():
                    signals.ready.emit(media, envelope)

        self._thread = threading.Thread(target=work, name="clipsync-waveform", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
