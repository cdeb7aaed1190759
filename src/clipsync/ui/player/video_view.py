"""VideoView: paints the current frame, the captions and the loading state with one painter."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen, QRegion
from PySide6.QtWidgets import QSizePolicy, QWidget

from clipsync.core.captions.caption_style import CaptionStyle
from clipsync.core.captions.captions import CaptionFrame
from clipsync.ui.captions import paint_captions, paint_osd_message


def fit_rect(frame: QSize, area: QRectF) -> QRectF:
    """The largest rectangle of ``frame``'s aspect ratio centred in ``area``."""
    if frame.isEmpty() or area.isEmpty():
        return QRectF(area)
    scale = min(area.width() / frame.width(), area.height() / frame.height())
    w, h = frame.width() * scale, frame.height() * scale
    return QRectF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2, w, h)


class VideoView(QWidget):
    """The picture. Captions come from ``caption_source(position)`` at each paint."""

    doubleClicked = Signal()

    LOADING_DELAY_MS = 400

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Video")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 180)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.image: QImage | None = None
        self.caption_source: Callable[[], CaptionFrame | None] = lambda: None
        self.caption_style = CaptionStyle()
        self.captions_enabled = True
        self.placeholder = ""
        self._caption_key: object = None
        self._caption_layer = (QImage(), QPointF())
        self._loading = False
        self._buffering: float | None = None
        #: What a network stream is doing ("Waiting for the network… 3 s"), or "".
        self.network_text = ""
        self._osd = ""
        self._osd_until = 0.0
        #: Called with the painted frame's image after each paint (measurements hook).
        self.on_painted: Callable[[QImage | None], None] | None = None
        self._spin = QTimer(self)
        self._spin.setInterval(50)
        self._spin.timeout.connect(self.update)
        self._osd_timer = QTimer(self)  # repaints once the on-screen message has expired
        self._osd_timer.setSingleShot(True)
        self._osd_timer.timeout.connect(self.update)
        self._loading_timer = QTimer(self)
        self._loading_timer.setSingleShot(True)
        self._loading_timer.timeout.connect(self._show_loading)

    def sizeHint(self) -> QSize:
        return QSize(854, 480)

    # State from the controller ---------------------------------------------------------
    def set_image(self, image: QImage | None) -> None:
        previous, self.image = self.image, image
        if image is not None and self._loading:
            self.set_loading(False)
        if image is not None and previous is not None and image.size() == previous.size():
            # A new picture of the same size changes only the picture (and the captions and
            # message over it): the black bars stay as they are.
            self.update(self.picture_rect())
        else:
            self.update()

    def set_loading(self, loading: bool) -> None:
        """Start (after a short delay, so fast opens never flash) or stop the loading state."""
        if loading:
            if not self._loading and not self._loading_timer.isActive():
                self._loading_timer.start(self.LOADING_DELAY_MS)
        else:
            self._loading_timer.stop()
            self._loading = False
            self._buffering = None
            self._spin.stop()
            self.setAccessibleDescription("")
            self.update()

    @property
    def loading_visible(self) -> bool:
        return self._loading

    def _show_loading(self) -> None:
        self._loading = True
        self._spin.start()
        self.setAccessibleDescription(self.network_text or "Please wait: opening the media")
        self.update()

    def set_buffering(self, percent: float) -> None:
        self._buffering = percent if 0 < percent < 100 else None
        self.update()

    def set_network_text(self, text: str) -> None:
        """Say what the network is doing; over the last picture while a stream stalls or retries."""
        if text != self.network_text:
            self.network_text = text
            if text:
                self.setAccessibleDescription(text)
                self._spin.start()
            elif not self._loading:
                self._spin.stop()
            self.update()

    def set_caption_style(self, style: CaptionStyle) -> None:
        self.caption_style = style
        self.update()

    def set_captions_enabled(self, enabled: bool) -> None:
        self.captions_enabled = enabled
        self.update()

    def show_message(self, text: str, seconds: float = 1.5) -> None:
        """A brief on-screen message (caption delay, rate...), as VLC shows them."""
        self._osd = text
        self._osd_until = time.monotonic() + seconds
        self._osd_timer.start(int(seconds * 1000) + 20)
        self.update()

    def mouseDoubleClickEvent(self, event: object) -> None:
        self.doubleClicked.emit()

    # Painting --------------------------------------------------------------------------
    def video_rect(self) -> QRectF:
        """Where the picture is painted (whole pixels)."""
        return QRectF(self.picture_rect())

    def picture_rect(self) -> QRect:
        size = self.image.size() if self.image is not None else QSize(16, 9)
        return fit_rect(size, QRectF(self.rect())).toRect()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        inner = self.picture_rect()
        target = QRectF(inner)
        if self.image is None:
            painter.fillRect(self.rect(), Qt.GlobalColor.black)
        elif not inner.contains(event.rect()):
            painter.setClipRegion(event.region().subtracted(QRegion(inner)))  # the bars
            painter.fillRect(event.rect(), Qt.GlobalColor.black)
            painter.setClipping(False)
        if self.image is not None:
            if self.image.size() != inner.size():
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, self.image)
        elif self.placeholder and not self._loading:
            painter.setPen(QColor("#9aa4b1"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
        if self.captions_enabled and not self._loading:
            frame = self.caption_source()
            if frame is not None and frame.lines:
                layer, offset = self._caption_image(frame, target)
                painter.drawImage(target.topLeft() + offset, layer)
        if self._loading:
            self._paint_loading(painter)
        elif self.network_text:
            # Stalled or reconnecting: the last picture and its text stay, lightly veiled.
            self._paint_loading(painter, veil=70)
        if self._osd and time.monotonic() < self._osd_until:
            paint_osd_message(painter, target, self._osd)
        painter.end()
        if self.on_painted is not None:
            self.on_painted(self.image)

    def _caption_image(self, frame: CaptionFrame, target: QRectF) -> tuple[QImage, QPointF]:
        """The captions drawn on a transparent layer, redrawn only when they change, and
        where the layer goes in the picture.

        Outlined, antialiased caption text is the most expensive thing painted; it changes a
        few times a second while frames come 25 times. The layer is cut to what the captions
        cover, so each frame blends a strip, not a picture-sized layer that is mostly empty.
        """
        size = target.size().toSize()
        key = (frame, self.caption_style, size.width(), size.height())
        if key != self._caption_key:
            image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            layer = QPainter(image)
            covered = paint_captions(
                layer, QRectF(0, 0, size.width(), size.height()), frame, self.caption_style
            )
            layer.end()
            cut = covered.toAlignedRect().intersected(image.rect())
            self._caption_key = key
            self._caption_layer = (image.copy(cut), QPointF(cut.topLeft()))
        return self._caption_layer

    def _paint_loading(self, painter: QPainter, veil: int = 150) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(0, 0, 0, veil))
        centre = QRectF(self.rect()).center()
        radius = 22.0
        phase = (time.monotonic() * 1.2) % 1.0
        for i in range(12):
            angle = 2 * math.pi * i / 12
            alpha = int(255 * ((i / 12 - phase) % 1.0))
            pen = QPen(
                QColor(255, 255, 255, max(40, alpha)), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap
            )
            painter.setPen(pen)
            x, y = math.cos(angle), math.sin(angle)
            painter.drawLine(
                centre + QRectF(0, 0, x * radius * 0.55, y * radius * 0.55).bottomRight(),
                centre + QRectF(0, 0, x * radius, y * radius).bottomRight(),
            )
        text = self.network_text or "Please wait"
        if self._buffering is not None and not self.network_text:
            text += f" · buffering {self._buffering:.0f}%"
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        painter.setFont(font)
        painter.setPen(Qt.GlobalColor.white)
        painter.drawText(
            QRectF(0, centre.y() + radius + 8, self.width(), 30), Qt.AlignmentFlag.AlignHCenter, text
        )
