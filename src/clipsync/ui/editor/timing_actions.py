"""Edit timings mode in the window: its commands (the Edit menu, all on the keyboard), the
timing editor panel under the timeline, unsaved changes (title, asking before they are lost)
and the offer to recover edits a crash left in the journal.

Start-up stays light: the editor, the waveform (numpy) and the undo machinery are imported and
built the first time they are needed (Ctrl+E, or edits to recover).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QMenu,
    QMenuBar,
    QMessageBox,
    QWidget,
)

from clipsync.core.errors import InputError
from clipsync.core.text.article import Article, Sentence
from clipsync.ui.editor.recovery_bar import RecoveryBar
from clipsync.ui.player import PlaybackController

if TYPE_CHECKING:
    from clipsync.ui.editor.edit_session import EditSession
    from clipsync.ui.editor.timing_editor import TimingEditor


def _insert_after(anchor: QWidget, widget: QWidget) -> None:
    """Put ``widget`` just after ``anchor`` in the window's column (keeps main_window untouched)."""
    parent = anchor.parentWidget()
    layout = parent.layout() if parent is not None else None
    assert isinstance(layout, QBoxLayout)
    layout.insertWidget(layout.indexOf(anchor) + 1, widget)


@dataclass(frozen=True)
class EditorHost:
    """What Edit timings mode uses of the window it is part of (the window passes it in)."""

    parent: QWidget  # owns the panels, the undo group, the dialogs
    controller: PlaybackController
    menu_bar: QMenuBar  # the Edit menu goes before its View menu
    add_action: Callable[..., QAction]  # (text, slot, shortcut, single_key=) -> a window action
    single_keys_on: Callable[[], bool]  # one-key shortcuts are on (View)
    recovery_anchor: QWidget  # the bar offering to recover edits goes just after it
    editor_anchor: QWidget  # the timing editor panel goes just after it
    publish: Callable[[Article], None]  # show an edited article in every view
    notify: Callable[..., None]  # a status message (error=True for a problem)
    set_modified: Callable[[bool], None]  # the window's unsaved-changes mark
    #: Described video: each description's spoken length (ms at 1x) by id, as rendered so far.
    description_lengths: Callable[[], Mapping[str, int]] = dict


class TimingActions:
    """Edit timings mode for one window (see module)."""

    def __init__(self, host: EditorHost) -> None:
        self.host = host
        window = host.parent
        self.editor: TimingEditor | None = None
        self.session: EditSession | None = None
        self._text: tuple[Path | None, Article | None, Path | None] = (None, None, None)
        self.undo_group = QUndoGroup(window)
        self.editing_actions: list[QAction] = []
        self._create()
        self._build_menu()
        self.recovery_bar = RecoveryBar(window)
        _insert_after(host.recovery_anchor, self.recovery_bar)
        self.recovery_bar.recover_button.clicked.connect(self.recover)
        self.recovery_bar.discard_button.clicked.connect(self.discard_recovery)
        self._set_enabled(False)
        # Looking for a journal waits for the event loop, so opening a file shows it first.
        self._journal_check = QTimer(window)
        self._journal_check.setSingleShot(True)
        self._journal_check.timeout.connect(self._check_journal)

    # Commands -------------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[..., object],
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
        *,
        single_key: bool = False,
        editing: bool = True,
    ) -> QAction:
        action = self.host.add_action(text, slot, shortcut, single_key=single_key)
        if single_key and not self.host.single_keys_on():
            action.setShortcut(QKeySequence())  # one-key shortcuts are off (View)
        if editing:
            self.editing_actions.append(action)
        return action

    def _edit(self, method: str, *args: object) -> Callable[[], None]:
        """A slot calling ``<method>(*args)`` of the editor's commands (or of the editor)."""

        def slot() -> None:
            editor = self.editor
            if editor is not None and editor.isVisible():
                target = editor.commands if hasattr(editor.commands, method) else editor
                getattr(target, method)(*args)

        return slot

    def _create(self) -> None:
        a, e = self._action, self._edit
        self.edit_mode = a("&Edit timings", self.set_editing, "Ctrl+E", editing=False)
        self.edit_mode.setCheckable(True)
        self.edit_mode.setToolTip(
            "Fix the timings on the waveform: drag boundaries, set them while listening"
        )
        self.undo = self.undo_group.createUndoAction(self.host.parent, "&Undo")
        self.undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo = self.undo_group.createRedoAction(self.host.parent, "&Redo")
        self.redo.setShortcut(QKeySequence.StandardKey.Redo)
        for action, short in ((self.undo, "Undo"), (self.redo, "Redo")):
            action.setIconText(short)  # (the text itself says what would be undone)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.host.parent.addAction(action)
        self.save = a(
            "&Save timings", lambda: self.save_timings(), QKeySequence.StandardKey.Save, editing=False
        )
        self.save_as = a("Save timings &as…", self.save_timings_as, "Ctrl+Shift+S", editing=False)
        self.set_start = a("Set &start at the playhead", e("set_edge_here", "start"), "I", single_key=True)
        self.set_end = a("Set &end at the playhead", e("set_edge_here", "end"), "O", single_key=True)
        self.end_and_next = a("End here and start the &next", e("end_and_next"), "N", single_key=True)
        self.nudge_back = a("Nudge boundary −10 ms", e("nudge", -10), "Alt+Left")
        self.nudge_on = a("Nudge boundary +10 ms", e("nudge", 10), "Alt+Right")
        self.nudge_back_more = a("Nudge boundary −100 ms", e("nudge", -100), "Alt+Shift+Left")
        self.nudge_on_more = a("Nudge boundary +100 ms", e("nudge", 100), "Alt+Shift+Right")
        self.previous_sentence = a("Previous sentence", e("step_sentence", -1), "Alt+Up")
        self.next_sentence = a("Next sentence", e("step_sentence", 1), "Alt+Down")
        self.previous_boundary = a("Previous boundary", e("step_boundary", -1), "Alt+,")
        self.next_boundary = a("Next boundary", e("step_boundary", 1), "Alt+.")
        self.previous_review = a("Previous sentence to review", e("step_review", -1), "Ctrl+Shift+J")
        self.next_review = a("Next sentence to re&view", e("step_review", 1), "Ctrl+J")
        self.play_sentence = a("&Play the sentence", e("play_sentence"), "P", single_key=True)
        self.loop_sentence = a("&Loop the sentence", self._loop, "Shift+P", single_key=True)
        self.loop_sentence.setCheckable(True)
        self.edit_text = a("Correct the &text…", e("edit_text"), "F2")
        self.lock = a("Lock the timing", e("toggle_lock"), "Ctrl+Shift+L")
        self.lock.setCheckable(True)
        self.lock.setToolTip("A locked sentence is an anchor: re-aligning keeps it as it is")
        self.not_in_recording = a("Not in the recording", e("mark_not_in_recording"), "Ctrl+Delete")
        self.bring_back = a("Bring back", e("bring_back"), "Ctrl+Insert")
        self.realign = a("&Re-align from here", e("realign"), "Ctrl+R")
        self.realign.setToolTip(
            "Re-time what is not locked, from the selected sentence on, in the background"
        )
        self.realign_stretch = a(
            "Re-align up to the next lock", lambda: self._realign_stretch(), "Ctrl+Shift+R"
        )
        self.add_description = a("Add a &description at the playhead…", e("describe", "add"), "Alt+D")
        self.edit_description = a("Edit the description…", e("describe", "edit"), "Alt+Shift+D")
        self.move_description = a("Move the description to the playhead", e("describe", "move"), "Alt+M")
        self.delete_description = a("Delete the description", e("describe", "delete"), "Alt+Shift+Delete")
        self.zoom_in = a("Zoom in", e("zoom", 0.5), QKeySequence.StandardKey.ZoomIn)
        self.zoom_out = a("Zoom out", e("zoom", 2.0), QKeySequence.StandardKey.ZoomOut)
        for action, short in (
            (self.set_start, "Start"), (self.set_end, "End"), (self.end_and_next, "End + next"),
            (self.play_sentence, "Play"), (self.loop_sentence, "Loop"), (self.lock, "Lock"),
            (self.not_in_recording, "Not said"), (self.bring_back, "Bring back"), (self.realign, "Re-align"),
            (self.zoom_in, "+"), (self.zoom_out, "−"), (self.save, "Save"),
        ):  # fmt: skip
            action.setIconText(short)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{action.toolTip() or action.text().replace('&', '')} ({keys})")

    def _build_menu(self) -> None:
        menu_bar = self.host.menu_bar
        view = next((action for action in menu_bar.actions() if action.text() == "&View"), None)
        menu = QMenu("&Edit", menu_bar)
        groups = (
            (self.edit_mode,),
            (self.undo, self.redo),
            (self.save, self.save_as),
            (self.set_start, self.set_end, self.end_and_next, self.nudge_back, self.nudge_on,
             self.nudge_back_more, self.nudge_on_more),
            (self.previous_sentence, self.next_sentence, self.previous_boundary, self.next_boundary,
             self.previous_review, self.next_review, self.zoom_in, self.zoom_out),
            (self.play_sentence, self.loop_sentence),
            (self.edit_text, self.lock, self.not_in_recording, self.bring_back),
            (self.realign, self.realign_stretch),
            (self.add_description, self.edit_description, self.move_description, self.delete_description),
        )  # fmt: skip
        for i, group in enumerate(groups):
            if i:
                menu.addSeparator()
            for action in group:
                menu.addAction(action)
        if view is not None:
            menu_bar.insertMenu(view, menu)
        else:
            menu_bar.addMenu(menu)
        self.menu = menu

    def _set_enabled(self, on: bool) -> None:
        for action in self.editing_actions:
            action.setEnabled(on)

    def selection_changed(self, timed: bool, locked: bool) -> None:
        """The editor selected another sentence: what can be done to it."""
        self.not_in_recording.setEnabled(self.edit_mode.isChecked() and timed)
        self.bring_back.setEnabled(self.edit_mode.isChecked() and not timed)
        self.lock.setChecked(locked)

    def sentence_activated(self, sentence: Sentence) -> None:
        """A sentence clicked in the article is selected in the editor too."""
        if self.editor is not None:
            self.editor.sentence_activated(sentence)

    def descriptions_rendered(self) -> None:
        """New spoken lengths of the descriptions: the fit warning is said again."""
        if self.editor is not None:
            self.editor.descriptions.refresh()

    def _loop(self, on: bool) -> None:
        if self.editor is not None:
            self.editor.commands.set_looping(on)

    def _realign_stretch(self) -> None:
        if self.editor is not None and self.editor.isVisible():
            self.editor.commands.realign(first_only=True)

    # The mode -------------------------------------------------------------------------------
    def set_editing(self, on: bool) -> None:
        """Edit timings mode on (the panel under the timeline) or off."""
        article = self._text[1]
        if on and article is None:
            self.host.notify("Open a text first: there are no timings to edit.", error=True)
            self.edit_mode.setChecked(False)
            return
        self.edit_mode.setChecked(on)
        if on:
            editor = self._ensure_editor()
            session = self._ensure_session()
            if editor.session is not session:
                editor.set_session(session)
            editor.show()
            editor.waveform.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif self.editor is not None:
            self.editor.commands.set_looping(False)
            self.loop_sentence.setChecked(False)
            self.editor.hide()
        self._set_enabled(on)
        if on and self.editor is not None:
            self.editor._show_selection()

    def _ensure_editor(self) -> TimingEditor:
        if self.editor is None:
            from clipsync.ui.editor.timing_editor import TimingEditor

            self.editor = TimingEditor(self.host, self)
            _insert_after(self.host.editor_anchor, self.editor)
        return self.editor

    def _ensure_session(self) -> EditSession:
        if self.session is None:
            from clipsync.ui.editor.edit_session import EditSession

            path, article, media = self._text
            assert article is not None
            self.session = EditSession(article, path, media, self.host.parent)
            self.session.problem.connect(lambda message: self.host.notify(message, error=True))
            self.session.stack.cleanChanged.connect(self._clean_changed)
            self.undo_group.addStack(self.session.stack)
            self.undo_group.setActiveStack(self.session.stack)
        return self.session

    def _clean_changed(self, clean: bool) -> None:
        self.host.set_modified(not clean)
        if self.editor is not None:
            self.editor.saved_label.setText("" if clean else "Unsaved changes")

    # Texts coming and going -----------------------------------------------------------------
    def text_loaded(self, path: Path | None, article: Article | None, media: Path | None) -> None:
        """A new text is shown (the old one's edits were saved or given up): edit that one."""
        self._drop_session(keep_journal=False)
        self._text = (path, article, media)
        self.recovery_bar.hide()
        if self.editor is not None:
            self.editor.set_session(None)
        if article is None:
            self.set_editing(False)
            return
        if self.edit_mode.isChecked():
            self.set_editing(True)
        self._journal_check.start(0)

    def _check_journal(self) -> None:
        from clipsync.core.editing.journal import journal_path

        path = self._text[0]
        if path is not None and journal_path(path).is_file():
            self._offer_recovery()

    def _offer_recovery(self) -> None:
        session = self._ensure_session()
        if session.load_problem:
            self.host.notify(session.load_problem, error=True)
        recovery = session.recovery
        if recovery is None:
            return
        if recovery.edits <= 0:
            session.discard_recovery()  # everything was undone: nothing to offer
            return
        from datetime import datetime

        when = datetime.fromtimestamp(recovery.started).strftime("%Y-%m-%d %H:%M")
        name = session.document.name if session.document else "this text"
        if recovery.matches:
            text = f"{recovery.edits} unsaved timing edits to {name} (started {when}) were found."
        else:
            text = (
                f"Unsaved timing edits to {name} (started {when}) were made to another version of the file."
            )
        self.recovery_bar.label.setText(text)
        self.recovery_bar.recover_button.setEnabled(recovery.matches)
        self.recovery_bar.show()

    def recover(self) -> None:
        """Redo the edits found in the journal (one undoable step) and show them in the editor."""
        session = self.session
        self.recovery_bar.hide()
        if session is None or session.recovery is None:
            return
        try:
            message = session.recover()
        except InputError as exc:
            self.host.notify(f"Edits not recovered: {exc}", error=True)
            return
        self.set_editing(True)
        self.host.notify(message)

    def discard_recovery(self) -> None:
        self.recovery_bar.hide()
        if self.session is not None:
            self.session.discard_recovery()

    def _drop_session(self, *, keep_journal: bool) -> None:
        if self.session is not None:
            self.session.close(keep_journal=keep_journal)
            self.undo_group.removeStack(self.session.stack)
            self.session.deleteLater()
            self.session = None

    # Saving ---------------------------------------------------------------------------------
    def save_timings(self, path: Path | None = None) -> bool:
        """Save the edited text (and its WebVTT); False when it could not be written."""
        session = self.session
        if session is None:
            self.host.notify("There are no timing edits to save.", error=True)
            return False
        try:
            sync, vtt = session.save(path)
        except (OSError, InputError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.host.notify(f"Timings not saved: {reason}", error=True)
            return False
        self._text = (sync, session.state.article, self._text[2])
        self.host.notify(f"Saved {sync.name} and {vtt.name}")
        return True

    def save_timings_as(self) -> bool:
        if self.session is None:
            return self.save_timings()
        path, _ = QFileDialog.getSaveFileName(
            self.host.parent, "Save timings as", str(self.session.save_path()), "Sync document (*.sync.json)"
        )
        if not path:
            return False
        target = Path(path) if path.endswith(".sync.json") else Path(path + ".sync.json")
        return self.save_timings(target)

    def confirm_discard(self) -> bool:
        """Before the text goes (another file, closing): save or give up unsaved edits, or
        stay (False)."""
        session = self.session
        if session is None or not session.dirty:
            return True
        name = session.document.name if session.document else "this text"
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Unsaved timing changes",
            f"The timings of {name} have changed. Save them?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self.host.parent,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save_timings()
        if answer == QMessageBox.StandardButton.Discard:
            self._drop_session(keep_journal=False)
            self.host.set_modified(False)
            return True
        return False

    def shutdown(self) -> None:
        """The window closes: stop background work; unsaved edits stay in the journal only if
        they were not given up (confirm_discard ran first)."""
        if self.editor is not None:
            self.editor.loader.cancel()
            self.editor.commands.runner.cancel()
        self._drop_session(keep_journal=self.session is not None and self.session.dirty)
