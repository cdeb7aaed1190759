"""The captions over the video: which track, its style, its delay per media, on and off."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from clipsync.core.captions.caption_lines import MAX_LINE_CHARS
from clipsync.core.captions.caption_style import CaptionStyle
from clipsync.core.captions.captions import CaptionFrame, CaptionTrack
from clipsync.core.errors import InputError
from clipsync.core.formats.companions import find_caption_tracks, load_text
from clipsync.core.settings import media_key

if TYPE_CHECKING:
    from clipsync.ui.captions.caption_settings_dialog import CaptionSettingsDialog
    from clipsync.ui.window.main_window import MainWindow


def line_length(size_pct: int) -> int:
    """Characters per caption line at ``size_pct``: bigger text gets shorter lines, not smaller
    letters, so a viewer who needs 200 % gets 200 % (more, shorter caption pages).

    >>> line_length(100), line_length(200), line_length(50)
    (42, 21, 42)
    """
    return max(16, min(MAX_LINE_CHARS, round(MAX_LINE_CHARS * 100 / max(size_pct, 1))))


class CaptionControls:
    """The window's caption state and the commands that change it.

    The captions come from the article, or from a track in another language beside the media
    (``talk.es.vtt``) when the viewer chose one; the style and the on/off choice are settings,
    the delay is remembered per media.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.track: CaptionTrack | None = None
        self.tracks: dict[str, Path] = {}  # language -> text file
        self.style: CaptionStyle = window.settings.caption_style
        self.delay_ms = 0
        self.dialog: CaptionSettingsDialog | None = None

    def media_opened(self, media: Path) -> None:
        """Find the media's tracks in other languages and its caption delay (before its text loads)."""
        self.tracks = find_caption_tracks(media)
        self.delay_ms = self.window.settings.caption_delay_ms(media_key(media))

    def caption_now(self) -> CaptionFrame | None:
        """What the captions show at the text position, shifted by the delay."""
        if self.track is None:
            return None
        position = self.window.controller.text_position() - self.delay_ms
        return self.track.frame_at(position, self.style.presentation)

    def toggle(self) -> None:
        """Captions on or off (kept in the settings)."""
        window = self.window
        enabled = not window.settings.captions_enabled
        window.settings.captions_enabled = enabled
        window.window_actions.captions_action.setChecked(enabled)
        window.video.set_captions_enabled(enabled)
        window.video.show_message("Captions on" if enabled else "Captions off")

    def shift_delay(self, delta_ms: int) -> None:
        """Captions earlier (negative) or later, within ±10 s, remembered for this media."""
        window = self.window
        self.delay_ms = max(-10_000, min(10_000, self.delay_ms + delta_ms))
        media, url = window.controller.media_path, window.controller.media_url
        key = media_key(media) if media is not None else url
        if key is not None:
            window.settings.set_caption_delay_ms(key, self.delay_ms)
        window.video.show_message(f"Caption delay: {self.delay_ms:+d} ms")
        window.video.update()

    def show_settings(self) -> None:
        """The caption settings dialog (a new one when the languages on offer changed)."""
        from clipsync.ui.captions.caption_settings_dialog import CaptionSettingsDialog

        languages = sorted(self.tracks)
        if self.dialog is None or self.dialog.languages != languages:
            if self.dialog is not None:
                self.dialog.deleteLater()
            self.dialog = CaptionSettingsDialog(self.window.settings, languages, self.window)
            self.dialog.styleChanged.connect(self.set_style)
        self.dialog.show()
        self.dialog.raise_()

    def set_style(self, style: CaptionStyle) -> None:
        """Apply ``style`` at once; another language or size rebuilds the track."""
        reload = (style.language, style.size_pct) != (self.style.language, self.style.size_pct)
        self.style = style
        if reload:
            self.load_track()
        self.window.video.set_caption_style(style)

    def load_track(self) -> None:
        """Captions from the chosen language's track, or from the media's own text."""
        controller = self.window.controller
        article = controller.article
        path = self.tracks.get(self.style.language or "")
        if path is not None:
            try:
                article = load_text(path, controller.media_path)
            except InputError as exc:
                self.window.notify(f"Caption track not loaded: {exc}", error=True)
        self.track = (
            CaptionTrack(article, max_chars=line_length(self.style.size_pct), index=controller.index)
            if article is not None
            else None
        )
