"""Described video's hand edits: add a description at a time, change its text, move it, delete
it. Each is a :class:`Change` like the timing edits (undoable, journaled, saved with the
document). :func:`fit_warnings` says which descriptions do not fit their gap at 1x.
"""

from __future__ import annotations

from collections.abc import Mapping

from clipsync.core.descriptions import Description, descriptions_of, misfit, next_id, plan, speech_gaps
from clipsync.core.editing.edits import Change, EditError, EditState


def _find(state: EditState, description_id: str) -> Description:
    found = next((d for d in descriptions_of(state.article) if d.id == description_id), None)
    if found is None:
        raise EditError(f"there is no description {description_id!r}")
    return found


def _time(state: EditState, time_ms: int) -> int:
    length = state.article.duration_ms
    if time_ms < 0 or (length is not None and time_ms > length):
        raise EditError(f"a description must lie within the media (0 to {length} ms), not at {time_ms} ms")
    return int(time_ms)


def _text(text: str) -> str:
    said = " ".join(text.split())
    if not said:
        raise EditError("a description needs some text")
    return said


def add_description(state: EditState, time_ms: int, text: str) -> Change:
    """A new description at ``time_ms``.

    >>> from clipsync.core.text.article import Article, Block, BlockKind, Sentence
    >>> state = EditState(Article("t", (Block(BlockKind.PARAGRAPH, (Sentence("s1", "Hi.", 0, 500),)),), duration_ms=9000))
    >>> change = add_description(state, 700, " A  map. ")
    >>> [(d.id, d.time_ms, d.text) for d in descriptions_of(change.apply(state).article)]
    [('d1', 700, 'A map.')]
    >>> descriptions_of(change.revert(change.apply(state)).article)
    ()
    """
    new = Description(next_id(descriptions_of(state.article)), _time(state, time_ms), _text(text))
    return Change("Add description", descriptions_before={new.id: None}, descriptions_after={new.id: new})


def edit_description(state: EditState, description_id: str, text: str) -> Change:
    old = _find(state, description_id)
    new = Description(old.id, old.time_ms, _text(text))
    return Change("Edit description", descriptions_before={old.id: old}, descriptions_after={old.id: new})


def move_description(state: EditState, description_id: str, time_ms: int) -> Change:
    old = _find(state, description_id)
    new = Description(old.id, _time(state, time_ms), old.text)
    return Change("Move description", descriptions_before={old.id: old}, descriptions_after={old.id: new})


def delete_description(state: EditState, description_id: str) -> Change:
    old = _find(state, description_id)
    return Change("Delete description", descriptions_before={old.id: old}, descriptions_after={old.id: None})


def description_at(state: EditState, position_ms: int) -> Description | None:
    """The description an edit at the playhead is about: the last one at or before it (else
    the first)."""
    descriptions = descriptions_of(state.article)
    before = [d for d in descriptions if d.time_ms <= position_ms]
    return before[-1] if before else (descriptions[0] if descriptions else None)


def fit_warnings(state: EditState, lengths_ms: Mapping[str, int]) -> dict[str, str]:
    """Why each description that does not fit its gap at 1x does not (by id), from the spoken
    lengths known (``lengths_ms``, by id)."""
    article = state.article
    items = [(d, lengths_ms[d.id]) for d in descriptions_of(article) if d.id in lengths_ms]
    planned = plan(items, speech_gaps(article, article.duration_ms))
    return {
        s.description.id: misfit(s.length_ms, s.room_ms, s.start_ms)
        for s in planned.slots
        if s.hold_ms is not None
    }
