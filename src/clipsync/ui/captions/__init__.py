"""Captions over the video: painting them, the caption controls, the caption settings dialog and
its widgets. Other features use what is exported here."""

from clipsync.ui.captions.caption_controls import CaptionControls, CaptionSurface
from clipsync.ui.captions.caption_painter import (
    SAFE_X,
    SAFE_Y,
    caption_font,
    paint_captions,
    paint_osd_message,
)

__all__ = [
    "SAFE_X",
    "SAFE_Y",
    "CaptionControls",
    "CaptionSurface",
    "caption_font",
    "paint_captions",
    "paint_osd_message",
]
