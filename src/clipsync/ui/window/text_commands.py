"""Commands on the article as a file: open one, align one, export it, save a quote as a card."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from clipsync.core.captions.caption_style import CaptionStyle
from clipsync.core.formats.subtitles import write_plain, write_srt, write_vtt
from clipsync.core.text.article import Quote
from clipsync.ui.editor import align_dialog_for
from clipsync.ui.player import PlaybackController
from clipsync.ui.text import quote_text, save_quote_card

TEXT_FILTER = "Timed text (*.sync.json *.vtt *.srt);;All files (*)"
EXPORT_WRITERS = {"vtt": write_vtt, "srt": write_srt, "txt": write_plain}


class TextCommands:
    """The File menu's text commands and saving quote cards, for one window.

    ``load_text(path, media)`` shows a text file for a media; ``caption_style()`` is the style a
    quote card is drawn in; ``parent`` owns the dialogs.
    """

    def __init__(
        self,
        controller: PlaybackController,
        load_text: Callable[[Path, Path | None], None],
        caption_style: Callable[[], CaptionStyle],
        notify: Callable[..., None],
        parent: QWidget,
    ) -> None:
        self.controller, self.load_text, self.caption_style = controller, load_text, caption_style
        self.notify, self.parent = notify, parent
        self.align_dialog: QDialog | None = None

    def choose_text(self) -> None:
        """Open a timed text file for the current media and show it at the current position."""
        path, _ = QFileDialog.getOpenFileName(self.parent, "Open text", "", TEXT_FILTER)
        if path:
            self.load_text(Path(path), self.controller.media_path)

    def align_article(self) -> None:
        """Open the dialog that aligns a plain-text article to the current media."""
        media = self.controller.media_path
        if media is None:
            self.notify("Open a media file first, then align an article to it.", error=True)
            return
        dialog = align_dialog_for(media, self.parent, lambda path: self._aligned(path, media))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.align_dialog = dialog
        dialog.open()

    def _aligned(self, sync_path: Path, media: Path) -> None:
        """Show the aligned text at once; the dialog saved it beside the media for next time."""
        if self.controller.media_path == media:
            self.load_text(sync_path, media)
            self.notify(f"Aligned text saved as {sync_path}")

    def export(self, kind: str) -> None:
        """Save the article as ``"vtt"``, ``"srt"`` or ``"txt"`` (plain text with time stamps)."""
        article = self.controller.article
        if article is None:
            self.notify("There is no text to export.", error=True)
            return
        write = EXPORT_WRITERS[kind]
        media = self.controller.media_path
        base = media.stem if media else "transcript"
        suffix = "." + kind
        path, _ = QFileDialog.getSaveFileName(self.parent, "Export text", base + suffix, f"*{suffix}")
        if not path:
            return
        try:
            write(article, Path(path))
        except OSError as exc:
            self.notify(f"Could not write {path}: {exc.strerror or exc}", error=True)
        else:
            self.notify(f"Saved {path}")

    def save_quote_card(self, quote: Quote) -> None:
        """Save a picture of the current frame with the quote and its speaker."""
        article = self.controller.article
        if article is None or quote.start_ms is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self.parent, "Save quote card", f"quote-{quote.speaker.id}-{quote.id}.png", "*.png"
        )
        if not path:
            return
        try:
            save_quote_card(
                Path(path),
                self.controller.frame,
                quote_text(article, quote),
                quote.speaker.name,
                quote.start_ms,
                self.caption_style(),
            )
        except OSError as exc:
            self.notify(f"Could not save {path}: {exc.strerror or exc}", error=True)
        else:
            self.notify(f"Saved quote card {path}")
