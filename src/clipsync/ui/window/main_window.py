"""MainWindow: the video, the timeline and transport, the article and the quotes, wired to
one :class:`PlaybackController`. This is where the Qt layer is assembled: each feature (player,
text, captions, editor) is built here and handed what it uses (the controller, the views it acts
on, the settings, :meth:`MainWindow.notify`); no feature imports this window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from clipsync.core.captions.caption_style import CaptionStyle
from clipsync.core.collector import collector_paused
from clipsync.core.errors import InputError
from clipsync.core.formats.companions import find_text_for, load_text
from clipsync.core.settings import SettingsStore, media_key
from clipsync.core.text.article import Article, Quote, Sentence
from clipsync.media.player import VoicePlayer
from clipsync.ui.a11y import Announcer, PlaybackAnnouncements
from clipsync.ui.captions import CaptionControls
from clipsync.ui.descriptions import DescriptionCommands, DescriptionHost
from clipsync.ui.editor import EditorHost, TimingActions
from clipsync.ui.player import (
    ErrorPanel,
    PlaybackController,
    ResumeBar,
    State,
    Timeline,
    TransportBar,
    VideoView,
)
from clipsync.ui.text import ArticleView, QuotesPanel
from clipsync.ui.window.location_commands import LocationCommands
from clipsync.ui.window.player_views import PlayerViews, Views
from clipsync.ui.window.text_commands import TextCommands
from clipsync.ui.window.window_actions import WindowActions

MEDIA_FILTER = (
    "Media (*.mp4 *.m4v *.mkv *.webm *.mov *.avi *.mp3 *.m4a *.wav *.ogg *.opus *.flac);;All files (*)"
)
NO_TEXT_HINT = (
    "No text for this media yet.\n\nTo add text: File > Open text… (a .sync.json, .vtt or .srt file), "
    "or File > Align article… to align a plain-text article to the recording. "
    "A file named like the media with .sync.json, .vtt or .srt beside it opens by itself."
)

#: Keyboard focus must be plain to see (WCAG 2.4.7); Fusion's own focus frame is faint.
FOCUS_STYLE = """
QTextEdit:focus, QTreeWidget:focus, QLineEdit:focus, QComboBox:focus { border: 2px solid #1c7ed6; }
QPushButton:focus, QToolButton:focus { border: 2px solid #1c7ed6; border-radius: 3px; padding: 3px 8px; }
QSlider:focus { border: 1px dashed #1c7ed6; }
"""


class MainWindow(QMainWindow):
    """The clipsync window."""

    def __init__(
        self,
        controller: PlaybackController,
        settings: SettingsStore,
        make_voice: Callable[[], VoicePlayer] | None = None,
    ) -> None:
        super().__init__()
        self.controller = controller
        self.settings = settings
        self.setWindowTitle("clipsync")
        self.resize(1280, 760)
        self._build_widgets()
        self.announcer = Announcer(self)  # status for screen readers (notify goes there too)
        self.playback_status = PlaybackAnnouncements(controller, self.announcer.say, parent=self.announcer)
        self.text_commands = TextCommands(
            controller, self.load_text, lambda: self.caption_controls.style, self.notify, self
        )
        self.location_commands = LocationCommands(
            self,
            controller=controller,
            captions=self.caption_controls,
            video=self.video,
            status_bar=self.statusBar(),
            settings=settings,
            notify=self.notify,
            parent=self,
        )
        self.window_actions = WindowActions(
            self,
            self,
            controller=controller,
            transport=self.transport,
            captions=self.caption_controls,
            text=self.text_commands,
            locations=self.location_commands,
            settings=settings,
        )
        self.timing = TimingActions(  # Edit timings mode (Ctrl+E)
            EditorHost(
                parent=self,
                controller=controller,
                menu_bar=self.menuBar(),
                add_action=self.window_actions.add_action,
                single_keys_on=self.window_actions.single_keys_action.isChecked,
                recovery_anchor=self.resume_bar,
                editor_anchor=self.timeline,
                publish=self.show_edited,
                notify=self.notify,
                set_modified=self.setWindowModified,
                description_lengths=lambda: self.descriptions.voice.lengths(),
            )
        )
        self.descriptions = DescriptionCommands(  # described video (make_voice: its second player)
            DescriptionHost(
                parent=self,
                controller=controller,
                settings=settings,
                menu_bar=self.menuBar(),
                add_action=self.window_actions.add_action,
                publish=self.show_edited,
                notify=self.notify,
                volume=self.transport.volume.value,
                show_in_article=self.article_view.set_descriptions_shown,
                make_voice=make_voice,
                announce=self.announcer.say,
            )
        )
        column = self.stage.parentWidget().layout()  # type: ignore[union-attr]  # (built above)
        assert isinstance(column, QVBoxLayout)
        column.insertWidget(column.indexOf(self.stage) + 1, self.descriptions.text)
        # Names its callers (tests, benchmarks) reach on the window itself.
        self.play_button = self.transport.play_button
        self.rate_box = self.transport.rate_box
        self.time_label = self.transport.time_label
        self.resume_button = self.resume_bar.resume_button
        self.play_action = self.window_actions.play_action
        self.captions_action = self.window_actions.captions_action
        self.caption_settings_action = self.window_actions.caption_settings_action
        self.single_keys_action = self.window_actions.single_keys_action
        self._caption_now = self.caption_controls.caption_now
        self.set_caption_style = self.caption_controls.set_style
        self.align_article = self.text_commands.align_article
        self._connect()
        self.statusBar().setAccessibleName("Status")
        self.statusBar().addPermanentWidget(self.announcer.status)
        self.player_views.set_state(State.IDLE)
        if settings.warning:
            self.notify(settings.warning, error=True)

    # Layout ----------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.video = VideoView(self)
        self.caption_controls = CaptionControls(self.settings, self.controller, self.video, self.notify, self)
        self.video.caption_source = self.caption_controls.caption_now
        self.video.set_caption_style(self.caption_controls.style)
        self.video.set_captions_enabled(self.settings.captions_enabled)
        self.error_panel = ErrorPanel(self)
        self.stage = QStackedWidget(self)
        self.stage.addWidget(self.video)
        self.stage.addWidget(self.error_panel)

        self.resume_bar = ResumeBar(self)
        self.timeline = Timeline(self)
        self.transport = TransportBar(int(self.settings.get("volume", 100)), self)

        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.resume_bar)
        column.addWidget(self.stage, 1)
        column.addWidget(self.timeline)
        column.addWidget(self.transport)

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

    def _connect(self) -> None:
        c = self.controller
        self.player_views = PlayerViews(
            c,
            Views(self.stage, self.video, self.error_panel, self.timeline, self.transport, self.article_view),
            self.notify,
            self.playback_status,
            self,
        )
        c.networkChanged.connect(self.location_commands.network_changed)
        self.timeline.slider.quoteActivated.connect(self.play_quote)
        self.article_view.sentenceActivated.connect(self.play_sentence)
        self.article_view.sentenceActivated.connect(self.timing.sentence_activated)
        self.article_view.wordActivated.connect(self.play_word)
        self.article_view.descriptionActivated.connect(lambda d: self.controller.seek(d.time_ms, play=True))
        self.descriptions.voice.saying.connect(lambda d: self.article_view.set_described(d.id if d else None))
        self.descriptions.voice.planned.connect(lambda _plan: self.timing.descriptions_rendered())
        self.quotes.quoteActivated.connect(self.play_quote)
        self.quotes.playQuoteOnly.connect(self.play_quote_only)
        self.quotes.saveQuoteCard.connect(self.text_commands.save_quote_card)
        self.error_panel.open_button.clicked.connect(self.choose_media)
        self.video.doubleClicked.connect(self.toggle_fullscreen)
        self.resume_bar.resumeRequested.connect(lambda position: c.seek(position, play=True))

    # Opening ---------------------------------------------------------------------------
    def open_media(self, media: Path, text: Path | None = None, start_ms: int | None = None) -> None:
        """Open ``media`` with its text (given, or found beside it) and play it."""
        if not self.timing.confirm_discard():
            return
        self.leave_media()
        media = Path(media)
        self.caption_controls.media_opened(media)
        self.descriptions.media_opened(media=media)
        self.load_text(text or find_text_for(media), media)
        self.setWindowTitle(f"{media.name}[*] – clipsync")
        self.controller.open(media, start_ms or 0)
        self.opened(media_key(media), start_ms)

    def opened(self, key: str, start_ms: int | None) -> None:
        """A media (file or address, ``key`` in the settings) was opened: it plays at the
        transport's speed and volume, and offers to resume where it was left."""
        if self.controller.state is State.ERROR:
            return
        if key == self.controller.media_url:
            self.descriptions.media_opened(url=key)
        self.controller.set_rate(self.transport.rate())
        self.player_views.volume(self.transport.volume.value())
        self.player_views.mute(self.transport.mute_button.isChecked())
        saved = self.settings.resume_position_ms(key)
        if start_ms is None and saved and saved > 5000:
            self.resume_bar.offer(saved)

    def open_location(self, text: str, text_file: str | None = None, start_ms: int | None = None) -> bool:
        """Open a file path or an http(s) address (see :class:`LocationCommands`)."""
        return self.location_commands.open(text, text_file, start_ms)

    def load_text(self, path: Path | None, media: Path | None = None) -> None:
        """Load the article for the media; a bad file is reported and the media still plays."""
        if not self.timing.confirm_discard():
            return
        article, hint = None, NO_TEXT_HINT
        with collector_paused():  # a long article is a million objects (see core/collector.py)
            if path is not None:
                try:
                    article = load_text(Path(path), media)
                except InputError as exc:
                    hint = f"The text could not be loaded.\n\n{exc}\n\n{NO_TEXT_HINT}"
                    self.notify(f"Text not loaded: {exc}", error=True)
            self.show_article(article, hint, Path(path) if path is not None else None, media)

    def show_article(
        self,
        article: Article | None,
        hint: str = NO_TEXT_HINT,
        source: Path | None = None,
        media: Path | None = None,
    ) -> None:
        """Show ``article`` (or ``hint`` where there is none) in every view; ``source`` is the
        file it was read from (where the timing editor saves), ``media`` the file it belongs to."""
        article = self.descriptions.attach(article)
        if article is None and hint != NO_TEXT_HINT and "File > Open text" not in hint:
            hint = f"{hint}\n\n{NO_TEXT_HINT}"
        with collector_paused():
            self.controller.set_article(article)
            self.caption_controls.load_track()
            self.article_view.set_article(article, hint)
        self.article_view.set_now(self.controller.now)  # set_article cleared the highlight
        self.quotes.set_article(article)
        self.timeline.slider.set_article(article)
        if article is not None and article.duration_ms and not self.controller.length_ms:
            self.player_views.length_changed(article.duration_ms)
        self.tabs.setTabText(1, f"Quotes ({len(article.quotes)})" if article else "Quotes")
        self.timing.text_loaded(source if article is not None else None, article, media)
        self.descriptions.article_shown(article)

    def show_edited(self, article: Article) -> None:
        """Show an article the timing editor changed in every view, where it is playing now."""
        controller = self.controller
        controller.set_article(article)
        self.caption_controls.load_track()
        self.article_view.replace_article(article)
        self.article_view.set_now(controller.now)
        self.article_view.set_read_position(controller.text_position())
        self.quotes.set_article(article)
        self.timeline.slider.set_article(article)
        self.descriptions.article_shown(article)
        self.video.update()

    def leave_media(self) -> None:
        """Another media is about to open: remember where this one was, drop the resume offer."""
        self._remember_position()
        self.resume_bar.hide()

    def choose_media(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open media", "", MEDIA_FILTER)
        if path:
            self.open_media(Path(path))

    # Playing from the text -------------------------------------------------------------
    def play_sentence(self, sentence: Sentence) -> None:
        if sentence.start_ms is None:
            self.notify("This sentence was not found in the recording, so it has no time.", error=True)
            return
        self.article_view.set_following(True)
        self.controller.seek(sentence.start_ms, play=True)

    def play_word(self, sentence: Sentence, index: int) -> None:
        """Play from word ``index`` of ``sentence`` (a click on a word in the article)."""
        self.article_view.set_following(True)
        self.controller.seek(sentence.words[index].start_ms, play=True)

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

    # Messages and views ------------------------------------------------------------------
    def notify(self, message: str, *, error: bool = False) -> None:
        """A status message in the status bar, announced (assertively for an error)."""
        self.statusBar().showMessage(message, 0 if error else 6000)
        self.statusBar().setAccessibleDescription(message)
        self.announcer.say(message, assertive=error)

    def show_words(self, shown: bool) -> None:
        """Word highlight on or off in the article (View > Highlight words)."""
        self.article_view.set_words_shown(shown)

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
        self.window_actions.leave_fullscreen.setEnabled(True)
        self.showFullScreen()

    def exit_fullscreen(self) -> None:
        if not self.isFullScreen():
            return
        self.window_actions.leave_fullscreen.setEnabled(False)
        self.showNormal()
        self.menuBar().show()
        for toolbar in self.findChildren(QToolBar):
            toolbar.show()
        self.tabs.show()
        self.statusBar().show()

    # Caption and dialog state, kept by the collaborators, read here by the window's callers.
    @property
    def caption_style(self) -> CaptionStyle:
        return self.caption_controls.style

    @property
    def caption_delay_ms(self) -> int:
        return self.caption_controls.delay_ms

    @property
    def caption_tracks(self) -> dict[str, Path]:
        return self.caption_controls.tracks

    @property
    def _caption_dialog(self) -> QDialog | None:
        return self.caption_controls.dialog

    @property
    def align_dialog(self) -> QDialog | None:
        return self.text_commands.align_dialog

    # Leaving ---------------------------------------------------------------------------
    def _remember_position(self) -> None:
        media = self.controller.media_path
        key = media_key(media) if media is not None else self.controller.media_url
        if key is None or self.controller.state in (State.ERROR, State.IDLE, State.OPENING):
            return
        position = self.controller.position()
        ended = self.controller.state is State.ENDED or position > self.controller.length_ms - 5000
        self.settings.set_resume_position_ms(key, 0 if ended else position)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.timing.confirm_discard():
            event.ignore()
            return
        self.timing.shutdown()
        self.descriptions.shutdown()
        self._remember_position()
        self.settings.set("volume", self.transport.volume.value())
        self.controller.shutdown()
        super().closeEvent(event)
