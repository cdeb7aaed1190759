"""Edit timings mode with a fake player and a hand-driven clock: exact, fast checks of timing by
ear and of looping (in addition to the real-playback tests in test_timing_editor.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from clipsync.core.settings import SettingsStore, default_settings_path
from clipsync.core.timing.clock import PlaybackClock
from clipsync.media.fake_players import FakePlayer
from clipsync.media.player import EventKind, PlayerEvent
from clipsync.ui.player.controller import PlaybackController, State
from clipsync.ui.window.main_window import MainWindow


class Wall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class Rig:
    """A window on a fake player whose time moves only when :meth:`play_for` says so."""

    def __init__(self, qtbot: QtBot, media: Path) -> None:
        self.wall = Wall()
        self.player = FakePlayer()
        self.controller = PlaybackController(self.player, PlaybackClock(self.wall))
        self.window = MainWindow(self.controller, SettingsStore(default_settings_path()))
        self.window.show()
        self.window.open_media(media)
        self.player.on_event(PlayerEvent(EventKind.FIRST_FRAME))
        qtbot.waitUntil(lambda: self.controller.state is State.PLAYING)
        self.controller._poll.stop()  # the test drives time by hand
        self.qtbot = qtbot

    def play_for(self, ms: int, step: int = 10) -> None:
        for elapsed in range(step, ms + 1, step):
            self.wall.t += step / 1000
            self.player.advance(step)
            if elapsed % 250 == 0:
                self.player.publish()
            self.controller.tick()
        self.qtbot.wait(1)  # deliver the queued player events

    def close(self) -> None:
        if self.window.timing.session is not None:
            self.window.timing.session.stack.setClean()
        self.window.close()
        self.window.deleteLater()


@pytest.fixture
def rig(qtbot: QtBot, tmp_path: Path, clip_media: Path, clip_sync: Path):  # type: ignore[no-untyped-def]
    shutil.copy(clip_media, tmp_path / "syria.mp4")
    shutil.copy(clip_sync, tmp_path / "syria.sync.json")
    rig = Rig(qtbot, tmp_path / "syria.mp4")
    yield rig
    rig.close()


def test_timing_by_ear_sets_boundaries_exactly_at_the_playhead(qtbot: QtBot, rig: Rig) -> None:
    """Playing through sentences 8 and 9, I, N, N and O put the boundaries exactly where the
    clock was, and N walks the selection on."""
    window, controller = rig.window, rig.controller
    article = controller.article
    assert article is not None
    s7, s8, s9 = article.sentences[7], article.sentences[8], article.sentences[9]
    controller.seek((s7.start_ms or 0) - 400)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = window.timing.editor
    assert editor is not None and editor.selected == s7.id
    marks = []
    for key, at in ((Qt.Key.Key_I, (s7.start_ms or 0) + 250), (Qt.Key.Key_N, (s8.start_ms or 0) - 700),
                    (Qt.Key.Key_N, (s9.start_ms or 0) - 300), (Qt.Key.Key_O, (s9.start_ms or 0) + 2000)):  # fmt: skip
        rig.play_for(at - controller.position())
        marks.append(controller.position())
        qtbot.keyClick(window, key)
    got = window.controller.article
    assert got is not None
    a, b, c = got.sentences[7], got.sentences[8], got.sentences[9]
    assert (a.start_ms, a.end_ms, b.start_ms, b.end_ms, c.start_ms, c.end_ms) == (
        marks[0], marks[1], marks[1], marks[2], marks[2], marks[3],
    )  # fmt: skip
    assert editor.selected == c.id
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.controller.article is not None
    assert window.controller.article.sentences[9].end_ms == s9.end_ms  # O undone, the rest kept


def test_a_looped_sentence_starts_again_at_its_end(qtbot: QtBot, rig: Rig) -> None:
    """Shift+P plays the selected sentence from its start; at its end it starts again, until
    Shift+P again, after which it stops at its end."""
    window, controller = rig.window, rig.controller
    article = controller.article
    assert article is not None
    s = article.sentences[2]
    controller.seek((s.start_ms or 0) + 100)
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)
    assert controller.position() == s.start_ms and controller.state is State.PLAYING
    length = (s.end_ms or 0) - (s.start_ms or 0)
    rig.play_for(length + 30)
    assert controller.state is State.PLAYING and controller.position() < (s.start_ms or 0) + 100
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ShiftModifier)  # loop off
    rig.play_for(length + 30)
    assert controller.state is State.PAUSED and abs(controller.position() - (s.end_ms or 0)) <= 10
