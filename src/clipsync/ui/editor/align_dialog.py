"""File > Align article...: pick the text, align it in the background, save beside the media.

The article is a plain-text or Markdown file, a saved web page (.html, .htm), or, when what is
typed in the field starts with ``http://`` or ``https://``, the address of the article's page,
which is fetched on the worker thread (with the command's timeout) before aligning.

The alignment runs on a plain Python thread; its progress, result and errors reach the dialog
through queued Qt signals, so the GUI thread (and libVLC's display callbacks, which need the
GIL) keep running. The aligner feeds the decoder 2 s of sound at a time, so it never holds
the GIL for long. Cancel sets the aligner's cancel flag; nothing is written unless the run
completes, and the files are written atomically.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clipsync.align_command import is_address, load_article, review_summary, save_result
from clipsync.core.alignment import AlignmentCancelled, AlignmentResult, align_article
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import sync_path_for
from clipsync.core.text.article import Article

#: The file picker's filters: articles as text or as saved web pages.
ARTICLE_FILTERS = (
    "Articles (*.txt *.md *.markdown *.html *.htm);;Text (*.txt *.md *.markdown);;"
    "Web pages (*.html *.htm);;All files (*)"
)


class _WorkerSignals(QObject):
    """Signals emitted from the worker thread; connected queued to the dialog."""

    progress = Signal(float, object)  # fraction, seconds left or None
    finished = Signal(object)  # AlignmentResult
    failed = Signal(str)
    cancelled = Signal()
    loaded = Signal()  # the article's page arrived; aligning starts


class AlignDialog(QDialog):
    """Aligns an article to ``media_path``; emits :attr:`aligned` with the sync document's path."""

    aligned = Signal(object)  # Path of the written sync document

    def __init__(
        self, media_path: Path, parent: QWidget | None = None, *, text_path: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Align article")
        self.media_path = Path(media_path)
        self.output_path = sync_path_for(self.media_path)
        self.alignment: AlignmentResult | None = None
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._signals = _WorkerSignals()
        self._signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._signals.cancelled.connect(self._on_cancelled, Qt.ConnectionType.QueuedConnection)
        self._signals.loaded.connect(self._on_loaded, Qt.ConnectionType.QueuedConnection)

        self.text_edit = QLineEdit(str(text_path) if text_path else "")
        self.text_edit.setPlaceholderText("Text, Markdown or web page file, or the page's http(s) address")
        self.text_edit.setAccessibleName("Article file or address")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.text_edit, 1)
        row.addWidget(browse)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.status = QLabel(f"Media: {self.media_path.name}")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("Align", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Article (a file, or the address of its page):"))
        layout.addLayout(row)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(520, 180)

    # --- actions ------------------------------------------------------------------------

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Article", str(self.media_path.parent), ARTICLE_FILTERS)
        if path:
            self.text_edit.setText(path)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Read the article (a file here, an address on the worker thread) and start aligning
        in the background."""
        if self.running:
            return
        text = self.text_edit.text().strip()
        if not text:
            self._show_error("Choose the article's file, or type the address of its page, first.")
            return
        address = text if is_address(text) else None
        article: Article | None = None
        if address is None:
            try:
                article = load_article(Path(text))
            except InputError as exc:
                self._show_error(str(exc))
                return
        self._cancel.clear()
        self.start_button.setEnabled(False)
        self.progress_bar.setValue(0)
        self.status.setText(f"Fetching the article from {address}…" if address else "Aligning…")
        signals, cancel, media = self._signals, self._cancel, self.media_path

        def work() -> None:
            try:
                to_align = article
                if to_align is None:  # an address: fetched here, off the GUI thread
                    to_align = load_article(text)
                    if cancel.is_set():
                        raise AlignmentCancelled()
                    signals.loaded.emit()
                result = align_article(media, to_align, progress=signals.progress.emit, cancel=cancel)
            except AlignmentCancelled:
                signals.cancelled.emit()
            except InputError as exc:
                signals.failed.emit(str(exc))
            except Exception as exc:  # shown to the user rather than lost in a thread
                signals.failed.emit(f"Alignment failed: {exc}")
            else:
                signals.finished.emit(result)

        self._thread = threading.Thread(target=work, name="clipsync-align", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop a running alignment (nothing is written), or close the dialog."""
        if self.running:
            self._cancel.set()
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
        else:
            self.reject()

    def closeEvent(self, event: object) -> None:
        self._cancel.set()
        super().closeEvent(event)  # type: ignore[arg-type]

    def reject(self) -> None:
        self._cancel.set()
        super().reject()

    # --- worker results (GUI thread) ----------------------------------------------------

    def _on_loaded(self) -> None:
        if self.running and not self._cancel.is_set():
            self.status.setText("Aligning…")

    def _on_progress(self, fraction: float, eta: object) -> None:
        self.progress_bar.setValue(round(fraction * 1000))
        left = "" if not isinstance(eta, float | int) else f" — about {max(0, round(eta))} s left"
        self.status.setText(f"Aligning… {fraction * 100:.0f}%{left}")

    def _on_finished(self, result: AlignmentResult) -> None:
        self._thread = None
        self.cancel_button.setEnabled(True)
        if self._cancel.is_set():
            self._on_cancelled()
            return
        try:
            sync_file, _vtt = save_result(result, self.media_path, self.output_path)
        except OSError as exc:
            self._show_error(f"Cannot save next to the media: {exc}")
            return
        self.alignment = result
        self.progress_bar.setValue(1000)
        s = result.stats
        note = f"; not in the recording: {', '.join(result.unaligned)}" if result.unaligned else ""
        self.status.setText(
            f"Aligned {s.sentences_aligned} of {s.sentences} sentences{note}. {review_summary(result.article)}."
        )
        self.aligned.emit(sync_file)
        self.accept()

    def _on_failed(self, message: str) -> None:
        self._thread = None
        self._show_error(message)

    def _on_cancelled(self) -> None:
        self._thread = None
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.progress_bar.setValue(0)
        self.status.setText("Cancelled; nothing was saved.")

    def _show_error(self, message: str) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.status.setText(message)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the worker thread to end (for tests and shutdown)."""
        if self._thread is not None:
            self._thread.join(timeout)
