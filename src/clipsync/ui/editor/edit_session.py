"""The timing edits of one document in the window: a QUndoStack of the core's changes, the
journal beside the file, and saving.

Each edit is a :class:`~clipsync.core.editing.edits.Change` from the core; :class:`EditCommand` wraps
it for Qt's undo stack (``redo`` applies it, ``undo`` reverts it), so the edits themselves stay
pure and are tested without Qt. Every change made or undone is appended to the journal at
once; saving writes the sync document and its WebVTT, each atomically, and removes the journal.
The sentences fixed by hand (the anchors) are saved without the aligner's confidence.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from clipsync.align_command import vtt_path_for
from clipsync.core.editing.edits import Change, EditState, difference
from clipsync.core.editing.journal import Journal, Recovery, fingerprint, journal_path, read_journal, replay
from clipsync.core.errors import InputError
from clipsync.core.formats.subtitles import write_vtt
from clipsync.core.formats.syncdoc import SUFFIX, save_sync, sync_path_for
from clipsync.core.text.article import Article
from clipsync.ui.editor.review_commands import settled

_MERGE_ID = 0x7E11  # consecutive moves of one boundary (a drag, a burst of nudges) are one step


class EditCommand(QUndoCommand):
    """One change on the undo stack; moves of the same boundary with the same ``burst`` merge."""

    def __init__(self, session: EditSession, change: Change, burst: object = None) -> None:
        super().__init__(change.label)
        self.session = session
        self.change = change
        self.burst = burst

    def redo(self) -> None:
        self.session.apply(self.change, "do")

    def undo(self) -> None:
        self.session.apply(self.change, "undo")

    def id(self) -> int:
        return _MERGE_ID if self.burst is not None and self.change.key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, EditCommand)
            or other.burst != self.burst
            or other.change.key != self.change.key
        ):
            return False
        self.change = self.change.then(other.change)
        self.setObsolete(self.change.empty)  # dragged back to where it was: no step at all
        return True


class EditSession(QObject):
    """The article being edited, its undo stack, its journal and where it is saved."""

    changed = Signal(object)  # EditState, after each edit, undo or redo
    problem = Signal(str)  # something the user must know (the journal cannot be written ...)

    def __init__(
        self, article: Article, document: Path | None, media: Path | None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.state = EditState(article)
        self.media = media
        self.document = document  # the text file the article came from (None: not from a file)
        self.stack = QUndoStack(self)
        self.journal: Journal | None = None
        self._journal_failed = False
        self.recovery: Recovery | None = None  # unsaved edits found beside the document
        self.load_problem = ""  # why they cannot be offered, when they cannot
        if document is not None:
            try:
                self.journal = Journal(document, fingerprint(document))
                self.recovery = read_journal(document)
            except (OSError, InputError) as exc:
                self.load_problem = f"Unsaved edits cannot be recovered: {exc}"

    # Edits --------------------------------------------------------------------------------
    def perform(self, change: Change, burst: object = None) -> bool:
        """Make ``change`` an undoable step (merged into the last one when both move the same
        boundary in the same ``burst``); False when it changes nothing."""
        if change.empty:
            return False
        self.set_aside_recovery()
        self.stack.push(EditCommand(self, change, burst))
        return True

    def apply(self, change: Change, kind: str) -> None:
        """Called by the commands: make (``"do"``) or undo a change, journal it, tell the views."""
        self.state = change.apply(self.state) if kind == "do" else change.revert(self.state)
        if self.journal is not None and not self._journal_failed:
            try:
                self.journal.record(kind, change)
            except OSError as exc:
                self._journal_failed = True  # say it once; editing goes on
                self.problem.emit(
                    f"Edits cannot be journalled beside {self.journal.document.name} "
                    f"({exc.strerror or exc}); save often."
                )
        self.changed.emit(self.state)

    @property
    def dirty(self) -> bool:
        return not self.stack.isClean()

    # Recovery -----------------------------------------------------------------------------
    def recover(self) -> str:
        """Redo the journal's edits as one undoable step; returns what was done, in words.
        Raises :class:`InputError` when they do not fit the document."""
        recovery = self.recovery
        assert recovery is not None
        if not recovery.matches:
            raise InputError(recovery.path, "the edits were made to another version of the document")
        recovered = replay(self.state, recovery)
        self.recovery = None
        change = difference(self.state, recovered, "Recovered edits")
        # The journal file is rewritten with this one step (it holds the same edits).
        self.perform(change)
        return f"Recovered {recovery.edits} unsaved edits"

    def discard_recovery(self) -> None:
        """Throw the journal's edits away."""
        if self.recovery is not None:
            self.recovery.path.unlink(missing_ok=True)
            self.recovery = None

    def set_aside_recovery(self) -> None:
        """New edits while old ones wait to be recovered: keep the old journal as ``*.old``."""
        if self.recovery is not None:
            path = self.recovery.path
            path.replace(path.with_name(path.name + ".old"))
            self.recovery = None
            self.problem.emit(f"Earlier unsaved edits were kept as {path.name}.old")

    # Saving -------------------------------------------------------------------------------
    def save_path(self) -> Path:
        """Where Save writes: the sync document it came from, else one beside the media."""
        if self.document is not None and self.document.name.endswith(SUFFIX):
            return self.document
        base = self.media or self.document
        if base is None:
            raise InputError(None, "there is no file to save beside: use Save as")
        return sync_path_for(base)

    def save(self, path: Path | None = None) -> tuple[Path, Path]:
        """Write the sync document and its WebVTT beside it (each atomically); the journal goes.
        Raises ``OSError`` or :class:`InputError` (nothing is marked saved then)."""
        path = Path(path) if path is not None else self.save_path()
        article = settled(self.state)  # (the times of the anchors are a person's, not a guess)
        if article.media_file is None and self.media is not None:
            article = replace(article, media_file=self.media.name)
        save_sync(article, path)
        vtt = vtt_path_for(path)
        write_vtt(article, vtt)
        if self.journal is not None:
            self.journal.discard()
        self.document = path
        self.journal = Journal(path, fingerprint(path))
        self._journal_failed = False
        self.stack.setClean()
        return path, vtt

    def close(self, *, keep_journal: bool) -> None:
        """Stop editing: the journal is kept (a crash-like exit) or removed (changes thrown away)."""
        if self.journal is not None:
            if keep_journal or not self.journal.started:
                self.journal.close()  # (not started: the file may hold edits still to recover)
            else:
                self.journal.discard()

    @property
    def journal_file(self) -> Path | None:
        """The journal of the document being edited (it exists once an edit was made)."""
        return journal_path(self.document) if self.document is not None else None
