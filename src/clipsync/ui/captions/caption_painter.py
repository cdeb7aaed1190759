"""Drawing captions over the video with the painter that paints the frame.

The caption is laid out inside the title-safe area of the picture (5 % in from the sides,
10 % from the top or bottom), each line on its own background box, all lines inside an
optional caption window. Text is always plain text: it is turned into glyph outlines with
``QPainterPath.addText``, which never interprets markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
)

from clipsync.core.captions.caption_style import CaptionStyle
from clipsync.core.captions.captions import CaptionFrame

#: Installed fonts tried, in order, for each generic caption font (FCC 79.103 names).
FONT_CANDIDATES: dict[str, tuple[str, ...]] = {
    "mono_serif": (
        "Courier New",
        "Nimbus Mono PS",
        "FreeMono",
        "Courier",
        "Liberation Mono",
        "DejaVu Sans Mono",
    ),
    "serif": ("Times New Roman", "Liberation Serif", "Nimbus Roman", "Tinos", "DejaVu Serif"),
    "mono_sans": ("DejaVu Sans Mono", "Liberation Mono", "Noto Sans Mono", "Consolas", "Menlo"),
    "sans": ("Arial", "Liberation Sans", "Helvetica", "Nimbus Sans", "Arimo", "DejaVu Sans"),
    "casual": ("Comic Neue", "Comic Sans MS", "Comic Relief", "Chalkboard", "DejaVu Sans"),
    "cursive": (
        "Z003",
        "URW Chancery L",
        "Monotype Corsiva",
        "Apple Chancery",
        "Brush Script MT",
        "DejaVu Serif",
    ),
    "small_caps": ("Arial", "Liberation Sans", "Helvetica", "Nimbus Sans", "DejaVu Sans"),
}

#: Caption text height at 100 % as a share of the picture height (1/18: 40 px on 720p).
BASE_SIZE_RATIO = 1 / 18
SAFE_X = 0.05
SAFE_Y = 0.10


@cache
def _installed_families() -> frozenset[str]:
    # Qt lists a family once per foundry where there are several: "Z003 [urw]".
    return frozenset(re.sub(r" \[[^\]]*\]$", "", family) for family in QFontDatabase.families())


def resolved_family(generic: str) -> str:
    """The installed family used for ``generic`` (the first candidate that is installed)."""
    candidates = FONT_CANDIDATES.get(generic, FONT_CANDIDATES["sans"])
    installed = _installed_families()
    for family in candidates:
        if family in installed:
            return family
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()


def resolve_font(generic: str) -> QFont:
    """A font for one of the seven generic caption fonts, mapped to what is installed."""
    font = QFont(resolved_family(generic))
    hints = {
        "mono_serif": QFont.StyleHint.TypeWriter,
        "mono_sans": QFont.StyleHint.Monospace,
        "serif": QFont.StyleHint.Serif,
        "cursive": QFont.StyleHint.Cursive,
        "casual": QFont.StyleHint.Fantasy,
    }
    font.setStyleHint(hints.get(generic, QFont.StyleHint.SansSerif))
    if generic in ("mono_serif", "mono_sans"):
        font.setFixedPitch(True)
    if generic == "small_caps":
        font.setCapitalization(QFont.Capitalization.SmallCaps)
    return font


def font_mapping() -> dict[str, str]:
    """Generic caption font -> the installed family it is drawn with."""
    return {generic: resolved_family(generic) for generic in FONT_CANDIDATES}


def font_mapping_text(generic: str) -> str:
    """How a generic font is shown, e.g. ``"DejaVu Sans (Comic Neue not installed)"``."""
    preferred = FONT_CANDIDATES.get(generic, FONT_CANDIDATES["sans"])[0]
    used = resolved_family(generic)
    text = used if used == preferred else f"{used} ({preferred} not installed)"
    return text + (", small capitals" if generic == "small_caps" else "")


def _color(hex_color: str, opacity: float) -> QColor:
    color = QColor(hex_color)
    color.setAlphaF(max(0.0, min(1.0, opacity)))
    return color


def _edge_colors(text_color: QColor) -> tuple[QColor, QColor]:
    """(dark, light) colours for the character edge, dark contrasting with the text."""
    dark, light = QColor(0, 0, 0), QColor(255, 255, 255)
    if text_color.lightnessF() < 0.35:  # dark text: its outline and shadow must be light
        dark, light = light, QColor(90, 90, 90)
    return dark, light


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    x: float  # where the text starts
    box: QRectF  # its background box
    baseline: float


def caption_font(style: CaptionStyle, video_height: float) -> QFont:
    """The caption font of ``style`` at its size for a picture ``video_height`` pixels high."""
    font = resolve_font(style.font_family)
    font.setPixelSize(max(6, round(video_height * BASE_SIZE_RATIO * style.size_pct / 100)))
    return font


def paint_captions(painter: QPainter, video_rect: QRectF, frame: CaptionFrame, style: CaptionStyle) -> QRectF:
    """Draw ``frame`` over the picture in ``video_rect`` in ``style`` (plain text only).

    Returns the rectangle painted on (empty when nothing was), in the painter's coordinates.
    """
    lines = [line for line in frame.lines if line]
    if not lines or video_rect.isEmpty():
        return QRectF()
    style = style.clamped()
    safe = video_rect.adjusted(
        video_rect.width() * SAFE_X, video_rect.height() * SAFE_Y,
        -video_rect.width() * SAFE_X, -video_rect.height() * SAFE_Y,
    )  # fmt: skip
    font = caption_font(style, video_rect.height())
    label_font = QFont(font)
    label_font.setPixelSize(max(6, round(font.pixelSize() * 0.8)))
    label_font.setBold(True)
    label = f"{frame.speaker.upper()}:" if frame.speaker else ""

    # Lines of the final layout (paint-on grows into them) fix where text sits.
    layout = list(frame.layout_lines) if len(frame.layout_lines) >= len(lines) else lines
    pad_x = font.pixelSize() * 0.3
    # Larger sizes may not fit across the picture: shrink them just enough.
    widest = max(
        [QFontMetricsF(font).horizontalAdvance(t) for t in layout]
        + ([QFontMetricsF(label_font).horizontalAdvance(label)] if label else [])
    )
    if widest + 2 * pad_x > safe.width() > 0:
        scale = (safe.width() - 2 * pad_x) / (widest + 2 * pad_x)
        font.setPixelSize(max(6, int(font.pixelSize() * scale)))
        label_font.setPixelSize(max(6, int(label_font.pixelSize() * scale)))
        pad_x = font.pixelSize() * 0.3
    metrics, label_metrics = QFontMetricsF(font), QFontMetricsF(label_font)
    pad_y = font.pixelSize() * 0.06
    line_h = metrics.height() + 2 * pad_y
    label_h = label_metrics.height() + 2 * pad_y if label else 0.0
    window_pad = font.pixelSize() * 0.35 if style.window_opacity > 0 else 0.0
    total_h = label_h + line_h * len(layout)
    top = safe.top() + window_pad if style.position == "top" else safe.bottom() - window_pad - total_h

    placed: list[_Line] = []
    label_line: _Line | None = None
    y = top
    if label:
        w = label_metrics.horizontalAdvance(label)
        x = safe.center().x() - w / 2
        label_line = _Line(
            label, x, QRectF(x - pad_x, y, w + 2 * pad_x, label_h), y + pad_y + label_metrics.ascent()
        )
        y += label_h
    for i, full in enumerate(layout):
        if i < len(lines):
            shown = lines[i]
            x = safe.center().x() - metrics.horizontalAdvance(full) / 2
            w = metrics.horizontalAdvance(shown)
            placed.append(
                _Line(shown, x, QRectF(x - pad_x, y, w + 2 * pad_x, line_h), y + pad_y + metrics.ascent())
            )
        y += line_h

    boxes = [line.box for line in placed] + ([label_line.box] if label_line else [])
    window = boxes[0]
    for box in boxes[1:]:
        window = window.united(box)
    window = window.adjusted(-window_pad, -window_pad, window_pad, window_pad)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    if style.window_opacity > 0:
        painter.fillRect(window, _color(style.window_color, style.window_opacity))
    if style.background_opacity > 0:
        for box in boxes:
            painter.fillRect(box, _color(style.background_color, style.background_opacity))

    path = QPainterPath()
    for line in placed:
        path.addText(QPointF(line.x, line.baseline), font, line.text)
    if label_line is not None:
        path.addText(QPointF(label_line.x, label_line.baseline), label_font, label_line.text)
    text_bounds = _paint_text(painter, path, style, font.pixelSize())
    painter.restore()
    return window.united(QRectF(text_bounds)) if not text_bounds.isEmpty() else window


def _paint_text(painter: QPainter, path: QPainterPath, style: CaptionStyle, px: int) -> QRect:
    """Fill the glyph outlines with the text colour and draw the character edge; returns the
    rectangle painted on.

    Text and edge are drawn opaque into a layer first, then the layer is drawn with the text
    opacity, so a half-transparent outline never shows through the letters.
    """
    if style.text_opacity <= 0:
        return QRect()
    text_color = QColor(style.text_color)
    dark, light = _edge_colors(text_color)
    offset = max(1.0, px / 16)
    bounds = path.boundingRect().adjusted(-3 * offset, -3 * offset, 3 * offset, 3 * offset).toAlignedRect()
    if bounds.isEmpty():
        return QRect()
    ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
    layer = QImage(bounds.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
    layer.setDevicePixelRatio(ratio)
    layer.fill(Qt.GlobalColor.transparent)
    p = QPainter(layer)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.translate(-bounds.topLeft().toPointF())
    p.setPen(Qt.PenStyle.NoPen)
    if style.edge == "drop_shadow":
        p.fillPath(path.translated(offset, offset), dark)
    elif style.edge == "raised":
        p.fillPath(path.translated(-offset * 0.75, -offset * 0.75), light)
        p.fillPath(path.translated(offset * 0.75, offset * 0.75), dark)
    elif style.edge == "depressed":
        p.fillPath(path.translated(offset * 0.75, offset * 0.75), light)
        p.fillPath(path.translated(-offset * 0.75, -offset * 0.75), dark)
    elif style.edge == "uniform":
        stroker = QPainterPathStroker()
        stroker.setWidth(max(2.0, px / 9))
        stroker.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.fillPath(stroker.createStroke(path), dark)
    p.fillPath(path, QBrush(text_color))
    p.end()
    painter.save()
    painter.setOpacity(painter.opacity() * style.text_opacity)
    painter.drawImage(bounds.topLeft(), layer)
    painter.restore()
    return bounds


def paint_osd_message(painter: QPainter, rect: QRectF, text: str) -> None:
    """A brief on-screen message (e.g. "Caption delay: +150 ms") in the top-left corner."""
    if not text or rect.isEmpty():
        return
    font = QFont(painter.font())
    font.setPixelSize(max(11, round(rect.height() / 26)))
    metrics = QFontMetricsF(font)
    pad = font.pixelSize() * 0.5
    w = min(metrics.horizontalAdvance(text) + 2 * pad, rect.width() - 2 * pad)
    box = QRectF(
        rect.left() + rect.width() * SAFE_X, rect.top() + rect.height() * SAFE_X, w, metrics.height() + pad
    )
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(0, 0, 0, 170))
    painter.drawRoundedRect(box, pad / 2, pad / 2)
    painter.setFont(font)
    painter.setPen(QPen(QColor(255, 255, 255)))
    elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, box.width() - 2 * pad)
    painter.drawText(
        box.adjusted(pad, 0, -pad, 0),
        int(Qt.AlignmentFlag.AlignVCenter) | int(Qt.TextFlag.TextSingleLine),
        elided,
    )
    painter.restore()
