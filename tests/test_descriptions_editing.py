"""Authoring descriptions in Edit timings mode (real window, real libVLC, a copy of the bundled
clip): add at the playhead, edit, move, delete; undo and redo; the journal; saving; and the
warning for a description that does not fit its gap at 1x."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clipsync.core.descriptions import Description, descriptions_of
from clipsync.core.editing.journal import journal_path, read_journal
from clipsync.core.formats.syncdoc import load_sync
from clipsync.ui.app import create_window
from clipsync.ui.player import State

CLIP = Path(__file__).resolve().parents[1] / "resources" / "clip"

pytestmark = pytest.mark.slow


@pytest.fixture
def media(tmp_path: Path) -> Path:
    shutil.copy(CLIP / "syria.mp4", tmp_path / "syria.mp4")
    shutil.copy(CLIP / "syria.sync.json", tmp_path / "syria.sync.json")
    return tmp_path / "syria.mp4"


def test_add_edit_move_delete_undo_journal_save_and_the_fit_warning(qtbot: QtBot, media: Path) -> None:
    window = create_window()
    window.show()
    try:
        window.descriptions.describe_action.trigger()
        window.open_media(media)
        qtbot.waitUntil(lambda: window.controller.state is State.PLAYING, timeout=10_000)
        window.controller.pause()
        window.controller.seek(107_800)
        window.timing.edit_mode.trigger()
        editor = window.timing.editor
        assert editor is not None and editor.isVisible()
        answers = iter(
            [
                "On screen: Stephen O’Brien, UN Humanitarian Affairs and Emergency Relief Coordinator.",
                "A map.",
            ]
        )
        editor.descriptions.ask_text = lambda title, text: next(answers)

        def described() -> tuple[Description, ...]:
            return descriptions_of(window.controller.article)

        window.timing.add_description.trigger()
        assert [(d.id, d.time_ms) for d in described()] == [("d1", 107_800)]
        assert "O’Brien" in window.article_view.text.toPlainText()
        # Too long for the 1.8 s gap after 1:47: the editor says so, with its length against the gap.
        qtbot.waitUntil(lambda: editor.descriptions.warning.isVisible(), timeout=10_000)
        warning = editor.descriptions.warning.text()
        assert "“d1”" in warning and "s of speech does not fit the 1.8 s gap at 1:49" in warning
        window.timing.edit_description.trigger()
        assert described()[0].text == "A map."
        qtbot.waitUntil(lambda: not editor.descriptions.warning.isVisible(), timeout=10_000)  # it fits now
        window.controller.seek(20_000)
        qtbot.waitUntil(lambda: abs(window.controller.position() - 20_000) < 50, timeout=5000)
        window.timing.move_description.trigger()
        assert described() == (Description("d1", 20_000, "A map."),)
        window.timing.undo.trigger()
        assert described() == (Description("d1", 107_800, "A map."),)
        window.timing.redo.trigger()
        # Every step is in the journal beside the document until it is saved.
        recovery = read_journal(media.with_name("syria.sync.json"))
        assert recovery is not None and recovery.edits == 3
        window.timing.delete_description.trigger()
        assert described() == ()
        window.timing.undo.trigger()
        window.timing.save_timings()
        assert not journal_path(media.with_name("syria.sync.json")).exists()
        saved = json.loads(media.with_name("syria.sync.json").read_text(encoding="utf-8"))
        assert saved["descriptions"] == [{"id": "d1", "time_ms": 20_000, "text": "A map."}]
        assert descriptions_of(load_sync(media.with_name("syria.sync.json"))) == described()
    finally:
        if window.timing.session is not None:
            window.timing.session.stack.setClean()
        window.close()
        window.deleteLater()
