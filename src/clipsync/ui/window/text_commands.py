"""Commands on the article as a file: open one, align one, export it, save a quote as a card."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from clipsync.core.formats.subtitles import write_plain, write_srt, write_vtt
from clipsync.core.text.article import Quote
from clipsync.ui.text.quotes_panel import quote_text

if TYPE_CHECKING:
    from clipsync.ui.window.main_window import MainWindow

TEXT_FILTER = "Timed text (*.sync.json *.vtt *.srt);;All files (*)"
EXPORT_WRITERS = {"vtt": write_vtt, "srt": write_srt, "txt": write_plain}


class TextCommands:
    """The File menu's text commands and saving quote cards, for one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.align_dialog: QDialog | None = None  # the aligner loads on first use (start-up time)

    def choose_text(self) -> None:
        """Open a timed text file for the current media and show it at the current position."""
        window = self.window
        path, _ = QFileDialog.getOpenFileName(window, "Open text", "", TEXT_FILTER)
        if path:
            window.load_text(Path(path), window.controller.media_path)

    def align_article(self) -> None:
        """Open the dialog that aligns a plain-text article to the current media."""
        window = self.window
        media = window.controller.media_path
        if media is None:
            window.notify("Open a media file first, then align an article to it.", error=True)
            return
        from clipsync.ui.editor.align_dialog import AlignDialog

        dialog = AlignDialog(media, parent=window)
        dialog.aligned.connect(lambda path: self._aligned(Path(path), media))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.align_dialog = dialog
        dialog.open()

    def _aligned(self, sync_path: Path, media: Path) -> None:
        """Show the aligned text at once; the dialog saved it beside the media for next time."""
        if self.window.controller.media_path == media:
            self.window.load_text(sync_path, media)
            self.window.notify(f"Aligned text saved as {sync_path}")

    def export(self, kind: str) -> None:
        """Save the article as ``"vtt"``, ``"srt"`` or ``"txt"`` (plain text with time stamps)."""
        window = self.window
        article = window.controller.article
        if article is None:
            window.notify("There is no text to export.", error=True)
            return
        write = EXPORT_WRITERS[kind]
        media = window.controller.media_path
        base = media.stem if media else "transcript"
        suffix = "." + kind
        path, _ = QFileDialog.getSaveFileName(window, "Export text", base + suffix, f"*{suffix}")
        if not path:
            return
        try:
            write(article, Path(path))
        except OSError as exc:
            window.notify(f"Could not write {path}: {exc.strerror or exc}", error=True)
        else:
            window.notify(f"Saved {path}")

    def save_quote_card(self, quote: Quote) -> None:
        """Save a picture of the current frame with the quote and its speaker."""
        from clipsync.ui.text.quote_card import save_quote_card

        window = self.window
        article = window.controller.article
        if article is None or quote.start_ms is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            window, "Save quote card", f"quote-{quote.speaker.id}-{quote.id}.png", "*.png"
        )
        if not path:
            return
        try:
            save_quote_card(
                Path(path),
                window.controller.frame,
                quote_text(article, quote),
                quote.speaker.name,
                quote.start_ms,
                window.caption_controls.style,
            )
        except OSError as exc:
            window.notify(f"Could not save {path}: {exc.strerror or exc}", error=True)
        else:
            window.notify(f"Saved quote card {path}")
