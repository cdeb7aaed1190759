"""Edit timings mode in the real window: real libVLC playing a copy of the bundled clip, the
waveform read from it, edits made with the mouse and the keyboard (offscreen Qt, dummy audio)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from clipsync.core.editing.journal import journal_path
from clipsync.core.formats.subtitles import read_vtt
from clipsync.core.formats.syncdoc import load_sync
from clipsync.core.text.article import Sentence
from clipsync.ui.app import create_window
from clipsync.ui.editor.timing_editor import TimingEditor
from clipsync.ui.player.controller import State
from clipsync.ui.window.main_window import MainWindow

pytestmark = pytest.mark.slow
ALT, CTRL, SHIFT = (
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
)


@pytest.fixture
def media(tmp_path: Path, clip_media: Path, clip_sync: Path) -> Path:
    """A copy of the bundled clip and its sync document (edits are saved beside it)."""
    shutil.copy(clip_media, tmp_path / "syria.mp4")
    shutil.copy(clip_sync, tmp_path / "syria.sync.json")
    return tmp_path / "syria.mp4"


@pytest.fixture
def window(qtbot: QtBot, media: Path):  # type: ignore[no-untyped-def]
    window = create_window()  # closed here, not by qtbot: first its edits are made "saved",
    window.show()  # or closing would ask (a modal question nobody answers)
    window.open_media(media)
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
    yield window
    if window.timing.session is not None:
        window.timing.session.stack.setClean()
    window.close()
    window.deleteLater()


def open_editor(qtbot: QtBot, window: MainWindow, at_ms: int) -> TimingEditor:
    """Pause at ``at_ms`` and press Ctrl+E; wait for the waveform."""
    window.controller.pause()
    window.controller.seek(at_ms)
    qtbot.keyClick(window, Qt.Key.Key_E, CTRL)
    editor = window.timing.editor
    assert editor is not None and editor.isVisible()
    qtbot.waitUntil(lambda: editor.waveform.envelope is not None, timeout=20_000)
    return editor


def seek_and_wait(qtbot: QtBot, window: MainWindow, position_ms: int) -> None:
    """Jump and wait for the text to follow (it changes with the new position's first picture)."""
    window.controller.seek(position_ms)
    qtbot.waitUntil(lambda: abs(window.controller.text_position() - position_ms) < 50, timeout=5000)


def sentence(window: MainWindow, index: int) -> Sentence:
    article = window.controller.article
    assert article is not None
    return article.sentences[index]


def test_dragging_a_boundary_moves_it_live_and_undoes_in_one_step(qtbot: QtBot, window: MainWindow) -> None:
    """A start dragged 1 s later: the text panel, the captions and "now" follow at once; Ctrl+Z
    puts it back; the whole drag is one undo step; the title says unsaved."""
    first = sentence(window, 5)
    start = first.start_ms or 0
    editor = open_editor(qtbot, window, start - 1500)
    assert editor.selected == first.id
    view = editor.waveform
    y = view.height() // 2
    x = round(view.x_for(start))
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    for step in range(1, 11):
        qtbot.mouseMove(view, QPoint(x + round(step * (view.x_for(start + 1000) - x) / 10), y))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPoint(round(view.x_for(start + 1000)), y))
    qtbot.wait(50)
    moved = sentence(window, 5)
    assert abs((moved.start_ms or 0) - (start + 1000)) <= view.view_span / view.width() + 1
    assert window.article_view.article is not None
    assert window.article_view.article.sentence(first.id).start_ms == moved.start_ms
    seek_and_wait(qtbot, window, start + 500)  # now in the pause before the moved start
    assert window.controller.now.sentence_id is None and window.caption_controls.caption_now() is None
    assert window.isWindowModified() and editor.session is not None and editor.session.stack.count() == 1
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert sentence(window, 5).start_ms == start
    seek_and_wait(qtbot, window, start + 500)
    assert window.controller.now.sentence_id == first.id and window.caption_controls.caption_now() is not None
    assert not window.isWindowModified()


def test_setting_start_end_and_next_start_at_the_playhead_while_playing(
    qtbot: QtBot, window: MainWindow
) -> None:
    """During real playback: I sets the start where the playhead is, N ends the sentence there
    and starts the next one, O ends that one; each within a few ms of the playhead."""
    target = sentence(window, 7)
    editor = open_editor(qtbot, window, (target.start_ms or 0) - 600)
    assert editor.selected == target.id
    controller = window.controller
    controller.play()
    marks: list[int] = []
    for key, after in ((Qt.Key.Key_I, 300), (Qt.Key.Key_N, 1200), (Qt.Key.Key_O, 2000)):
        reference = (target.start_ms or 0) + after
        qtbot.waitUntil(lambda reference=reference: controller.position() >= reference, timeout=10_000)
        assert controller.state is State.PLAYING
        marks.append(controller.position())
        qtbot.keyClick(window, key)
    a, b = sentence(window, 7), sentence(window, 8)
    assert abs((a.start_ms or 0) - marks[0]) <= 60
    assert abs((a.end_ms or 0) - marks[1]) <= 60 and b.start_ms == a.end_ms
    assert abs((b.end_ms or 0) - marks[2]) <= 60
    assert editor.selected == b.id  # N moved on to the next sentence
    assert editor.session is not None and {a.id, b.id} <= editor.session.state.anchors


def test_nudges_play_alone_and_loop(qtbot: QtBot, window: MainWindow) -> None:
    """Alt+Shift+Left/Right and Alt+Left/Right nudge the selected boundary; P plays the sentence
    alone (it stops at its end); Shift+P plays it again and again."""
    s = sentence(window, 2)
    editor = open_editor(qtbot, window, (s.start_ms or 0) - 500)
    assert editor.selected == s.id
    qtbot.keyClick(window, Qt.Key.Key_Period, ALT)  # next boundary: the first word's end
    qtbot.keyClick(window, Qt.Key.Key_Comma, ALT)  # back to the sentence's start
    assert editor.boundary is not None and editor.boundary.word is None
    for key, modifiers in ((Qt.Key.Key_Right, ALT | SHIFT), (Qt.Key.Key_Right, ALT), (Qt.Key.Key_Left, ALT)):
        qtbot.keyClick(window, key, modifiers)
    assert sentence(window, 2).start_ms == (s.start_ms or 0) + 100
    assert editor.session is not None and editor.session.stack.count() == 1  # one burst, one step
    # Make it short (1.2 s) so playing it is quick: O at start + 1.2 s.
    window.controller.seek((s.start_ms or 0) + 1300, exact=True)  # as the editor's waveform seeks
    qtbot.keyClick(window, Qt.Key.Key_O)
    short = sentence(window, 2)
    assert short.end_ms == (s.start_ms or 0) + 1300
    qtbot.keyClick(window, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=5000)
    qtbot.waitUntil(lambda: window.controller.state is State.PAUSED, timeout=10_000)
    assert abs(window.controller.position() - (short.end_ms or 0)) < 150
    qtbot.keyClick(window, Qt.Key.Key_P, SHIFT)  # loop
    restarts: list[int] = []
    window.controller.stateChanged.connect(lambda st: restarts.append(window.controller.position()))
    qtbot.waitUntil(
        lambda: len([p for p in restarts if p < (short.start_ms or 0) + 300]) >= 2, timeout=15_000
    )
    qtbot.keyClick(window, Qt.Key.Key_P, SHIFT)
    assert not editor.commands.looping


def test_correcting_a_sentence_keeps_its_timing(qtbot: QtBot, window: MainWindow) -> None:
    """F2, a new text typed (letters that are shortcuts elsewhere included), Enter: the article
    and the captions show it, the times stay; Ctrl+Z brings the old text back."""
    s = sentence(window, 4)
    editor = open_editor(qtbot, window, (s.start_ms or 0) + 200)
    assert editor.selected == s.id
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert editor.text_edit.hasFocus() and not editor.text_edit.isReadOnly()
    new_text = "In Geneva, Power spoke on Nov. 1 (no paid plan) in point of fact."
    qtbot.keyClicks(editor.text_edit, new_text)
    qtbot.keyClick(editor.text_edit, Qt.Key.Key_Return)
    edited = sentence(window, 4)
    assert edited.text == new_text and (edited.start_ms, edited.end_ms) == (s.start_ms, s.end_ms)
    assert edited.words.problem(len(new_text), edited.start_ms, edited.end_ms) is None and edited.words
    assert new_text in window.article_view.text.toPlainText()
    seek_and_wait(qtbot, window, (s.start_ms or 0) + 200)
    caption = window.caption_controls.caption_now()
    assert caption is not None and "Geneva" in " ".join(caption.lines)
    assert editor.session is not None and editor.session.stack.count() == 1  # no shortcut fired
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert sentence(window, 4).text == s.text and s.text in window.article_view.text.toPlainText()


def test_not_in_the_recording_and_back(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Delete takes a sentence off the timeline (nothing is said then; dotted in the text);
    Ctrl+Insert brings it back into the pause; Ctrl+Shift+L locks it."""
    s = sentence(window, 3)
    editor = open_editor(qtbot, window, (s.start_ms or 0) + 100)
    qtbot.keyClick(window, Qt.Key.Key_Delete, CTRL)
    assert not sentence(window, 3).timed
    seek_and_wait(qtbot, window, (s.start_ms or 0) + 100)
    assert window.controller.now.sentence_id is None
    assert window.timing.bring_back.isEnabled() and not window.timing.not_in_recording.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Insert, CTRL)
    back = sentence(window, 3)
    assert back.timed and (back.start_ms or 0) <= (s.start_ms or 0) and (back.end_ms or 0) >= (s.end_ms or 0)
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | SHIFT)
    assert editor.session is not None and s.id in editor.session.state.anchors
    assert "locked" in editor.info.text()


def test_realign_from_an_anchor_recovers_a_boundary_moved_2_s_off(qtbot: QtBot, window: MainWindow) -> None:
    """A start pushed 2 s late by hand, unlocked, its neighbours locked: Ctrl+Shift+R from the
    first anchor re-times it within 40 ms of the truth, in the background; Ctrl+Z undoes it."""
    truth = sentence(window, 6)
    editor = open_editor(qtbot, window, (truth.start_ms or 0) - 500)
    assert editor.selected == truth.id
    for _ in range(20):
        qtbot.keyClick(window, Qt.Key.Key_Right, ALT | SHIFT)
    assert sentence(window, 6).start_ms == (truth.start_ms or 0) + 2000
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | SHIFT)  # the hand was wrong: not an anchor
    qtbot.keyClick(window, Qt.Key.Key_Up, ALT)
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | SHIFT)
    qtbot.keyClick(window, Qt.Key.Key_Down, ALT)
    qtbot.keyClick(window, Qt.Key.Key_Down, ALT)
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL | SHIFT)
    qtbot.keyClick(window, Qt.Key.Key_Up, ALT)
    qtbot.keyClick(window, Qt.Key.Key_Up, ALT)
    assert editor.session is not None
    assert editor.session.state.anchors == {sentence(window, 5).id, sentence(window, 7).id}
    with qtbot.waitSignal(editor.commands.runner.finished, timeout=60_000):
        qtbot.keyClick(window, Qt.Key.Key_R, CTRL | SHIFT)
        assert editor.progress.isVisible()
    fixed = sentence(window, 6)
    assert abs((fixed.start_ms or 0) - (truth.start_ms or 0)) <= 40
    assert abs((fixed.end_ms or 0) - (truth.end_ms or 0)) <= 40
    assert not editor.progress.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert sentence(window, 6).start_ms == (truth.start_ms or 0) + 2000


def test_save_writes_the_document_and_its_vtt(qtbot: QtBot, window: MainWindow, media: Path) -> None:
    """Ctrl+S writes syria.sync.json and syria.vtt with the edit; the title is clean again and
    the journal is gone."""
    s = sentence(window, 9)
    editor = open_editor(qtbot, window, (s.start_ms or 0) - 300)
    qtbot.keyClick(window, Qt.Key.Key_Right, ALT | SHIFT)
    journal = journal_path(media.with_name("syria.sync.json"))
    assert journal.is_file() and window.isWindowModified()
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL)
    assert not window.isWindowModified() and not journal.exists()
    saved = load_sync(media.with_name("syria.sync.json"))
    assert saved.sentence(s.id).start_ms == (s.start_ms or 0) + 100
    cue = next(c for c in read_vtt(media.with_name("syria.vtt")) if c.identifier == s.id)
    assert cue.start_ms == (s.start_ms or 0) + 100
    assert editor.saved_label.text() == ""


def test_closing_with_unsaved_changes_asks(qtbot: QtBot, window: MainWindow, media: Path) -> None:
    """Close with an unsaved edit: Cancel keeps the window; Discard closes and drops the journal."""
    s = sentence(window, 9)
    open_editor(qtbot, window, (s.start_ms or 0) - 300)
    qtbot.keyClick(window, Qt.Key.Key_Right, ALT)
    journal = journal_path(media.with_name("syria.sync.json"))
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.Cancel))
    assert not window.close()
    assert window.isVisible() and asked and "syria.sync.json" in asked[0]
    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.Discard))
    assert window.close()
    assert len(asked) == 2 and not journal.exists()
    assert load_sync(media.with_name("syria.sync.json")).sentence(s.id).start_ms == s.start_ms


def test_single_key_shortcuts_off_switch_the_editor_keys_off_too(qtbot: QtBot, window: MainWindow) -> None:
    """With single-key shortcuts off, I does nothing; the Edit menu's command still works."""
    s = sentence(window, 5)
    open_editor(qtbot, window, (s.start_ms or 0) - 300)
    window.single_keys_action.trigger()
    qtbot.keyClick(window, Qt.Key.Key_I)
    assert sentence(window, 5).start_ms == s.start_ms
    window.timing.set_start.trigger()
    assert sentence(window, 5).start_ms == window.controller.position()


CRASHING_EDITOR = """
import json, os, signal, sys
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from clipsync.ui.app import application, create_window
from clipsync.ui.player.controller import State

app = application()
window = create_window()
window.show()
window.open_media(Path(sys.argv[1]))
while window.controller.state is not State.PLAYING:
    app.processEvents()
article = window.controller.article
window.controller.pause()
window.controller.seek(article.sentences[5].start_ms - 300)
QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
alt_shift = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
QTest.keyClick(window, Qt.Key.Key_Right, alt_shift)  # sentence 6 starts 100 ms later
QTest.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
QTest.keyClick(window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)  # 5: not said
QTest.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
QTest.keyClick(window, Qt.Key.Key_F2)
editor = window.timing.editor
QTest.keyClicks(editor.text_edit, "A corrected sentence, said by someone.")
QTest.keyClick(editor.text_edit, Qt.Key.Key_Return)  # 4: new text
QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undone
QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # 4: locked
state = editor.session.state
print(json.dumps({
    "sentences": [[s.id, s.text, s.start_ms, s.end_ms] for s in state.article.sentences],
    "anchors": sorted(state.anchors),
}), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # a crash: no closing, no saving
"""


def test_edits_are_recovered_after_a_crash(qtbot: QtBot, media: Path) -> None:
    """A clipsync process killed in the middle of editing leaves its edits in the journal; the
    next open offers them, Recover brings them all back (one undoable step), unsaved."""
    import json
    import signal
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", CRASHING_EDITOR, str(media)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    expected = json.loads(run.stdout.strip().splitlines()[-1])
    original = load_sync(media.with_name("syria.sync.json"))  # the file itself was not touched
    assert [s.start_ms for s in original.sentences] != [s[2] for s in expected["sentences"]]
    assert journal_path(media.with_name("syria.sync.json")).is_file()

    window = create_window()
    window.show()
    try:
        window.open_media(media)
        qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
        bar = window.timing.recovery_bar
        assert bar.isVisible() and "3 unsaved timing edits" in bar.label.text()
        qtbot.mouseClick(bar.recover_button, Qt.MouseButton.LeftButton)
        assert not bar.isVisible() and window.timing.edit_mode.isChecked()
        session = window.timing.session
        assert session is not None
        got = [[s.id, s.text, s.start_ms, s.end_ms] for s in session.state.article.sentences]
        assert got == expected["sentences"] and sorted(session.state.anchors) == expected["anchors"]
        assert window.controller.article == session.state.article and window.isWindowModified()
        qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
        assert window.controller.article == original
    finally:
        if window.timing.session is not None:
            window.timing.session.stack.setClean()
        window.close()
        window.deleteLater()


def test_discarding_recovered_edits_removes_them(qtbot: QtBot, media: Path) -> None:
    """Discard on the recovery bar deletes the journal; the next open offers nothing."""
    from clipsync.core.editing.edits import Boundary, Edge, EditState
    from clipsync.core.editing.journal import Journal, fingerprint
    from clipsync.core.editing.timing_edits import move_boundary

    document = media.with_name("syria.sync.json")
    state = EditState(load_sync(document))
    s = state.article.sentences[3]
    Journal(document, fingerprint(document)).record(
        "do", move_boundary(state, Boundary(s.id, Edge.END), (s.end_ms or 0) - 500)
    )
    window = create_window()
    window.show()
    try:
        window.open_media(media)
        bar = window.timing.recovery_bar
        qtbot.waitUntil(bar.isVisible)  # looked for once the file is open
        assert "1 unsaved timing edits" in bar.label.text()
        qtbot.mouseClick(bar.discard_button, Qt.MouseButton.LeftButton)
        assert not bar.isVisible() and not journal_path(document).exists()
        assert window.controller.article == state.article and not window.isWindowModified()
    finally:
        window.close()
        window.deleteLater()


def test_edits_not_recovered_yet_stay_for_next_time(qtbot: QtBot, media: Path) -> None:
    """Closing the window without answering the offer keeps the journal: it is offered again."""
    from clipsync.core.editing.edits import Boundary, Edge, EditState
    from clipsync.core.editing.journal import Journal, fingerprint
    from clipsync.core.editing.timing_edits import move_boundary

    document = media.with_name("syria.sync.json")
    state = EditState(load_sync(document))
    s = state.article.sentences[3]
    Journal(document, fingerprint(document)).record(
        "do", move_boundary(state, Boundary(s.id, Edge.END), (s.end_ms or 0) - 500)
    )
    for _ in range(2):
        window = create_window()
        window.show()
        window.open_media(media)
        qtbot.waitUntil(window.timing.recovery_bar.isVisible)
        window.close()
        window.deleteLater()
        assert journal_path(document).is_file()


def test_a_save_that_fails_says_why_and_keeps_the_edits(
    qtbot: QtBot, window: MainWindow, media: Path
) -> None:
    """Saving onto a folder fails with a message; the edits stay unsaved and in the journal."""
    s = sentence(window, 9)
    open_editor(qtbot, window, (s.start_ms or 0) - 300)
    qtbot.keyClick(window, Qt.Key.Key_Right, ALT)
    folder = media.with_name("taken.sync.json")
    folder.mkdir()
    assert not window.timing.save_timings(folder)
    assert "Timings not saved" in window.statusBar().currentMessage()
    assert window.isWindowModified() and journal_path(media.with_name("syria.sync.json")).is_file()


def test_edits_made_to_another_version_are_not_applied(qtbot: QtBot, media: Path) -> None:
    """A journal whose document changed since: the bar says so and Recover is off."""
    from clipsync.core.editing.edits import Boundary, Edge, EditState
    from clipsync.core.editing.journal import Journal, fingerprint
    from clipsync.core.editing.timing_edits import move_boundary

    document = media.with_name("syria.sync.json")
    state = EditState(load_sync(document))
    s = state.article.sentences[3]
    journal = Journal(document, fingerprint(document))
    journal.record("do", move_boundary(state, Boundary(s.id, Edge.END), (s.end_ms or 0) - 500))
    journal.close()
    document.write_text(document.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    window = create_window()
    window.show()
    try:
        window.open_media(media)
        bar = window.timing.recovery_bar
        qtbot.waitUntil(bar.isVisible)
        assert "another version" in bar.label.text() and not bar.recover_button.isEnabled()
    finally:
        window.close()
        window.deleteLater()


def test_realign_can_be_cancelled_and_changes_nothing(qtbot: QtBot, window: MainWindow) -> None:
    """Re-align from the first sentence (the whole text), then Cancel: nothing changes, and
    edits are refused while it runs."""
    first = sentence(window, 0)
    editor = open_editor(qtbot, window, first.start_ms or 0)
    before = window.controller.article
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL)
    assert editor.commands.runner.running and editor.cancel_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_O)  # refused while re-aligning
    assert "wait for it" in window.statusBar().currentMessage()
    with qtbot.waitSignal(editor.commands.runner.cancelled, timeout=30_000):
        qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    assert window.controller.article == before and not editor.progress.isVisible()
    assert editor.session is not None and editor.session.stack.count() == 0
