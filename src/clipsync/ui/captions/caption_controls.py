"""The captions over the video: which track, its style, its delay per media, on and off."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clipsync.core.captions.caption_lines import MAX_LINE_CHARS
from clipsync.core.captions.caption_style import CaptionStyle
from clipsync.core.captions.captions import CaptionFrame, CaptionTrack
from clipsync.core.errors import InputError
from clipsync.core.formats.companions import find_caption_tracks, load_text
from clipsync.core.settings import SettingsStore, media_key
from clipsync.core.text.article import Article
from clipsync.core.text.lookup import TranscriptIndex

if TYPE_CHECKING:
    from clipsync.ui.captions.caption_settings_dialog import CaptionSettingsDialog


class Playing(Protocol):
    """What the captions read of the player: what plays, its text, and where the text is."""

    @property
    def media_path(self) -> Path | None: ...
    @property
    def media_url(self) -> str | None: ...
    @property
    def article(self) -> Article | None: ...
    @property
    def index(self) -> TranscriptIndex | None: ...
    def text_position(self) -> int: ...


class CaptionSurface(Protocol):
    """Where the captions are painted (the video view)."""

    def set_caption_style(self, style: CaptionStyle) -> None: ...
    def set_captions_enabled(self, enabled: bool) -> None: ...
    def show_message(self, text: str) -> None: ...
    def update(self) -> None: ...


def line_length(size_pct: int) -> int:
    """Characters per caption line at ``size_pct``: bigger text gets shorter lines, not smaller
    letters, so a viewer who needs 200 % gets 200 % (more, shorter caption pages).

    >>> line_length(100), line_length(200), line_length(50)
    (42, 21, 42)
    """
    return max(16, min(MAX_LINE_CHARS, round(MAX_LINE_CHARS * 100 / max(size_pct, 1))))


class CaptionControls(QObject):
    """The window's caption state and the commands that change it.

    The captions come from the article, or from a track in another language beside the media
    (``talk.es.vtt``) when the viewer chose one; the style and the on/off choice are settings,
    the delay is remembered per media. They are painted on ``surface``; ``parent`` owns the
    settings dialog; ``notify`` puts a message in the status bar.
    """

    enabledChanged = Signal(bool)  # captions switched on or off

    def __init__(
        self,
        settings: SettingsStore,
        controller: Playing,
        surface: CaptionSurface,
        notify: Callable[..., None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.settings, self.controller, self.surface, self.notify = settings, controller, surface, notify
        self._parent = parent
        self.track: CaptionTrack | None = None
        self.tracks: dict[str, Path] = {}  # language -> text file
        self.style: CaptionStyle = settings.caption_style
        self.delay_ms = 0
        self.dialog: CaptionSettingsDialog | None = None

    def media_opened(self, media: Path) -> None:
        """Find the media's tracks in other languages and its caption delay (before its text loads)."""
        self.tracks = find_caption_tracks(media)
        self.delay_ms = self.settings.caption_delay_ms(media_key(media))

    def caption_now(self) -> CaptionFrame | None:
        """What the captions show at the text position, shifted by the delay."""
        if self.track is None:
            return None
        position = self.controller.text_position() - self.delay_ms
        return self.track.frame_at(position, self.style.presentation)

    def toggle(self) -> None:
        """Captions on or off (kept in the settings)."""
        enabled = not self.settings.captions_enabled
        self.settings.captions_enabled = enabled
        self.enabledChanged.emit(enabled)
        self.surface.set_captions_enabled(enabled)
        self.surface.show_message("Captions on" if enabled else "Captions off")

    def shift_delay(self, delta_ms: int) -> None:
        """Captions earlier (negative) or later, within ±10 s, remembered for this media."""
        self.delay_ms = max(-10_000, min(10_000, self.delay_ms + delta_ms))
        media, url = self.controller.media_path, self.controller.media_url
        key = media_key(media) if media is not None else url
        if key is not None:
            self.settings.set_caption_delay_ms(key, self.delay_ms)
        self.surface.show_message(f"Caption delay: {self.delay_ms:+d} ms")
        self.surface.update()

    def show_settings(self) -> None:
        """The caption settings dialog (a new one when the languages on offer changed)."""
        from clipsync.ui.captions.caption_settings_dialog import CaptionSettingsDialog

        languages = sorted(self.tracks)
        if self.dialog is None or self.dialog.languages != languages:
            if self.dialog is not None:
                self.dialog.deleteLater()
            self.dialog = CaptionSettingsDialog(self.settings, languages, self._parent)
            self.dialog.styleChanged.connect(self.set_style)
        self.dialog.show()
        self.dialog.raise_()

    def set_style(self, style: CaptionStyle) -> None:
        """Apply ``style`` at once; another language or size rebuilds the track."""
        reload = (style.language, style.size_pct) != (self.style.language, self.style.size_pct)
        self.style = style
        if reload:
            self.load_track()
        self.surface.set_caption_style(style)

    def load_track(self) -> None:
        """Captions from the chosen language's track, or from the media's own text."""
        controller = self.controller
        article = controller.article
        path = self.tracks.get(self.style.language or "")
        if path is not None:
            try:
                article = load_text(path, controller.media_path)
            except InputError as exc:
                self.notify(f"Caption track not loaded: {exc}", error=True)
        self.track = (
            CaptionTrack(article, max_chars=line_length(self.style.size_pct), index=controller.index)
            if article is not None
            else None
        )
