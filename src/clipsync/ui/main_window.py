"""MainWindow: the video, the timeline and transport, the article and the quotes, wired to
one :class:`PlaybackController`. This is where the Qt layer is assembled."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSlider,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clipsync.core.article import Article, Quote, Sentence
from clipsync.core.caption_lines import MAX_LINE_CHARS
from clipsync.core.caption_style import CaptionStyle
from clipsync.core.captions import CaptionFrame, CaptionTrack
from clipsync.core.errors import InputError
from clipsync.core.settings import SettingsStore
from clipsync.core.subtitles import article_from_cues, read_srt, read_vtt, write_plain, write_srt, write_vtt
from clipsync.core.syncdoc import load_sync, sync_path_for
from clipsync.core.timecode import format_clock
from clipsync.ui.article_view import ArticleView
from clipsync.ui.controller import PlaybackController, State
from clipsync.ui.quotes_panel import QuotesPanel, quote_text
from clipsync.ui.timeline import Timeline
from clipsync.ui.video_view import VideoView

if TYPE_CHECKING:
    from clipsync.ui.caption_settings_dialog import CaptionSettingsDialog

RATES = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
MEDIA_FILTER = (
    "Media (*.mp4 *.m4v *.mkv *.webm *.mov *.avi *.mp3 *.m4a *.wav *.ogg *.opus *.flac);;All files (*)"
)
TEXT_FILTER = "Timed text (*.sync.json *.vtt *.srt);;All files (*)"
NO_TEXT_HINT = (
    "No text for this media yet.\n\nTo add text: File > Open text… (a .sync.json, .vtt or .srt file), "
    "or File > Align article… to align a plain-text article to the recording. "
    "A file named like the media with .sync.json, .vtt or .srt beside it opens by itself."
)


def load_text(path: Path, media: Path | None = None) -> Article:
    """An article from a sync document, WebVTT or SRT file (``InputError`` when it is bad)."""
    name = path.name.lower()
    if name.endswith(".vtt"):
        return article_from_cues(read_vtt(path), title=path.stem, media_file=media.name if media else None)
    if name.endswith(".srt"):
        return article_from_cues(read_srt(path), title=path.stem, media_file=media.name if media else None)
    return load_sync(path)


def find_text_for(media: Path) -> Path | None:
    """The text file that belongs to ``media``: same folder, same stem."""
    for candidate in (sync_path_for(media), media.with_suffix(".vtt"), media.with_suffix(".srt")):
        if candidate.is_file():
            return candidate
    return None


#: Keyboard focus must be plain to see (WCAG 2.4.7); Fusion's own focus frame is faint.
FOCUS_STYLE = """
QTextEdit:focus, QTreeWidget:focus, QLineEdit:focus, QComboBox:focus { border: 2px solid #1c7ed6; }
QPushButton:focus, QToolButton:focus { border: 2px solid #1c7ed6; border-radius: 3px; padding: 3px 8px; }
QSlider:focus { border: 1px dashed #1c7ed6; }
"""


def line_length(size_pct: int) -> int:
    """Characters per caption line at ``size_pct``: bigger text gets shorter lines, not smaller
    letters, so a viewer who needs 200 % gets 200 % (more, shorter caption pages).

    >>> line_length(100), line_length(200), line_length(50)
    (42, 21, 42)
    """
    return max(16, min(MAX_LINE_CHARS, round(MAX_LINE_CHARS * 100 / max(size_pct, 1))))


def find_caption_tracks(media: Path) -> dict[str, Path]:
    """Caption tracks in other languages beside ``media``: ``talk.es.vtt``, ``talk.fr.sync.json``..."""
    tracks: dict[str, Path] = {}
    pattern = re.compile(re.escape(media.stem) + r"\.([a-z]{2,3}(?:-[A-Za-z]{2})?)\.(?:vtt|srt|sync\.json)$")
    try:
        candidates = sorted(media.parent.iterdir())
    except OSError:
        return tracks
    for candidate in candidates:
        match = pattern.match(candidate.name)
        if match and candidate.is_file():
            tracks.setdefault(match.group(1), candidate)
    return tracks


class ErrorPanel(QWidget):
    """ "No media source currently available", the reason, and ways out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Error")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet("ErrorPanel { background: #15181c; } QLabel { color: #eceff3; }")
        self.title = QLabel("No media source currently available", self)
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600; color: #ff8787;")
        self.reason = QLabel(self)
        self.reason.setTextFormat(Qt.TextFormat.PlainText)
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Error reason")
        self.open_button = QPushButton("Open…", self)
        self.retry_button = QPushButton("Retry", self)
        self.open_button.setAccessibleName("Open a media file")
        self.retry_button.setAccessibleName("Retry")
        for label in (self.title, self.reason):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.retry_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addStretch()
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addLayout(buttons)
        layout.addStretch()


class MainWindow(QMainWindow):
    """The clipsync window."""

    def __init__(self, controller: PlaybackController, settings: SettingsStore) -> None:
        super().__init__()
        self.controller = controller
        self.settings = settings
        self.captions: CaptionTrack | None = None
        self.caption_tracks: dict[str, Path] = {}  # language -> text file
        self.caption_style: CaptionStyle = settings.caption_style
        self.caption_delay_ms = 0
        self._resume_to = 0
        self._caption_dialog: CaptionSettingsDialog | None = None
        self.align_dialog: QDialog | None = None  # the aligner loads on first use (start-up time)
        self.setWindowTitle("clipsync")
        self.resize(1280, 760)
        self._build_widgets()
        self._build_actions()
        self._connect()
        self.statusBar().setAccessibleName("Status")
        self._set_state(State.IDLE)
        if settings.warning:
            self.notify(settings.warning, error=True)

    # Layout ----------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.video = VideoView(self)
        self.video.caption_source = self._caption_now
        self.video.set_caption_style(self.caption_style)
        self.video.set_captions_enabled(self.settings.captions_enabled)
        self.error_panel = ErrorPanel(self)
        self.stage = QStackedWidget(self)
        self.stage.addWidget(self.video)
        self.stage.addWidget(self.error_panel)

        self.resume_bar = QWidget(self)
        self.resume_label = QLabel(self.resume_bar)
        self.resume_label.setTextFormat(Qt.TextFormat.PlainText)
        self.resume_button = QPushButton("Resume", self.resume_bar)
        self.restart_button = QPushButton("Start over", self.resume_bar)
        bar = QHBoxLayout(self.resume_bar)
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.resume_label, 1)
        bar.addWidget(self.resume_button)
        bar.addWidget(self.restart_button)
        self.resume_bar.hide()

        self.timeline = Timeline(self)
        self.play_button = QToolButton(self)
        self.play_button.setAccessibleName("Play")
        self.play_button.setIconSize(QSize(22, 22))
        self.rate_box = QComboBox(self)
        self.rate_box.setAccessibleName("Playback speed")
        self.rate_box.setToolTip("Playback speed (pitch is kept)")
        for rate in RATES:
            self.rate_box.addItem(f"{rate:g}×", rate)
        self.rate_box.setCurrentIndex(RATES.index(1.0))
        self.mute_button = QToolButton(self)
        self.mute_button.setCheckable(True)
        self.mute_button.setAccessibleName("Mute")
        self.mute_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaVolume))
        self.volume = QSlider(Qt.Orientation.Horizontal, self)
        self.volume.setRange(0, 100)
        self.volume.setValue(int(self.settings.get("volume", 100)))
        self.volume.setMaximumWidth(110)
        self.volume.setAccessibleName("Volume")
        self.time_label = QLabel("0:00 / 0:00", self)
        self.time_label.setAccessibleName("Time")
        transport = QHBoxLayout()
        transport.setContentsMargins(6, 0, 6, 4)
        transport.addWidget(self.play_button)
        transport.addWidget(self.time_label)
        transport.addStretch()
        transport.addWidget(QLabel("Speed", self))
        transport.addWidget(self.rate_box)
        transport.addWidget(self.mute_button)
        transport.addWidget(self.volume)

        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.resume_bar)
        column.addWidget(self.stage, 1)
        column.addWidget(self.timeline)
        column.addLayout(transport)

        self.article_view = ArticleView(self)
        self.quotes = QuotesPanel(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.article_view, "Article")
        self.tabs.addTab(self.quotes, "Quotes")
        self.tabs.setAccessibleName("Text panels")

        self.splitter = QSplitter(self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([760, 520])
        self.setCentralWidget(self.splitter)
        self.setStyleSheet(FOCUS_STYLE)

    def _action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
        *,
        single_key: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if single_key:
            self._single_keys[action] = action.shortcut()
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self._single_keys: dict[QAction, QKeySequence] = {}  # action -> its one-key shortcut
        c = self.controller
        a = self._action
        self.open_action = a("&Open media…", self.choose_media, QKeySequence.StandardKey.Open)
        self.open_text_action = a("Open &text…", self.choose_text, "Ctrl+T")
        self.align_action = a("&Align article…", self.align_article, "Ctrl+Shift+A")
        self.export_vtt = a("Export as &WebVTT…", lambda: self.export("vtt"))
        self.export_srt = a("Export as &SRT…", lambda: self.export("srt"))
        self.export_txt = a("Export as plain text with &time stamps…", lambda: self.export("txt"))
        self.quit_action = a("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.play_action = a("&Play/Pause", c.toggle, "Space", single_key=True)
        self.play_k = a("Play/Pause (K)", c.toggle, "K", single_key=True)
        self.back5 = a("Back 5 s", lambda: c.seek_relative(-5000), "Left", single_key=True)
        self.fwd5 = a("Forward 5 s", lambda: c.seek_relative(5000), "Right", single_key=True)
        self.back10 = a("Back 10 s", lambda: c.seek_relative(-10000), "J", single_key=True)
        self.fwd10 = a("Forward 10 s", lambda: c.seek_relative(10000), "L", single_key=True)
        self.home = a("To the start", lambda: c.seek(0), "Home", single_key=True)
        self.end = a("To the end", lambda: c.seek(max(0, c.length_ms - 500)), "End", single_key=True)
        self.next_quote = a("Next quote", lambda: self.jump_quote(+1), "]", single_key=True)
        self.prev_quote = a("Previous quote", lambda: self.jump_quote(-1), "[", single_key=True)
        self.frame_fwd = a("Next frame (paused)", lambda: c.step_frame(True), ".", single_key=True)
        self.frame_back = a("Previous frame (paused)", lambda: c.step_frame(False), ",", single_key=True)
        self.faster = a("Faster", lambda: self.step_rate(+1), "Ctrl+Up")
        self.slower = a("Slower", lambda: self.step_rate(-1), "Ctrl+Down")
        self.mute_action = a("&Mute", lambda: self.mute_button.toggle(), "M", single_key=True)
        self.captions_action = a("&Captions", self.toggle_captions, "C", single_key=True)
        self.captions_action.setCheckable(True)
        self.captions_action.setChecked(self.settings.captions_enabled)
        self.delay_down = a(
            "Captions earlier (−50 ms)", lambda: self.shift_caption_delay(-50), "G", single_key=True
        )
        self.delay_up = a(
            "Captions later (+50 ms)", lambda: self.shift_caption_delay(50), "H", single_key=True
        )
        self.caption_settings_action = a("Caption &settings…", self.show_caption_settings, "Ctrl+Shift+C")
        self.fullscreen_action = a("&Full screen", self.toggle_fullscreen, "F", single_key=True)
        self.leave_fullscreen = a("Leave full screen", self.exit_fullscreen, "Esc")
        self.leave_fullscreen.setEnabled(False)  # Esc belongs to dialogs and the search box otherwise
        self.find_action = a("&Find in article", self.find_in_article, QKeySequence.StandardKey.Find)
        self.single_keys_action = a("Single-key shortcuts", self.set_single_keys)
        self.single_keys_action.setCheckable(True)
        self.single_keys_action.setChecked(bool(self.settings.get("single_key_shortcuts", True)))
        self.single_keys_action.setToolTip(
            "Turn off one-letter shortcuts (WCAG 2.1.4) if they get in your way"
        )
        self.shortcuts_action = a("&Keyboard shortcuts", self.show_shortcuts, "F1")
        self.set_single_keys(self.single_keys_action.isChecked())

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        for action in (self.open_action, self.open_text_action, self.align_action):
            file_menu.addAction(action)
        export = file_menu.addMenu("&Export text")
        for action in (self.export_vtt, self.export_srt, self.export_txt):
            export.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        play_menu = menu.addMenu("&Playback")
        for action in (
            self.play_action, self.back5, self.fwd5, self.back10, self.fwd10, self.home, self.end,
            self.prev_quote, self.next_quote, self.frame_back, self.frame_fwd, self.faster, self.slower, self.mute_action,
        ):  # fmt: skip
            play_menu.addAction(action)
        view_menu = menu.addMenu("&View")
        for action in (
            self.captions_action, self.delay_down, self.delay_up, self.caption_settings_action,
            self.fullscreen_action, self.find_action, self.single_keys_action,
        ):  # fmt: skip
            view_menu.addAction(action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.open_action.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.captions_action)
        toolbar.addAction(self.caption_settings_action)
        self.addToolBar(toolbar)
        for action in toolbar.actions():
            widget = toolbar.widgetForAction(action)
            if widget is not None:
                widget.setAccessibleName(action.text().replace("&", "").rstrip("…"))

    def _connect(self) -> None:
        c = self.controller
        c.stateChanged.connect(self._set_state)
        c.errorChanged.connect(self.error_panel.reason.setText)
        c.bufferingChanged.connect(self.video.set_buffering)
        c.frameReady.connect(self.video.set_image)
        c.nowChanged.connect(self._now_changed)
        c.positionTick.connect(self._position_changed)
        c.lengthChanged.connect(self._length_changed)
        c.seekableChanged.connect(self._seekable_changed)
        self.play_button.clicked.connect(c.toggle)
        self.rate_box.currentIndexChanged.connect(self._rate_chosen)
        self.mute_button.toggled.connect(self._mute)
        self.volume.valueChanged.connect(self._volume)
        self.timeline.slider.seekRequested.connect(c.seek)
        self.timeline.slider.quoteActivated.connect(self.play_quote)
        self.article_view.sentenceActivated.connect(self.play_sentence)
        self.quotes.quoteActivated.connect(self.play_quote)
        self.quotes.playQuoteOnly.connect(self.play_quote_only)
        self.quotes.saveQuoteCard.connect(self.save_quote_card)
        self.error_panel.open_button.clicked.connect(self.choose_media)
        self.error_panel.retry_button.clicked.connect(c.retry)
        self.video.doubleClicked.connect(self.toggle_fullscreen)
        self.resume_button.clicked.connect(self._resume)
        self.restart_button.clicked.connect(self.resume_bar.hide)

    # Opening ---------------------------------------------------------------------------
    def open_media(self, media: Path, text: Path | None = None, start_ms: int | None = None) -> None:
        """Open ``media`` with its text (given, or found beside it) and play it."""
        self._remember_position()
        media = Path(media)
        self.resume_bar.hide()
        self.caption_tracks = find_caption_tracks(media)
        self.load_text(text or find_text_for(media), media)
        key = self._media_key(media)
        self.caption_delay_ms = self.settings.caption_delay_ms(key)
        self.setWindowTitle(f"{media.name} – clipsync")
        self.controller.open(media, start_ms or 0)
        if self.controller.state is not State.ERROR:
            self.controller.set_rate(RATES[self.rate_box.currentIndex()])
            self._volume(self.volume.value())
            self._mute(self.mute_button.isChecked())
        saved = self.settings.resume_position_ms(key)
        if start_ms is None and saved and saved > 5000 and self.controller.state is not State.ERROR:
            self._resume_to = saved
            self.resume_label.setText(f"You stopped at {format_clock(saved)} last time.")
            self.resume_button.setText(f"Resume from {format_clock(saved)}")
            self.resume_bar.show()

    def load_text(self, path: Path | None, media: Path | None = None) -> None:
        """Load the article for the media; a bad file is reported and the media still plays."""
        article, hint = None, NO_TEXT_HINT
        if path is not None:
            try:
                article = load_text(Path(path), media)
            except InputError as exc:
                hint = f"The text could not be loaded.\n\n{exc}\n\n{NO_TEXT_HINT}"
                self.notify(f"Text not loaded: {exc}", error=True)
        self.controller.set_article(article)
        self._load_caption_track()
        self.article_view.set_article(article, hint)
        self.article_view.set_now(self.controller.now)  # set_article cleared the highlight
        self.quotes.set_article(article)
        self.timeline.slider.set_article(article)
        if article is not None and article.duration_ms and not self.controller.length_ms:
            self._length_changed(article.duration_ms)
        self.tabs.setTabText(1, f"Quotes ({len(article.quotes)})" if article else "Quotes")

    def choose_media(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open media", "", MEDIA_FILTER)
        if path:
            self.open_media(Path(path))

    def choose_text(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open text", "", TEXT_FILTER)
        if path:
            self.load_text(Path(path), self.controller.media_path)
            self.controller.seek(self.controller.position())

    def align_article(self) -> None:
        media = self.controller.media_path
        if media is None:
            self.notify("Open a media file first, then align an article to it.", error=True)
            return
        from clipsync.ui.align_dialog import AlignDialog

        dialog = AlignDialog(media, parent=self)
        dialog.aligned.connect(lambda path: self._aligned(Path(path), media))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.align_dialog = dialog
        dialog.open()

    def _aligned(self, sync_path: Path, media: Path) -> None:
        """Show the aligned text at once; the dialog saved it beside the media for next time."""
        if self.controller.media_path == media:
            self.load_text(sync_path, media)
            self.notify(f"Aligned text saved as {sync_path}")

    def export(self, kind: str) -> None:
        article = self.controller.article
        if article is None:
            self.notify("There is no text to export.", error=True)
            return
        base = self.controller.media_path.stem if self.controller.media_path else "transcript"
        suffix = {"vtt": ".vtt", "srt": ".srt", "txt": ".txt"}[kind]
        path, _ = QFileDialog.getSaveFileName(self, "Export text", base + suffix, f"*{suffix}")
        if not path:
            return
        try:
            {"vtt": write_vtt, "srt": write_srt, "txt": write_plain}[kind](article, Path(path))
        except OSError as exc:
            self.notify(f"Could not write {path}: {exc.strerror or exc}", error=True)
        else:
            self.notify(f"Saved {path}")

    # Playing from the text -------------------------------------------------------------
    def play_sentence(self, sentence: Sentence) -> None:
        if sentence.start_ms is None:
            self.notify("This sentence was not found in the recording, so it has no time.", error=True)
            return
        self.article_view.set_following(True)
        self.controller.seek(sentence.start_ms, play=True)

    def play_quote(self, quote: Quote) -> None:
        if quote.start_ms is not None:
            self.article_view.set_following(True)
            self.controller.seek(quote.start_ms, play=True)

    def play_quote_only(self, quote: Quote) -> None:
        if quote.start_ms is not None and quote.end_ms is not None:
            self.article_view.set_following(True)
            self.controller.play_range(quote.start_ms, quote.end_ms)

    def jump_quote(self, direction: int) -> None:
        index = self.controller.index
        if index is None:
            return
        position = self.controller.position()
        quote = index.next_quote(position) if direction > 0 else index.previous_quote(position)
        if quote is not None:
            self.play_quote(quote)
        elif direction < 0:
            self.controller.seek(0)

    def save_quote_card(self, quote: Quote) -> None:
        from clipsync.ui.quote_card import save_quote_card

        article = self.controller.article
        if article is None or quote.start_ms is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save quote card", f"quote-{quote.speaker.id}-{quote.id}.png", "*.png"
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
                self.caption_style,
            )
        except OSError as exc:
            self.notify(f"Could not save {path}: {exc.strerror or exc}", error=True)
        else:
            self.notify(f"Saved quote card {path}")

    # Captions --------------------------------------------------------------------------
    def _caption_now(self) -> CaptionFrame | None:
        if self.captions is None:
            return None
        return self.captions.frame_at(
            self.controller.text_position() - self.caption_delay_ms, self.caption_style.presentation
        )

    def toggle_captions(self) -> None:
        enabled = not self.settings.captions_enabled
        self.settings.captions_enabled = enabled
        self.captions_action.setChecked(enabled)
        self.video.set_captions_enabled(enabled)
        self.video.show_message("Captions on" if enabled else "Captions off")

    def shift_caption_delay(self, delta_ms: int) -> None:
        self.caption_delay_ms = max(-10_000, min(10_000, self.caption_delay_ms + delta_ms))
        if self.controller.media_path is not None:
            self.settings.set_caption_delay_ms(
                self._media_key(self.controller.media_path), self.caption_delay_ms
            )
        self.video.show_message(f"Caption delay: {self.caption_delay_ms:+d} ms")
        self.video.update()

    def show_caption_settings(self) -> None:
        from clipsync.ui.caption_settings_dialog import CaptionSettingsDialog

        languages = sorted(self.caption_tracks)
        if self._caption_dialog is None or self._caption_dialog.languages != languages:
            if self._caption_dialog is not None:
                self._caption_dialog.deleteLater()
            self._caption_dialog = CaptionSettingsDialog(self.settings, languages, self)
            self._caption_dialog.styleChanged.connect(self.set_caption_style)
        self._caption_dialog.show()
        self._caption_dialog.raise_()

    def set_caption_style(self, style: CaptionStyle) -> None:
        reload = (style.language, style.size_pct) != (
            self.caption_style.language,
            self.caption_style.size_pct,
        )
        self.caption_style = style
        if reload:
            self._load_caption_track()
        self.video.set_caption_style(style)

    def _load_caption_track(self) -> None:
        """Captions from the chosen language's track, or from the media's own text."""
        article = self.controller.article
        path = self.caption_tracks.get(self.caption_style.language or "")
        if path is not None:
            try:
                article = load_text(path, self.controller.media_path)
            except InputError as exc:
                self.notify(f"Caption track not loaded: {exc}", error=True)
        self.captions = (
            CaptionTrack(article, max_chars=line_length(self.caption_style.size_pct))
            if article is not None
            else None
        )

    # View updates ----------------------------------------------------------------------
    def _set_state(self, state: State) -> None:
        self.stage.setCurrentWidget(self.error_panel if state is State.ERROR else self.video)
        self.video.set_loading(state is State.OPENING)
        playing = state is State.PLAYING
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setAccessibleName("Pause" if playing else "Play")
        self.play_button.setToolTip("Pause (Space)" if playing else "Play (Space)")
        self.play_button.setEnabled(state not in (State.ERROR, State.IDLE))
        if state is State.ERROR:
            self.timeline.slider.setEnabled(False)
            self.notify(f"No media source currently available: {self.controller.error}", error=True)
        elif state is State.ENDED:
            self.notify("Ended. Press Play to watch again.")

    def _now_changed(self, now: object) -> None:
        self.article_view.set_now(self.controller.now)
        self.article_view.set_read_position(self.controller.text_position())
        self.video.update()

    def _position_changed(self, position: int) -> None:
        self.timeline.set_position(position)
        self.time_label.setText(f"{format_clock(position)} / {format_clock(self.timeline.length_ms)}")
        self.article_view.set_read_position(position)

    def _length_changed(self, length: int) -> None:
        self.timeline.set_length(length)
        self.time_label.setText(f"{format_clock(self.controller.position())} / {format_clock(length)}")

    def _seekable_changed(self, seekable: bool) -> None:
        self.timeline.slider.setEnabled(seekable)

    def _mute(self, muted: bool) -> None:
        if self.controller.player is not None:
            self.controller.player.set_muted(muted)
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if muted else QStyle.StandardPixmap.SP_MediaVolume
        self.mute_button.setIcon(self.style().standardIcon(icon))
        self.mute_button.setAccessibleName("Unmute" if muted else "Mute")

    def _volume(self, value: int) -> None:
        if self.controller.player is not None:
            self.controller.player.set_volume(value)
        self.volume.setToolTip(f"Volume {value}%")

    def _rate_chosen(self, index: int) -> None:
        self.controller.set_rate(RATES[index])
        self.video.show_message(f"Speed {RATES[index]:g}×")

    def step_rate(self, direction: int) -> None:
        index = max(0, min(len(RATES) - 1, self.rate_box.currentIndex() + direction))
        self.rate_box.setCurrentIndex(index)

    def _resume(self) -> None:
        self.resume_bar.hide()
        self.controller.seek(self._resume_to, play=True)

    def notify(self, message: str, *, error: bool = False) -> None:
        """A status message, also set as the window's accessible description (announced)."""
        self.statusBar().showMessage(message, 0 if error else 6000)
        self.statusBar().setAccessibleDescription(message)

    def find_in_article(self) -> None:
        self.tabs.setCurrentWidget(self.article_view)
        self.article_view.open_search()

    def toggle_fullscreen(self) -> None:
        if self.isFullScreen():
            self.exit_fullscreen()
            return
        self.menuBar().hide()
        for toolbar in self.findChildren(QToolBar):
            toolbar.hide()
        self.tabs.hide()
        self.statusBar().hide()
        self.leave_fullscreen.setEnabled(True)
        self.showFullScreen()

    def exit_fullscreen(self) -> None:
        if not self.isFullScreen():
            return
        self.leave_fullscreen.setEnabled(False)
        self.showNormal()
        self.menuBar().show()
        for toolbar in self.findChildren(QToolBar):
            toolbar.show()
        self.tabs.show()
        self.statusBar().show()

    def set_single_keys(self, enabled: bool) -> None:
        """Single-key shortcuts can be switched off (WCAG 2.1.4); menus still work."""
        self.settings.set("single_key_shortcuts", bool(enabled))
        for action, key in self._single_keys.items():
            action.setShortcut(key if enabled else QKeySequence())

    def show_shortcuts(self) -> None:
        lines = []
        for action in self.actions():
            key = self._single_keys.get(action, action.shortcut())
            if not key.isEmpty():
                off = "" if action.shortcut() == key else "  (single-key shortcuts are off)"
                lines.append(f"{key.toString()}\t{action.text().replace('&', '')}{off}")
        box = QMessageBox(QMessageBox.Icon.Information, "Keyboard shortcuts", "\n".join(lines), parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()

    # Leaving ---------------------------------------------------------------------------
    @staticmethod
    def _media_key(media: Path) -> str:
        try:
            return str(media.resolve())
        except OSError:
            return str(media)

    def _remember_position(self) -> None:
        media = self.controller.media_path
        if media is None or self.controller.state in (State.ERROR, State.IDLE, State.OPENING):
            return
        position = self.controller.position()
        ended = self.controller.state is State.ENDED or position > self.controller.length_ms - 5000
        self.settings.set_resume_position_ms(self._media_key(media), 0 if ended else position)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._remember_position()
        self.settings.set("volume", self.volume.value())
        self.controller.shutdown()
        super().closeEvent(event)
