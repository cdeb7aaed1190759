"""Described video in Edit timings mode: add a description at the playhead, edit, move and
delete the one at (or last before) the playhead, and a warning line naming each description
that does not fit its gap at 1x, with its spoken length against the gap.

Each edit is a core change (:mod:`clipsync.core.editing.description_edits`) pushed on the
session's undo stack like the timing edits: undoable, journaled, saved with the document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLabel

from clipsync.core.editing.description_edits import (
    add_description,
    delete_description,
    description_at,
    edit_description,
    fit_warnings,
    move_description,
)
from clipsync.core.editing.edits import Change, EditState
from clipsync.core.timing.timecode import format_clock

if TYPE_CHECKING:
    from clipsync.ui.editor.timing_editor import TimingEditor


class DescriptionAuthoring:
    """The description commands of one timing editor (see module)."""

    def __init__(self, editor: TimingEditor) -> None:
        self.editor = editor
        self.host = editor.host
        #: Asks for a description's text (title, text so far) -> the text, or None: cancelled.
        self.ask_text = self._ask
        self.warning = QLabel("", editor)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Descriptions that do not fit")
        self.warning.setStyleSheet("QLabel { color: #862e9c; }")
        self.warning.hide()

    def _ask(self, title: str, text: str) -> str | None:
        answer, ok = QInputDialog.getMultiLineText(self.editor, title, "What the picture shows:", text)
        return answer if ok else None

    def _position(self) -> int:
        return self.host.controller.position()

    def add(self) -> None:
        at = self._position()
        text = self.ask_text(f"Add a description at {format_clock(at)}", "")
        if text is not None:
            self.editor.commands.perform(lambda state: add_description(state, at, text))

    def edit(self) -> None:
        state = self.editor.state
        found = description_at(state, self._position()) if state is not None else None
        if found is None:
            self.host.notify("There is no description to edit: add one at the playhead first.", error=True)
            return
        text = self.ask_text(f"Edit the description at {format_clock(found.time_ms)}", found.text)
        if text is not None:
            self.editor.commands.perform(lambda s: edit_description(s, found.id, text))

    def move(self) -> None:
        """Move the description at (or last before) the playhead... to the playhead: with the
        video paused where its picture first shows, this puts it there."""
        self._on_selected(lambda s, d: move_description(s, d, self._position()), "move")

    def delete(self) -> None:
        self._on_selected(delete_description, "delete")

    def _on_selected(self, operation: Callable[[EditState, str], Change], verb: str) -> None:
        state = self.editor.state
        found = description_at(state, self._position()) if state is not None else None
        if found is None:
            self.host.notify(f"There is no description to {verb}.", error=True)
            return
        self.editor.commands.perform(lambda s: operation(s, found.id))

    def refresh(self) -> None:
        """Say which descriptions do not fit their gap at 1x (from the lengths rendered)."""
        state = self.editor.state
        problems = fit_warnings(state, self.host.description_lengths()) if state is not None else {}
        if not problems:
            self.warning.hide()
            return
        lines = [f"“{did}”: {reason}" for did, reason in problems.items()]
        self.warning.setText(
            "Described video, does not fit at 1× (the video will pause): " + "; ".join(lines)
        )
        self.warning.show()
