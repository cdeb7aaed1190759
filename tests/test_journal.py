"""The edit journal beside a document: written as edits are made, read back and replayed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clipsync.core.editing.edits import Boundary, Edge, EditState
from clipsync.core.editing.journal import Journal, fingerprint, journal_path, read_journal, replay
from clipsync.core.editing.text_edits import change_text
from clipsync.core.editing.timing_edits import mark_not_in_recording, move_boundary, set_end_and_next_start
from clipsync.core.errors import InputError
from clipsync.core.formats.syncdoc import load_sync

SYNC = Path(__file__).resolve().parents[1] / "resources" / "clip" / "syria.sync.json"


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "syria.sync.json"
    shutil.copy(SYNC, path)
    return path


def edit_session(document: Path) -> tuple[EditState, EditState, Journal]:
    """Four edits and one undo, journalled as the editor does; returns (start, end, journal)."""
    start = EditState(load_sync(document))
    journal = Journal(document, fingerprint(document))
    state = start
    ids = [s.id for s in start.article.sentences]
    quoted = start.article.quotes[0].parts[0].sentence_id
    for make in (
        lambda s: move_boundary(s, Boundary(ids[4], Edge.START), 30_000),
        lambda s: change_text(s, quoted, s.article.sentence(quoted).text.replace("the", "THE", 1)),
        lambda s: set_end_and_next_start(s, ids[8], (s.article.sentence(ids[8]).end_ms or 0) + 300),
        lambda s: mark_not_in_recording(s, ids[2]),
    ):
        change = make(state)
        state = change.apply(state)
        journal.record("do", change)
    state = change.revert(state)  # the last one undone
    journal.record("undo", change)
    return start, state, journal


def test_a_journal_replays_to_the_state_it_recorded(document: Path) -> None:
    """Edits and an undo written to the journal come back, anchors included, after a crash."""
    start, end, journal = edit_session(document)
    assert journal_path(document).is_file()
    # No close(): the process "died" here; the lines were flushed as they were written.
    recovery = read_journal(document)
    assert recovery is not None and recovery.matches and recovery.dropped_lines == 0
    assert recovery.edits == 3
    recovered = replay(start, recovery)
    assert recovered == end
    assert recovered.anchors == end.anchors and end.anchors
    journal.discard()
    assert read_journal(document) is None


def test_a_half_written_last_line_is_left_out(document: Path) -> None:
    """A crash in the middle of writing a line loses that edit only."""
    start, _end, journal = edit_session(document)
    journal.close()
    path = journal_path(document)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) - 40], encoding="utf-8")
    recovery = read_journal(document)
    assert recovery is not None and recovery.dropped_lines == 1 and recovery.edits == 4
    state = replay(start, recovery)  # the undo was lost: all four edits are redone
    assert not state.article.sentences[2].timed and start.article.sentences[2].timed


def test_a_journal_for_another_version_of_the_document_is_flagged(document: Path) -> None:
    """When the document changed since the edits were made, the journal says so."""
    _start, _end, journal = edit_session(document)
    journal.close()
    document.write_text(document.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    recovery = read_journal(document)
    assert recovery is not None and not recovery.matches


def test_a_journal_that_is_not_one_is_refused_clearly(document: Path) -> None:
    """A foreign file in the journal's place gives an InputError naming it."""
    journal_path(document).write_text("hello\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"syria\.sync\.json\.edits:1: not a clipsync edit journal"):
        read_journal(document)


def test_edits_that_do_not_fit_the_document_are_refused(document: Path, tmp_path: Path) -> None:
    """Replaying onto a different article fails with a message instead of corrupting it."""
    _start, _end, journal = edit_session(document)
    journal.close()
    recovery = read_journal(document)
    assert recovery is not None
    other = tmp_path / "other.sync.json"
    other.write_text(
        '{"format": "clipsync-sync", "version": 1, "title": "x", "blocks": [{"kind": "paragraph", '
        '"sentences": [{"id": "only", "text": "Only.", "start_ms": 0, "end_ms": 10}]}]}',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="do not fit"):
        replay(EditState(load_sync(other)), recovery)
