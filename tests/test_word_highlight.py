"""The word being said, highlighted in the article during real playback (libVLC, the bundled
clip and its synthesizer word times); a click on a word plays from it; the option to turn it off."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from clipsync.core.settings import SettingsStore, default_settings_path
from clipsync.core.text.article import Sentence
from clipsync.core.text.lookup import TranscriptIndex
from clipsync.ui.app import create_window
from clipsync.ui.player.controller import State
from clipsync.ui.window.main_window import MainWindow

pytestmark = pytest.mark.slow


@pytest.fixture
def window(qtbot: QtBot, clip_media: Path) -> MainWindow:
    window = create_window()
    qtbot.addWidget(window)
    window.show()
    window.open_media(clip_media)
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
    return window


def expected_word(index: TranscriptIndex, position: int) -> str | None:
    found = index.word_at(position)
    if found is None:
        return None
    ref, k = found
    return ref.sentence.words[k].text_in(ref.sentence.text)


def word_point(window: MainWindow, sentence: Sentence, k: int):  # type: ignore[no-untyped-def]
    """Where word ``k`` of ``sentence`` is on screen (scrolled into view)."""
    view = window.article_view
    start = view._spans[view._index_of[sentence.id]][0]
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(start + sentence.words[k].char_start + 1)
    view.text.setTextCursor(cursor)
    view.text.ensureCursorVisible()
    return view.text.cursorRect(cursor).center()


@pytest.mark.parametrize("start_ms", [5_400, 70_000, 131_000])  # headline, Kirby's quote, Power's quote
def test_the_word_being_said_is_highlighted_at_every_frame(
    qtbot: QtBot, window: MainWindow, start_ms: int
) -> None:
    """Playing from three places, every painted frame shows the word said at that frame's time."""
    controller = window.controller
    index = controller.index
    assert index is not None
    samples: list[tuple[int, str | None, str | None]] = []

    def sample(_image: object) -> None:  # runs after the window's own frame slot
        p = controller.text_position()
        samples.append((p, window.article_view.highlighted_word(), expected_word(index, p)))

    controller.seek(start_ms)
    qtbot.waitUntil(lambda: controller.state is State.PLAYING, timeout=5000)
    qtbot.wait(200)  # past the seek's first pictures
    controller.frameReady.connect(sample)
    try:
        qtbot.wait(1500)
    finally:
        controller.frameReady.disconnect(sample)
    assert len(samples) >= 20, "frames were painted"
    wrong = [(p, got, want) for p, got, want in samples if got != want]
    assert not wrong, wrong[:5]
    words = {want for _, _, want in samples if want}
    assert len(words) >= 2, words  # the highlight moved from word to word


def test_a_click_on_a_word_plays_from_that_word(qtbot: QtBot, window: MainWindow) -> None:
    """Clicking the eighth word of a sentence seeks to that word's time and highlights it."""
    controller = window.controller
    controller.pause()
    article = controller.article
    assert article is not None
    sentence = article.sentences[7]
    word = sentence.words[7]
    point = word_point(window, sentence, 7)
    qtbot.mouseClick(window.article_view.text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert controller.position() == pytest.approx(word.start_ms, abs=60)
    # The highlight moves with the first picture of the new position: to the clicked word.
    view = window.article_view
    qtbot.waitUntil(lambda: view.highlighted_sentence_ids() == [sentence.id], timeout=3000)
    assert view.highlighted_word() == word.text_in(sentence.text)
    qtbot.waitUntil(lambda: controller.state is State.PLAYING, timeout=5000)


def test_turning_words_off_gives_the_sentence_view_and_is_remembered(
    qtbot: QtBot, window: MainWindow, clip_media: Path
) -> None:
    """View > Highlight words off: no word highlight, sentences as before; kept in the settings."""
    action = window.window_actions.words_action
    assert action.isChecked() and window.article_view.words_shown  # on by default
    qtbot.waitUntil(lambda: window.article_view.highlighted_word() is not None, timeout=10_000)
    action.trigger()
    assert window.article_view.highlighted_word() is None
    qtbot.wait(500)
    assert window.article_view.highlighted_word() is None
    assert window.article_view.highlighted_sentence_ids()  # the sentence still is
    assert SettingsStore(default_settings_path()).get("highlight_words") is False
    again = create_window()
    qtbot.addWidget(again)
    assert not again.window_actions.words_action.isChecked() and not again.article_view.words_shown
