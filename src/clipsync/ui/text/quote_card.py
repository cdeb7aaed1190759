"""Quote cards: a picture of the quote's frame with the quote, who said it and when.

The quote is drawn by :func:`paint_captions` in the viewer's caption style, so a card looks
like the captions the viewer chose. Saving is atomic: the PNG is written beside the target
and renamed over it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QLinearGradient, QPainter

from clipsync.core.captions.caption_lines import break_into_pages
from clipsync.core.captions.caption_style import CaptionStyle
from clipsync.core.captions.captions import CaptionFrame
from clipsync.core.timing.timecode import format_clock
from clipsync.ui.captions import SAFE_X, SAFE_Y, caption_font, paint_captions

#: Lines a card holds at the style's size; longer quotes are set smaller to fit.
MAX_CARD_LINES = 9


def quote_lines(quote_text: str, max_chars: int = 42) -> tuple[str, ...]:
    """The quote in quotation marks, broken into caption lines at natural breaks."""
    text = " ".join(quote_text.split())
    if text and text[0] not in "“\"'‘«":
        text = f"“{text}”"
    return tuple(line for page in break_into_pages(text, max_chars, 1) for line in page)


def render_quote_card(
    frame: QImage | None,
    quote_text: str,
    speaker: str,
    time_ms: int,
    style: CaptionStyle,
    size: tuple[int, int] = (1280, 720),
) -> QImage:
    """The card as an image: the frame (or a plain backdrop), the quote, the speaker, the time."""
    width, height = max(16, size[0]), max(9, size[1])
    image = QImage(width, height, QImage.Format.Format_RGB32)
    area = QRectF(0, 0, width, height)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if frame is not None and not frame.isNull():
        # Fill the card, cropping the frame's overflow (as a "cover" background).
        scale = max(width / frame.width(), height / frame.height())
        w, h = frame.width() * scale, frame.height() * scale
        painter.drawImage(QRectF((width - w) / 2, (height - h) / 2, w, h), frame)
        painter.fillRect(area, QColor(0, 0, 0, 90))  # calm the picture under the text
    else:
        backdrop = QLinearGradient(0, 0, 0, height)
        backdrop.setColorAt(0, QColor("#26313d"))
        backdrop.setColorAt(1, QColor("#0d1116"))
        painter.fillRect(area, backdrop)

    lines = quote_lines(quote_text)
    if len(lines) > MAX_CARD_LINES:
        style = style.with_changes(size_pct=style.size_pct * MAX_CARD_LINES / len(lines))
    paint_captions(painter, area, CaptionFrame(lines, speaker or None), style)

    # The time, in the corner away from the quote.
    stamp = format_clock(max(0, time_ms))
    font = QFont(caption_font(style.with_changes(size_pct=70), height))
    font.setCapitalization(QFont.Capitalization.MixedCase)
    metrics = QFontMetricsF(font)
    pad = font.pixelSize() * 0.4
    box_w, box_h = metrics.horizontalAdvance(stamp) + 2 * pad, metrics.height() + pad
    y = height * SAFE_Y * 0.5 if style.position == "bottom" else height * (1 - SAFE_Y * 0.5) - box_h
    box = QRectF(width * (1 - SAFE_X) - box_w, y, box_w, box_h)
    painter.fillRect(box, QColor(0, 0, 0, 170))
    painter.setFont(font)
    painter.setPen(QColor(style.text_color))
    painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextSingleLine), stamp)
    painter.end()
    return image


def save_quote_card(
    path: Path | str,
    frame: QImage | None,
    quote_text: str,
    speaker: str,
    time_ms: int,
    style: CaptionStyle,
    size: tuple[int, int] = (1280, 720),
) -> Path:
    """Render the card and write it as PNG to ``path`` atomically; ``OSError`` when it fails."""
    path = Path(path)
    image = render_quote_card(frame, quote_text, speaker, time_ms, style, size)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        if not image.save(tmp):  # the ".png" suffix chooses the format
            raise OSError(f"the image could not be written to {path.parent}")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
