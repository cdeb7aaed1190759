"""The caption settings dialog's own widgets: the live preview and the colour picker."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Signal
from PySide6.QtGui import QColor, QIcon, QLinearGradient, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QColorDialog, QComboBox, QSizePolicy, QWidget

from clipsync.core.captions.caption_style import LABELS, STANDARD_COLORS, CaptionStyle
from clipsync.core.captions.captions import CaptionFrame
from clipsync.ui.captions.caption_painter import paint_captions

SAMPLE = CaptionFrame(("“We remain committed to a peaceful,", "stable, whole, united Syria.”"), "John Kerry")


class CaptionPreview(QWidget):
    """A sample caption painted over a dark sample picture, exactly as on the video."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption_style = CaptionStyle()
        self.setAccessibleName("Caption preview")
        self.setMinimumSize(480, 270)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(560, 315)

    def set_caption_style(self, style: CaptionStyle) -> None:
        self.caption_style = style
        self.setAccessibleDescription(describe(style))
        self.update()

    def picture_rect(self) -> QRectF:
        area = QRectF(self.rect())
        w = min(area.width(), area.height() * 16 / 9)
        h = w * 9 / 16
        return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101214"))
        target = self.picture_rect()
        # A dusky landscape: dark enough to be like most news footage, varied enough to
        # show how transparent backgrounds and windows look.
        sky = QLinearGradient(target.topLeft(), target.bottomLeft())
        sky.setColorAt(0.0, QColor("#3b5a78"))
        sky.setColorAt(0.6, QColor("#a77b5a"))
        sky.setColorAt(1.0, QColor("#2e2a24"))
        painter.fillRect(target, sky)
        ground = QRectF(
            target.left(), target.top() + target.height() * 0.62, target.width(), target.height() * 0.38
        )
        painter.fillRect(ground, QColor("#3a3328"))
        for i in range(6):
            x = target.left() + target.width() * (0.06 + i * 0.16)
            h = target.height() * (0.18 + 0.07 * (i % 3))
            painter.fillRect(QRectF(x, ground.top() - h, target.width() * 0.11, h), QColor("#5d5347"))
        paint_captions(painter, target, SAMPLE, self.caption_style)
        painter.end()


def describe(style: CaptionStyle) -> str:
    """A short spoken description of a style, for screen readers."""
    return (
        f"{LABELS[style.presentation]}, {_color_name(style.text_color)} text at {style.size_pct}%, "
        f"{LABELS[style.font_family]}, on {_color_name(style.background_color)} "
        f"{round(style.background_opacity * 100)}% background, edge {LABELS[style.edge].lower()}, "
        f"at the {style.position}"
    )


def _color_name(hex_color: str) -> str:
    for name, value in STANDARD_COLORS.items():
        if value == hex_color.lower():
            return name.lower()
    return hex_color


def _swatch(hex_color: str) -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor(hex_color))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#808080"))
    painter.drawRect(0, 0, 15, 15)
    painter.end()
    return QIcon(pixmap)


def ask_color(initial: QColor, parent: QWidget | None, title: str) -> QColor:
    """Ask the user for a colour (tests replace :attr:`ColorPicker.ask` instead)."""
    return QColorDialog.getColor(initial, parent, title)


class ColorPicker(QComboBox):
    """The eight standard caption colours, any custom colour in use, and "Custom…"."""

    colorChanged = Signal(str)
    #: How a custom colour is asked for; replaceable so tests never open a modal dialog.
    ask: Callable[[QColor, QWidget | None, str], QColor] = staticmethod(ask_color)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._color = "#ffffff"
        for name, value in STANDARD_COLORS.items():
            self.addItem(_swatch(value), name, value)
        self.addItem("Custom…", None)
        self.activated.connect(self._activated)

    def color(self) -> str:
        return self._color

    def set_color(self, hex_color: str) -> None:
        """Show ``hex_color`` (adding a "Custom (#rrggbb)" entry when it is not standard)."""
        hex_color = hex_color.lower()
        self._color = hex_color
        index = self.findData(hex_color)
        if index < 0:
            custom = self.count() - 1  # "Custom…"
            if self.count() > len(STANDARD_COLORS) + 1:  # replace the previous custom colour
                self.removeItem(len(STANDARD_COLORS))
                custom -= 1
            self.insertItem(custom, _swatch(hex_color), f"Custom ({hex_color})", hex_color)
            index = custom
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)

    def _activated(self, index: int) -> None:
        value = self.itemData(index)
        if value is None:  # "Custom…"
            chosen = type(self).ask(QColor(self._color), self, self.title)
            if not chosen.isValid():
                self.set_color(self._color)
                return
            value = chosen.name()
        if value != self._color:
            self.set_color(value)
            self.colorChanged.emit(self._color)
        else:
            self.set_color(value)
