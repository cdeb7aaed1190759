"""Described video in the window: where descriptions come from, the menu, the on-screen text.

Descriptions come from the sync document's own ``descriptions``, else from a description track:
``NAME.descriptions.vtt`` beside the media (or at the same base address, fetched off the GUI
thread), ``--descriptions FILE-or-address``, or File > Open descriptions…. A track's
descriptions go with the article they are shown with (so saving the document in Edit timings
mode keeps them in it). A bad track gives a message; the video plays on. The voice is
:class:`DescriptionVoice`; what it says can also show as text under the video (View), a label
screen readers and braille displays read, as each description is announced.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QMenuBar, QWidget

from clipsync.core.descriptions import (
    Description,
    descriptions_of,
    parse_track,
    read_track,
    track_path_for,
    track_url_for,
    with_descriptions,
)
from clipsync.core.errors import InputError
from clipsync.core.location import Location
from clipsync.core.settings import SettingsStore
from clipsync.core.text.article import Article
from clipsync.fetch import Failure, FetchError, fetch_bytes
from clipsync.media.player import VoicePlayer
from clipsync.ui.descriptions.voice_controller import DescriptionVoice
from clipsync.ui.player import PlaybackController

TRACK_FILTER = "WebVTT description tracks (*.vtt);;All files (*)"
FETCH_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class DescriptionHost:
    """What described video uses of the window it is part of (the window passes it in)."""

    parent: QWidget  # owns the dialogs and the on-screen text
    controller: PlaybackController
    settings: SettingsStore
    menu_bar: QMenuBar  # File > Open descriptions…, View > Describe video
    add_action: Callable[..., QAction]  # (text, slot, shortcut, single_key=) -> a window action
    publish: Callable[[Article], None]  # show an article (with new descriptions) in every view
    notify: Callable[..., None]  # a status message (error=True for a problem)
    volume: Callable[[], int]  # the main sound's volume as the viewer set it
    show_in_article: Callable[[bool], None]  # descriptions shown in the article text, or not
    make_voice: Callable[[], VoicePlayer] | None  # the second player (None: not spoken)
    announce: Callable[[str], None]  # have screen readers say a text (the window's announcer)


class _Arrived(QObject):
    track = Signal(int, object, str)  # generation, descriptions or None, problem


class DescriptionCommands:
    """Described video for one window (see module)."""

    def __init__(self, host: DescriptionHost) -> None:
        self.host = host
        self.track: tuple[Description, ...] = ()
        self.track_source = ""
        self._given: Location | None = None  # --descriptions: wins over the track beside the media
        self._media: tuple[Path | None, str | None] = (None, None)  # the media open (file, address)
        self._generation = 0
        self._arrived = _Arrived()
        self._arrived.track.connect(self._track_arrived, Qt.ConnectionType.QueuedConnection)
        self.text = QLabel(host.parent)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Description")
        self.text.setStyleSheet(
            "QLabel { background: #2b2140; color: white; padding: 6px 10px; border-left: 4px solid #b197fc; }"
        )
        self.text.hide()
        self.voice = DescriptionVoice(
            host.controller, host.settings, host.make_voice, host.volume, self._announce, host.parent
        )
        self.voice.saying.connect(self._saying)
        self.voice.problem.connect(lambda message: host.notify(message, error=True))
        self._create()

    def _create(self) -> None:
        a = self.host.add_action
        self.open_action = a("Open &descriptions…", self.choose)
        self.describe_action = a("&Describe video", self.set_enabled, "Ctrl+Shift+D")
        self.describe_action.setCheckable(True)
        self.describe_action.setChecked(self.voice.voice_settings.enabled)
        self.settings_action = a("Description &voice…", self.show_settings)
        menus = {a.text(): a.menu() for a in self.host.menu_bar.actions() if isinstance(a.menu(), QMenu)}
        file_menu, view_menu = menus.get("&File"), menus.get("&View")
        if isinstance(file_menu, QMenu):
            actions = file_menu.actions()
            after = next((i for i, x in enumerate(actions) if x.text() == "Open &text…"), len(actions) - 1)
            if after + 1 < len(actions):
                file_menu.insertAction(actions[after + 1], self.open_action)
            else:
                file_menu.addAction(self.open_action)
        if isinstance(view_menu, QMenu):
            view_menu.addSeparator()
            view_menu.addAction(self.describe_action)
            view_menu.addAction(self.settings_action)

    # Where descriptions come from ------------------------------------------------------
    def use_given(self, location: Location | None) -> None:
        """``--descriptions``: this track for the media opened next (and after)."""
        self._given = location

    def media_opened(self, media: Path | None = None, url: str | None = None) -> None:
        """A media opens: with described video on, find its track (given, or beside it); a local
        file is read now, an address fetched (the article comes back through ``publish`` when it
        arrives). With it off, nothing is looked for: it is found when it is turned on."""
        self._generation += 1
        self.track, self.track_source = (), ""
        self._media = (media, url)
        if not self.voice.voice_settings.enabled:
            return
        given = self._given
        if given is not None and given.path is not None:
            self._read_file(given.path, required=True)
        elif given is not None and given.url is not None:
            self._fetch(given.url, required=True)
        elif media is not None:
            beside = track_path_for(media)
            if beside.is_file():
                self._read_file(beside, required=True)
        elif url is not None:
            self._fetch(track_url_for(url), required=False)

    def _read_file(self, path: Path, *, required: bool) -> bool:
        try:
            self.track, self.track_source = read_track(path), str(path)
            return True
        except InputError as exc:
            if required:
                self.host.notify(f"Descriptions not loaded: {exc}", error=True)
            return False

    def _fetch(self, url: str, *, required: bool) -> None:
        generation = self._generation

        def work() -> None:
            try:
                data = fetch_bytes(url, timeout=FETCH_TIMEOUT_S)
            except FetchError as exc:
                absent = exc.kind is Failure.HTTP_STATUS and exc.status in (401, 403, 404, 410)
                self._arrived.track.emit(
                    generation, None, "" if absent and not required else f"{url}: {exc.reason}"
                )
                return
            try:
                text = data.decode("utf-8-sig")
                self._arrived.track.emit(generation, parse_track(text, url), "")
            except UnicodeDecodeError:
                self._arrived.track.emit(generation, None, f"{url}: not UTF-8 text")
            except InputError as exc:
                self._arrived.track.emit(generation, None, str(exc))

        threading.Thread(target=work, name="clipsync-descriptions", daemon=True).start()

    def _track_arrived(self, generation: int, track: tuple[Description, ...] | None, problem: str) -> None:
        if generation != self._generation:
            return
        if problem:
            self.host.notify(f"Descriptions not loaded: {problem}", error=True)
        if track is None:
            return
        self.track = track
        article = self.host.controller.article
        if article is not None and not descriptions_of(article):
            self.host.publish(with_descriptions(article, track))

    def choose(self) -> None:
        """File > Open descriptions…: a WebVTT description track for the media playing."""
        media = self.host.controller.media_path
        start = str(track_path_for(media)) if media is not None else ""
        path, _ = QFileDialog.getOpenFileName(self.host.parent, "Open descriptions", start, TRACK_FILTER)
        if path:
            self.open_track(Path(path))

    def open_track(self, path: Path) -> bool:
        """Use the track at ``path`` for the article playing (its own descriptions replaced)."""
        if not self._read_file(path, required=True):
            return False
        article = self.host.controller.article
        if article is None:
            self.host.notify("Descriptions need the media's text to find the gaps in its speech.", error=True)
            return False
        self.host.publish(with_descriptions(article, self.track))
        self.host.notify(f"{len(self.track)} descriptions from {path.name}")
        return True

    def attach(self, article: Article | None) -> Article | None:
        """``article`` with the track's descriptions, unless it has its own."""
        if article is None or not self.track or descriptions_of(article):
            return article
        return with_descriptions(article, self.track)

    # Showing and saying ----------------------------------------------------------------
    def article_shown(self, article: Article | None) -> None:
        """The article in every view now: its descriptions are said (when described video is on)."""
        on = self.voice.voice_settings.enabled
        self.host.show_in_article(on)
        self.voice.set_article(article, descriptions_of(article), speak=on)

    def set_enabled(self, enabled: bool) -> None:
        """View > Describe video: on, the media's track is looked for (unless its text has
        descriptions of its own), and the descriptions are shown and said."""
        self.voice.apply_settings(replace(self.voice.voice_settings, enabled=bool(enabled)))
        article = self.host.controller.article
        if enabled and not self.track and not descriptions_of(article):
            self.media_opened(*self._media)
            if self.track and article is not None:
                self.host.publish(with_descriptions(article, self.track))
                return  # (publishing shows and says them)
        self.article_shown(article)

    def show_settings(self) -> None:
        from clipsync.ui.descriptions.voice_dialog import VoiceDialog

        dialog = VoiceDialog(self.voice, self.host.parent)
        dialog.accepted.connect(lambda: self.article_shown(self.host.controller.article))
        dialog.open()
        self.dialog = dialog

    def _saying(self, description: Description | None) -> None:
        show = description is not None and self.voice.voice_settings.show_text
        if description is not None:
            self.text.setText(description.text)
        self.text.setVisible(show)

    def _announce(self, text: str) -> None:
        self.text.setAccessibleDescription(text)  # the on-screen text, for a braille display
        self.host.announce(text)

    def shutdown(self) -> None:
        self.voice.shutdown()
