"""The window's commands as QActions: shortcuts, menus, the toolbar and the F1 shortcut list.

One-key shortcuts (Space, K, J, L, C ...) can be switched off (WCAG 2.1.4); their keys are
kept here so they can be switched on again and listed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QStyle, QToolBar

from clipsync.core.settings import SettingsStore
from clipsync.ui.captions import CaptionControls
from clipsync.ui.player import PlaybackController, TransportBar
from clipsync.ui.window.location_commands import LocationCommands
from clipsync.ui.window.text_commands import TextCommands

Shortcut = str | QKeySequence | QKeySequence.StandardKey


class WindowCommands(Protocol):
    """The window's own commands that its actions trigger."""

    def choose_media(self) -> None: ...
    def jump_quote(self, direction: int) -> None: ...
    def toggle_fullscreen(self) -> None: ...
    def exit_fullscreen(self) -> None: ...
    def find_in_article(self) -> None: ...
    def show_words(self, shown: bool) -> None: ...


class WindowActions:
    """Every command of one window, with its shortcut, in the menus and the toolbar.

    The actions live on ``host`` (its menu bar, toolbar and shortcuts) and call the window's
    ``commands``, the player's ``controller`` and ``transport``, the ``captions``, the ``text``
    and ``locations`` commands; ``settings`` keeps the View choices.
    """

    def __init__(
        self,
        host: QMainWindow,
        commands: WindowCommands,
        *,
        controller: PlaybackController,
        transport: TransportBar,
        captions: CaptionControls,
        text: TextCommands,
        locations: LocationCommands,
        settings: SettingsStore,
    ) -> None:
        self.host, self.commands, self.settings = host, commands, settings
        self.controller, self.transport = controller, transport
        self.captions, self.text, self.locations = captions, text, locations
        self.single_keys: dict[QAction, QKeySequence] = {}  # action -> its one-key shortcut
        self._create()
        self._build_menus()
        self._build_toolbar()

    def add_action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: Shortcut | None = None,
        *,
        single_key: bool = False,
    ) -> QAction:
        """An action of the window: ``single_key`` shortcuts can be switched off (View)."""
        action = QAction(text, self.host)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if single_key:
            self.single_keys[action] = action.shortcut()
        self.host.addAction(action)
        return action

    def _create(self) -> None:
        w, c, transport = self.commands, self.controller, self.transport
        text, captions = self.text, self.captions
        a = self.add_action
        self.open_action = a("&Open media…", w.choose_media, QKeySequence.StandardKey.Open)
        self.open_location_action = a("Open &location…", self.locations.choose, "Ctrl+L")
        self.open_text_action = a("Open &text…", text.choose_text, "Ctrl+T")
        self.align_action = a("&Align article…", text.align_article, "Ctrl+Shift+A")
        self.export_vtt = a("Export as &WebVTT…", lambda: text.export("vtt"))
        self.export_srt = a("Export as &SRT…", lambda: text.export("srt"))
        self.export_txt = a("Export as plain text with &time stamps…", lambda: text.export("txt"))
        self.quit_action = a("&Quit", self.host.close, QKeySequence.StandardKey.Quit)
        self.play_action = a("&Play/Pause", c.toggle, "Space", single_key=True)
        self.play_k = a("Play/Pause (K)", c.toggle, "K", single_key=True)
        self.back5 = a("Back 5 s", lambda: c.seek_relative(-5000), "Left", single_key=True)
        self.fwd5 = a("Forward 5 s", lambda: c.seek_relative(5000), "Right", single_key=True)
        self.back10 = a("Back 10 s", lambda: c.seek_relative(-10000), "J", single_key=True)
        self.fwd10 = a("Forward 10 s", lambda: c.seek_relative(10000), "L", single_key=True)
        self.home = a("To the start", lambda: c.seek(0), "Home", single_key=True)
        self.end = a("To the end", lambda: c.seek(max(0, c.length_ms - 500)), "End", single_key=True)
        self.next_quote = a("Next quote", lambda: w.jump_quote(+1), "]", single_key=True)
        self.prev_quote = a("Previous quote", lambda: w.jump_quote(-1), "[", single_key=True)
        self.frame_fwd = a("Next frame (paused)", lambda: c.step_frame(True), ".", single_key=True)
        self.frame_back = a("Previous frame (paused)", lambda: c.step_frame(False), ",", single_key=True)
        self.faster = a("Faster", lambda: transport.step_rate(+1), "Ctrl+Up")
        self.slower = a("Slower", lambda: transport.step_rate(-1), "Ctrl+Down")
        self.mute_action = a("&Mute", lambda: transport.mute_button.toggle(), "M", single_key=True)
        self.captions_action = a("&Captions", captions.toggle, "C", single_key=True)
        self.captions_action.setCheckable(True)
        self.captions_action.setChecked(self.settings.captions_enabled)
        captions.enabledChanged.connect(self.captions_action.setChecked)
        self.delay_down = a(
            "Captions earlier (−50 ms)", lambda: captions.shift_delay(-50), "G", single_key=True
        )
        self.delay_up = a("Captions later (+50 ms)", lambda: captions.shift_delay(50), "H", single_key=True)
        self.caption_settings_action = a("Caption &settings…", captions.show_settings, "Ctrl+Shift+C")
        self.fullscreen_action = a("&Full screen", w.toggle_fullscreen, "F", single_key=True)
        self.leave_fullscreen = a("Leave full screen", w.exit_fullscreen, "Esc")
        self.leave_fullscreen.setEnabled(False)  # Esc belongs to dialogs and the search box otherwise
        self.find_action = a("&Find in article", w.find_in_article, QKeySequence.StandardKey.Find)
        self.words_action = a("Highlight &words", self.set_words_shown)
        self.words_action.setCheckable(True)
        self.words_action.setChecked(bool(self.settings.get("highlight_words", True)))
        self.words_action.setToolTip(
            "Highlight the word being said and play from a clicked word (texts with word times)"
        )
        w.show_words(self.words_action.isChecked())
        self.single_keys_action = a("Single-key shortcuts", self.set_single_keys)
        self.single_keys_action.setCheckable(True)
        self.single_keys_action.setChecked(bool(self.settings.get("single_key_shortcuts", True)))
        self.single_keys_action.setToolTip(
            "Turn off one-letter shortcuts (WCAG 2.1.4) if they get in your way"
        )
        self.shortcuts_action = a("&Keyboard shortcuts", self.show_shortcuts, "F1")
        self.set_single_keys(self.single_keys_action.isChecked())

    def _build_menus(self) -> None:
        menu = self.host.menuBar()
        file_menu = menu.addMenu("&File")
        for action in (self.open_action, self.open_location_action, self.open_text_action, self.align_action):
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
            self.fullscreen_action, self.find_action, self.words_action, self.single_keys_action,
        ):  # fmt: skip
            view_menu.addAction(action)
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)

    def _build_toolbar(self) -> None:
        window = self.host
        toolbar = QToolBar("Main", window)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.open_action.setIcon(window.style().standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton))
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.captions_action)
        toolbar.addAction(self.caption_settings_action)
        window.addToolBar(toolbar)
        for action in toolbar.actions():
            widget = toolbar.widgetForAction(action)
            if widget is not None:
                widget.setAccessibleName(action.text().replace("&", "").rstrip("…"))

    def set_single_keys(self, enabled: bool) -> None:
        """Single-key shortcuts can be switched off (WCAG 2.1.4); menus still work."""
        self.settings.set("single_key_shortcuts", bool(enabled))
        for action, key in self.single_keys.items():
            action.setShortcut(key if enabled else QKeySequence())

    def set_words_shown(self, shown: bool) -> None:
        """Word highlight on (the default) or off (sentences only, as before word times)."""
        self.settings.set("highlight_words", bool(shown))
        self.commands.show_words(bool(shown))

    def show_shortcuts(self) -> None:
        """The list of keyboard shortcuts, saying which are off."""
        lines = []
        for action in self.host.actions():
            key = self.single_keys.get(action, action.shortcut())
            if not key.isEmpty():
                off = "" if action.shortcut() == key else "  (single-key shortcuts are off)"
                lines.append(f"{key.toString()}\t{action.text().replace('&', '')}{off}")
        box = QMessageBox(
            QMessageBox.Icon.Information, "Keyboard shortcuts", "\n".join(lines), parent=self.host
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
