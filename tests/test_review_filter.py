"""The timing editor's "needs review" filter in the real window, on a fake player: Ctrl+J and
Ctrl+Shift+J walk through the sentences the aligner was unsure of, the info line counts them, the
waveform hatches them, and a sentence fixed or locked by hand drops out (and is saved without its
confidence)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from clipsync.core.formats.syncdoc import load_sync, save_sync
from clipsync.core.settings import SettingsStore, default_settings_path
from clipsync.core.text.article import Article, Block
from clipsync.core.text.review import needs_review
from clipsync.core.timing.clock import PlaybackClock
from clipsync.media.fake_players import FakePlayer
from clipsync.media.player import EventKind, PlayerEvent
from clipsync.ui.editor.timing_editor import TimingEditor
from clipsync.ui.editor.waveform_view import REVIEW_HATCH
from clipsync.ui.player.controller import PlaybackController, State
from clipsync.ui.window.main_window import MainWindow

CTRL, SHIFT, ALT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
)
# Sentence index -> the aligner's confidence (the others have none: unknown).
CONFIDENCES = {1: 0.9, 3: 0.3, 6: 0.45, 10: 0.2, 12: 0.7}
TO_REVIEW = [3, 6, 10]


def with_confidences(article: Article) -> Article:
    ids = {article.sentences[i].id: c for i, c in CONFIDENCES.items()}
    blocks = tuple(
        Block(b.kind, tuple(replace(s, confidence=ids.get(s.id)) for s in b.sentences))
        for b in article.blocks
    )
    return replace(article, blocks=blocks)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, clip_media: Path, clip_sync: Path) -> Iterator[MainWindow]:
    """The bundled clip with some confidences in its text, open on a fake player."""
    shutil.copy(clip_media, tmp_path / "syria.mp4")
    save_sync(with_confidences(load_sync(clip_sync)), tmp_path / "syria.sync.json")
    player = FakePlayer()
    controller = PlaybackController(player, PlaybackClock())
    window = MainWindow(controller, SettingsStore(default_settings_path()))
    window.show()
    window.open_media(tmp_path / "syria.mp4")
    player.on_event(PlayerEvent(EventKind.FIRST_FRAME))
    qtbot.waitUntil(lambda: controller.state is State.PLAYING)
    controller.pause()
    yield window
    if window.timing.session is not None:
        window.timing.session.stack.setClean()
    window.close()
    window.deleteLater()


def ids(window: MainWindow, *indices: int) -> list[str]:
    article = window.controller.article
    assert article is not None
    return [article.sentences[i].id for i in indices]


def status(window: MainWindow) -> str:
    return window.statusBar().currentMessage()


def open_editor(qtbot: QtBot, window: MainWindow) -> TimingEditor:
    window.controller.seek(0)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    editor = window.timing.editor
    assert editor is not None and editor.isVisible()
    return editor


def hatched_pixels(editor: TimingEditor, sentence_id: str) -> int:
    """How many pixels of the review hatch colour the waveform paints inside a sentence's span."""
    view = editor.waveform
    article = view.article
    assert article is not None
    s = article.sentence(sentence_id)
    image = view.grab().toImage()
    x0, x1 = (
        max(0, round(view.x_for(s.start_ms or 0)) + 2),
        min(view.width(), round(view.x_for(s.end_ms or 0)) - 2),
    )
    hatch = REVIEW_HATCH.rgb()
    return sum(
        1
        for x in range(x0, x1)
        for y in range(view.LABEL_H, view.height() - view.RULER_H - view.WORD_H)
        if QColor(image.pixel(x, y)).rgb() == hatch
    )


def test_the_review_filter_walks_through_the_unsure_sentences(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+J selects the next low-confidence sentence in reading order, going round from the
    last to the first; Ctrl+Shift+J the previous; the info line counts them and shows the
    selected one's confidence; the waveform hatches them."""
    editor = open_editor(qtbot, window)
    first, third, sixth, tenth = ids(window, 0, *TO_REVIEW)
    assert editor.selected == first
    assert editor.info.text().endswith(" · 3 to review")
    assert editor.waveform.review == {third, sixth, tenth}
    menu = window.timing.menu.actions()
    assert window.timing.next_review in menu and window.timing.previous_review in menu
    assert window.timing.next_review.shortcut().toString() == "Ctrl+J"

    walked, said = [], []
    for _ in range(4):
        qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
        walked.append(editor.selected)
        said.append(status(window))
    assert walked == [third, sixth, tenth, third]
    assert said[0] == "Sentence 4: 1 of 3 to review, confidence 0.30"
    assert said[2] == "Sentence 11: 3 of 3 to review, confidence 0.20"
    assert said[3].endswith("; from the first again")
    assert "confidence 0.30" in editor.info.text() and "3 to review" in editor.info.text()
    assert hatched_pixels(editor, third) > 50  # hatched where it is said...
    assert hatched_pixels(editor, ids(window, 2)[0]) == 0  # ... and not its neighbour

    qtbot.keyClick(window, Qt.Key.Key_J, CTRL | SHIFT)
    assert editor.selected == tenth and status(window).endswith("; from the last again")
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL | SHIFT)
    assert editor.selected == sixth and "confidence 0.45" in editor.info.text()


def test_a_sentence_fixed_by_hand_needs_no_review(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Locking a sentence, or moving its boundary, takes it off the list (undo puts it back);
    when the last goes the status bar says so, Ctrl+J says there are none, and Save writes the
    settled sentences without confidence."""
    editor = open_editor(qtbot, window)
    third, sixth, tenth = ids(window, *TO_REVIEW)
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    assert editor.selected == sixth
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | SHIFT)  # lock: a person says it is right
    assert "locked" in editor.info.text() and editor.info.text().endswith(" · 2 to review")
    assert editor.waveform.review == {third, tenth}
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    assert editor.selected == tenth
    qtbot.keyClick(window, Qt.Key.Key_Right, ALT)  # the start nudged by hand
    assert editor.info.text().endswith(" · 1 to review")
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)  # undone: to review again
    assert editor.info.text().endswith(" · 2 to review") and editor.waveform.review == {third, tenth}
    window.timing.redo.trigger()  # (its keys depend on the platform)
    assert editor.info.text().endswith(" · 1 to review")
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    assert (
        editor.selected == third
        and status(window) == "Sentence 4: 1 of 1 to review, confidence 0.30; from the first again"
    )
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | SHIFT)
    assert status(window) == "No sentences need review"
    assert "to review" not in editor.info.text() and editor.waveform.review == frozenset()
    window.statusBar().clearMessage()
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL)
    assert status(window) == "No sentences need review" and editor.selected == third

    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    saved = load_sync(tmp_path / "syria.sync.json")
    assert needs_review(saved) == []
    assert [saved.sentence(sid).confidence for sid in (third, sixth, tenth)] == [None, None, None]
    kept = ids(window, 1, 12)
    assert [saved.sentence(sid).confidence for sid in kept] == [0.9, 0.7]
