"""The player window with real libVLC on the bundled clip (offscreen Qt, dummy audio)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from clipsync.core.formats.syncdoc import load_sync
from clipsync.ui.app import create_window
from clipsync.ui.player.controller import State
from clipsync.ui.window.main_window import MainWindow

pytestmark = pytest.mark.slow


def open_and_wait(qtbot: QtBot, window: MainWindow, media: Path, state: State = State.PLAYING) -> None:
    window.open_media(media)
    qtbot.waitUntil(lambda: window.controller.state is state, timeout=10_000)


def power_quote(window: MainWindow):  # type: ignore[no-untyped-def]
    article = window.controller.article
    assert article is not None
    return next(q for q in article.quotes if q.speaker.name == "Samantha Power")


def test_time_label_shows_length_before_the_media_opens(
    qtbot: QtBot, window: MainWindow, clip_media: Path
) -> None:
    """0:00 / 3:37 comes from the sync document, before libVLC has opened anything."""
    window.load_text(clip_media.with_name("syria.sync.json"), clip_media)
    assert window.time_label.text() == "0:00 / 3:37"


def test_loading_gives_way_to_playing(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """The window opens the clip, shows frames and plays for a second through real libVLC."""
    window.open_media(clip_media)
    assert window.controller.state is State.OPENING
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
    start = window.controller.position()
    qtbot.wait(1000)
    assert window.controller.position() - start >= 800
    assert window.video.image is not None and window.video.image.width() == 640
    assert not window.video.loading_visible
    assert window.timeline.slider.isEnabled()
    assert window.time_label.text().endswith("/ 3:37")


def test_clicking_the_power_marker_seeks_and_highlights(
    qtbot: QtBot, window: MainWindow, clip_media: Path
) -> None:
    """A click on Samantha Power's marker puts the clock within 100 ms of the quote and highlights it."""
    open_and_wait(qtbot, window, clip_media)
    quote = power_quote(window)
    slider = window.timeline.slider
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(slider.x_for(quote.start_ms), 4))
    assert abs(window.controller.position() - quote.start_ms) < 100
    # The highlight changes with the first picture of the new position.
    qtbot.waitUntil(lambda: window.article_view.highlighted_sentence_ids() == [quote.parts[0].sentence_id])
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=5000)
    # Playing on from the quote (the clock waits for the first new picture, then runs).
    qtbot.waitUntil(lambda: window.controller.position() > quote.start_ms + 100, timeout=5000)
    assert window.controller.position() < quote.start_ms + 500
    assert "Samantha Power" in window.article_view.speaker.text()


def test_highlight_follows_sentence_boundaries(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """During playback the highlight moves to each new sentence within 100 ms of its start."""
    open_and_wait(qtbot, window, clip_media)
    article = window.controller.article
    assert article is not None
    # From 1 s before the headline through the standfirst and the image caption.
    first = article.sentences[0]
    changes: list[tuple[str | None, int, int]] = []
    window.controller.nowChanged.connect(
        lambda now: changes.append(
            (now.sentence_id, window.controller.position(), window.controller.player.time_ms())
        )
    )
    window.controller.seek(max(0, first.start_ms - 1000), play=True)  # type: ignore[operator]
    third = article.sentences[2]
    qtbot.waitUntil(lambda: window.controller.position() > third.start_ms + 300, timeout=60_000)  # type: ignore[operator]
    entered = [(sid, pos) for sid, pos, _ in changes if sid is not None]
    seen = [sid for sid, _ in entered]
    assert seen[:3] == [s.id for s in article.sentences[:3]]
    for sid, position in entered[:3]:
        assert abs(position - article.sentence(sid).start_ms) < 100  # type: ignore[operator]


def test_clock_agrees_with_libvlc(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """Each time libVLC publishes a new time, the interpolated clock is within 100 ms of it."""
    open_and_wait(qtbot, window, clip_media)
    controller = window.controller
    errors: list[int] = []
    last = [controller.player.time_ms()]

    def sample() -> None:
        t = controller.player.time_ms()
        if t != last[0]:
            errors.append(abs(controller.position() - t))
            last[0] = t

    controller._poll.timeout.connect(sample)
    qtbot.waitUntil(lambda: len(errors) >= 8, timeout=10_000)
    assert sorted(errors)[len(errors) // 2] < 100


def test_seek_backwards_leaves_no_stale_highlight(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """After a jump back, only the sentence at the new position is highlighted and later text is undimmed."""
    open_and_wait(qtbot, window, clip_media)
    article = window.controller.article
    assert article is not None
    late, early = article.sentences[10], article.sentences[4]
    window.controller.seek(late.start_ms + 200)  # type: ignore[operator]
    # The text changes with the first new picture, whenever libVLC shows it.
    qtbot.waitUntil(lambda: window.article_view.highlighted_sentence_ids() == [late.id])
    window.controller.seek(early.start_ms + 100)  # type: ignore[operator]
    qtbot.waitUntil(lambda: window.article_view.highlighted_sentence_ids() == [early.id])

    read = window.article_view.read_sentence_ids()
    assert article.sentences[3].id in read
    assert article.sentences[9].id not in read


@pytest.mark.parametrize("kind", ["missing", "empty", "truncated", "text"])
def test_bad_media_shows_the_error_state_then_recovers(
    qtbot: QtBot, window: MainWindow, clip_media: Path, tmp_path: Path, kind: str
) -> None:
    """Missing, empty, truncated and non-media files each show the error panel; the good clip opens after."""
    bad = tmp_path / f"{kind}.mp4"
    if kind == "empty":
        bad.write_bytes(b"")
    elif kind == "truncated":
        bad.write_bytes(clip_media.read_bytes()[:20_000])
    elif kind == "text":
        bad.write_text("This is not a video.\n" * 50)
    open_and_wait(qtbot, window, bad, State.ERROR)
    assert window.stage.currentWidget() is window.error_panel
    assert window.error_panel.title.text() == "No media source currently available"
    assert bad.name in window.error_panel.reason.text()
    assert not window.video.loading_visible
    qtbot.wait(600)  # the loading delay has passed: still no spinner after an error
    assert not window.video.loading_visible
    assert not window.timeline.slider.isEnabled()
    open_and_wait(qtbot, window, clip_media)
    assert window.stage.currentWidget() is window.video


def test_keyboard_shortcuts(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """Space pauses and plays, arrows and J/L seek, ] jumps to the next quote, C toggles captions."""
    open_and_wait(qtbot, window, clip_media)
    c = window.controller
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert c.state is State.PAUSED
    c.seek(60_000)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert abs(c.position() - 65_000) < 50
    qtbot.keyClick(window, Qt.Key.Key_J)
    assert abs(c.position() - 55_000) < 50
    qtbot.keyClick(window, Qt.Key.Key_L)
    assert abs(c.position() - 65_000) < 50
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert c.position() == 0
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    first_quote = c.index.quotes_in_time_order()[0]  # type: ignore[union-attr]
    assert abs(c.position() - first_quote.start_ms) < 100  # type: ignore[operator]
    enabled = window.settings.captions_enabled
    qtbot.keyClick(window, Qt.Key.Key_C)
    assert window.settings.captions_enabled is not enabled
    qtbot.keyClick(window, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: c.state in (State.PLAYING, State.PAUSED), timeout=3000)


def test_clicking_a_sentence_plays_from_it(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """A click on a sentence in the article seeks to its start (words off: anywhere in it)."""
    open_and_wait(qtbot, window, clip_media)
    window.window_actions.words_action.trigger()  # off: sentences only, as before word times
    assert not window.article_view.words_shown and window.settings.get("highlight_words") is False
    article = load_sync(clip_media.with_name("syria.sync.json"))
    target = article.sentences[7]
    view = window.article_view
    start, _ = view._spans[view._index_of[target.id]]
    cursor = QTextCursor(view.text.document())
    cursor.setPosition(start + 5)  # in its second word
    view.text.ensureCursorVisible()
    view.text.setTextCursor(cursor)
    view.text.ensureCursorVisible()
    point = view.text.cursorRect(cursor).center()
    view.text.setTextCursor(QTextCursor(view.text.document()))
    qtbot.mouseClick(view.text.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert abs(window.controller.position() - target.start_ms) < 100  # type: ignore[operator]
    qtbot.waitUntil(lambda: view.highlighted_sentence_ids() == [target.id])


def test_search_marks_matches_and_enter_plays_from_the_sentence(
    qtbot: QtBot, window: MainWindow, clip_media: Path
) -> None:
    """Ctrl+F opens the search; typing marks the matches; Enter plays from the matching sentence."""
    open_and_wait(qtbot, window, clip_media)
    view = window.article_view
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.isVisible() and view.search.hasFocus()
    qtbot.keyClicks(view.search, "barbarism")
    assert view.search_status.text() == "1 of 1"
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    target = next(s for s in window.controller.article.sentences if "barbarism" in s.text)  # type: ignore[union-attr]
    assert abs(window.controller.position() - target.start_ms) < 100  # type: ignore[operator]
    qtbot.waitUntil(lambda: view.highlighted_sentence_ids() == [target.id])
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert not view.search_bar.isVisible()


def test_scrolling_away_stops_following_until_asked(
    qtbot: QtBot, window: MainWindow, clip_media: Path
) -> None:
    """Scrolling the current sentence out of view shows 'Follow playback'; clicking it scrolls back."""
    open_and_wait(qtbot, window, clip_media)
    view = window.article_view
    article = window.controller.article
    last = article.sentences[-1]  # type: ignore[union-attr]
    window.controller.seek(last.start_ms + 100)  # type: ignore[operator]
    qtbot.waitUntil(lambda: view._sentence_rect_visible(view._current))
    view.text.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: view.follow_button.isVisible())
    assert not view.following
    qtbot.mouseClick(view.follow_button, Qt.MouseButton.LeftButton)
    assert view.following and not view.follow_button.isVisible()
    assert view._sentence_rect_visible(view._current)


def test_play_quote_only_stops_at_its_end(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """'Play quote only' plays O'Brien's short quote and pauses at its end."""
    open_and_wait(qtbot, window, clip_media)
    window.tabs.setCurrentWidget(window.quotes)
    tree = window.quotes.tree
    article = window.controller.article
    index = next(i for i, q in enumerate(article.quotes) if q.speaker.name.startswith("Stephen"))  # type: ignore[union-attr]
    quote = article.quotes[index]  # type: ignore[union-attr]
    tree.setCurrentItem(tree.topLevelItem(index))
    qtbot.mouseClick(window.quotes.only_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.state is State.PAUSED, timeout=10_000)
    assert abs(window.controller.position() - quote.end_ms) < 150  # type: ignore[operator]


def test_last_position_is_offered_when_reopened(
    qtbot: QtBot, window: MainWindow, clip_media: Path, tmp_path: Path
) -> None:
    """Leaving a clip at 1:00 and opening it again offers to resume from 1:00."""
    open_and_wait(qtbot, window, clip_media)
    window.controller.seek(60_000)
    bad = tmp_path / "missing.mp4"
    open_and_wait(qtbot, window, bad, State.ERROR)
    open_and_wait(qtbot, window, clip_media)
    assert window.resume_bar.isVisible()
    assert "1:00" in window.resume_button.text()
    qtbot.mouseClick(window.resume_button, Qt.MouseButton.LeftButton)
    assert abs(window.controller.position() - 60_000) < 100


def test_bad_sync_file_is_reported_and_media_still_plays(
    qtbot: QtBot, window: MainWindow, clip_media: Path, tmp_path: Path
) -> None:
    """A malformed sync file names the file and line in the panel; the clip plays without text."""
    bad = tmp_path / "broken.sync.json"
    bad.write_text('{"format": "clipsync-sync",\n "version": 1,\n "title": oops}\n')
    window.open_media(clip_media, bad)
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
    hint = window.article_view.empty_hint.text()
    assert f"{bad}:3" in hint and "malformed JSON" in hint
    assert window.controller.article is None


def test_every_control_has_an_accessible_name(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """Buttons, sliders, boxes and text areas all carry an accessible name or a text."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSlider,
        QComboBox,
        QLineEdit,
        QScrollBar,
        QTextEdit,
        QTreeWidget,
    )

    open_and_wait(qtbot, window, clip_media)
    unnamed = [
        w
        for kind in (QAbstractButton, QAbstractSlider, QComboBox, QLineEdit, QTextEdit, QTreeWidget)
        for w in window.findChildren(kind)
        if w.isVisibleTo(window)
        and not w.accessibleName()
        and not getattr(w, "text", lambda: "")()
        and not isinstance(w, QScrollBar)  # part of a scroll area, named by it
    ]
    assert unnamed == []


def test_end_keeps_the_last_frame_and_play_replays(
    qtbot: QtBot, window: MainWindow, clip_media: Path
) -> None:
    """At the end the last picture stays; Play starts again from the beginning."""
    open_and_wait(qtbot, window, clip_media)
    window.controller.seek(215_500, play=True)
    qtbot.waitUntil(lambda: window.controller.state is State.ENDED, timeout=10_000)
    assert window.video.image is not None
    assert window.timeline.time_text() == "3:37 / 3:37"
    qtbot.mouseClick(window.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
    qtbot.wait(500)
    assert window.controller.position() < 5_000


def test_slow_open_shows_please_wait_and_fast_open_does_not_flash(
    qtbot: QtBot, clip_media: Path, tmp_path: Path
) -> None:
    """Without a picture after 400 ms the loading state shows; the real clip opens without it."""
    from clipsync.core.settings import SettingsStore
    from clipsync.media.fake_players import FakePlayer

    slow = create_window(FakePlayer(), SettingsStore(tmp_path / "settings.json"))
    qtbot.addWidget(slow)
    slow.open_media(Path("never-shows-a-frame.mp4"))
    qtbot.wait(250)
    assert not slow.video.loading_visible
    qtbot.waitUntil(lambda: slow.video.loading_visible, timeout=2000)

    fast = create_window()
    qtbot.addWidget(fast)
    shown: list[bool] = []
    fast.video._loading_timer.timeout.connect(lambda: shown.append(True))
    open_and_wait(qtbot, fast, clip_media)
    assert shown == []


def test_marker_hover_names_the_speaker_and_dragging_is_throttled(
    qtbot: QtBot, window: MainWindow, clip_media: Path
) -> None:
    """Hovering a marker shows time, speaker and first words; a fast drag seeks at most every 150 ms."""
    from PySide6.QtWidgets import QToolTip

    window.load_text(clip_media.with_name("syria.sync.json"), clip_media)
    quote = power_quote(window)
    slider = window.timeline.slider
    qtbot.mouseMove(slider, QPoint(slider.x_for(quote.start_ms), 4))
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    tip = QToolTip.text()
    assert tip.startswith("<p") and "&lt;" not in tip  # escaped, shown literally
    assert "Samantha Power" in tip and "What Russia is sponsoring" in tip and ">2:13 · " in tip

    seeks: list[int] = []
    slider.seekRequested.connect(seeks.append)
    for value in range(0, 100_000, 1000):  # 100 drag steps in well under 150 ms
        slider.sliderMoved.emit(value)
    assert 1 <= len(seeks) <= 2


def test_align_article_from_the_window_while_playing(
    qtbot: QtBot, window: MainWindow, clip_media: Path, tmp_path: Path
) -> None:
    """File > Align article aligns in the background while the video plays, then shows and saves the text."""
    import shutil

    from conftest import SEED_ARTICLE

    media = tmp_path / "talk.mp4"
    shutil.copy(clip_media, media)
    open_and_wait(qtbot, window, media)
    assert window.controller.article is None  # no text beside the copy yet
    window.align_article()
    dialog = window.align_dialog
    dialog.text_edit.setText(str(SEED_ARTICLE))
    start = window.controller.position()
    with qtbot.waitSignal(dialog.aligned, timeout=90_000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert window.controller.position() - start > 1000  # playback went on meanwhile
    assert (tmp_path / "talk.sync.json").is_file()
    article = window.controller.article
    assert article is not None and len(article.quotes) == 6
    assert window.article_view.text.isVisible()


def test_text_from_files_is_never_markup(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """Sentences and quotes that look like HTML are shown literally in the article, list and tooltips."""
    import json

    from conftest import CLIP_DIR

    doc = json.loads((CLIP_DIR / "syria.sync.json").read_text(encoding="utf-8"))
    sentence = doc["blocks"][3]["sentences"][0]
    sentence["text"] = "<b>Bold?</b> & <i>no</i> " + sentence["text"]
    path = tmp_path / "markup.sync.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    window.load_text(path)
    assert "<b>Bold?</b> & <i>no</i>" in window.article_view.text.toPlainText()
    from clipsync.ui.player.timeline import plain_tooltip

    assert plain_tooltip("<b>x</b>") == "<p style='white-space:pre-wrap'>&lt;b&gt;x&lt;/b&gt;</p>"


def test_full_screen_with_f_and_back_with_esc(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """F shows only the video full screen; Esc brings the menus and the text back."""
    open_and_wait(qtbot, window, clip_media)
    qtbot.keyClick(window, Qt.Key.Key_F)
    qtbot.waitUntil(window.isFullScreen)
    assert not window.tabs.isVisible() and not window.menuBar().isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.tabs.isVisible() and window.menuBar().isVisible()


def test_single_key_shortcuts_can_be_turned_off(qtbot: QtBot, window: MainWindow, clip_media: Path) -> None:
    """With single-key shortcuts off (WCAG 2.1.4), Space does nothing; the menu action still works."""
    open_and_wait(qtbot, window, clip_media)
    window.single_keys_action.trigger()
    assert window.settings.get("single_key_shortcuts") is False
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.controller.state is State.PLAYING
    window.play_action.trigger()
    assert window.controller.state is State.PAUSED
    window.single_keys_action.trigger()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=3000)


def test_missing_libvlc_shows_the_error_panel(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a usable libVLC the window opens in its error state, saying what to install."""
    import clipsync.ui.app as app_module

    reason = "libVLC is not installed. On Debian/Ubuntu: sudo apt-get install libvlc5 vlc-plugin-base"
    monkeypatch.setattr(app_module, "make_player", lambda: (None, reason))
    window = app_module.create_window()
    qtbot.addWidget(window)
    window.show()
    assert window.stage.currentWidget() is window.error_panel
    assert window.error_panel.reason.text() == reason
    assert not window.play_button.isEnabled()


def test_no_two_actions_share_a_shortcut(window: MainWindow) -> None:
    """An ambiguous shortcut triggers nothing in Qt: every key belongs to one action."""
    from collections import Counter

    from PySide6.QtGui import QAction

    keys = Counter(
        action.shortcut().toString()
        for action in window.findChildren(QAction)
        if not action.shortcut().isEmpty()
    )
    assert [key for key, count in keys.items() if count > 1] == []


def test_a_pause_and_a_play_at_once_leave_it_playing(
    qtbot: QtBot, window: MainWindow, clip_media: Path
) -> None:
    """Space pressed twice quickly: libVLC keeps only the last of two queued state changes, so
    it goes on playing and says nothing (before the fix the window stayed paused, its text
    frozen, while the picture played on). Each time the window plays again and time moves."""
    open_and_wait(qtbot, window, clip_media)
    controller = window.controller
    for _ in range(20):
        controller.pause()
        controller.play()
        qtbot.waitUntil(lambda: controller.state is State.PLAYING, timeout=1500)
        qtbot.wait(40)
    start = controller.position()
    qtbot.waitUntil(lambda: controller.position() > start + 300, timeout=3000)
