"""Opening a location: File > Open location… (Ctrl+L), the recent locations, the text of an
address fetched off the GUI thread, and the network's state in the video area and in the status bar
(``clipsync.ui.a11y`` says it to screen readers).

The player never waits for the text: the address plays at once, the text is looked for at the
same base address (``NAME.sync.json``, ``NAME.vtt``, ``NAME.srt``) in a worker thread, with a
timeout and a size limit, and comes in when it arrives; a text that is slow, malformed or too
large gives a message while the video plays on.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QStatusBar, QWidget

from clipsync.core.errors import InputError
from clipsync.core.formats.companions import caption_track_urls, load_text, text_urls
from clipsync.core.location import Location, LocationError, parse_location, url_name
from clipsync.core.settings import SettingsStore
from clipsync.core.text.article import Article
from clipsync.fetch import Failure, FetchError, fetch_bytes
from clipsync.media.network import NetPhase, NetStatus
from clipsync.ui.captions import CaptionControls
from clipsync.ui.player import PlaybackController, State, VideoView

RECENT_KEY = "recent_locations"
MAX_RECENT = 10
TEXT_TIMEOUT_S = 10.0
#: Looked-for texts that are not there: a web server says so with one of these.
_ABSENT = (401, 403, 404, 410)


def fetch_article(urls: list[str], *, required: bool) -> tuple[Article | None, str]:
    """The first text found at ``urls`` as an article, or ``None`` and why (worker thread).

    ``required``: the user named this text, so its absence is an error too; a text that is
    only looked for may be missing without a word.
    """
    for url in urls:
        try:
            data = fetch_bytes(url, timeout=TEXT_TIMEOUT_S)
        except FetchError as exc:
            if not required and exc.kind is Failure.HTTP_STATUS and exc.status in _ABSENT:
                continue
            return None, f"{url}: {exc.reason}"
        if not required and data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
            continue  # a site that answers every address with a page: no text there
        with tempfile.TemporaryDirectory(prefix="clipsync-text-") as folder:
            path = Path(folder) / (url_name(url) or "text.sync.json")
            path.write_bytes(data)
            try:
                return load_text(path), ""
            except InputError as exc:
                where = f"{url}:{exc.line}" if exc.line is not None else url
                return None, f"{where}: {exc.reason}"
    return None, ""


def fetch_caption_track(urls: list[str], folder: Path) -> Path | None:
    """The first caption track found at ``urls``, saved in ``folder`` (worker thread)."""
    for url in urls:
        try:
            data = fetch_bytes(url, timeout=TEXT_TIMEOUT_S)
        except FetchError:
            continue
        path = folder / url_name(url)
        path.write_bytes(data)
        return path
    return None


class _TextArrived(QObject):
    """Carries a fetched text from the worker thread to the GUI thread."""

    done = Signal(int, object, str)  # generation, Article or None, problem in plain words
    track = Signal(int, str, object)  # generation, language, Path of the saved track


class MediaOpener(Protocol):
    """What opening a location asks of the window that shows the media and its text."""

    def open_media(self, media: Path, text: Path | None = None, start_ms: int | None = None) -> None: ...
    def load_text(self, path: Path | None, media: Path | None = None) -> None: ...
    def show_article(self, article: Article | None, hint: str = ...) -> None: ...
    def leave_media(self) -> None: ...
    def opened(self, key: str, start_ms: int | None) -> None: ...
    def setWindowTitle(self, title: str) -> None: ...


class LocationCommands:
    """File > Open location… and what the window shows of a network stream.

    Files are opened by ``opener``; an address plays on ``controller`` and its text is shown by
    ``opener`` when it arrives; its captions go to ``captions``; the network's state is shown in
    ``video`` and ``status_bar``. ``parent`` owns the dialog.
    """

    def __init__(
        self,
        opener: MediaOpener,
        *,
        controller: PlaybackController,
        captions: CaptionControls,
        video: VideoView,
        status_bar: QStatusBar,
        settings: SettingsStore,
        notify: Callable[..., None],
        parent: QWidget,
    ) -> None:
        self.opener, self.controller, self.captions, self.video = opener, controller, captions, video
        self.status_bar, self.settings, self.notify, self.parent = status_bar, settings, notify, parent
        self._arrived = _TextArrived()
        self._arrived.done.connect(self._text_arrived)
        self._arrived.track.connect(self._track_arrived)
        self._tracks_folder: tempfile.TemporaryDirectory[str] | None = None
        self._generation = 0
        #: A text is being fetched (``snapshot`` waits for it).
        self.text_pending = False
        self._phase = NetPhase.NONE
        #: The texts of the network states shown, in order (for the record and the tests).
        self.shown: list[str] = []

    # Opening ---------------------------------------------------------------------------
    def choose(self) -> None:
        """Ask for an address (or a file path), offering the recent ones."""
        text, ok = QInputDialog.getItem(
            self.parent,
            "Open location",
            "Address (http:// or https://) or file:",
            self.recent(),
            0,
            True,
        )
        if ok and text.strip():
            self.open(text)

    def recent(self) -> list[str]:
        value = self.settings.get(RECENT_KEY, [])
        return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []

    def open(self, text: str | Location, text_file: str | None = None, start_ms: int | None = None) -> bool:
        """Open a file or an address; a location clipsync cannot open is refused with the reason."""
        try:
            location = text if isinstance(text, Location) else parse_location(text)
            companion = parse_location(text_file) if text_file else None
        except LocationError as exc:
            self.notify(str(exc), error=True)
            return False
        if location.url is None:
            assert location.path is not None
            self.opener.open_media(location.path, companion.path if companion else None, start_ms)
            if companion is not None and companion.url is not None:
                self._fetch_text([companion.url], required=True)
        else:
            self.open_url(location.url, companion, start_ms)
        recent = [location.key, *(item for item in self.recent() if item != location.key)]
        self.settings.set(RECENT_KEY, recent[:MAX_RECENT])
        return True

    def open_url(self, url: str, text: Location | None = None, start_ms: int | None = None) -> None:
        """Play ``url`` now; its text (given, or looked for beside it) comes when it arrives."""
        opener = self.opener
        opener.leave_media()
        self.captions.tracks = {}  # a web server has no folder to look in
        self.captions.delay_ms = self.settings.caption_delay_ms(url)
        self.shown.clear()
        if text is not None and text.path is not None:
            opener.load_text(text.path)
            self._generation += 1
            self.text_pending = False
        else:
            urls = [text.url] if text is not None and text.url else text_urls(url)
            opener.show_article(None, f"Looking for the text at {urls[0]}…")
            self._fetch_text(urls, required=text is not None)
        language = self.captions.style.language
        if language:  # no folder to list: look for a track in the chosen language only
            self._fetch_caption_track(url, language)
        opener.setWindowTitle(f"{parse_location(url).name} – clipsync")
        self.controller.open_url(url, start_ms or 0)
        opener.opened(url, start_ms)

    def _fetch_text(self, urls: list[str], *, required: bool) -> None:
        self.text_pending = True
        self._generation += 1
        generation = self._generation

        def work() -> None:
            article, problem = fetch_article(urls, required=required)
            self._arrived.done.emit(generation, article, problem)

        threading.Thread(target=work, name="clipsync-text", daemon=True).start()

    def _text_arrived(self, generation: int, article: Article | None, problem: str) -> None:
        if generation != self._generation:
            return  # the text of a media that is no longer open
        self.text_pending = False
        if problem:
            self.notify(f"Text not loaded: {problem}", error=True)
            self.opener.show_article(None, f"The text could not be loaded.\n\n{problem}")
        else:
            self.opener.show_article(article)

    def _fetch_caption_track(self, media_url: str, language: str) -> None:
        if self._tracks_folder is None:
            self._tracks_folder = tempfile.TemporaryDirectory(prefix="clipsync-tracks-")
        folder = Path(self._tracks_folder.name)
        generation = self._generation
        urls = caption_track_urls(media_url, language)

        def work() -> None:
            self._arrived.track.emit(generation, language, fetch_caption_track(urls, folder))

        threading.Thread(target=work, name="clipsync-track", daemon=True).start()

    def _track_arrived(self, generation: int, language: str, path: Path | None) -> None:
        if generation != self._generation or path is None:
            return
        self.captions.tracks[language] = path
        self.captions.load_track()
        self.video.update()

    # The network's state ---------------------------------------------------------------
    def network_changed(self, status: NetStatus) -> None:
        """Show ``status`` in the video area (and its description) and the status bar (the
        window's announcer says it)."""
        text = status.text()
        self.video.set_network_text(text)
        self.video.setAccessibleDescription(text)
        if text:
            self.status_bar.showMessage(text)
            if not self.shown or self.shown[-1] != text:
                self.shown.append(text)
        elif self._phase is not NetPhase.NONE and self.controller.state is not State.ERROR:
            self.status_bar.clearMessage()
        self._phase = status.phase
