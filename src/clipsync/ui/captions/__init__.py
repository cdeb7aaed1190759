"""Captions over the video: painting them, the caption controls, the caption settings dialog and its widgets."""
