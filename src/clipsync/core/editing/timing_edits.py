"""The timing edits: move a sentence's or a word's boundary, set times, end a sentence and
start the next one at once, nudge, take a sentence off the timeline and bring it back, lock
a sentence's timing as right.

Each one looks at an :class:`~clipsync.core.editing.edits.EditState` and returns the
:class:`~clipsync.core.editing.edits.Change` it makes (see :mod:`clipsync.core.editing.edits` for the rules
every edit keeps).
"""

from __future__ import annotations

from dataclasses import replace

from clipsync.core.editing.edits import (
    MIN_SENTENCE_MS,
    Boundary,
    Change,
    ChangeBuilder,
    Edge,
    EditError,
    EditState,
    min_length,
    timed_neighbours,
    timed_sentence,
    word_columns,
)
from clipsync.core.text.words import NO_WORDS, WordTimes


def _move(draft: ChangeBuilder, sid: str, edge: Edge, ms: int) -> None:
    """Move a sentence's edge to ``ms`` (clamped), pushing or taking along its neighbour."""
    s = draft.sentence(sid)
    if not s.timed:
        raise EditError("this sentence is marked as not in the recording; bring it back first")
    assert s.start_ms is not None and s.end_ms is not None
    before, after = timed_neighbours(draft.article, sid)
    before = draft.sentence(before.id) if before else None
    after = draft.sentence(after.id) if after else None
    if edge is Edge.START:
        lo = 0 if before is None else (before.start_ms or 0) + min_length(before)
        hi = s.end_ms - min_length(s)
        if lo > hi:
            return  # no room to move at all
        new = max(lo, min(int(ms), hi))
        if (
            before is not None
            and before.end_ms is not None
            and (before.end_ms == s.start_ms or before.end_ms > new)
        ):
            draft.retime(before.id, before.start_ms or 0, new)
        draft.retime(sid, new, s.end_ms)
    else:
        duration = draft.article.duration_ms
        lo = s.start_ms + min_length(s)
        hi = (
            (duration if duration is not None else 2**31 - 1)
            if after is None
            else (after.end_ms or 0) - min_length(after)
        )
        if lo > hi:
            return
        new = max(lo, min(int(ms), hi))
        if (
            after is not None
            and after.start_ms is not None
            and (after.start_ms == s.end_ms or after.start_ms < new)
        ):
            draft.retime(after.id, new, after.end_ms or 0)
        draft.retime(sid, s.start_ms, new)


def move_boundary(state: EditState, boundary: Boundary, ms: int) -> Change:
    """Move a sentence's or a word's start or end to ``ms`` (kept within what the neighbours
    allow); the sentence becomes an anchor. Consecutive moves of one boundary merge."""
    timed_sentence(state.article, boundary.sentence_id)
    draft = ChangeBuilder(state)
    if boundary.word is None:
        _move(draft, boundary.sentence_id, boundary.edge, ms)
        label = f"Move {boundary.edge.value}"
    else:
        _move_word(draft, boundary, ms)
        label = f"Move word {boundary.edge.value}"
    draft.anchor(boundary.sentence_id)
    return draft.change(label, ("move", boundary))


def _move_word(draft: ChangeBuilder, boundary: Boundary, ms: int) -> None:
    s = draft.sentence(boundary.sentence_id)
    words, k = s.words, boundary.word
    assert k is not None and s.start_ms is not None and s.end_ms is not None
    if not 0 <= k < len(words):
        raise EditError(f"this sentence has no word {k + 1}")
    starts, ends, char_starts, char_ends = word_columns(words)
    if boundary.edge is Edge.START:
        lo = s.start_ms if k == 0 else starts[k - 1] + 1
        new = max(lo, min(int(ms), ends[k] - 1))
        if k and (ends[k - 1] == starts[k] or ends[k - 1] > new):
            ends[k - 1] = new
        starts[k] = new
    else:
        hi = s.end_ms if k == len(words) - 1 else ends[k + 1] - 1
        new = max(starts[k] + 1, min(int(ms), hi))
        if k < len(words) - 1 and (starts[k + 1] == ends[k] or starts[k + 1] < new):
            starts[k + 1] = new
        ends[k] = new
    draft.sentences[s.id] = replace(s, words=WordTimes(starts, ends, char_starts, char_ends))


def nudge(state: EditState, boundary: Boundary, delta_ms: int) -> Change:
    """Move a boundary by ``delta_ms`` (merges with other nudges and drags of it)."""
    at = boundary.time_in(state.article)
    if at is None:
        raise EditError("this boundary has no time to nudge")
    return move_boundary(state, boundary, at + delta_ms)


def set_times(state: EditState, sid: str, start_ms: int, end_ms: int) -> Change:
    """Give a sentence both a new start and a new end (each kept within what its neighbours allow)."""
    s = timed_sentence(state.article, sid)
    draft = ChangeBuilder(state)
    # Move the edge that makes room first, so the other is not stopped by the old one.
    if start_ms >= (s.end_ms or 0):
        _move(draft, sid, Edge.END, end_ms)
        _move(draft, sid, Edge.START, start_ms)
    else:
        _move(draft, sid, Edge.START, start_ms)
        _move(draft, sid, Edge.END, end_ms)
    draft.anchor(sid)
    return draft.change("Set times")


def set_end_and_next_start(state: EditState, sid: str, ms: int) -> Change:
    """End sentence ``sid`` at ``ms`` and start the next timed sentence there too (timing by ear:
    one key at each change of sentence). Both become anchors."""
    timed_sentence(state.article, sid)
    draft = ChangeBuilder(state)
    _move(draft, sid, Edge.END, ms)
    _, after = timed_neighbours(state.article, sid)
    draft.anchor(sid)
    if after is not None:
        end = draft.sentence(sid).end_ms or 0
        _move(draft, after.id, Edge.START, end)
        draft.anchor(after.id)
    return draft.change("Set end and next start")


def mark_not_in_recording(state: EditState, sid: str) -> Change:
    """Take a sentence off the timeline (it is not said in the recording); kept out of
    re-alignment as an anchor."""
    draft = ChangeBuilder(state)
    s = draft.sentence(sid)
    draft.sentences[sid] = replace(s, start_ms=None, end_ms=None, words=NO_WORDS)
    for qi, pi, part in draft.parts_of(sid):
        draft.set_part(qi, pi, replace(part, start_ms=None, end_ms=None))
    draft.anchor(sid)
    return draft.change("Not in the recording")


def bring_back(state: EditState, sid: str) -> Change:
    """Put a sentence marked "not in the recording" back on the timeline.

    It gets the pause between its timed neighbours, or, without one, the second half of the
    sentence before it (or the first half of the one after): a place to start from, which
    dragging or re-aligning then makes right. It is not an anchor (it needs aligning).
    """
    article = state.article
    s = article.sentence(sid)
    if s.timed:
        raise EditError("this sentence is already on the timeline")
    before, after = timed_neighbours(article, sid)
    lo = (before.end_ms or 0) if before else 0
    hi = (after.start_ms or 0) if after else (article.duration_ms or lo + 2000)
    draft = ChangeBuilder(state)
    if hi - lo < max(MIN_SENTENCE_MS, 200):
        if before is not None and (before.end_ms or 0) - (before.start_ms or 0) >= 2 * min_length(before):
            lo = ((before.start_ms or 0) + (before.end_ms or 0)) // 2
            draft.retime(before.id, before.start_ms or 0, lo)
        elif after is not None and (after.end_ms or 0) - (after.start_ms or 0) >= 2 * min_length(after):
            hi = ((after.start_ms or 0) + (after.end_ms or 0)) // 2
            draft.retime(after.id, hi, after.end_ms or 0)
        if hi - lo < MIN_SENTENCE_MS:
            raise EditError(
                "there is no room for this sentence between its neighbours; move a boundary first"
            )
    draft.sentences[sid] = replace(s, start_ms=lo, end_ms=hi, words=NO_WORDS)
    length = max(1, len(s.text))
    for qi, pi, part in draft.parts_of(sid):
        ps = lo + (hi - lo) * part.char_start // length
        pe = max(ps + 1, lo + (hi - lo) * part.char_end // length)
        draft.set_part(qi, pi, replace(part, start_ms=ps, end_ms=pe))
    draft.anchor(sid, False)
    return draft.change("Bring back")


def set_anchor(state: EditState, sid: str, anchored: bool) -> Change:
    """Mark a sentence's timing as right (an anchor re-alignment keeps) or not."""
    state.article.sentence(sid)  # KeyError for an unknown id
    draft = ChangeBuilder(state)
    draft.anchor(sid, anchored)
    return draft.change("Lock timing" if anchored else "Unlock timing")
