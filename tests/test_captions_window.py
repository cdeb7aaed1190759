"""Captions in the player window: toggling, delay, live style changes, settings at start-up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clipsync.core.settings import SettingsStore, default_settings_path
from clipsync.ui.app import create_window
from clipsync.ui.player.controller import State
from clipsync.ui.window.main_window import MainWindow

pytestmark = pytest.mark.slow


def paused_at(qtbot: QtBot, media: Path, position_ms: int) -> MainWindow:
    """A window playing ``media``, then paused at ``position_ms``."""
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    window.open_media(media, start_ms=position_ms)
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
    window.controller.pause()
    window.controller.seek(position_ms)
    # The text follows the first picture of the new position (which may come after a picture
    # of the start, when the start seek lands late).
    qtbot.waitUntil(lambda: abs(window.controller.text_position() - position_ms) < 100, timeout=5000)
    return window


@pytest.fixture
def window(qtbot: QtBot, clip_media: Path) -> MainWindow:
    return paused_at(qtbot, clip_media, 108_500)


def test_caption_shows_the_sentence_and_speaker(qtbot: QtBot, window: MainWindow) -> None:
    """At 1:48.5 the caption is O'Brien's quote with his name; C hides it and the choice is kept."""
    frame = window._caption_now()
    assert frame is not None and "horror" in " ".join(frame.lines)
    assert frame.speaker == "Stephen O’Brien"
    qtbot.keyClick(window, Qt.Key.Key_C)
    assert not window.video.captions_enabled
    assert SettingsStore(default_settings_path()).captions_enabled is False


def test_caption_delay_keys_are_remembered_per_media(
    qtbot: QtBot, window: MainWindow, clip_media: Path
) -> None:
    """H twice delays captions by 100 ms, shows it on screen, and a new settings object reads it back."""
    qtbot.keyClick(window, Qt.Key.Key_H)
    qtbot.keyClick(window, Qt.Key.Key_H)
    qtbot.keyClick(window, Qt.Key.Key_G)
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert window.caption_delay_ms == 100
    assert window.video._osd == "Caption delay: +100 ms"
    assert SettingsStore(default_settings_path()).caption_delay_ms(str(clip_media.resolve())) == 100


def test_style_changes_apply_live_to_the_video(qtbot: QtBot, window: MainWindow) -> None:
    """Changing the size in the caption settings dialog re-renders the captions over the video at once."""
    before = window.video.grab().toImage()
    window.caption_settings_action.trigger()
    dialog = window._caption_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.size_spin.setValue(180)
    assert window.video.caption_style.size_pct == 180
    after = window.video.grab().toImage()
    assert before != after
    dialog.reject()
    assert window.video.caption_style.size_pct == 100


def test_corrupt_settings_give_defaults_and_a_visible_warning(qtbot: QtBot) -> None:
    """A half-written settings file does not block start-up: defaults apply and the status bar says so."""
    path = Path(os.environ["CLIPSYNC_CONFIG_DIR"]) / "settings.json"
    path.write_text('{"captions_enabled": fal', encoding="utf-8")
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "settings.json" in window.statusBar().currentMessage())
    assert window.settings.captions_enabled is True


def test_caption_language_chooses_another_track(qtbot: QtBot, clip_media: Path, tmp_path: Path) -> None:
    """A talk.es.vtt beside the media is offered as a caption language and its cues are shown."""
    import shutil

    media = tmp_path / "talk.mp4"
    shutil.copy(clip_media, media)
    shutil.copy(clip_media.with_name("syria.sync.json"), tmp_path / "talk.sync.json")
    (tmp_path / "talk.es.vtt").write_text(
        "WEBVTT\n\n00:01:48.000 --> 00:01:50.000\n<v Stephen O’Brien>horror puro y desenfrenado</v>\n",
        encoding="utf-8",
    )
    window = paused_at(qtbot, media, 108_500)
    assert window.caption_tracks == {"es": tmp_path / "talk.es.vtt"}
    window.caption_settings_action.trigger()
    dialog = window._caption_dialog
    assert dialog is not None and dialog.language.isEnabled()
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    frame = window._caption_now()
    assert frame is not None and frame.lines == ("horror puro y desenfrenado",)
    assert "horror" in window.article_view.current_sentence().text  # type: ignore[union-attr]


def test_large_captions_get_shorter_lines_not_smaller_letters(qtbot: QtBot, window: MainWindow) -> None:
    """At 200 % a caption line holds about half as many characters, so the letters really are twice as big."""
    window.set_caption_style(window.caption_style.with_changes(size_pct=200))
    frame = window._caption_now()
    assert frame is not None and frame.lines
    assert max(len(line) for line in frame.lines) <= 21
    window.set_caption_style(window.caption_style.with_changes(size_pct=100))
    frame = window._caption_now()
    assert frame is not None and max(len(line) for line in frame.lines) > 21
